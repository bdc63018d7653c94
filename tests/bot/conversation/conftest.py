"""Drive `Conversation.handle` as a person would: typed lines and button presses, no Telegram.

One catalog and one real matcher for the whole session (the Korean model loads once); a fresh
in-memory database per test (the `engine` fixture of tests/bot/conftest.py) and a clock the
test moves by hand.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.conversation.engine import Conversation
from bot.core.messages import Incoming, InputKind, Outgoing, Reply
from bot.core.settings import Settings
from bot.people.staff import add_staff
from bot.store.db import session_scope
from bot.store.models import Booking, OutboxMessage, Resident, StaffMember
from catalog import Matcher, load_catalog

# 10:00 in Seoul on Monday 3 March 2025 (tests/bot/conftest.py's NOW).
START = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)


class Clock:
    """A clock that stands still until the test moves it."""

    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def matcher(catalog):
    return Matcher(catalog)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings() -> Settings:
    return Settings(_env_file=None, database_url="sqlite://", booking_retention_days=90)


@pytest.fixture
def make_conversation(catalog, matcher, engine: Engine, settings: Settings, clock: Clock):
    def make(**overrides: Any) -> Conversation:
        arguments = dict(catalog=catalog, matcher=matcher, engine=engine, settings=settings, clock=clock)
        arguments.update(overrides)
        return Conversation(**arguments)

    return make


@pytest.fixture
def conversation(make_conversation) -> Conversation:
    return make_conversation()


_message_ids = itertools.count(10_000)


class Person:
    """Someone chatting with the bot in a private chat (chat id = user id)."""

    def __init__(self, conversation: Conversation, user_id: int, first_name: str = "Mina"):
        self.conversation = conversation
        self.user_id = user_id
        self.first_name = first_name

    def send(self, kind: InputKind, text: str, message_id: int | None = None) -> Reply:
        incoming = Incoming(
            user_id=self.user_id,
            chat_id=self.user_id,
            first_name=self.first_name,
            kind=kind,
            text=text,
            message_id=message_id if message_id is not None else next(_message_ids),
        )
        return self.conversation.handle(incoming)

    def say(self, text: str) -> Reply:
        return self.send(InputKind.TEXT, text)

    def press(self, data: str, message_id: int | None = None) -> Reply:
        return self.send(InputKind.BUTTON, data, message_id)

    def onboard(self, district: str = "seocho", language: str = "ko", age: str = "skip",
                gender: str = "skip") -> Reply:
        self.say("/start")
        self.press(f"lang:{language}")
        self.press(f"dist:{district}")
        self.press("consent:yes")
        self.press(f"age:{age}")
        return self.press(f"gender:{gender}")

    def book(self, program_id: str = "seocho.handyman", day: str = "2025-03-05",
             phone: str = "010-1234-5678", confirm_message_id: int | None = None) -> Reply:
        """A whole request, from [Request] to [Confirm]."""
        self.press(f"req:start:{program_id}")
        self.press(f"bk:date:{day}")
        self.press("bk:time:morning")
        self.say(phone)
        self.say("101동 202호")
        self.press("bk:skip")
        return self.press("bk:ok", message_id=confirm_message_id)


@pytest.fixture
def person(conversation) -> Callable[..., Person]:
    ids = itertools.count(1)

    def make(first_name: str = "Mina", user_id: int | None = None, on: Conversation | None = None) -> Person:
        return Person(on or conversation, user_id if user_id is not None else next(ids), first_name)

    return make


@pytest.fixture
def add_staff_member(engine: Engine, catalog, clock: Clock):
    ids = itertools.count(900)

    def add(district: str = "seocho", name: str = "Officer Kim", telegram_id: int | None = None) -> int:
        telegram_id = telegram_id if telegram_id is not None else next(ids)
        with session_scope(engine) as session:
            add_staff(session=session, telegram_id=telegram_id, district=district, name=name,
                      known_districts=catalog.districts, now=clock())
        return telegram_id

    return add


class Database:
    """Read-only looks at what the conversation stored, each in its own short session."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def all(self, model) -> list:
        with Session(self.engine) as session:
            return list(session.exec(select(model)).all())

    def residents(self) -> list[Resident]:
        return self.all(Resident)

    def bookings(self) -> list[Booking]:
        return self.all(Booking)

    def booking(self, booking_id: int) -> Booking:
        with Session(self.engine) as session:
            return session.get(Booking, booking_id)

    def outbox(self, chat_id: int | None = None) -> list[OutboxMessage]:
        return [m for m in self.all(OutboxMessage) if chat_id is None or m.chat_id == chat_id]

    def staff(self) -> list[StaffMember]:
        return self.all(StaffMember)

    def snapshot(self) -> tuple:
        """Everything a refused action must leave as it was."""
        with Session(self.engine) as session:
            def rows(model):
                return [r.model_dump() for r in session.exec(select(model)).all()]
            return rows(Resident), rows(Booking), rows(OutboxMessage), rows(StaffMember)


@pytest.fixture
def db(engine: Engine) -> Database:
    return Database(engine)


# --- reading replies -------------------------------------------------------------------------


def texts(reply: Reply) -> list[str]:
    return [m.text for m in reply.messages]


def text(reply: Reply) -> str:
    return "\n".join(texts(reply))


def button_data(reply_or_message: Reply | Outgoing) -> list[str]:
    messages = reply_or_message.messages if isinstance(reply_or_message, Reply) else [reply_or_message]
    return [b.data for m in messages for row in m.buttons for b in row]


def labels(reply: Reply) -> list[str]:
    return [b.label for m in reply.messages for row in m.buttons for b in row]
