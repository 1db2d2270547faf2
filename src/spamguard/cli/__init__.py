"""The ``spamguard`` command line. ``main(argv) -> int`` runs it in-process (see docs/cli.md)."""

from spamguard.cli.app import ExitStatus, main

__all__ = ["ExitStatus", "main"]
