"""Teencode and SMS abbreviations (``ko`` -> ``không``, ``stk`` -> ``số tài khoản``) from ``data/teencode.tsv``.

Expansions are added information: the text keeps the word as written. A key right after a number is skipped,
because there it is a unit ("500k", "500 k" is money, "10 h" is a time).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from operator import itemgetter
from pathlib import Path

from spamguard.text import lane


def _load() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    path = Path(__file__).with_name("data") / "teencode.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        key, expansion = line.split("\t")[:2]
        table.setdefault(key, []).append(expansion)
    return {k: tuple(v) for k, v in table.items()}


TEENCODE = _load()
TEENCODE_KEYS = frozenset(TEENCODE)
_SORTED_KEYS = tuple(sorted(TEENCODE_KEYS))
_LANE_KEYS = tuple(lane.encode(k) or b"\x00" for k in _SORTED_KEYS)  # (a key outside the lane matches nothing)
_EXPANSIONS = tuple(TEENCODE[k] for k in _SORTED_KEYS)
_KEYS = re.compile(
    r"(?<![\w@$])(?:" + "|".join(map(re.escape, sorted(TEENCODE, key=len, reverse=True))) + r")(?![\w@])"
)


def _after_number(text: str, start: int) -> bool:
    """True if a number ends just before ``start`` (spaces allowed): "500 k" is money, "10 h" a time."""
    j = start - 1
    while j >= 0 and text[j].isspace():
        j -= 1
    while j >= 0 and text[j] in ".,":
        j -= 1
    return j >= 0 and text[j].isdigit()


def find_expansions(text: str, spans: list[tuple[int, int]] = ()) -> list[tuple[int, int, str]]:
    """``(start, end, expansion)`` for each teencode word of a lower-case text, outside the given spans."""
    out = []
    spans = sorted(spans)
    starts = [s for s, _ in spans]
    for m in _KEYS.finditer(text):
        start, end = m.span()
        i = bisect_right(starts, end - 1) - 1
        if i >= 0 and spans[i][1] > start:
            continue
        if start and _after_number(text, start):
            continue
        out.extend((start, end, expansion) for expansion in TEENCODE[m.group()])
    return out


def _overlaps(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of the sorted, disjoint ``spans`` (``starts`` are theirs)."""
    i = bisect_right(starts, end - 1) - 1
    return i >= 0 and spans[i][1] > start


def expansions_in_units(text: str, unit_str: str, hits: Iterable[str], spans: list[tuple[int, int]] = ()
                        ) -> list[tuple[int, int, str]]:
    """find_expansions() for lane text, given its unit string (same length, non-units blanked) and the keys in it."""
    padded = f" {unit_str} "
    if spans:
        spans = sorted(spans)
        starts = [s for s, _ in spans]
    n = len(text)
    out = []
    for key in hits:
        needle = f" {key} "
        pos = padded.find(needle)
        size = len(key)
        while pos >= 0:
            start, end = pos, pos + size
            pos = padded.find(needle, end + 1)
            if start and text[start - 1] in "@$_" or end < n and text[end] in "@_":
                continue
            if spans and _overlaps(spans, starts, start, end):
                continue
            if start and _after_number(text, start):
                continue
            out.extend([(start, end, expansion) for expansion in TEENCODE[key]])
    if len(out) > 1:
        out.sort(key=itemgetter(0))
    return out


def outside_spans(expansions: list[tuple[int, int, str]], spans: list[tuple[int, int]] = ()
                  ) -> list[tuple[int, int, str]]:
    """The expansions (in text order, each key's expansions in table order, as the lane kernel lists them, with the
    checks on their neighbours done) that do not overlap an entity span."""
    if not spans:
        return expansions
    spans = sorted(spans)
    starts = [s for s, _ in spans]
    return [x for x in expansions if not _overlaps(spans, starts, x[0], x[1])]


def expansions_in_lane(units: bytes, data: bytes, lengths: list[int]
                       ) -> tuple[dict[int, list[tuple[int, int, str]]], set[str]] | None:
    """For lane messages joined by one separator byte (see :func:`spamguard.text.lane.words_batch`): per message
    the ``(start, end, expansion)`` of its teencode words, entity spans not ruled out yet (see
    :func:`outside_spans`), and the distinct words that are not ASCII. None when the compiled kernel is not there."""
    return lane.words_batch(units, data, lengths, _LANE_KEYS, _EXPANSIONS)
