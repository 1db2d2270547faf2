"""Repairing messy cells from real exports: counts written as text, mojibake, missing markers."""

from __future__ import annotations

import math
import re
from typing import Any

_MISSING = {"", "unknown", "none", "null", "nan", "n/a", "na", "-", "?"}
_NUMBER = re.compile(r"^\s*([0-9][0-9.,]*)\s*([kKmM]?)")
# Byte sequences that UTF-8 text shows after being decoded as Latin-1/CP1252 or MacRoman.
_MOJIBAKE_HINTS = re.compile("Ã.|Ä[\u0080-\u00ff‘’]|Æ.|áº|á»|â€|Ã¡|Ã©|Ã³|âˆ|√†|√°|√™|¬†|‚Äô|·∫|·ª")


def parse_count(value: Any) -> float:
    """A non-negative count from a messy cell ("54", "54 like", "1.2k", 3.0) or NaN when it is missing/junk."""
    if value is None:
        return math.nan
    if isinstance(value, bool):
        return math.nan
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) and value >= 0 else math.nan
    text = str(value).strip().lower()
    if text in _MISSING:
        return math.nan
    match = _NUMBER.match(text)
    if not match:
        return math.nan
    digits, suffix = match.groups()
    if suffix:
        number = float(digits.replace(",", "."))
    else:
        number = float(digits.replace(",", "").replace(".", ""))
    return number * {"": 1, "k": 1e3, "m": 1e6}[suffix]


def parse_timestamp(value: Any) -> float:
    """Unix seconds from a messy cell, or NaN. Accepts numbers and ISO dates."""
    number = parse_count(value)
    if not math.isnan(number) and number > 1e8:  # plausible unix time (after 1973)
        return number / 1000.0 if number > 1e11 else number
    if value is None:
        return math.nan
    from datetime import datetime

    try:
        return datetime.fromisoformat(str(value).strip()).timestamp()
    except ValueError:
        return math.nan


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as CP1252/Latin-1 or MacRoman, when that is clearly what happened."""
    if not text or not _MOJIBAKE_HINTS.search(text):
        return text
    for codec in ("cp1252", "latin-1", "mac_roman"):
        try:
            repaired = text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if not _MOJIBAKE_HINTS.search(repaired):
            return repaired
    return text
