"""``spamguard evaluate``: score labelled files and print the metrics table (optionally plot the curves)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from spamguard.cli._common import Streams, UsageError, need, open_model, parse_threshold
from spamguard.cli._labelled import add_label_options, read_labelled
from spamguard.cli._scoring import decide_labels
from spamguard.cli.score import DEFAULT_CHUNK, add_model_options


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help="metrics of a model on labelled files",
                       description="Score labelled files with a model and print ROC-AUC, PR-AUC, per-class F1 and "
                                   "recall at fixed false-positive rates.")
    p.add_argument("data", nargs="+", metavar="DATA", help="labelled files (.csv .tsv .jsonl)")
    add_model_options(p)
    p.add_argument("--text-col", metavar="NAME", help="column with the text")
    p.add_argument("--sender-col", metavar="NAME", help="column with the SMS sender")
    p.add_argument("--col", action="append", metavar="FIELD=NAME", help="map a model field to a column")
    add_label_options(p)
    p.add_argument("--threshold", help="operating point for the predicted labels (name or probability)")
    p.add_argument("--json", action="store_true", help="print the metrics as JSON")
    p.add_argument("--plot", metavar="FILE.png", help="draw ROC and precision-recall curves and the confusion "
                   "matrix (needs matplotlib: pip install 'spamguard[plot]')")
    p.set_defaults(run=run)


def _slice(X: Any, start: int, stop: int) -> Any:
    if isinstance(X, dict):
        return {k: v[start:stop] for k, v in X.items()}
    return X[start:stop]


def run(args: argparse.Namespace, streams: Streams) -> int:
    import numpy as np

    if args.plot:
        from spamguard.plots import require_matplotlib

        require_matplotlib()  # fail before the slow part
    model, _ = open_model(args.task, args.model)
    task = getattr(model, "task", None) or args.task or "sms"
    classes = [str(c) for c in model.classes_]
    threshold = parse_threshold(args.threshold, model)
    data = read_labelled(args, streams, task)
    unknown = sorted(set(data.y) - set(classes))
    if unknown:
        raise UsageError(f"labels {', '.join(map(repr, unknown))} are not classes of the model "
                         f"({', '.join(classes)}); rename them with --label-map FROM=TO")
    X, n = data.X, len(data.y)
    proba_parts, pred_parts = [], []
    for start in range(0, n, DEFAULT_CHUNK):
        part = _slice(X, start, start + DEFAULT_CHUNK)
        proba = np.asarray(model.predict_proba(part), dtype=float)
        proba_parts.append(proba)
        pred_parts.append(np.asarray(decide_labels(model, part, proba, threshold)).astype(str))
    proba, y_pred, y_true = np.vstack(proba_parts), np.concatenate(pred_parts), np.asarray(data.y)
    metrics = _metrics(y_true, proba, classes, y_pred)
    if args.json:
        print(json.dumps(metrics, ensure_ascii=False, indent=2, default=_json_default), file=streams.stdout)
    else:
        print(_table(metrics), file=streams.stdout)
    if args.plot:
        from spamguard.plots import plot_evaluation

        plot_evaluation(y_true, proba, y_pred, classes, args.plot)
        streams.note(f"plots written to {args.plot}")
    return 0


def _metrics(y_true: Any, proba: Any, classes: list[str], y_pred: Any) -> dict[str, Any]:
    return need("spamguard.metrics").evaluate_predictions(y_true, proba, classes, y_pred=y_pred)


def _table(metrics: dict[str, Any]) -> str:
    return need("spamguard.metrics").format_table(metrics)


def _json_default(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)
