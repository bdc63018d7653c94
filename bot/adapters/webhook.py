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
- `GET /healthz`: 200 when the database answers, 503 when it does not (for a load balancer).

Several `serve` processes may run behind one load balancer on one PostgreSQL: conversation
state lives in the database, and the outbox, notice and check-in senders claim their rows
with row locks. See the README's deployment notes.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from sqlalchemy import Engine, text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_PATH = "/telegram"


def webhook_path(webhook_url: str | None) -> str:
    """The path Telegram will POST to: that of WEBHOOK_URL, else /telegram."""
    path = urlsplit(webhook_url).path if webhook_url else ""
    return path if path and path != "/" else DEFAULT_PATH


def database_reachable(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means "not healthy"
        log.warning("health check: database unreachable (%s)", type(error).__name__)
        return False
    return True


def build_webhook_app(
    application: Application,
    *,
    engine: Engine,
    secret: str,
    webhook_url: str | None = None,
    allowed_updates: list[str] | None = None,
) -> Starlette:
    """The ASGI app serving `application`'s updates; `secret` is required (Telegram sends it)."""
    if not secret:
        raise ValueError("webhook mode needs TELEGRAM_WEBHOOK_SECRET")
    expected = secret.encode()

    async def telegram_update(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            return Response(status_code=403)
        try:
            data = await request.json()
            update = Update.de_json(data, application.bot)
        except (json.JSONDecodeError, UnicodeDecodeError, TypeError, KeyError, ValueError):
            return Response(status_code=400)
        if update is None:
            return Response(status_code=400)
        await application.process_update(update)
        return Response(status_code=200)

    async def healthz(_request: Request) -> Response:
        if await asyncio.to_thread(database_reachable, engine):
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": "database unreachable"}, status_code=503)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        async with application:  # initialize() ... shutdown()
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

    return Starlette(
        routes=[
            Route(webhook_path(webhook_url), telegram_update, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )


def serve(application: Application, *, engine: Engine, secret: str, webhook_url: str | None,
          host: str, port: int, allowed_updates: list[str] | None = None) -> None:
    """Run the webhook app until SIGINT/SIGTERM; in-flight updates finish first."""
    import uvicorn

    app = build_webhook_app(application, engine=engine, secret=secret, webhook_url=webhook_url,
                            allowed_updates=allowed_updates)
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=True)
