"""The one place that tunes Python's cyclic garbage collector for a run.

A run builds large object graphs with few cycles (loaded documents, the IR, the model engine's
parse tree): the collector's frequent young passes cost a sixth of loading and building GitHub's
API, and a third of the model engine's time on big specs, and collect little. Inside
:func:`few_collections` young passes are rare (not off: memory would grow); with ``freeze`` the
objects that exist already are moved out of the collector's sight for the duration.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["few_collections"]

_YOUNG = 50_000  # allocations between young passes (CPython's default: 700)


@contextlib.contextmanager
def few_collections(*, freeze: bool = False) -> Iterator[None]:
    old = gc.get_threshold()
    if freeze:
        gc.collect()
        gc.freeze()
    gc.set_threshold(max(old[0], _YOUNG), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)
        if freeze:
            gc.unfreeze()
