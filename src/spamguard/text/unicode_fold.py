"""Unicode cleaning with an offset map: NFC, compatibility folding, invisible characters, stray marks, look-alikes.

The fast path is one regex search: a message made only of ASCII, precomposed Vietnamese letters, common punctuation
and emoji is already clean (:data:`DIRTY` finds nothing) and costs nothing more. Otherwise :func:`clean` rebuilds
the text unit by unit (a unit is a suspicious character with its base letter and combining marks) and records, for
every output character, the index of the input character that produced it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from operator import ne
from pathlib import Path

from spamguard import _compiled

_DATA = Path(__file__).with_name("data")

VIET_LOWER = (
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
)
VIET_LETTERS = VIET_LOWER + VIET_LOWER.upper()

# Marks Vietnamese writes: five tones, then circumflex, breve, horn.
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_SHAPE_MARKS = {"a": "\u0302\u0306", "e": "\u0302", "o": "\u0302\u031b", "u": "\u031b"}
# Combining marks removed when they survive NFC (generic diacritic blocks; other scripts keep theirs).
_MARK_RANGES = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_SILENT = frozenset("\ufe0e\ufe0f")  # emoji presentation selectors: removed, not an obfuscation
_EXTRA_INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f\u3164\uffa0\u2800")


def _load_homoglyphs() -> tuple[dict[int, str], dict[str, str]]:
    word: dict[int, str] = {}
    always: dict[str, str] = {}
    for line in (_DATA / "homoglyphs.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code, repl, scope = line.split("\t")[:3]
        char = chr(int(code[2:], 16))
        if scope == "word":
            word[ord(char)] = repl
        else:
            always[char] = repl
    return word, always


HOMOGLYPHS_WORD, _HOMOGLYPHS_ALWAYS = _load_homoglyphs()
_HOMOGLYPH_CHARS = "".join(map(chr, HOMOGLYPHS_WORD))
_HAS_HOMOGLYPH = re.compile(f"[{_HOMOGLYPH_CHARS}]")
_WORDISH = re.compile(r"[^\W_]+")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")

# Characters the cleaner leaves unchanged, listed as ranges so that DIRTY is one compiled character class.
_CLEAN_RANGES = (
    "\n\x20-\x7e" + VIET_LETTERS
    + "\u00a1-\u00a7\u00a9\u00ab\u00ac\u00ae\u00b0\u00b1\u00b6\u00b7\u00bb\u00bf\u00d7\u00f7"
    + "\u2010\u2012-\u2016\u2018-\u2023\u2027\u2030-\u2032\u2035\u2039\u203a\u203b\u203d\u2041-\u2046\u204a-\u2056\u2058-\u205e"
    + "\u20a0-\u20a7\u20a9-\u20c0\u2190-\u21ff\u2300-\u2328\u232b-\u23ff\u25a0-\u25ff\u2600-\u27bf\u2b00-\u2bff"
    + "\U0001f300-\U0001faff"
)
DIRTY = re.compile(f"[^{_CLEAN_RANGES}]")


def _code_ranges(cls: str) -> tuple[tuple[int, int], ...]:
    """The (first, last) code points of a regex character class body made of characters and "a-b" ranges."""
    out, i = [], 0
    while i < len(cls):
        if i + 2 < len(cls) and cls[i + 1] == "-":
            out.append((ord(cls[i]), ord(cls[i + 2])))
            i += 3
        else:
            out.append((ord(cls[i]), ord(cls[i])))
            i += 1
    return tuple(out)


CLEAN_CODE_RANGES = _code_ranges(_CLEAN_RANGES)
_KERNEL = _compiled.load("_lanescan")


def dirty_messages(joined: str, sep: str) -> list[int]:
    """The indices (ascending) of the messages of ``joined`` (separated by ``sep``) where :data:`DIRTY` finds
    something (``sep`` itself aside)."""
    if _KERNEL is not None:
        return _KERNEL.outside(joined, CLEAN_CODE_RANGES, sep)
    return [i for i, text in enumerate(joined.split(sep)) if DIRTY.search(text) is not None]


_UNIT = re.compile(f"(?s)(?:.(?=[{_MARK_RANGES}]))?[^{_CLEAN_RANGES}][{_MARK_RANGES}]*")
_IS_MARK = re.compile(f"[{_MARK_RANGES}]")


def _ascii_table() -> dict[int, int]:
    table = {ord("đ"): ord("d"), ord("Đ"): ord("D")}
    for code in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base.isascii() and base.isalpha() and base != chr(code):
            table[code] = ord(base)
    return table


ASCII_TABLE = _ascii_table()


def strip_accents(text: str) -> str:
    """Remove Vietnamese (and other Latin) diacritics, ``đ`` -> ``d``; NFC input keeps its length."""
    out = text.translate(ASCII_TABLE)
    if out.isascii() or not _IS_MARK.search(unicodedata.normalize("NFD", out)):
        return out
    decomposed = unicodedata.normalize("NFD", out)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _vietnamese_marks(char: str) -> str | None:
    """The letter with only the marks Vietnamese allows on it, or None if it is not a marked Latin letter."""
    parts = unicodedata.normalize("NFD", char)
    base = parts[0]
    if len(parts) == 1 or not (base.isascii() and base.isalpha()):
        return None
    low = base.lower()
    allowed = _SHAPE_MARKS.get(low, "")
    kept, tone, shape = [], False, False
    for mark in parts[1:]:
        if mark in _TONE_MARKS and low in "aeiouy" and not tone:
            kept.append(mark)
            tone = True
        elif mark in allowed and not shape:
            kept.append(mark)
            shape = True
    return unicodedata.normalize("NFC", base + "".join(kept))


@lru_cache(maxsize=8192)
def clean_char(char: str) -> tuple[str, str | None]:
    """What one NFC character becomes, and which trick it was (a key of OBFUSCATION_KINDS) or None."""
    if char == "\n" or (" " <= char <= "~"):
        return char, None
    cat = unicodedata.category(char)
    if char in "\t\r\x0b\x0c\u2028\u2029" or cat == "Zs":
        return " ", None
    if char in _SILENT:
        return "", None
    if cat in ("Cc", "Cf", "Cs", "Co") or char in _EXTRA_INVISIBLE:
        return "", "invisible"
    if char in _HOMOGLYPHS_ALWAYS:
        return _HOMOGLYPHS_ALWAYS[char], "stray_mark"
    if _IS_MARK.match(char):
        return "", "stray_mark"
    folded = unicodedata.normalize("NFKC", char)
    if folded != char:
        out = "".join(clean_char(c)[0] if unicodedata.normalize("NFKC", c) == c else c for c in folded)
        out = unicodedata.normalize("NFC", out)
        counted = cat[0] in "LN" and any(c.isalnum() for c in out)
        return out, ("fullwidth" if counted else None)
    if cat[0] == "L" and char not in VIET_LETTERS:
        fixed = _vietnamese_marks(char)
        if fixed is not None and fixed != char:
            return fixed, "stray_mark"
    return char, None


def fold_homoglyphs(text: str, counts: dict[str, int]) -> str:
    """Fold Cyrillic/Greek look-alikes inside words that also hold Latin letters (same length out)."""
    hit = _HAS_HOMOGLYPH.search(text)
    if hit is None:
        return text
    pieces, last = [], 0
    while hit is not None:
        # Only the words around a look-alike: the run of _WORDISH characters (str.isalnum is its test) holding it.
        start = hit.start()
        while start > last and text[start - 1].isalnum():
            start -= 1
        m = _WORDISH.match(text, start)
        word = m.group()
        if _LATIN.search(word):
            folded = word.translate(HOMOGLYPHS_WORD)
            counts["homoglyph"] += sum(map(ne, word, folded))
            pieces += (text[last:start], folded)
            last = m.end()
        hit = _HAS_HOMOGLYPH.search(text, m.end())
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def clean(text: str, counts: dict[str, int]) -> tuple[str, list[int]]:
    """Slow path: the cleaned (cased) text and the original index of each of its characters.

    ``counts`` is updated in place (keys ``invisible``, ``fullwidth``, ``homoglyph``, ``stray_mark``, ``nfd``).
    """
    pieces: list[str] = []
    offsets: list[int] = []
    last = 0
    for m in _dirty_units(text):
        start, end = m.span()
        if start > last:
            pieces.append(text[last:start])
            offsets.extend(range(last, start))
        unit = m.group()
        composed = unicodedata.normalize("NFC", unit)
        if composed != unit:
            counts["nfd"] += 1
        if len(composed) > 1 and _IS_MARK.match(composed, 1):
            composed = _fold_base(composed, counts)
        width = end - start
        for k, char in enumerate(composed):
            out, kind = clean_char(char)
            if kind is not None and (out or _in_word(pieces, text, end)):
                counts[kind] += 1  # a removed mark or zero-width joiner counts inside words, not in emoji
            if out:
                pieces.append(out)
                offsets.extend([start + min(k, width - 1)] * len(out))
        last = end
    if last < len(text):
        pieces.append(text[last:])
        offsets.extend(range(last, len(text)))
    out = "".join(pieces)
    out = fold_homoglyphs(out, counts)
    return _ensure_nfc(out, offsets)


def _dirty_units(text: str) -> Iterator[re.Match]:
    """``_UNIT.finditer(text)``, trying _UNIT only where a match can start: at a character DIRTY finds, or just
    before one when that character is a mark (the letter it sits on). The regex tried at every position cost more
    than the rest of clean()."""
    last = 0
    hit = DIRTY.search(text)
    while hit is not None:
        at = hit.start()
        m = _UNIT.match(text, at - 1) if at > last else None
        if m is None:
            m = _UNIT.match(text, at)
        yield m
        last = m.end()
        hit = DIRTY.search(text, last)


def _fold_base(unit: str, counts: dict[str, int]) -> str:
    """A fullwidth, math or look-alike letter followed by marks: fold the letter so the marks compose on it."""
    base, marks = unit[0], unit[1:]
    folded, kind = clean_char(base)
    if kind == "fullwidth" and len(folded) == 1:
        counts[kind] += 1
    elif ord(base) in HOMOGLYPHS_WORD and all(c in _TONE_MARKS or c in "\u0302\u0306\u031b" for c in marks):
        folded = HOMOGLYPHS_WORD[ord(base)]
        counts["homoglyph"] += 1
    else:
        return unit
    return unicodedata.normalize("NFC", folded + marks)


def _in_word(pieces: list[str], text: str, end: int) -> bool:
    before = pieces[-1][-1:] if pieces else ""
    return before.isalpha() or (end < len(text) and text[end].isalpha())


def _ensure_nfc(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    if unicodedata.is_normalized("NFC", text):
        return text, offsets
    fixed = unicodedata.normalize("NFC", text)
    n, m = len(text), len(fixed)
    return fixed, [offsets[min(n - 1, (i * n) // m)] for i in range(m)]


def lower_with_offsets(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """Lower-case; keeps offsets aligned when a character lower-cases to several (rare outside Turkish İ)."""
    low = text.lower()
    if len(low) == len(text) and unicodedata.is_normalized("NFC", low):
        return low, offsets
    pieces, offs = [], []
    for char, off in zip(text, offsets):
        out = "".join(clean_char(c)[0] for c in char.lower())
        pieces.append(out)
        offs.extend([off] * len(out))
    return _ensure_nfc("".join(pieces), offs)
