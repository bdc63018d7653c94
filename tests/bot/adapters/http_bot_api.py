"""A tiny Bot API server on 127.0.0.1 for tests over real HTTP (TELEGRAM_API_BASE_URL).

Records (path prefix, method, params) of each request. Failures, answered as Telegram does:
`fail_next[method] = n` answers the next n calls of a method with 502; `aim(chat_id, fault)`
fails the next message to one chat with `fault` (a key of ANSWERS, or "reset": the connection
drops before any answer). `accepted` counts the messages it took per chat.

`getUpdates` serves what `offer(update_dict)` queued, as Telegram does for a polling bot: the
updates from `offset` on, waiting up to the request's `timeout` for one to arrive (long
polling), so the bot can be run as its own process against this server.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import pytest

from .conftest import BOT_USER

ANSWERS = {
    "rate_limited": (429, {"description": "Too Many Requests: retry after 1", "parameters": {"retry_after": 1}}),
    "blocked": (403, {"description": "Forbidden: bot was blocked by the user"}),
    "chat_not_found": (400, {"description": "Bad Request: chat not found"}),
    "bad_request": (400, {"description": "Bad Request: can't parse entities"}),
    "server_error": (502, {"description": "Bad Gateway"}),
}
MESSAGES = ("sendMessage", "sendPhoto")


class BotApiServer:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, Any]]] = []
        self.fail_next: dict[str, int] = {}
        self.aimed: dict[Any, list[str]] = {}
        self.accepted: Counter = Counter()
        self.injected = 0
        self.lock = threading.Lock()
        self.updates: list[dict[str, Any]] = []
        self.update_arrived = threading.Condition(self.lock)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                prefix, _, method = self.path.rpartition("/")
                params = {k: _decode(v) for k, v in parse_qsl(body)}
                fault = server._fault_for(prefix, method, params)
                if fault == "reset":
                    self.close_connection = True
                    self.connection.shutdown(2)
                elif fault is not None:
                    status, payload = ANSWERS[fault]
                    self._answer(status, {"ok": False, "error_code": status, **payload})
                elif method == "getUpdates":
                    self._answer(200, {"ok": True, "result": server._updates_from(params)})
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

    def _fault_for(self, prefix: str, method: str, params: dict[str, Any]) -> str | None:
        chat_id = params.get("chat_id")
        with self.lock:
            self.requests.append((prefix, method, params))
            fault = None
            if self.fail_next.get(method, 0):
                self.fail_next[method] -= 1
                fault = "server_error"
            elif method in MESSAGES and self.aimed.get(chat_id):
                fault = self.aimed[chat_id].pop(0)
            if fault is not None:
                self.injected += 1
            elif method in MESSAGES:
                self.accepted[chat_id] += 1
            return fault

    def offer(self, update: dict[str, Any]) -> None:
        """Queue an update (a dict as Telegram sends it) for the bot's next getUpdates."""
        with self.update_arrived:
            self.updates.append(update)
            self.update_arrived.notify_all()

    def _updates_from(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), 5.0)
        with self.update_arrived:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]  # confirmed
            if not self.updates and wait:
                self.update_arrived.wait(wait)
            return list(self.updates[:100])

    def aim(self, chat_id: int, fault: str) -> None:
        if fault != "reset" and fault not in ANSWERS:
            raise ValueError(f"unknown fault {fault!r}")
        with self.lock:
            self.aimed.setdefault(chat_id, []).append(fault)

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
    if method in ("sendMessage", "editMessageText", "sendPhoto"):
        return {"message_id": 1, "date": 0, "chat": {"id": params.get("chat_id"), "type": "private"},
                "text": params.get("text", "")}
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
