"""The SMS systems compared in the benchmarks, behind one small interface: fit(table) / proba(table).

- spamguard: SmsClassifier (uses senders when the table has them).
- tfidf_lr: TF-IDF word (1-2) + character (2-5, word-bounded) n-grams, LogisticRegression (text only).
- underthesea_svm: underthesea_core.TextClassifier (TF-IDF + linear SVM in Rust). It outputs one label and a
  confidence, so class scores come from one-vs-rest binary classifiers (score = +conf if the class is predicted,
  -conf otherwise) and labels from a multi-class one; all trained on the same rows.
"""

from __future__ import annotations

import numpy as np

CLASSES = ["ham", "spam", "scam"]


class SpamguardSystem:
    name = "spamguard"

    def __init__(self, use_sender: bool = True, **params):
        from spamguard.classifiers import SmsClassifier

        self.use_sender = use_sender
        self.model = SmsClassifier(**params)

    def fit(self, table):
        senders = table.get("sender") if self.use_sender else None
        self.model.fit(table["text"], table["label"], senders=senders, sample_weight=table.get("weight"),
                       groups=table.get("group"))
        return self

    def proba(self, table, use_sender: bool = True):
        senders = table.get("sender") if (self.use_sender and use_sender) else None
        p = self.model.predict_proba(table["text"], senders=senders)
        return _reorder(p, list(self.model.classes_))


class TfidfLrSystem:
    name = "tfidf_lr"

    def fit(self, table):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        features = make_union(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1, token_pattern=r"(?u)\b\w+\b"),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2, max_features=300000),
        )
        self.model = make_pipeline(features, LogisticRegression(C=10, max_iter=1000, class_weight="balanced"))
        self.model.fit(table["text"], table["label"], logisticregression__sample_weight=table.get("weight"))
        return self

    def proba(self, table, use_sender: bool = True):
        return _reorder(self.model.predict_proba(table["text"]), list(self.model.classes_))


class UnderthesealSvmSystem:
    name = "underthesea_svm"

    def fit(self, table):
        import underthesea_core

        def make():
            return underthesea_core.TextClassifier(max_features=200000, ngram_range=(1, 2))

        texts, labels = list(table["text"]), [str(v) for v in table["label"]]
        self.multi = make()
        self.multi.fit(texts, labels)
        self.binary = {}
        for cls in CLASSES[1:]:
            if cls in labels:
                model = make()
                model.fit(texts, [cls if v == cls else "rest" for v in labels])
                self.binary[cls] = model
        return self

    def proba(self, table, use_sender: bool = True):
        texts = list(table["text"])
        scores = np.zeros((len(texts), len(CLASSES)))
        for k, cls in enumerate(CLASSES[1:], start=1):
            if cls in self.binary:
                for row, (label, conf) in enumerate(self.binary[cls].predict_with_scores(texts)):
                    scores[row, k] = conf if label == cls else -conf
        return scores

    def labels(self, table):
        return np.asarray(self.multi.predict_batch(list(table["text"])))


def _reorder(p: np.ndarray, classes: list[str]) -> np.ndarray:
    out = np.zeros((p.shape[0], len(CLASSES)))
    for k, cls in enumerate(classes):
        if cls in CLASSES:
            out[:, CLASSES.index(cls)] = p[:, k]
    return out


SYSTEMS = {"spamguard": SpamguardSystem, "tfidf_lr": TfidfLrSystem, "underthesea_svm": UnderthesealSvmSystem}
