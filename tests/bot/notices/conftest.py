"""Fakes for notices: a clock that moves only when someone sleeps, a transport that records every
message and fails on command, residents and staff in a fresh in-memory database per test.

The conversation's fixtures (people chatting, staff, the catalog) come from
tests/bot/conversation/conftest.py, imported here so the flow tests drive the real conversation.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.core.messages import Outgoing
from bot.notices.deliveries import DeliveryPolicy
from bot.notices.sender import NoticeSender
from bot.people.residents import register_resident, update_resident
from bot.people.staff import add_staff
from bot.sending.outbox_sender import DeliveryError
from bot.sending.send_rate import SendRateLimiter
from bot.store.db import session_scope
from bot.store.models import CheckinPlan, Delivery, Notice, Resident, StaffMember

from conversation.conftest import (  # noqa: F401  (fixtures of the conversation tests)
    add_staff_member,
    catalog,
    clock,
    conversation,
    db,
    make_conversation,
    matcher,
    person,
    settings,
)

START = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)  # 10:00 in Seoul
DISTRICTS = frozenset({"seocho", "yongsan", "eunpyeong"})


class FakeTime:
    """One fake time for the limiter (monotonic seconds) and the sender (aware UTC).

    `sleep(d)` moves time on by `d` and lets other tasks run: nothing ever really waits.
    """

    def __init__(self, start: datetime = START):
        self.start = start
        self.elapsed = 0.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.elapsed

    def utc(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed)

    def advance(self, seconds: float) -> None:
        self.elapsed += seconds

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        await asyncio.sleep(0)  # whoever was woken just before runs at the time they were woken
        self.elapsed += max(0.0, seconds)
        await asyncio.sleep(0)


@dataclass
class Sent:
    message: Outgoing
    at: float  # fake monotonic time of the send


@dataclass
class FakeTransport:
    """Records each message (with the fake time); raises the errors queued for a chat.

    `fail(chat_id, error, times=n)` makes the next n sends to that chat raise `error`
    (`times=None`: every send). `on_send` runs before each send (e.g. to move the clock).
    """

    time: FakeTime
    sent: list[Sent] = field(default_factory=list)
    attempts: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    on_send: Callable[[Outgoing], object] | None = None
    _failures: dict[int, deque] = field(default_factory=lambda: defaultdict(deque))
    _always: dict[int, DeliveryError] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(700))

    def fail(self, chat_id: int, error: DeliveryError, *, times: int | None = 1) -> None:
        if times is None:
            self._always[chat_id] = error
        else:
            self._failures[chat_id].extend([error] * times)

    async def send(self, message: Outgoing) -> int:
        self.attempts[message.chat_id] += 1
        if self.on_send is not None:
            done = self.on_send(message)
            if asyncio.iscoroutine(done):
                await done
        await asyncio.sleep(0)
        if message.chat_id in self._always:
            raise self._always[message.chat_id]
        if self._failures[message.chat_id]:
            raise self._failures[message.chat_id].popleft()
        self.sent.append(Sent(message, self.time.monotonic()))
        return message.edit_message_id or next(self._ids)

    def to(self, chat_id: int) -> list[Outgoing]:
        return [s.message for s in self.sent if s.message.chat_id == chat_id]

    def new_messages_to(self, chat_ids) -> list[int]:
        wanted = set(chat_ids)
        return [s.message.chat_id for s in self.sent
                if s.message.chat_id in wanted and s.message.edit_message_id is None]


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def transport(fake_time: FakeTime) -> FakeTransport:
    return FakeTransport(fake_time)


@pytest.fixture
def limiter(fake_time: FakeTime) -> SendRateLimiter:
    return SendRateLimiter(30, per_chat_interval=1.0, clock=fake_time.monotonic, sleep=fake_time.sleep)


POLICY = DeliveryPolicy(max_attempts=3, retry_base=timedelta(seconds=2), retry_max=timedelta(seconds=30),
                        lease=timedelta(seconds=60))


@pytest.fixture
def make_sender(engine: Engine, transport: FakeTransport, limiter: SendRateLimiter, fake_time: FakeTime):
    def make(**overrides) -> NoticeSender:
        arguments = dict(engine=engine, transport=transport, limiter=limiter, clock=fake_time.utc,
                         sleep=fake_time.sleep, policy=POLICY, batch_size=10, concurrency=4,
                         progress_interval=3.0)
        arguments.update(overrides)
        return NoticeSender(**arguments)

    return make


_user_ids = itertools.count(5000)


@pytest.fixture
def add_residents(engine: Engine):
    """`add_residents(n, district=..., language=..., muted=..., active=..., checkins=...)` → chat ids."""

    def add(n: int = 1, *, district: str = "seocho", language: str = "ko", muted: bool = False,
            active: bool = True, checkins: str | None = None) -> list[int]:
        chat_ids = []
        with session_scope(engine) as session:
            for _ in range(n):
                user_id = next(_user_ids)
                resident = register_resident(session=session, platform_user_id=user_id, chat_id=user_id,
                                             first_name="주민", language=language, district=district,
                                             now=START)
                if muted or not active:
                    update_resident(session=session, resident=resident, now=START,
                                    muted_notices=muted, active=active)
                if checkins is not None:
                    session.add(CheckinPlan(resident_id=resident.id, local_time=datetime(2025, 1, 1, 9).time(),
                                            status=checkins, created_at=START, updated_at=START))
                chat_ids.append(user_id)
        return chat_ids

    return add


@pytest.fixture
def staff_member(engine: Engine):
    def add(district: str = "seocho", telegram_id: int | None = None) -> StaffMember:
        with session_scope(engine) as session:
            return add_staff(session=session, telegram_id=telegram_id or next(_user_ids), district=district,
                             name="Officer Kim", known_districts=DISTRICTS, now=START)

    return add


class Rows:
    """Read-only looks at notices, deliveries and residents, each in a short session."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def notice(self, notice_id: int) -> Notice:
        with Session(self.engine) as session:
            return session.get(Notice, notice_id)

    def notices(self) -> list[Notice]:
        with Session(self.engine) as session:
            return list(session.exec(select(Notice)).all())

    def deliveries(self, notice_id: int | None = None) -> list[Delivery]:
        with Session(self.engine) as session:
            query = select(Delivery).order_by(Delivery.id)
            if notice_id is not None:
                query = query.where(Delivery.notice_id == notice_id)
            return list(session.exec(query).all())

    def statuses(self, notice_id: int) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for delivery in self.deliveries(notice_id):
            counts[delivery.status] += 1
        return dict(counts)

    def resident(self, chat_id: int) -> Resident:
        with Session(self.engine) as session:
            return session.exec(select(Resident).where(Resident.chat_id == chat_id)).one()


@pytest.fixture
def rows(engine: Engine) -> Rows:
    return Rows(engine)
