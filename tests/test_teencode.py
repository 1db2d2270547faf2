"""Teencode and SMS abbreviations: recorded as expansions beside the original word, never inside numbers."""

from __future__ import annotations

import pytest

from spamguard.text import normalize
from spamguard.text.teencode import TEENCODE, find_expansions


def _expanded(raw: str) -> dict[str, set[str]]:
    norm = normalize(raw)
    out: dict[str, set[str]] = {}
    for start, end, expansion in norm.expansions:
        out.setdefault(norm.text[start:end], set()).add(expansion)
    return out


@pytest.mark.parametrize(
    ("raw", "word", "expansion"),
    [
        ("ko biết", "ko", "không"),
        ("k đi đâu", "k", "không"),
        ("hok sao", "hok", "không"),
        ("dc ko", "dc", "được"),
        ("đc rồi", "đc", "được"),
        ("xong r", "r", "rồi"),
        ("đi vs ai", "vs", "với"),
        ("ib mình", "ib", "nhắn tin"),
        ("cho xin sdt", "sdt", "số điện thoại"),
        ("sđt của bạn", "sđt", "số điện thoại"),
        ("tk bị khóa", "tk", "tài khoản"),
        ("chuyển vào stk này", "stk", "số tài khoản"),
        ("tuyển ctv online", "ctv", "cộng tác viên"),
        ("mik ở nhà", "mik", "mình"),
        ("bn ơi", "bn", "bạn"),
        ("j vậy", "j", "gì"),
        ("Ko Đc", "đc", "được"),
        ("lh ngay", "lh", "liên hệ"),
        ("ck vào tk", "ck", "chuyển khoản"),
        ("thanks nhé", "thanks", "cảm ơn"),
        ("bít ko", "bít", "biết"),
        ("cccd của bạn", "cccd", "căn cước công dân"),
        ("ntn hả", "ntn", "như thế nào"),
        ("ko, r", "r", "rồi"),
    ],
)
def test_teencode_words_get_their_expansion(raw: str, word: str, expansion: str) -> None:
    assert expansion in _expanded(raw).get(word, set())


@pytest.mark.parametrize("raw", ["ko biết", "dc rồi", "stk 123"])
def test_expansion_keeps_the_original_word_in_the_text(raw: str) -> None:
    assert normalize(raw).text == raw


@pytest.mark.parametrize(
    "raw",
    ["500k", "giá 500 k", "888K", "nạp 100 k nhận 200 k", "10 h sáng", "2 tr", "1.500 k", "kết quả", "kho hàng",
     "ko@gmail.com", "a1", "dcm123"],
)
def test_money_numbers_and_longer_words_are_not_teencode(raw: str) -> None:
    words = {normalize(raw).text[s:e] for s, e, _ in normalize(raw).expansions}
    assert not words & {"k", "h", "tr", "kh", "ko", "dc", "a"}


def test_expansions_are_spans_of_the_normalized_text() -> None:
    norm = normalize("Ko dc r, ib mik nha")
    assert all(norm.text[s:e] in TEENCODE for s, e, _ in norm.expansions)
    assert [norm.text[s:e] for s, e, _ in norm.expansions][:3] == ["ko", "dc", "r"]


def test_find_expansions_skips_given_spans() -> None:
    assert find_expansions("ko ib", [(0, 2)]) == [(3, 5, "nhắn tin")]


def test_the_table_has_at_least_200_entries_in_lower_case() -> None:
    assert len(TEENCODE) >= 200
    assert all(key == key.lower() and " " not in key for key in TEENCODE)
    assert all(expansions for expansions in TEENCODE.values())
