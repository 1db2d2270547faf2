"""TextClassifier: the spamguard text machinery for any labelled Vietnamese text and any label set."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

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
        L2 regularization strength of the (averaged SGD) logistic regression. The default suits a few thousand to
        tens of thousands of texts (on ViSpamReviews' dev split 3e-7 to 1e-6 beat 1e-5); raise it for tiny sets.
    dense_weight : float
        Scale of the dense block relative to the (L2-normalized) token block.
    char_ngrams : bool
        Add hashed character 2-5-grams (within words) of the normalized text as a second block of
        ``char_features`` columns (robust to misspellings and teencode; explanations cover the syllable block only).
    char_features : int
        Hashed columns of the character block.
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

    def __init__(self, *, n_features: int = 2**18, alpha: float = 1e-6, dense_weight: float = 1.0,
                 char_ngrams: bool = True, char_features: int = 2**19, reference_class: str | None = None,
                 cv: int = 5, max_iter: int = 30, random_state: int = 0):
        self.n_features = n_features
        self.char_ngrams = char_ngrams
        self.char_features = char_features
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

    # ---- the optional character block, appended after the syllable + dense columns --------------------------
    def _char_counts(self, analyses: Sequence[Any]) -> sp.csr_matrix:
        from sklearn.feature_extraction.text import HashingVectorizer

        vectorizer = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=self.char_features,
                                       alternate_sign=False, norm=None, lowercase=False, dtype=np.float64)
        return vectorizer.transform([a.normalized.text for a in analyses]).tocsr()

    def _fit_idf(self, analyses: Sequence[Any]) -> None:
        super()._fit_idf(analyses)
        if self.char_ngrams:
            df = np.bincount(self._char_counts(analyses).indices, minlength=self.char_features)
            char_idf = (np.log((1.0 + len(analyses)) / (1.0 + df)) + 1.0).astype(np.float32)
            self.idf_ = np.concatenate([self.idf_, char_idf])

    def _matrix(self, analyses: Sequence[Any]) -> sp.csr_matrix:
        if not self.char_ngrams:
            return super()._matrix(analyses)
        idf = self.idf_
        try:
            self.idf_ = idf[: self.n_features]
            base = super()._matrix(analyses)
        finally:
            self.idf_ = idf
        counts = self._char_counts(analyses)
        counts.data = np.log1p(counts.data)
        weighted = counts @ sp.diags(idf[self.n_features:])
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        weighted = sp.diags(1.0 / np.maximum(norms, 1e-12)) @ weighted
        return sp.hstack([base, weighted], format="csr")

    @classmethod
    def _from_state(cls, params: dict[str, Any], state: dict[str, Any], arrays: dict[str, np.ndarray]):
        if not params.get("char_ngrams", False):
            return super()._from_state(params, state, arrays)
        from spamguard.errors import ModelFormatError

        char_features = int(params["char_features"])
        full_coef = arrays["coef"]
        trimmed = {**arrays, "coef": full_coef[:, : full_coef.shape[1] - char_features]}
        model = super()._from_state(params, state, trimmed)
        if len(arrays["idf"]) != model.n_features + char_features:
            raise ModelFormatError(f"model idf has {len(arrays['idf'])} entries, parameters imply "
                                   f"{model.n_features + char_features}")
        model.coef_ = full_coef
        return model

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
        if not self.char_ngrams:
            return explain_batch(self, analyses, proba, top_k=top_k)
        # Explain with the syllable + dense block (the readable features); scores stay those of the full model.
        import copy

        view = copy.copy(self)
        width = self.n_features + len(self._dense_names())
        view.char_ngrams, view.coef_, view.idf_ = False, self.coef_[:, :width], self.idf_[: self.n_features]
        return explain_batch(view, analyses, proba, top_k=top_k)
