"""Check that a faster version of the pipeline gives exactly the outputs of a reference version.

Dump the outputs of each version (entities, normalization, tokens, analyses, SMS probabilities) for ~40,000
texts: our corpora, the public SMS corpora present on this machine, seeded random Unicode noise and spliced
messages. Then compare the dumps.

    git archive <commit> src models datasets | tar -x -C /tmp/ref
    PYTHONPATH=/tmp/ref/src python benchmarks/equivalence.py dump /tmp/ref.pkl
    python benchmarks/equivalence.py dump /tmp/new.pkl
    python benchmarks/equivalence.py compare /tmp/ref.pkl /tmp/new.pkl     # exit 0 and "EQUIVALENT" when equal

Used for every speed change of session 2 (all outputs equal to those of commit 95f036f).
"""

from __future__ import annotations

import argparse
import pickle
import random
import sys
from pathlib import Path

import numpy as np

PARTS = ("ent", "norm", "tok", "ana", "proba", "proba_ns")
_NOISE = ("aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạ0123456789 .,:/@-+*#xk$%\u200b\u0301\u0300ΑΒοаеоTKSTKOTPhttpsvcbbankvn"
          "\n\t!?")


def _texts() -> tuple[list[str], list[str | None]]:
    from spamguard import datasets as D
    from spamguard.errors import DatasetNotFoundError

    texts: list[str] = []
    senders: list[str | None] = []
    for loader in (D.load_sms_vi, D.load_sms_challenge, D.load_uci_translated, D.load_synthetic_scam,
                   D.load_spam_comments, D.load_pth1993_sample):
        try:
            data = loader()
        except DatasetNotFoundError as exc:
            print(f"skipped {loader.__name__}: {exc}", file=sys.stderr)
            continue
        texts += list(data.texts)
        column = data.meta.get("sender") if data.meta is not None and "sender" in data.meta else None
        senders += list(column) if column is not None else [None] * len(data.texts)
    sys.path.insert(0, str(Path(__file__).parent))
    from text_samples import LONG, SHORT

    texts += SHORT + LONG
    senders += [None] * (len(SHORT) + len(LONG))
    rng = random.Random(0)
    corpus = texts[:5000] or ["xin chao"]
    for _ in range(3000):
        texts.append("".join(rng.choice(_NOISE) for _ in range(rng.randint(0, 120))))
        senders.append(rng.choice([None, "VCB", "0912345678", "8088", "", "+84901234567"]))
    for _ in range(3000):
        a, b = rng.choice(corpus), rng.choice(corpus)
        texts.append(a[: rng.randint(0, len(a))] + rng.choice(["", " ", "0", ".", "k", "đ", "Ô", "x"])
                     + b[rng.randint(0, len(b)):])
        senders.append(None)
    return texts, senders


def dump(path: str) -> None:
    import spamguard
    from spamguard.features import sms as F
    from spamguard.text import normalize_batch, tokenize_batch
    from spamguard.text.entities import find_entities_batch

    texts, senders = _texts()
    norms = normalize_batch(texts)
    model = spamguard.load_model("sms")
    result = {
        "n": len(texts),
        "ent": [[e.to_dict() for e in found] for found in find_entities_batch(texts)],
        "norm": [(n.original, n.text, n.ascii, n.offsets, [e.to_dict() for e in n.entities], n.counts, n.expansions,
                  n.entity_spans) for n in norms],
        "tok": tokenize_batch(norms),
        "ana": [a.tokens for a in F.analyze(texts, senders)],
        "proba": model.predict_proba(texts, senders=senders),
        "proba_ns": model.predict_proba(texts),
    }
    with open(path, "wb") as handle:
        pickle.dump(result, handle)
    print(f"{len(texts)} texts from {spamguard.__file__} -> {path}")


def compare(first: str, second: str) -> int:
    with open(first, "rb") as handle:
        a = pickle.load(handle)
    with open(second, "rb") as handle:
        b = pickle.load(handle)
    if a["n"] != b["n"]:
        print(f"different inputs: {a['n']} and {b['n']} texts (are the same corpora present?)")
        return 1
    same = True
    for part in PARTS:
        if part.startswith("proba"):
            diff = float(np.abs(a[part] - b[part]).max()) if len(a[part]) else 0.0
            print(f"{part}: max abs difference {diff}")
            same &= diff == 0.0
            continue
        # Token lists are compared as multisets: their order never matters to the models.
        bad = [i for i, (x, y) in enumerate(zip(a[part], b[part]))
               if (sorted(x) != sorted(y) if part in ("tok", "ana") else x != y)]
        print(f"{part}: {len(bad)} texts differ {bad[:10]}")
        same &= not bad
    print("EQUIVALENT" if same else "DIFFERENT")
    return 0 if same else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("dump").add_argument("out")
    cmp = sub.add_parser("compare")
    cmp.add_argument("first")
    cmp.add_argument("second")
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.out)
        return 0
    return compare(args.first, args.second)


if __name__ == "__main__":
    sys.exit(main())
