"""The token kernel (spamguard._tokens) against the pure-Python tokenizer: the same token lists, in the same order."""

from __future__ import annotations

import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import spamguard.text.tokenize  # noqa: F401  (the module, not the function of the same name)
from spamguard.text import tokenize_batch

tokenize_module = sys.modules["spamguard.text.tokenize"]
KERNEL = tokenize_module._KERNEL
pytestmark = pytest.mark.skipif(KERNEL is None, reason="spamguard._tokens is not loaded (not built here, or SPAMGUARD_PURE_PYTHON=1)")

MESSAGES = [
    "Tài khoản 0912 345 678 của bạn, vào vcb.com.vn hoặc http://vietcombank-xacminh.top",
    "TK 0123xxx456 +2,000,000VND luc 10:20 27/03/2025. SD: 15,230,000VND",
    "ko dc r, vs ib stk vcb 500k", "Th0ng ba0: t.a.i k.h.o.a.n bị khoá", "", " ", "١٢٣ ٣٤٥ số",
    "Mẹ ơi tối nay con về muộn", "📚 IELTS 5tr9 🎉 zalo 0394 726 015", "a" * 300, "1 2 3 4 5 6 7 8 9 10 11 12 13",
    "Ｔｈôｎｇ ｂáｏ", "email: vcb.hotro@gmail.com, OTP 482913", "Toà án gửi thông báo",
]


def _pure(texts, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(tokenize_module, "_KERNEL", None)
        return tokenize_batch(texts)


def test_the_kernel_gives_the_pure_tokens(monkeypatch):
    assert tokenize_batch(MESSAGES) == _pure(MESSAGES, monkeypatch)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet=st.sampled_from(list("aăbcdđeêhkmnoôơtuưáàạ0123456789 .,:/@+-xk%\u0301\u200b"))
                        | st.characters(), max_size=60), max_size=6))
def test_the_kernel_gives_the_pure_tokens_on_arbitrary_text(monkeypatch, texts):
    assert tokenize_batch(texts) == _pure(texts, monkeypatch)


class _Placed:
    def __init__(self, placeholder):
        self.placeholder = placeholder


def test_units_pairs_then_the_accent_free_side_with_shapes_and_placeholders():
    rows = KERNEL.unit_tokens(["tài 0912 khoản", "ab cd"], [None, None], [None, [(3, 5)]], [[], [_Placed("__url__")]])
    assert rows[0] == ["tài", "__num4__", "khoản", "tài___num4__", "__num4___khoản",
                       "~tài", "~__num4__", "~khoản", "~tài___num4__", "~__num4___khoản"]
    assert rows[1] == ["ab", "__url__", "ab___url__", "~ab", "~__url__", "~ab___url__"]


@pytest.mark.parametrize("args, error", [
    ((["a"], [None, None]), ValueError),
    ((["a", 3], [None, None]), TypeError),
    ((("a",), [None]), TypeError),
    ((["a"], [5]), TypeError),
    ((["abc"], [None], [[(-1, 2)]], [[_Placed("__x__")]]), ValueError),
    ((["abc"], [None], [[(0, 2)]], [[object()]]), AttributeError),
    ((["abc"], [None], [[(0, 2)]], None), ValueError),
])
def test_unit_tokens_rejects_bad_arguments(args, error):
    with pytest.raises(error):
        KERNEL.unit_tokens(*args)



def test_tokens_in_every_string_width_are_the_strings_python_builds(monkeypatch):
    # ASCII, Latin-1, two-byte and four-byte characters, and long units: equal to (and hashing like) the strings
    # Python builds (a string built in a wider form than its characters need would compare unequal).
    texts = ["ab ab ab", "é é", "ở ở ở", "𠀀a 𠀀a", "x" * 40 + " " + "x" * 40, "ab ở 𠀀a é ab"]
    rows = tokenize_batch(texts)
    assert rows == _pure(texts, monkeypatch)
    for row in rows:
        for token in row:
            assert hash(token) == hash("".join(list(token)))
            assert {token: 1}.get("".join(list(token))) == 1


# --- the per-call tables of units and "~" units -----------------------------------------------------------------

def test_a_repeated_unit_is_one_string_within_a_call_and_equal_across_calls():
    rows = KERNEL.unit_tokens(["xin chào bạn", "chào bạn nhé", "xin chào bạn"], [None, "chao ban nhe", None])
    assert rows[0][1] is rows[1][0] and rows[0][2] is rows[1][1]  # "chào", "bạn"
    tilde_chao = rows[0][rows[0].index("~chào")]
    assert tilde_chao is rows[2][rows[2].index("~chào")]
    assert rows[0] == rows[2] and rows[1][-3:] == ["~nhe", "~chao_ban", "~ban_nhe"]
    again = KERNEL.unit_tokens(["xin chào bạn"], [None])
    assert again[0] == rows[0]


def test_past_the_table_cap_tokens_stay_right(monkeypatch):
    # More distinct units than the tables take (1 << 16): the rest are made without them.
    import random

    rng = random.Random(5)
    letters = "abcdeghiklmnopqrstuvxyăâđêôơư"
    texts = [" ".join("".join(rng.choice(letters) for _ in range(6)) for _ in range(20)) for _ in range(4000)]
    texts += texts[:50]  # repeats of units already seen, after the cap
    assert tokenize_batch(texts) == _pure(texts, monkeypatch)


def test_the_tables_hold_no_reference_after_the_call():
    unit = "".join(["ch", "ào"])  # a string object of our own, to count its references
    rows = KERNEL.unit_tokens([f"xin {unit} bạn", f"{unit} bạn"], [None, None])
    chao = rows[0][1]
    before = sys.getrefcount(chao)
    del rows[1]
    after = sys.getrefcount(chao)
    assert after == before - 1  # the second row's reference went with it: no table holds one
    del rows
    before = sys.getrefcount(unit)
    for _ in range(200):  # a message of one unit is its own unit: the "~" table holds it as a key, then lets go
        KERNEL.unit_tokens([unit] * 50, [None] * 50)
    after = sys.getrefcount(unit)
    assert after == before
