"""The compiled kernel of the entity scanner (spamguard._entityscan) against the pure-Python scanner it replaces in
part: the anchor matches, keyword context and number shapes against the regexes they are written from, and
find_entities / find_entities_batch with the kernel (its scan()) against the same functions without it (identical
entities: kind, span, text, placeholder, attrs)."""

from __future__ import annotations

import os
import random
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
    # the shapes scan() settles in C: phones
    "+84 (0) 912 345 678", "+84(0)912345678", "(+84)912345678", "+84.912.345.678", "+ 84 912-345-678", "84-912-345-678",
    "84 912 345 6789", "0084.912.345.678", "(0)912345678", "(0912) 345 678", "0912 345 6789", "09123456789",
    "091234567", "0912.345.67.8", "0912..345.678", "0912 345 678.5", "0912 345 678,5", "0912 345 678-5",
    "0912345678 k", "0912345678k", "0912345678 trieu", "0912345678 tram", "0912345678đ", "0912345678_", "x0912345678",
    ".0912345678", ",0912345678", "+0912345678", "1.0912345678", "(024) 3824 5678", "(024)38245678", "024) 3824 5678",
    "024 .3824 .5678", "024 3824 567", "+84 24 3824 5678", "+84 (24) 3824 5678", "1900 1234 5678", "1900.12.34",
    "1900-123456", "19001234567", "18001234", "1800 12345 6", "+1 415 555 0100 1234", "+84 ٣12 345 678",
    "0٣12345678", "091234567٣", "0912 345 678 ٣", "+44 20 7946 0958 k", "+ 1 2345678", "+12345", "+0 1234567",
    "+84 912 345 678\x1e+84 912 345 678", "lh +84912345678.", "(+84) 912-345-678 (zalo)", "sdt:0912345678,",
    "so 84912345678", "84 0912345678", "849123456780", "+84 8", "(+84", "+84)", "0912\t345\t678", "0912\xa0345\xa0678",
    # dates and times
    "27/03/2025", "27/03/25", "27/3", "7/3", "27-03", "27-03-2025", "27.03.2025", "27.3.2025", "2025-03-27", "2025-3-7",
    "03/2025", "3/2025", "10:20", "10:20:30", "10:60", "25:00", "24:00", "10h30", "10h", "10h30p", "10h30ph", "7h-9h",
    "7h - 9h", "7h -9h30", "10:20 27/03/2025", "10:20, 27/03/2025", "10h ngày 27/3", "10h, ngay 27/03", "27/03 lúc 10h",
    "27/03/2025, luc 10:20", "27/03/2025 lúc10h", "1/2 3/4", "32/01", "00/01", "31/13", "01/00", "27/03/2025/1",
    "27/03:", "10:20%", "10h30a", "10:2", "1:20", "٣:20", "1٣:20", "27/0٣", "27/03/2٣25", "x10:20", "10:20.5", "10:20-5",
    "10:20-11:30", "10:20 - 11:30 27/03", "ngày 27/03/2025", "hôm nay 27-03 lúc 7h30", "từ 7h-21h hàng ngày",
    "10:20\x1e27/03", "27/03\x1e10:20", "15/3-20/3", "2025-12-31 23:59", "8/3 2025", "27/03 luc 10:20:30",
    # masked numbers, OTP, USSD, shortcodes
    "0377xxx295", "0377***295", "0123***456", "(0377xxx295)", "0377xxx2951", "0377xxxxxxxxxxx295", "123456789xx12",
    "12xx1234567", "12x12", "12xx1", "12xx12x", "12xx12*", "a12xx12", "+12xx12", "*12xx12", "0٣77xxx295",
    "the 0377xxx295 da", "tk 0123***456", "482913 la ma", "482913 là mã xác thực", "482913 is your code",
    "4829 is the code", "482913  la ma", "482913    la ma", "482913 la mat", "482913\tla ma", "4829135 la ma",
    "482913456 la ma", "123 la ma", "a482913 la ma", ".482913 la ma", "482913 là mã\x1e", "*101#", "*101*1#", "*101*1*2*3*4#",
    "*101*1*2*3*4*5#", "*1#", "*12345#", "a*101#", "**101#", "#*101#", "bam *100*0912345678#", "*101", "*101#1",
    "goi 123", "goi 1234 de", "goi 123456", "goi 1234k", "goi 1234 k", "goi 1234.5", "goi 1234_", "goi 12٣4",
    "gui 8088 de nhan", "nhắn tin 1234 gửi 8088", "goi 0912345678", "lh 0912345678 zalo", "so du 1234 k",
    # numbers glued to letters, at message starts and ends, "84", the separator
    "abc0912345678", "0912345678abc", "0912345678", "10:20", "27/03", "a1", "1a", "84", "84 ", " 84", "84a", "8 4",
    "84\x1e", "\x1e84", "12\x1e34", "0912345678\x1e", "\x1e0912345678", "10h\x1e", "1\x1e2", "12 k\x1e",
    "1 t", "2 d", "50,000 diem", "198 de", "1oo.ooo.ooo", "3ootr", "1.8oo.oood", "5ok/nguoi", "96ok-vip.top",
    "$5", "$ 5", "+$5", "(*5", "+(84) 912345678", "*0912345678", "$0912345678", "1.2.3.4 0912345678",
    # keywords that claim a number: near, far, glued, with words between, cut by the entity before
    "tk 0123456789", "tk.0123456789", "tk=0123456789", "tk#0123456789", "tk-0123456789", "tk: 0123456789",
    "1tk 0123456789", "atk 0123456789", "tk tk 0123456789", "so tk cua ban: 0123456789", "stk 1903 4567 8901 23",
    "stk 1903.4567.8901", "stk 123 456 789 k", "stk 123-456-789-012-345", "stk 0123xx4567", "tk 0123456789012345678901234",
    "so tai khoan   0011004567890", "tai khoan cua quy khach la 0011004567890", "tk" + " a" * 6 + " 0123456789",
    "tk" + " a" * 7 + " 0123456789", "tk " + "x" * 50 + " 0123456789", "tk" + " " * 46 + "- 0123456789",
    "gui 8088", "gui 80881", "gui 80 88", "gui 8088k", "gui 6789", "goi 7777 de", "nhan tin gui 1544 ngay",
    "sms 123", "sms: 12345", "bam 1234", "dial 999", "ma otp 123 456", "ma otp 123 4567", "ma otp 1234 k",
    "otp 12345678", "otp 123456789", "ma otp la 123456", "ma otp cua ban 482913", "code: 4821", "is 4821",
    "mã otp: 889900.", "thue bao 0912xxx678", "thue bao 09xx678", "sdt 091xxxx678", "sđt: 0912***678", "sdt 0912345678",
    "thue bao 0912xxxxxxx678", "so du 1.234.567", "so du: 12,345,678 vnd", "gia 199.000", "phi 15,000 d",
    "0912345678 tk 0123456789", "500k tk 0123456789", "tk 500k 0123456789", "tk,0123456789", "tk:,0123456789",
    "tk\x1e0123456789", "tk \x1e 0123456789", "tk\t0123456789", "TK 0123456789\x1eSTK 0123456789",
    "lh 1900 1234", "lh 19001234", "goi 1900 1234", "goi 18001090", "tổng đài 1900 1234", "hotline: 1800 1090",
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


# ---- the number shapes of scan() against their regexes -----------------------------------------------------

_SHAPE_PIECES = ["0", "1", "2", "3", "5", "7", "8", "9", "4", "6", " ", ".", "-", "(", ")", "+", "*", "#", "x", ":", "/",
                 "h", ",", "+84 ", "(+84)", "0084", "84", "(0)", "1900", "1800", "091", "0912", "345", "678", "(024)",
                 "28", "ngày ", "lúc ", " là mã", " is your", "p", "ph", "\t", "\xa0", "٣", "a", "k", " k", "đ", "tr",
                 "_", "%", "2025", "27/03", "10:20", "10h30", "\x1e", "é", "triệu", "dong", "usd", "o", "123",
                 "1234", "12345", "123456", "1234567", " 123", ".456", "-789", "xx", "***"]


def _shape_regexes():
    shapes = P.shapes()
    return {"phone": shapes["phone"], "datetime": shapes["datetime"], "masked": shapes["masked"],
            "otpsfx": shapes["otpsfx"], "ussd": shapes["ussd"], "shortcode": P.number_for("shortcode"),
            "otp_number": P.number_for("otp"), "masked_number": P.number_for("phone"),
            "account_number": P.number_for("account")}


def _check_shapes(text):
    regexes, money = _shape_regexes(), P.shapes()["money"]
    for at in range(len(text) + 1):
        for name, regex in regexes.items():
            if name == "masked" and not (at < len(text) and text[at].isdecimal()):
                continue  # the C matcher starts at a digit (scan() calls it there)
            m = regex.match(text, at)
            assert kernel.shape(name, text, at) == (m.end() if m else None), (name, text, at)
        if at < len(text) and text[at] in "0123456789" and money.match(text, at):
            assert kernel.shape("money", text, at), (text, at)  # "cannot match" must be right; "may" is free


@pytest.mark.parametrize("text", TRICKY)
def test_shapes_of_tricky_cases_are_the_regexes(text):
    _check_shapes(E._lower(text))


def test_shapes_of_random_strings_are_the_regexes():
    rng = random.Random(20261126)
    for _ in range(6000):
        _check_shapes("".join(rng.choice(_SHAPE_PIECES) for _ in range(rng.randint(1, 25))))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_SHAPE_PIECES), max_size=25).map("".join))
def test_shapes_are_the_regexes(text):
    _check_shapes(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_SHAPE_PIECES + TRICKY[150:]), max_size=12).map(" ".join))
def test_shape_heavy_text_is_the_same(text):
    _same_single(text)
    _same_batch([text, text[::-1], text.upper()])


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
    with pytest.raises(ValueError):
        kernel.shape("phone", "0912345678", 11)
    with pytest.raises(ValueError):
        kernel.shape("nope", "0912345678", 0)
    with pytest.raises(TypeError):
        kernel.shape("phone", b"0912345678", 0)


def test_scan_bad_arguments_raise_not_crash():
    helpers = E._regexes().kernel
    scanner = E._Scanner("lh 0912345678 500k")
    with pytest.raises(TypeError):
        kernel.scan(b"0912", scanner, helpers)
    with pytest.raises(TypeError):
        kernel.scan("0912", scanner, list(helpers))
    with pytest.raises(TypeError):
        kernel.scan("0912", scanner, helpers[:4])
    with pytest.raises(TypeError):
        kernel.scan("0912", scanner, (helpers[0], 1, 2, 3, 4))
    with pytest.raises(TypeError):
        kernel.scan("0912", scanner, (["lh"],) + helpers[1:])
    with pytest.raises(AttributeError):
        kernel.scan("0912345678", object(), helpers)

    class Odd:
        out, floor = (), 0
    with pytest.raises(TypeError):
        kernel.scan("0912345678", Odd(), helpers)
    Odd.out, Odd.floor = [], "0"
    with pytest.raises(TypeError):
        kernel.scan("0912345678", Odd(), helpers)
    Odd.floor = -1
    with pytest.raises(ValueError):
        kernel.scan("0912345678", Odd(), helpers)
    Odd.floor = 0
    with pytest.raises(AttributeError):
        kernel.scan("vcb.com", Odd(), helpers)  # no link() to hand the link to
    Odd.link = lambda self, at: -1
    with pytest.raises(ValueError):
        kernel.scan("vcb.com", Odd(), helpers)
    Odd.link = lambda self, at: "x"
    with pytest.raises(TypeError):
        kernel.scan("vcb.com", Odd(), helpers)
    with pytest.raises(TypeError):  # an attrs helper that gives no dict
        kernel.scan("0912345678", Odd(), (helpers[0], lambda raw, masked: None) + helpers[2:])
    with pytest.raises(ZeroDivisionError):  # its own error goes through
        kernel.scan("0912345678", Odd(), (helpers[0], lambda raw, masked: 1 / 0) + helpers[2:])
    assert kernel.scan("", E._Scanner(""), helpers) == []


def test_scan_remembers_attrs_only_per_helper():
    helpers = E._regexes().kernel
    text = "lh 0912345678 luc 10:20 nap 500k"
    first = kernel.scan(text, E._Scanner(text), helpers)
    assert kernel.scan(text, E._Scanner(text), helpers) == first
    other = (helpers[0], lambda raw, masked: {"raw": raw}, lambda raw: {"when": raw},
             lambda number, unit, sub: {"n": number}, helpers[4])
    found = kernel.scan(text, E._Scanner(text), other)
    assert [attrs for _, _, _, attrs in found] == [{"raw": "0912345678"}, {"when": "10:20"}, {"n": "500"}]
    again = kernel.scan(text, E._Scanner(text), helpers)
    assert again == first and all(a is not b for (*_, a), (*_, b) in zip(again, first))  # fresh copies


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
    for piece in ("0", "0912345678", "+84 ", "1/1/2025 ", "10:20-", "*1*1", "12xx", "1 k ", "tk 1234 ", "84 9",
                  "0 . ", "1900 1", "1234 la ma "):
        worst = (piece * (1_000_000 // len(piece) + 1))[:1_000_000]
        start = time.perf_counter()
        E.find_entities(worst)
        assert time.perf_counter() - start < 20, piece
