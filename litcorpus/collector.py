"""Python's cycle collector, held back where many objects without reference cycles live at once.

Parsing a file's piece or comparing a batch of candidate pairs makes hundreds of thousands of small
objects (records, keys, evidence) that live until the piece or batch is done. None of them forms a
reference cycle, so reference counting frees them; but while they live, the collector walks them
again and again for nothing (5 % of an ingest's CPU time; 64 full collections and 10 s of the
parent's comparing at a million records, growing with the pairs compared).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cycle collection inside; the collector is as it was after, even on an error (what the
    work left is collected later, as usual)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def rarer() -> Iterator[None]:
    """Cycle collection at most every 20,000 allocations of young objects inside (for work whose
    objects outlive a piece: an ingest's stored records)."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], 20_000), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)
