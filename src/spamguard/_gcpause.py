"""Pause Python's cyclic garbage collector while a batch is processed."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a batch is processed, then restore its previous state.

    A batch allocates millions of short-lived strings and small objects that reference counting frees; the cyclic
    collector would scan them over and over without finding anything to collect. Reference counting still frees memory. Nested pauses are fine: only the outermost one
    turns the collector back on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
