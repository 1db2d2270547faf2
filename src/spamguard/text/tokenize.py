"""Tokens for the models: syllables and syllable bigrams (default) or underthesea words, with entity placeholders.

Syllable mode emits, from the normalized text, each syllable and each pair of neighbouring syllables
("tài", "khoản", "tài_khoản"), and the same from the accent-free text with a "~" prefix ("~tai", "~tai_khoan"),
so messages written with and without diacritics share features. One-letter syllables (ở, à, ạ) are kept. Each
entity becomes its placeholder plus its attribute tokens; a run of digits becomes a shape token ("__num6__");
teencode expansions add the tokens of the expanded words.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate

from spamguard import _compiled
from spamguard._gcpause import cyclic_gc_paused
from spamguard.errors import InputFormatError
from spamguard.text import lane
from spamguard.text.fastpath import normalize_batch_with_units
from spamguard.text.normalize import normalize
from spamguard.text.types import Entity, Normalized
from spamguard.text.unicode_fold import strip_accents

try:
    from spamguard.text.entities import entity_tokens
except ModuleNotFoundError as exc:  # until the entities module lands
    if exc.name != "spamguard.text.entities":
        raise

    def entity_tokens(entity: Entity) -> tuple[str, ...]:
        return ()

MODES = ("syllable", "word")
_UNIT = re.compile(r"[^\W_]+")
_DIGIT = re.compile(r"\d")
_SEP = "\x1e"


def _shape(unit: str) -> str:
    return f"__num{min(len(unit), 12)}__" if unit.isdigit() else unit


_MARK = "\x01"  # stands for an entity while splitting; replaced by its placeholder
_UNIT_OR_MARK = re.compile(r"[^\W_]+|\x01")


def _units(text: str) -> list[str]:
    units = _UNIT.findall(text)
    if _DIGIT.search(text):
        units = [_shape(u) for u in units]
    return units


def _grams(units: list[str], prefix: str = "") -> list[str]:
    if prefix:
        out = [prefix + u for u in units if not u.startswith("__")]
        out += [f"{prefix}{a}_{b}" for a, b in zip(units, units[1:])]
        return out
    return units + [f"{a}_{b}" for a, b in zip(units, units[1:])]


@lru_cache(maxsize=4096)
def _expansion_tokens(expansion: str) -> tuple[str, ...]:
    units = _units(expansion)
    return (*_grams(units), *_grams(_units(strip_accents(expansion)), "~"))


def _masked(norm: Normalized) -> tuple[str, str]:
    """The text and its accent-free form with each entity span replaced by a marker unit."""
    if not norm.entity_spans:
        return norm.text, norm.ascii
    text, asc, last = [], [], 0
    for start, end in norm.entity_spans:
        text += (norm.text[last:start], f" {_MARK} ")
        asc += (norm.ascii[last:start], f" {_MARK} ")
        last = end
    text.append(norm.text[last:])
    asc.append(norm.ascii[last:])
    return "".join(text), "".join(asc)


def _unit_strings(text: str, asc: str) -> tuple[str, str]:
    """Units (syllables, numbers, entity markers) of both forms, as space-separated strings."""
    data = lane.encode(text)
    if data is None:
        return " ".join(_UNIT_OR_MARK.findall(text)), " ".join(_UNIT_OR_MARK.findall(asc))
    units = lane.unit_string(data)
    return units, (units if text.isascii() else lane.ascii_unit_string(lane.fold(data)))


_SHAPES = [f"__num{n}__" for n in range(13)]
# An all-digit unit ("\b\d+\b"), written digit-first so the regex engine can skip ahead to digits.
_NUMBER_UNIT = re.compile(r"\d(?<!\w\d)\d*(?!\w)")


def _shape_match(m: re.Match) -> str:
    return _SHAPES[min(m.end() - m.start(), 12)]


def number_shape(unit: str) -> str:
    """The shape token of an all-digit unit, as :func:`_shape_all` writes it ("482913" -> "__num6__")."""
    return _SHAPES[min(len(unit), 12)]


def _shape_all(unit_str: str) -> str:
    """Digits-only units become shape tokens ("482913" -> "__num6__")."""
    return _NUMBER_UNIT.sub(_shape_match, unit_str) if _DIGIT.search(unit_str) else unit_str


def _fill(unit_str: str, places: list[str]) -> str:
    parts = unit_str.split(_MARK)
    out = [parts[0]]
    for place, part in zip(places, parts[1:]):
        out += (place, part)
    return "".join(out)


def _filled(norm: Normalized, unit_str: str, ascii_str: str, shaped: bool = False) -> tuple[str, str]:
    """Unit strings with number shapes and entity placeholders in place; the second IS the first when the text
    has no diacritics (callers test ``ascii_str is unit_str`` to skip duplicate work)."""
    same = ascii_str is unit_str
    if not shaped:
        unit_str = _shape_all(unit_str)
        ascii_str = unit_str if same else _shape_all(ascii_str)
    if norm.entity_spans:
        places = [f" {e.placeholder} " for e in norm.entities]
        unit_str = _fill(unit_str, places)
        ascii_str = unit_str if same else _fill(ascii_str, places)
    return unit_str, ascii_str


def extra_tokens(norm: Normalized) -> list[str]:
    """Tokens beside the syllables: entity attributes and teencode expansions."""
    tokens: list[str] = []
    for entity in norm.entities:
        tokens += entity_tokens(entity)
    for _, _, expansion in norm.expansions:
        tokens += _expansion_tokens(expansion)
    return tokens


def _tokens(norm: Normalized, unit_str: str, ascii_str: str) -> list[str]:
    """Tokens from the filled unit strings of the text and of its accent-free form."""
    units = unit_str.split()
    tokens = units + list(map("_".join, zip(units, units[1:])))
    if ascii_str is unit_str:
        plain = tokens
    else:
        asc = ascii_str.split()
        plain = asc + list(map("_".join, zip(asc, asc[1:])))
    if plain:
        tokens += ("~" + " ~".join(plain)).split(" ")
    if norm.entities or norm.expansions:
        tokens += extra_tokens(norm)
    return tokens


def _assemble(norm: Normalized, unit_str: str, ascii_str: str, shaped: bool = False) -> list[str]:
    """Tokens from the unit strings of the text and of its accent-free form (``ascii_str is unit_str`` if equal)."""
    return _tokens(norm, *_filled(norm, unit_str, ascii_str, shaped))


def syllable_tokens(norm: Normalized) -> list[str]:
    """Syllable-mode tokens of one normalized message."""
    return _assemble(norm, *_unit_strings(*_masked(norm)))


def _cut_entities(unit_str: str, norm: Normalized, places: list[str]) -> str:
    """The unit string of a lane text with each entity span replaced by its placeholder (same units as masking
    the text first: the unit string maps each character on its own)."""
    pieces, last = [], 0
    for (start, end), place in zip(norm.entity_spans, places):
        pieces += (unit_str[last:start], place)
        last = end
    pieces.append(unit_str[last:])
    return "".join(pieces)


def lane_unit_strings(norms: list[Normalized]) -> list[tuple[str, str] | None]:
    """The unit strings of each message's text and accent-free text (None where the text has characters outside
    the lane), with one encoding for the whole batch."""
    joined = _SEP.join([n.text for n in norms])
    if not norms or joined.count(_SEP) != len(norms) - 1:
        return [None] * len(norms)
    starts = [0, *accumulate(len(n.text) + 1 for n in norms)][:-1]
    odd = {bisect_right(starts, m.start()) - 1 for m in lane.NOT_LANE.finditer(joined)}
    data = lane.encode_lossy(joined)
    units = lane.unit_string(data).split(_SEP)
    asc = lane.ascii_unit_string(lane.fold(data)).split(_SEP)
    return [None if i in odd else pair for i, pair in enumerate(zip(units, asc))]


def unit_string_pairs(norms: list[Normalized], units: list[tuple[str, str] | None] | None = None,
                      shape: bool = True) -> tuple[list[tuple[str, str]], set[int]]:
    """For each message, the unit strings of its text and accent-free text (the second IS the first when they are
    equal), with the entities not cut in yet; except for the messages outside the lane (returned as a set), whose
    strings come filled (see :func:`_filled`; shaped only with ``shape``). ``units`` as in
    :func:`filled_unit_strings_batch`."""
    if units is None:
        units = lane_unit_strings(norms)
    elif None in units:
        units = list(units)
        missing = [i for i, pair in enumerate(units) if pair is None]
        for i, pair in zip(missing, lane_unit_strings([norms[i] for i in missing])):
            units[i] = pair
    odd = set()
    out = []
    for i, (norm, pair) in enumerate(zip(norms, units)):
        if pair is None:  # characters outside the lane: units from the masked text, one message at a time
            odd.add(i)
            out.append(_filled(norm, *_unit_strings(*_masked(norm)), shaped=not shape))
        else:
            unit_str, ascii_str = pair
            out.append((unit_str, unit_str if unit_str == ascii_str else ascii_str))
    return out, odd


def filled_unit_strings_batch(norms: list[Normalized], shape: bool = True,
                              units: list[tuple[str, str] | None] | None = None) -> list[tuple[str, str]]:
    """For each message, its filled unit strings (see :func:`_filled`), with one lane encoding, shaping and split
    for the whole batch. Syllable tokens are these units and their neighbour pairs, in both forms.

    ``shape=False`` leaves numbers as they are, for a caller that turns each all-digit unit into its shape
    (``"__num6__"``) itself. ``units`` may bring what :func:`lane_unit_strings` would compute (normalization
    computes most of it already); its None entries are computed here."""
    pairs, odd = unit_string_pairs(norms, units, shape)
    out = []
    for i, (norm, (unit_str, ascii_str)) in enumerate(zip(norms, pairs)):
        if norm.entity_spans and i not in odd:
            places = [f" {e.placeholder} " for e in norm.entities]
            cut = _cut_entities(unit_str, norm, places)
            ascii_str = cut if ascii_str is unit_str else _cut_entities(ascii_str, norm, places)
            unit_str = cut
        out.append((unit_str, ascii_str))
    if shape:
        out = _shaped(out, odd)
    return out


def _shaped(strings: list[tuple[str, str]], done: set[int]) -> list[tuple[str, str]]:
    """Numbers shaped in one pass over the batch (placeholders hold no digits, so they may already be in), except
    for the messages in ``done``; the accent-free string stays the same object where it was."""
    plain = _shape_all(_SEP.join([u for u, _ in strings])).split(_SEP)
    differ = [i for i, (u, a) in enumerate(strings) if a is not u and i not in done]
    other = dict(zip(differ, _shape_all(_SEP.join([strings[i][1] for i in differ])).split(_SEP)))
    return [strings[i] if i in done else (unit_str, other.get(i, unit_str)) for i, unit_str in enumerate(plain)]


def _syllable_tokens_batch(norms: list[Normalized], units: list[tuple[str, str] | None] | None = None
                           ) -> list[list[str]]:
    """syllable_tokens() for many messages (``units`` as in :func:`filled_unit_strings_batch`)."""
    if _KERNEL is not None:
        return _syllable_tokens_compiled(norms, units)
    return [_tokens(n, u, a) for n, (u, a) in zip(norms, filled_unit_strings_batch(norms, units=units))]


_KERNEL = _compiled.load("_tokens")


def _syllable_tokens_compiled(norms: list[Normalized], units: list[tuple[str, str] | None] | None
                              ) -> list[list[str]]:
    """_syllable_tokens_batch() with the syllable tokens built by the C kernel, which also cuts the entities in
    and shapes the numbers (except where the strings come filled already)."""
    pairs, filled = unit_string_pairs(norms, units)
    spans = [norm.entity_spans if norm.entity_spans and i not in filled else None for i, norm in enumerate(norms)]
    rows = _KERNEL.unit_tokens([u for u, _ in pairs], [None if a is u else a for u, a in pairs], spans,
                               [norm.entities for norm in norms])
    for norm, tokens in zip(norms, rows):  # extra_tokens(), inlined: most messages have neither
        if norm.entities:
            for entity in norm.entities:
                tokens += entity_tokens(entity)
        if norm.expansions:
            for _, _, expansion in norm.expansions:
                tokens += _expansion_tokens(expansion)
    return rows


def word_tokens(norm: Normalized) -> list[str]:
    from underthesea import word_tokenize

    pieces, extra, last = [], [], 0
    for entity, (start, end) in zip(norm.entities, norm.entity_spans):
        pieces += (norm.text[last:start], f" {entity.placeholder} ")
        extra += entity_tokens(entity)
        last = end
    pieces.append(norm.text[last:])
    tokens = []
    for word in word_tokenize("".join(pieces)):
        if word.startswith("__") and word.endswith("__"):
            tokens.append(word)
            continue
        units = _units(word)
        if units:
            joined = "_".join(units)
            tokens += (joined, "~" + strip_accents(joined))
    tokens += extra
    for _, _, expansion in norm.expansions:
        tokens += _expansion_tokens(expansion)
    return tokens


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise InputFormatError(f"tokenize mode must be one of {MODES}, got {mode!r}.")


def tokenize(text: str | Normalized, mode: str = "syllable") -> list[str]:
    """Tokens of one message (a raw str or the result of normalize()).

    >>> tokenize("Tài khoản")
    ['tài', 'khoản', 'tài_khoản', '~tai', '~khoan', '~tai_khoan']
    """
    _check_mode(mode)
    norm = text if isinstance(text, Normalized) else normalize(text)
    return syllable_tokens(norm) if mode == "syllable" else word_tokens(norm)


def tokenize_batch(texts: Iterable[str | Normalized], mode: str = "syllable") -> list[list[str]]:
    """tokenize() over many messages; raw strings are normalized together with normalize_batch()."""
    _check_mode(mode)
    if isinstance(texts, (str, Normalized)):
        raise InputFormatError("tokenize_batch() expects an iterable of messages, got a single message; "
                               "wrap it in a list or call tokenize().")
    with cyclic_gc_paused():
        return _tokenize_batch(list(texts), mode)


def _tokenize_batch(items: list, mode: str) -> list[list[str]]:
    raw = [i for i, t in enumerate(items) if not isinstance(t, Normalized)]
    units: list[tuple[str, str] | None] | None = None
    if raw:
        norms, raw_units = normalize_batch_with_units([items[i] for i in raw], tokens_only=True)
        units = [None] * len(items)
        for i, norm, pair in zip(raw, norms, raw_units):
            items[i], units[i] = norm, pair
    if mode == "syllable":
        return _syllable_tokens_batch(items, units)
    return [word_tokens(n) for n in items]
