"""Sender classification, brand table, and domain/brand matching."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spamguard.text.brands import brands, lookalike_brand, official_brand, registered_domain
from spamguard.text.senders import (
    SENDER_KINDS,
    SenderInfo,
    classify_sender,
    domain_matches_brand,
    sender_tokens,
)


@pytest.mark.parametrize("sender, kind, brand, category", [
    ("Vietcombank", "brandname", "vietcombank", "bank"),
    ("VCB", "brandname", "vietcombank", "bank"),
    ("VIETTEL", "brandname", "viettel", "operator"),
    ("MobiFone", "brandname", "mobifone", "operator"),
    ("Viettel Post", "brandname", "viettelpost", "delivery"),
    ("J&T", "brandname", "jtexpress", "delivery"),
    ("GHN", "brandname", "ghn", "delivery"),
    ("MBBANK", "brandname", "mbbank", "bank"),
    ("Shopee", "brandname", "shopee", "ecommerce"),
    ("MoMo", "brandname", "momo", "wallet"),
    ("VNeID", "brandname", "vneid", "gov"),
    ("EVNHCMC", "brandname", "evnhcmc", "utility"),
    ("Zalo", "brandname", "zalo", "social"),
    ("  Techcombank \u200b", "brandname", "techcombank", "bank"),
    ("SPA_HUONG", "brandname", None, None),
    ("NhaDatABC", "brandname", None, None),
    ("191", "shortcode", None, None),
    ("9029", "shortcode", None, None),
    ("8055", "shortcode", None, None),
    ("0912345678", "mobile", None, None),
    ("0912 345 678", "mobile", None, None),
    ("+84 912 345 678", "mobile", None, None),
    ("84912345678", "mobile", None, None),
    ("+84 88 516 2049", "mobile", None, None),
    ("02438251234", "landline", None, None),
    ("19001234", "hotline", None, None),
    ("1900545413", "hotline", None, None),
    ("+1 650 253 0000", "international", None, None),
    ("+855 12 345 678", "international", None, None),
    ("123456", "other", None, None),
    ("Vietcombаnk", "other", None, None),      # Cyrillic "а": not a registered alphanumeric sender ID
    ("abc@gmail.com", "other", None, None),
    ("x" * 500, "other", None, None),
    ("", "none", None, None),
    ("   ", "none", None, None),
    (None, "none", None, None),
    (math.nan, "none", None, None),
    (191, "shortcode", None, None),            # a CSV reader turned the shortcode into an int
    (912345678.0, "mobile", None, None),       # ... or a phone into a float without its leading zero
    (["VCB"], "other", None, None),
])
def test_classify_sender(sender, kind, brand, category):
    assert classify_sender(sender) == SenderInfo(kind, brand, category)


@pytest.mark.parametrize("sender, tokens", [
    ("Vietcombank", ("__sender_brandname__", "__sender_brand__", "__sender_brand_bank__")),
    ("NhaDatABC", ("__sender_brandname__", "__sender_brand_unknown__")),
    ("0912345678", ("__sender_mobile__",)),
    ("191", ("__sender_shortcode__",)),
    (None, ("__sender_none__",)),
])
def test_sender_tokens(sender, tokens):
    assert sender_tokens(classify_sender(sender)) == tokens


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), st.none(), st.floats(), st.integers(), st.binary(max_size=40)))
def test_classify_sender_never_raises(sender):
    info = classify_sender(sender)
    assert info.kind in SENDER_KINDS
    assert all(t.isascii() for t in sender_tokens(info))


@pytest.mark.parametrize("domain, brand, expected", [
    ("vietcombank.com.vn", "vietcombank", True),
    ("online.vietcombank.com.vn", "vietcombank", True),
    ("vcb-xacthuc.top", "vietcombank", False),
    ("vietcombank.com", "vietcombank", False),
    ("shopee.vn", "vietcombank", False),
    ("shopee.vn", "shopee", True),
    ("SHOPEE.VN.", "shopee", True),
    ("t.me", "telegram", True),
    ("vietcombank.com.vn", "no-such-brand", False),
    ("vietcombank.com.vn", None, False),
    ("", "vietcombank", False),
])
def test_domain_matches_brand(domain, brand, expected):
    assert domain_matches_brand(domain, brand) is expected


@pytest.mark.parametrize("host, expected", [
    ("a.b.vietcombank.com.vn", "vietcombank.com.vn"),
    ("dichvucong.gov.vn", "dichvucong.gov.vn"),
    ("www.shopee.vn", "shopee.vn"),
    ("vcb.com-vn.top", "com-vn.top"),
    ("top", "top"),
])
def test_registered_domain(host, expected):
    assert registered_domain(host) == expected


@pytest.mark.parametrize("host, expected", [
    ("vietcombank-xacminh.top", "vietcombank"),
    ("vietc0mbank.com", "vietcombank"),
    ("vcb-hotro.vip", "vietcombank"),
    ("vcbhotro.vip", "vietcombank"),
    ("vietcombnak.xyz", "vietcombank"),        # transposed letters
    ("agribank-doipin.xyz", "agribank"),
    ("viettel-khuyenmai.xyz", "viettel"),
    ("zalo-xacminh.com", "zalo"),
    ("vietcombank.com.vn", None),              # the bank's own domain
    ("viettelpost.com.vn", None),              # another brand's own domain that contains "viettel"
    ("vibe.com", None),                        # a short key ("vib") only counts as a whole part
    ("reddit.com", None),
    ("hoantra18.club", None),
])
def test_lookalike_brand(host, expected):
    assert lookalike_brand(host) == expected


def test_brand_table_has_at_least_sixty_brands_with_valid_rows():
    table = brands()
    assert len(table) >= 60
    categories = {"bank", "wallet", "operator", "ecommerce", "delivery", "gov", "utility", "social"}
    for brand in table.values():
        assert brand.category in categories, brand
        assert brand.domains and brand.keys and brand.senders, brand
        assert not any(k.startswith("=") for k in brand.keys), brand
        assert set(brand.strict_keys) <= set(brand.keys), brand
        for domain in brand.domains:
            assert official_brand(domain) == brand.id or official_brand(domain) is not None
            assert domain == domain.lower() and "." in domain
