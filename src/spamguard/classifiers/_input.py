"""Turning what users pass to fit/predict (lists, dicts of columns, DataFrames, records) into columns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from spamguard.errors import InputFormatError

_BARE_STRING = "Iterable over raw text documents expected, string object received."


def _clean_text(value: Any) -> str:
    """Any cell -> str. Missing values (None, NaN) become the empty string, bytes are decoded leniently."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, float) and value != value:  # NaN
        return ""
    return str(value)


def as_columns(X: Any, optional: Sequence[str] = (), **extra: Any) -> dict[str, list]:
    """Return ``{"text": [...], <optional columns present>: [...]}`` from any supported input.

    Accepted: a list/tuple/array of texts; a mapping of column name -> sequence (must contain ``text``); a pandas
    DataFrame with a ``text`` column; a sequence of mappings (records). Keyword arguments (e.g. ``senders=``) give
    extra columns and override those found in ``X``.
    """
    if isinstance(X, (str, bytes)):
        raise ValueError(_BARE_STRING)
    columns: dict[str, list]
    if hasattr(X, "columns") and hasattr(X, "__getitem__") and not isinstance(X, Mapping):  # pandas DataFrame
        columns = {str(name): list(X[name]) for name in X.columns}
    elif isinstance(X, Mapping):
        columns = {str(name): list(values) for name, values in X.items()}
    else:
        rows = list(X) if isinstance(X, Iterable) else None
        if rows is None:
            raise InputFormatError(f"expected texts or a table with a 'text' column, got {type(X).__name__}")
        if rows and all(isinstance(r, Mapping) for r in rows):
            names = {k for r in rows for k in r}
            columns = {str(n): [r.get(n) for r in rows] for n in names}
        else:
            if isinstance(X, np.ndarray) and X.ndim != 1:
                raise InputFormatError(f"expected a 1-d sequence of texts, got an array of shape {X.shape}")
            columns = {"text": rows}
    if "text" not in columns:
        raise InputFormatError(f"the input table has no 'text' column (columns: {sorted(columns)})")
    for name, values in extra.items():
        if values is not None:
            if isinstance(values, (str, bytes)):
                raise ValueError(f"{name} must be a sequence with one value per text, got a single string")
            columns[name] = list(values)
    n = len(columns["text"])
    for name, values in columns.items():
        if len(values) != n:
            raise InputFormatError(f"column {name!r} has {len(values)} values but there are {n} texts")
    columns["text"] = [_clean_text(t) for t in columns["text"]]
    wanted = {"text", *optional}
    return {name: values for name, values in columns.items() if name in wanted}
