"""The optional compiled kernels: C modules ``spamguard._<name>``, built from ``src/spamguard/_<name>.c`` at install
time by ``hatch_build.py``.

Every kernel has a pure-Python equivalent that gives identical results (tests compare the two); it is used when the
extension was not built (no C compiler at install time) or when ``SPAMGUARD_PURE_PYTHON=1`` is set (to compare the
two, or to rule the extensions out when chasing a problem).
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
import os
import warnings
from pathlib import Path
from types import ModuleType

_HERE = Path(__file__).parent


def load(name: str) -> ModuleType | None:
    """The compiled module ``spamguard.<name>``, or None (not built, switched off, or older than its source)."""
    if os.environ.get("SPAMGUARD_PURE_PYTHON", "").strip() not in ("", "0"):
        return None
    try:
        module = importlib.import_module(f"spamguard.{name}")
    except ImportError:
        return None
    return module if _up_to_date(name) else None


def _source_hash(source: Path) -> str:
    """Hash of a kernel's source and the headers beside it: as hatch_build.source_hash records it (a test checks)."""
    digest = hashlib.sha256(source.read_bytes())
    for header in sorted(source.parent.glob("*.h")):
        digest.update(header.read_bytes())
    return digest.hexdigest()


@functools.cache
def _up_to_date(name: str) -> bool:
    """In a source tree (an editable install), whether the module was built from the source there now: an older
    build would run old code under new Python. Installed wheels carry no sources: nothing to check."""
    source = _HERE / f"{name}.c"
    if not source.exists():
        return True
    try:
        built = json.loads((_HERE / ".kernels-built.json").read_text(encoding="utf-8")).get(name)
    except (OSError, ValueError):
        built = None
    if built == _source_hash(source):
        return True
    warnings.warn(f"spamguard.{name} was built from another version of {name}.c: rebuild it with "
                  "`python hatch_build.py` (or reinstall). Using the pure-Python code meanwhile.", stacklevel=3)
    return False


KERNELS = ("_speedups", "_tokens", "_lanescan", "_entityscan", "_deobscan")  # one per src/spamguard/<name>.c

speedups: ModuleType | None = load("_speedups")
