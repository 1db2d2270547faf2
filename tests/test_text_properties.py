"""Properties of the text pipeline over arbitrary Unicode (hypothesis) and a linear-time guard."""

from __future__ import annotations

import importlib
import sys
import time
import unicodedata
from unittest import mock

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from spamguard.text import Entity, normalize, normalize_batch, tokenize, tokenize_batch  # noqa: E402
from spamguard.text.unicode_fold import DIRTY, clean_char  # noqa: E402

# Characters that exercise every rule: Vietnamese letters, leet, separators, marks, invisibles, look-alikes.
_TRICKY = list(
    "aăâbcdđeêghiklmnoôơpqrstuưvxyAĐÊOƠ àáảãạằấềểọộờủừỳ 0134579@$!.-_*|%kK/:"
    "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b\u0308\u030a\u200b\u200d\ufeff\x1e\n\t"
    "аеорсіΑΟρ ＡＢａｂ０１𝐀𝐚①ﬁİß🎉❤\ufe0f"
) + ["http://", "www.", ".com", ".xyz", "@gmail.com", "0912345678", "500k", "1tr5", "ko", "dc", "k h u y"]
tricky_text = st.lists(st.sampled_from(_TRICKY), max_size=40).map("".join)
any_text = st.one_of(st.text(max_size=80), tricky_text)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(any_text)
def test_normalize_never_raises_and_returns_consistent_fields(raw: str) -> None:
    norm = normalize(raw)
    assert norm.original == raw
    assert len(norm.offsets) == len(norm.text) == len(norm.ascii)
    assert all(0 <= o < len(raw) for o in norm.offsets)
    assert all(0 <= e.start <= e.end <= len(raw) and raw[e.start:e.end] == e.text for e in norm.entities)
    assert len(norm.entity_spans) == len(norm.entities)
    assert all(0 <= s <= e <= len(norm.text) for s, e, _ in norm.expansions)
    assert norm.text == norm.text.lower() or not norm.text.isascii()


@SETTINGS
@given(any_text)
def test_normalized_text_is_nfc(raw: str) -> None:
    assert unicodedata.is_normalized("NFC", normalize(raw).text)


@SETTINGS
@given(any_text)
def test_normalize_is_idempotent(raw: str) -> None:
    once = normalize(raw).text
    assert normalize(once).text == once


@SETTINGS
@given(any_text)
def test_nfd_and_nfc_inputs_give_identical_tokens(raw: str) -> None:
    assert tokenize(unicodedata.normalize("NFD", raw)) == tokenize(unicodedata.normalize("NFC", raw))


def _per_segment(find):
    """An entity finder that scans each record of a joined batch on its own (what batching must reproduce)."""

    def find_joined(text: str) -> list[Entity]:
        out, pos = [], 0
        for segment in text.split("\x1e"):
            out += [Entity(e.kind, e.start + pos, e.end + pos, e.text, e.placeholder, e.attrs) for e in find(segment)]
            pos += len(segment) + 1
        return out

    return find_joined


@SETTINGS
@given(st.lists(any_text, max_size=6))
def test_batch_functions_match_one_call_per_message(raws: list[str]) -> None:
    module = importlib.import_module("spamguard.text.normalize")
    with mock.patch.object(module, "find_entities", _per_segment(module.find_entities)):
        assert normalize_batch(raws) == [normalize(r) for r in raws]
        assert tokenize_batch(raws) == [tokenize(r) for r in raws]


def test_every_character_the_fast_path_accepts_is_already_clean() -> None:
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if DIRTY.match(char) is None:
            assert clean_char(char) == (char, None), hex(code)
            assert unicodedata.normalize("NFC", char) == char, hex(code)
            assert DIRTY.match(char.lower()) is None, hex(code)


# 1,805 distinct words with a misplaced tone, repeated to 1 MB: fixing them searched the text once per word and
# copied it once per fix (a minute at 1 MB); the batch searched its whole text once per word too.
_CONSONANTS = ["b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "ng", "nh", "ph", "s", "t", "th", "tr", "v", "x"]
_TONE_WORDS = " ".join(f"{a}{b}{c}oà" for a in _CONSONANTS for b in _CONSONANTS for c in "aeiou") + " "
_DISTINCT_MISPLACED_TONES = _TONE_WORDS * (1_000_000 // len(_TONE_WORDS))

_ADVERSARIAL = [
    "a" * 1_000_000,
    "a " * 500_000,
    "a." * 500_000,
    "th0" * 333_333,
    "1o" * 500_000,
    "\u0301" * 1_000_000,
    "a\u200b" * 500_000,
    "hoà" * 333_333,
    ("k h u y e n m a i " * 60_000)[:1_000_000],
    ("http://" + "a." * 499_990),
    "0912345678 " * 90_000,
    "ko " * 333_333,
    _DISTINCT_MISPLACED_TONES,
]


@pytest.mark.slow
@pytest.mark.parametrize("raw", _ADVERSARIAL, ids=lambda s: repr(s[:12]))
def test_a_one_megabyte_message_takes_seconds_not_minutes(raw: str) -> None:
    start = time.perf_counter()
    tokenize(raw)
    assert time.perf_counter() - start < 60  # generous: a quadratic regex would take hours


@pytest.mark.slow
def test_a_batch_with_a_one_megabyte_message_of_distinct_odd_words_takes_seconds() -> None:
    start = time.perf_counter()
    tokenize_batch([_DISTINCT_MISPLACED_TONES, "hoà bình", "xin chào"])
    assert time.perf_counter() - start < 60
