"""spamguard: flag spam and scam SMS and unreliable social-media posts written in Vietnamese.

Importing the package is cheap: no model is loaded, no logging is configured, nothing is downloaded, and heavy
dependencies (scikit-learn, underthesea) are imported only when a function that needs them is first called.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from spamguard._version import __version__
from spamguard.errors import InputFormatError, ModelFormatError, ModelNotFoundError, SpamguardError

__all__ = [
    "__version__",
    "SpamguardError",
    "ModelFormatError",
    "ModelNotFoundError",
    "InputFormatError",
    "load_model",
    "normalize",
    "tokenize",
    "find_entities",
]

# name -> module that defines it; resolved on first access (PEP 562) so `import spamguard` stays light.
_LAZY = {
    "load_model": "spamguard.registry",
    "normalize": "spamguard.text",
    "tokenize": "spamguard.text",
    "find_entities": "spamguard.text",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'spamguard' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
