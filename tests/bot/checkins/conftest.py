"""Helpers for the check-in tests: a fake transport, a clock that ticks, residents with plans.

Every test drives time itself: `Ticker.run_until` calls `dispatch_due` once per simulated
minute, so nothing sleeps and midnight, downtime and restarts are just other `now` values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from bot.checkins.dispatch import TickReport, dispatch_due
from bot.checkins.plans import start_checkins
from bot.checkins.policy import CheckinPolicy
from bot.people.residents import register_resident
from bot.people.staff import add_staff
from bot.store.db import create_schema, make_engine, session_scope
from bot.store.models import CheckinRound, OutboxMessage, Resident, StaffMember

from .fakes import FakeTransport

# Monday 3 March 2025, 09:00 in Seoul (00:00 UTC).
MONDAY_9_KST = datetime(2025, 3, 3, 0, 0, tzinfo=UTC)
TEN = time(10, 0)
DISTRICTS = {"seocho", "yongsan"}
EVERY_DAY = {0, 1, 2, 3, 4, 5, 6}


def kst(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """An instant given as a Seoul wall time in 2025, returned in UTC."""
    return datetime(2025, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=9)


@dataclass
class Ticker:
    engine: Engine
    send: Callable
    policy: CheckinPolicy = field(default_factory=CheckinPolicy)
    limit: int = 1500
    reports: list[tuple[datetime, TickReport]] = field(default_factory=list)

    async def tick(self, now: datetime, **overrides) -> TickReport:
        report = await dispatch_due(engine=overrides.pop("engine", self.engine), now=now,
                                    send=overrides.pop("send", self.send),
                                    policy=overrides.pop("policy", self.policy),
                                    limit=overrides.pop("limit", self.limit), **overrides)
        self.reports.append((now, report))
        return report

    async def run_until(self, start: datetime, end: datetime, step: timedelta = timedelta(minutes=1),
                        **overrides) -> datetime:
        """Tick every `step` from `start` up to and including `end`; returns the next tick time."""
        now = start
        while now <= end:
            await self.tick(now, **overrides)
            now += step
        return now

    def total(self, name: str) -> int:
        return sum(getattr(report, name) for _, report in self.reports)


@pytest.fixture
def transport() -> FakeTransport:
    return FakeTransport()


@pytest.fixture
def ticker(engine, transport) -> Ticker:
    return Ticker(engine=engine, send=transport)


@pytest.fixture
def file_url(tmp_path: Path) -> str:
    return f"sqlite:///{(tmp_path / 'checkins.sqlite3').as_posix()}"


@pytest.fixture
def file_engine(file_url):
    engine = make_engine(file_url)
    create_schema(engine)
    yield engine
    engine.dispose()


_user_ids = iter(range(50_000, 10_000_000))


def resident(engine: Engine, *, district: str = "seocho", name: str = "Mina", language: str = "ko",
             now: datetime = MONDAY_9_KST) -> Resident:
    user_id = next(_user_ids)
    with session_scope(engine) as session:
        return register_resident(session=session, platform_user_id=user_id, chat_id=user_id,
                                 first_name=name, language=language, district=district, now=now)


def staff(engine: Engine, *, district: str = "seocho", name: str = "Officer Kim",
          telegram_id: int | None = None) -> StaffMember:
    with session_scope(engine) as session:
        return add_staff(session=session, telegram_id=telegram_id or next(_user_ids),
                         district=district, name=name, known_districts=DISTRICTS,
                         now=MONDAY_9_KST)


def planned(engine: Engine, *, at: time = TEN, days: Iterable[int] = EVERY_DAY,
            tz: str = "Asia/Seoul", now: datetime = MONDAY_9_KST, **kwargs) -> Resident:
    person = resident(engine, now=now, **kwargs)
    with session_scope(engine) as session:
        start_checkins(session=session, resident=person, days=set(days), at=at, tz=tz, now=now)
    return person


def rounds_of(engine: Engine, person: Resident) -> list[CheckinRound]:
    with Session(engine) as session:
        return list(session.execute(
            select(CheckinRound).where(CheckinRound.resident_id == person.id)
            .order_by(CheckinRound.scheduled_for)
        ).scalars())


def only_round(engine: Engine, person: Resident) -> CheckinRound:
    rounds = rounds_of(engine, person)
    assert len(rounds) == 1, rounds
    return rounds[0]


def outbox(engine: Engine, chat_id: int | None = None) -> list[OutboxMessage]:
    with Session(engine) as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if chat_id is not None:
            query = query.where(OutboxMessage.chat_id == chat_id)
        return list(session.execute(query).scalars())


def button_data(message: OutboxMessage) -> list[str]:
    return [button["data"] for row in (message.buttons or []) for button in row]
