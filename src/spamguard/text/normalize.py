"""normalize(): clean a message, find its entities, undo obfuscation, and keep a map back to the raw text.

Order of the steps (each skipped when a cheap check says it has nothing to do):

1. Unicode cleaning (NFC, compatibility folding, invisible characters, stray marks, look-alike letters).
2. Entities, found on the cleaned cased text, so that URLs and e-mails are protected from the next steps.
3. Lower-casing, then de-obfuscation (leetspeak, O in numbers, spaced and repeated letters) outside entities.
4. Tone placement (hoà -> hòa), the accent-free form, teencode expansions.

``normalize_batch`` (in :mod:`spamguard.text.fastpath`) runs the same steps with the checks done once over all
messages joined with the U+001E record separator.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from spamguard.errors import InputFormatError
from spamguard.text import deobfuscate as _deobf
from spamguard.text import lane
from spamguard.text.syllable import TONE_CANDIDATE, fix_tone, fix_tones
from spamguard.text.teencode import (
    TEENCODE_KEYS,
    expansions_in_lane,
    expansions_in_units,
    find_expansions,
    outside_spans,
)
from spamguard.text.types import OBFUSCATION_KINDS, Entity, Normalized, Plain
from spamguard.text.unicode_fold import ASCII_TABLE, DIRTY, clean, lower_with_offsets

try:
    from spamguard.text.entities import find_entities
except ModuleNotFoundError as exc:  # until the entities module lands
    if exc.name != "spamguard.text.entities":
        raise

    def find_entities(text: str) -> list[Entity]:
        return []

_SEP = "\x1e"
_ZERO = dict.fromkeys(OBFUSCATION_KINDS, 0)
_TONE_OK: set[str] = set()  # words already checked: their tone mark is where it belongs


def _check(text: object) -> str:
    if isinstance(text, str):
        return text
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""  # an empty cell (None, NaN) is an empty message, as in find_entities
    raise InputFormatError(f"normalize() expects a str, got {type(text).__name__}; decode bytes first "
                           "and pass one message at a time (or use normalize_batch for an iterable).")


def _clean(text: str) -> tuple[str, list[int] | None, dict[str, int]]:
    """Step 1: the cleaned cased text, its offsets (None = identity) and the counts so far."""
    counts = dict(_ZERO)
    if DIRTY.search(text) is None:
        return text, None, counts
    cleaned, offsets = clean(text, counts)
    return cleaned, offsets, counts


def _finish(original: str, cleaned: str, lowered: str | None, offsets: list[int] | None,
            counts: dict[str, int], entities: list[Entity],
            undone: tuple[str, list[int], list[tuple[int, int]]] | None = None, tokens_only: bool = False
            ) -> Normalized | Plain:
    """Steps 3-4, given the cleaned text and the entities found in it (spans of ``cleaned``).

    ``undone`` is what :func:`undo_obfuscation` returned for the lowered text, when the caller ran it already
    (``counts`` then holds its counts). ``tokens_only``: a :class:`Plain` record (see normalize_batch_with_units)."""
    if lowered is None or offsets is not None:
        lowered, offsets = lower_with_offsets(cleaned, offsets if offsets is not None else range(len(cleaned)))
        if len(lowered) != len(cleaned):
            entities = []  # the cased text does not line up any more (only odd characters do this)
    clean_offsets = offsets
    if undone is None:
        undone = undo_obfuscation(lowered, offsets, [(e.start, e.end) for e in entities], counts)
    text, new_offsets, spans = undone
    if text != lowered:
        offsets = new_offsets
    data = lane.encode(text)
    if data is not None:
        text, folded, expansions = _finish_lane(text, data, spans)
        ascii_text = text if text.isascii() else lane.decode(folded)
    else:
        if not text.isascii() and TONE_CANDIDATE.search(text):
            text = fix_tones(text)
        ascii_text = text if text.isascii() else text.translate(ASCII_TABLE)
        expansions = find_expansions(text, spans)
    if clean_offsets is not None and entities:
        entities = [_relocate(e, original, clean_offsets) for e in entities]
    if tokens_only:
        return Plain(text, ascii_text, entities, spans, expansions)
    return Normalized(
        original=original, text=text, ascii=ascii_text,
        offsets=list(range(len(text))) if offsets is None else list(offsets),
        entities=entities, counts=counts, expansions=expansions, entity_spans=spans,
    )


def _finish_lane(text: str, data: bytes, spans: list[tuple[int, int]]
                 ) -> tuple[str, bytes, list[tuple[int, int, str]]]:
    """Step 4 for a text in the lane (``data`` is its lane bytes): the text with its tone marks fixed, its
    accent-free lane bytes and its teencode expansions."""
    units = lane.unit_bytes(data)
    found = expansions_in_lane(units, data, [len(data)])
    if found is None:  # no kernel: split the units in Python
        unit_str = lane.decode(units)
        words = unit_str.split()
        suspects = tone_suspects(words)
        if suspects:
            fixed = _fix_suspects(text, unit_str, suspects)
            if fixed != text:
                text, data = fixed, lane.encode(fixed)
                unit_str = lane.unit_string(data)
                words = unit_str.split()
        hits = TEENCODE_KEYS.intersection(words)
        return text, lane.fold(data), expansions_in_units(text, unit_str, hits, spans) if hits else []
    found_expansions, words = found
    suspects = tone_suspects(words)  # (only a word with a letter outside ASCII can carry a tone mark)
    if suspects:
        fixed = _fix_suspects(text, lane.decode(units), suspects)
        if fixed != text:
            text, data = fixed, lane.encode(fixed)
            units = lane.unit_bytes(data)
            found_expansions = expansions_in_lane(units, data, [len(data)])[0]
    mine = found_expansions.get(0)
    return text, lane.fold(data), outside_spans(mine, spans) if mine else []


def undo_obfuscation(text: str, offsets: list[int] | None, spans: list[tuple[int, int]], counts: dict[str, int],
                     flags: tuple[bool, bool, bool, bool] | None = None
                     ) -> tuple[str, list[int] | None, list[tuple[int, int]]]:
    """Step 3 on a lower-case text: de-obfuscation when a cheap check says it may apply, counted in ``counts``.

    Returns the text, its offsets (``offsets`` itself, None = identity, when nothing was undone) and the protected
    spans; ``flags`` as :func:`spamguard.text.deobfuscate.step_flags` returns them, when known already."""
    if flags is None:
        data = lane.encode(text)
        flags = lane.obfuscation_flags(lane.fold(data)) if data is not None else _deobf.step_flags(text)
    if not any(flags):
        return text, offsets, spans
    return _deobf.deobfuscate(text, list(offsets) if offsets is not None else list(range(len(text))), spans,
                              counts, flags)


def tone_suspects(words: Iterable[str]) -> set[str]:
    """Words that may carry a misplaced tone mark; words found fine are remembered."""
    suspects = set()
    for word in set(words).difference(_TONE_OK):
        if TONE_CANDIDATE.search(word) and (not word.isalpha() or fix_tone(word) != word):
            suspects.add(word)
        else:
            _TONE_OK.add(word)
    if len(_TONE_OK) > 200_000:
        _TONE_OK.clear()
    return suspects


def _fix_suspects(text: str, unit_str: str, suspects: set[str]) -> str:
    """fix_tones(text), touching only the suspect words (found through the aligned unit string). The text is
    rebuilt once, and a long message with many suspect words is walked once instead of searched once per word:
    both grew with the square of its length."""
    if not all(w.isalpha() for w in suspects):
        return fix_tones(text)
    fixes = {word: fixed for word in suspects if (fixed := fix_tone(word)) != word}
    if not fixes:
        return text
    spots = []  # (start, end, fixed); a tone moves within its word: the length stays
    if len(fixes) <= _FEW_FIXES:
        padded = f" {unit_str} "
        for word, fixed in fixes.items():
            needle = f" {word} "
            pos = padded.find(needle)
            while pos >= 0:
                spots.append((pos, pos + len(word), fixed))
                pos = padded.find(needle, pos + len(word) + 1)
        spots.sort()
    else:
        pos = 0
        for word in unit_str.split(" "):
            fixed = fixes.get(word)
            if fixed is not None:
                spots.append((pos, pos + len(word), fixed))
            pos += len(word) + 1
    pieces, last = [], 0
    for start, end, fixed in spots:
        pieces += (text[last:start], fixed)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


_FEW_FIXES = 16  # up to this many words, a search of the text a word beats walking all its units


def _relocate(entity: Entity, original: str, offsets) -> Entity:
    """The entity with its span in ``original`` (up to where the next cleaned character came from)."""
    start = offsets[entity.start] if entity.start < len(offsets) else len(original)
    if entity.end <= entity.start:
        end = start
    elif entity.end < len(offsets):
        end = max(offsets[entity.end], offsets[entity.end - 1] + 1)
    else:
        end = len(original)
    if start == entity.start and end == entity.end and original[start:end] == entity.text:
        return entity
    return Entity(entity.kind, start, end, original[start:end], entity.placeholder, entity.attrs)


def normalize(text: str) -> Normalized:
    """Clean one message; see :class:`~spamguard.text.types.Normalized` for what comes back.

    >>> normalize("Tài khoản Th0ng ba0 bị khoá").text
    'tài khoản thong bao bị khóa'
    """
    text = _check(text)
    cleaned, offsets, counts = _clean(text)
    entities = find_entities(cleaned)
    return _finish(text, cleaned, None if offsets is not None else cleaned.lower(), offsets, counts, entities)
