"""The SMS model's count matrix straight from unit ids: the scoring path, without building token strings.

:func:`spamguard.features.sms.analyze` gives each message a list of ~160 token strings (syllables, their neighbour
pairs, the same with a "~" prefix from the accent-free text, entity/sender tokens), which are then hashed. Building
and hashing those strings was half the time of ``predict_proba``. Here each unit (syllable, number shape or entity
placeholder) is looked up once in a table that remembers the hashed columns of "unit" and "~unit"; the columns of
the pairs ("a_b", "~a_b") come from a table keyed by the two unit ids, computed with NumPy for the whole batch.
Only the few tokens beside the syllables are still strings. The matrix is identical to
``hash_tokens([a.tokens for a in analyze(texts, senders)], n_features)`` (tested), so no retraining is needed.

With the compiled kernels (``spamguard._speedups``, see :mod:`spamguard._compiled`) the syllable tokens are hashed
in C straight from the unit strings, with no tables (so no lock and no table memory), and the rows are counted in
C: :func:`_count_matrix_compiled`. The NumPy tables are the fallback.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Sequence
from itertools import chain

import numpy as np
import scipy.sparse as sp

from spamguard import _compiled
from spamguard._gcpause import cyclic_gc_paused
from spamguard.features import hashing
from spamguard.features.int_table import IntTable
from spamguard.features.sms import _brand_mention_tokens, _cross_tokens, _sender_tokens
from spamguard.features.word_hashes import hash_words
from spamguard.text import Normalized
from spamguard.text.fastpath import normalize_batch_with_units
from spamguard.text.tokenize import extra_tokens, filled_unit_strings_batch, number_shape, unit_string_pairs

# The tables are dropped between batches past these sizes, so memory stays bounded (see benchmarks/profile_sms.py
# for a measurement) at the cost of a cold start now and then.
_MAX_UNITS = 300_000
_MAX_WORD_KEYS = 1_000_000  # word hashes, numbers included
_MAX_PAIRS = 1_000_000
_SHIFT = 32  # pair key = first id << 32 | second id


class _Units(dict):
    """unit -> id; each new unit also gets the columns of "unit" and "~unit" and its brand category (or -1)."""

    def __init__(self, n_features: int) -> None:
        super().__init__()
        self.n_features = n_features
        self.names: list[str] = []
        self.plain = np.zeros(1024, dtype=np.int64)
        self.tilde = np.zeros(1024, dtype=np.int64)
        self.brand = np.full(1024, -1, dtype=np.int64)
        self.categories: list[str] = []
        self._mentions = _brand_mention_tokens()

    def __missing__(self, unit: str) -> int:
        if unit.isdecimal():
            # An all-digit unit is its shape ("__num6__"), as _shape_all would have written it. Not remembered here:
            # numbers rarely repeat, and the word-hash table in front of this dict remembers them more cheaply.
            return self[number_shape(unit)]
        uid = len(self.names)
        if uid == len(self.plain):
            self.plain, self.tilde, self.brand = (
                np.concatenate([a, np.full(len(a), fill, dtype=np.int64)])
                for a, fill in ((self.plain, 0), (self.tilde, 0), (self.brand, -1)))
        self.names.append(unit)
        # Computed, not through the token cache: the arrays below keep them.
        self.plain[uid], self.tilde[uid] = hashing.columns_of([unit, "~" + unit], self.n_features)
        category = self._mentions.get("~" + unit)
        if category is not None:
            if category not in self.categories:
                self.categories.append(category)
            self.brand[uid] = self.categories.index(category)
        self[unit] = uid
        return uid


class _Pairs(IntTable):
    """Pair key (first id << 32 | second id) -> column of "a_b" (or "~a_b" with a prefix)."""

    def __init__(self, units: _Units, prefix: str) -> None:
        super().__init__()
        self.units, self.prefix = units, prefix

    def columns(self, keys: np.ndarray) -> np.ndarray:
        return self.lookup(keys, self._compute)

    def _compute(self, keys: np.ndarray, _first: np.ndarray) -> np.ndarray:
        names, prefix = self.units.names, self.prefix
        tokens = [f"{prefix}{names[k >> _SHIFT]}_{names[k & 0xFFFFFFFF]}" for k in keys.tolist()]
        # Not through the token cache: this table remembers the pair, and most pairs are seen once.
        return np.asarray(hashing.columns_of(tokens, self.units.n_features), dtype=np.int64)


class _Tables:
    def __init__(self, n_features: int) -> None:
        self.units = _Units(n_features)
        self.unit_keys = IntTable()  # word hash (see word_hashes) -> unit id
        self.pairs = _Pairs(self.units, "")
        self.tilde_pairs = _Pairs(self.units, "~")

    def too_big(self) -> bool:
        return (len(self.units) > _MAX_UNITS or len(self.unit_keys) > _MAX_WORD_KEYS
                or len(self.pairs) + len(self.tilde_pairs) > _MAX_PAIRS)


_TABLES: dict[int, _Tables] = {}
# The tables are filled in several steps (a new unit's id, then its columns; a probe, then an insert): one batch at
# a time, so that scoring from several threads stays correct.
_TABLES_LOCK = threading.Lock()


def _tables(n_features: int) -> _Tables:
    tables = _TABLES.get(n_features)
    if tables is None or tables.too_big():
        tables = _TABLES[n_features] = _Tables(n_features)
    return tables


def _ids(tables: _Tables, strings: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Unit ids of the space-separated units of all strings, flattened, and the row (string) of each."""
    units = tables.units
    words = hash_words(strings)
    ids = np.empty(len(words.keys), dtype=np.int64)
    hashed = np.flatnonzero(words.keys >= 0)

    def new_units(_keys: np.ndarray, first: np.ndarray) -> np.ndarray:
        return np.fromiter((units[words.word(k)] for k in hashed[first].tolist()), dtype=np.int64, count=len(first))

    ids[hashed] = tables.unit_keys.lookup(words.keys[hashed], new_units)
    for k in np.flatnonzero(words.keys < 0).tolist():  # long words: by string
        ids[k] = units[words.word(k)]
    return ids, words.rows


def _pair_columns(pairs: _Pairs, ids: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Columns and rows of the neighbour pairs (pairs never cross from one message to the next)."""
    inside = rows[1:] == rows[:-1]
    keys = (ids[:-1][inside] << _SHIFT) | ids[1:][inside]
    return pairs.columns(keys), rows[:-1][inside]


def _mentioned(rows: np.ndarray, categories: np.ndarray, names: list[str]) -> dict[int, set[str]]:
    """Row -> names of the brand categories its syllables mention."""
    mentioned: dict[int, set[str]] = {}
    for row, b in zip(rows.tolist(), categories.tolist()):
        mentioned.setdefault(row, set()).add(names[b])
    return mentioned


def _extras(norms: Sequence[Normalized], sender_info: list, mentioned: dict[int, set[str]]
            ) -> tuple[list[list[str]], list[int]]:
    """Per message the tokens that are not syllables: entity attributes, expansions, sender and cross tokens."""
    table = _brand_mention_tokens()
    out = []
    for row, (norm, (s_tokens, s_kind, s_brand)) in enumerate(zip(norms, sender_info)):
        tokens = extra_tokens(norm) if norm.entities or norm.expansions else []
        mentions = mentioned.get(row)
        if norm.expansions:  # expansion tokens may name a brand too ("~vietcombank")
            extra = {table[t] for t in tokens if t in table}
            mentions = (mentions or set()) | extra if extra else mentions
        tokens += s_tokens
        if norm.entities:
            tokens += _cross_tokens(norm, s_kind, s_brand)
        if mentions:
            tokens += [f"__x_{s_kind}_mentions_{category}__" for category in sorted(mentions)]
        out.append(tokens)
    return out, [len(t) for t in out]


def _extra_columns(extras: list[list[str]], lengths: list[int], n_features: int) -> np.ndarray:
    return np.fromiter(map(hashing._cache(n_features).__getitem__, chain.from_iterable(extras)),
                       dtype=np.int64, count=sum(lengths))


def count_matrix(texts: Sequence[str], senders: Sequence[str | None] | None, n_features: int) -> sp.csr_matrix:
    """Token counts of a batch in ``n_features`` hashed columns, as the SMS model sees them.

    Messages repeated in the batch (same text and sender: bulk campaigns, copies of one notice) are analyzed once.
    """
    texts = list(texts)
    senders = None if senders is None else list(senders)
    rows = _first_copies(texts, senders)
    if rows is not None:
        unique = sorted(set(rows))
        matrix = count_matrix([texts[i] for i in unique], None if senders is None else [senders[i] for i in unique],
                              n_features)
        position = {row: k for k, row in enumerate(unique)}
        return matrix[[position[row] for row in rows]]
    with cyclic_gc_paused():
        norms, units = normalize_batch_with_units(texts, tokens_only=True)
        info = _sender_tokens(senders, len(norms))
        matrix = None
        # A lone surrogate left in a unit has no UTF-8 (normalization removes them), or an entity span the kernel
        # cannot cut: the pure path then decides.
        with contextlib.suppress(UnicodeEncodeError, ValueError):
            if _compiled.speedups is not None:
                matrix = _count_matrix_compiled(norms, info, n_features, units)
        if matrix is None:
            with _TABLES_LOCK:
                matrix = _count_matrix(norms, info, n_features, units)
        # Free the analyses while the collector is paused: left alive, they would be the first thing it scans.
        del norms, units
    return matrix


def _first_copies(texts: list, senders: list | None) -> list[int] | None:
    """For each message, the index of its first copy in the batch; None when every message is distinct."""
    keys = texts if senders is None else list(zip(texts, senders))
    first: dict = {}
    try:
        rows = [first.setdefault(key, i) for i, key in enumerate(keys)]
    except TypeError:  # an unhashable cell: normalize_batch reports it
        return None
    return rows if len(first) < len(rows) else None


def _count_matrix(norms: list[Normalized], sender_info: list, n_features: int,
                  lane_units: list[tuple[str, str] | None] | None = None) -> sp.csr_matrix:
    tables = _tables(n_features)
    units = tables.units
    filled = filled_unit_strings_batch(norms, shape=False, units=lane_units)
    plain_ids, plain_rows = _ids(tables, [u for u, _ in filled])
    # The accent-free units of a message without diacritics are its units: look up only the others.
    differ = [i for i, (u, a) in enumerate(filled) if a is not u]
    other_ids, other_rows = _ids(tables, [filled[i][1] for i in differ])
    same = np.ones(len(norms), dtype=bool)
    same[differ] = False
    same_units = same[plain_rows]
    ascii_ids = np.concatenate([plain_ids[same_units], other_ids])
    ascii_rows = np.concatenate([plain_rows[same_units], np.asarray(differ, dtype=np.int64)[other_rows]])
    pair_cols, pair_rows = _pair_columns(tables.pairs, plain_ids, plain_rows)
    tilde_pair_cols, tilde_pair_rows = _pair_columns(tables.tilde_pairs, ascii_ids, ascii_rows)
    brand = units.brand[ascii_ids]
    hits = brand >= 0
    extras, extra_lengths = _extras(norms, sender_info, _mentioned(ascii_rows[hits], brand[hits], units.categories))
    extra_cols = _extra_columns(extras, extra_lengths, n_features)
    extra_rows = np.repeat(np.arange(len(norms)), extra_lengths)
    columns = np.concatenate([units.plain[plain_ids], pair_cols, units.tilde[ascii_ids], tilde_pair_cols, extra_cols])
    rows = np.concatenate([plain_rows, pair_rows, ascii_rows, tilde_pair_rows, extra_rows])
    matrix = sp.csr_matrix((np.ones(len(columns)), (rows, columns)), shape=(len(norms), n_features))
    matrix.sum_duplicates()  # repeated tokens in a message become counts
    return matrix


@functools.cache
def _mention_keys() -> tuple[list[str], tuple[tuple[bytes, int], ...]]:
    """Brand categories, and the UTF-8 of each mention token with its category's index (for the C kernel)."""
    table = _brand_mention_tokens()
    names = sorted(set(table.values()))
    return names, tuple((token.encode(), names.index(category)) for token, category in table.items())


def _count_matrix_compiled(norms: list[Normalized], sender_info: list, n_features: int,
                           lane_units: list[tuple[str, str] | None] | None = None) -> sp.csr_matrix:
    """_count_matrix() with the syllable tokens hashed and the rows counted by the C kernels: no tables, no lock."""
    kernels = _compiled.speedups
    pairs, filled = unit_string_pairs(norms, lane_units, shape=False)
    # The kernel cuts the entities in (except where the strings come filled already).
    spans = [norm.entity_spans if norm.entity_spans and i not in filled else None for i, norm in enumerate(norms)]
    names, mention_keys = _mention_keys()
    unit_cols, unit_lengths, hits = kernels.unit_columns(
        [u for u, _ in pairs], [None if a is u else a for u, a in pairs], n_features, mention_keys, spans,
        [norm.entities for norm in norms])
    mentioned: dict[int, set[str]] = {}
    for row, category in hits:
        mentioned.setdefault(row, set()).add(names[category])
    extras, extra_lengths = _extras(norms, sender_info, mentioned)
    extra_cols = _extra_columns(extras, extra_lengths, n_features)
    indptr, indices, counts = kernels.csr_counts(unit_cols, unit_lengths, extra_cols,
                                                 np.asarray(extra_lengths, dtype=np.int64))
    matrix = sp.csr_matrix((np.frombuffer(counts, dtype=np.float64), np.frombuffer(indices, dtype=np.int64),
                            np.frombuffer(indptr, dtype=np.int64)), shape=(len(norms), n_features))
    matrix.has_canonical_format = True  # sorted, no repeats: what sum_duplicates() would leave
    return matrix
