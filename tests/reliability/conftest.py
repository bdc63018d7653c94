"""The reliability and security suite's fixtures, and the figures it reports to CI.

A fresh database per test (the `engine` of tests/conftest.py), the real catalog and matcher
(built once per session), a clock the test moves, people who chat with the real
`Conversation`, looks at every table of the store, and the real Telegram `Application` on the
fake Bot API of tests/bot/adapters (reused, not copied: the same error injection every adapter
test relies on).

`figures` counts what the suite tried; `pytest_terminal_summary` prints it as one line, e.g.
`reliability: inputs tried 2140, faults injected 57, records lost 0`, for CI logs to compare.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, Table
from sqlmodel import SQLModel

from bot.adapters.telegram import build_application
from bot.conversation.engine import Conversation
from bot.core.messages import Incoming, InputKind, Reply
from bot.core.settings import Settings
from bot.core.texts import Texts
from bot.people.staff import add_staff, remove_staff
from bot.store.db import session_scope
from catalog import Matcher, load_catalog

# The adapter tests' fake Bot API and update factories (tests/bot has no __init__.py, so its
# packages are imported from that folder, as pytest itself imports them).
_ADAPTER_TESTS = str(Path(__file__).resolve().parents[1] / "bot")
if _ADAPTER_TESTS not in sys.path:
    sys.path.insert(0, _ADAPTER_TESTS)

from adapters.conftest import (  # noqa: E402
    TOKEN,
    ApiCall,
    FakeBotApi,
    make_callback_update,
    make_message_update,
    make_settings,
    make_sticker_update,
)

__all__ = ["TOKEN", "ApiCall", "FakeBotApi", "make_callback_update", "make_message_update", "make_sticker_update"]

# 10:00 in Seoul on Monday 3 March 2025, as in the other suites.
START = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)


# --- the figures for CI ---------------------------------------------------------------------


@dataclass
class Figures:
    """What the suite tried, summed over every test that asked for `figures`."""

    inputs_tried: int = 0
    faults_injected: int = 0
    records_lost: int = 0
    used: bool = False

    def line(self) -> str:
        return (f"reliability: inputs tried {self.inputs_tried}, faults injected "
                f"{self.faults_injected}, records lost {self.records_lost}")


FIGURES = Figures()


@pytest.fixture(scope="session")
def figures() -> Figures:
    FIGURES.used = True
    return FIGURES


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if FIGURES.used:
        terminalreporter.write_sep("-", "reliability figures")
        terminalreporter.write_line(FIGURES.line())


# --- time and the store ---------------------------------------------------------------------


class Clock:
    """A clock that stands still until the test moves it: `advance(seconds=...)`, `advance(days=...)`."""

    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def tables() -> list[Table]:
    """Every table of the store, those added by other features (check-ins, notices) included."""
    return list(SQLModel.metadata.sorted_tables)


def _plain(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


# The shared send rate's bucket (PostgreSQL): every message sent, a refusal too, spends from it.
_NOT_STATE = frozenset({"send_budget"})


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order: what a refused action must leave as it was."""
    rows: dict[str, list[tuple]] = {}
    with engine.connect() as connection:
        for table in tables():
            if table.name in _NOT_STATE:
                continue
            query = table.select().order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(_plain(v) for v in row) for row in connection.execute(query)]
    return rows


def changed_tables(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    return [name for name in before if before[name] != after.get(name)]


def rows_containing(engine: Engine, needles: list[str]) -> list[str]:
    """`table.column = value` for every stored value (any column, any table) holding a needle."""
    found = []
    with engine.connect() as connection:
        for table in tables():
            for row in connection.execute(table.select()):
                for column, value in zip(table.columns, row, strict=True):
                    text = str(_plain(value)) if value is not None else ""
                    for needle in needles:
                        if needle and needle in text:
                            found.append(f"{table.name}.{column.name} holds {needle!r}")
    return found


# --- the real conversation ------------------------------------------------------------------


@pytest.fixture
def db_rows(engine):
    """`db_rows(table, column)`: that column of every row of the table, as stored now."""

    def column(table: str, name: str) -> list:
        [found] = [t for t in tables() if t.name == table]
        index = found.columns.keys().index(name)
        return [row[index] for row in snapshot(engine)[table]]

    return column


@pytest.fixture
def texts() -> Texts:
    return Texts.load()


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def matcher(catalog) -> Matcher:
    return Matcher(catalog)


@pytest.fixture
def settings() -> Settings:
    # The Telegram settings of the adapter tests (their token, 5 messages per 10 s per person)
    # with the retention period the privacy tests move the clock past, and no pause between
    # two messages to one chat (it is real time: the fake clock does not move it).
    return make_settings(booking_retention_days=90, per_chat_interval_seconds=0)


@pytest.fixture
def conversation(catalog, matcher, engine: Engine, settings: Settings, clock: Clock) -> Conversation:
    return Conversation(catalog=catalog, matcher=matcher, engine=engine, settings=settings, clock=clock)


_message_ids = itertools.count(50_000)


class Person:
    """Someone in a private chat with the bot (chat id = user id), typing and pressing."""

    def __init__(self, conversation: Conversation, user_id: int, first_name: str = "Mina"):
        self.conversation = conversation
        self.user_id = user_id
        self.first_name = first_name

    def send(self, kind: InputKind, text: str, message_id: int | None = None) -> Reply:
        return self.conversation.handle(Incoming(
            user_id=self.user_id, chat_id=self.user_id, first_name=self.first_name, kind=kind,
            text=text, message_id=message_id if message_id is not None else next(_message_ids),
        ))

    def say(self, text: str) -> Reply:
        return self.send(InputKind.TEXT, text)

    def press(self, data: str, message_id: int | None = None) -> Reply:
        return self.send(InputKind.BUTTON, data, message_id)

    def onboard(self, district: str = "seocho") -> Reply:
        self.say("/start")
        self.press("lang:ko")
        self.press(f"dist:{district}")
        self.press("consent:yes")
        self.press("age:skip")
        return self.press("gender:skip")

    def book(self, program_id: str = "seocho.handyman", day: str = "2025-03-05",
             phone: str = "010-1234-5678", address: str = "101동 202호", note: str | None = None,
             confirm_message_id: int | None = None) -> Reply:
        """A whole request from [Request] to [Confirm]."""
        self.press(f"req:start:{program_id}")
        self.press(f"bk:date:{day}")
        self.press("bk:time:morning")
        self.say(phone)
        self.say(address)
        if note is None:
            self.press("bk:skip")
        else:
            self.say(note)
        return self.press("bk:ok", message_id=confirm_message_id)


@pytest.fixture
def person(conversation: Conversation):
    ids = itertools.count(1)

    def make(first_name: str = "Mina", user_id: int | None = None) -> Person:
        return Person(conversation, user_id if user_id is not None else next(ids), first_name)

    return make


@pytest.fixture
def staff_member(engine: Engine, catalog, clock: Clock):
    """Add a staff member (returns the Telegram id); `staff_member.remove(id)` removes one."""
    ids = itertools.count(900)

    def add(district: str = "seocho", name: str = "Officer Kim", telegram_id: int | None = None) -> int:
        telegram_id = telegram_id if telegram_id is not None else next(ids)
        with session_scope(engine) as session:
            add_staff(session=session, telegram_id=telegram_id, district=district, name=name,
                      known_districts=catalog.districts, now=clock())
        return telegram_id

    def remove(telegram_id: int) -> None:
        with session_scope(engine) as session:
            assert remove_staff(session=session, telegram_id=telegram_id)

    add.remove = remove
    return add


# --- the real Telegram application ----------------------------------------------------------


@pytest.fixture
def fake_api() -> FakeBotApi:
    return FakeBotApi()


@pytest.fixture
def no_reply_delays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.adapters.telegram_updates.REPLY_RETRY_DELAYS", (0.0, 0.0))


@pytest.fixture
async def app(settings, conversation, engine, fake_api, clock, no_reply_delays) -> AsyncIterator[Any]:
    """`build_application` with the real conversation, on the fake Bot API, initialised."""
    application = build_application(settings, conversation=conversation, engine=engine,
                                     request=fake_api, clock=clock)
    await application.initialize()
    yield application
    await application.shutdown()
