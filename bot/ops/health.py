"""What `/healthz` and `/readyz` answer: is the bot alive and doing its work, is it started.

- Health (`BotHealth.check`): unhealthy when a timed job is late (`bot.ops.job_watch`) or the
  database does not answer `SELECT 1` within `DATABASE_TIMEOUT_SECONDS`. A load balancer or a
  supervisor restarts or stops sending to a process that stays unhealthy; the answer names the
  late jobs, so whoever is paged knows where to look.
- Readiness (`Readiness`): start-up is done: the catalog loaded, the migrations checked, and
  the application started (and not stopping). Before that a load balancer should not send
  updates to this process.

The answers carry job names, seconds and the words below: never the token, a chat, a name or
the text of an error (it may quote a resident's message).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, text

from bot.ops.job_watch import JobState, JobWatch

log = logging.getLogger(__name__)

# A database slower than this to answer SELECT 1 counts as not answering.
DATABASE_TIMEOUT_SECONDS = 2.0

# What start-up does before the bot may take updates, in its order (bot.app).
CATALOG = "catalog"
MIGRATIONS = "migrations"
APPLICATION = "application"
STARTUP_STEPS = (CATALOG, MIGRATIONS, APPLICATION)


def database_answers(engine: Engine) -> bool:
    """True when the database answers SELECT 1; any failure is False (logged by its type only)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means "not healthy"
        log.warning("health check: database unreachable (%s)", type(error).__name__)
        return False
    return True


class DatabaseProbe:
    """`await probe.answers()`: the database's answer to SELECT 1, or False after the timeout.

    The check runs on a daemon thread of its own, so a connection that hangs (a server gone
    mid-handshake, a pool with every connection taken) makes the answer False after
    `timeout_seconds` instead of hanging the health endpoint, and never holds up the process
    on its way out. While one check is still under way, later calls wait for that one rather
    than start another, so a hanging database does not pile up threads.
    """

    def __init__(self, check: Callable[[], bool], *, timeout_seconds: float = DATABASE_TIMEOUT_SECONDS):
        self.check = check
        self.timeout_seconds = timeout_seconds
        self._pending: concurrent.futures.Future[bool] | None = None
        self._lock = threading.Lock()

    @classmethod
    def of(cls, engine: Engine, *, timeout_seconds: float = DATABASE_TIMEOUT_SECONDS) -> DatabaseProbe:
        return cls(lambda: database_answers(engine), timeout_seconds=timeout_seconds)

    async def answers(self) -> bool:
        with self._lock:
            if self._pending is None or self._pending.done():
                self._pending = self._start()
            pending = self._pending
        try:
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(pending)),
                                          self.timeout_seconds)
        except TimeoutError:
            log.warning("health check: database did not answer within %.1f s", self.timeout_seconds)
            return False

    def _start(self) -> concurrent.futures.Future[bool]:
        future: concurrent.futures.Future[bool] = concurrent.futures.Future()

        def run() -> None:
            try:
                future.set_result(bool(self.check()))
            except Exception as error:  # noqa: BLE001 - a failing check is a "no"
                log.warning("health check: database check failed (%s)", type(error).__name__)
                future.set_result(False)

        threading.Thread(target=run, name="health-database", daemon=True).start()
        return future


class Readiness:
    """Which start-up steps are done; the application's own step is whether it is running.

    The entry point marks `CATALOG` and `MIGRATIONS` as it does them; `APPLICATION` is read
    from `application_running` (python-telegram-bot's `Application.running`) at each question,
    so a bot that is stopping is no longer ready either.
    """

    def __init__(self, *, done: tuple[str, ...] = (), application_running: Callable[[], bool] | None = None):
        self._done: set[str] = set()
        self.application_running = application_running or (lambda: False)
        for step in done:
            self.mark(step)

    def mark(self, step: str) -> None:
        if step not in (CATALOG, MIGRATIONS):
            raise ValueError(f"unknown start-up step {step!r}; the application's is read from it")
        self._done.add(step)

    def missing(self) -> list[str]:
        """The steps not done yet, in start-up's order; empty when ready."""
        done = set(self._done)
        if self.application_running():
            done.add(APPLICATION)
        return [step for step in STARTUP_STEPS if step not in done]


@dataclass(frozen=True)
class HealthReport:
    """One answer of the health check."""

    database_answers: bool
    late_jobs: tuple[JobState, ...]

    @property
    def healthy(self) -> bool:
        return self.database_answers and not self.late_jobs

    def as_json(self) -> dict[str, Any]:
        if self.healthy:
            return {"status": "ok"}
        problems = [] if self.database_answers else ["database not answering"]
        problems += [f"timed job {job.name} late: not finished for "
                     f"{job.unfinished_for.total_seconds():.0f} s (runs every "
                     f"{job.interval.total_seconds():g} s)" for job in self.late_jobs]
        return {
            "status": "unhealthy",
            "database": "ok" if self.database_answers else "not answering",
            "late_jobs": [job.name for job in self.late_jobs],
            "problems": problems,
        }


class BotHealth:
    """The health check of one process: its timed jobs and its database."""

    def __init__(self, *, job_watch: JobWatch | None, probe: DatabaseProbe):
        self.job_watch = job_watch
        self.probe = probe
        self._late_names: tuple[str, ...] = ()

    async def check(self) -> HealthReport:
        database = await self.probe.answers()
        late = tuple(self.job_watch.late_jobs()) if self.job_watch is not None else ()
        names = tuple(job.name for job in late)
        if names != self._late_names:  # logged when it changes, not at every probe
            if names:
                log.warning("health check: timed jobs late: %s", ", ".join(names))
            else:
                log.info("health check: no timed job is late any more")
            self._late_names = names
        return HealthReport(database_answers=database, late_jobs=late)


__all__ = [
    "APPLICATION",
    "CATALOG",
    "DATABASE_TIMEOUT_SECONDS",
    "MIGRATIONS",
    "STARTUP_STEPS",
    "BotHealth",
    "DatabaseProbe",
    "HealthReport",
    "Readiness",
    "database_answers",
]
