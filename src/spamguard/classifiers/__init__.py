"""scikit-learn compatible classifiers. Import the concrete modules lazily: they pull in scikit-learn."""

from __future__ import annotations

from importlib import import_module
from typing import Any

_LAZY = {"SmsClassifier": "spamguard.classifiers.sms", "PostsClassifier": "spamguard.classifiers.posts",
         "TextClassifier": "spamguard.classifiers.generic"}
__all__ = list(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'spamguard.classifiers' has no attribute {name!r}")
