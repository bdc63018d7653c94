"""Faults over real HTTP while check-ins go out and while a notice is broadcast.

The application talks to a small Bot API server on 127.0.0.1 (TELEGRAM_API_BASE_URL), through
PTB's own HTTP client, and the server fails one resident's message in the middle of a batch the
way Telegram does: 429 with retry_after, 403 blocked, 400 chat not found, 400 refused, 502, or
a dropped connection. The in-memory fake of test_faults_checkins_notices.py covers the same
cases in more detail; this checks they hold when the errors arrive as HTTP answers.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import pytest

from bot.models import (
    CheckinDelivery,
    CheckinRound,
    CheckinRoundStatus,
    Delivery,
    DeliveryStatus,
    NoticeStatus,
    Resident,
)
from bot.telegram_app import build_application

from .conftest import TOKEN, Person
from .test_authorisation_checkins_notices import plan_checkins
from .test_faults_checkins_notices import (  # noqa: F401 (district: a fixture)
    RESIDENTS,
    STAFF,
    TARGET,
    active,
    broadcast,
    district,
    rows,
)

BOT_USER = {"id": 4_000_000, "is_bot": True, "first_name": "ddokddok", "username": "ddokddok_bot"}
ANSWERS = {
    "rate_limited": (429, {"description": "Too Many Requests: retry after 1", "parameters": {"retry_after": 1}}),
    "blocked": (403, {"description": "Forbidden: bot was blocked by the user"}),
    "chat_not_found": (400, {"description": "Bad Request: chat not found"}),
    "bad_request": (400, {"description": "Bad Request: can't parse entities"}),
    "server_error": (502, {"description": "Bad Gateway"}),
}
FAULTS = [*ANSWERS, "reset"]
UNREACHABLE = {"blocked", "chat_not_found"}


class FaultyBotApiServer:
    """A Bot API on 127.0.0.1 that fails the next message to an aimed chat, and counts what it
    accepted per chat."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.aimed: dict[int, list[str]] = {}
        self.accepted: Counter[int] = Counter()
        self.injected = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                method = self.path.rsplit("/", 1)[-1]
                params = {k: _decode(v) for k, v in parse_qsl(body)}
                chat_id = params.get("chat_id")
                with server.lock:
                    fault = None
                    if method in ("sendMessage", "sendPhoto") and server.aimed.get(chat_id):
                        fault = server.aimed[chat_id].pop(0)
                        server.injected += 1
                    elif method in ("sendMessage", "sendPhoto"):
                        server.accepted[chat_id] += 1
                if fault == "reset":  # the connection drops before any answer
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if fault is not None:
                    status, payload = ANSWERS[fault]
                    self._answer(status, {"ok": False, "error_code": status, **payload})
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

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]

    def aim(self, chat_id: int, fault: str) -> None:
        with self.lock:
            self.aimed.setdefault(chat_id, []).append(fault)


def _decode(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


def _result(method: str, params: dict[str, Any]) -> Any:
    if method == "getMe":
        return BOT_USER
    if method in ("sendMessage", "editMessageText", "sendPhoto"):
        return {"message_id": 1, "date": 0, "chat": {"id": params.get("chat_id"), "type": "private"},
                "text": params.get("text", "")}
    return True


@pytest.fixture
def api_server(monkeypatch, figures) -> Iterator[FaultyBotApiServer]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    server = FaultyBotApiServer()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    figures.faults_injected += server.injected
    server.httpd.shutdown()
    server.httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture
async def http_app(settings, conversation, engine, clock, api_server, no_reply_delays):
    over_http = settings.model_copy(update={"telegram_api_base_url": f"http://127.0.0.1:{api_server.port}/bot"})
    assert over_http.telegram_bot_token.get_secret_value() == TOKEN
    application = build_application(over_http, conversation=conversation, engine=engine, clock=clock)
    await application.initialize()
    yield application
    await application.shutdown()


@pytest.mark.parametrize("fault", FAULTS)
async def test_a_checkin_failing_over_http_is_sent_once_and_reaches_staff(
        http_app, api_server, engine, clock, district, fault, figures):
    handlers = http_app.bot_data["chat_handlers"]
    for resident in district.values():
        plan_checkins(resident, at="1400")
    api_server.aim(TARGET, fault)
    clock.advance(hours=4)  # 14:00 in Seoul
    await handlers.dispatch_checkins(None)
    figures.inputs_tried += len(RESIDENTS)

    residents = {r.platform_user_id: r.id for r in rows(engine, Resident)}
    by_resident = {r.resident_id: r for r in rows(engine, CheckinRound)}
    target = by_resident[residents[TARGET]]
    expected = {CheckinDelivery.BLOCKED} if fault in UNREACHABLE else {CheckinDelivery.FAILED, CheckinDelivery.UNKNOWN}
    assert target.delivery in expected, target.delivery
    assert active(engine, TARGET) is (fault not in UNREACHABLE)
    assert all(by_resident[residents[u]].delivery == CheckinDelivery.DELIVERED for u in RESIDENTS if u != TARGET)

    for _ in range(2):  # two reply windows without an answer: a reminder, then staff
        clock.advance(hours=2)
        await handlers.dispatch_checkins(None)
    target = [r for r in rows(engine, CheckinRound) if r.id == target.id][0]
    assert target.status == CheckinRoundStatus.ESCALATED
    lost = sum(1 for r in rows(engine, CheckinRound) if r.status != CheckinRoundStatus.ESCALATED)
    figures.records_lost += lost
    assert lost == 0
    assert all(count <= 2 for chat, count in api_server.accepted.items() if chat in RESIDENTS)  # once + reminder


@pytest.mark.parametrize("fault", FAULTS)
async def test_a_notice_over_http_reaches_everyone_else_and_accounts_for_the_target(
        http_app, api_server, engine, clock, district, fault, figures):
    desk = Person(district[RESIDENTS[0]].conversation, STAFF, "Officer Kim")
    api_server.aim(TARGET, fault)
    notice = await asyncio.wait_for(broadcast(http_app, clock, desk), timeout=60)
    figures.inputs_tried += len(RESIDENTS)

    deliveries = {d.chat_id: d for d in rows(engine, Delivery)}
    assert sorted(deliveries) == RESIDENTS and notice.status == NoticeStatus.FINISHED
    if fault in UNREACHABLE:
        assert deliveries[TARGET].status == DeliveryStatus.BLOCKED and not active(engine, TARGET)
    elif fault == "bad_request":
        assert deliveries[TARGET].status == DeliveryStatus.FAILED
    else:  # tried again and delivered
        assert deliveries[TARGET].status == DeliveryStatus.SENT
    assert all(d.status == DeliveryStatus.SENT for chat, d in deliveries.items() if chat != TARGET)
    assert all(api_server.accepted[u] <= 1 for u in RESIDENTS), api_server.accepted
    assert notice.reported_at is not None and api_server.accepted[STAFF] >= 1  # the report reached staff
    missing = sum(1 for d in deliveries.values()
                  if d.status not in (DeliveryStatus.SENT, DeliveryStatus.BLOCKED, DeliveryStatus.FAILED))
    figures.records_lost += missing
    assert missing == 0

