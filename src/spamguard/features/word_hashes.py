"""The whitespace-separated words of many strings, found and hashed with NumPy instead of split() + dict lookups.

The strings are joined with newlines and viewed as an array of code points. Word boundaries are where blank and
non-blank characters meet; each word's 63-bit key is a polynomial hash of its code points, computed for all words
at once from prefix sums (modulo 2**64, with powers of the inverse base so that the hash of a word does not depend
on where it sits). A word longer than LONG_WORD characters gets no key (-1): its caller looks it up by string, which
rules out the long crafted strings that collide under any polynomial hash modulo 2**64.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LONG_WORD = 48
_BASE = 0x100000001B3
_BASE_INV = pow(_BASE, -1, 2**64)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_BLANK_LATIN1 = np.array([chr(i).isspace() for i in range(256)], dtype=bool)
_BLANK_OTHER = np.array([i for i in range(256, 0x3001) if chr(i).isspace()], dtype=np.uint32)
_powers = np.ones(1, dtype=np.uint64)
_inverse_powers = np.ones(1, dtype=np.uint64)


def _power_tables(n: int) -> tuple[np.ndarray, np.ndarray]:
    """BASE**k and BASE**-k modulo 2**64 for k < n (grown on demand; uint64 arithmetic wraps)."""
    global _powers, _inverse_powers
    if len(_powers) < n:
        size = max(n, 2 * len(_powers))
        _powers, _inverse_powers = (_geometric(base, size) for base in (_BASE, _BASE_INV))
    return _powers, _inverse_powers


def _geometric(base: int, size: int) -> np.ndarray:
    factors = np.full(size, base, dtype=np.uint64)
    factors[0] = 1
    with np.errstate(over="ignore"):
        return np.cumprod(factors, dtype=np.uint64)


@dataclass
class HashedWords:
    text: str            # the strings joined with "\n"
    starts: np.ndarray   # where each word starts in ``text``
    ends: np.ndarray
    rows: np.ndarray     # which string each word came from
    keys: np.ndarray     # 63-bit hash of each word, or -1 for a word longer than LONG_WORD

    def word(self, k: int) -> str:
        return self.text[self.starts[k]:self.ends[k]]


def hash_words(strings: list[str]) -> HashedWords | None:
    """Words of each string as str.split() finds them, with their keys; None if a string holds a newline."""
    text = "\n".join(strings)
    if text.count("\n") != max(len(strings) - 1, 0):
        return None
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    blank = _BLANK_LATIN1[np.minimum(codes, 255)]
    if len(codes) and codes.max() >= 0x1680:
        blank |= np.isin(codes, _BLANK_OTHER)
    edges = np.diff(np.concatenate(([0], (~blank).view(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    rows = np.cumsum(codes == 10)[starts] if len(starts) else np.zeros(0, dtype=np.int64)
    powers, inverse = _power_tables(len(codes) + 1)
    prefix = np.zeros(len(codes) + 1, dtype=np.uint64)
    np.cumsum(codes.astype(np.uint64) * inverse[: len(codes)], out=prefix[1:])
    lengths = ends - starts
    hashed = (prefix[ends] - prefix[starts]) * powers[ends - 1] if len(starts) else np.zeros(0, dtype=np.uint64)
    hashed = (hashed ^ (lengths.astype(np.uint64) << np.uint64(40))) * _MIX
    keys = (hashed >> np.uint64(1)).astype(np.int64)
    keys[lengths > LONG_WORD] = -1
    return HashedWords(text, starts, ends, rows.astype(np.int64), keys)
