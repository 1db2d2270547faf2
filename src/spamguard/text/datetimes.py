"""Dates and times as SMS write them: "27/03/2025", "10:20", "10h20", "18h-21h", "2025-03-27", "10/2025"."""

from __future__ import annotations

import functools
import re
from typing import Any

__all__ = ["datetime_attrs", "datetime_tokens"]

_CLOCK = re.compile(r"(\d{1,2})(?::(\d\d)|h(\d\d)?)")
_DATE = re.compile(r"(\d{1,4})[/.-](\d{1,4})(?:[/.-](\d{2,4}))?(?![\d:h])")


def datetime_attrs(raw: str) -> dict[str, Any] | None:
    """Parts of a lower-cased date/time span, or None when it is more likely a fraction or a score.

    >>> datetime_attrs("10:20 27/03/2025")
    {'date': True, 'time': True, 'hour': 10, 'minute': 20, 'day': 27, 'month': 3, 'year': 2025}
    """
    parts = _datetime_attrs(raw)
    return None if parts is None else parts.copy()  # a copy: the cached one must not change


@functools.lru_cache(maxsize=4096)
def _datetime_attrs(raw: str) -> dict[str, Any] | None:
    """``date``/``time`` flags and the parts written (day, month, year, hour, minute); None for "1/2" or "2-1"."""
    out: dict[str, Any] = {"date": False, "time": False}
    clock = _CLOCK.search(raw)
    if clock:
        out.update(time=True, hour=int(clock.group(1)), minute=int(clock.group(2) or clock.group(3) or 0))
    date = _DATE.search(raw)
    if date:
        a, b, c = date.groups()
        if len(a) == 4:                      # 2025-03-27
            out.update(year=int(a), month=int(b), day=int(c or 1))
        elif len(b) == 4:                    # 10/2025
            out.update(month=int(a), year=int(b))
        else:
            if not clock and not c and len(a) == 1 and len(b) == 1:
                return None                  # a fraction or a score more often than a date
            out.update(day=int(a), month=int(b))
            if c:
                out["year"] = int(c) + (2000 if len(c) == 2 else 0)
        out["date"] = True
    return out


def datetime_tokens(attrs: dict[str, Any]) -> tuple[str, ...]:
    if attrs.get("date"):
        return ("__datetime_date__", "__datetime_time__") if attrs.get("time") else ("__datetime_date__",)
    return ("__datetime_time__",) if attrs.get("time") else ()
