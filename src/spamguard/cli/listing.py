"""``spamguard models`` and ``spamguard datasets``: what is shipped and what is on this machine."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from spamguard.cli._common import Streams, format_table, need


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("models", help="list the shipped models and their cards",
                       description="List the shipped models: name, task, classes, operating points, size.")
    p.add_argument("--json", action="store_true", help="print the full model cards as JSON")
    p.set_defaults(run=run_models)
    d = sub.add_parser("datasets", help="list the public corpora found on this machine",
                       description="List the public corpora spamguard knows and whether they are present.")
    d.add_argument("--json", action="store_true", help="print JSON")
    d.set_defaults(run=run_datasets)


def _size(path: Any) -> str:
    try:
        n = Path(path).stat().st_size
    except (OSError, TypeError):
        return ""
    return f"{n / 1e6:.1f} MB"


def run_models(args: argparse.Namespace, streams: Streams) -> int:
    models = need("spamguard.registry").list_models()
    if args.json:
        print(json.dumps(models, ensure_ascii=False, indent=2, default=str), file=streams.stdout)
        return 0
    rows = []
    for m in models:
        card = m.get("card") or {}
        points = card.get("operating_points") or card.get("thresholds") or {}
        rows.append({"name": m.get("name"), "task": card.get("task", ""),
                     "classes": ", ".join(map(str, card.get("classes", []))),
                     "operating points": ", ".join(points) if isinstance(points, dict) else "",
                     "size": _size(m.get("path")), "path": str(m.get("path", ""))})
    print(format_table(rows, ["name", "task", "classes", "operating points", "size", "path"]) if rows
          else "no models found", file=streams.stdout)
    return 0


def run_datasets(args: argparse.Namespace, streams: Streams) -> int:
    rows = need("spamguard.datasets").describe_available()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str), file=streams.stdout)
    else:
        print(format_table(rows) if rows else "no datasets known", file=streams.stdout)
    return 0
