"""The job watch (bot.ops.job_watch): a timed job that stops finishing is late after a few intervals."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.ops.job_watch import JobWatch

START = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


async def ok(_context) -> str:
    return "done"


async def broken(_context) -> None:
    raise RuntimeError("the database refused")


async def test_a_job_that_keeps_finishing_is_never_late():
    clock = Clock()
    watch = JobWatch(clock=clock, grace=timedelta(seconds=10))
    job = watch.watched("outbox", ok, interval=1.0)
    for _ in range(100):
        clock.advance(1)
        assert await job(None) == "done"  # the callback's result is passed on
    [state] = watch.states()
    assert state.name == "outbox" and state.last_finished_at == clock() and not state.late
    assert watch.late_jobs() == []


async def test_a_job_that_stops_finishing_is_late_after_three_intervals_and_the_grace():
    clock = Clock()
    watch = JobWatch(clock=clock, grace=timedelta(seconds=60))
    job = watch.watched("checkins", ok, interval=60)
    clock.advance(60)
    await job(None)
    clock.advance(3 * 60 + 60)  # exactly the allowance: not yet
    assert watch.late_jobs() == []
    clock.advance(1)
    [late] = watch.late_jobs()
    assert late.name == "checkins" and late.unfinished_for == timedelta(seconds=241)
    assert late.allowed == timedelta(seconds=240)
    clock.advance(5)
    await job(None)
    assert watch.late_jobs() == []


async def test_a_run_that_raises_counts_as_a_failure_not_as_finished():
    clock = Clock()
    watch = JobWatch(clock=clock, grace=timedelta(seconds=0))
    job = watch.watched("checkins", broken, interval=10)
    for _ in range(4):
        clock.advance(10)
        with pytest.raises(RuntimeError):  # passed on, for the application's error handler
            await job(None)
    state = watch.state("checkins")
    assert state.failures == 4 and state.last_finished_at is None and not state.running
    assert not state.late  # the first run was due at 10 s: 30 s without finishing, 30 s allowed
    clock.advance(1)
    assert watch.state("checkins").late


async def test_before_its_first_run_a_job_counts_from_when_that_run_was_due():
    clock = Clock()
    watch = JobWatch(clock=clock, grace=timedelta(seconds=0))
    watch.watched("retention", ok, interval=timedelta(hours=6), first=timedelta(minutes=1))
    clock.advance(60 + 18 * 3600)
    assert watch.late_jobs() == []
    clock.advance(1)
    assert [job.name for job in watch.late_jobs()] == ["retention"]


async def test_a_run_under_way_is_shown_running_and_a_cancelled_one_does_not_count():
    clock = Clock()
    watch = JobWatch(clock=clock)
    release = asyncio.Event()

    async def slow(_context) -> None:
        await release.wait()

    job = watch.watched("notices", slow, interval=2)
    task = asyncio.create_task(job(None))
    await asyncio.sleep(0)
    assert watch.state("notices").running
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    state = watch.state("notices")
    assert not state.running and state.failures == 0 and state.last_finished_at is None


def test_names_must_be_unique_and_intervals_positive():
    watch = JobWatch(clock=Clock())
    watch.watched("outbox", ok, interval=1)
    with pytest.raises(ValueError, match="watched already"):
        watch.watched("outbox", ok, interval=1)
    with pytest.raises(ValueError, match="positive interval"):
        watch.watched("other", ok, interval=0)
    with pytest.raises(ValueError):
        JobWatch(clock=Clock(), late_after_intervals=0.5)
    assert watch.names == ["outbox"]
