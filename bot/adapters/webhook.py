"""Webhook mode: Telegram POSTs each update to an HTTP endpoint (`ddokddok serve`).

An ASGI app (Starlette, served by uvicorn) around the same `Application` that polling runs,
following python-telegram-bot's "customwebhookbot" example: the app's lifespan initialises and
starts the Application (its job queue: outbox, notices, retention), and each POST is handed to
`application.process_update` before the answer is sent. Answering 200 only once the update has
been handled means a process that dies mid-update gets it again from Telegram (at least once,
never silently lost); uvicorn's graceful shutdown waits for the requests in flight, so a
SIGTERM lets their updates finish before the Application stops.

- `POST <path>`: refused with 403 (and not processed) unless X-Telegram-Bot-Api-Secret-Token
  equals TELEGRAM_WEBHOOK_SECRET; 400 for a body that is not an update.
- `GET /healthz`: 200 while the database answers and no timed job is late; 503 naming what is
  wrong (for a load balancer or a supervisor).
- `GET /readyz`: 200 once the application is started, 503 before (and while stopping).
- `GET /metrics`: figures for Prometheus. These three are `bot.adapters.health_http`'s; a
  reverse proxy in front should pass on only the webhook's path.

Several `serve` processes may run behind one load balancer on one PostgreSQL: conversation
state lives in the database, and the outbox, notice and check-in senders claim their rows
with row locks. See the README's deployment notes.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from telegram import Update
from telegram.ext import Application

from bot.adapters.health_http import Operations, operations_for, operations_routes
from bot.adapters.http_serving import run_until_stopped
from bot.adapters.request_bodies import UPDATE_MAX_BYTES, BodyRefused, read_body
from bot.ops.health import DatabaseProbe, Readiness, database_answers

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_PATH = "/telegram"


def webhook_path(webhook_url: str | None) -> str:
    """The path Telegram will POST to: that of WEBHOOK_URL, else /telegram."""
    path = urlsplit(webhook_url).path if webhook_url else ""
    return path if path and path != "/" else DEFAULT_PATH


def database_reachable(engine: Engine) -> bool:
    """The webhook's database check (SELECT 1), run by /healthz within its timeout."""
    return database_answers(engine)


def build_webhook_app(
    application: Application,
    *,
    engine: Engine,
    secret: str,
    webhook_url: str | None = None,
    allowed_updates: list[str] | None = None,
    operations: Operations | None = None,
    extra_routes: Sequence[BaseRoute] = (),
) -> Starlette:
    """The ASGI app serving `application`'s updates; `secret` is required (Telegram sends it).

    `operations` answers /healthz, /readyz and /metrics; by default those of `application`
    (`bot.adapters.health_http.operations_for`). `extra_routes` are served beside them on the
    same port: the KakaoTalk skill, the staff board.
    """
    if not secret:
        raise ValueError("webhook mode needs TELEGRAM_WEBHOOK_SECRET")
    expected = secret.encode()
    if operations is None:
        operations = operations_for(application, engine=engine,
                                    probe=DatabaseProbe(lambda: database_reachable(engine)))

    async def telegram_update(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            return Response(status_code=403)
        try:
            data = json.loads(await read_body(request, max_bytes=UPDATE_MAX_BYTES))
            update = Update.de_json(data, application.bot)
        except (BodyRefused, json.JSONDecodeError, UnicodeDecodeError, TypeError, KeyError, ValueError):
            return Response(status_code=400)
        if update is None:
            return Response(status_code=400)
        await application.process_update(update)
        return Response(status_code=200)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        async with application:  # initialize() ... shutdown()
            # PTB runs post_init / post_shutdown only inside run_polling and run_webhook: the
            # sender bot, the command menus and the descriptions are set up there.
            if application.post_init is not None:
                await application.post_init(application)
            await application.start()
            if webhook_url:
                await application.bot.set_webhook(
                    url=webhook_url, secret_token=secret, allowed_updates=allowed_updates,
                )
                log.info("webhook registered at %s", urlsplit(webhook_url).netloc)
            try:
                yield
            finally:
                await application.stop()
                if application.post_shutdown is not None:
                    await application.post_shutdown(application)

    return Starlette(
        routes=[
            Route(webhook_path(webhook_url), telegram_update, methods=["POST"]),
            *operations_routes(operations),
            *extra_routes,
        ],
        lifespan=lifespan,
    )


def serve(application: Application, *, engine: Engine, secret: str, webhook_url: str | None,
          host: str, port: int, allowed_updates: list[str] | None = None,
          readiness: Readiness | None = None, extra_routes: Sequence[BaseRoute] = ()) -> None:
    """Run the webhook app until SIGINT/SIGTERM; in-flight updates finish first.

    `readiness` holds the start-up steps the entry point did (catalog, migrations).
    """
    operations = operations_for(application, engine=engine, readiness=readiness,
                                probe=DatabaseProbe(lambda: database_reachable(engine)))
    app = build_webhook_app(application, engine=engine, secret=secret, webhook_url=webhook_url,
                            allowed_updates=allowed_updates, operations=operations,
                            extra_routes=extra_routes)
    run_until_stopped(app, host=host, port=port)
