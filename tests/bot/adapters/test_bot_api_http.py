"""Over real HTTP: TELEGRAM_API_BASE_URL points the bot at a tiny Bot API server on 127.0.0.1.

Checks what the in-memory fake cannot: the settings reach PTB's HTTP client, the URLs have
PTB's `/bot<token>/<method>` shape, and the outbox delivers at least once through a 5xx.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import pytest
from sqlmodel import Session, select

from bot.models import OutboxMessage, OutboxStatus
from bot.settings import Settings
from bot.telegram_app import build_application

from .conftest import BOT_USER, STAFF_CHAT, TOKEN, make_message_update


class BotApiServer:
    """Records (method, params) of each request; `fail_next[method]` answers that many 502s."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, Any]]] = []  # (path prefix, method, params)
        self.fail_next: dict[str, int] = {}
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                prefix, _, method = self.path.rpartition("/")
                params = {k: _decode(v) for k, v in parse_qsl(body)}
                with server.lock:
                    server.requests.append((prefix, method, params))
                    failing = server.fail_next.get(method, 0)
                    if failing:
                        server.fail_next[method] = failing - 1
                if failing:
                    self._answer(502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})
                else:
                    self._answer(200, {"ok": True, "result": _result(method, params)})

            do_GET = do_POST  # noqa: N815

            def _answer(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:  # keep the test output quiet
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]

    def sent(self, method: str) -> list[dict[str, Any]]:
        with self.lock:
            return [params for _, m, params in self.requests if m == method]


def _decode(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


def _result(method: str, params: dict[str, Any]) -> Any:
    if method == "getMe":
        return BOT_USER
    if method == "sendMessage":
        return {"message_id": 1, "date": 0, "chat": {"id": params["chat_id"], "type": "private"},
                "text": params["text"]}
    return True


@pytest.fixture
def api_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[BotApiServer]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    server = BotApiServer()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()
    thread.join(timeout=5)


async def test_settings_base_url_carries_the_bot_to_the_server(
    api_server, monkeypatch, conversation, engine, clock
):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", f"http://127.0.0.1:{api_server.port}/bot")
    settings = Settings(_env_file=None, database_url="sqlite://")
    application = build_application(settings, conversation=conversation, engine=engine, clock=clock)
    await application.initialize()
    try:
        await application.process_update(make_message_update("안녕하세요", user_id=55, bot=application.bot))
    finally:
        await application.shutdown()

    [message] = api_server.sent("sendMessage")
    assert (message["chat_id"], message["text"]) == (55, "you said: 안녕하세요")
    assert message["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "lang:ko"
    prefixes = {prefix for prefix, _, _ in api_server.requests}
    assert prefixes == {f"/bot{TOKEN}"}


async def test_outbox_delivers_at_least_once_through_a_server_error(
    api_server, conversation, engine, clock
):
    settings = Settings(_env_file=None, telegram_bot_token=TOKEN, database_url="sqlite://",
                        telegram_api_base_url=f"http://127.0.0.1:{api_server.port}/bot")
    application = build_application(settings, conversation=conversation, engine=engine, clock=clock)
    [job] = application.job_queue.get_jobs_by_name("outbox")
    context = type("Context", (), {"bot": application.bot})()
    await application.initialize()
    try:
        await application.process_update(make_message_update("alert", user_id=56, bot=application.bot))
        api_server.fail_next["sendMessage"] = 1
        await job.callback(context)  # the alert meets a 502
        with Session(engine) as session:
            assert session.exec(select(OutboxMessage)).one().status == OutboxStatus.PENDING
        clock.advance(60)
        await job.callback(context)
    finally:
        await application.shutdown()

    to_staff = [m for m in api_server.sent("sendMessage") if m["chat_id"] == STAFF_CHAT]
    assert [m["text"] for m in to_staff] == ["새 신청 / new request"] * 2  # refused, then delivered
    with Session(engine) as session:
        assert session.exec(select(OutboxMessage)).one().status == OutboxStatus.SENT
