"""Pieces shared by the subcommands: streams, usage errors, column detection, model loading, tables."""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any


class UsageError(Exception):
    """The command line asks for something that cannot be done; exit status 2."""


@dataclass
class Streams:
    """The three standard streams, injectable for tests. ``stdin`` may be binary or text."""

    stdin: IO[Any] = field(default_factory=lambda: sys.stdin)
    stdout: IO[str] = field(default_factory=lambda: sys.stdout)
    stderr: IO[str] = field(default_factory=lambda: sys.stderr)

    def binary_stdin(self) -> IO[Any]:
        return getattr(self.stdin, "buffer", self.stdin)

    def note(self, message: str) -> None:
        print(f"spamguard: {message}", file=self.stderr)

    def warn(self, message: str) -> None:
        print(f"spamguard: warning: {message}", file=self.stderr)


@lru_cache(maxsize=1)
def column_names() -> dict[str, Any]:
    """The recognised column names (columns.json beside this module)."""
    return json.loads((Path(__file__).with_name("columns.json")).read_text(encoding="utf-8"))


def find_column(columns: Sequence[str], candidates: Iterable[str]) -> str | None:
    """The first of ``candidates`` present in ``columns`` (case-insensitive), as spelled in ``columns``."""
    lower = {c.lower(): c for c in reversed(columns)}
    for name in candidates:
        if name.lower() in lower:
            return lower[name.lower()]
    return None


def pick_text_column(columns: Sequence[str], explicit: str | None, source: str) -> str:
    """The text column: ``explicit``, a known name, or the only column; else a UsageError naming the columns."""
    listed = ", ".join(repr(c) for c in columns) if columns else "(none)"
    if explicit:
        if explicit in columns:
            return explicit
        raise UsageError(f"{source}: no column {explicit!r}; the columns are: {listed}")
    found = find_column(columns, column_names()["text"])
    if found:
        return found
    if len(columns) == 1:
        return columns[0]
    known = ", ".join(column_names()["text"])
    raise UsageError(f"{source}: cannot find the text column (looked for {known}); the columns are: {listed}; "
                     f"name it with --text-col")


def pick_meta_columns(columns: Sequence[str], task: str, mapping: dict[str, str], source: str) -> dict[str, str]:
    """Model field -> input column for the task's metadata, explicit ``mapping`` first, then by known names."""
    known: dict[str, list[str]] = column_names()["meta"].get(task, {})
    out: dict[str, str] = {}
    for fld, aliases in known.items():
        if fld in mapping:
            continue
        found = find_column(columns, aliases)
        if found:
            out[fld] = found
    for fld, col in mapping.items():
        if fld not in known:
            raise UsageError(f"--col {fld}={col}: the {task} model takes no field {fld!r}; "
                             f"its fields are: {', '.join(known) or '(none)'}")
        if columns and col not in columns:
            raise UsageError(f"{source}: --col {fld}={col}: no column {col!r}; the columns are: "
                             f"{', '.join(repr(c) for c in columns)}")
        out[fld] = col
    return out


def parse_assignments(items: Iterable[str] | None, option: str) -> dict[str, str]:
    """Parse repeated ``KEY=VALUE`` options (each may hold several, comma-separated)."""
    out: dict[str, str] = {}
    for item in items or []:
        for part in item.split(","):
            key, sep, value = part.partition("=")
            if not sep or not key.strip() or not value.strip():
                raise UsageError(f"{option} expects KEY=VALUE, got {part!r}")
            out[key.strip()] = value.strip()
    return out


def need(module: str) -> Any:
    """Import a spamguard submodule, with a clear error if this installation lacks it."""
    from importlib import import_module

    from spamguard.errors import SpamguardError

    try:
        return import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and (exc.name == module or module.startswith(exc.name + ".")):
            raise SpamguardError(f"this installation of spamguard has no {module} module") from None
        raise


# -- models --------------------------------------------------------------------------------------------------
def _default_loader(ref: str) -> Any:
    return need("spamguard.registry").load_model(ref)


#: The function that turns a model name or path into a model. Tests replace it (monkeypatch) with a fake.
load_model: Callable[[str], Any] = _default_loader


@dataclass(frozen=True)
class ModelHandle:
    """A picklable reference to a model: worker processes load it once through ``loader`` and keep it."""

    loader: Callable[[str], Any]
    ref: str

    def get(self, freeze: bool = False) -> Any:
        key = (getattr(self.loader, "__module__", ""), getattr(self.loader, "__qualname__", repr(self.loader)),
               self.ref)
        model = _WORKER_MODELS.get(key)
        if model is None:
            model = _WORKER_MODELS[key] = self.loader(self.ref)
            if freeze:
                import gc

                gc.freeze()  # the model lives as long as the worker: keep the collector off it
        return model


_WORKER_MODELS: dict[tuple[str, str, str], Any] = {}


def model_ref(task: str | None, path: str | None) -> str:
    return path or task or "sms"


def open_model(task: str | None, path: str | None) -> tuple[Any, ModelHandle]:
    """Load the model named by ``--task``/``--model``; check it fits ``--task`` if both were given."""
    handle = ModelHandle(load_model, model_ref(task, path))
    model = handle.loader(handle.ref)
    model_task = getattr(model, "task", None)
    if task and path and model_task and model_task != task:
        raise UsageError(f"--task {task} but the model {path!r} is a {model_task!r} model")
    return model, handle


def parse_threshold(value: str | None, model: Any) -> float | str | None:
    """``--threshold``: a number for the positive class, or a named operating point of the model."""
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        points = getattr(model, "operating_points_", None)
        if isinstance(points, dict) and value not in points:
            names = ", ".join(sorted(points)) or "(none)"
            raise UsageError(f"--threshold {value!r}: the model has no such operating point; "
                             f"it has: {names}") from None
        return value
    if not 0.0 <= number <= 1.0:
        raise UsageError(f"--threshold {value}: a number must be between 0 and 1")
    return number


# -- tables --------------------------------------------------------------------------------------------------
def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


def format_table(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None, max_width: int = 60) -> str:
    """A plain-text table with a header line, columns padded to their widest cell (cut at ``max_width``)."""
    if columns is None:
        columns = list(dict.fromkeys(k for r in rows for k in r))
    cells = [[_cell(r.get(c), max_width) for c in columns] for r in rows]
    widths = [max([_width(c)] + [_width(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(v + " " * (w - _width(v)) for v, w in zip(row, widths)).rstrip())
    return "\n".join(lines)


def _cell(value: Any, max_width: int) -> str:
    if value is None:
        text = ""
    elif isinstance(value, float):
        text = f"{value:.4g}"
    elif isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= max_width else text[: max_width - 1] + "…"
