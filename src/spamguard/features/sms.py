"""SMS features: hashed syllable n-grams, entity and sender tokens, and a few dense signals.

One call handles a whole batch: normalization runs over the batch, tokens of all messages are hashed by
scikit-learn's FeatureHasher in one C loop, and the dense block is filled with NumPy, so the per-message Python work
is only the tokenizer itself.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from spamguard._gcpause import cyclic_gc_paused
from spamguard.features import hashing
from spamguard.text import Normalized, normalize_batch, tokenize_batch
from spamguard.text.types import OBFUSCATION_KINDS

ENTITY_KINDS = ("url", "email", "phone", "shortcode", "money", "account", "otp", "datetime")
URL_FLAGS = ("lookalike_of", "shortener", "ip_host", "cheap_tld", "official_of")

_KIND_INDEX = {kind: k for k, kind in enumerate(ENTITY_KINDS)}

# Names of the dense columns, in order; used by explanations and the model card.
DENSE_NAMES = (
    ("log_length", "caps_ratio", "digit_ratio", "has_diacritics", "exclamations")
    + tuple(f"obfuscation_{k}" for k in OBFUSCATION_KINDS)
    + tuple(f"entity_{k}" for k in ENTITY_KINDS)
    + ("url_lookalike", "url_shortener", "url_ip", "url_cheap_tld", "url_http", "money_log10")
)


@dataclass(slots=True)
class Analysis:
    """Everything computed about one message; kept so explanations reuse the work of scoring."""

    normalized: Normalized
    tokens: list[str]
    sender_kind: str


_SENDER_CACHE: dict[str, tuple[tuple[str, ...], str, str | None]] = {}


def _describe_sender(sender: object) -> tuple[tuple[str, ...], str, str | None]:
    """Tokens, kind and brand of a sender; memoized because gateways see the same senders over and over."""
    from spamguard.text.senders import classify_sender, sender_tokens

    key = sender if isinstance(sender, str) else None
    if key is not None and key in _SENDER_CACHE:
        return _SENDER_CACHE[key]
    info = classify_sender(sender)
    described = (tuple(sender_tokens(info)), info.kind, info.brand)
    if key is not None and len(key) <= 64:
        if len(_SENDER_CACHE) > 100_000:
            _SENDER_CACHE.clear()
        _SENDER_CACHE[key] = described
    return described


def _sender_tokens(senders: Sequence[object] | None, n: int) -> list[tuple[tuple[str, ...], str, str | None]]:
    if senders is None:
        return [(("__sender_none__",), "none", None)] * n
    known = _SENDER_CACHE.get  # the cache in line: gateways see the same few senders over and over
    return [(s.__class__ is str and known(s)) or _describe_sender(s) for s in senders]


def _cross_tokens(norm: Normalized, sender_kind: str, sender_brand: str | None) -> list[str]:
    """Sender x content interactions a linear model cannot build by itself."""
    crosses = []
    for entity in norm.entities:
        crosses.append(f"__x_{sender_kind}_{entity.kind}__")
        if entity.kind == "url":
            attrs = entity.attrs
            for flag in URL_FLAGS:
                if attrs.get(flag):
                    crosses.append(f"__x_{sender_kind}_url_{flag}__")
            if sender_brand and not _domain_matches_brand(attrs.get("registered_domain") or "", sender_brand):
                crosses.append("__x_brand_sender_foreign_url__")
    return crosses


@functools.lru_cache(maxsize=65536)
def _domain_matches_brand(domain: str, brand: str) -> bool:
    from spamguard.text.senders import domain_matches_brand

    return domain_matches_brand(domain, brand)


@functools.cache
def _brand_mention_tokens() -> dict[str, str]:
    """Accent-free syllable token of each one-word brand key ("~vietcombank", "~vcb") -> brand category."""
    from spamguard.text.brands import brands

    return {f"~{key}": brand.category for brand in brands().values() for key in brand.keys
            if key.isalnum() and len(key) >= 3 and key not in brand.strict_keys}


def analyze(texts: Sequence[str], senders: Sequence[str | None] | None = None) -> list[Analysis]:
    """Normalize and tokenize a batch of messages (with their senders, when known)."""
    with cyclic_gc_paused():
        return _analyze(texts, senders)


def _analyze(texts: Sequence[str], senders: Sequence[str | None] | None) -> list[Analysis]:
    norms = normalize_batch(texts)
    sender_info = _sender_tokens(senders, len(norms))
    table = _brand_mention_tokens()
    no_mention = table.keys().isdisjoint
    analyses = []
    append = analyses.append
    for norm, tokens, (s_tokens, s_kind, s_brand) in zip(norms, tokenize_batch(norms), sender_info):
        # Brand mentions: the common no-mention case is decided in C by isdisjoint.
        mentions = None if no_mention(tokens) else {table[t] for t in tokens if t in table}
        tokens += s_tokens
        if norm.entities:
            tokens += _cross_tokens(norm, s_kind, s_brand)
        if mentions:
            # "A personal number writing in a bank's name" and similar sender/content mismatches.
            tokens += [f"__x_{s_kind}_mentions_{category}__" for category in sorted(mentions)]
        append(Analysis(norm, tokens, s_kind))
    return analyses


def _char_stats(originals: Sequence[str]) -> np.ndarray:
    """Per-message length, capitals ratio, digit ratio and '!' count, computed over the whole batch at once."""
    lengths = np.fromiter((len(t) for t in originals), dtype=np.int64, count=len(originals))
    codes = np.frombuffer("".join(originals).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))

    def per_message(mask: np.ndarray) -> np.ndarray:
        sums = np.concatenate(([0], np.cumsum(mask, dtype=np.int64)))
        return sums[starts + lengths] - sums[starts]

    upper = per_message((codes >= 65) & (codes <= 90))
    lower = per_message((codes >= 97) & (codes <= 122))
    digits = per_message((codes >= 48) & (codes <= 57))
    bangs = per_message(codes == 33)
    return np.column_stack([
        np.log1p(lengths) / 7.0,
        upper / np.maximum(upper + lower, 1),
        digits / np.maximum(lengths, 1),
        np.log1p(bangs),
    ])


def dense_features(analyses: Sequence[Analysis]) -> np.ndarray:
    """A small matrix of length, shape, obfuscation and entity signals, already on comparable scales."""
    out = np.zeros((len(analyses), len(DENSE_NAMES)), dtype=np.float64)
    if not analyses:
        return out
    norms = [a.normalized for a in analyses]
    stats = _char_stats([n.original for n in norms])
    out[:, [0, 1, 2, 4]] = stats
    out[:, 3] = [n.ascii != n.text for n in norms]
    obf_start = 5
    ent_start = obf_start + len(OBFUSCATION_KINDS)
    url_start = ent_start + len(ENTITY_KINDS)
    # Rows are collected in lists and written with one fancy-indexed assignment per block (a NumPy slice assignment
    # per message costs more than the values themselves).
    log1p = math.log1p
    kind_index = _KIND_INDEX
    no_urls = [False] * 5
    obf_rows, obf_values, ent_rows, ent_values, money_rows, money_values = [], [], [], [], [], []
    for row, norm in enumerate(norms):
        counts = norm.counts
        if any(counts.values()):
            obf_rows.append(row)
            obf_values.append([log1p(counts.get(k, 0)) for k in OBFUSCATION_KINDS])
        entities = norm.entities
        if not entities:
            continue
        per_kind = [0] * len(ENTITY_KINDS)
        urls, amounts = [], []
        for e in entities:
            kind = e.kind
            k = kind_index.get(kind)
            if k is not None:
                per_kind[k] += 1
            if kind == "url":
                urls.append(e.attrs)
            elif kind == "money":
                amounts.append(e.attrs.get("value") or 0.0)
        values = [log1p(c) if c else 0.0 for c in per_kind]
        if urls:
            values += [
                any(u.get("lookalike_of") for u in urls),
                any(u.get("shortener") for u in urls),
                any(u.get("ip_host") for u in urls),
                any(u.get("cheap_tld") for u in urls),
                any(u.get("scheme") == "http" for u in urls),
            ]
        else:
            values += no_urls
        ent_rows.append(row)
        ent_values.append(values)
        if amounts:
            money_rows.append(row)
            money_values.append(math.log10(1.0 + max(amounts)) / 10.0)
    if obf_rows:
        out[obf_rows, obf_start:ent_start] = obf_values
    if ent_rows:
        out[ent_rows, ent_start:url_start + 5] = ent_values
    if money_rows:
        out[money_rows, url_start + 5] = money_values
    return out


# Re-exported for callers that hash tokens the same way as the model.
hash_tokens = hashing.hash_tokens


def token_index(tokens: Sequence[str], n_features: int) -> np.ndarray:
    """The hashed column of each token (same hash as :func:`hash_tokens`)."""
    return hashing.token_columns(list(tokens), n_features)
