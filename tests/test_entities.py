"""Entities in Vietnamese SMS: kinds, spans, parsed values, disambiguation, batch path, and robustness."""

from __future__ import annotations

import math
import random
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spamguard.errors import InputFormatError
from spamguard.text.entities import PLACEHOLDERS, entity_tokens, find_entities, find_entities_batch


def kinds_and_texts(text: str) -> list[tuple[str, str]]:
    return [(e.kind, e.text) for e in find_entities(text)]


def only(text: str, kind: str):
    found = [e for e in find_entities(text) if e.kind == kind]
    assert len(found) == 1, (text, find_entities(text))
    return found[0]


# --- which entities, exactly ------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    # bank balance notices (ASCII Vietnamese, as banks send them)
    ("TK 0123xxx456 +2,000,000VND luc 10:20 27/03/2025. SD: 15,230,000VND",
     [("account", "0123xxx456"), ("money", "2,000,000VND"), ("datetime", "10:20 27/03/2025"),
      ("money", "15,230,000VND")]),
    ("VietinBank:02/12/2025 07:55|TK:108xxxx3921|GD:-1,000,000VND|SDC:6,881,640VND",
     [("datetime", "02/12/2025 07:55"), ("account", "108xxxx3921"), ("money", "1,000,000VND"),
      ("money", "6,881,640VND")]),
    ("SHB: TK 1003xxx912 thay doi -250,000 VND luc 20:10 12/10/2025. SD: 920,400 VND.",
     [("account", "1003xxx912"), ("money", "250,000 VND"), ("datetime", "20:10 12/10/2025"),
      ("money", "920,400 VND")]),
    ("ACB: So du 1,220,500. Cam on quy khach.", [("money", "1,220,500")]),
    # OTP messages
    ("Ma OTP cua Quy khach la 482913. Ma co hieu luc trong 2 phut.", [("otp", "482913")]),
    ("Mã xác thực Zalo của bạn là 6142. Tuyệt đối không chia sẻ mã này.", [("otp", "6142")]),
    ("<#> Ma xac thuc Zalo cua ban la 5830. Khong chia se ma nay.", [("otp", "5830")]),
    ("Your verification code is 482913", [("otp", "482913")]),
    ("G-771204 is your Google verification code.", [("otp", "771204")]),
    ("Code: 93821 (het han sau 5 phut)", [("otp", "93821")]),
    ("Mat khau dang nhap moi: 20481234", [("otp", "20481234")]),
    # scams with links
    ("Vietcombank: Tai khoan cua QK bi tam khoa. Xac minh tai vietcombank-xacminh.top truoc 24h.",
     [("url", "vietcombank-xacminh.top"), ("datetime", "24h")]),
    ("MBBank: Tai khoan 0965xxx221 bi tru 4.990.000d. Tu choi tai mbbank-tuchoi.xyz",
     [("account", "0965xxx221"), ("money", "4.990.000d"), ("url", "mbbank-tuchoi.xyz")]),
    ("Nhan qua tai https://vietc0mbank.com/login ngay!", [("url", "https://vietc0mbank.com/login")]),
    ("Cap nhat: vietcombank .com-vn.top/kyc", [("url", "vietcombank .com-vn.top/kyc")]),
    ("Truy cap h t t p s : / / vcb-xacthuc.top/login", [("url", "h t t p s : / / vcb-xacthuc.top/login")]),
    ("Vao www . shopee-sale.vn de nhan ma", [("url", "www . shopee-sale.vn")]),
    ("Link: vcb[.]com[.]vn hoac 103.45.67.89:8080/x", [("url", "vcb[.]com[.]vn"), ("url", "103.45.67.89:8080/x")]),
    ("Tai app: bit.ly/bcthantai", [("url", "bit.ly/bcthantai")]),
    ("Join tele t.me/soikeo_vip868 de nhan tip", [("url", "t.me/soikeo_vip868")]),
    ("Dang nhap bet868vn.top, nap dau tang 100%", [("url", "bet868vn.top")]),
    ("Dang ky 1 phut: hoantra18.club. Ho tro zalo 0826 405 931",
     [("url", "hoantra18.club"), ("phone", "0826 405 931")]),
    ("Xem tai http://192.168.10.5/vcb", [("url", "http://192.168.10.5/vcb")]),
    ("(https://shopee.vn/m/sale-11-11)", [("url", "https://shopee.vn/m/sale-11-11")]),
    ("Tra cuu tai mobifone.vn hoac LH 9090.", [("url", "mobifone.vn"), ("shortcode", "9090")]),
    ("https://vietcombank.com.vn@evil.xyz/login", [("url", "https://vietcombank.com.vn@evil.xyz/login")]),
    # e-mail
    ("Gui ho so ve tuyendung.vcb@gmail.com truoc 30/11", [("email", "tuyendung.vcb@gmail.com"),
                                                          ("datetime", "30/11")]),
    ("Lien he hotro@vietcombank.com.vn", [("email", "hotro@vietcombank.com.vn")]),
    # phones
    ("Lien he 0912.345.678 de duoc tu van", [("phone", "0912.345.678")]),
    ("Goi ngay 0912 345 678 hoac 0987-654-321", [("phone", "0912 345 678"), ("phone", "0987-654-321")]),
    ("Ho tro: +84 90 3191 191.", [("phone", "+84 90 3191 191")]),
    ("SDT: +84 912 345 678", [("phone", "+84 912 345 678")]),
    ("Zalo 84912345678 nhe", [("phone", "84912345678")]),
    ("Zalo 84 912 345 678 nhe", [("phone", "84 912 345 678")]),
    ("Ong ay 84 tuoi roi", []),
    ("Tong dai (024) 3825 1234 hoac 028 3822 1234", [("phone", "(024) 3825 1234"), ("phone", "028 3822 1234")]),
    ("Hotline 1900 545413 (24/7)", [("phone", "1900 545413"), ("datetime", "24/7")]),
    ("Goi 18001091 mien phi", [("phone", "18001091")]),
    ("Call +1 650 253 0000 now", [("phone", "+1 650 253 0000")]),
    ("MobiFone: Thue bao 0901xxx212 da qua han", [("phone", "0901xxx212")]),
    # shortcodes
    ("Mua them 2GB gia 15.000d soan GB2 gui 191.", [("money", "15.000d"), ("shortcode", "191")]),
    ("Soan DK V90 gui 9029 de dang ky", [("shortcode", "9029")]),
    ("Goi 1414 de biet them chi tiet", [("shortcode", "1414")]),
    ("Tra cuu goi dang dung: *098#.", [("shortcode", "*098#")]),
    ("Nhan tin den so 8055 de du thuong", [("shortcode", "8055")]),
    # money
    ("Nhan ngay 500k khi dang ky", [("money", "500k")]),
    ("Tang 888K cho tan thu", [("money", "888K")]),
    ("Luong 1tr5/ngay, viec nhe", [("money", "1tr5")]),
    ("Vay nhanh 5 trieu, duyet trong 5 phut", [("money", "5 trieu")]),
    ("Trung thuong 2 ty dong", [("money", "2 ty dong")]),
    ("Hoan tien 300 nghìn vao vi", [("money", "300 nghìn")]),
    ("Phi ship 50.000 d", [("money", "50.000 d")]),
    ("Nhan $100 qua Paypal", [("money", "$100")]),
    ("Ban nhan duoc 6367474 đồng", [("money", "6367474 đồng")]),
    ("Chuyen khoan 2.000.000đ de giu cho", [("money", "2.000.000đ")]),
    ("Gia chi 1,5 triệu", [("money", "1,5 triệu")]),
    ("Cuoc goi di VN: 18.000d/phut, SMS: 2.500d/tin", [("money", "18.000d"), ("money", "2.500d")]),
    # account numbers
    ("STK: 0912345678 tai Vietcombank", [("account", "0912345678")]),
    ("Chuyen vao so tai khoan 1903 6688 1234 ngay", [("account", "1903 6688 1234")]),
    ("STK VCB 0071000123456 chu TK NGUYEN VAN A", [("account", "0071000123456")]),
    ("Tài khoản 0123456789 của bạn", [("account", "0123456789")]),
    # dates and times
    ("Hen gap luc 10h20 ngay 27-03", [("datetime", "10h20 ngay 27-03")]),
    ("Hen 10h20, mai 27-03 gap", [("datetime", "10h20"), ("datetime", "27-03")]),
    ("Han chot 2025-03-27", [("datetime", "2025-03-27")]),
    ("Cuoc thang 10/2025 (412.700d)", [("datetime", "10/2025"), ("money", "412.700d")]),
    ("Ngay 27.03.2025 luc 08:30", [("datetime", "27.03.2025 luc 08:30")]),
    ("Giao trong khung 18h-21h hom nay", [("datetime", "18h-21h")]),
    # obfuscated numbers and odd layouts
    ("Viec lam online 5OOk/ngay", [("money", "5OOk")]),
    ("Tai khoan vua bi tru 15.OOO.OOO VND", [("money", "15.OOO.OOO VND")]),
    ("Your verification code for Canva is 508 271", [("otp", "508 271")]),
    ("Buu ta Hang (0377xxx295) se giao don", [("phone", "0377xxx295")]),
    ("Doc ma OTP ve so 0886 214 097 de nang cap", [("phone", "0886 214 097")]),
])
def test_finds_exactly_these_entities(text, expected):
    assert kinds_and_texts(text) == expected


@pytest.mark.parametrize("text", [
    "Chuc ban mot ngay tot lanh nhe",
    "Toi nay em ve muon, anh nau com truoc di.",
    "thanh cong.Cam on quy khach",          # a missing space after a sentence is not a link
    "Thu 7.CN nghi lam",
    "Van phong o Tp.HCM, quan 1, v.v.",
    "Giam 1/2 gia cho don thu 2",            # a fraction, not a date
    "Ti so 2-1 nghieng ve doi nha",
    "Goi TK135 con 3 ngay su dung",
    "Con 2 phut nua la toi, 100% dung hen",
    "Ma don hang 12345678 da duoc giao",     # an order number, not an OTP
    "Ma giao dich 778899 thanh cong",
    "Nha 3 tang, 2 phong ngu",
    "Lai suat 9-10%/nam, ky han 12-36 thang",
    "Dang nhap - ID: SMS40281",              # a keyword glued to digits is a code name
    "Ma ve: CGV-7341, xuat trinh tai quay",
    "Sim dau 03, 07, 08 đồng giá",           # "đồng giá" is "same price"
    "Xe VF e34 bien 30K-628.17",             # a licence plate, not 30k
    "Nap 1OO% cho tan thu",
    "",
    "   ",
])
def test_finds_nothing_in_plain_text(text):
    assert find_entities(text) == []


# --- parsed values ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, value, currency", [
    ("500k", 500_000, "VND"),
    ("888K", 888_000, "VND"),
    ("1tr5", 1_500_000, "VND"),
    ("1tr500", 1_500_000, "VND"),
    ("2tr", 2_000_000, "VND"),
    ("1.5k", 1_500, "VND"),
    ("2.500k", 2_500_000, "VND"),
    ("2.000.000đ", 2_000_000, "VND"),
    ("2,250,000VND", 2_250_000, "VND"),
    ("15,230,000.50 VND", 15_230_000.5, "VND"),
    ("6367474 đồng", 6_367_474, "VND"),
    ("5 triệu", 5_000_000, "VND"),
    ("5 trieu", 5_000_000, "VND"),
    ("1,5 triệu", 1_500_000, "VND"),
    ("2 ty", 2_000_000_000, "VND"),
    ("3 tỷ", 3_000_000_000, "VND"),
    ("300 nghìn", 300_000, "VND"),
    ("300 ngan", 300_000, "VND"),
    ("50.000 d", 50_000, "VND"),
    ("135.000đ", 135_000, "VND"),
    ("5 củ", 5_000_000, "VND"),
    ("$100", 100, "USD"),
    ("100 USD", 100, "USD"),
    ("SD: 15,230,000", 15_230_000, "VND"),
])
def test_money_value_is_parsed(text, value, currency):
    money = only(f"Nhan {text} ngay", "money")
    assert money.attrs["value"] == pytest.approx(value)
    assert money.attrs["currency"] == currency


def test_informal_amounts_have_no_float_noise():
    assert only("Combo chi 1tr590/2 nguoi", "money").attrs["value"] == 1_590_000
    assert only("Tra 8tr2 di", "money").attrs["value"] == 8_200_000


@pytest.mark.parametrize("text, parts", [
    ("10:20 27/03/2025", {"hour": 10, "minute": 20, "day": 27, "month": 3, "year": 2025, "date": True, "time": True}),
    ("10h30 ngay 5/6", {"hour": 10, "minute": 30, "day": 5, "month": 6}),
    ("18h-21h", {"hour": 18, "minute": 0, "date": False, "time": True}),
    ("2025-03-27", {"year": 2025, "month": 3, "day": 27, "time": False}),
    ("10/2025", {"month": 10, "year": 2025}),
    ("29/03/05", {"day": 29, "month": 3, "year": 2005}),
])
def test_datetime_parts_are_parsed(text, parts):
    found = only(f"Hen {text} nhe", "datetime")
    assert found.text == text
    for key, value in parts.items():
        assert found.attrs[key] == value, key


def test_money_records_the_sign_of_a_balance_change():
    assert only("TK 1003xxx912 -250,000 VND", "money").attrs["sign"] == "-"
    assert only("TK 1003xxx912 +2,000,000VND", "money").attrs["sign"] == "+"


@pytest.mark.parametrize("text, kind, e164", [
    ("0912345678", "mobile", "+84912345678"),
    ("0912.345.678", "mobile", "+84912345678"),
    ("0912 345 678", "mobile", "+84912345678"),
    ("+84 912 345 678", "mobile", "+84912345678"),
    ("+84912345678", "mobile", "+84912345678"),
    ("(+84) 0912345678", "mobile", "+84912345678"),
    ("0358 602 931", "mobile", "+84358602931"),
    ("0765920183", "mobile", "+84765920183"),
    ("0589-247-106", "mobile", "+84589247106"),
    ("024 3825 1234", "landline", "+842438251234"),
    ("0236 3822 123", "landline", "+842363822123"),
    ("1900 545413", "hotline", None),
    ("1800 1091", "hotline", None),
    ("+1 650 253 0000", "international", "+16502530000"),
])
def test_phone_kind_and_e164(text, kind, e164):
    phone = only(f"Lien he {text} de duoc ho tro", "phone")
    assert phone.text == text
    assert (phone.attrs["kind"], phone.attrs["e164"]) == (kind, e164)


@pytest.mark.parametrize("text, expected", [
    ("vcb-xacthuc.top", {"scheme": None, "registered_domain": "vcb-xacthuc.top", "tld": "top", "cheap_tld": True,
                         "lookalike_of": "vietcombank", "official_of": None}),
    ("https://vietcombank.com.vn/ca-nhan", {"scheme": "https", "registered_domain": "vietcombank.com.vn",
                                            "tld": "vn", "official_of": "vietcombank", "lookalike_of": None}),
    ("http://online.agribank.com.vn", {"scheme": "http", "registered_domain": "agribank.com.vn",
                                       "official_of": "agribank"}),
    ("vietc0mbank.com", {"lookalike_of": "vietcombank", "official_of": None}),
    ("vletcombank.net", {"lookalike_of": "vietcombank"}),
    ("vietcombamk.com", {"lookalike_of": "vietcombank"}),
    ("vcbhotro.vip", {"lookalike_of": "vietcombank", "cheap_tld": True}),
    ("techcombank-uudai.online", {"lookalike_of": "techcombank"}),
    ("shopee-sale.vn", {"lookalike_of": "shopee"}),
    ("shopee.vn/abc", {"official_of": "shopee", "lookalike_of": None, "path": "/abc"}),
    ("vneid-capnhat.com", {"lookalike_of": "vneid"}),
    ("evnhcmc-thanhtoan.xyz", {"lookalike_of": "evnhcmc"}),
    ("momo-nhanqua.com", {"lookalike_of": "momo"}),
    ("dichvucong.gov.vn", {"official_of": "dichvucong", "registered_domain": "dichvucong.gov.vn"}),
    ("vietcombank.github.io", {"lookalike_of": "vietcombank"}),
    ("bit.ly/3xYz", {"shortener": True, "official_of": None}),
    ("cutt.ly/abc", {"shortener": True}),
    ("http://103.45.67.89/a", {"ip_host": True, "scheme": "http", "registered_domain": "103.45.67.89"}),
    ("hxxp://vcb.com.vn.xyz", {"scheme": "http", "obfuscated": True, "registered_domain": "vn.xyz",
                               "lookalike_of": "vietcombank"}),
    ("reddit.com/r/vietnam", {"lookalike_of": None}),
])
def test_url_attributes(text, expected):
    url = only(f"Truy cap {text} ngay", "url")
    assert url.text == text
    for key, value in expected.items():
        assert url.attrs[key] == value, key


# --- disambiguation by context --------------------------------------------------------------------------------
@pytest.mark.parametrize("text, kind, surface", [
    ("Goi 0912345678 ngay", "phone", "0912345678"),          # a 10-digit 09x number is a phone
    ("STK 0912345678 Vietcombank", "account", "0912345678"),  # ... unless an account keyword precedes it
    ("SD: 15,230,000VND", "money", "15,230,000VND"),
    ("So du 3,004,512", "money", "3,004,512"),
    ("Ma OTP 4829", "otp", "4829"),
    ("gui 500k cho em", "money", "500k"),                    # a unit makes it money, not a shortcode
    ("gui 191", "shortcode", "191"),
    ("Thue bao 0912xxx678 het han", "phone", "0912xxx678"),
    ("TK 0912xxx678 +500,000", "account", "0912xxx678"),
])
def test_context_decides_the_kind(text, kind, surface):
    first = find_entities(text)[0]
    assert (first.kind, first.text) == (kind, surface)


# --- spans, placeholders, tokens ----------------------------------------------------------------------------------
def test_spans_index_the_given_string_even_after_case_folding_changes_length():
    text = "İİ Goi 0912345678 ngay"  # "İ".lower() is two characters
    (phone,) = find_entities(text)
    assert text[phone.start:phone.end] == "0912345678" == phone.text


def test_matching_ignores_case():
    assert kinds_and_texts("TRUY CAP VCB-XACTHUC.TOP, NHAN 500K") == [("url", "VCB-XACTHUC.TOP"), ("money", "500K")]


@pytest.mark.parametrize("kind", sorted(PLACEHOLDERS))
def test_placeholders_are_lowercase_word_tokens(kind):
    assert PLACEHOLDERS[kind] == f"__{kind}__"


@pytest.mark.parametrize("text, tokens", [
    ("vcb-xacthuc.top", {"__url_tld_top__", "__url_lookalike__", "__url_lookalike_bank__", "__url_noscheme__",
                         "__url_cheap_tld__"}),
    ("http://vcb-xacthuc.top", {"__url_http__"}),
    ("bit.ly/abc", {"__url_shortener__"}),
    ("http://103.45.67.89/a", {"__url_ip__"}),
    ("https://shopee.vn/a", {"__url_https__", "__url_official__", "__url_official_ecommerce__"}),
    ("0912345678", {"__phone_mobile__"}),
    ("1900 545413", {"__phone_hotline__"}),
    ("2.000.000đ", {"__money_ge100k__", "__money_ge1m__"}),
    ("500k", {"__money_ge100k__", "__money_informal__"}),
    ("TK 0123xxx456", {"__account_masked__"}),
    ("Ma OTP 482913", {"__otp_len6__"}),
    ("*101#", {"__shortcode_ussd__"}),
])
def test_entity_tokens(text, tokens):
    found = find_entities(f"x {text} y")
    got = set().union(*(entity_tokens(e) for e in found))
    assert tokens <= got
    assert all(t.isascii() and t.replace("_", "").isalnum() and t == t.lower() for t in got)


@pytest.mark.parametrize("text, official, lookalike, freemail", [
    ("hotro@vietcombank.com.vn", "vietcombank", None, False),
    ("vcb.hotro@gmail.com", None, None, True),
    ("cskh@vietcombank-hotro.com", None, "vietcombank", False),
])
def test_email_attributes(text, official, lookalike, freemail):
    email = only(f"Lien he {text} ngay", "email")
    assert (email.attrs["official_of"], email.attrs["lookalike_of"], email.attrs["freemail"]) == (
        official, lookalike, freemail)


def test_money_below_one_million_has_no_million_token():
    assert "__money_ge1m__" not in entity_tokens(only("Nhan 500k", "money"))


# --- batch path ---------------------------------------------------------------------------------------------------
BATCH = ["TK 0123xxx456 +2,000,000VND luc 10:20 27/03/2025", "", "Ma OTP 482913", "vcb-xacthuc.top",
         "goi 0912345678", "khong co gi", "0912", "345678 la ma"]


def test_batch_equals_one_at_a_time():
    assert find_entities_batch(BATCH) == [find_entities(t) for t in BATCH]


def test_batch_never_joins_neighbouring_messages():
    # alone, neither half is an entity; joined without a separator they would read as a phone number
    assert find_entities_batch(["so em 0912", "345678 nhe"]) == [[], []]
    assert find_entities("so em 0912 345678 nhe")[0].kind == "phone"


def test_batch_handles_messages_that_contain_the_separator():
    texts = ["goi 0912\x1e345 678", "500k"]
    assert find_entities_batch(texts) == [find_entities(t) for t in texts]


def test_batch_rejects_a_bare_string():
    with pytest.raises(InputFormatError, match="iterable of messages"):
        find_entities_batch("Ma OTP 482913")


def test_none_and_nan_are_empty_messages():
    assert find_entities(None) == []
    assert find_entities(math.nan) == []
    assert find_entities_batch([None, "500k"])[0] == []


def test_non_string_input_is_rejected_with_a_clear_message():
    with pytest.raises(InputFormatError, match="expects a str"):
        find_entities(12345)


# --- properties -----------------------------------------------------------------------------------------------------
def assert_well_formed(text, entities):
    last_end = 0
    for e in entities:
        assert 0 <= e.start < e.end <= len(text)
        assert e.start >= last_end
        assert text[e.start:e.end] == e.text
        assert "\x1e" not in e.text
        assert e.placeholder == PLACEHOLDERS[e.kind]
        last_end = e.end


SMSISH = st.lists(st.sampled_from(list("0123456789.,:/-+()$*#@xk hđtrvnđáàảãạ ") + [
    "http", "www", "vcb", ".com", ".vn", "ma otp", "stk", "gui", "tr", "\x1e", "\n", " ", "0912", "84"]),
    max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_never_raises_and_spans_are_well_formed_on_arbitrary_text(text):
    assert_well_formed(text, find_entities(text))


@settings(max_examples=300, deadline=None)
@given(SMSISH)
def test_spans_are_well_formed_on_sms_like_text(text):
    entities = find_entities(text)
    assert_well_formed(text, entities)
    for e in entities:
        assert all(isinstance(t, str) for t in entity_tokens(e))


@settings(max_examples=100, deadline=None)
@given(st.lists(SMSISH.filter(lambda t: "\x1e" not in t), max_size=6))
def test_batch_equals_one_at_a_time_on_sms_like_text(texts):
    assert find_entities_batch(texts) == [find_entities(t) for t in texts]


@pytest.mark.slow
@pytest.mark.parametrize("unit", ["1", "1.", "a.", "0912 ", "a@", "1x", "1:", "a .", "http://a.", "stk ma otp 1"])
def test_time_stays_linear_on_adversarial_text(unit):
    text = unit * (200_000 // len(unit))
    start = time.perf_counter()
    find_entities(text)
    assert time.perf_counter() - start < 30  # generous: catastrophic backtracking would take hours


@pytest.mark.slow
def test_a_megabyte_of_digits_dots_and_letters_takes_seconds():
    rng = random.Random(7)
    text = "".join(rng.choice("0123456789....,,abcx@-/: ") for _ in range(1_000_000))
    start = time.perf_counter()
    entities = find_entities(text)
    assert time.perf_counter() - start < 60
    assert_well_formed(text, entities)


@pytest.mark.parametrize("text", ["gui 1,o.2.oo k nhe", "1,0.2.00đ", "so tien 1.2,3.4,5 trieu"])
def test_numbers_with_mixed_separators_do_not_crash(text):
    money = [e for e in find_entities(text) if e.kind == "money"]
    assert all(e.attrs["value"] >= 0 for e in money)


# --- attribute tokens: cached by the attributes they read, the same as made from the dict each time ---------------

def _url_tokens_reference(attrs):
    from spamguard.text.brands import brands
    from spamguard.text.urls import _NOT_WORD

    out = ["__url_noscheme__" if attrs.get("scheme") is None else f"__url_{attrs.get('scheme')}__"]
    tld = _NOT_WORD.sub("_", attrs.get("tld") or "")
    if tld:
        out.append(f"__url_tld_{tld}__")
    for key, token in (("cheap_tld", "cheap_tld"), ("shortener", "shortener"), ("ip_host", "ip"),
                       ("obfuscated", "obfuscated"), ("userinfo", "userinfo")):
        if attrs.get(key):
            out.append(f"__url_{token}__")
    for key, name in (("official_of", "official"), ("lookalike_of", "lookalike")):
        if attrs.get(key):
            out.append(f"__url_{name}__")
            brand = brands().get(attrs[key])
            if brand is not None:
                out.append(f"__url_{name}_{brand.category}__")
    return tuple(out)


@pytest.mark.parametrize("link", ["https://vietc0mbank-xacminh.top/login", "vcb.com.vn", "http://103.45.67.89/a",
                                  "bit.ly/abc", "h t t p s://user@shopee-sale.xyz:8080", "www.evn.com.vn", "vneid.gov.vn"])
def test_url_tokens_are_those_of_their_attributes(link):
    from spamguard.text.urls import url_attrs, url_tokens

    attrs = url_attrs(link)
    assert url_tokens(attrs) == _url_tokens_reference(attrs)
    for key in ("cheap_tld", "shortener", "obfuscated", "lookalike_of", "official_of", "tld", "scheme"):
        changed = {**attrs, key: None}
        assert url_tokens(changed) == _url_tokens_reference(changed)


@pytest.mark.parametrize("attrs", [{"value": 500_000.0, "currency": "VND"}, {"value": 2e9, "informal": True},
                                   {"value": 45.0, "currency": "USD", "sign": "+"}, {"value": None}, {},
                                   {"value": float("nan")}, {"value": 1e6, "currency": "USD"}])
def test_money_tokens_read_value_currency_and_flags(attrs):
    from spamguard.text.money import _THRESHOLD_TOKENS, _USD_RATE, money_tokens

    value = float(attrs.get("value") or 0.0)
    expected = ["__money_usd__"] if attrs.get("currency") == "USD" else []
    value *= _USD_RATE if expected else 1
    expected += [token for threshold, token in _THRESHOLD_TOKENS if value >= threshold]
    expected += ["__money_informal__"] * bool(attrs.get("informal")) + ["__money_signed__"] * bool(attrs.get("sign"))
    assert money_tokens(attrs) == tuple(expected)
    assert money_tokens(attrs) == tuple(expected)  # and again, from the cache
