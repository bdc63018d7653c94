"""Fakes for the adapters: a Bot API that records every call, update factories, a clock,
a stand-in conversation, and the Telegram application built by the real `build_application`.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from telegram import Bot, Update
from telegram.error import TimedOut
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

from bot.adapters.telegram import build_application
from bot.conversation.engine import Conversation
from bot.core.messages import Button, Incoming, InputKind, Outgoing, Reply
from bot.core.settings import Settings
from bot.people.residents import register_resident
from bot.sending.outbox import enqueue_message
from bot.store.db import session_scope
from catalog import Matcher, load_catalog

TOKEN = "123456789:TEST-token-that-must-never-be-logged"
BOT_USER = {"id": 123456789, "is_bot": True, "first_name": "똑똑", "username": "ddokddok_test_bot"}
START = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)

# --- the fake Bot API ------------------------------------------------------------------------


@dataclass
class ApiCall:
    method: str  # "sendMessage", "answerCallbackQuery", ...
    params: dict[str, Any]


# Canned error answers, as Telegram sends them: (HTTP status, body).
def _error(status: int, description: str, **parameters: Any) -> tuple[int, bytes]:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return status, json.dumps(body).encode()


FAILURES = {
    "blocked": lambda **_: _error(403, "Forbidden: bot was blocked by the user"),
    "deactivated": lambda **_: _error(403, "Forbidden: user is deactivated"),
    "chat_not_found": lambda **_: _error(400, "Bad Request: chat not found"),
    "bad_request": lambda **_: _error(400, "Bad Request: can't parse entities"),
    "not_modified": lambda **_: _error(400, "Bad Request: message is not modified"),
    "rate_limited": lambda retry_after=1, **_: _error(
        429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
    ),
    "server_error": lambda **_: _error(502, "Bad Gateway"),
    # A server error whose text quotes the URL, token and all, as some proxies do.
    "leaky_error": lambda **_: _error(500, f"upstream https://api.telegram.org/bot{TOKEN}/sendMessage"),
}


class FakeBotApi(BaseRequest):
    """A Bot API in memory: records each call with its decoded parameters, answers at once.

    `fail(method, kind, times=n)` makes the next n calls of `method` fail the way Telegram
    does (see FAILURES), or time out (`kind="timeout"`).
    """

    def __init__(self) -> None:
        self.calls: list[ApiCall] = []
        self._failures: dict[str, deque[tuple[str, dict[str, Any]]]] = defaultdict(deque)
        self._message_ids = itertools.count(500)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    @property
    def read_timeout(self) -> float:
        return 1.0

    def fail(self, method: str, kind: str, *, times: int = 1, **details: Any) -> None:
        if kind != "timeout" and kind not in FAILURES:
            raise ValueError(f"unknown failure {kind!r}")
        self._failures[method].extend([(kind, details)] * times)

    def called(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method == method]

    @property
    def sent_texts(self) -> list[str]:
        return [c.params["text"] for c in self.calls if c.method in ("sendMessage", "editMessageText")]

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, **_timeouts: Any
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data is not None else {}
        self.calls.append(ApiCall(api_method, params))
        if self._failures[api_method]:
            kind, details = self._failures[api_method].popleft()
            if kind == "timeout":
                raise TimedOut()
            return FAILURES[kind](**details)
        return 200, json.dumps({"ok": True, "result": self._result(api_method, params)}).encode()

    def _result(self, api_method: str, params: dict[str, Any]) -> Any:
        if api_method == "getMe":
            return BOT_USER
        if api_method in ("sendMessage", "editMessageText", "sendPhoto", "sendVoice"):
            message_id = params.get("message_id") or next(self._message_ids)
            message = {
                "message_id": message_id,
                "date": int(START.timestamp()),
                "chat": {"id": params["chat_id"], "type": "private"},
                "from": BOT_USER,
                "text": params.get("text", params.get("caption", "")),
            }
            # Telegram echoes an inline keyboard only; one under the typing field is not a message's.
            if "inline_keyboard" in (params.get("reply_markup") or {}):
                message["reply_markup"] = params["reply_markup"]
            return message
        if api_method == "getUpdates":
            return []
        return True  # answerCallbackQuery, setMyCommands, deleteWebhook, ...


# --- update factories ------------------------------------------------------------------------

_update_ids = itertools.count(1)
_message_ids = itertools.count(1)


def _user(user_id: int, first_name: str) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "ko"}


def _message(user_id: int, chat_id: int | None, first_name: str, chat_type: str = "private",
             **content: Any) -> dict[str, Any]:
    return {
        "message_id": next(_message_ids),
        "date": int(START.timestamp()),
        "chat": {"id": chat_id if chat_id is not None else user_id, "type": chat_type,
                 "first_name": first_name},
        "from": _user(user_id, first_name),
        **content,
    }


def make_message_update(
    text: str, *, user_id: int = 4242, chat_id: int | None = None, first_name: str = "Mina",
    chat_type: str = "private", bot: Bot | None = None,
) -> Update:
    """A text message; a leading /command gets its bot_command entity, as Telegram sends it."""
    content: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        command = text.split()[0]
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    message = _message(user_id, chat_id, first_name, chat_type, **content)
    data = {"update_id": next(_update_ids), "message": message}
    return Update.de_json(data, bot)


def make_sticker_update(*, user_id: int = 4242, first_name: str = "Mina", bot: Bot | None = None) -> Update:
    sticker = {
        "file_id": "sticker-file", "file_unique_id": "sticker-unique", "type": "regular",
        "width": 512, "height": 512, "is_animated": False, "is_video": False, "emoji": "👍",
    }
    data = {"update_id": next(_update_ids), "message": _message(user_id, None, first_name, sticker=sticker)}
    return Update.de_json(data, bot)


def make_photo_update(file_id: str, *, user_id: int = 4242, first_name: str = "Mina", caption: str = "",
                      bot: Bot | None = None) -> Update:
    """A photo as Telegram sends it: several sizes, smallest first."""
    sizes = [{"file_id": f"{file_id}-small", "file_unique_id": f"{file_id}-s", "width": 90, "height": 90},
             {"file_id": file_id, "file_unique_id": f"{file_id}-l", "width": 1280, "height": 960}]
    message = _message(user_id, None, first_name, photo=sizes, caption=caption)
    return Update.de_json({"update_id": next(_update_ids), "message": message}, bot)


def make_voice_update(file_id: str, *, seconds: int, size: int | None = 4096, user_id: int = 4242,
                      first_name: str = "Mina", bot: Bot | None = None) -> Update:
    """A voice message recorded in the chat, as Telegram sends it (OGG/Opus, its length in
    whole seconds; `size` None leaves out the size, as Telegram may)."""
    voice: dict[str, Any] = {"file_id": file_id, "file_unique_id": f"{file_id}-u", "duration": seconds,
                             "mime_type": "audio/ogg"}
    if size is not None:
        voice["file_size"] = size
    message = _message(user_id, None, first_name, voice=voice)
    return Update.de_json({"update_id": next(_update_ids), "message": message}, bot)


def make_callback_update(
    data: str, *, message_id: int = 77, user_id: int = 4242, chat_id: int | None = None,
    first_name: str = "Mina", bot: Bot | None = None, text: str = "earlier question",
    keyboard: list[list[dict[str, str]]] | None = None, language_code: str = "ko",
) -> Update:
    """A press of an inline button whose callback data is `data`, on bot message `message_id`.

    Telegram sends the message as it is at the press, keyboard and all: by default one button
    carrying `data`; `keyboard` gives another (`[]`: none left, as after an earlier press).
    """
    chat = chat_id if chat_id is not None else user_id
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": int(START.timestamp()),
        "chat": {"id": chat, "type": "private", "first_name": first_name},
        "from": BOT_USER,
        "text": text,
    }
    rows = [[{"text": "earlier button", "callback_data": data}]] if keyboard is None else keyboard
    if rows:
        message["reply_markup"] = {"inline_keyboard": rows}
    query = {
        "id": f"query-{next(_update_ids)}",
        "from": {**_user(user_id, first_name), "language_code": language_code},
        "chat_instance": f"instance-{chat}",
        "data": data,
        "message": message,
    }
    return Update.de_json({"update_id": next(_update_ids), "callback_query": query}, bot)


def make_my_chat_member_update(
    status: str, *, user_id: int = 4242, old_status: str | None = None, chat_id: int | None = None,
    chat_type: str = "private", about_user: dict[str, Any] | None = None, first_name: str = "Mina",
    bot: Bot | None = None,
) -> Update:
    """Telegram telling the bot its own membership in a chat changed: in a private chat,
    "kicked" when the person blocked the bot, "member" when they let it back in.
    `about_user` names someone other than the bot (a forged update)."""
    old = old_status or ("member" if status == "kicked" else "kicked")
    member_user = about_user or BOT_USER

    def member(state: str) -> dict[str, Any]:
        entry: dict[str, Any] = {"status": state, "user": member_user}
        if state == "kicked":
            entry["until_date"] = 0
        return entry

    change = {
        "chat": {"id": chat_id if chat_id is not None else user_id, "type": chat_type, "first_name": first_name},
        "from": _user(user_id, first_name),
        "date": int(START.timestamp()),
        "old_chat_member": member(old),
        "new_chat_member": member(status),
    }
    return Update.de_json({"update_id": next(_update_ids), "my_chat_member": change}, bot)


# --- clock, conversation, settings -----------------------------------------------------------


class FakeClock:
    """A clock tests move by hand: `clock()` is now, `clock.advance(seconds)` moves it."""

    def __init__(self, start: datetime = START):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


LANGUAGE_BUTTONS = [[Button("한국어", "lang:ko"), Button("English", "lang:en")]]
STAFF_CHAT = 9001


@dataclass
class FakeConversation:
    """Stands in for bot.conversation.engine.Conversation: answers by kind, remembers inputs.

    A text "alert" also queues a message for STAFF_CHAT in the outbox, as a booking would;
    a text "boom" raises, as a bug would.
    """

    engine: Engine | None = None
    clock: FakeClock = field(default_factory=FakeClock)
    received: list[Incoming] = field(default_factory=list)

    def handle(self, incoming: Incoming) -> Reply:
        self.received.append(incoming)
        reply = Reply()
        if incoming.kind is InputKind.BUTTON:
            reply.messages.append(Outgoing(incoming.chat_id, f"pressed {incoming.text}",
                                           edit_message_id=incoming.message_id))
            reply.say(incoming.chat_id, "next question")
        elif incoming.kind is InputKind.UNSUPPORTED:
            reply.say(incoming.chat_id, "글로 써 주세요 / please write in text")
        elif incoming.text == "boom":
            raise RuntimeError(f"conversation bug; token {TOKEN} in the message")
        else:
            if incoming.text == "alert":
                assert self.engine is not None
                with session_scope(self.engine) as session:
                    enqueue_message(session=session, chat_id=STAFF_CHAT, text="새 신청 / new request",
                                    now=self.clock(), buttons=[[{"text": "수락", "data": "booking:accept:1"}]])
            reply.say(incoming.chat_id, f"you said: {incoming.text}", LANGUAGE_BUTTONS)
        return reply


def make_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": TOKEN,
        "database_url": "sqlite://",
        "flood_max_messages": 5,
        "flood_window_seconds": 10,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


def add_resident(engine: Engine, *, user_id: int, district: str = "seocho", now: datetime = START):
    with session_scope(engine) as session:
        return register_resident(session=session, platform_user_id=user_id, chat_id=user_id,
                                 first_name="Mina", language="ko", district=district, now=now)


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def fake_api() -> FakeBotApi:
    return FakeBotApi()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def conversation(engine: Engine, clock: FakeClock) -> FakeConversation:
    return FakeConversation(engine=engine, clock=clock)


@pytest.fixture
def settings() -> Settings:
    return make_settings()


@pytest.fixture
def no_reply_delays(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr("bot.adapters.telegram_updates.REPLY_RETRY_DELAYS", (0.0, 0.0))
    yield


@pytest.fixture
async def app(
    settings: Settings, conversation: FakeConversation, engine: Engine, fake_api: FakeBotApi,
    clock: FakeClock, no_reply_delays: None,
) -> AsyncIterator[Application]:
    """The real application from build_application, on the fake Bot API, initialised."""
    application = build_application(
        settings, conversation=conversation, engine=engine, request=fake_api, clock=clock
    )
    await application.initialize()
    yield application
    await application.shutdown()


# --- the real conversation behind the real Telegram application -------------------------------


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def matcher(catalog):
    return Matcher(catalog)


@pytest.fixture
def real_conversation(catalog, matcher, engine, clock) -> Conversation:
    return Conversation(catalog=catalog, matcher=matcher, engine=engine,
                        settings=make_settings(), clock=clock)


@pytest.fixture
async def real_app(real_conversation, engine, fake_api, clock, no_reply_delays):
    application = build_application(make_settings(), conversation=real_conversation, engine=engine,
                                     request=fake_api, clock=clock)
    await application.initialize()
    yield application
    await application.shutdown()
