"""The project's own SMS corpus: schema, balance, realism targets and a leak-free evaluation split."""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1] / "datasets" / "sms_vi" / "sms_vi.csv"
sys.path.insert(0, str(CORPUS.parent))
from build_corpus import near_duplicate_pairs  # noqa: E402

from spamguard.datasets import has_diacritics  # noqa: E402


@pytest.fixture(scope="module")
def rows():
    with open(CORPUS, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_corpus_has_the_documented_columns(rows):
    assert set(rows[0]) >= {"id", "text", "label", "sender", "category", "group", "split"}


def test_corpus_is_large_and_roughly_half_ham(rows):
    labels = Counter(r["label"] for r in rows)
    assert len(rows) >= 4000
    assert set(labels) == {"ham", "spam", "scam"}
    assert 0.4 <= labels["ham"] / len(rows) <= 0.6


def test_corpus_has_no_duplicate_texts_or_ids(rows):
    assert len({r["text"] for r in rows}) == len(rows)
    assert len({r["id"] for r in rows}) == len(rows)


def test_corpus_covers_many_categories_and_senders(rows):
    assert len({r["category"] for r in rows}) >= 25
    assert all(r["sender"].strip() for r in rows)


def test_at_least_40_percent_of_messages_have_no_diacritics(rows):
    assert sum(not has_diacritics(r["text"]) for r in rows) / len(rows) >= 0.40


def test_groups_never_straddle_the_split(rows):
    split_of_group: dict[str, set[str]] = {}
    for row in rows:
        split_of_group.setdefault(row["group"], set()).add(row["split"])
    assert all(len(splits) == 1 for splits in split_of_group.values())


def test_no_near_duplicate_messages_straddle_the_split(rows):
    pairs = near_duplicate_pairs([r["text"] for r in rows])
    straddling = [(rows[i]["id"], rows[j]["id"]) for i, j in pairs if rows[i]["split"] != rows[j]["split"]]
    assert straddling == []


def test_near_duplicate_detector_catches_a_resent_variant():
    texts = ["Tai khoan cua quy khach bi khoa, truy cap vcb-xacminh.top de mo khoa ngay hom nay",
             "Tai khoan cua quy khach bi khoa, truy cap vcb-xacminh.vip de mo khoa ngay hom nay!",
             "Me oi con ve muon nhe, toi nay khong an com nha"]
    assert near_duplicate_pairs(texts) == [(0, 1)]
