"""The server's heap after its state is written: the records left out of garbage collection.

A mock's records live until the next reset; with 100,000 of them the cyclic collector's
full passes walk a million objects, a pause of a fifth of a second that landed on the
99th percentile of every list (measured: p99 189 ms, 46 ms once frozen). After a build or
a write of the state, `settle` collects what is garbage and freezes the rest (records,
the spec, compiled validators) out of later passes; records freed later are still freed
by their reference counts. A process-wide change: `ibl-mock serve` makes it (its process
is the mock's alone), the pytest plugin and other embedders do not.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


def settle() -> None:
    gc.collect()
    gc.freeze()
    gc.enable()  # `serve` builds with it off (`building`): what it made collected here, once


@contextlib.contextmanager
def building() -> Iterator[None]:
    """The collector off while a process builds its mock, until `settle` (or the end of
    this, whatever happens). Building a large document's mock makes a million objects,
    young, and most of them kept: the collector's passes over them were a sixth of a
    start-up, and freed next to nothing."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def leave() -> None:
    """For processes the mock shares (tests, embedding apps): nothing."""
