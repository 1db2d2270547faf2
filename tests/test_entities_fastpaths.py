"""The entity scanner's shortcuts change nothing: the anchor that skips short numbers finds what the plain one finds,
the cached attribute parsers hand out fresh dicts, and entities built the fast way equal ordinary ones."""

from __future__ import annotations

import dataclasses
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spamguard.text import entities as E
from spamguard.text import entity_patterns as P
from spamguard.text.datetimes import datetime_attrs
from spamguard.text.money import money_attrs
from spamguard.text.phones import phone_attrs
from spamguard.text.types import Entity
from spamguard.text.urls import url_attrs


def _plain_anchor():
    """The anchor without the short-number skip: every digit run reaches the scanner, which drops the short ones."""
    source = P.ANCHOR_SOURCE
    for d in "0123456789":
        skip = f"{d}(?!{'(?!4)' if d == '8' else ''}{P._SHORT_NOTHING})"
        assert skip in source
        source = source.replace(skip, d)
    return P._compile(source.replace("{UNIT}", P.UNIT))


def _scan(text: str, anchor=None) -> list[tuple]:
    scanner = E._Scanner(E._lower(text))
    if anchor is not None:
        rx = E._Regexes()
        rx.anchor = anchor
        scanner.rx = rx
    return scanner.run()


# short numbers next to everything that decides whether they are an entity
PIECES = ["$ ", "$ 0", "0", "1", "2", "5", "8", "9", "84", "12", "18", "19", "00", "0912", "345", "2025", " ", "  ", "\t", "\xa0",
          ".", ",", ",,", ".,", "..", "." * 40, "," * 39, "+", "(", ")", "$", "*", "#", ":", "/", "-", "h", "%", "_",
          "k", "tr", "tr5", "triệu", "nghìn", "ngàn", "ngan", "ngay", "thang", "tỷ", "ty", "củ", "đ", "đồng", "dong",
          "d", "vnd", "usd", "đô la", "ô", "o", "oo", "x", "xx", "n", "t", "c", "v", "u", "a", "phut", "la ",
          "stk ", "ma otp ", "gui ", "lh ", "is your code", "27/03", "10:20", "www.", "a.vn", "@", "\n", "\x1e", "İ"]


@pytest.mark.parametrize("seed", range(4))
def test_skipping_short_numbers_in_the_anchor_finds_the_same_entities(seed):
    plain = _plain_anchor()
    rng = random.Random(seed)
    for _ in range(3000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 20)))
        try:
            expected = _scan(text, plain)
        except ValueError:  # a malformed number the money parser rejects: the same either way
            with pytest.raises(ValueError):
                _scan(text)
            continue
        assert _scan(text) == expected, text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25).map("".join))
def test_skipping_short_numbers_matches_the_plain_anchor_on_generated_text(text):
    try:
        expected = _scan(text, _plain_anchor())
    except ValueError:
        return
    assert _scan(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("con 6 thang", []),
    ("gia $ 5 thang nay", [("money", "$ 5")]),
    ("gui 5 k nhe", [("money", "5 k")]),
    ("gui 5\tk nhe", [("money", "5\tk")]),
    ("tang 5\xa0k nhe", [("money", "5\xa0k")]),
    ("ong 84 tuoi", []),
    ("*12# goi", [("shortcode", "*12#")]),
    ("luc 9h sang", [("datetime", "9h")]),
    ("12.,3 ok", []),
    ("gia $ 0,,10 nhe", [("money", "$ 0")]),  # the digit run goes on through ",,": not a short number
    ("0,.5k", []),
    ("+ 5 thang", []),
])
def test_short_numbers_at_the_edge_of_the_skip(text, expected):
    assert [(e.kind, e.text) for e in E.find_entities(text)] == expected
    assert _scan(text) == _scan(text, _plain_anchor())


@pytest.mark.parametrize("parse, args, key", [
    (money_attrs, ("500", "k"), "value"),
    (phone_attrs, ("0912345678",), "kind"),
    (url_attrs, ("https://vcb-xacthuc.top/login",), "domain"),
    (datetime_attrs, ("10:20 27/03/2025",), "hour"),
])
def test_cached_parsers_hand_out_fresh_dicts(parse, args, key):
    first = parse(*args)
    before = dict(first)
    first[key] = "changed"
    first["sign"] = "+"
    assert parse(*args) == before
    assert parse(*args) is not parse(*args)


def test_money_sign_does_not_leak_into_the_cache():
    assert E.find_entities("+500k")[0].attrs["sign"] == "+"
    assert "sign" not in E.find_entities("500k")[0].attrs


def test_fast_entities_equal_ordinary_ones_and_stay_frozen():
    fast = E._entity("money", 1, 5, "500k", "__money__", {"value": 500_000.0})
    assert type(fast) is Entity
    assert fast == Entity("money", 1, 5, "500k", "__money__", {"value": 500_000.0})
    assert hash(dataclasses.astuple(fast)[:5]) == hash(("money", 1, 5, "500k", "__money__"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.start = 2  # type: ignore[misc]


def test_batch_places_entities_in_their_messages():
    texts = ["", "500k", "", "goi 0912345678 luc 10:20", "khong co gi", "2 ngay", "http://a.vn 50k"]
    assert E.find_entities_batch(texts) == [E.find_entities(t) for t in texts]
    assert E.find_entities_batch([]) == []


def test_unit_trie_reads_what_the_longest_first_alternation_reads():
    import re

    from spamguard.text.money import UNITS

    plain = "(?:" + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True)) + ")"
    tails = ["", " ", "5", "a", "ng", " la", "la", "$", "-1"]
    for unit in [*UNITS, "đ", "đô l", "trie", "nghi", "vn", "us", "c", "t", "x"]:
        for tail in tails:
            text = unit + tail
            for fmt in ("({u})", "({u})(?!\\w)", "({u})(\\d{{1,3}})?(?![\\w$])"):
                a = re.match(fmt.format(u=P.UNIT), text)
                b = re.match(fmt.format(u=plain), text)
                assert (a and a.groups()) == (b and b.groups()), (text, fmt)
