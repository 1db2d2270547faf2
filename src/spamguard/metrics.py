"""Evaluation metrics used by `spamguard evaluate`, the benchmarks and the model cards.

The first class is the reference ("negative") class: ``ham`` for SMS, ``reliable`` for posts. Every other class is
scored one-vs-rest (ROC-AUC, PR-AUC) and by its recall at a fixed false-positive rate on the reference class, the
number a telecom operator cares about ("how many scams do we block if we accept blocking 1% of real messages?").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

FPR_POINTS = (0.01, 0.001)


def threshold_at_fpr(reference_scores: np.ndarray, fpr: float) -> float:
    """Smallest threshold such that at most ``fpr`` of the reference rows score strictly above it."""
    scores = np.sort(np.asarray(reference_scores, dtype=float))
    if scores.size == 0:
        return 1.0
    allowed = int(np.floor(fpr * scores.size))  # reference rows we may flag
    return float(scores[scores.size - allowed - 1]) if allowed < scores.size else float(scores[0])


def recall_at_fpr(y_positive: np.ndarray, scores: np.ndarray, reference_mask: np.ndarray, fpr: float) -> float:
    """Share of positive rows scoring above the threshold that flags at most ``fpr`` of the reference rows."""
    y_positive = np.asarray(y_positive, dtype=bool)
    if not y_positive.any() or not np.any(reference_mask):
        return float("nan")
    threshold = threshold_at_fpr(np.asarray(scores)[reference_mask], fpr)
    return float(np.mean(np.asarray(scores)[y_positive] > threshold))


def evaluate_predictions(y_true: Sequence[str], proba: np.ndarray, classes: Sequence[str],
                         y_pred: Sequence[str] | None = None) -> dict[str, Any]:
    """Metrics for predicted probabilities ``proba`` (columns in ``classes`` order) against labels ``y_true``."""
    from sklearn.metrics import average_precision_score, f1_score, roc_auc_score

    y_true = np.asarray([str(y) for y in y_true])
    proba = np.asarray(proba, dtype=float)
    classes = [str(c) for c in classes]
    if y_pred is None:
        y_pred = np.asarray(classes)[proba.argmax(axis=1)]
    reference = y_true == classes[0]
    result: dict[str, Any] = {"n": int(len(y_true)), "classes": classes,
                              "support": {c: int(np.sum(y_true == c)) for c in classes}}
    per_class: dict[str, dict[str, float]] = {}
    f1s = f1_score(y_true, y_pred, labels=classes, average=None, zero_division=0)
    for index, name in enumerate(classes):
        row: dict[str, float] = {"f1": float(f1s[index])}
        positive = y_true == name
        if index > 0:
            has_both = positive.any() and (~positive).any()
            row["roc_auc"] = float(roc_auc_score(positive, proba[:, index])) if has_both else float("nan")
            row["pr_auc"] = float(average_precision_score(positive, proba[:, index])) if has_both else float("nan")
            for fpr in FPR_POINTS:
                row[f"recall_at_fpr_{fpr:g}"] = recall_at_fpr(positive, proba[:, index], reference, fpr)
        per_class[name] = row
    result["per_class"] = per_class
    result["macro_f1"] = float(np.mean(f1s))
    result["accuracy"] = float(np.mean(np.asarray(y_pred) == y_true))
    return result


def format_table(metrics: dict[str, Any]) -> str:
    """A plain-text table of :func:`evaluate_predictions` output."""
    columns = ["f1", "roc_auc", "pr_auc"] + [f"recall_at_fpr_{f:g}" for f in FPR_POINTS]
    lines = [f"{'class':<12} {'support':>8} " + " ".join(f"{c:>18}" for c in columns)]
    for name, row in metrics["per_class"].items():
        cells = " ".join(f"{row[c]:>18.4f}" if c in row else f"{'-':>18}" for c in columns)
        lines.append(f"{name:<12} {metrics['support'][name]:>8} {cells}")
    lines.append(f"macro-F1 {metrics['macro_f1']:.4f}  accuracy {metrics['accuracy']:.4f}  n={metrics['n']}")
    return "\n".join(lines)
