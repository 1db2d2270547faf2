"""Assemble datasets/sms_vi/sms_vi.csv from the hand-written part files (parts/*.jsonl).

- validates every row (labels, required fields), drops exact duplicate texts (keeping the first),
- merges groups whose messages are near-duplicates (character 4-gram TF-IDF cosine >= 0.8 on the accent-free,
  digit-masked text) so that variants can never straddle the evaluation split,
- assigns stable ids and the split (``test`` for about 20% of groups, by a hash of the group id).

Run: python datasets/sms_vi/build_corpus.py            (the training corpus -> datasets/sms_vi/sms_vi.csv)
     python datasets/sms_vi/build_corpus.py --challenge  (the independent evaluation set ->
                                                          datasets/sms_vi_challenge/sms_vi_challenge.csv, all "test")
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = {"ham", "spam", "scam"}
FIELDS = ["id", "text", "label", "sender", "category", "group", "split"]
NEAR_DUPLICATE_COSINE = 0.8


def comparable(text: str) -> str:
    """The form two near-duplicate messages share: accent-free, lower-case, digits masked."""
    from spamguard.text import strip_accents

    return re.sub(r"\d", "0", strip_accents(text).lower())


def split_of(group: str) -> str:
    return "test" if int(hashlib.sha256(group.encode()).hexdigest(), 16) % 5 == 0 else "train"


def near_duplicate_pairs(texts: list[str], threshold: float = NEAR_DUPLICATE_COSINE) -> list[tuple[int, int]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 4)).fit_transform(comparable(t) for t in texts)
    similar = (matrix @ matrix.T).tocoo()
    return [(i, j) for i, j, v in zip(similar.row, similar.col, similar.data) if i < j and v >= threshold]


def merge_groups(groups: list[str], pairs: list[tuple[int, int]]) -> list[str]:
    parent = {g: g for g in groups}

    def find(g: str) -> str:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    for i, j in pairs:
        a, b = find(groups[i]), find(groups[j])
        if a != b:
            parent[max(a, b)] = min(a, b)
    return [find(g) for g in groups]


def main(argv: list[str] | None = None) -> int:
    challenge = "--challenge" in (sys.argv[1:] if argv is None else argv)
    folder = HERE.parent / "sms_vi_challenge" if challenge else HERE
    rows, seen, problems = [], set(), []
    for part in sorted((folder / "parts").glob("*.jsonl")):
        for number, line in enumerate(part.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{part.name}:{number}: {exc}")
                continue
            text = str(row.get("text", "")).strip()
            if row.get("label") not in LABELS or not text or not row.get("category") or not row.get("group"):
                problems.append(f"{part.name}:{number}: bad row {row!r:.80}")
                continue
            if text in seen:
                continue
            seen.add(text)
            rows.append({"text": text, "label": row["label"], "sender": str(row.get("sender") or ""),
                         "category": row["category"], "group": str(row["group"])})
    groups = merge_groups([r["group"] for r in rows], near_duplicate_pairs([r["text"] for r in rows]))
    with open(folder / f"{folder.name}.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        for index, (row, group) in enumerate(zip(rows, groups), 1):
            split = "test" if challenge else split_of(group)
            prefix = "chal" if challenge else "sms"
            writer.writerow({"id": f"{prefix}{index:05d}", **row, "group": group, "split": split})
    print(f"{len(rows)} rows, {len(set(groups))} groups, {len(problems)} problems", file=sys.stderr)
    for problem in problems[:20]:
        print("  " + problem, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
