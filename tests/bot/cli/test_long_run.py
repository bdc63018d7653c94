"""What the long-running commands do once start-up is over (bot.app.settle_for_a_long_run)."""

from __future__ import annotations

import gc
import weakref

import pytest

from bot.app import settle_for_a_long_run


@pytest.fixture
def thawed():
    """The test process must not keep the frozen objects: later tests' garbage would pile up."""
    if gc.get_freeze_count():
        pytest.skip("something else froze objects in this process")
    yield
    gc.unfreeze()


class Cyclic:
    def __init__(self) -> None:
        self.me = self


def test_start_up_garbage_is_freed_what_lives_is_frozen_and_later_garbage_still_collected(thawed):
    built = [Cyclic() for _ in range(100)]  # lives on, like the catalog
    start_up_garbage = weakref.ref(Cyclic())
    settle_for_a_long_run()
    assert start_up_garbage() is None
    assert gc.get_freeze_count() >= len(built)
    later_garbage = weakref.ref(Cyclic())
    gc.collect()
    assert later_garbage() is None
