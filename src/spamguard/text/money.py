"""Amounts of money as Vietnamese SMS write them: 500k, 1tr5, 2.000.000đ, 2,250,000VND, 5 triệu, 2 tỷ, $100."""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["UNITS", "parse_number", "money_attrs", "money_tokens"]

# unit as written (lower case) -> (multiplier, currency, informal). Informal shorthand (k, tr, củ) is typical of ads
# and scams; banks write full amounts. Longest first is what the entity regex needs.
UNITS: dict[str, tuple[float, str, bool]] = {
    "nghìn": (1e3, "VND", False), "nghin": (1e3, "VND", False), "ngàn": (1e3, "VND", False),
    "ngan": (1e3, "VND", False), "k": (1e3, "VND", True),
    "triệu": (1e6, "VND", False), "trieu": (1e6, "VND", False), "tr": (1e6, "VND", True), "củ": (1e6, "VND", True),
    "tỷ": (1e9, "VND", False), "tỉ": (1e9, "VND", False), "ty": (1e9, "VND", False),
    "vnđ": (1.0, "VND", False), "vnd": (1.0, "VND", False), "đồng": (1.0, "VND", False),
    "dong": (1.0, "VND", False), "đ": (1.0, "VND", False), "d": (1.0, "VND", False),
    "usd": (1.0, "USD", False), "đô la": (1.0, "USD", False), "đô": (1.0, "USD", False), "$": (1.0, "USD", False),
}


def parse_number(s: str) -> float:
    """Read ``2.000.000``, ``2,250,000``, ``1.5``, ``1,5``, ``15,230,000.50`` (a separator followed by exactly three
    digits groups thousands; otherwise it is the decimal point).

    >>> parse_number("2.000.000"), parse_number("1,5"), parse_number("15,230,000.50")
    (2000000.0, 1.5, 15230000.5)
    """
    dots, commas = s.count("."), s.count(",")
    if not dots and not commas:
        return float(s)
    if dots and commas:  # the last separator is the decimal point, every other one groups digits
        head, _, tail = s.rpartition("." if s.rfind(".") > s.rfind(",") else ",")
        return float(head.replace(".", "").replace(",", "") + "." + tail)
    sep = "." if dots else ","
    if dots + commas > 1:
        return float(s.replace(sep, ""))
    head, _, tail = s.partition(sep)
    if len(tail) == 3:
        return float(head + tail)
    return float(head + "." + tail)


def money_attrs(number: str, unit: str | None, sub: str | None = None, sign: str | None = None) -> dict[str, Any]:
    """Value in the currency's units: ``money_attrs("1", "tr", "5")["value"] == 1_500_000``."""
    attrs = _money_attrs(number, unit, sub).copy()  # a copy: callers may add to it, the cached one stays as is
    if sign:
        attrs["sign"] = sign
    return attrs


@functools.lru_cache(maxsize=8192)
def _money_attrs(number: str, unit: str | None, sub: str | None) -> dict[str, Any]:
    mult, currency, informal = UNITS.get(unit or "", (1.0, "VND", False))
    value = parse_number(number.replace("o", "0"))  # "5OOk": letter O written for zero
    if sub:
        value += int(sub) / 10 ** len(sub)
    return {"value": round(value * mult, 2), "currency": currency, "unit": unit, "informal": informal}


# Cumulative thresholds in VND: a linear model reads "at least 1 million" directly.
_THRESHOLDS = ((1e5, "ge100k"), (1e6, "ge1m"), (1e7, "ge10m"), (1e8, "ge100m"), (1e9, "ge1b"))
_USD_RATE = 25_000.0  # rough VND per USD, only to bucket dollar amounts


_THRESHOLD_TOKENS = tuple((threshold, f"__money_{name}__") for threshold, name in _THRESHOLDS)


def money_tokens(attrs: dict[str, Any]) -> tuple[str, ...]:
    get = attrs.get
    return _money_tokens(float(get("value") or 0.0), get("currency") == "USD", bool(get("informal")),
                         bool(get("sign")))


@functools.lru_cache(maxsize=4096)  # amounts repeat (500k, 1tr, 50.000d): their tokens are made once
def _money_tokens(value: float, usd: bool, informal: bool, signed: bool) -> tuple[str, ...]:
    out = []
    if usd:
        out.append("__money_usd__")
        value *= _USD_RATE
    for threshold, token in _THRESHOLD_TOKENS:  # ascending: the first one not reached ends the list
        if not value >= threshold:
            break
        out.append(token)
    if informal:
        out.append("__money_informal__")
    if signed:
        out.append("__money_signed__")
    return tuple(out)
