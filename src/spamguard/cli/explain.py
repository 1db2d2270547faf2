"""``spamguard explain "text"``: the label, the scores and the reasons behind them, as a readable table."""

from __future__ import annotations

import argparse
import json
from typing import Any

from spamguard.cli._common import Streams, UsageError, format_table, open_model, parse_assignments
from spamguard.cli.score import add_model_options


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("explain", help="explain the score of one message",
                       description="Show why a message or post scored as it did: reasons in plain language and "
                                   "the weighted features with the part of the text they come from.")
    p.add_argument("text", help="the message (- reads it from stdin)")
    add_model_options(p)
    p.add_argument("--sender", help="the SMS sender (brandname, shortcode or phone number)")
    p.add_argument("--field", action="append", metavar="NAME=VALUE", help="other model fields, e.g. --field "
                   "likes=120 (posts)")
    p.add_argument("--top-k", type=int, default=5, help="number of features to show (default 5)")
    p.add_argument("--json", action="store_true", help="print the explanation as JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, streams: Streams) -> int:
    text = args.text
    if text == "-":
        raw = streams.stdin.read()
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    if not text.strip():
        raise UsageError("the text to explain is empty")
    fields = parse_assignments(args.field, "--field")
    if args.sender is not None:
        fields["sender"] = args.sender
    model, _ = open_model(args.task, args.model)
    X: Any = {"text": [text], **{k: [v] for k, v in fields.items()}} if fields else [text]
    result = model.explain(X, top_k=args.top_k)[0]
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2), file=streams.stdout)
        return 0
    print(render(text, result), file=streams.stdout)
    return 0


def render(text: str, result: dict[str, Any]) -> str:
    """A readable explanation: label and scores, numbered reasons, then a table of weighted features."""
    scores = result.get("scores", {})
    lines = [f"label: {result.get('label')}   (" + ", ".join(f"{k} {float(v):.3f}" for k, v in scores.items()) + ")"]
    reasons = result.get("reasons") or []
    lines.append("")
    lines.append("reasons:" if reasons else "reasons: none found")
    lines.extend(f"  {i}. {r}" for i, r in enumerate(reasons, 1))
    features = result.get("features") or []
    if features:
        rows = []
        for f in features:
            spans = f.get("spans") or []
            where = " | ".join(text[s:e] for s, e in spans[:3]) if spans else ""
            rows.append({"weight": f"{float(f.get('weight', 0.0)):+.3f}", "feature": f.get("feature", ""),
                         "in the text": where})
        lines.append("")
        lines.append(format_table(rows, ["weight", "feature", "in the text"]))
    return "\n".join(lines)
