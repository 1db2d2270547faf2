"""Reading labelled files (for ``train`` and ``evaluate``): texts, optional metadata, and labels, all in memory."""

from __future__ import annotations

import argparse
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spamguard.batch import detect_format, open_input, open_reader
from spamguard.cli._common import (
    Streams,
    UsageError,
    column_names,
    find_column,
    parse_assignments,
    pick_meta_columns,
    pick_text_column,
)


def add_label_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--label-col", metavar="NAME", help="column with the label (default: label, labels, class, "
                   "category, y)")
    p.add_argument("--label-map", action="append", metavar="FROM=TO", help="rename labels, e.g. "
                   "--label-map 0=reliable,1=unreliable (ReINTEL)")
    p.add_argument("--format", choices=["csv", "tsv", "jsonl"], help="input format (default: from the extension)")


@dataclass
class Labelled:
    texts: list[str] = field(default_factory=list)
    meta: dict[str, list[str]] = field(default_factory=dict)
    y: list[str] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)

    @property
    def X(self) -> Any:
        return {"text": self.texts, **self.meta} if self.meta else self.texts


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_labelled(args: argparse.Namespace, streams: Streams, task: str) -> Labelled:
    """Every readable row with a text and a label; skipped rows are counted per file and reported on stderr."""
    mapping = parse_assignments(args.col, "--col")
    label_map = parse_assignments(args.label_map, "--label-map")
    if getattr(args, "sender_col", None):
        mapping["sender"] = args.sender_col
    data = Labelled()
    meta_fields: list[str] | None = None
    for path in args.data:
        if not Path(path).is_file():
            raise UsageError(f"no such file: {path!r}")
        fmt = args.format or detect_format(path)
        if fmt == "txt":
            raise UsageError(f"{path}: a plain-text file has no labels; use CSV, TSV or JSON Lines")
        with open_input(path) as stream:
            reader = open_reader(stream, fmt, name=path)
            cols = reader.columns
            if not cols:
                raise UsageError(f"{path} is empty")
            tcol = pick_text_column(cols, args.text_col, path)
            lcol = args.label_col or find_column(cols, column_names()["label"])
            if not lcol or lcol not in cols:
                raise UsageError(f"{path}: cannot find the label column{f' {lcol!r}' if lcol else ''}; the "
                                 f"columns are: {', '.join(map(repr, cols))}; name it with --label-col")
            meta = pick_meta_columns(cols, task, mapping, path)
            if meta_fields is None:
                meta_fields = list(meta)
                data.meta = {k: [] for k in meta_fields}
            elif sorted(meta) != sorted(meta_fields):
                raise UsageError(f"{path}: has metadata {sorted(meta)}, the first file had {sorted(meta_fields)}")
            used, skipped, labels = 0, Counter(), Counter()
            for rec in reader:
                if not rec.readable:
                    skipped["unreadable"] += 1
                    continue
                text, label = rec.fields.get(tcol), rec.fields.get(lcol)
                if text is None or not str(text).strip():
                    skipped["empty text"] += 1
                    continue
                if label is None or not str(label).strip():
                    skipped["no label"] += 1
                    continue
                label = str(label).strip()
                label = label_map.get(label, label)
                data.texts.append(str(text))
                data.y.append(label)
                for k, col in meta.items():
                    value = rec.fields.get(col)
                    data.meta[k].append("" if value is None else str(value))
                labels[label] += 1
                used += 1
        if skipped:
            streams.warn(f"{path}: skipped {sum(skipped.values()):,} rows ("
                         + ", ".join(f"{k}: {v:,}" for k, v in skipped.items()) + ")")
        data.files.append({"file": Path(path).name, "sha256": _sha256(path), "rows": used,
                           "skipped": sum(skipped.values()), "labels": dict(sorted(labels.items())),
                           "text_column": tcol, "label_column": lcol, "metadata": meta})
    if not data.y:
        raise UsageError("no labelled rows to use")
    return data
