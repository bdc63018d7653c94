"""The KakaoTalk channel put together: the skill and the Event API transport from the settings,
and, for a bot on KakaoTalk alone (`ddokddok serve` with Kakao settings and no Telegram token),
an ASGI app whose lifespan runs the timed jobs that python-telegram-bot's job queue runs
otherwise: the outbox sender, the notice sender, the check-in dispatcher and retention.

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
from datetime import datetime

from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.adapters.flood import FloodGate
from bot.adapters.kakao.events import KakaoEventTransport
from bot.adapters.kakao.skill import KakaoSkill
from bot.checkins.dispatch import CheckinMessage, SendResult, dispatch_due
from bot.checkins.policy import CheckinPolicy
from bot.core.clock import utc_now
from bot.core.messages import Button, Outgoing
from bot.core.settings import Settings
from bot.notices.sender import NoticeSender
from bot.ops.health import database_answers
from bot.people.identities import Platform
from bot.people.retention import RETENTION_FIRST_RUN, RETENTION_INTERVAL, retention_job
from bot.sending.outbox_sender import DeliveryError, RecipientBlocked, drain_outbox
from bot.sending.platform_routes import PlatformRoutes
from bot.sending.send_rate import (
    LimitedTransport,
    MessageTransport,
    Priority,
    SendRateLimiter,
    send_limiter_for,
)

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


class TimedJobs:
    """The timed jobs without python-telegram-bot: each on its own interval, one run at a time,
    a failed run logged (by type) and the next one run as planned."""

    def __init__(self, *, settings: Settings, engine: Engine, transport: MessageTransport,
                 limiter: SendRateLimiter, clock: Clock = utc_now):
        self.engine = engine
        self.clock = clock
        self.limiter = limiter
        self.outbox_transport = LimitedTransport(transport, limiter, Priority.HIGH, per_chat=True)
        self.checkin_transport = LimitedTransport(transport, limiter, Priority.HIGH)
        self.notice_sender = NoticeSender(engine=engine, transport=transport, limiter=limiter, clock=clock)
        self.checkin_policy = CheckinPolicy.from_settings(settings)
        self.checkin_limit = settings.checkin_send_limit
        self.jobs: list[tuple[str, Callable[[], Awaitable[None]], float, float]] = [
            ("outbox", self.drain_outbox, OUTBOX_INTERVAL_SECONDS, OUTBOX_INTERVAL_SECONDS),
            ("notices", self.send_notices, NOTICE_INTERVAL_SECONDS, NOTICE_INTERVAL_SECONDS),
            ("checkins", self.dispatch_checkins, settings.checkin_tick_seconds, settings.checkin_tick_seconds),
            ("retention", self._retention(settings), RETENTION_INTERVAL.total_seconds(),
             RETENTION_FIRST_RUN.total_seconds()),
        ]
        self._stopping = asyncio.Event()
        self.runs: dict[str, int] = {name: 0 for name, *_ in self.jobs}

    def _retention(self, settings: Settings) -> Callable[[], Awaitable[None]]:
        job = retention_job(engine=self.engine, clock=self.clock, retention_days=settings.booking_retention_days)
        return lambda: job(None)

    async def drain_outbox(self) -> None:
        await drain_outbox(engine=self.engine, transport=self.outbox_transport, clock=self.clock,
                           limit=OUTBOX_BATCH)

    async def send_notices(self) -> None:
        stats = await self.notice_sender.run(keep_going=lambda: not self._stopping.is_set())
        if stats.notices:
            log.info("notice sender: %s", stats.as_dict())

    async def dispatch_checkins(self) -> None:
        await dispatch_due(engine=self.engine, now=self.clock(), send=self.send_checkin,
                           policy=self.checkin_policy, limit=self.checkin_limit)

    async def send_checkin(self, message: CheckinMessage) -> SendResult:
        buttons = tuple(tuple(Button(label=b["text"], data=b["data"]) for b in row) for row in message.buttons)
        try:
            await self.checkin_transport.send(Outgoing(message.chat_id, message.text, buttons))
        except RecipientBlocked:
            return SendResult.BLOCKED
        except DeliveryError as error:
            log.warning("check-in round %s not sent (%s)", message.round_id, error.code)
            return SendResult.FAILED
        return SendResult.DELIVERED

    async def run(self) -> None:
        """Run every job until `stop()`; the runs in progress finish first."""
        await asyncio.gather(*(self._repeat(name, job, interval, first)
                               for name, job, interval, first in self.jobs))

    def stop(self) -> None:
        self._stopping.set()

    async def _repeat(self, name: str, job: Callable[[], Awaitable[None]], interval: float, first: float) -> None:
        wait = first
        while not await self._stopped_within(wait):
            started = time.monotonic()
            try:
                await job()
            except Exception as error:  # noqa: BLE001 - a failed run must not end the job
                log.error("timed job %s failed: %s", name, type(error).__name__)
            self.runs[name] += 1
            wait = max(0.0, interval - (time.monotonic() - started))

    async def _stopped_within(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
        except TimeoutError:
            return False
        return True


def build_kakao_app(settings: Settings, *, conversation, engine: Engine, clock: Clock = utc_now,
                    transport: MessageTransport | None = None, limiter: SendRateLimiter | None = None,
                    skill: KakaoSkill | None = None) -> Starlette:
    """KakaoTalk alone: the skill at KAKAO_SKILL_PATH, GET /healthz, and the timed jobs for as
    long as the app runs. `transport` defaults to the Event API of `settings` (routed by chat
    id: anything for Telegram waits in the outbox)."""
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
    jobs = TimedJobs(settings=settings, engine=engine, transport=transport, limiter=limiter, clock=clock)

    async def healthz(_request: Request) -> Response:
        answers = await asyncio.to_thread(database_answers, engine)
        return PlainTextResponse("ok" if answers else "database does not answer", status_code=200 if answers else 503)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        running = asyncio.create_task(jobs.run(), name="timed-jobs")
        app.state.timed_jobs = jobs
        try:
            yield
        finally:
            jobs.stop()
            await running
            await skill.aclose()
            if event_transport is not None:
                await event_transport.aclose()

    app = Starlette(routes=[*skill.routes(settings.kakao_skill_path), Route("/healthz", healthz, methods=["GET"])],
                    lifespan=lifespan)
    app.state.skill = skill
    return app


def serve_kakao(app: Starlette, *, host: str, port: int) -> None:
    """Run the KakaoTalk app until SIGINT/SIGTERM; requests in flight finish first."""
    from bot.adapters.http_serving import run_until_stopped

    run_until_stopped(app, host=host, port=port)


__all__ = ["TimedJobs", "build_kakao_app", "kakao_skill_for", "kakao_transport_for", "serve_kakao"]
