"""Data types shared by the text pipeline: what normalization found, and where."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Entity:
    """A typed span of the ORIGINAL message (``start``/``end`` index the raw input string).

    ``kind`` is one of: url, email, phone, shortcode, money, account, otp, datetime.
    ``attrs`` holds the parsed details, e.g. for a url ``{"domain", "registered_domain", "tld", "scheme",
    "shortener", "ip_host", "official_of", "lookalike_of"}``; for a phone ``{"kind": "mobile"|"landline"|
    "hotline"|"international", "e164"}``; for money ``{"value": float, "currency": "VND"}``.
    ``placeholder`` is the token models see instead of the raw text, e.g. ``"__url_lookalike__"``.
    """

    kind: str
    start: int
    end: int
    text: str
    placeholder: str
    attrs: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end, "text": self.text,
                "placeholder": self.placeholder, "attrs": dict(self.attrs)}


@dataclass(slots=True)
class Normalized:
    """The result of :func:`spamguard.text.normalize`.

    - ``original``: the input, untouched.
    - ``text``: cleaned text (NFC, folded, de-obfuscated, lower-cased), entities left in place.
    - ``ascii``: ``text`` without diacritics (``đ`` -> ``d``), same length as ``text``.
    - ``offsets``: ``offsets[i]`` is the index in ``original`` of the character that produced ``text[i]``;
      ``len(offsets) == len(text)``.
    - ``entities``: typed spans located in ``original``.
    - ``counts``: how many times each obfuscation trick was found (keys in ``OBFUSCATION_KINDS``).
    - ``expansions``: teencode/abbreviation expansions as ``(start, end, expansion)`` spans of ``text``;
      added information, the text itself keeps the original word.
    - ``entity_spans``: where each of ``entities`` sits in ``text`` (``(start, end)``, same order), so that a
      tokenizer can replace them by their placeholders.
    """

    original: str
    text: str
    ascii: str
    offsets: list[int]
    entities: list[Entity] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    expansions: list[tuple[int, int, str]] = field(default_factory=list)
    entity_spans: list[tuple[int, int]] = field(default_factory=list)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``text`` back to a span of ``original``."""
        if not self.offsets or start >= end:
            return (0, 0)
        start = min(max(start, 0), len(self.offsets) - 1)
        last = min(max(end - 1, 0), len(self.offsets) - 1)
        return (self.offsets[start], min(self.offsets[last] + 1, len(self.original)))


class Plain:
    """What tokenizers read of a normalized message: its text and accent-free text, its entities (with their spans
    in the text) and teencode expansions. ``normalize_batch_with_units(..., tokens_only=True)`` returns these for
    callers that drop the analyses once they have the tokens: a Normalized also holds the offsets and the counts,
    which cost a few microseconds a message to build and free."""

    __slots__ = ("text", "ascii", "entities", "entity_spans", "expansions")

    def __init__(self, text: str, ascii: str, entities: list[Entity], entity_spans: list[tuple[int, int]],
                 expansions: list[tuple[int, int, str]]) -> None:
        self.text, self.ascii, self.entities = text, ascii, entities
        self.entity_spans, self.expansions = entity_spans, expansions


# Obfuscation tricks counted by normalize(); a fixed list so they can be used as model features.
OBFUSCATION_KINDS = (
    "invisible",   # zero-width and control characters removed
    "fullwidth",   # compatibility forms folded (fullwidth letters, math alphanumerics, ...)
    "homoglyph",   # Cyrillic/Greek look-alikes inside Latin words
    "stray_mark",  # combining marks on letters that Vietnamese never carries (å, ö, ṱ, ẖ)
    "leet",        # digits/symbols used as letters inside words
    "spaced",      # letters spaced or dotted apart ("k h u y e n m a i")
    "repeat",      # runs of 3+ repeated letters collapsed
    "nfd",         # input was decomposed (NFD) or mixed composition
)
