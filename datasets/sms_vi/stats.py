"""Print the datasheet tables (counts per class, category, diacritics, length, sender kind) of an SMS corpus CSV.

Run: python datasets/sms_vi/stats.py [datasets/sms_vi/sms_vi.csv]
"""

from __future__ import annotations

import csv
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

from spamguard.datasets import has_diacritics
from spamguard.text import normalize
from spamguard.text.senders import classify_sender


def main(path: str) -> None:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_label: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_label[row["label"]].append(row)
    print(f"{len(rows)} messages, {len({r['group'] for r in rows})} groups, "
          f"{len({r['category'] for r in rows})} categories\n")
    print("| label | messages | share | no diacritics | median chars | obfuscated | test split |")
    print("|---|---|---|---|---|---|---|")
    for label in ("ham", "spam", "scam"):
        items = by_label[label]
        plain = sum(not has_diacritics(r["text"]) for r in items) / len(items)
        median = statistics.median(len(r["text"]) for r in items)
        obfuscated = sum(any(normalize(r["text"]).counts.values()) for r in items) / len(items)
        test = sum(r["split"] == "test" for r in items)
        print(f"| {label} | {len(items)} | {len(items) / len(rows):.0%} | {plain:.0%} | {median:.0f} | "
              f"{obfuscated:.0%} | {test} |")
    print("\n| label | category | messages | no diacritics |\n|---|---|---|---|")
    for (label, category), count in sorted(Counter((r["label"], r["category"]) for r in rows).items()):
        items = [r for r in rows if r["label"] == label and r["category"] == category]
        plain = sum(not has_diacritics(r["text"]) for r in items) / len(items)
        print(f"| {label} | {category} | {count} | {plain:.0%} |")
    print("\n| label | " + " | ".join(["brandname", "shortcode", "mobile", "international", "other kinds"]) +
          " |\n|---|---|---|---|---|---|")
    for label in ("ham", "spam", "scam"):
        kinds = Counter(classify_sender(r["sender"]).kind for r in by_label[label])
        other = sum(v for k, v in kinds.items() if k not in ("brandname", "shortcode", "mobile", "international"))
        print(f"| {label} | {kinds['brandname']} | {kinds['shortcode']} | {kinds['mobile']} | "
              f"{kinds['international']} | {other} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).with_name("sms_vi.csv")))
