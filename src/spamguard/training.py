"""Reproducible training of the shipped models: ``python -m spamguard.training sms`` (or ``spamguard train``).

The SMS model learns from the project's own corpus (all of it: its evaluation is grouped cross-validation, reported
in the model card) plus the public SMS corpora at reduced weights, because they are machine-translated or
template-generated and unlike real Vietnamese traffic (see BENCHMARKS.md for the held-out-corpus evaluation that set
the weights).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from spamguard import datasets
from spamguard.errors import DatasetNotFoundError

# Weight of each public corpus relative to a message of our own corpus.
PUBLIC_SMS_WEIGHTS = {"uci_translated_vi": 0.3, "cledian_synthetic_scam": 0.15, "vi_spam_comments": 0.3}
# Template-generated corpora add little after a few thousand rows: keep a seeded sample.
PUBLIC_SMS_MAX_ROWS = {"cledian_synthetic_scam": 3000}
_PUBLIC_LOADERS = {"uci_translated_vi": datasets.load_uci_translated,
                   "cledian_synthetic_scam": datasets.load_synthetic_scam,
                   "vi_spam_comments": datasets.load_spam_comments}


def _dedupe_key(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def sms_training_table(public_weights: dict[str, float] | None = None,
                       exclude: tuple[str, ...] = (), seed: int = 0) -> dict[str, Any]:
    """Columns text/sender/label/weight/group/source for the SMS model; public corpora are de-duplicated."""
    public_weights = PUBLIC_SMS_WEIGHTS if public_weights is None else public_weights
    own = datasets.load_sms_vi()
    table: dict[str, list] = {"text": list(own.texts), "sender": list(own.meta["sender"]),
                              "label": list(own.labels), "weight": [1.0] * len(own),
                              "group": [f"sms_vi:{g}" for g in own.meta["group"]], "source": ["sms_vi"] * len(own)}
    for name, weight in public_weights.items():
        if name in exclude or weight <= 0:
            continue
        try:
            data = _PUBLIC_LOADERS[name]()
        except DatasetNotFoundError:
            continue
        seen: set[str] = set()
        pairs = list(zip(data.texts, data.labels))
        if len(pairs) > PUBLIC_SMS_MAX_ROWS.get(name, len(pairs)):
            keep = np.random.default_rng(seed).permutation(len(pairs))[:PUBLIC_SMS_MAX_ROWS[name]]
            pairs = [pairs[i] for i in sorted(keep)]
        for text, label in pairs:
            key = _dedupe_key(text)
            if not key or key in seen:
                continue
            seen.add(key)
            table["text"].append(text)
            table["sender"].append(None)
            table["label"].append(label)
            table["weight"].append(weight)
            table["group"].append(f"{name}:{key[:80]}")
            table["source"].append(name)
    return table


def train_sms(seed: int = 0, public_weights: dict[str, float] | None = None, **params: Any):
    """Fit the shipped SMS model; returns ``(model, card)``."""
    from spamguard.classifiers.sms import SmsClassifier
    from spamguard.metrics import evaluate_predictions

    table = sms_training_table(public_weights, seed=seed)
    model = SmsClassifier(**params)
    model.fit({"text": table["text"], "sender": table["sender"]}, table["label"],
              sample_weight=table["weight"], groups=table["group"])
    sources = Counter(table["source"])
    card: dict[str, Any] = {
        "task": "sms",
        "classes": [str(c) for c in model.classes_],
        "training_data": {name: {"rows": n, "weight": 1.0 if name == "sms_vi" else PUBLIC_SMS_WEIGHTS[name]}
                          for name, n in sources.items()},
        "labels": dict(Counter(table["label"])),
        "seed": seed,
        "operating_points": model.operating_points_,
        "temperature": model.temperature_,
    }
    # Out-of-fold metrics on our corpus rows only (with senders: the first len(own) rows of the OOF block).
    if model.oof_proba_ is not None:
        own_rows = [i for i, s in enumerate(table["source"]) if s == "sms_vi"]
        card["oof_metrics_sms_vi_with_sender"] = evaluate_predictions(
            [table["label"][i] for i in own_rows], model.oof_proba_[own_rows], model.classes_)
    model.training_ = {"sources": dict(sources), "seed": seed}
    return model, card


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spamguard.training", description=__doc__)
    parser.add_argument("task", choices=["sms", "posts"])
    parser.add_argument("-o", "--output", type=Path, help="model file (default: models/<task>.sgm)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    from spamguard.persist import save_model

    output = args.output or Path(__file__).resolve().parents[2] / "models" / f"{args.task}.sgm"
    if args.task == "sms":
        model, card = train_sms(seed=args.seed)
    else:
        from spamguard.classifiers.posts import train_posts

        model, card = train_posts(seed=args.seed)
    save_model(model, output, card=card)
    if args.task == "sms":
        from spamguard.model_card import write_sms_card
        from spamguard.persist import read_model_file

        meta, _ = read_model_file(output)
        evaluation = Path(__file__).resolve().parents[2] / "benchmarks" / "results_sms_eval.md"
        write_sms_card(card, meta["versions"], output.with_suffix(".md"), output, evaluation, meta["params"])
    print(f"saved {output} ({output.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
