"""PostsClassifier: reliable / unreliable social-media posts from their text, engagement, time and author.

Two stages. A hashed syllable-n-gram linear text model (the project's text pipeline, long posts capped) gives a text
score; a logistic-regression stacker combines the *out-of-fold* text score with binned engagement and time features
and an author prior (smoothed target encoding, also out-of-fold) into a calibrated probability. Every learned piece
is a plain array, so the model saves in spamguard's safe format.

Command line: ``python -m spamguard.classifiers.posts predict-reintel OUTDIR`` writes ReINTEL test predictions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from spamguard.classifiers.linear import LinearTextClassifier
from spamguard.features import posts as pf
from spamguard.features.sms import DENSE_NAMES, Analysis, dense_features

POSTS_CLASSES = ("reliable", "unreliable")
POST_COLUMNS = ("likes", "comments", "shares", "timestamp", "author")


class PostTextModel(LinearTextClassifier):
    """The text stage: syllable uni/bigrams of the capped, normalized post (+ accent-free), dense text statistics."""

    def __init__(self, *, n_features: int = 2**18, C: float = 8.0, dense_weight: float = 1.0, cv: int = 5,
                 max_iter: int = 500):
        self.n_features = n_features
        self.C = C
        self.dense_weight = dense_weight
        self.cv = cv
        self.max_iter = max_iter

    def _analyze(self, columns: dict[str, list]) -> list[Any]:
        from spamguard.text import normalize_batch, tokenize

        norms = normalize_batch([pf.cap_text(t) for t in columns["text"]])
        return [Analysis(norm, tokenize(norm), "none") for norm in norms]

    def _dense(self, analyses: Sequence[Any]) -> np.ndarray:
        return dense_features(analyses)

    def _dense_names(self) -> tuple[str, ...]:
        return DENSE_NAMES

    def _order_classes(self, classes: np.ndarray) -> np.ndarray:
        known = [c for c in POSTS_CLASSES if c in set(classes)]
        return np.asarray(known + sorted(set(classes) - set(POSTS_CLASSES)), dtype=object)

    def fit(self, X: Any, y: Sequence[str], groups: Sequence[Any] | None = None) -> PostTextModel:
        """Fit on post texts alone (the stage :class:`PostsClassifier` uses)."""
        columns = self._columns(X)
        y = np.asarray([str(v) for v in y], dtype=object)
        groups_arr = pf.duplicate_groups(columns["text"]) if groups is None else np.asarray(groups)
        self._fit_matrix(self._analyze(columns), y, np.ones(len(y)), groups_arr)
        return self

    def _fit_linear(self, X: Any, y_index: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Binary L2 logistic regression with liblinear: several times faster than lbfgs on long-post n-grams."""
        from sklearn.linear_model import LogisticRegression

        present = np.unique(y_index)
        if len(present) == 1:  # a fold of duplicates can hold one class only: predict it, with little confidence
            return np.zeros((2, X.shape[1]), dtype=np.float32), np.array([0.0, 2.0 if present[0] else -2.0])
        if len(present) > 2:
            return super()._fit_linear(X, y_index, weights)
        model = LogisticRegression(C=self.C, solver="liblinear", max_iter=self.max_iter, tol=1e-4, random_state=0)
        model.fit(X, y_index, sample_weight=weights)
        coef = np.vstack([np.zeros_like(model.coef_), model.coef_])
        return coef.astype(np.float32), np.array([0.0, model.intercept_[0]])

    def log_odds(self, analyses: Sequence[Any]) -> np.ndarray:
        """Calibrated log-odds of the positive class for analyzed posts."""
        proba = np.clip(self._proba_from_analyses(analyses)[:, 1], 1e-7, 1 - 1e-7)
        return np.log(proba / (1 - proba))


class PostCharModel(PostTextModel):
    """A second text view: hashed character 2-5-grams (within words) of the normalized post, TF-IDF weighted.

    Robust to spelling variants and word forms the syllable model splits apart; it reuses the syllable model's
    analyses (the normalized text), so it adds no normalization cost.
    """

    def __init__(self, *, n_features: int = 2**19, C: float = 10.0, cv: int = 5, max_iter: int = 500):
        self.n_features = n_features
        self.C = C
        self.cv = cv
        self.max_iter = max_iter

    dense_weight = 0.0  # no dense block

    def _counts(self, analyses: Sequence[Any]) -> Any:
        from sklearn.feature_extraction.text import HashingVectorizer

        vectorizer = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=self.n_features,
                                       alternate_sign=False, norm=None, lowercase=False, dtype=np.float32)
        return vectorizer.transform([a.normalized.text for a in analyses]).tocsr()

    def _matrix(self, analyses: Sequence[Any]) -> Any:
        import scipy.sparse as sp

        counts = self._counts(analyses)
        counts.data = np.log1p(counts.data)
        weighted = counts @ sp.diags(self.idf_)
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        return (sp.diags(1.0 / np.maximum(norms, 1e-12)) @ weighted).tocsr()

    def _fit_idf(self, analyses: Sequence[Any]) -> None:
        counts = self._counts(analyses)
        df = np.bincount(counts.indices, minlength=self.n_features)
        self.idf_ = (np.log((1.0 + len(analyses)) / (1.0 + df)) + 1.0).astype(np.float32)

    def _dense_names(self) -> tuple[str, ...]:
        return ()

    @classmethod
    def _from_state(cls, params: dict[str, Any], state: dict[str, Any], arrays: dict[str, np.ndarray]):
        params = {k: v for k, v in params.items() if k != "dense_weight"}
        return super()._from_state(params, state, arrays)


class PostsClassifier(ClassifierMixin, BaseEstimator):
    """Classify social-media posts as ``reliable`` or ``unreliable`` (fake or misleading).

    Input: post texts, or a table (dict of columns, DataFrame, records) with ``text`` and any of ``likes``,
    ``comments``, ``shares``, ``timestamp`` (Unix seconds or ISO date) and ``author``. Every column but the text is
    optional; junk values ("unknown", "54 like" is read as 54, empty, None, NaN, negative numbers) count as missing.

    Parameters
    ----------
    n_features, C, dense_weight : int, float, float
        Text stage: hashed columns, inverse regularization, weight of the dense text block.
    stack_C : float
        Inverse regularization of the stacking logistic regression.
    n_bins : int
        Quantile bins per engagement/time feature.
    use_engagement, use_time, use_author : bool
        Which metadata blocks the stacker sees (for ablations; all on by default).
    author_smoothing : float
        Pseudo-posts at the base rate added to each author's record.
    char_ngrams, char_features, char_C : bool, int, float
        A second text score from hashed character 2-5-grams (``char_features`` columns, inverse regularization
        ``char_C``), stacked beside the syllable score.
    cv : int
        Folds (grouped by near-duplicate text) for the out-of-fold text scores and author prior.
    max_iter : int
        Solver iterations of the text model.

    Examples
    --------
    >>> from spamguard.classifiers import PostsClassifier
    >>> posts = {"text": [f"Bộ Y tế công bố {i} ca mắc mới" for i in range(6)]
    ...                  + [f"Uống nước chanh nóng {i} lần chữa khỏi virus corona" for i in range(6)],
    ...          "likes": ["120", "3k", "54 like", "80", "2100", "95"] + ["unknown", "2", "", "5", None, "1"],
    ...          "author": ["a1", "a2"] * 3 + ["b7", "b8"] * 3}
    >>> clf = PostsClassifier(cv=2).fit(posts, ["reliable"] * 6 + ["unreliable"] * 6)
    >>> clf.predict({"text": ["Uống nước chanh nóng chữa khỏi virus corona"], "likes": ["unknown"]})[0]
    'unreliable'
    """

    def __init__(self, *, n_features: int = 2**18, C: float = 8.0, dense_weight: float = 1.0, stack_C: float = 1.0,
                 n_bins: int = 8, use_engagement: bool = True, use_time: bool = True, use_author: bool = True,
                 author_smoothing: float = 5.0, char_ngrams: bool = True, char_features: int = 2**19,
                 char_C: float = 10.0, cv: int = 5, max_iter: int = 500):
        self.n_features = n_features
        self.char_ngrams = char_ngrams
        self.char_features = char_features
        self.char_C = char_C
        self.C = C
        self.dense_weight = dense_weight
        self.stack_C = stack_C
        self.n_bins = n_bins
        self.use_engagement = use_engagement
        self.use_time = use_time
        self.use_author = use_author
        self.author_smoothing = author_smoothing
        self.cv = cv
        self.max_iter = max_iter

    # ---- stacker features ------------------------------------------------------------------------------------
    def _meta_columns(self) -> list[int]:
        names = (pf.ENGAGEMENT_FEATURES if self.use_engagement else ()) + (pf.TIME_FEATURES if self.use_time else ())
        return [pf.META_NAMES.index(n) for n in names]

    def _blocks(self, text_score: np.ndarray, meta: np.ndarray, author: np.ndarray) -> np.ndarray:
        """Stacker design matrix: text log-odds | one-hot metadata bins | author log-odds | author-count bins."""
        parts = [text_score.reshape(len(text_score), -1)]
        columns = self._meta_columns()
        binned = np.column_stack([meta[:, columns], author[:, 1:2]]) if self.use_author else meta[:, columns]
        if binned.shape[1]:
            parts.append(self.bins_.transform(binned))
        if self.use_author:
            parts.append(author[:, :1])
        return np.hstack(parts)

    def _feature_names(self) -> list[str]:
        names = ["text_score"] + (["char_score"] if self.char_ngrams else [])
        binned = [pf.META_NAMES[j] for j in self._meta_columns()] + (["author_posts"] if self.use_author else [])
        for name, edges in zip(binned, self.bins_.edges_):
            names += [f"{name}<{edges[0]:.4g}" if len(edges) else f"{name}:any"]
            names += [f"{name}>={edges[k]:.4g}" for k in range(len(edges))]
            names += [f"{name}:missing"]
        if self.use_author:
            names.append("author_prior")
        return names

    # ---- fitting ---------------------------------------------------------------------------------------------
    def fit(self, X: Any, y: Sequence[str], *, groups: Sequence[Any] | None = None, **columns: Any) -> PostsClassifier:
        """Fit on posts (texts or a table) and labels. ``groups`` keep near-duplicates in one fold of the internal
        out-of-fold predictions (default: computed from the texts). Extra keyword columns (``likes=...``) override
        those of ``X``."""
        from sklearn.model_selection import GroupKFold

        cols = self._columns(X, **columns)
        y = np.asarray([str(v) for v in y], dtype=object)
        if len(y) != len(cols["text"]):
            raise ValueError(f"got {len(cols['text'])} posts but {len(y)} labels")
        if len(set(y)) != 2:
            raise ValueError(f"PostsClassifier needs exactly two classes, got {sorted(set(y))}")
        groups_arr = (pf.duplicate_groups(cols["text"]) if groups is None
                      else np.unique(np.asarray([str(g) for g in groups]), return_inverse=True)[1])
        self.text_model_ = PostTextModel(n_features=self.n_features, C=self.C, dense_weight=self.dense_weight,
                                         cv=self.cv, max_iter=self.max_iter)
        analyses = self.text_model_._analyze(cols)
        self.text_model_._fit_matrix(analyses, y, np.ones(len(y)), groups_arr)
        self.classes_ = self.text_model_.classes_
        positive = (y == self.classes_[1]).astype(np.float64)
        n_splits = min(self.cv, len(np.unique(groups_arr)))
        if self.text_model_.oof_proba_ is not None:
            p = np.clip(self.text_model_.oof_proba_[:, 1], 1e-7, 1 - 1e-7)
            text_score = np.log(p / (1 - p))
            folds = [test for _, test in GroupKFold(n_splits=n_splits).split(positive, positive, groups_arr)]
        else:  # too few groups for out-of-fold scores: fall back to in-sample scores
            text_score = self.text_model_.log_odds(analyses)
            folds = [np.arange(len(y))]
        if self.char_ngrams:
            self.char_model_ = PostCharModel(n_features=self.char_features, C=self.char_C, cv=self.cv,
                                             max_iter=self.max_iter)
            self.char_model_._fit_matrix(analyses, y, np.ones(len(y)), groups_arr)
            if self.char_model_.oof_proba_ is not None:
                p = np.clip(self.char_model_.oof_proba_[:, 1], 1e-7, 1 - 1e-7)
                char_score = np.log(p / (1 - p))
            else:
                char_score = self.char_model_.log_odds(analyses)
            text_score = np.column_stack([text_score, char_score])
        self._stack_inputs_ = (text_score, pf.meta_matrix(cols), pf.author_keys(cols), positive, folds)
        return self._fit_stacker()

    def _fit_stacker(self) -> PostsClassifier:
        """Fit the author prior, bins and stacker from the out-of-fold text scores kept by :meth:`fit`."""
        from sklearn.linear_model import LogisticRegression

        from spamguard.classifiers.linear import FPR_OPERATING_POINTS
        from spamguard.metrics import threshold_at_fpr

        text_score, meta, keys, positive, folds = self._stack_inputs_
        if text_score.ndim == 2 and not self.char_ngrams:  # ablation of a model fitted with the character view
            text_score = text_score[:, 0]
        n = len(positive)
        if len(folds) > 1:
            author = pf.out_of_fold_author_features(keys, positive, folds, self.author_smoothing)
        else:
            author = np.zeros((n, 2))
        self.author_prior_ = pf.AuthorPrior(self.author_smoothing).fit(keys, positive)
        columns = self._meta_columns()
        binned = np.column_stack([meta[:, columns], author[:, 1:2]]) if self.use_author else meta[:, columns]
        self.bins_ = pf.QuantileBins(self.n_bins).fit(binned)
        Z = self._blocks(text_score, meta, author)

        def stacker(rows: np.ndarray) -> LogisticRegression:
            return LogisticRegression(C=self.stack_C, max_iter=2000).fit(Z[rows], positive[rows])

        model = stacker(np.arange(n))
        self.stack_coef_ = model.coef_.ravel().astype(np.float64)
        self.stack_intercept_ = float(model.intercept_[0])
        self.stack_means_ = Z.mean(axis=0)
        # Out-of-fold final probabilities (stacker refit per fold) for operating points and the model card.
        oof = np.full(n, np.nan)
        if len(folds) > 1:
            for test in folds:
                train = np.setdiff1d(np.arange(n), test)
                if len(np.unique(positive[train])) == 2:
                    oof[test] = stacker(train).predict_proba(Z[test])[:, 1]
        oof = np.where(np.isnan(oof), model.predict_proba(Z)[:, 1], oof)
        self.oof_proba_ = np.column_stack([1 - oof, oof])
        self.operating_points_ = {name: {str(self.classes_[1]): threshold_at_fpr(oof[positive == 0], fpr)}
                                  for name, fpr in FPR_OPERATING_POINTS.items()}
        self.n_train_ = int(n)
        return self

    _STACKER_PARAMS = ("use_engagement", "use_time", "use_author", "stack_C", "n_bins", "author_smoothing",
                       "char_ngrams")

    def with_stacker(self, **params: Any) -> PostsClassifier:
        """A copy sharing this fitted text stage, with the stacker refit under other stacker parameters
        (``use_engagement``, ``use_time``, ``use_author``, ``stack_C``, ``n_bins``, ``author_smoothing``, and
        ``char_ngrams=False`` to drop the character view): cheap ablations and tuning. Only on a model fitted in this session (not a loaded one)."""
        import copy

        check_is_fitted(self, "_stack_inputs_")
        unknown = sorted(set(params) - set(self._STACKER_PARAMS))
        if unknown:
            raise ValueError(f"with_stacker() only changes {self._STACKER_PARAMS}, got {unknown}")
        other = copy.copy(self)
        other.set_params(**params)
        return other._fit_stacker()

    def _columns(self, X: Any, **extra: Any) -> dict[str, list]:
        from spamguard.classifiers._input import as_columns

        return as_columns(X, optional=POST_COLUMNS, **extra)

    # ---- prediction ------------------------------------------------------------------------------------------
    # Input columns each stacker block is computed from; a block whose column was not given at all is set to its
    # training average (neutral), so texts without metadata are scored by their text, not by "missing" bins that
    # ReINTEL's quirks taught (a junk or empty value inside a given column still counts as missing).
    _BLOCK_SOURCES = {"log_likes": ("likes",), "log_comments": ("comments",), "log_shares": ("shares",),
                      "comments_per_like": ("comments", "likes"), "shares_per_like": ("shares", "likes"),
                      "years_since_2020": ("timestamp",), "hour": ("timestamp",), "weekday": ("timestamp",),
                      "author_posts": ("author",), "author_prior": ("author",)}

    def _design(self, cols: dict[str, list], analyses: Sequence[Any]) -> np.ndarray:
        text_score = self.text_model_.log_odds(analyses)
        if self.char_ngrams:
            text_score = np.column_stack([text_score, self.char_model_.log_odds(analyses)])
        author = self.author_prior_.encode(pf.author_keys(cols)) if self.use_author else np.zeros((len(analyses), 2))
        Z = self._blocks(text_score, pf.meta_matrix(cols), author)
        for name, columns in _block_contributions(self, Z):
            if any(source not in cols for source in self._BLOCK_SOURCES.get(name, ())):
                Z[:, columns] = self.stack_means_[columns]
        return Z

    def _proba_from_design(self, Z: np.ndarray) -> np.ndarray:
        logit = Z @ self.stack_coef_ + self.stack_intercept_
        p = 1.0 / (1.0 + np.exp(-np.clip(logit, -50, 50)))
        return np.column_stack([1 - p, p])

    def predict_proba(self, X: Any, **columns: Any) -> np.ndarray:
        """Calibrated probabilities of ``reliable`` and ``unreliable`` (columns in ``classes_`` order)."""
        check_is_fitted(self, "stack_coef_")
        cols = self._columns(X, **columns)
        if not cols["text"]:
            return np.zeros((0, 2))
        return self._proba_from_design(self._design(cols, self.text_model_._analyze(cols)))

    def labels_from_proba(self, proba: np.ndarray, threshold: str | float | None = None) -> np.ndarray:
        """Labels under an operating point (``None``: the more probable class; a name of ``operating_points_``;
        or a float threshold on the ``unreliable`` probability)."""
        return LinearTextClassifier.labels_from_proba(self, proba, threshold)  # type: ignore[arg-type]

    def predict(self, X: Any, threshold: str | float | None = None, **columns: Any) -> np.ndarray:
        """Labels; ``threshold`` as in :meth:`labels_from_proba`."""
        return self.labels_from_proba(self.predict_proba(X, **columns), threshold)

    def explain(self, X: Any, top_k: int = 8, **columns: Any) -> list[dict[str, Any]]:
        """Per post: label, scores, plain-language reasons and the weighted features (text ones with spans)."""
        check_is_fitted(self, "stack_coef_")
        cols = self._columns(X, **columns)
        analyses = self.text_model_._analyze(cols)
        if not analyses:
            return []
        Z = self._design(cols, analyses)
        return explain_posts(self, cols, analyses, Z, self._proba_from_design(Z), top_k)

    # ---- persistence -----------------------------------------------------------------------------------------
    def _get_state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        check_is_fitted(self, "stack_coef_")
        text_state, text_arrays = self.text_model_._get_state()
        state = {"text": text_state, "stack_intercept": self.stack_intercept_, "author_prior": self.author_prior_.prior_,
                 "operating_points": self.operating_points_, "n_train": self.n_train_,
                 "training": getattr(self, "training_", {})}
        arrays = {f"text_{k}": v for k, v in text_arrays.items()}
        if self.char_ngrams:
            state["char"], char_arrays = self.char_model_._get_state()
            arrays.update({f"char_{k}": v for k, v in char_arrays.items()})
        arrays.update({"stack_coef": self.stack_coef_, "stack_means": self.stack_means_,
                       **{f"author_{k}": v for k, v in self.author_prior_.to_arrays().items()},
                       **{f"bins_{k}": v for k, v in self.bins_.to_arrays().items()}})
        return state, arrays

    @classmethod
    def _from_state(cls, params: dict[str, Any], state: dict[str, Any], arrays: dict[str, np.ndarray]):
        from spamguard.errors import ModelFormatError

        params = {"char_ngrams": False, **params}  # files saved before the character view existed
        model = cls(**params)
        text_params = {k: params[k] for k in ("n_features", "C", "dense_weight", "cv", "max_iter")}
        model.text_model_ = PostTextModel._from_state(
            text_params, state["text"], {k[5:]: v for k, v in arrays.items() if k.startswith("text_")})
        if model.char_ngrams:
            model.char_model_ = PostCharModel._from_state(
                {"n_features": params["char_features"], "C": params["char_C"], "cv": params["cv"],
                 "max_iter": params["max_iter"]},
                state["char"], {k[5:]: v for k, v in arrays.items() if k.startswith("char_")})
        model.classes_ = model.text_model_.classes_
        model.stack_coef_ = np.asarray(arrays["stack_coef"], dtype=np.float64)
        model.stack_means_ = np.asarray(arrays["stack_means"], dtype=np.float64)
        model.stack_intercept_ = float(state["stack_intercept"])
        model.author_prior_ = pf.AuthorPrior.from_arrays(
            model.author_smoothing, state["author_prior"],
            {k[7:]: v for k, v in arrays.items() if k.startswith("author_")})
        model.bins_ = pf.QuantileBins.from_arrays(model.n_bins, {k[5:]: v for k, v in arrays.items()
                                                                  if k.startswith("bins_")})
        model.operating_points_ = state["operating_points"]
        model.n_train_ = state["n_train"]
        model.training_ = state.get("training", {})
        model.oof_proba_ = None
        if len(model.stack_coef_) != len(model._feature_names()):
            raise ModelFormatError(f"stacker has {len(model.stack_coef_)} weights, the parameters imply "
                                   f"{len(model._feature_names())}")
        return model


# ---- explanations --------------------------------------------------------------------------------------------------
_REASON_MIN = 0.25  # log-odds a signal must add toward the label to be stated as a reason


def _block_contributions(model: PostsClassifier, Z: np.ndarray) -> list[tuple[str, slice]]:
    """(name, columns of Z) for each stacker block; contributions are measured against the training average."""
    blocks = [("text_score", slice(0, 1))]
    if model.char_ngrams:
        blocks.append(("character n-grams", slice(1, 2)))
    start = len(blocks)
    binned = [pf.META_NAMES[j] for j in model._meta_columns()] + (["author_posts"] if model.use_author else [])
    for name, width in zip(binned, model.bins_.widths):
        blocks.append((name, slice(start, start + width)))
        start += width
    if model.use_author:
        blocks.append(("author_prior", slice(start, start + 1)))
    return blocks


def _meta_reason(name: str, value: Any, label: str, author: tuple[float, float] | None) -> str:
    if name == "character n-grams":
        return f"spellings and word pieces typical of {label} posts"
    if name in ("author_prior", "author_posts"):
        if author is None or author[0] == 0:
            return f"the author has no earlier posts in the training data, typical of {label} posts"
        posts, positives = author
        return (f"the author's earlier posts: {posts:.0f}, of which {positives:.0f} unreliable"
                if label != "reliable" else f"the author has {posts:.0f} earlier posts, "
                f"{posts - positives:.0f} of them reliable")
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return f"unknown {_PLAIN_NAMES.get(name, name)}, which is more common for {label} posts"
    if name == "hour":
        return f"posted around {int(value):02d}:00 (Vietnam time), an hour when {label} posts are more common"
    if name == "weekday":
        day = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[int(value)]
        return f"posted on a {day}, a day when {label} posts are more common"
    if name == "years_since_2020":
        return f"posted in {int(2020 + np.floor(value))}, a period with many {label} posts"
    if name.startswith("log_"):
        return f"{np.expm1(value):,.0f} {name[4:]}: engagement typical of {label} posts"
    return f"{name.replace('_', ' ')} ratio typical of {label} posts"


def _shift_spans(spans: list[list[int]], original_length: int) -> list[list[int]]:
    """Map spans of a capped text back to the full post (the tail part moved)."""
    capped = pf.HEAD_CHARS + pf.TAIL_CHARS
    if original_length <= capped:
        return spans
    shift = original_length - pf.TAIL_CHARS - (pf.HEAD_CHARS + 3)  # 3 = len("\n…\n")
    return [[a + shift, b + shift] if a >= pf.HEAD_CHARS else [a, b] for a, b in spans]


_PLAIN_NAMES = {"log_likes": "likes", "log_comments": "comments", "log_shares": "shares",
                "comments_per_like": "comments per like", "shares_per_like": "shares per like",
                "years_since_2020": "posting date", "hour": "posting hour", "weekday": "posting day"}


def explain_posts(model: PostsClassifier, cols: dict[str, list], analyses: Sequence[Any], Z: np.ndarray,
                  proba: np.ndarray, top_k: int = 8) -> list[dict[str, Any]]:
    from spamguard.explain import explain_batch

    text = model.text_model_
    # Passing the final probabilities makes explain_batch contrast the final label with the other class.
    text_explained = explain_batch(text, analyses, proba, top_k=top_k)
    text_scale = float(model.stack_coef_[0]) / text.temperature_
    blocks = _block_contributions(model, Z)
    contributions = (Z - model.stack_means_) * model.stack_coef_
    meta = pf.meta_matrix(cols)
    keys = pf.author_keys(cols)
    index = {k: i for i, k in enumerate(model.author_prior_.authors_)}
    classes = [str(c) for c in model.classes_]
    results = []
    for row, explained in enumerate(text_explained):
        label = explained["label"]
        sign = 1.0 if label == classes[1] else -1.0
        features, reasons = [], []
        for feature in explained["features"]:
            features.append({"feature": feature["feature"], "weight": round(feature["weight"] * text_scale, 4),
                             "toward": label, "spans": _shift_spans(feature["spans"], len(cols["text"][row]))})
        if float(contributions[row, 0]) * sign > _REASON_MIN:
            reasons += [r.replace(" messages", " posts") for r in explained["reasons"]] or \
                [f"wording typical of {label} posts"]
        author_info = None
        if keys[row] is not None and keys[row] in index:
            k = index[keys[row]]
            author_info = (float(model.author_prior_.posts_[k]), float(model.author_prior_.positives_[k]))
        meta_reasons, missing = [], []
        for name, columns in blocks[1:]:
            push = float(contributions[row, columns].sum()) * sign
            value = meta[row, pf.META_NAMES.index(name)] if name in pf.META_NAMES else None
            known = value is not None and not np.isnan(value)
            features.append({"feature": name, "weight": round(push, 4), "toward": label,
                             "value": round(float(value), 4) if known else None, "spans": []})
            if push > _REASON_MIN:
                if name in pf.META_NAMES and not known:
                    missing.append((push, _PLAIN_NAMES.get(name, name)))
                else:
                    meta_reasons.append((push, _meta_reason(name, value, label, author_info)))
        if missing:
            names = ", ".join(dict.fromkeys(n for _, n in sorted(missing, reverse=True)))
            meta_reasons.append((sum(p for p, _ in missing), f"unknown {names}, which is more common for "
                                                             f"{label} posts"))
        reasons += [r for _, r in sorted(meta_reasons, reverse=True)]
        features = sorted((f for f in features if f["weight"] > 0), key=lambda f: -f["weight"])[:top_k]
        results.append({"label": label, "scores": {c: round(float(p), 6) for c, p in zip(classes, proba[row])},
                        "reasons": list(dict.fromkeys(reasons)), "features": features})
    return results


# ---- the shipped model ---------------------------------------------------------------------------------------------
REINTEL_COLUMNS = {"likes": "num_like_post", "comments": "num_comment_post", "shares": "num_share_post",
                   "timestamp": "timestamp_post", "author": "user_name"}


def reintel_table(split: str = "train") -> tuple[dict[str, list], list[str] | None, list[str]]:
    """ReINTEL as posts columns, labels (None for test splits) and ids."""
    from spamguard.datasets import load_reintel

    data = load_reintel(split)
    table = {"text": data.texts, **{name: data.meta[raw] for name, raw in REINTEL_COLUMNS.items()}}
    return table, data.labels, [str(i) for i in data.meta["id"]]


def train_posts(seed: int = 0, **params: Any) -> tuple[PostsClassifier, dict[str, Any]]:
    """Fit the shipped posts model on the ReINTEL development portion; returns ``(model, card)``.

    Deterministic: folds come from the near-duplicate groups (GroupKFold), solvers are deterministic; ``seed`` is
    recorded for the card.
    """
    from collections import Counter

    from spamguard.metrics import evaluate_predictions

    np.random.seed(seed)
    table, labels, _ = reintel_table("train")
    model = PostsClassifier(**params).fit(table, labels)
    card: dict[str, Any] = {
        "task": "posts",
        "classes": [str(c) for c in model.classes_],
        "training_data": {"reintel_train_development": {"rows": len(labels), "licence": "VLSP 2020 terms of use"}},
        "labels": dict(Counter(labels)),
        "seed": seed,
        "operating_points": model.operating_points_,
        "stacker_features": model._feature_names(),
        "oof_metrics": evaluate_predictions(labels, model.oof_proba_, model.classes_),
    }
    model.training_ = {"rows": len(labels), "seed": seed}
    return model, card


def _write_predictions(model: PostsClassifier, split: str, path: Any) -> int:
    import csv

    table, _, ids = reintel_table(split)
    proba = model.predict_proba(table)[:, 1]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "probability"])
        writer.writerows((i, f"{p:.6f}") for i, p in zip(ids, proba))
    return len(ids)


def main(argv: list[str] | None = None) -> int:
    """``python -m spamguard.classifiers.posts predict-reintel OUTDIR [--model PATH]``."""
    import argparse
    import sys
    from pathlib import Path

    parser = argparse.ArgumentParser(prog="python -m spamguard.classifiers.posts")
    sub = parser.add_subparsers(dest="command", required=True)
    predict = sub.add_parser("predict-reintel", help="write ReINTEL public/private test predictions (id,probability)")
    predict.add_argument("outdir", type=Path)
    predict.add_argument("--model", default="posts", help="model file or shipped model name (default: posts)")
    args = parser.parse_args(argv)
    from spamguard.registry import load_model

    model = load_model(args.model)
    args.outdir.mkdir(parents=True, exist_ok=True)
    for split in ("public_test", "private_test"):
        path = args.outdir / f"{split}_results.csv"
        rows = _write_predictions(model, split, path)
        print(f"wrote {rows} rows to {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
