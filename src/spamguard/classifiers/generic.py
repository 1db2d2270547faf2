"""TextClassifier: the spamguard text machinery for any labelled Vietnamese text and any label set."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from spamguard.classifiers.linear import LinearTextClassifier
from spamguard.features.posts import cap_text
from spamguard.features.sms import DENSE_NAMES, Analysis, dense_features


class TextClassifier(LinearTextClassifier):
    """Classify Vietnamese texts into any set of labels.

    Features: syllable uni/bigrams of the normalized and the accent-free text, entity placeholders (URLs, phones,
    money, ...), obfuscation counts and length/capitals/digit ratios, hashed into ``n_features`` columns and TF-IDF
    weighted; a multinomial logistic regression with balanced class weights whose probabilities are
    temperature-calibrated on out-of-fold predictions. Long texts are capped (first 3,000 and last 300 characters).

    Parameters
    ----------
    n_features : int
        Hashed feature columns.
    alpha : float
        L2 regularization strength of the (averaged SGD) logistic regression.
    dense_weight : float
        Scale of the dense block relative to the (L2-normalized) token block.
    reference_class : str or None
        The "negative" class listed first in ``classes_`` (used by operating points and metrics); default: the
        first label in sorted order.
    cv : int
        Folds for the out-of-fold calibration (grouped when ``groups`` are passed to ``fit``).
    max_iter : int
        Epochs of the SGD solver.
    random_state : int
        Seed of the SGD solver (training is deterministic for a given seed and data).

    Examples
    --------
    >>> from spamguard.classifiers import TextClassifier
    >>> texts = ["Sản phẩm rất tốt, giao hàng nhanh", "Shop lừa đảo, hàng giả", "Inbox mình để nhận quà nhé"] * 4
    >>> clf = TextClassifier(cv=2).fit(texts, ["ok", "complaint", "spam"] * 4)
    >>> clf.predict(["Inbox để nhận quà"])[0]
    'spam'
    """

    def __init__(self, *, n_features: int = 2**18, alpha: float = 1e-5, dense_weight: float = 1.0,
                 reference_class: str | None = None, cv: int = 5, max_iter: int = 30, random_state: int = 0):
        self.n_features = n_features
        self.alpha = alpha
        self.random_state = random_state
        self.dense_weight = dense_weight
        self.reference_class = reference_class
        self.cv = cv
        self.max_iter = max_iter

    def _analyze(self, columns: dict[str, list]) -> list[Any]:
        from spamguard.text import normalize_batch, tokenize

        norms = normalize_batch([cap_text(t) for t in columns["text"]])
        return [Analysis(norm, tokenize(norm), "none") for norm in norms]

    def _dense(self, analyses: Sequence[Any]) -> np.ndarray:
        return dense_features(analyses)

    def _dense_names(self) -> tuple[str, ...]:
        return DENSE_NAMES

    def _order_classes(self, classes: np.ndarray) -> np.ndarray:
        ordered = sorted(str(c) for c in classes)
        if self.reference_class is not None:
            reference = str(self.reference_class)
            if reference not in ordered:
                raise ValueError(f"reference_class {reference!r} is not among the labels {ordered}")
            ordered = [reference] + [c for c in ordered if c != reference]
        return np.asarray(ordered, dtype=object)

    def _fit_linear(self, X: Any, y_index: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The shared solver, also when a small calibration fold lacks some classes (they get a very low logit)."""
        present = np.unique(y_index)
        n_classes = len(self.classes_)
        if len(present) == n_classes:
            return super()._fit_linear(X, y_index, weights)
        coef = np.zeros((n_classes, X.shape[1]), dtype=np.float32)
        intercept = np.full(n_classes, -10.0)
        if len(present) == 1:
            intercept[present[0]] = 0.0
            return coef, intercept
        remap = np.full(n_classes, -1)
        remap[present] = np.arange(len(present))
        sub_coef, sub_intercept = super()._fit_linear(X, remap[y_index], weights)
        coef[present], intercept[present] = sub_coef, sub_intercept
        return coef, intercept

    def fit(self, X: Any, y: Sequence[Any], *, sample_weight: Sequence[float] | None = None,
            groups: Sequence[Any] | None = None) -> TextClassifier:
        """Fit on texts (or a table with a ``text`` column) and labels (any hashable values, kept as strings)."""
        columns = self._columns(X)
        y = np.asarray([str(v) for v in y], dtype=object)
        if len(y) != len(columns["text"]):
            raise ValueError(f"got {len(columns['text'])} texts but {len(y)} labels")
        if len(np.unique(y)) < 2:
            raise ValueError(f"need at least two classes to fit, got {sorted(set(y))}")
        weights = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        groups_arr = np.arange(len(y)) if groups is None else np.asarray([str(g) for g in groups], dtype=object)
        self._fit_matrix(self._analyze(columns), y, weights, groups_arr)
        return self

    def explain(self, X: Any, top_k: int = 8) -> list[dict[str, Any]]:
        """Per text: label, scores, reasons and the weighted features with their spans (capped to the first 3,000
        characters for long texts)."""
        from sklearn.utils.validation import check_is_fitted

        from spamguard.explain import explain_batch

        check_is_fitted(self, "coef_")
        analyses = self._analyze(self._columns(X))
        proba = self._proba_from_analyses(analyses) if analyses else np.zeros((0, len(self.classes_)))
        return explain_batch(self, analyses, proba, top_k=top_k)
