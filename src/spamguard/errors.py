"""Exceptions raised by spamguard. Each message says what was expected, what arrived and what to do."""

from __future__ import annotations


class SpamguardError(Exception):
    """Base class of every error spamguard raises on purpose."""


class ModelFormatError(SpamguardError, ValueError):
    """A model file is not a spamguard model, is corrupted, or fails its integrity check."""


class ModelNotFoundError(SpamguardError, LookupError):
    """No shipped model has that name and no file exists at that path."""


class InputFormatError(SpamguardError, ValueError):
    """Input data cannot be read in the requested format (unknown format, missing column, ...)."""


class DatasetNotFoundError(SpamguardError, FileNotFoundError):
    """A public corpus is not present on this machine."""
