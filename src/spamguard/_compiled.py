"""The optional compiled kernels (``spamguard._speedups``, built from ``_speedups.c`` at install time).

Every kernel has a pure-Python equivalent that gives identical results; it is used when the extension was not built
(no C compiler at install time) or when ``SPAMGUARD_PURE_PYTHON=1`` is set (to compare the two, or to rule the
extension out when chasing a problem).
"""

from __future__ import annotations

import os
from types import ModuleType


def _load() -> ModuleType | None:
    if os.environ.get("SPAMGUARD_PURE_PYTHON", "").strip() not in ("", "0"):
        return None
    try:
        from spamguard import _speedups
    except ImportError:
        return None
    return _speedups


speedups: ModuleType | None = _load()
