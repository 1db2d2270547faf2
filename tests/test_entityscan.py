"""The compiled kernel of the entity scanner (spamguard._entityscan) against the pure-Python scanner it replaces in
part: the anchor matches and keyword context against the regexes they are written from, and find_entities /
find_entities_batch with the kernel against the same functions without it (identical entities: kind, span, text,
placeholder, attrs)."""

from __future__ import annotations

import os
import shutil
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spamguard import _compiled
from spamguard.errors import DatasetNotFoundError
from spamguard.text import entities as E
from spamguard.text import entity_patterns as P
from spamguard.text.types import Entity


def test_the_kernel_is_built_where_a_c_compiler_is_available():
    if os.environ.get("SPAMGUARD_NO_EXTENSIONS") or os.environ.get("SPAMGUARD_PURE_PYTHON"):
        pytest.skip("extensions switched off on purpose")
    if not (shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")):
        pytest.skip("no C compiler here: the pure-Python path is used")
    assert _compiled.load("_entityscan") is not None, "the install did not build spamguard._entityscan"


kernel = pytest.importorskip("spamguard._entityscan")


# ---- helpers ---------------------------------------------------------------------------------------------------

def _plain(found):
    return [(e.kind, e.start, e.end, e.text, e.placeholder, e.attrs, type(e)) for e in found]


def _both(function, arg):
    """function(arg) with the kernel, then without it (the module handle set to None, as _compiled gives when the
    kernel is not built or SPAMGUARD_PURE_PYTHON=1)."""
    with pytest.MonkeyPatch.context() as m:
        m.setattr(E, "_entityscan", kernel)
        fast = function(arg)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(E, "_entityscan", None)
        slow = function(arg)
    return fast, slow


def _same_batch(texts):
    fast, slow = _both(E.find_entities_batch, texts)
    assert [_plain(f) for f in fast] == [_plain(s) for s in slow]


def _same_single(text):
    fast, slow = _both(E.find_entities, text)
    assert _plain(fast) == _plain(slow)


def _reference_anchors(low):
    rx = E._regexes()
    out = []
    for m in rx.anchor.finditer(low):
        if m.lastindex is None:
            out.append((m.start(), m.end(), -1, None, None))
        else:
            u, n, s = rx.money_groups[m.lastindex]
            out.append((m.start(), m.end(), m.start(u), m.group(n), m.group(s)))
    return out


def _reference_context(low, at):
    c = E._regexes().context.match(low[::-1], len(low) - at)
    return None if c is None else (c.group("kw"), c.group("between"))


def _kernel_context(low, at):
    span = kernel.context(low, at, P.context_keywords())
    return None if span is None else (low[span[0]:span[1]][::-1], low[span[1]:span[2]][::-1])


# ---- hand-written cases ----------------------------------------------------------------------------------------

TRICKY = [
    "", " ", "0", "9", "12", "84", "840", "0912345678", "+84912345678", "+84 912 345 678", "(+84) 912.345.678",
    "0084 912 345 678", "84912345678", "0912.345.678", "0912 345 678", "0912-345-678", "(024) 3824 5678",
    "024.3824.5678", "1900 1234", "1800-1234-56", "+1 415 555 0100", "+44 20 7946 0958",
    "Nhan ngay 1tr5 khi nap 500k", "500K", "5OOk", "3.12O.5OOđ", "2.000.000đ", "2.000.000 đồng", "2,250,000VND",
    "2,250,000 vnđ", "5 triệu", "5 trieu", "2 tỷ", "2 tỉ", "3 ty", "1 củ", "$100", "$ 1,250.50", "100 usd", "50 đô",
    "50 đô la", "10 nghìn", "10 ngàn", "10 nghin", "20 ngan", "08 đồng giá", "0 dong", "500k-1tr", "500k-2",
    "+2,000,000VND", "-1.500.000 VND", "SD: 12,345,678 VND", "So du 1.234.567", "gia 199.000", "TK 0123xxx456",
    "STK: 1903 4567 8901 23", "so tai khoan 0011004567890", "tai khoan 123***789", "0123xxx456", "(0377xxx295)",
    "0912 xxx 678", "ma OTP 123456", "Ma OTP cua ban la 508 271", "OTP: 1234", "123456 is your verification code",
    "Your code is 4821", "ma don hang 12345678", "mã xác thực: 889900", "10:20 27/03/2025", "10h20 ngay 27/3",
    "18h-21h", "2025-03-27", "10/2025", "27.03.2025", "1/2", "2-1", "luc 7h", "12:00:59", "24h", "30/02/2025 lúc 9h",
    "https://vietc0mbank-xacminh.top/login", "http://103.45.67.89/a", "103.45.67.89", "h t t p s : / / vcb.com",
    "hxxp://evil.xyz", "www.vietcombank.com.vn", "vcb[.]com", "vcb(.)com", "vcb .com", "shopee.vn/abc",
    "cong.co", "thu 7.cn", "bit.ly/abc", "http://vcb.com.vn@evil.xyz/x", "vcb.hotro@gmail.com", "a@b.co",
    "email: Ho.Tro@VCB.com.vn.", "*101#", "bam *100*0912345678#", "goi 9029", "gui DK gui 8088", "soan tin gui 1544",
    "lh 0912345678", "LH: 0912345678.", "hotline 1900 6868", "call 12345", "dial 123", "tong dai 18001090",
    "thue bao 0912xxx678", "SDT 091xxxx678", "123", "1234 5678", "12345678901234567890", "1.2.3.4.5.6.7",
    "1,2,3", "1..2", "1,,2", "9.9.9.9", "256.1.1.1", "100%", "2 phut", "3G", "6 thang", "+5", "(12)", "$12", "*12",
    "1 2 3 4 5 6", "0 1 2", "84 912 345 678", "a\x1eb", "0912345678\x1e0912345678", "500k\x1e", "\x1e500k", "\x1e",
    "x\x1e1tr5\x1ey", "İ 0912345678 İİ 500k", "ǅ 12 ẞ 0912345678", "٣٤٥ 0912345678 ١٢k", "12٣k", "1²k",
    "\u00a0500\u00a0k", "500\tk", "500 k đồng", "500kđ", "500k_", "500k$", "500k-3", "2.5k", "1,5tr", "1.5 triệu",
    "số dư 12.345đ", "thưởng 1.000.000", "phí 15,000", "gd 3.000.000", "ps +1,000,000", "is 1234", "la ma 445566",
    "2tr/thang", "1tr5/ngay", "0912345678 0912345678", "0912345678500k", "500k0912345678", "x0912345678",
    "vcb.com.vn/0912345678", "a.b.c.d.e.f.g.h.i.j.k.com", "Ａ", "TK:0123456789 STK 987654321 so tk:111222333",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_cases_one_by_one_are_the_same(text):
    _same_single(text)
    low = E._lower(text)
    assert kernel.anchors(low) == _reference_anchors(low)


def test_tricky_cases_as_one_batch_are_the_same():
    _same_batch(TRICKY)
    _same_batch([t + " " + u for t, u in zip(TRICKY, TRICKY[1:] + TRICKY[:1])])
    _same_batch([])
    _same_batch([""])
    _same_batch([None, float("nan"), "0912345678"])


def test_the_separator_inside_a_message_is_the_same():
    _same_batch(["500k\x1e0912345678", "lh 0912345678", "\x1e\x1e"])


# ---- the corpora -----------------------------------------------------------------------------------------------

def _corpus_texts():
    from spamguard import datasets as D

    texts = []
    for loader in (D.load_sms_vi, D.load_sms_challenge, D.load_uci_translated, D.load_synthetic_scam):
        try:
            texts += list(loader().texts)
        except DatasetNotFoundError:
            continue
    return texts


def test_corpus_texts_are_the_same():
    texts = _corpus_texts()
    if not texts:
        pytest.skip("no corpus here (datasets/ and ../shared/datasets absent)")
    _same_batch(texts)
    low = E._lower(E.SEPARATOR.join(texts))
    assert kernel.anchors(low) == _reference_anchors(low)
    for text in texts[:3000]:
        _same_single(text)


# ---- properties ------------------------------------------------------------------------------------------------

_DIGITY = st.lists(st.sampled_from(list("0123456789 .,:/@-+*#$()[]xXkKđdôoOtrieuệnghìàvusđồnglacủỷỉy\t\xa0٣_a\x1eé"
                                        "TKSTKOTPmaotp") + ["http", "www.", ".com", ".vn", "tk ", "stk ", "gui ",
                                                            "ma otp ", "sd ", "lh ", " is your code", "84", "09"]),
                   max_size=60).map("".join)


@settings(max_examples=600, deadline=None)
@given(_DIGITY)
def test_digit_heavy_text_is_the_same(text):
    _same_single(text)
    low = E._lower(text)
    assert kernel.anchors(low) == _reference_anchors(low)


@settings(max_examples=400, deadline=None)
@given(st.lists(_DIGITY, max_size=6))
def test_digit_heavy_batches_are_the_same(texts):
    _same_batch(texts)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_text_is_the_same(text):
    _same_single(text)
    _same_batch([text, text])
    assert kernel.anchors(text) == _reference_anchors(text)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(list(P.context_keywords()) + ["so", "den", "gui den so", "xyz", "a", "mã", "1", "_",
                                                                "²", "abcdefghijklmnopq", " ", ":", ",", "#", "=",
                                                                ".", "-", "  ", "\t", "\x1e", "/"]), max_size=14),
       st.sampled_from([" ", ":", " : ", "#", "=", ".", "-", "", "\t"]), st.integers(0, 100))
def test_keyword_context_is_the_regex(words, sep, shift):
    text = "".join(words) + sep + "0123"
    for at in (len(text) - 4, shift % (len(text) + 1)):
        assert _kernel_context(text, at) == _reference_context(text, at)


# ---- bad arguments, big inputs --------------------------------------------------------------------------------

def test_bad_arguments_raise_not_crash():
    with pytest.raises(TypeError):
        kernel.anchors(b"0912345678")
    with pytest.raises(TypeError):
        kernel.anchors(None)
    with pytest.raises(TypeError):
        kernel.anchors()
    with pytest.raises(TypeError):
        kernel.context("lh 0912", 3, ["lh"])
    with pytest.raises(TypeError):
        kernel.context("lh 0912", 3, (1, 2))
    with pytest.raises(TypeError):
        kernel.context(5, 3, ())
    with pytest.raises(ValueError):
        kernel.context("lh 0912", 99, ())
    with pytest.raises(ValueError):
        kernel.context("lh 0912", -1, ())
    found = [("phone", 0, 3, {})]
    with pytest.raises(TypeError):
        kernel.entities(found, "abc", None, Entity, [])
    with pytest.raises(TypeError):
        kernel.entities(found, "abc", None, "Entity", E.PLACEHOLDERS)
    with pytest.raises(TypeError):
        kernel.entities(found, "abc", None, int, E.PLACEHOLDERS)  # defines __new__
    with pytest.raises(TypeError):
        kernel.entities([("phone", 0, 3)], "abc", None, Entity, E.PLACEHOLDERS)
    with pytest.raises(TypeError):
        kernel.entities(found, "abc", (3,), Entity, E.PLACEHOLDERS)
    with pytest.raises(TypeError):
        kernel.entities([("phone", "0", 3, {})], "abc", None, Entity, E.PLACEHOLDERS)
    with pytest.raises(ValueError):
        kernel.entities([("phone", 0, 9, {})], "abc", None, Entity, E.PLACEHOLDERS)
    with pytest.raises(ValueError):
        kernel.entities([("phone", 2, 1, {})], "abc", None, Entity, E.PLACEHOLDERS)
    with pytest.raises(ValueError):
        kernel.entities([("phone", 5, 6, {})], "abc\x1edef", [3], Entity, E.PLACEHOLDERS)
    with pytest.raises(ValueError):
        kernel.entities(found, "abc", [], Entity, E.PLACEHOLDERS)
    with pytest.raises(KeyError):
        kernel.entities([("nope", 0, 3, {})], "abc", None, Entity, E.PLACEHOLDERS)


def test_entities_are_real_frozen_entities():
    attrs = {"kind": "mobile"}
    (e,), () = kernel.entities([("phone", 4, 7, attrs)], "abc\x1edef\x1e", [3, 3, 0], Entity, E.PLACEHOLDERS)[1:]
    assert type(e) is Entity and e == Entity("phone", 0, 3, "def", "__phone__", attrs) and e.attrs is attrs
    with pytest.raises(AttributeError):
        e.kind = "url"  # type: ignore[misc]
    assert kernel.entities([], "", None, Entity, E.PLACEHOLDERS) == []


@pytest.mark.parametrize("kind", ["ascii", "latin1", "ucs2", "ucs4"])
def test_a_one_megabyte_message_finishes_in_seconds(kind):
    piece = {"ascii": "lh 0912345678 gui 500k 1.2.3.4 ", "latin1": "lh 0912345678 gửi 500k é ",
             "ucs2": "lh 0912345678 gửi 5 triệu đồng ", "ucs4": "lh 0912345678 gửi 500k 😀 "}[kind]
    text = (piece * (1_000_000 // len(piece) + 1))[:1_000_000]
    start = time.perf_counter()
    found = E.find_entities(text)
    assert time.perf_counter() - start < 30
    assert found and found[0].text == "0912345678"
    for worst in ("1" * 1_000_000, "1." * 500_000, "." * 1_000_000, "a " * 500_000, "k1" * 500_000, ": " * 500_000):
        start = time.perf_counter()
        kernel.anchors(worst, True)
        kernel.context(worst, len(worst), P.context_keywords())
        assert time.perf_counter() - start < 5
