"""The KakaoTalk channel put together: the skill and the Event API transport from the settings,
and, for a bot on KakaoTalk alone (`ddokddok serve` with Kakao settings and no Telegram token),
an ASGI app whose lifespan runs the timed jobs that python-telegram-bot's job queue runs
otherwise: the outbox sender, the notice sender, the check-in dispatcher, retention, and the
watchdog that tells staff when check-ins stall (`bot.ops.watchdog`).

Kept as the Telegram bot keeps them (`bot.ops`): every timed job is registered through
`JobWatch.watched`, and `/healthz`, `/readyz` and `/metrics` are `bot.adapters.health_http`'s
routes over the same job watch, so a check-in loop that silently stops is a 503 naming it here
too. Staff are Telegram accounts, which this process does not send to: their alerts (the
watchdog's among them) wait in the outbox for a process with a Telegram token on the same
database, and are given up after the outbox's attempts. So this process says so at start-up,
and a check-in stall whose alert cannot reach every staff member is logged at ERROR as well.

Beside Telegram, only the skill's routes are added to the webhook's app, and the Telegram
handlers' transport routes Kakao chats to the Event API (`ChatHandlers.transport.route`): the
timed jobs are the Telegram application's, one set for both messengers.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from starlette.applications import Starlette

from bot.adapters.flood import FloodGate
from bot.adapters.health_http import Operations, bot_operations, operations_routes
from bot.adapters.kakao.events import KakaoEventTransport
from bot.adapters.kakao.skill import KakaoSkill
from bot.checkins.dispatch import CheckinMessage, SendResult, dispatch_due, send_checkin_through
from bot.checkins.policy import CheckinPolicy
from bot.core.clock import utc_now
from bot.core.settings import Settings
from bot.notices.sender import NoticeSender
from bot.ops.health import Readiness
from bot.ops.job_watch import JobWatch
from bot.ops.watchdog import WATCHDOG_INTERVAL_SECONDS, CheckinStallAlarm
from bot.people.identities import Platform, platform_of
from bot.people.retention import RETENTION_FIRST_RUN, RETENTION_INTERVAL, retention_job
from bot.people.staff import list_staff
from bot.sending.outbox_sender import drain_outbox
from bot.sending.platform_routes import PlatformRoutes
from bot.sending.send_rate import (
    LimitedTransport,
    MessageTransport,
    Priority,
    SendRateLimiter,
    send_limiter_for,
)
from bot.store.db import read_scope

log = logging.getLogger(__name__)

OUTBOX_INTERVAL_SECONDS = 1.0
OUTBOX_BATCH = 20
NOTICE_INTERVAL_SECONDS = 2.0

Clock = Callable[[], datetime]


def kakao_skill_for(settings: Settings, *, conversation, engine: Engine, clock: Clock = utc_now) -> KakaoSkill:
    """The skill endpoint of `settings` (KAKAO_SKILL_SECRET must be set)."""
    if settings.kakao_skill_secret is None:
        raise ValueError("the Kakao skill needs KAKAO_SKILL_SECRET")
    return KakaoSkill(
        conversation=conversation, engine=engine, clock=clock,
        secret=settings.kakao_skill_secret.get_secret_value(),
        secret_header=settings.kakao_skill_secret_header,
        flood=FloodGate(max_messages=settings.flood_max_messages, window_seconds=settings.flood_window_seconds),
    )


def kakao_transport_for(settings: Settings, *, engine: Engine, clock: Clock = utc_now) -> KakaoEventTransport | None:
    """The Event API transport of `settings`, None when the Event API is not configured (then
    messages to Kakao residents wait in the outbox; see `PlatformRoutes`)."""
    if not settings.kakao_events_enabled:
        return None
    assert settings.kakao_bot_id and settings.kakao_rest_api_key and settings.kakao_event_name
    return KakaoEventTransport(
        engine=engine, clock=clock, base_url=settings.kakao_api_base_url, bot_id=settings.kakao_bot_id,
        rest_api_key=settings.kakao_rest_api_key.get_secret_value(), event_name=settings.kakao_event_name,
    )


# Whether this process can send to a chat id (its messenger is served).
Reach = Callable[[int], bool]


@dataclass(frozen=True)
class TimedJob:
    """One timed job as the loop runs it: `run` is already watched (`JobWatch.watched`)."""

    name: str
    run: Callable[[Any], Awaitable[Any]]
    interval: float
    first: float


class TimedJobs:
    """The timed jobs without python-telegram-bot: each on its own interval, one run at a time,
    a failed run logged (by type) and the next one run as planned.

    Each is registered through `job_watch` as the Telegram application's are, under the same
    names, so `/healthz` names a late one and the watchdog guards the check-ins (`bot.ops`).
    `reaches` says whether this process can send to a chat (default: any); the watchdog's
    stall is logged at ERROR when some staff member's alert cannot be sent from here.
    """

    def __init__(self, *, settings: Settings, engine: Engine, transport: MessageTransport,
                 limiter: SendRateLimiter, clock: Clock = utc_now, reaches: Reach | None = None):
        self.engine = engine
        self.clock = clock
        self.limiter = limiter
        self.reaches: Reach = reaches or (lambda _chat_id: True)
        self.outbox_transport = LimitedTransport(transport, limiter, Priority.HIGH, per_chat=True)
        self.checkin_transport = LimitedTransport(transport, limiter, Priority.HIGH)
        self.notice_sender = NoticeSender(engine=engine, transport=transport, limiter=limiter, clock=clock)
        self.checkin_policy = CheckinPolicy.from_settings(settings)
        self.checkin_limit = settings.checkin_send_limit
        self.job_watch = JobWatch(clock=clock)
        self.stall_alarm = CheckinStallAlarm(engine=engine, job_watch=self.job_watch, clock=clock)
        retention = retention_job(engine=engine, clock=clock, retention_days=settings.booking_retention_days)
        # (name, what, every, first run): the Telegram application's names and intervals.
        plan: list[tuple[str, Callable[[Any], Awaitable[Any]], float, float]] = [
            ("outbox", self.drain_outbox, OUTBOX_INTERVAL_SECONDS, OUTBOX_INTERVAL_SECONDS),
            ("notices", self.start_notices, NOTICE_INTERVAL_SECONDS, NOTICE_INTERVAL_SECONDS),
            ("checkins", self.dispatch_checkins, settings.checkin_tick_seconds, settings.checkin_tick_seconds),
            ("retention", retention, RETENTION_INTERVAL.total_seconds(), RETENTION_FIRST_RUN.total_seconds()),
            ("watchdog", self.watch_checkins, WATCHDOG_INTERVAL_SECONDS, WATCHDOG_INTERVAL_SECONDS),
        ]
        self.jobs = [TimedJob(name, self.job_watch.watched(name, callback, interval=interval, first=first),
                              interval, first)
                     for name, callback, interval, first in plan]
        self._stopping = asyncio.Event()
        self._started = False
        self._notices: asyncio.Task[None] | None = None
        self.runs: dict[str, int] = {job.name: 0 for job in self.jobs}

    @property
    def running(self) -> bool:
        """Started and not stopping: the last step of `/readyz`."""
        return self._started and not self._stopping.is_set()

    async def drain_outbox(self, _context: Any = None) -> None:
        await drain_outbox(engine=self.engine, transport=self.outbox_transport, clock=self.clock,
                           limit=OUTBOX_BATCH)

    async def start_notices(self, _context: Any = None) -> None:
        """Start the notice sender unless it is running; it stops when nothing is left to send.

        A task rather than the job itself, as on Telegram: a notice taking minutes must not make
        the notice job late (and `/healthz` unhealthy) while it is sending as it should.
        """
        if self._notices is not None and not self._notices.done():
            return
        self._notices = asyncio.create_task(self.send_notices(), name="notices")

    async def send_notices(self) -> None:
        stats = await self.notice_sender.run(keep_going=lambda: not self._stopping.is_set())
        if stats.notices:
            log.info("notice sender: %s", stats.as_dict())

    async def dispatch_checkins(self, _context: Any = None) -> None:
        await dispatch_due(engine=self.engine, now=self.clock(), send=self.send_checkin,
                           policy=self.checkin_policy, limit=self.checkin_limit)

    async def send_checkin(self, message: CheckinMessage) -> SendResult:
        """Send one check-in or reminder with its answer buttons, at the shared send rate."""
        return await send_checkin_through(self.checkin_transport, message)

    async def watch_checkins(self, context: Any = None) -> None:
        """The watchdog (`CheckinStallAlarm`), and an ERROR line when a stall it has just told
        staff about cannot reach all of them from this process (or there are no staff)."""
        was_stalled = self.stall_alarm.stalled
        await self.stall_alarm(context)
        if self.stall_alarm.stalled and not was_stalled:
            staff, unreached = await asyncio.to_thread(self.staff_not_reached)
            stalled = (self.stall_alarm.job_name, _minutes_since(self.stall_alarm))
            if staff == 0:
                log.error("check-ins have stopped going out (timed job %s not finished for %s minutes), "
                          "and no staff member is registered to be told", *stalled)
            elif unreached:
                log.error("check-ins have stopped going out (timed job %s not finished for %s minutes), "
                          "and %s of %s staff members cannot be told from this process: their alert "
                          "waits in the outbox for a process that sends to their messenger",
                          *stalled, unreached, staff)

    def staff_not_reached(self) -> tuple[int, int]:
        """(staff members, those whose chat this process cannot send to)."""
        with read_scope(self.engine) as session:
            ids = [member.telegram_id for member in list_staff(session=session)]
        return len(ids), sum(1 for chat_id in ids if not self.reaches(chat_id))

    async def say_who_cannot_be_reached(self) -> None:
        """At start-up: staff whose alerts this process cannot send (one line, counts only)."""
        try:
            staff, unreached = await asyncio.to_thread(self.staff_not_reached)
        except Exception as error:  # noqa: BLE001 - a start-up notice must not stop the bot
            log.warning("could not count the staff this process reaches (%s)", type(error).__name__)
            return
        if unreached:
            log.warning("%s of %s staff members are on a messenger this process does not send to "
                        "(Telegram): their alerts (requests, check-in escalations, stalled check-ins) "
                        "wait in the outbox for a process with TELEGRAM_BOT_TOKEN on this database, "
                        "and are given up after the outbox's attempts", unreached, staff)

    def start(self) -> asyncio.Task[None]:
        """Run every job (`run`) as a task of its own; running (and ready) from now on."""
        self._started = True
        return asyncio.create_task(self.run(), name="timed-jobs")

    async def run(self) -> None:
        """Run every job until `stop()`; the runs in progress, and the notice sender, finish first."""
        self._started = True
        await asyncio.gather(*(self._repeat(job) for job in self.jobs))
        if self._notices is not None:
            await asyncio.gather(self._notices, return_exceptions=True)

    def stop(self) -> None:
        self._stopping.set()

    async def _repeat(self, job: TimedJob) -> None:
        wait = job.first
        while not await self._stopped_within(wait):
            started = time.monotonic()
            try:
                await job.run(None)
            except Exception as error:  # noqa: BLE001 - a failed run must not end the job
                log.error("timed job %s failed: %s", job.name, type(error).__name__)
            self.runs[job.name] += 1
            wait = max(0.0, job.interval - (time.monotonic() - started))

    async def _stopped_within(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
        except TimeoutError:
            return False
        return True


def _minutes_since(alarm: CheckinStallAlarm) -> int:
    assert alarm.told_at is not None and alarm.stalled_since is not None
    return max(1, round((alarm.told_at - alarm.stalled_since).total_seconds() / 60))


def _reach_of(transport: MessageTransport) -> Reach:
    """Which chats `transport` can send to: by messenger when it routes by messenger, else any."""
    if isinstance(transport, PlatformRoutes):
        return lambda chat_id: transport.serves(platform_of(chat_id))
    return lambda _chat_id: True


def build_kakao_app(settings: Settings, *, conversation, engine: Engine, clock: Clock = utc_now,
                    transport: MessageTransport | None = None, limiter: SendRateLimiter | None = None,
                    skill: KakaoSkill | None = None, readiness: Readiness | None = None) -> Starlette:
    """KakaoTalk alone: the skill at KAKAO_SKILL_PATH, `/healthz`, `/readyz` and `/metrics`
    (`bot.adapters.health_http`), and the timed jobs for as long as the app runs. `transport`
    defaults to the Event API of `settings` (routed by chat id: anything for Telegram waits in
    the outbox). `readiness` is the entry point's, with the steps it has done marked."""
    skill = skill or kakao_skill_for(settings, conversation=conversation, engine=engine, clock=clock)
    event_transport = None
    if transport is None:
        event_transport = kakao_transport_for(settings, engine=engine, clock=clock)
        routes = PlatformRoutes()
        if event_transport is not None:
            routes.route(Platform.KAKAO, event_transport)
        else:
            log.warning("KAKAO_BOT_ID, KAKAO_REST_API_KEY or KAKAO_EVENT_NAME is unset: check-ins, "
                        "alerts and notices wait in the outbox until they are set")
        transport = routes
    limiter = limiter or send_limiter_for(engine, settings.notice_rate_per_second,
                                          per_chat_interval=settings.per_chat_interval_seconds)
    jobs = TimedJobs(settings=settings, engine=engine, transport=transport, limiter=limiter, clock=clock,
                     reaches=_reach_of(transport))
    operations = kakao_operations(jobs, engine=engine, readiness=readiness)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await jobs.say_who_cannot_be_reached()
        running = jobs.start()
        try:
            yield
        finally:
            jobs.stop()
            await running
            await skill.aclose()
            if event_transport is not None:
                await event_transport.aclose()

    app = Starlette(routes=[*skill.routes(settings.kakao_skill_path), *operations_routes(operations)],
                    lifespan=lifespan)
    app.state.skill = skill
    app.state.timed_jobs = jobs
    app.state.operations = operations
    return app


def kakao_operations(jobs: TimedJobs, *, engine: Engine, readiness: Readiness | None = None) -> Operations:
    """What `/healthz`, `/readyz` and `/metrics` answer from for KakaoTalk alone: the timed jobs'
    watch, whether they run, and the shared send rate's counts. The skill's turns are not
    timed or counted in `/metrics` (it keeps no count of replies handed to the outbox)."""
    return bot_operations(engine=engine, job_watch=jobs.job_watch, running=lambda: jobs.running,
                          clock=jobs.clock, readiness=readiness, send_counts=jobs.limiter)


def serve_kakao(app: Starlette, *, host: str, port: int) -> None:
    """Run the KakaoTalk app until SIGINT/SIGTERM; requests in flight finish first."""
    from bot.adapters.http_serving import run_until_stopped

    run_until_stopped(app, host=host, port=port)


__all__ = [
    "TimedJob",
    "TimedJobs",
    "build_kakao_app",
    "kakao_operations",
    "kakao_skill_for",
    "kakao_transport_for",
    "serve_kakao",
]
