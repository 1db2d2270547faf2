"""Reading Vietnamese text: normalize, find entities, tokenize.

PLACEHOLDER implementation (to be replaced by the full pipeline of issue 2; the API below is fixed):

- ``normalize(text) -> Normalized`` and ``normalize_batch(texts) -> list[Normalized]``
- ``find_entities(text) -> list[Entity]`` (spans of the given string)
- ``tokenize(text_or_normalized, mode="syllable"|"word") -> list[str]`` and ``tokenize_batch(texts, mode=...)``
- ``strip_accents(text) -> str``
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from spamguard.text.types import OBFUSCATION_KINDS, Entity, Normalized

__all__ = ["Entity", "Normalized", "OBFUSCATION_KINDS", "normalize", "normalize_batch", "find_entities",
           "tokenize", "tokenize_batch", "strip_accents"]

_ACCENTS = str.maketrans({"đ": "d", "Đ": "D"})
_WORD = re.compile(r"\w+", re.UNICODE)


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_ACCENTS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def find_entities(text: str) -> list[Entity]:
    return []


def normalize(text: str) -> Normalized:
    nfc = unicodedata.normalize("NFC", text)
    low = nfc.lower()
    if len(low) != len(text):
        offsets = [min(i, len(text) - 1) for i in range(len(low))]
    else:
        offsets = list(range(len(low)))
    return Normalized(original=text, text=low, ascii=strip_accents(low), offsets=offsets,
                      entities=find_entities(text), counts=dict.fromkeys(OBFUSCATION_KINDS, 0))


def normalize_batch(texts: Iterable[str]) -> list[Normalized]:
    return [normalize(t) for t in texts]


def tokenize(text: str | Normalized, mode: str = "syllable") -> list[str]:
    norm = text if isinstance(text, Normalized) else normalize(text)
    syl = _WORD.findall(norm.text)
    asc = _WORD.findall(norm.ascii)
    out = syl + [a + "_" + b for a, b in zip(syl, syl[1:])]
    out += ["~" + s for s in asc] + ["~" + a + "_" + b for a, b in zip(asc, asc[1:])]
    return out


def tokenize_batch(texts: Iterable[str | Normalized], mode: str = "syllable") -> list[list[str]]:
    return [tokenize(t, mode) for t in texts]
