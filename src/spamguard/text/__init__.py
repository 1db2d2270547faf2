"""Reading Vietnamese text: normalize, find entities, tokenize.

- ``normalize(text) -> Normalized`` and ``normalize_batch(texts) -> list[Normalized]``: NFC, folding, invisible
  characters, look-alike letters, leetspeak, spaced and repeated letters, tone placement, an accent-free form,
  teencode expansions, obfuscation counts and a map back to the raw text.
- ``find_entities(text) -> list[Entity]``: URLs, phones, money, ... (spans of the given string).
- ``tokenize(text_or_normalized, mode="syllable"|"word") -> list[str]`` and ``tokenize_batch(texts, mode=...)``.
- ``strip_accents(text) -> str``: diacritics removed, ``đ`` -> ``d``.

Nothing heavy is imported here; underthesea loads only for ``mode="word"``.
"""

from __future__ import annotations

from spamguard.text.fastpath import normalize_batch
from spamguard.text.normalize import find_entities, normalize
from spamguard.text.tokenize import tokenize, tokenize_batch
from spamguard.text.types import OBFUSCATION_KINDS, Entity, Normalized
from spamguard.text.unicode_fold import strip_accents

__all__ = ["Entity", "Normalized", "OBFUSCATION_KINDS", "normalize", "normalize_batch", "find_entities",
           "tokenize", "tokenize_batch", "strip_accents"]
