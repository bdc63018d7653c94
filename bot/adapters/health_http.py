"""`/healthz`, `/readyz` and `/metrics` over HTTP, for whoever runs the bot (bot.ops).

Webhook mode serves these routes beside the webhook (`bot.adapters.webhook`). Polling mode has
no HTTP server of its own, so `serving_health` starts a small one on HEALTH_HOST:HEALTH_PORT
(127.0.0.1 unless told otherwise: the figures are for the operator's monitoring, not for the
internet) while `ddokddok run` polls.

That listener is uvicorn on a thread of its own, with its own event loop, rather than a task
on the bot's loop: a bot whose loop is stuck (a turn that blocks, a job that never yields) is
exactly what the health check must still answer about, naming the timed jobs that stopped
finishing. It is told to stop when polling ends and is joined, and its socket is bound before
the thread starts, so a port that is taken is one clear line at start, not a thread that died
quietly.

- `GET /healthz`: 200 `{"status": "ok"}`; 503 with the late timed jobs and whether the
  database answers (`bot.ops.health`).
- `GET /readyz`: 200 once start-up is done (catalog, migrations, the application started);
  503 with the steps still to come before that, and again while stopping.
- `GET /metrics`: Prometheus' text format (`bot.ops.metrics`).

The same routes answer for KakaoTalk alone (`bot.adapters.kakao.channel`), whose timed jobs run
without python-telegram-bot: `bot_operations` takes the parts any bot has, and `operations_for`
reads them from a Telegram application.

Nothing served here holds the token, a chat id, a name or a text.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.core.clock import Clock, utc_now
from bot.core.settings import Settings
from bot.ops.health import CATALOG, MIGRATIONS, BotHealth, DatabaseProbe, Readiness
from bot.ops.job_watch import JobWatch
from bot.ops.metrics import CONTENT_TYPE, BotMetrics, SendCounts, TurnCounts

if TYPE_CHECKING:
    import uvicorn
    from telegram.ext import Application

log = logging.getLogger(__name__)

# How long start waits for the listener to take requests, and stop for it to finish.
START_TIMEOUT_SECONDS = 10.0
STOP_TIMEOUT_SECONDS = 5.0


class HealthListenerError(Exception):
    """The health listener cannot start (the port is taken, the host is not this machine's)."""


@dataclass(frozen=True)
class Operations:
    """What the operator's routes answer from: health, readiness and metrics of one bot."""

    health: BotHealth
    readiness: Readiness
    metrics: BotMetrics


def bot_operations(*, engine: Engine, job_watch: JobWatch | None, running: Callable[[], bool],
                   clock: Clock = utc_now, readiness: Readiness | None = None,
                   probe: DatabaseProbe | None = None, send_counts: SendCounts | None = None,
                   turn_counts: TurnCounts | None = None) -> Operations:
    """The operations of a bot on any messenger, from the parts every bot has.

    `running` says whether the bot's own start-up is done and it is not stopping (readiness'
    last step). Without `readiness`, the catalog and the migrations count as done: a bot is
    built from a conversation, which holds the loaded catalog, over a store opened (and
    migrated) before it.
    """
    if readiness is None:
        readiness = Readiness(done=(CATALOG, MIGRATIONS))
    readiness.application_running = running
    metrics = BotMetrics(engine=engine, clock=clock, job_watch=job_watch, send_counts=send_counts,
                         turn_counts=turn_counts)
    return Operations(health=BotHealth(job_watch=job_watch, probe=probe or DatabaseProbe.of(engine)),
                      readiness=readiness, metrics=metrics)


def operations_for(application: Application, *, engine: Engine, readiness: Readiness | None = None,
                   probe: DatabaseProbe | None = None) -> Operations:
    """The operations of an application made by `bot.adapters.telegram.build_application`.

    Reads what the application keeps in `bot_data` (the job watch, the chat handlers' counts,
    the shared send rate) and has the chat handlers time each turn.
    """
    chat = application.bot_data.get("chat_handlers")
    operations = bot_operations(
        engine=engine, job_watch=application.bot_data.get("job_watch"),
        running=lambda: application.running, clock=chat.clock if chat is not None else utc_now,
        readiness=readiness, probe=probe, send_counts=application.bot_data.get("send_limiter"),
        turn_counts=chat)
    if chat is not None:
        chat.observe_turn_seconds = operations.metrics.observe_turn
    return operations


def operations_routes(operations: Operations) -> list[Route]:
    """The three routes, for an ASGI app of the caller's (the webhook's, or the listener's)."""

    async def healthz(_request: Request) -> Response:
        report = await operations.health.check()
        return JSONResponse(report.as_json(), status_code=200 if report.healthy else 503)

    async def readyz(_request: Request) -> Response:
        missing = operations.readiness.missing()
        if not missing:
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "not ready", "waiting_for": missing}, status_code=503)

    async def metrics(_request: Request) -> Response:
        # The database counts are blocking calls: off the event loop.
        body = await asyncio.to_thread(operations.metrics.render)
        return Response(body, media_type=CONTENT_TYPE)

    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]


class HealthListener:
    """An HTTP server for `app` on `host:port`, on a thread of its own; `start()`, then `stop()`.

    Port 0 takes a free port (tests); `port` then says which.
    """

    def __init__(self, app: Starlette, *, host: str, port: int):
        self.app = app
        self.host = host
        self.port = port
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self, timeout_seconds: float = START_TIMEOUT_SECONDS) -> None:
        import uvicorn

        if self._thread is not None:
            raise RuntimeError("the health listener is started already")
        self._socket = self._bind()
        self.port = self._socket.getsockname()[1]
        self._server = uvicorn.Server(uvicorn.Config(
            self.app, lifespan="off", log_level="warning", access_log=False,
            timeout_graceful_shutdown=int(STOP_TIMEOUT_SECONDS)))
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]},
                                        name="health-listener", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout_seconds
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise HealthListenerError(f"the health listener on {self.host}:{self.port} did not start")
            time.sleep(0.01)
        log.info("health listener on %s:%s (/healthz, /readyz, /metrics)", self.host, self.port)

    def stop(self, timeout_seconds: float = STOP_TIMEOUT_SECONDS) -> None:
        """Stop taking requests, let those under way finish (briefly), and join the thread."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout_seconds)
            if self._thread.is_alive() and self._server is not None:  # a request that does not end
                self._server.force_exit = True
                self._thread.join(timeout_seconds)
        if self._socket is not None:
            self._socket.close()
        self._thread = self._server = self._socket = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _bind(self) -> socket.socket:
        where = f"HEALTH_HOST {self.host}, HEALTH_PORT {self.port}"
        try:
            family, kind, proto, _, address = socket.getaddrinfo(
                self.host, self.port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        except socket.gaierror as error:
            raise HealthListenerError(f"{where}: not an address of this machine ({error.strerror})") from None
        sock = socket.socket(family, kind, proto)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
        except OSError as error:
            sock.close()
            raise HealthListenerError(f"{where}: cannot listen there ({error.strerror or error})") from None
        return sock


@contextmanager
def serving_health(settings: Settings, application: Application, *, engine: Engine,
                   readiness: Readiness | None = None) -> Iterator[HealthListener | None]:
    """The health listener of polling mode while the block runs; nothing when HEALTH_PORT is unset."""
    if settings.health_port is None:
        yield None
        return
    operations = operations_for(application, engine=engine, readiness=readiness)
    listener = HealthListener(Starlette(routes=operations_routes(operations)),
                              host=settings.health_host, port=settings.health_port)
    listener.start()
    try:
        yield listener
    finally:
        listener.stop()


__all__ = [
    "HealthListener",
    "HealthListenerError",
    "Operations",
    "bot_operations",
    "operations_for",
    "operations_routes",
    "serving_health",
]
