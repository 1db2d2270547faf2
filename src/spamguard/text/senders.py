"""Who sent a message: a brandname, a shortcode, a personal number... (a telecom operator always knows the sender).

>>> classify_sender("Vietcombank")
SenderInfo(kind='brandname', brand='vietcombank', category='bank')
>>> classify_sender("+84 912 345 678").kind
'mobile'
>>> sender_tokens(classify_sender("VCB"))
('__sender_brandname__', '__sender_brand__', '__sender_brand_bank__')
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from spamguard.text.brands import brands, official_brand, registered_domain, sender_brand
from spamguard.text.phones import classify_digits

__all__ = ["SenderInfo", "SENDER_KINDS", "classify_sender", "sender_tokens", "domain_matches_brand"]

SENDER_KINDS = ("none", "brandname", "shortcode", "mobile", "landline", "hotline", "international", "other")

_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u2060-\u2064\ufeff\x00-\x1f\x7f]")
_NUMBER = re.compile(r"\+?[\d .()\-]{3,24}")
_BRANDNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._&'\-]{0,19}")  # alphanumeric sender IDs are ASCII, <= 11 chars
_MAX_LEN = 64


@dataclass(frozen=True, slots=True)
class SenderInfo:
    """``kind`` is one of :data:`SENDER_KINDS`; ``brand`` and ``category`` are set for known brandnames."""

    kind: str
    brand: str | None = None
    category: str | None = None


_NONE = SenderInfo("none")
_OTHER = SenderInfo("other")


def classify_sender(sender: Any) -> SenderInfo:
    """Classify a sender field as it arrives (str, int from a CSV, None, NaN); never raises."""
    if sender is None or isinstance(sender, bool):
        return _NONE
    if isinstance(sender, float):
        if math.isnan(sender) or math.isinf(sender):
            return _NONE
        if not sender.is_integer():
            return _OTHER
        sender = str(int(sender))
    elif isinstance(sender, int):
        sender = str(sender)
    elif isinstance(sender, bytes):
        sender = sender.decode("utf-8", "replace")
    elif not isinstance(sender, str):
        return _OTHER
    if len(sender) > 4 * _MAX_LEN:
        return _OTHER
    s = _INVISIBLE.sub("", sender).strip()
    if not s:
        return _NONE
    if len(s) > _MAX_LEN:
        return _OTHER
    if _NUMBER.fullmatch(s):
        return _number_sender(s)
    if _BRANDNAME.fullmatch(s) and any(c.isalpha() for c in s):
        bid = sender_brand(s)
        if bid is None:
            return SenderInfo("brandname")
        return SenderInfo("brandname", bid, brands()[bid].category)
    return _OTHER


def _number_sender(s: str) -> SenderInfo:
    digits = "".join(c for c in s if c.isdigit())
    plus = s.startswith("+")
    if not plus and 3 <= len(digits) <= 5 and digits == s:
        return SenderInfo("shortcode")
    if not plus and len(digits) == 9 and digits[0] in "35789":
        digits = "0" + digits  # a spreadsheet dropped the leading zero
    kind, _ = classify_digits(digits, plus=plus)
    return SenderInfo(kind if kind != "other" else "other")


def sender_tokens(info: SenderInfo) -> tuple[str, ...]:
    """Tokens for the models: ``__sender_<kind>__`` and, for brandnames, whether and which kind of brand."""
    out = [f"__sender_{info.kind}__"]
    if info.kind == "brandname":
        if info.brand is None:
            out.append("__sender_brand_unknown__")
        else:
            out.append("__sender_brand__")
            out.append(f"__sender_brand_{info.category}__")
    return tuple(out)


def domain_matches_brand(domain: str, brand_id: str | None) -> bool:
    """True if ``domain`` (a registered domain or any host) belongs to the brand ``brand_id``.

    Lets a model flag "a bank's brandname with a link to a domain that is not the bank's":
    ``domain_matches_brand("vietcombank.com.vn", "vietcombank")`` is True, ``("vcb-xacthuc.top", ...)`` False.
    """
    if not brand_id or not isinstance(domain, str) or not domain:
        return False
    host = domain.strip().lower().rstrip(".")
    return official_brand(host) == brand_id or official_brand(registered_domain(host)) == brand_id
