"""Dataset loaders, on small fixture files written for these tests (never the shared corpora)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from spamguard import datasets
from spamguard.cleaning import fix_mojibake, parse_count, parse_timestamp
from spamguard.errors import DatasetNotFoundError

FIXTURES = Path(__file__).parent / "fixtures" / "datasets"


@pytest.fixture(autouse=True)
def _fixture_data_dir(monkeypatch):
    monkeypatch.setenv("SPAMGUARD_DATA_DIR", str(FIXTURES))


def test_data_dir_follows_the_environment_variable():
    assert datasets.data_dir() == FIXTURES


def test_uci_loader_drops_empty_translations_and_counts_them():
    data = datasets.load_uci_translated()
    assert data.labels == ["ham", "spam", "ham"]
    assert data.dropped == 1
    assert all(data.texts)


def test_synthetic_scam_loader_maps_sources_to_scam_and_ham():
    data = datasets.load_synthetic_scam()
    assert sorted(set(data.labels)) == ["ham", "scam"]
    assert len(data) == 3


def test_spam_comments_loader_skips_empty_text_and_bad_labels():
    data = datasets.load_spam_comments()
    assert data.labels == ["ham", "spam"]
    assert data.dropped == 2


def test_reintel_train_keeps_multiline_posts_and_raw_metadata():
    data = datasets.load_reintel("train")
    assert data.labels == ["reliable", "unreliable", "reliable"]
    assert "\n" in data.texts[0]
    assert data.meta["num_like_post"][1] == "54 like"
    assert data.dropped == 1  # the empty post


def test_reintel_train_repairs_mojibake():
    data = datasets.load_reintel("train")
    assert data.texts[2].startswith("Tiếng Việt")


def test_reintel_test_split_keeps_every_row_even_empty_ones():
    data = datasets.load_reintel("public_test")
    assert data.labels is None
    assert data.meta["id"] == ["10", "11"]


def test_vispamreviews_reads_both_label_sets():
    spam = datasets.load_vispamreviews("test", "spam")
    kind = datasets.load_vispamreviews("test", "type")
    assert spam.labels == ["0", "1"] and kind.labels == ["0", "3"]


def test_viclickbait_skips_unknown_labels():
    data = datasets.load_viclickbait("train")
    assert data.labels == ["clickbait", "non-clickbait"]


@pytest.mark.parametrize("split, label", [("nope", "spam"), ("test", "nope")])
def test_vispamreviews_rejects_unknown_split_or_label(split, label):
    with pytest.raises(ValueError, match="split must be"):
        datasets.load_vispamreviews(split, label)


def test_missing_corpus_raises_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("SPAMGUARD_DATA_DIR", str(tmp_path))
    with pytest.raises(DatasetNotFoundError, match="SPAMGUARD_DATA_DIR"):
        datasets.load_vfnd()


def test_describe_available_lists_present_corpora_with_statistics():
    rows = {r["name"]: r for r in datasets.describe_available()}
    assert rows["uci_translated_vi"]["rows"] == 3
    assert rows["uci_translated_vi"]["diacritics"] == 1.0
    assert "vfnd" not in rows  # absent from the fixtures: skipped, not an error


@pytest.mark.parametrize("cell, expected", [
    ("54", 54.0), ("54 like", 54.0), ("1 share", 1.0), ("1,200", 1200.0), ("1.2k", 1200.0), ("3M", 3e6),
    (7, 7.0), (2.0, 2.0), ("unknown", math.nan), ("", math.nan), (None, math.nan), (float("nan"), math.nan),
    ("abc", math.nan), (-3, math.nan), (True, math.nan),
])
def test_parse_count_reads_messy_engagement_cells(cell, expected):
    result = parse_count(cell)
    assert (math.isnan(result) and math.isnan(expected)) or result == expected


@pytest.mark.parametrize("cell, expected", [
    ("1585000000", 1585000000.0), (1585000000000, 1585000000.0), ("unknown", math.nan), ("", math.nan),
])
def test_parse_timestamp_accepts_unix_seconds_and_milliseconds(cell, expected):
    result = parse_timestamp(cell)
    assert (math.isnan(result) and math.isnan(expected)) or result == expected


@pytest.mark.parametrize("codec", ["latin-1", "mac_roman"])
def test_fix_mojibake_undoes_wrong_decoding(codec):
    text = "Thông báo: tài khoản đã được cộng tiền"
    assert fix_mojibake(text.encode("utf-8").decode(codec)) == text


@pytest.mark.parametrize("text", ["Thông báo: tài khoản đã được cộng tiền", "Café au lait", "", "abc", "Ứng dụng"])
def test_fix_mojibake_leaves_correct_text_alone(text):
    assert fix_mojibake(text) == text
