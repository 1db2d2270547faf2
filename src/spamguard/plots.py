"""Evaluation plots for ``spamguard evaluate --plot``: ROC and precision-recall curves, confusion matrix.

matplotlib is optional (``pip install 'spamguard[plot]'``) and imported only when a plot is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from spamguard.errors import SpamguardError

__all__ = ["plot_evaluation", "require_matplotlib"]


def require_matplotlib() -> Any:
    """Import matplotlib with a non-interactive backend, or raise a SpamguardError saying how to install it."""
    try:
        import matplotlib
    except ImportError:
        raise SpamguardError("plotting needs matplotlib, which is not installed; "
                             "install it with: pip install 'spamguard[plot]'") from None
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def plot_evaluation(y_true: Sequence[str], proba: Any, y_pred: Sequence[str], classes: Sequence[str],
                    path: str | Path) -> Path:
    """Draw one-vs-rest ROC and precision-recall curves per class and the confusion matrix into ``path``."""
    import numpy as np
    from sklearn.metrics import auc, confusion_matrix, precision_recall_curve, roc_curve

    plt = require_matplotlib()
    y_true, proba, y_pred = np.asarray(y_true).astype(str), np.asarray(proba, dtype=float), np.asarray(y_pred)
    classes = [str(c) for c in classes]
    # binary tasks: one curve, for the positive (last) class; else one curve per class against the rest
    shown = classes[-1:] if len(classes) == 2 else classes
    fig, (ax_roc, ax_pr, ax_cm) = plt.subplots(1, 3, figsize=(16, 5))
    for cls in shown:
        j = classes.index(cls)
        positive = y_true == cls
        if positive.all() or not positive.any():
            continue  # a curve needs both positives and negatives
        fpr, tpr, _ = roc_curve(positive, proba[:, j])
        ax_roc.plot(fpr, tpr, label=f"{cls} vs rest (AUC {auc(fpr, tpr):.3f})")
        precision, recall, _ = precision_recall_curve(positive, proba[:, j])
        ax_pr.plot(recall, precision, label=f"{cls} vs rest (AUC {auc(recall, precision):.3f})")
    ax_roc.plot([0, 1], [0, 1], linestyle=":", color="grey")
    ax_roc.set(xlabel="false-positive rate", ylabel="true-positive rate", title="ROC")
    ax_pr.set(xlabel="recall", ylabel="precision", title="precision-recall", ylim=(0, 1.02))
    for ax in (ax_roc, ax_pr):
        ax.legend(loc="lower right" if ax is ax_roc else "lower left", fontsize="small")
        ax.grid(alpha=0.3)
    matrix = confusion_matrix(y_true, y_pred.astype(str), labels=classes)
    ax_cm.imshow(matrix, cmap="Blues")
    ax_cm.set(xticks=range(len(classes)), yticks=range(len(classes)), xticklabels=classes, yticklabels=classes,
              xlabel="predicted", ylabel="true", title="confusion matrix")
    limit = matrix.max() / 2 if matrix.size else 0
    for (i, k), value in np.ndenumerate(matrix):
        ax_cm.text(k, i, f"{value:,}", ha="center", va="center", color="white" if value > limit else "black")
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
