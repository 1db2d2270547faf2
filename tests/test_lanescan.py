"""The lane kernel (spamguard._lanescan) against the pure-Python checks it replaces in normalize_batch()."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spamguard.text import fastpath, lane

KERNEL = lane._KERNEL


@pytest.fixture(params=["pure", "compiled"])
def word_kernel(request, monkeypatch):
    if request.param == "compiled" and KERNEL is None:
        pytest.skip("spamguard._lanescan was not built here")
    monkeypatch.setattr(lane, "_KERNEL", KERNEL if request.param == "compiled" else None)
    return request.param


def _checks(messages: list[str]):
    data = lane.encode_lossy("\x1e".join(messages))
    units = lane.unit_bytes(data)
    return fastpath._word_checks(units, lane.decode(units).split("\x1e"), [len(m) for m in messages])


def _expected(messages: list[str]):
    """The definition: per message, its teencode words; messages with a word whose tone mark is misplaced."""
    pieces = lane.decode(lane.unit_bytes(lane.encode_lossy("\x1e".join(messages)))).split("\x1e")
    words = [set(p.split()) for p in pieces]
    suspects = fastpath._n.tone_suspects(set().union(*words))
    hits = {i: w & fastpath.TEENCODE_KEYS for i, w in enumerate(words) if w & fastpath.TEENCODE_KEYS}
    return hits, {i for i, w in enumerate(words) if w & suspects}


CASES = ["ko dc r, vs ib stk vcb", "hoà bình khoá toà", "", "k", "tk tk tk", "500k nhe", "ib", "ok ko ko",
         "thuỷ hoà ko", "xin chào bạn", "a\x01b ko", "ctv sdt"]


@pytest.mark.parametrize("order", [1, -1])
def test_word_checks_find_teencode_and_misplaced_tones_per_message(word_kernel, order):
    messages = CASES[::order]
    assert _checks(messages) == _expected(messages)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(["ko", "k", "dc", "r", "vs", "hoà", "khoá", "hòa", "toà", "tiền", "ib", "x",
                                          "500", "ạ", "đc", "", ".", "stk"]), max_size=8).map(" ".join),
                max_size=6))
def test_word_checks_equal_the_definition_on_generated_batches(word_kernel, messages):
    assert _checks(messages) == _expected(messages)


@pytest.mark.skipif(KERNEL is None, reason="spamguard._lanescan was not built here")
@pytest.mark.parametrize("args, error", [
    ((b"ab", [3], (b"a",), lane._DECODE), ValueError),
    ((b"ab", [-1], (b"a",), lane._DECODE), ValueError),
    ((b"ab", [2], (b"",), lane._DECODE), TypeError),
    ((b"ab", [2], ("a",), lane._DECODE), TypeError),
    ((b"ab", [2], (b"a",), "abc"), ValueError),
    ((b"ab", ["2"], (b"a",), lane._DECODE), TypeError),
    (("ab", [2], (b"a",), lane._DECODE), TypeError),
])
def test_unit_words_rejects_bad_arguments(args, error):
    with pytest.raises(error):
        KERNEL.unit_words(*args)


@pytest.mark.skipif(KERNEL is None, reason="spamguard._lanescan was not built here")
@pytest.mark.parametrize("args, error", [
    ((b"ab", [3], lane._FLAG_TABLES), ValueError),
    ((b"ab", [2], lane._FLAG_TABLES[:4]), TypeError),
    ((b"ab", [2], (b"x",) * 5), TypeError),
    ((b"ab", [None], lane._FLAG_TABLES), TypeError),
])
def test_obfuscation_flags_rejects_bad_arguments(args, error):
    with pytest.raises(error):
        KERNEL.obfuscation_flags(*args)


def test_a_batch_with_many_distinct_wide_words_grows_the_word_table(word_kernel):
    messages = [" ".join(f"từ{i}x{j}" for j in range(50)) + " ko" for i in range(200)]
    hits, misplaced = _checks(messages)
    assert hits == {i: {"ko"} for i in range(200)} and misplaced == set()
