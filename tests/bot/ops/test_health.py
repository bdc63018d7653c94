"""Health and readiness (bot.ops.health): the database's answer within a timeout, late jobs named,
start-up steps."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import create_engine

from bot.ops.health import (
    APPLICATION,
    CATALOG,
    MIGRATIONS,
    BotHealth,
    DatabaseProbe,
    Readiness,
    database_answers,
)
from bot.ops.job_watch import JobWatch

from .test_job_watch import Clock, ok


def test_the_database_answers_or_not(engine, tmp_path):
    assert database_answers(engine)
    missing_folder = create_engine(f"sqlite:///{(tmp_path / 'no' / 'such' / 'folder' / 'x.db').as_posix()}")
    assert not database_answers(missing_folder)


async def test_a_database_that_hangs_is_not_answering_after_the_timeout_and_is_asked_once():
    release = threading.Event()
    calls = []

    def hangs() -> bool:
        calls.append(1)
        release.wait(10)
        return True

    probe = DatabaseProbe(hangs, timeout_seconds=0.2)
    started = time.monotonic()
    assert await probe.answers() is False
    assert await probe.answers() is False  # waits for the same check, starts no second one
    assert time.monotonic() - started < 2
    assert len(calls) == 1
    release.set()
    for _ in range(100):  # the hanging check ends; the next question asks again
        if probe._pending.done():
            break
        time.sleep(0.01)
    assert await probe.answers() is True and len(calls) == 2


async def test_a_check_that_raises_is_a_no():
    def raises() -> bool:
        raise OSError("connection refused")

    assert await DatabaseProbe(raises).answers() is False


async def test_health_names_the_late_jobs_and_a_silent_database():
    clock = Clock()
    watch = JobWatch(clock=clock, grace=timedelta(seconds=0))
    outbox = watch.watched("outbox", ok, interval=1)
    watch.watched("checkins", ok, interval=60)
    answering = True
    health = BotHealth(job_watch=watch, probe=DatabaseProbe(lambda: answering))

    report = await health.check()
    assert report.healthy and report.as_json() == {"status": "ok"}

    clock.advance(60 + 181)  # the check-in job's first run was due at 60 s
    await outbox(None)
    report = await health.check()
    assert not report.healthy
    body = report.as_json()
    assert body["status"] == "unhealthy" and body["late_jobs"] == ["checkins"]
    assert body["database"] == "ok"
    assert body["problems"] == ["timed job checkins late: not finished for 181 s (runs every 60 s)"]

    answering = False
    body = (await health.check()).as_json()
    assert body["database"] == "not answering" and "database not answering" in body["problems"]


def test_ready_once_catalog_migrations_and_the_application_are_done():
    running = False
    readiness = Readiness(application_running=lambda: running)
    assert readiness.missing() == [CATALOG, MIGRATIONS, APPLICATION]
    readiness.mark(CATALOG)
    readiness.mark(MIGRATIONS)
    assert readiness.missing() == [APPLICATION]
    running = True
    assert readiness.missing() == []
    running = False  # stopping: not ready any more
    assert readiness.missing() == [APPLICATION]
    with pytest.raises(ValueError, match="unknown start-up step"):
        readiness.mark(APPLICATION)
