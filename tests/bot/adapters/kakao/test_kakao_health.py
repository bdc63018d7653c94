"""KakaoTalk alone is watched as Telegram is (bot.ops): every timed job through the job watch,
/healthz naming a late one, the watchdog telling staff when check-ins stall, /readyz and
/metrics from the same routes as beside the webhook."""

from __future__ import annotations

import asyncio
import logging
import warnings
from datetime import datetime, timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlmodel import col, select

with warnings.catch_warnings():  # Starlette 1.x would like `httpx2` for its TestClient; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from bot.adapters.kakao.channel import TimedJobs, build_kakao_app
from bot.notices.sender import SenderStats
from bot.ops.health import Readiness
from bot.ops.watchdog import staff_text
from bot.people.residents import register_resident
from bot.people.staff import add_staff
from bot.store.db import session_scope
from bot.store.models import OutboxMessage

from ..conftest import make_settings
from .conftest import SECRET

SEOCHO_STAFF, YONGSAN_STAFF = 9101, 9102
pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")
JOB_NAMES = ["outbox", "notices", "checkins", "retention", "watchdog"]


@pytest.fixture
def staff(engine, clock):
    with session_scope(engine) as session:
        for telegram_id, district in ((SEOCHO_STAFF, "seocho"), (YONGSAN_STAFF, "yongsan")):
            add_staff(session=session, telegram_id=telegram_id, district=district, name="Kim",
                      known_districts={"seocho", "yongsan"}, now=clock())
        register_resident(session=session, platform_user_id=YONGSAN_STAFF, chat_id=YONGSAN_STAFF,
                          first_name="Lee", language="en", district="yongsan", now=clock())


def kakao_alone(engine, clock, conversation, *, readiness=None, **settings):
    """KakaoTalk alone with no Event API: staff (Telegram) and residents' messages both wait."""
    settings = make_settings(telegram_bot_token=None, kakao_skill_secret=SECRET, **settings)
    return build_kakao_app(settings, conversation=conversation, engine=engine, clock=clock,
                           readiness=readiness)


class Steps:
    """The app's timed jobs, each run when its interval has passed, as the loop would; the test
    moves the fake clock, 30 s a step (jobs with shorter intervals run once a step). Each step
    runs on an event loop of its own, the notice sender it started awaited within it."""

    def __init__(self, jobs: TimedJobs, clock):
        self.jobs, self.clock = jobs, clock
        self.last_run: dict[str, datetime] = {}

    def minutes(self, minutes: float) -> None:
        for _ in range(int(minutes * 2)):
            self.clock.advance(30)
            asyncio.run(self._step())

    async def _step(self) -> None:
        for job in self.jobs.jobs:
            last = self.last_run.get(job.name)
            if last is not None and self.clock() - last < timedelta(seconds=job.interval):
                continue
            self.last_run[job.name] = self.clock()
            try:
                await job.run(None)
            except RuntimeError:  # a broken tick: the loop logs it and goes on
                pass
            if self.jobs._notices is not None:
                await self.jobs._notices  # before the next job: the test database has one connection


def watchdog_rows(engine) -> list[tuple[int, str]]:
    with session_scope(engine) as session:
        rows = session.exec(select(OutboxMessage).where(col(OutboxMessage.chat_id).in_(
            [SEOCHO_STAFF, YONGSAN_STAFF])).order_by(col(OutboxMessage.id))).all()
        return [(row.chat_id, row.text) for row in rows]


def metric_samples(body: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(body) for sample in family.samples}


def test_a_stalled_checkin_job_is_unhealthy_logged_and_queued_for_staff_once(
        engine, clock, conversation, staff, monkeypatch, caplog):
    # The outbox retries the staff's messages at every step: no real second between two sends.
    app = kakao_alone(engine, clock, conversation, per_chat_interval_seconds=0)
    client = TestClient(app)  # no lifespan: the test runs the jobs on its own clock
    steps = Steps(app.state.timed_jobs, clock)
    broken = False

    async def dispatch_due(**arguments):
        if broken:
            raise RuntimeError("the check-in tick failed")
        from bot.checkins.dispatch import dispatch_due as real

        return await real(**arguments)

    monkeypatch.setattr("bot.adapters.kakao.channel.dispatch_due", dispatch_due)

    steps.minutes(5)
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})

    broken = True
    steps.minutes(4.5)  # past 3 ticks and the grace: late, but not ten minutes yet
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["late_jobs"] == ["checkins"] and response.json()["database"] == "ok"
    assert watchdog_rows(engine) == []

    with caplog.at_level(logging.ERROR, logger="bot.adapters.kakao.channel"):
        steps.minutes(5.5)  # ten minutes since the check-in job last finished
        # Queued for the staff's Telegram chats, which this process cannot send to: the outbox
        # keeps them for its retries (and then gives up, erasing the text).
        assert sorted(watchdog_rows(engine)) == [
            (SEOCHO_STAFF, staff_text("stalled", None, minutes=10)),  # language unknown: both
            (YONGSAN_STAFF, staff_text("stalled", "en", minutes=10)),
        ]
        steps.minutes(14.5)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["late_jobs"] == ["checkins"]
    assert len(watchdog_rows(engine)) == 2  # once per stall
    stalls = [r.getMessage() for r in caplog.records
              if r.levelno == logging.ERROR and "check-ins have stopped going out" in r.getMessage()]
    assert len(stalls) == 1 and "2 of 2 staff members cannot be told" in stalls[0]
    assert str(SEOCHO_STAFF) not in stalls[0]  # counts, never a chat id

    figures = metric_samples(client.get("/metrics").text)
    assert figures[("ddokddok_timed_job_late", (("job", "checkins"),))] == 1
    assert figures[("ddokddok_timed_job_late", (("job", "outbox"),))] == 0
    assert figures[("ddokddok_errors_total", (("cause", "checkins"), ("kind", "timed_job")))] >= 20

    broken = False
    steps.minutes(1)  # the next tick finishes
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert sorted(watchdog_rows(engine)[2:]) == [
        (SEOCHO_STAFF, staff_text("recovered", None, minutes=26)),
        (YONGSAN_STAFF, staff_text("recovered", "en", minutes=26)),
    ]
    steps.minutes(15)
    assert len(watchdog_rows(engine)) == 4 and client.get("/healthz").status_code == 200


class RecordingTransport:
    """A transport that reaches every chat (as when staff's messenger is served)."""

    def __init__(self):
        self.sent: list[tuple[int, str]] = []

    async def send(self, message):
        self.sent.append((message.chat_id, message.text))
        return len(self.sent)


def test_staff_this_process_reaches_are_told_without_an_error_line(engine, clock, conversation, staff,
                                                                   monkeypatch, caplog):
    transport = RecordingTransport()
    app = build_kakao_app(make_settings(telegram_bot_token=None, kakao_skill_secret=SECRET,
                                        per_chat_interval_seconds=0),
                          conversation=conversation, engine=engine, clock=clock, transport=transport)

    async def broken(**_arguments):
        raise RuntimeError("the check-in tick failed")

    monkeypatch.setattr("bot.adapters.kakao.channel.dispatch_due", broken)
    with caplog.at_level(logging.WARNING, logger="bot"):
        Steps(app.state.timed_jobs, clock).minutes(12)
    assert sorted(transport.sent) == [(SEOCHO_STAFF, staff_text("stalled", None, minutes=10)),
                                      (YONGSAN_STAFF, staff_text("stalled", "en", minutes=10))]
    assert not any("cannot be told" in r.getMessage() for r in caplog.records)
    assert any("check-ins stalled for 10 minutes; 2 staff members told" in r.getMessage()
               for r in caplog.records)


def test_metrics_are_prometheus_text_with_every_timed_job(engine, clock, conversation):
    app = kakao_alone(engine, clock, conversation)
    response = TestClient(app).get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    figures = metric_samples(response.text)
    assert figures[("ddokddok_database_up", ())] == 1
    assert figures[("ddokddok_outbox_backlog_messages", ())] == 0
    assert figures[("ddokddok_send_pauses_total", ())] == 0
    late = sorted(labels[0][1] for name, labels in figures if name == "ddokddok_timed_job_late")
    assert late == sorted(JOB_NAMES)


def test_every_timed_job_is_watched_and_the_loop_records_its_runs(engine, clock, conversation):
    app = kakao_alone(engine, clock, conversation)
    jobs = app.state.timed_jobs
    assert [job.name for job in jobs.jobs] == JOB_NAMES
    assert jobs.job_watch.names == JOB_NAMES
    with TestClient(app):  # the lifespan runs the loop; the outbox job runs every second
        for _ in range(100):
            if jobs.job_watch.state("outbox").last_finished_at is not None:
                break
            asyncio.run(asyncio.sleep(0.05))
    assert jobs.job_watch.state("outbox").last_finished_at == clock()


def test_readyz_before_during_and_after_start_up(engine, clock, conversation, staff, caplog):
    readiness = Readiness()  # the entry point marks catalog and migrations as it does them
    app = kakao_alone(engine, clock, conversation, readiness=readiness)
    answer = TestClient(app).get("/readyz")
    assert (answer.status_code, answer.json()) == (
        503, {"status": "not ready", "waiting_for": ["catalog", "migrations", "application"]})
    readiness.mark("catalog")
    readiness.mark("migrations")
    assert TestClient(app).get("/readyz").json()["waiting_for"] == ["application"]

    with caplog.at_level(logging.WARNING, logger="bot.adapters.kakao.channel"), TestClient(app) as client:
        answer = client.get("/readyz")
        assert (answer.status_code, answer.json()) == (200, {"status": "ready"})
    assert any("2 of 2 staff members are on a messenger this process does not send to" in r.getMessage()
               for r in caplog.records)
    answer = TestClient(app).get("/readyz")  # stopped: not ready any more
    assert (answer.status_code, answer.json()["waiting_for"]) == (503, ["application"])


async def test_a_long_notice_does_not_make_the_notice_job_late(engine, clock, conversation):
    """The notice job starts the sender and finishes, as on Telegram; the sender sends on."""
    jobs = kakao_alone(engine, clock, conversation).state.timed_jobs
    release, senders = asyncio.Event(), []

    async def sending_for_long(*, keep_going):
        senders.append(keep_going)
        await release.wait()
        return SenderStats()

    jobs.notice_sender.run = sending_for_long
    notices = next(job for job in jobs.jobs if job.name == "notices")
    await asyncio.wait_for(notices.run(None), timeout=1)
    await asyncio.sleep(0)
    clock.advance(600)
    await asyncio.wait_for(notices.run(None), timeout=1)
    assert len(senders) == 1  # one sender at a time
    assert not jobs.job_watch.state("notices").late
    release.set()
    await jobs._notices
