"""The scoring path's count matrix equals the one built from token strings; the int table behind it."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spamguard import _compiled
from spamguard.features import sms_counts
from spamguard.features.int_table import IntTable
from spamguard.features.sms import analyze, hash_tokens
from spamguard.features.sms_counts import count_matrix

MESSAGES = [
    "Ma OTP cua ban la 482913. Khong chia se ma nay cho bat ky ai.",
    "TK 0123xxx456 +2,000,000VND luc 10:20 27/03/2025. SD: 15,230,000VND. ND: luong thang 3",
    "Mẹ ơi tối nay con về muộn, mẹ đừng đợi cơm nhé",
    "Vietcombank: tai khoan cua quy khach bi khoa, xac minh ngay tai http://vietcombank-xacminh.top",
    "VCB th0ng ba0: tai kh0an cua QK bi kh0a. Xac thuc tai vietc0mbank-tracuu.top",
    "k h u y e n m a i 50% cho ban, ib shop nhe, sdt 0912 345 678",
    "Tài khoản Vietcombank của bạn bị khoá, gọi 1900 1234 hoặc vào vcb.com.vn",
    "📚 IELTS cấp tốc 5tr9 giảm còn 4tr9 🎉 zalo 0394 726 015 ٣٤٥ x²",
    "", " ", "\x1e", "a\x1eb\x01c", "\x00", "1234567890123456 12 1", "ko dc r, vs ib stk vcb",
    "Ｔｈôｎｇ ｂáｏ", "Toà án gửi thông báo, liên hệ thư ký tòa",
]
SENDERS = ["VCB", "Vietcombank", "0912345678", None, "", "8088", "+84901234567", "GHN"] + [None] * 9


_KERNELS = _compiled.speedups


@pytest.fixture(params=["pure", "compiled"])
def implementation(request, monkeypatch):
    """Runs a test with the pure-Python count matrix and again with the C kernels (when they were built)."""
    if request.param == "compiled" and _KERNELS is None:
        pytest.skip("spamguard._speedups is not loaded (not built here, or SPAMGUARD_PURE_PYTHON=1)")
    monkeypatch.setattr(_compiled, "speedups", _KERNELS if request.param == "compiled" else None)
    return request.param


@pytest.fixture
def pure(monkeypatch):
    monkeypatch.setattr(_compiled, "speedups", None)


def _reference(texts, senders, n_features):
    return hash_tokens([a.tokens for a in analyze(texts, senders)], n_features)


def _assert_same(a, b):
    a.sort_indices()
    b.sort_indices()
    assert a.shape == b.shape
    np.testing.assert_array_equal(a.indptr, b.indptr)
    np.testing.assert_array_equal(a.indices, b.indices)
    np.testing.assert_array_equal(a.data, b.data)


@pytest.mark.parametrize("with_senders", [True, False])
def test_count_matrix_equals_hashing_the_token_strings(with_senders, implementation):
    senders = SENDERS if with_senders else None
    _assert_same(count_matrix(MESSAGES, senders, 2**18), _reference(MESSAGES, senders, 2**18))


def test_units_from_normalization_equal_the_tokenizers_own():
    from spamguard.text.fastpath import normalize_batch_with_units
    from spamguard.text.tokenize import lane_unit_strings

    norms, units = normalize_batch_with_units([m for m in MESSAGES if "\x1e" not in m])
    computed = lane_unit_strings(norms)
    assert any(u is not None for u in units)
    assert all(u is None or u == c for u, c in zip(units, computed))


def test_count_matrix_is_the_same_on_a_second_batch_with_warm_tables(implementation):
    first = count_matrix(MESSAGES, SENDERS, 2**16)
    again = count_matrix(MESSAGES[::-1], SENDERS[::-1], 2**16)
    _assert_same(first, again[::-1])


def test_tables_are_rebuilt_when_they_grow_past_their_bound(monkeypatch, pure):
    monkeypatch.setattr(sms_counts, "_MAX_UNITS", 5)
    count_matrix(MESSAGES, SENDERS, 2**12)
    tables = sms_counts._TABLES[2**12]
    count_matrix(MESSAGES[:2], SENDERS[:2], 2**12)
    assert sms_counts._TABLES[2**12] is not tables
    _assert_same(count_matrix(MESSAGES, SENDERS, 2**12), _reference(MESSAGES, SENDERS, 2**12))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet=st.sampled_from(list("aăbcdđeêhkmnoôơtuưáàạ0123456789 .,:/@+-xk%\u0301\u200b\x1e"))
                        | st.characters(), max_size=60), max_size=6))
def test_count_matrix_equals_the_reference_on_arbitrary_text(implementation, texts):
    _assert_same(count_matrix(texts, None, 2**10), _reference(texts, None, 2**10))


def test_int_table_computes_each_new_key_once_and_remembers_it():
    table = IntTable(bits=2)
    calls = []

    def compute(new, first):
        calls.append(new.tolist())
        assert (keys[first] == new).all()
        return new * 10

    keys = np.array([5, 1 << 40, 5, 7, 3, 123456789, 7], dtype=np.int64)
    np.testing.assert_array_equal(table.lookup(keys, compute), keys * 10)
    assert sorted(calls[0]) == sorted(set(keys.tolist()))
    np.testing.assert_array_equal(table.lookup(keys[::-1], compute), keys[::-1] * 10)
    assert len(calls) == 1 and len(table) == 5


def test_int_table_survives_growth_and_collisions():
    rng = np.random.default_rng(0)
    table = IntTable(bits=1)
    for _ in range(20):
        keys = rng.integers(0, 2000, size=300)
        np.testing.assert_array_equal(table.lookup(keys, lambda k, _: k + 1), keys + 1)
    assert len(table) == len(np.unique(table.keys[table.keys >= 0]))
    assert 2 * len(table) <= len(table.keys)


def test_int_table_refuses_negative_keys():
    with pytest.raises(ValueError):
        IntTable().lookup(np.array([-1]), lambda k, _: k)


def test_repeated_messages_are_analyzed_once_and_keep_their_rows(monkeypatch, implementation):
    calls = []
    real = sms_counts.normalize_batch_with_units
    monkeypatch.setattr(sms_counts, "normalize_batch_with_units",
                        lambda texts, **options: calls.append(list(texts)) or real(texts, **options))
    texts = [MESSAGES[0], MESSAGES[3], MESSAGES[0], MESSAGES[3], MESSAGES[0]]
    senders = ["VCB", None, "VCB", "VCB", "VCB"]  # the same text from another sender is another message
    matrix = count_matrix(texts, senders, 2**16)
    assert calls == [[MESSAGES[0], MESSAGES[3], MESSAGES[3]]]
    _assert_same(matrix, _reference(texts, senders, 2**16))


def test_unhashable_cells_are_reported_not_crashed_on():
    from spamguard.errors import InputFormatError

    with pytest.raises(InputFormatError):
        count_matrix(["ok", ["a", "list"]], None, 2**10)


def test_scoring_from_several_threads_gives_the_single_thread_result(implementation):
    from concurrent.futures import ThreadPoolExecutor

    sms_counts._TABLES.pop(2**14, None)  # start cold, so that the threads fill the tables together
    batches = [[f"{m} {i} ma {i * 7919 % 100000:05d} tu{i}" for m in MESSAGES] for i in range(16)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to give races their chance
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            together = list(pool.map(lambda b: count_matrix(b, None, 2**14), batches))
    finally:
        sys.setswitchinterval(interval)
    for batch, matrix in zip(batches, together):
        _assert_same(matrix, _reference(batch, None, 2**14))


def test_word_hashes_split_like_str_split_and_keep_rows_with_newlines_inside():
    from spamguard.features.word_hashes import hash_words

    strings = ["ab  cd", "", "x\ny\x1ez", " ab ", "ab\u3000cd"]
    words = hash_words(strings)
    assert [words.word(k) for k in range(len(words.keys))] == [w for s in strings for w in s.split()]
    assert words.rows.tolist() == [r for r, s in enumerate(strings) for _ in s.split()]
    key = dict(zip((words.word(k) for k in range(len(words.keys))), words.keys.tolist()))
    assert len(set(key.values())) == len(key)  # distinct words, distinct keys
    assert words.keys[0] == words.keys[5]  # "ab" hashes alike wherever it stands
