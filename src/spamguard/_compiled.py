"""The optional compiled kernels: C modules ``spamguard._<name>``, built from ``src/spamguard/_<name>.c`` at install
time by ``hatch_build.py``.

Every kernel has a pure-Python equivalent that gives identical results (tests compare the two); it is used when the
extension was not built (no C compiler at install time) or when ``SPAMGUARD_PURE_PYTHON=1`` is set (to compare the
two, or to rule the extensions out when chasing a problem).
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType


def load(name: str) -> ModuleType | None:
    """The compiled module ``spamguard.<name>``, or None (not built, or switched off)."""
    if os.environ.get("SPAMGUARD_PURE_PYTHON", "").strip() not in ("", "0"):
        return None
    try:
        return importlib.import_module(f"spamguard.{name}")
    except ImportError:
        return None


KERNELS = ("_speedups", "_tokens", "_lanescan", "_entityscan")  # one per src/spamguard/<name>.c

speedups: ModuleType | None = load("_speedups")
