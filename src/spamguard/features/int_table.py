"""A hash table from non-negative int64 keys to int64 values, looked up and filled a whole array at a time.

A Python dict costs 100 ns to over 1 µs a lookup once it holds hundreds of thousands of int keys (each lookup is
several cache misses plus a Python int per key). This table is two NumPy arrays with linear probing: a lookup of
N keys is a few vectorized gathers, one per probe step, with no Python object per key.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

_EMPTY = -1
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: spreads consecutive ids over the slots


class IntTable:
    """``lookup(keys, compute)``: the value of each key; ``compute(new_keys, first)`` is called once with the keys
    not seen yet (unique, as an int64 array) and the index in ``keys`` of the first occurrence of each, and returns
    their values, which are then remembered."""

    def __init__(self, bits: int = 16) -> None:
        self._allocate(bits)
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def _allocate(self, bits: int) -> None:
        self.bits = bits
        self.keys = np.full(1 << bits, _EMPTY, dtype=np.int64)
        self.values = np.zeros(1 << bits, dtype=np.int64)

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        return ((keys.astype(np.uint64) * _MULTIPLIER) >> np.uint64(64 - self.bits)).astype(np.int64)

    def _probe(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Slot of each key (where it is, or the empty slot where its probe ended) and whether it was found."""
        mask = (1 << self.bits) - 1
        slots = self._slots(keys)
        found = np.zeros(len(keys), dtype=bool)
        pending = np.arange(len(keys))
        while pending.size:
            at = slots[pending]
            held = self.keys[at]
            hit = held == keys[pending]
            found[pending[hit]] = True
            pending = pending[~hit & (held != _EMPTY)]
            slots[pending] = (slots[pending] + 1) & mask
        return slots, found

    def _insert(self, keys: np.ndarray, values: np.ndarray) -> None:
        """Insert keys that are unique and not in the table yet."""
        mask = (1 << self.bits) - 1
        slots = self._slots(keys)
        pending = np.arange(len(keys))
        while pending.size:
            at = slots[pending]
            free = self.keys[at] == _EMPTY
            # Several keys may reach the same free slot in one step: the first of them takes it.
            taken, first = np.unique(at[free], return_index=True)
            winners = pending[free][first]
            self.keys[taken] = keys[winners]
            self.values[taken] = values[winners]
            placed = np.zeros(len(keys), dtype=bool)
            placed[winners] = True
            pending = pending[~placed[pending]]
            slots[pending] = (slots[pending] + 1) & mask
        self.size += len(keys)

    def lookup(self, keys: np.ndarray, compute: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
        keys = np.asarray(keys, dtype=np.int64)
        if keys.size and keys.min() < 0:
            raise ValueError("IntTable keys must be non-negative")
        slots, found = self._probe(keys)
        if not found.all():
            missing = np.flatnonzero(~found)
            new, first = np.unique(keys[missing], return_index=True)
            if 2 * (self.size + len(new)) > len(self.keys):
                self._grow(self.size + len(new))
            self._insert(new, np.asarray(compute(new, missing[first]), dtype=np.int64))
            slots, found = self._probe(keys)
        return self.values[slots]

    def _grow(self, needed: int) -> None:
        """Re-allocate so the table is at most half full, and re-insert what it holds."""
        held = self.keys != _EMPTY
        keys, values = self.keys[held], self.values[held]
        bits = self.bits
        while (1 << bits) < 2 * needed:
            bits += 1
        self._allocate(bits)
        self.size = 0
        self._insert(keys, values)
