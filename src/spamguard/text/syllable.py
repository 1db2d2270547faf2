"""Vietnamese syllable structure: is a letter string a possible syllable, split joined syllables, tone placement.

Tone placement follows underthesea's ``text_normalize`` (the "old" style): hoà -> hòa, thuý -> thủy, but hoàng,
quý, già keep their mark where it is.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
_NUCLEUS = (r"(?:uye|uya|uyu|oai|oay|oeo|uay|uoi|uou|ieu|yeu|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui"
            r"|uo|uu|uy|ye|a|e|i|o|u|y)")
_CODA = r"(?:ch|ng|nh|c|m|n|p|t)?"
_VALID = re.compile(f"{_ONSET}{_NUCLEUS}{_CODA}")
MAX_SYLLABLE = 7  # "nghiêng"


def is_syllable(ascii_word: str) -> bool:
    """True if the accent-free lower-case letters could be one Vietnamese syllable ("thong", "khoan")."""
    return len(ascii_word) <= MAX_SYLLABLE and _VALID.fullmatch(ascii_word) is not None


@lru_cache(maxsize=4096)
def split_syllables(ascii_word: str) -> tuple[int, ...] | None:
    """Cut points splitting joined syllables ("khuyenmai" -> (6,)), fewest syllables first; None if impossible."""
    n = len(ascii_word)
    if n > 64:
        return None
    best: list[tuple[int, ...] | None] = [None] * (n + 1)
    best[n] = ()
    for i in range(n - 1, -1, -1):
        for j in range(min(n, i + MAX_SYLLABLE), i, -1):
            rest = best[j]
            if rest is not None and is_syllable(ascii_word[i:j]):
                cand = (j, *rest) if j < n else ()
                if best[i] is None or len(cand) < len(best[i]):
                    best[i] = cand
    return best[0]


# --- tone placement ---------------------------------------------------------------------------------------
_TONED: dict[str, tuple[str, str]] = {}
_COMPOSE: dict[tuple[str, str], str] = {}
for _c in "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ":
    _d = unicodedata.normalize("NFD", _c)
    _tone = next(m for m in _d if m in "\u0300\u0301\u0303\u0309\u0323")
    _base = unicodedata.normalize("NFC", _d.replace(_tone, ""))
    _TONED[_c] = (_base, _tone)
    _COMPOSE[(_base, _tone)] = _c

_PT = "àáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ"  # plain vowels with a tone
_ST = "ằắẳẵặầấẩẫậềếểễệồốổỗộờớởỡợừứửữự"  # shaped vowels with a tone
_SV = "ăâêôơư"
_CONS = "bcdđghklmnpqrstvx"
# Cheap filter for words whose tone may be misplaced; fix_tone decides.
TONE_CANDIDATE = re.compile(
    f"[{_PT}][{_SV}]|[{_SV}][{_PT}]|(?:[aeoy]|(?<!q)u|(?<!g)i)[{_PT}](?![^\\W\\d_])|[{_PT}][aeiouy]+[{_CONS}]"
    f"|[{_PT}][aeiouy]{{2}}|g[ìíỉĩị][aeiouy]|q[ùúủũụ][aeiouy]"
    f"|[{_PT}{_ST}]{{2}}"
)
_PARTS = re.compile(f"([{_CONS}]*)([aăâeêioôơuưy]+)([{_CONS}]*)")
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=8192)
def fix_tone(word: str) -> str:
    """Put the tone mark of one lower-case syllable where underthesea puts it; other words come back as is."""
    tones = {_TONED[c][1] for c in word if c in _TONED}
    if len(tones) != 1:
        return word
    tone = tones.pop()
    base = "".join(_TONED[c][0] if c in _TONED else c for c in word)
    m = _PARTS.fullmatch(base)
    if m is None:
        return word
    onset, nucleus, coda = m.groups()
    if (onset == "q" and nucleus[0] == "u" or onset == "g" and nucleus[0] == "i") and len(nucleus) > 1:
        onset, nucleus = onset + nucleus[0], nucleus[1:]
    if len(nucleus) > 3:
        return word
    shaped = [i for i, c in enumerate(nucleus) if c in _SV]
    if shaped:
        pos = shaped[-1]
    elif coda:
        pos = len(nucleus) - 1
    else:
        pos = 1 if len(nucleus) == 3 else 0
    key = (nucleus[pos], tone)
    if key not in _COMPOSE:
        return word
    return onset + nucleus[:pos] + _COMPOSE[key] + nucleus[pos + 1:] + coda


def _fix_match(m: re.Match) -> str:
    word = m.group()
    return fix_tone(word) if TONE_CANDIDATE.search(word) else word


def fix_tones(text: str) -> str:
    """Fix tone placement in every word of a lower-case NFC text (same length out)."""
    if not TONE_CANDIDATE.search(text):
        return text
    return _WORD.sub(_fix_match, text)
