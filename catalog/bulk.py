"""Building big read-only structures (a validated catalog, the matcher's index) without the
cycle collector re-walking them on every few hundred allocations.

Loading a 5,000-program catalog creates about 400,000 objects that live as long as the
process; CPython's collector runs its oldest generation again and again while they pile up,
which measured as half of the load time. None of them form reference cycles that need the
collector, so it is paused for the build and resumed afterwards (anything cyclic made
meanwhile is collected then).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector for a bounded build; leave it as it was found.

    Process-wide, so only for work that takes a moment at start-up: another thread running
    meanwhile merely has its cycles collected a little later.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
