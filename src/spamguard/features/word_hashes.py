"""The whitespace-separated words of many strings, found and hashed with NumPy instead of split() + dict lookups.

The strings are joined with newlines and viewed as an array of code points. Word boundaries are where blank and
non-blank characters meet; each word's 63-bit key is a polynomial hash of its code points (modulo 2**64), summed per
word with ``np.add.reduceat`` from each character times a power of the base given by its place in its word. A word
longer than LONG_WORD characters gets no key (-1): its caller looks it up by string, which also rules out the long
crafted strings that collide under any polynomial hash modulo 2**64.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LONG_WORD = 48
_BASE = 0x100000001B3
_MIX = np.uint64(0x9E3779B97F4A7C15)
_BLANK_LATIN1 = np.array([chr(i).isspace() for i in range(256)], dtype=bool)
_BLANK_OTHER = np.array([i for i in range(256, 0x3001) if chr(i).isspace()], dtype=np.uint32)


def _geometric(base: int, size: int) -> np.ndarray:
    factors = np.full(size, base, dtype=np.uint64)
    factors[0] = 1
    with np.errstate(over="ignore"):
        return np.cumprod(factors, dtype=np.uint64)


_POWERS = _geometric(_BASE, LONG_WORD + 1)  # BASE**k modulo 2**64 for a character k places into its word


@dataclass
class HashedWords:
    text: str            # the strings joined with "\n" (a blank)
    starts: np.ndarray   # where each word starts in ``text``
    ends: np.ndarray
    rows: np.ndarray     # which string each word came from
    keys: np.ndarray     # 63-bit hash of each word, or -1 for a word longer than LONG_WORD

    def word(self, k: int) -> str:
        return self.text[self.starts[k]:self.ends[k]]


def hash_words(strings: list[str]) -> HashedWords:
    """Words of each string as str.split() finds them, with their keys."""
    text = "\n".join(strings)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    blank = _BLANK_LATIN1[np.minimum(codes, 255)]
    if len(codes) and codes.max() >= 0x1680:
        blank |= np.isin(codes, _BLANK_OTHER)
    edges = np.diff(np.concatenate(([0], (~blank).view(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    keys = np.zeros(len(starts), dtype=np.int64)
    rows = np.zeros(len(starts), dtype=np.int64)
    if len(starts):
        string_starts = np.cumsum([0, *(len(s) + 1 for s in strings)])[:-1]
        rows = np.searchsorted(string_starts, starts, side="right") - 1  # a newline inside a string is just blank
        word_start = np.zeros(len(codes), dtype=np.int64)
        word_start[starts] = starts
        place = np.arange(len(codes)) - np.maximum.accumulate(word_start)  # a character's place in its word
        terms = codes.astype(np.uint64) * _POWERS[np.minimum(place, LONG_WORD)]
        bounds = np.empty(2 * len(starts), dtype=np.int64)
        bounds[0::2], bounds[1::2] = starts, ends
        if bounds[-1] == len(codes):
            bounds = bounds[:-1]  # reduceat's last segment runs to the end anyway
        hashed = np.add.reduceat(terms, bounds)[0::2]
        lengths = ends - starts
        with np.errstate(over="ignore"):
            hashed = (hashed ^ (lengths.astype(np.uint64) << np.uint64(40))) * _MIX
        keys = (hashed >> np.uint64(1)).astype(np.int64)
        keys[lengths > LONG_WORD] = -1
    return HashedWords(text, starts, ends, rows, keys)
