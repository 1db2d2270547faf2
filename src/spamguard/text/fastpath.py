"""normalize_batch(): the per-message pipeline of :mod:`spamguard.text.normalize`, with the checks done once.

All messages are joined with the U+001E record separator; the dirty-character search, entity search,
lower-casing, accent removal and the "may anything be obfuscated / misplaced / teencode here" checks each run once
over the joined text. Only the messages those checks flag go through the full per-message steps; the others (most
real traffic) are sliced out of the joined results. The output is identical to ``[normalize(t) for t in texts]``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate
from operator import add
from typing import NamedTuple

from spamguard._gcpause import cyclic_gc_paused
from spamguard.errors import InputFormatError
from spamguard.text import lane
from spamguard.text import normalize as _n
from spamguard.text.entities import entities_of_joined, find_entities_batch, lower_each
from spamguard.text.syllable import fix_tone
from spamguard.text.teencode import TEENCODE_KEYS, expansions_in_lane, expansions_in_units, outside_spans
from spamguard.text.types import Entity, Normalized, Plain
from spamguard.text.unicode_fold import clean, dirty_messages

_SEP = "\x1e"


def _starts(pieces: list[str]) -> list[int]:
    return [0, *accumulate(len(p) + 1 for p in pieces)][:-1]


def _owners(positions: Iterable[int], starts: list[int]) -> set[int]:
    return {bisect_right(starts, p) - 1 for p in positions}


def _undo_flagged(lowered: list[str], per_message: list[list[Entity]],
                  flagged: dict[int, tuple[bool, bool, bool, bool]], general: set[int]
                  ) -> dict[int, tuple[tuple[str, list[int] | None, list[tuple[int, int]]], dict[str, int]]]:
    """De-obfuscate the lane messages the batch check flagged (often a false alarm: an order code like
    "ghn8mz2r1p", a masked card "4xxx"), except those in ``general`` already. Returns, for the messages where
    something was undone, what :func:`normalize._finish` needs: the result and the counts."""
    undone = {}
    for i, flags in flagged.items():
        if i in general:
            continue
        counts = dict(_n._ZERO)
        result = _n.undo_obfuscation(lowered[i], None, [(e.start, e.end) for e in per_message[i]], counts, flags)
        if counts != _n._ZERO:  # an edit was found (the text may still read the same: a spaced word's blank)
            undone[i] = (result, counts)
    return undone


def _messages_with_words(unit_strs: list[str], words: set[str]) -> set[int]:
    """The messages that hold one of ``words`` as a unit. A few words are searched in the whole batch at once; for
    many (a long message of odd words has thousands), each message is split instead, so that the time stays linear
    in the batch's length."""
    if len(words) > _FEW_WORDS:
        return {i for i, piece in enumerate(unit_strs) if not words.isdisjoint(piece.split())}
    joined = f" {' '.join(unit_strs)} "  # units are separated by blanks; so are the messages here
    starts = list(map(add, accumulate(map(len, unit_strs), initial=0), range(len(unit_strs))))  # + the blanks
    found = set()
    for word in words:
        needle = f" {word} "
        pos = joined.find(needle)
        while pos >= 0:
            found.add(bisect_right(starts, pos) - 1)  # the blank before the word is in its message or the gap
            pos = joined.find(needle, pos + 1)
    return found


_FEW_WORDS = 16  # up to this many words, one search of the batch a word beats splitting every message


class _WordChecks(NamedTuple):
    found: dict[int, list[tuple[int, int, str]]] | None  # per message its teencode expansions (the kernel's answer)
    hits: dict[int, set[str]]  # or per message the teencode keys it holds (the pure-Python answer)
    misplaced: set[int]  # messages with a word whose tone mark may be misplaced
    suspects: frozenset[str] | set[str] = frozenset()  # those words (of the whole batch)

    def expansions(self, i: int, text: str, unit_str: str, spans: list[tuple[int, int]]
                   ) -> list[tuple[int, int, str]]:
        """The teencode expansions of message ``i`` (a lane message)."""
        if self.found is not None:
            found = self.found.get(i)
            return outside_spans(found, spans) if found else []
        hits = self.hits.get(i)
        return expansions_in_units(text, unit_str, hits, spans) if hits else []


def _retone(lowered: list[str], unit_strs: list[str], checks: _WordChecks, candidates: set[int]
            ) -> dict[int, tuple[str, str]]:
    """The tone marks fixed in the batch (hoà -> hòa) for those of ``candidates`` (lane messages with a misplaced
    tone, nothing to clean or de-obfuscate) where the general path would do only that: the text keeps its length,
    its accent-free form, units and teencode words (neither a suspect word nor its fix is a key). Returns the fixed
    text and its unit string; the others take the general path."""
    out = {}
    for i in candidates:
        mine = checks.suspects.intersection(unit_strs[i].split())
        if not mine or not all(w.isalpha() for w in mine) or any(
                w in TEENCODE_KEYS or fix_tone(w) in TEENCODE_KEYS for w in mine):
            continue
        fixed = _n._fix_suspects(lowered[i], unit_strs[i], mine)
        data = lane.encode(fixed) if len(fixed) == len(lowered[i]) else None
        if data is not None:
            out[i] = (fixed, lane.unit_string(data))
    return out


def _word_checks(units: bytes, data: bytes, unit_strs: list[str], lengths: list[int]) -> _WordChecks:
    found = expansions_in_lane(units, data, lengths)
    hits_by_message: dict[int, set[str]] = {}
    if found is not None:
        per_message = found[0]
        # Only words with a letter outside ASCII can carry a tone mark, misplaced or not.
        suspects = _n.tone_suspects(found[1])
        if not suspects:
            return _WordChecks(per_message, hits_by_message, set())
        return _WordChecks(per_message, hits_by_message, _messages_with_words(unit_strs, suspects), suspects)
    message_words = [piece.split() for piece in unit_strs]
    words = set().union(*message_words)
    suspects = _n.tone_suspects(words)
    teen = TEENCODE_KEYS.intersection(words)
    misplaced = set()
    if teen or suspects:
        # Per message (searching the joined text once per key costs keys x batch length).
        in_teen = teen.intersection
        for i, piece_words in enumerate(message_words):
            if teen and (hits := in_teen(piece_words)):
                hits_by_message[i] = hits
            if suspects and not suspects.isdisjoint(piece_words):
                misplaced.add(i)
    return _WordChecks(None, hits_by_message, misplaced, suspects)


def normalize_batch(texts: Iterable[str]) -> list[Normalized]:
    """normalize() over many messages, sharing the regex, lower-casing and entity passes."""
    with cyclic_gc_paused():
        return _normalize_batch(texts, None)


def normalize_batch_with_units(texts: Iterable[str], tokens_only: bool = False
                               ) -> tuple[list[Normalized | Plain], list[tuple[str, str] | None]]:
    """normalize_batch(), plus what :func:`spamguard.text.tokenize.lane_unit_strings` would compute for each
    result where the batch pass already has it (None elsewhere): the tokenizer then skips that work. With
    ``tokens_only``, the messages of the fast path come back as :class:`Plain` records."""
    units: list[tuple[str, str] | None] = []
    with cyclic_gc_paused():
        return _normalize_batch(texts, units, tokens_only), units


def _lower_lane(joined: str, cleaned: list[str]) -> tuple[list[str | None], bytes, set[int], str] | None:
    """The lower-cased messages of ``joined`` (the cleaned messages joined by the separator), its lane bytes
    (``?`` outside the lane), the messages outside the lane, and the lowered text the entity scan reads (see
    :func:`entities.lower_each`); None when lower-casing changes the batch's length without the kernel (odd
    characters such as "İ": every message then lowers itself). A message outside the lane gets its own lower case,
    or None where that changes its length."""
    found = lane.lower_encode(joined, _SEP)
    if found is None:
        low = joined.lower()
        if len(low) != len(joined):
            return None
        outside = _owners((m.start() for m in lane.NOT_LANE.finditer(low)), _starts(cleaned))
        return low.split(_SEP), lane.encode_lossy(low), outside, low
    data, outside = found
    lowered: list[str | None] = lane.decode_split(data, _SEP)
    if not outside:
        return lowered, data, set(), lane.decode(data)
    own = {i: cleaned[i].lower() for i in outside}
    each = any(len(own[i]) != len(cleaned[i]) for i in outside)  # then the scan lowers each character alone
    scanned = list(lowered)
    for i in outside:
        lowered[i] = own[i] if len(own[i]) == len(cleaned[i]) else None
        scanned[i] = lower_each(cleaned[i]) if each else own[i]
    return lowered, data, set(outside), _SEP.join(scanned)


def _normalize_batch(texts: Iterable[str], units: list[tuple[str, str] | None] | None,
                     tokens_only: bool = False) -> list[Normalized | Plain]:
    if isinstance(texts, str):
        raise InputFormatError("normalize_batch() expects an iterable of messages, got a single str; "
                               "wrap it in a list or call normalize().")
    texts = [t if type(t) is str else _n._check(t) for t in texts]
    if units is not None:
        units += [None] * len(texts)
    if not texts:
        return []
    joined = _SEP.join(texts)
    if joined.count(_SEP) != len(texts) - 1:  # a message carries the separator itself
        return [_n.normalize(t) for t in texts]

    cleaned = list(texts)
    states: dict[int, tuple[list[int], dict[str, int]]] = {}
    dirty = dirty_messages(joined, _SEP)
    for i in dirty:
        counts = dict(_n._ZERO)
        cleaned[i], offsets = clean(texts[i], counts)
        states[i] = (offsets, counts)
    if dirty:
        joined = _SEP.join(cleaned)

    lowered_lane = _lower_lane(joined, cleaned)
    if lowered_lane is None:
        per_message = find_entities_batch(cleaned)
        lowered = [None] * len(texts)  # odd characters: every message lowers itself
        general = set(range(len(texts)))
        checks = _WordChecks(None, {}, set())
        undone = {}
    else:
        lowered, data, outside, scanned = lowered_lane
        per_message = entities_of_joined(cleaned, joined, scanned)
        general = outside.union(states)
        folded = lane.fold(data)
        lengths = [len(c) for c in cleaned]
        maybe_obfuscated = lane.obfuscation_flags_batch(folded, lengths)
        units_joined = lane.unit_bytes(data)
        unit_strs = lane.decode_split(units_joined, _SEP)
        checks = _word_checks(units_joined, data, unit_strs, lengths)
        retoned = _retone(lowered, unit_strs, checks, checks.misplaced - general - maybe_obfuscated.keys())
        general |= checks.misplaced - retoned.keys()
        for i, (fixed, unit_str) in retoned.items():
            lowered[i], unit_strs[i] = fixed, unit_str
        ascii_all = lane.decode_split(folded, _SEP)
        undone = _undo_flagged(lowered, per_message, maybe_obfuscated, general)
        general |= undone.keys()
        if units is not None:
            units[:] = [None if i in general else pair
                        for i, pair in enumerate(zip(unit_strs, lane.ascii_unit_string(folded).split(_SEP)))]

    out = []
    zero = _n._ZERO
    found = checks.found
    identity = list(range(max(map(len, cleaned)) if not tokens_only and len(general) < len(texts) else 0))
    for i, raw in enumerate(texts):
        ents = per_message[i]
        if i in general:
            if i in undone:
                result, counts = undone[i]
                out.append(_n._finish(raw, cleaned[i], lowered[i], None, counts, ents, result, tokens_only))
                continue
            offsets, counts = states.get(i, (None, dict(zero)))
            out.append(_n._finish(raw, cleaned[i], lowered[i] if offsets is None else None, offsets, counts, ents,
                                  tokens_only=tokens_only))
            continue
        text = lowered[i]
        spans = [(e.start, e.end) for e in ents] if ents else []
        if found is None:
            expansions = checks.expansions(i, text, unit_strs[i], spans)
        else:  # (checks.expansions() inlined: the common case of the loop)
            expansions = found.get(i) or []
            if expansions and spans:
                expansions = outside_spans(expansions, spans)
        if tokens_only:
            out.append(Plain(text, text if text.isascii() else ascii_all[i], ents, spans, expansions))
            continue
        out.append(Normalized(raw, text, text if text.isascii() else ascii_all[i], identity[:len(text)],
                              ents, dict(zero), expansions, spans))
    return out
