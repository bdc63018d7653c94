"""When each timed job last finished, and which ones are late.

The timed jobs (outbox, notices, check-ins, retention, weekly chart, the watchdog) are the
bot's promises kept without anyone writing to it: a check-in job that stopped finishing sends
no check-in and raises no alarm, and nobody would notice from the chat. `build_application`
registers every job through `JobWatch.watched`, which records each run that finished; a run
that raised is counted as a failure and does not count as finished, so a job that fails every
time is as late as one that never runs.

A job is late when it has not finished for more than `late_after_intervals` of its intervals
plus `grace` (a slow run, a busy event loop). Before its first run the time counts from when
that run was due. What is recorded is per process and in memory: a restarted process starts
counting afresh, and each process of a scaled-out deployment answers for its own jobs.

Only job names, times and counts are kept: never what a job was working on, nor the text of
its error (it may quote a resident's message, or a URL with the token).
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.core.clock import Clock

# A job is late after this many of its intervals without finishing, plus the grace below.
LATE_AFTER_INTERVALS = 3
LATE_GRACE = timedelta(seconds=60)

JobCallback = Callable[[Any], Awaitable[Any]]


@dataclass(frozen=True)
class JobState:
    """One timed job as the watch saw it at `now`."""

    name: str
    interval: timedelta
    # Since the last finished run, or since the first run was due when none has finished.
    unfinished_for: timedelta
    allowed: timedelta
    last_finished_at: datetime | None
    failures: int
    running: bool

    @property
    def late(self) -> bool:
        return self.unfinished_for > self.allowed


@dataclass
class _Record:
    interval: timedelta
    first_due_at: datetime
    last_finished_at: datetime | None = None
    failures: int = 0
    running_since: datetime | None = None


class JobWatch:
    """Records each timed job's finished runs; `states()` says how long each has gone without one.

    Thread-safe: the jobs record on the event loop, while the health listener may read from
    its own thread.
    """

    def __init__(self, *, clock: Clock, late_after_intervals: float = LATE_AFTER_INTERVALS,
                 grace: timedelta = LATE_GRACE):
        if late_after_intervals < 1:
            raise ValueError("a job is late after one interval at the earliest")
        self.clock = clock
        self.late_after_intervals = late_after_intervals
        self.grace = grace
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    def watched(self, name: str, callback: JobCallback, *, interval: float | timedelta,
                first: float | timedelta | None = None) -> JobCallback:
        """`callback`, recording each run under `name`; register the result with the scheduler.

        `interval` and `first` (the delay before the first run; default one interval) are what
        the scheduler is given, in seconds or as a timedelta.
        """
        every = _as_timedelta(interval)
        if every <= timedelta(0):
            raise ValueError(f"timed job {name!r} needs a positive interval")
        wait = every if first is None else _as_timedelta(first)
        with self._lock:
            if name in self._records:
                raise ValueError(f"timed job {name!r} is watched already")
            self._records[name] = _Record(interval=every, first_due_at=self.clock() + wait)

        async def run(context: Any) -> Any:
            self._started(name)
            try:
                result = await callback(context)
            except Exception:
                self._failed(name)
                raise  # the application's error handler logs where it failed
            except BaseException:  # cancelled (the application stopping): neither way
                self._stopped(name)
                raise
            self._finished(name)
            return result

        run.__name__ = f"watched_{name.replace('-', '_')}"
        run.__doc__ = callback.__doc__
        return run

    # --- what the jobs record -------------------------------------------------------------
    def _started(self, name: str) -> None:
        with self._lock:
            self._records[name].running_since = self.clock()

    def _finished(self, name: str) -> None:
        with self._lock:
            record = self._records[name]
            record.last_finished_at = self.clock()
            record.running_since = None

    def _failed(self, name: str) -> None:
        with self._lock:
            record = self._records[name]
            record.failures += 1
            record.running_since = None

    def _stopped(self, name: str) -> None:
        with self._lock:
            self._records[name].running_since = None

    # --- what health and metrics read -----------------------------------------------------
    @property
    def names(self) -> list[str]:
        with self._lock:
            return list(self._records)

    def states(self, now: datetime | None = None) -> list[JobState]:
        """Every watched job at `now` (default: the clock's now), in the order registered."""
        now = self.clock() if now is None else now
        with self._lock:
            return [self._state(name, record, now) for name, record in self._records.items()]

    def state(self, name: str, now: datetime | None = None) -> JobState:
        """One job's state; KeyError for a job that is not watched."""
        now = self.clock() if now is None else now
        with self._lock:
            return self._state(name, self._records[name], now)

    def late_jobs(self, now: datetime | None = None) -> list[JobState]:
        return [state for state in self.states(now) if state.late]

    def _state(self, name: str, record: _Record, now: datetime) -> JobState:
        since = record.last_finished_at or record.first_due_at
        return JobState(
            name=name,
            interval=record.interval,
            unfinished_for=max(timedelta(0), now - since),
            allowed=record.interval * self.late_after_intervals + self.grace,
            last_finished_at=record.last_finished_at,
            failures=record.failures,
            running=record.running_since is not None,
        )


def _as_timedelta(value: float | timedelta) -> timedelta:
    return value if isinstance(value, timedelta) else timedelta(seconds=float(value))


__all__ = ["LATE_AFTER_INTERVALS", "LATE_GRACE", "JobState", "JobWatch"]
