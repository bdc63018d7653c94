"""Factories for residents, staff and bookings; the `engine` fixture (a fresh database per test,
in-memory SQLite or DDOKDDOK_TEST_DATABASE_URL) comes from tests/conftest.py."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.people.residents import register_resident
from bot.people.staff import add_staff
from bot.requests.bookings import create_booking
from bot.store.models import Booking, Resident, StaffMember

# 10:00 in Seoul on Monday 3 March 2025.
NOW = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)
DISTRICTS = frozenset({"seoul", "seocho", "yongsan", "eunpyeong", "gwangjin", "gwangsan", "sancheong"})


@pytest.fixture
def command_database(tmp_path, monkeypatch) -> str:
    """For `ddokddok` commands run in-process: a SQLite file of their own, configured through
    the environment as a user would, with no token, catalog path or .env of this machine."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("CATALOG_PATHS", raising=False)
    url = f"sqlite:///{(tmp_path / 'data' / 'bot.sqlite3').as_posix()}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def now() -> datetime:
    return NOW


_ids = itertools.count(1000)


@pytest.fixture
def make_resident(session: Session):
    def make(*, district: str = "seocho", first_name: str = "Mina", language: str = "ko",
             platform_user_id: int | None = None, chat_id: int | None = None,
             now: datetime = NOW) -> Resident:
        user_id = platform_user_id if platform_user_id is not None else next(_ids)
        return register_resident(
            session=session,
            platform_user_id=user_id,
            chat_id=chat_id if chat_id is not None else user_id,
            first_name=first_name,
            language=language,
            district=district,
            now=now,
        )

    return make


@pytest.fixture
def make_staff(session: Session):
    def make(*, district: str = "seocho", name: str = "Officer Kim",
             telegram_id: int | None = None) -> StaffMember:
        return add_staff(
            session=session,
            telegram_id=telegram_id if telegram_id is not None else next(_ids),
            district=district,
            name=name,
            known_districts=DISTRICTS,
            now=NOW,
        )

    return make


@pytest.fixture
def make_booking(session: Session):
    def make(resident: Resident, *, request_key: str | None = None, phone: str = "01012345678",
             program_id: str = "seocho.health119", preferred_date: date = date(2025, 3, 5),
             time_window: str = "morning", address_detail: str | None = "101동 202호",
             note: str | None = "무릎이 아파요", now: datetime = NOW, **more) -> Booking:
        return create_booking(
            session=session,
            resident=resident,
            program_id=program_id,
            preferred_date=preferred_date,
            time_window=time_window,
            phone=phone,
            address_detail=address_detail,
            note=note,
            request_key=request_key if request_key is not None else f"key-{next(_ids)}",
            now=now,
            **more,
        )

    return make
