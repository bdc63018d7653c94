"""Flood control on its own: a pure sliding window per person, time passed in by the test."""

from __future__ import annotations

import pytest

from bot.adapters.flood import SWEEP_EVERY_CHECKS, FloodGate, Verdict


def test_allows_up_to_the_limit_then_warns_once_then_drops():
    gate = FloodGate(max_messages=3, window_seconds=10)
    verdicts = [gate.check(1, now=0.1 * i) for i in range(8)]
    assert verdicts == [Verdict.ALLOW] * 3 + [Verdict.WARN] + [Verdict.DROP] * 4


def test_people_are_counted_apart():
    gate = FloodGate(max_messages=2, window_seconds=10)
    for _ in range(5):
        gate.check(1, now=1.0)
    assert gate.check(2, now=1.0) is Verdict.ALLOW
    assert gate.check(2, now=1.0) is Verdict.ALLOW
    assert gate.check(2, now=1.0) is Verdict.WARN


def test_window_slides_and_a_new_flood_is_warned_again():
    gate = FloodGate(max_messages=2, window_seconds=10)
    assert [gate.check(1, now=t) for t in (0, 1, 2, 3)] == [
        Verdict.ALLOW, Verdict.ALLOW, Verdict.WARN, Verdict.DROP
    ]
    # The first message leaves the window at t=10: one more is let through, then a new warning.
    assert gate.check(1, now=9.9) is Verdict.DROP
    assert gate.check(1, now=10.0) is Verdict.ALLOW
    assert gate.check(1, now=10.5) is Verdict.WARN
    assert gate.check(1, now=30) is Verdict.ALLOW


def test_idle_people_are_forgotten():
    gate = FloodGate(max_messages=2, window_seconds=10)
    for user_id in range(SWEEP_EVERY_CHECKS - 1):
        gate.check(user_id, now=0)
    gate.check(999_999, now=100)  # the sweep runs on this check: everyone else is idle
    assert gate.tracked_people() == 1


@pytest.mark.parametrize("max_messages, window", [(0, 10), (3, 0), (3, -1)])
def test_rejects_a_limit_that_would_block_everyone(max_messages, window):
    with pytest.raises(ValueError):
        FloodGate(max_messages=max_messages, window_seconds=window)
