"""Post features: capped text, engagement and time signals, and an out-of-fold author prior.

Social-media exports are messy: counts arrive as "54 like", "1.2k", "unknown", empty cells or text that slipped from
another column. Every such value becomes *missing* (NaN) here, never an error, and each block has a missing flag, so
the model learns what a missing count means instead of reading it as zero.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from spamguard.cleaning import parse_count, parse_timestamp

# Long posts: the head carries the claim, the tail often the source ("Nguồn: ..."); the middle is skipped so a
# 20,000-character essay costs about as much as a 3,300-character post.
HEAD_CHARS = 3000
TAIL_CHARS = 300

ENGAGEMENT_COLUMNS = ("likes", "comments", "shares")
META_NAMES = (
    "log_likes", "log_comments", "log_shares",
    "comments_per_like", "shares_per_like",
    "years_since_2020", "hour", "weekday",
)
ENGAGEMENT_FEATURES = META_NAMES[:5]
TIME_FEATURES = META_NAMES[5:]
_EPOCH_2020 = 1577836800.0  # 2020-01-01T00:00:00Z
_VIETNAM_UTC_OFFSET = 7 * 3600
_NON_WORD = re.compile(r"[\W_]+")
_MISSING_AUTHORS = {"", "unknown", "none", "null", "nan", "n/a", "na", "-", "?", "anonymous"}


def cap_text(text: str, head: int = HEAD_CHARS, tail: int = TAIL_CHARS) -> str:
    """The first ``head`` and the last ``tail`` characters of a long text (the whole text when it is short)."""
    if len(text) <= head + tail:
        return text
    return text[:head] + "\n…\n" + text[-tail:]


def _column(columns: dict[str, list], name: str, n: int) -> list[Any]:
    values = columns.get(name)
    return list(values) if values is not None else [None] * n


def _safe(parse: Any, value: Any) -> float:
    try:
        number = float(parse(value))
    except (TypeError, ValueError, OverflowError):
        return math.nan
    return number if math.isfinite(number) else math.nan


def meta_matrix(columns: dict[str, list]) -> np.ndarray:
    """Engagement and time features (columns named by ``META_NAMES``), NaN where the value is missing or junk.

    Times are read as Unix seconds or ISO dates; hour and weekday are Vietnam local time (UTC+7).
    """
    n = len(columns["text"])
    counts = np.array([[_safe(parse_count, v) for v in _column(columns, name, n)] for name in ENGAGEMENT_COLUMNS],
                      dtype=np.float64).reshape(3, n).T
    out = np.full((n, len(META_NAMES)), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        out[:, 0:3] = np.log1p(counts)
        out[:, 3] = np.log1p(counts[:, 1]) - np.log1p(counts[:, 0])
        out[:, 4] = np.log1p(counts[:, 2]) - np.log1p(counts[:, 0])
    stamps = np.array([_safe(parse_timestamp, v) for v in _column(columns, "timestamp", n)], dtype=np.float64)
    # Implausible times (before 2004 or after 2035) are junk that parsed as a number.
    stamps[(stamps < 1.07e9) | (stamps > 2.06e9)] = np.nan
    local = stamps + _VIETNAM_UTC_OFFSET
    hour = (local % 86400) / 3600.0
    weekday = ((local // 86400) + 3) % 7  # 1970-01-01 was a Thursday (3 with Monday = 0)
    out[:, 5] = (stamps - _EPOCH_2020) / (365.25 * 86400)
    out[:, 6] = hour
    out[:, 7] = weekday
    return out


def author_keys(columns: dict[str, list]) -> list[str | None]:
    """One key per post: the author as a stripped string, or None when unknown."""
    n = len(columns["text"])
    keys: list[str | None] = []
    for value in _column(columns, "author", n):
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            keys.append(None)
            continue
        key = str(value).strip()
        keys.append(None if key.lower() in _MISSING_AUTHORS else key)
    return keys


class AuthorPrior:
    """Smoothed target encoding of the author plus the author's number of training posts.

    ``encode`` returns two columns: the log-odds of ``(positives + smoothing * prior) / (posts + smoothing)`` minus
    the prior's log-odds (0 for an unseen author) and ``log1p(posts)``. Learned on training rows only; use
    :func:`out_of_fold_author_features` to get training features without label leakage.
    """

    def __init__(self, smoothing: float = 5.0):
        self.smoothing = smoothing

    def fit(self, keys: Sequence[str | None], positive: np.ndarray) -> AuthorPrior:
        positive = np.asarray(positive, dtype=np.float64)
        self.prior_ = float(np.clip(positive.mean() if len(positive) else 0.5, 1e-3, 1 - 1e-3))
        stats: dict[str, list[float]] = {}
        for key, pos in zip(keys, positive):
            if key is not None:
                entry = stats.setdefault(key, [0.0, 0.0])
                entry[0] += 1.0
                entry[1] += pos
        self.authors_ = sorted(stats)
        self.posts_ = np.array([stats[k][0] for k in self.authors_], dtype=np.float64)
        self.positives_ = np.array([stats[k][1] for k in self.authors_], dtype=np.float64)
        return self

    def encode(self, keys: Sequence[str | None], scale: float = 1.0) -> np.ndarray:
        index = {k: i for i, k in enumerate(self.authors_)}
        rows = np.array([index.get(k, -1) if k is not None else -1 for k in keys], dtype=np.int64)
        seen = rows >= 0
        posts = np.where(seen, self.posts_[rows] if len(self.authors_) else 0.0, 0.0) * scale
        positives = np.where(seen, self.positives_[rows] if len(self.authors_) else 0.0, 0.0) * scale
        rate = (positives + self.smoothing * self.prior_) / (posts + self.smoothing)
        logit = np.log(rate / (1 - rate)) - math.log(self.prior_ / (1 - self.prior_))
        return np.column_stack([logit, np.log1p(posts)])

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {"authors": np.asarray(self.authors_, dtype=str), "posts": self.posts_, "positives": self.positives_}

    @classmethod
    def from_arrays(cls, smoothing: float, prior: float, arrays: dict[str, np.ndarray]) -> AuthorPrior:
        prior_model = cls(smoothing)
        prior_model.prior_ = float(prior)
        prior_model.authors_ = [str(a) for a in arrays["authors"]]
        prior_model.posts_ = np.asarray(arrays["posts"], dtype=np.float64)
        prior_model.positives_ = np.asarray(arrays["positives"], dtype=np.float64)
        return prior_model


def out_of_fold_author_features(keys: Sequence[str | None], positive: np.ndarray, folds: Sequence[np.ndarray],
                                smoothing: float) -> np.ndarray:
    """Author features for training rows, each computed from the other folds only (scaled to the full set's size)."""
    out = np.zeros((len(keys), 2))
    n = len(keys)
    for test in folds:
        train = np.setdiff1d(np.arange(n), test)
        prior = AuthorPrior(smoothing).fit([keys[i] for i in train], positive[train])
        out[test] = prior.encode([keys[i] for i in test], scale=n / max(len(train), 1))
    return out


def duplicate_groups(texts: Sequence[str], key_chars: int = 80, min_chars: int = 20) -> np.ndarray:
    """Group ids joining exact and near duplicates: posts sharing their first or last ``key_chars`` letters/digits
    (case-folded, punctuation and spacing ignored) land in one group, transitively."""
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_seen: dict[str, int] = {}
    for i, text in enumerate(texts):
        key = _NON_WORD.sub("", text.casefold())
        for part in {"h" + key[:key_chars], "t" + key[-key_chars:]}:
            if len(part) <= min_chars:
                continue
            if part in first_seen:
                parent[find(i)] = find(first_seen[part])
            else:
                first_seen[part] = i
    return np.array([find(i) for i in range(len(texts))], dtype=np.int64)


class QuantileBins:
    """One-hot bins of each column at training quantiles, plus one bin per column for missing values."""

    def __init__(self, n_bins: int = 8):
        self.n_bins = n_bins

    def fit(self, X: np.ndarray) -> QuantileBins:
        self.edges_ = []
        for column in np.asarray(X, dtype=np.float64).T:
            known = column[~np.isnan(column)]
            cuts = np.quantile(known, np.linspace(0, 1, self.n_bins + 1)[1:-1]) if known.size else np.array([])
            self.edges_.append(np.unique(cuts))
        return self

    @property
    def widths(self) -> list[int]:
        return [len(e) + 2 for e in self.edges_]  # bins between cuts, +1 above the last cut, +1 missing

    def transform(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        out = np.zeros((X.shape[0], sum(self.widths)))
        start = 0
        rows = np.arange(X.shape[0])
        for j, (edges, width) in enumerate(zip(self.edges_, self.widths)):
            column = X[:, j]
            missing = np.isnan(column)
            index = np.where(missing, width - 1, np.searchsorted(edges, np.where(missing, 0.0, column), side="right"))
            out[rows, start + index] = 1.0
            start += width
        return out

    def to_arrays(self) -> dict[str, np.ndarray]:
        lengths = np.array([len(e) for e in self.edges_], dtype=np.int64)
        flat = np.concatenate(self.edges_) if self.edges_ else np.zeros(0)
        return {"edges": flat.astype(np.float64), "edge_counts": lengths}

    @classmethod
    def from_arrays(cls, n_bins: int, arrays: dict[str, np.ndarray]) -> QuantileBins:
        bins = cls(n_bins)
        bounds = np.concatenate([[0], np.cumsum(arrays["edge_counts"])])
        bins.edges_ = [np.asarray(arrays["edges"][a:b], dtype=np.float64) for a, b in zip(bounds[:-1], bounds[1:])]
        return bins
