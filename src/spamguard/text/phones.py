"""Vietnamese phone numbers: mobile (03x 05x 07x 08x 09x), landline (02x), hotline (1800/1900), foreign.

Used for phone entities in text and for the sender of a message.
"""

from __future__ import annotations

import functools
import re
from typing import Any

__all__ = ["classify_digits", "phone_attrs", "phone_tokens"]

_NON_DIGIT = re.compile(r"\D")
_MOBILE = re.compile(r"[35789]\d{8}")
_LANDLINE = re.compile(r"2\d{9}")
_HOTLINE = re.compile(r"1[89]00\d{4,6}")


def classify_digits(digits: str, plus: bool = False) -> tuple[str, str | None]:
    """Kind and E.164 form of a number given as digits (``plus``: it was written with a leading ``+``).

    Returns ``("mobile", "+84912345678")``, ``("landline", ...)``, ``("hotline", None)``,
    ``("international", "+1...")`` or ``("other", None)``.
    """
    if _HOTLINE.fullmatch(digits) and not plus:
        return "hotline", None
    national = None
    if digits.startswith("0084"):
        national = digits[4:]
    elif digits.startswith("84") and (plus or len(digits) >= 11):
        national = digits[2:]
    elif digits.startswith("0") and not plus:
        national = digits[1:]
    if national is not None:
        national = national[1:] if national.startswith("0") and len(national) in (10, 11) else national
        if _MOBILE.fullmatch(national):
            return "mobile", "+84" + national
        if _LANDLINE.fullmatch(national):
            return "landline", "+84" + national
    if plus and 7 <= len(digits) <= 15:
        return "international", "+" + digits
    return "other", None


def phone_attrs(raw: str, masked: bool = False) -> dict[str, Any]:
    """``{"kind", "e164", "masked"}`` of a phone number as written ("0912.345.678", "+84 912 345 678")."""
    return _phone_attrs(raw, masked).copy()  # a copy: the cached one must not change


@functools.lru_cache(maxsize=8192)
def _phone_attrs(raw: str, masked: bool) -> dict[str, Any]:
    return _parse(raw, masked)


def _parse(raw: str, masked: bool) -> dict[str, Any]:
    if masked:
        kind = "mobile" if re.match(r"0[35789]", raw) or raw.startswith("+84") else "other"
        return {"kind": kind, "e164": None, "masked": True}
    digits = _NON_DIGIT.sub("", raw)
    kind, e164 = classify_digits(digits, plus=raw.lstrip("( ").startswith("+"))
    return {"kind": kind, "e164": e164, "masked": False}


def phone_tokens(attrs: dict[str, Any]) -> tuple[str, ...]:
    out = [f"__phone_{attrs.get('kind') or 'other'}__"]
    if attrs.get("masked"):
        out.append("__phone_masked__")
    return tuple(out)
