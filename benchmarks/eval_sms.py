"""Held-out evaluation of the SMS model and two baselines trained on exactly the same rows, in one run.

Setups
1. sms_vi grouped 5-fold CV: each fold trains on the other folds of our corpus + the public SMS corpora (weighted as
   in spamguard.training) and tests on the held-out groups of our corpus.
2. Independent challenge set (datasets/sms_vi_challenge, written separately from the training corpus, never trained
   on): train on everything the shipped model uses, test on the challenge set, with and without senders.
3. Leave-one-public-corpus-out: train on our corpus + the other public corpora, test on the held-out one.

Run:  python benchmarks/eval_sms.py            (writes benchmarks/results_sms_eval.md and .json)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from sms_systems import CLASSES, SYSTEMS  # noqa: E402
from spamguard.metrics import evaluate_predictions  # noqa: E402
from spamguard.training import PUBLIC_SMS_WEIGHTS, sms_training_table  # noqa: E402

OUT = Path(__file__).parent


def subset(table, rows):
    return {k: [v[i] for i in rows] for k, v in table.items()}


def run_system(name, train, test, use_sender=True):
    system = SYSTEMS[name]()
    start = time.perf_counter()
    system.fit(train)
    fit_seconds = time.perf_counter() - start
    results = {}
    modes = [("with_sender", True), ("no_sender", False)] if name == "spamguard" and use_sender else [("text", False)]
    for mode, flag in modes:
        proba = system.proba(test, use_sender=flag)
        labels = system.labels(test) if hasattr(system, "labels") else None
        results[mode] = (proba, labels)
    return results, fit_seconds


def metrics_row(y, proba, labels):
    present = [c for c in CLASSES if c in set(y)]
    keep = [CLASSES.index(c) for c in present]
    if labels is None:
        labels = np.asarray(CLASSES)[proba.argmax(axis=1)]
    return evaluate_predictions(y, proba[:, keep], present, y_pred=labels)


def cv_setup(table, systems, folds):
    from sklearn.model_selection import GroupKFold

    own = [i for i, s in enumerate(table["source"]) if s == "sms_vi"]
    public = [i for i, s in enumerate(table["source"]) if s != "sms_vi"]
    groups = np.asarray(table["group"])[own]
    collected = {}
    for train_idx, test_idx in GroupKFold(n_splits=folds).split(own, groups=groups):
        train = subset(table, [own[i] for i in train_idx] + public)
        test = subset(table, [own[i] for i in test_idx])
        for name in systems:
            results, _ = run_system(name, train, test)
            for mode, (proba, labels) in results.items():
                entry = collected.setdefault((name, mode), {"y": [], "proba": [], "labels": []})
                entry["y"] += test["label"]
                entry["proba"].append(proba)
                entry["labels"].append(labels if labels is not None else np.asarray(CLASSES)[proba.argmax(1)])
    return {f"{n} ({m})": metrics_row(v["y"], np.vstack(v["proba"]), np.concatenate(v["labels"]))
            for (n, m), v in collected.items()}


def held_out_corpus_setup(corpus, systems):
    train = sms_training_table(exclude=(corpus,))
    full = sms_training_table(public_weights={corpus: 1.0})
    test = subset(full, [i for i, s in enumerate(full["source"]) if s == corpus])
    out = {}
    for name in systems:
        results, _ = run_system(name, train, test, use_sender=False)
        for mode, (proba, labels) in results.items():
            out[f"{name} ({mode})"] = metrics_row(test["label"], proba, labels)
    return out


def to_markdown(title, results):
    cols = ["scam ROC-AUC", "scam PR-AUC", "scam R@1%", "scam R@0.1%", "spam ROC-AUC", "spam PR-AUC",
            "F1 ham", "F1 spam", "F1 scam", "macro-F1"]
    lines = [f"### {title}", "", "| system | n | " + " | ".join(cols) + " |", "|---" * (len(cols) + 2) + "|"]
    for system, m in results.items():
        def get(cls, key, pc=m["per_class"]):
            value = pc.get(cls, {}).get(key)
            return "-" if value is None or value != value else f"{value:.3f}"

        cells = [get("scam", "roc_auc"), get("scam", "pr_auc"), get("scam", "recall_at_fpr_0.01"),
                 get("scam", "recall_at_fpr_0.001"), get("spam", "roc_auc"), get("spam", "pr_auc"),
                 get("ham", "f1"), get("spam", "f1"), get("scam", "f1"), f"{m['macro_f1']:.3f}"]
        lines.append(f"| {system} | {m['n']} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--skip-held-out", action="store_true")
    args = parser.parse_args(argv)
    systems = args.systems.split(",")
    started = time.time()
    table = sms_training_table()
    sections = {"sms_vi grouped 5-fold CV (test: held-out groups of our corpus)": cv_setup(table, systems, args.folds)}
    try:
        from spamguard.datasets import load_sms_challenge

        challenge = load_sms_challenge()
        test = {"text": challenge.texts, "sender": challenge.meta["sender"], "label": challenge.labels}
        out = {}
        for name in systems:
            results, _ = run_system(name, table, test)
            for mode, (proba, labels) in results.items():
                out[f"{name} ({mode})"] = metrics_row(test["label"], proba, labels)
        sections["independent challenge set (different writer; trained on the full training data)"] = out
    except FileNotFoundError:
        pass
    if not args.skip_held_out:
        for corpus in PUBLIC_SMS_WEIGHTS:
            if corpus in set(table["source"]):
                sections[f"held-out corpus: {corpus} (trained without it)"] = held_out_corpus_setup(corpus, systems)
    command = "python benchmarks/eval_sms.py " + " ".join(argv or sys.argv[1:])
    md = [f"Command: `{command.strip()}` ({time.time() - started:.0f} s)", ""]
    md += [to_markdown(title, res) for title, res in sections.items()]
    (OUT / "results_sms_eval.md").write_text("\n".join(md), encoding="utf-8")
    (OUT / "results_sms_eval.json").write_text(json.dumps(sections, indent=1, default=float), encoding="utf-8")
    print("\n".join(md))


if __name__ == "__main__":
    main()
