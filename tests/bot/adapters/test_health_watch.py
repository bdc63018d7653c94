"""The check-in job stalls on the real application: /healthz turns 503 naming it, staff of every
district get one message through the outbox; it recovers: 200 again, and one recovery message."""

from __future__ import annotations

import httpx
import pytest

from bot.adapters.health_http import operations_for
from bot.adapters.webhook import build_webhook_app
from bot.ops.watchdog import staff_text
from bot.people.residents import register_resident
from bot.people.staff import add_staff
from bot.store.db import session_scope

SEOCHO_STAFF, YONGSAN_STAFF = 9101, 9102
# The notice job starts its sender as a task of an application that is not running here.
pytestmark = pytest.mark.filterwarnings("ignore:Tasks created via `Application.create_task`")


@pytest.fixture
def staff(engine, clock):
    with session_scope(engine) as session:
        for telegram_id, district in ((SEOCHO_STAFF, "seocho"), (YONGSAN_STAFF, "yongsan")):
            add_staff(session=session, telegram_id=telegram_id, district=district, name="Kim",
                      known_districts={"seocho", "yongsan"}, now=clock())
        register_resident(session=session, platform_user_id=YONGSAN_STAFF, chat_id=YONGSAN_STAFF,
                          first_name="Lee", language="en", district="yongsan", now=clock())


class Jobs:
    """The application's timed jobs, each run when its interval has passed, as the job queue
    would; time is moved by the test, 30 s a step (jobs with shorter intervals run once a step)."""

    def __init__(self, app, clock):
        self.app, self.clock = app, clock
        self.jobs = {job.name: job for job in app.job_queue.jobs()}
        self.last_run: dict[str, object] = {}

    async def run(self, name: str) -> None:
        job = self.jobs[name]
        context = type("Context", (), {"bot": self.app.bot, "job": job, "application": self.app})()
        self.last_run[name] = self.clock()
        try:
            await job.callback(context)
        except RuntimeError:  # a broken tick: the job queue would hand it to the error handler
            pass
        notices = self.app.bot_data["chat_handlers"]._notices  # the notice sender's task, if started
        if notices is not None:
            await notices  # before the next job: the test database has one connection

    async def minutes(self, minutes: float) -> None:
        for _ in range(int(minutes * 2)):
            self.clock.advance(30)
            for name, job in self.jobs.items():
                last = self.last_run.get(name)
                if last is None or self.clock() - last >= job.trigger.interval:
                    await self.run(name)


def staff_messages(fake_api) -> list[tuple[int, str]]:
    return [(c.params["chat_id"], c.params["text"]) for c in fake_api.called("sendMessage")
            if c.params["chat_id"] in (SEOCHO_STAFF, YONGSAN_STAFF)]


async def test_a_stalled_checkin_job_is_unhealthy_and_told_to_staff_once(app, engine, clock, fake_api,
                                                                         staff, monkeypatch):
    web = build_webhook_app(app, engine=engine, secret="s3cret",
                            operations=operations_for(app, engine=engine))
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://bot")
    jobs = Jobs(app, clock)
    broken = False

    async def dispatch_due(**_arguments):
        if broken:
            raise RuntimeError("the check-in tick failed")
        from bot.checkins.dispatch import dispatch_due as real

        return await real(**_arguments)

    monkeypatch.setattr("bot.adapters.telegram_updates.dispatch_due", dispatch_due)

    await jobs.minutes(5)
    response = await client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})

    broken = True
    await jobs.minutes(4.5)  # past 3 ticks and the grace: late, but not ten minutes yet
    response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["late_jobs"] == ["checkins"]
    assert staff_messages(fake_api) == []

    await jobs.minutes(20)
    response = await client.get("/healthz")
    assert response.status_code == 503 and response.json()["late_jobs"] == ["checkins"]
    assert sorted(staff_messages(fake_api)) == [
        (SEOCHO_STAFF, staff_text("stalled", None, minutes=10)),  # language unknown: both
        (YONGSAN_STAFF, staff_text("stalled", "en", minutes=10)),
    ]

    broken = False
    await jobs.minutes(1)  # the next tick finishes
    response = await client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    await jobs.minutes(15)
    recovered = staff_messages(fake_api)[2:]
    assert sorted(recovered) == [
        (SEOCHO_STAFF, staff_text("recovered", None, minutes=26)),
        (YONGSAN_STAFF, staff_text("recovered", "en", minutes=26)),
    ]
    assert (await client.get("/healthz")).status_code == 200
    await client.aclose()


async def test_every_timed_job_is_watched(app):
    names = {job.name for job in app.job_queue.jobs()}
    assert {"outbox", "notices", "checkins", "retention", "watchdog"} <= names
    assert set(app.bot_data["job_watch"].names) == names


async def test_the_job_queue_runs_the_watched_jobs(app):
    """Registered with the real scheduler, a run it starts is recorded (the outbox's, every second)."""
    import asyncio

    watch = app.bot_data["job_watch"]
    await app.start()
    try:
        for _ in range(100):
            if watch.state("outbox").last_finished_at is not None:
                break
            await asyncio.sleep(0.05)
    finally:
        await app.stop()
    assert watch.state("outbox").last_finished_at is not None
