"""Why a message scored as it did: plain-language reasons plus the weighted features behind the score.

For a linear model the score of a class is a sum of feature contributions (value x weight), so the explanation is
exact: we list the features that moved the message most toward its label (against the reference class), with the
spans of the original message they come from, and turn the strongest recognisable signals into sentences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from spamguard.features.sms import token_index

_CATEGORY_NAMES = {"gov": "government", "ecommerce": "e-commerce", "operator": "mobile operator",
                   "wallet": "e-wallet", "utility": "utility (electricity/water)"}
_OBFUSCATION_REASONS = {
    "invisible": "hidden (zero-width or control) characters inside words",
    "homoglyph": "look-alike letters from another alphabet inside words",
    "stray_mark": "letters with marks Vietnamese does not use",
    "leet": "digits or symbols written for letters (leetspeak)",
    "spaced": "letters spaced or dotted apart to dodge filters",
    "fullwidth": "unusual full-width or styled characters",
}


def _syllable_spans(norm: Any, token: str) -> list[list[int]]:
    """Spans in the original message of a syllable token ("tai", "~tai_khoan")."""
    accent_free = token.startswith("~")
    words = token.lstrip("~").split("_")
    if not all(words):
        return []
    haystack = norm.ascii if accent_free else norm.text
    pattern = r"(?<!\w)" + r"\W+".join(re.escape(w) for w in words) + r"(?!\w)"
    spans = []
    for match in re.finditer(pattern, haystack):
        start, end = norm.original_span(match.start(), match.end())
        spans.append([start, end])
        if len(spans) == 5:
            break
    return spans


def _token_spans(norm: Any, token: str) -> list[list[int]]:
    if token.startswith("__"):
        from spamguard.text.entities import entity_tokens

        return [[e.start, e.end] for e in norm.entities
                if token == e.placeholder or token in entity_tokens(e) or token.endswith(f"_{e.kind}__")
                or (token.startswith("__x_") and f"_{e.kind}_" in token)]  # sender x entity crosses
    return _syllable_spans(norm, token)


def _official_domain(brand_id: str) -> str:
    from spamguard.text.brands import brands

    brand = brands().get(brand_id)
    return brand.domains[0] if brand and brand.domains else brand_id


def _entity_reasons(norm: Any, sender_kind: str, label: str) -> list[str]:
    reasons = []
    for entity in norm.entities:
        attrs = entity.attrs
        if entity.kind == "url":
            host = attrs.get("domain") or entity.text
            if attrs.get("lookalike_of"):
                reasons.append(f"link to a look-alike of {_official_domain(attrs['lookalike_of'])}: {host}")
            if attrs.get("ip_host"):
                reasons.append(f"link to a bare IP address ({host})")
            if attrs.get("shortener"):
                reasons.append(f"shortened link that hides its destination ({host})")
            if attrs.get("cheap_tld") and not attrs.get("lookalike_of"):
                reasons.append(f"link on a cheap throw-away domain ({host})")
            if attrs.get("official_of") and label in ("ham",):
                reasons.append(f"link to an official domain ({host})")
        elif entity.kind == "otp" and label != "ham":
            reasons.append("mentions or asks for an OTP / verification code")
    if label != "ham":
        for kind, reason in _OBFUSCATION_REASONS.items():
            if norm.counts.get(kind):
                reasons.append(reason)
    return reasons


def explain_batch(model: Any, analyses: Sequence[Any], proba: np.ndarray, top_k: int = 8) -> list[dict[str, Any]]:
    """JSON-serializable explanations for analyzed messages scored with ``proba``."""
    classes = [str(c) for c in model.classes_]
    if not analyses:
        return []
    X = model._matrix(analyses)
    dense_names = model._dense_names()
    results = []
    for row, analysis in enumerate(analyses):
        k = int(proba[row].argmax())
        # Contrast the predicted class with the reference class (or, for a reference label, with the runner-up).
        other = 0 if k != 0 else int(np.argsort(proba[row])[-2]) if len(classes) > 1 else 0
        direction = model.coef_[k] - model.coef_[other]
        start, end = X.indptr[row], X.indptr[row + 1]
        cols, values = X.indices[start:end], X.data[start:end]
        contributions = values * direction[cols]
        order = np.argsort(-contributions)
        norm = analysis.normalized
        col_tokens: dict[int, list[str]] = {}
        tokens = list(dict.fromkeys(analysis.tokens))
        for token, col in zip(tokens, token_index(tokens, model.n_features)):
            col_tokens.setdefault(int(col), []).append(token)
        features = []
        for position in order[:top_k]:
            if contributions[position] <= 0:
                break
            col = int(cols[position])
            if col >= model.n_features:
                names, spans = [dense_names[col - model.n_features]], []
            else:
                names = col_tokens.get(col, [f"hash_{col}"])
                spans = [s for name in names for s in _token_spans(norm, name)]
            features.append({"feature": " | ".join(names), "weight": round(float(contributions[position]), 4),
                             "spans": spans})
        label = classes[k]
        reasons = _entity_reasons(norm, analysis.sender_kind, label)
        reasons.extend(_sender_reasons(analysis, label))
        words = [f["feature"] for f in features if not f["feature"].startswith("__") and f["spans"]][:3]
        if words:
            shown = ", ".join(f"'{norm.original[f['spans'][0][0]:f['spans'][0][1]]}'"
                              for f in features if f["feature"] in words)
            reasons.append(f"wording typical of {label} messages: {shown}")
        results.append({"label": label, "scores": {c: round(float(p), 6) for c, p in zip(classes, proba[row])},
                        "reasons": list(dict.fromkeys(reasons)), "features": features})
    return results


def _sender_reasons(analysis: Any, label: str) -> list[str]:
    reasons = []
    tokens = set(analysis.tokens)
    if "__x_brand_sender_foreign_url__" in tokens and label != "ham":
        reasons.append("sent under a brandname but links to a domain that is not the brand's")
    personal = analysis.sender_kind in ("mobile", "international")
    for category in ("bank", "wallet", "operator", "gov", "utility", "delivery", "ecommerce"):
        if personal and f"__x_{analysis.sender_kind}_mentions_{category}__" in tokens and label != "ham":
            reasons.append(f"personal number sending a {_CATEGORY_NAMES.get(category, category)} notice")
    if personal and label != "ham":
        reasons.append("sent from a personal phone number")
    return reasons
