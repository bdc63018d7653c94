"""A district with a resident, a request, an escalated check-in and a running notice, the board
over it (Starlette's TestClient), and logging in through a link from a real /board turn."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import Engine, func, select
from starlette.testclient import TestClient

from bot.board import build_board_app
from bot.checkins.plans import start_checkins
from bot.conversation.engine import Conversation
from bot.core.messages import Incoming, InputKind
from bot.core.settings import Settings
from bot.notices.authoring import create_notice, start_notice
from bot.people.residents import register_resident
from bot.people.staff import add_staff
from bot.requests.bookings import create_booking
from bot.store.db import session_scope
from bot.store.models import (
    BoardSession,
    Booking,
    BookingEvent,
    CheckinRound,
    CheckinRoundStatus,
    Delivery,
    Job,
    Notice,
    OutboxMessage,
)
from catalog import Matcher
from catalog.loader import load_catalog

# Monday 3 March 2025, 10:00 in Seoul.
START = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)
DISTRICT, OTHER_DISTRICT = "gwangjin", "yongsan"
PROGRAM, PROVIDER = "gwangjin.nutrition", "gwangjin.welfare-union"
OFFICER, OTHER_OFFICER, RESIDENT_USER, CONTACT_USER = 5101, 5202, 6101, 6102
LINK = re.compile(r"(https?://\S+/login)#([A-Za-z0-9_-]+)")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class Clock:
    def __init__(self, start: datetime = START):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class World:
    engine: Engine
    clock: Clock
    conversation: Conversation
    settings: Settings
    booking_id: int
    round_id: int
    notice_id: int
    resident_chat: int

    def board_link(self, user_id: int = OFFICER) -> tuple[str, str]:
        """(the link's address, its token) from a real /board turn of `user_id`."""
        reply = self.conversation.handle(Incoming(user_id=user_id, chat_id=user_id, first_name="Kim",
                                                  kind=InputKind.TEXT, text="/board"))
        text = "\n".join(message.text for message in reply.messages)
        found = LINK.search(text)
        assert found, text
        return found.group(1), found.group(2)

    def snapshot(self) -> dict[str, object]:
        """What an action could change: compared before and after every refused request."""
        with session_scope(self.engine) as session:
            return {
                "bookings": sorted(session.exec(select(Booking.id, Booking.status, Booking.decline_reason)).all()),
                "events": session.exec(select(func.count()).select_from(BookingEvent)).one(),
                "jobs": session.exec(select(func.count()).select_from(Job)).one(),
                "outbox": session.exec(select(func.count()).select_from(OutboxMessage)).one(),
                "rounds": sorted(session.exec(select(CheckinRound.id, CheckinRound.status,
                                                     CheckinRound.reached_at)).all()),
                "notices": sorted(session.exec(select(Notice.id, Notice.status)).all()),
                "deliveries": session.exec(select(func.count()).select_from(Delivery)).one(),
                "live_sessions": session.exec(select(func.count()).select_from(BoardSession)
                                              .where(BoardSession.ended_at.is_(None))).one(),
            }


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def matcher(catalog):
    return Matcher(catalog)


def board_settings(**overrides) -> Settings:
    return Settings(_env_file=None, database_url="sqlite://", **overrides)


def populate(engine: Engine, clock: Clock, catalog) -> tuple[int, int, int]:
    """(booking id, escalated round id, running notice id), all in DISTRICT."""
    known = set(catalog.districts)
    now = clock()
    with session_scope(engine) as session:
        add_staff(session=session, telegram_id=OFFICER, district=DISTRICT, name="Officer Kim",
                  known_districts=known, now=now)
        add_staff(session=session, telegram_id=OTHER_OFFICER, district=OTHER_DISTRICT, name="Officer Lee",
                  known_districts=known, now=now)
        resident = register_resident(session=session, platform_user_id=RESIDENT_USER, chat_id=RESIDENT_USER,
                                     first_name="Mina", language="ko", district=DISTRICT, now=now)
        register_resident(session=session, platform_user_id=CONTACT_USER, chat_id=CONTACT_USER,
                          first_name="Jiwoo", language="ko", district=DISTRICT, now=now)
        booking = create_booking(session=session, resident=resident, program_id=PROGRAM,
                                 preferred_date=date(2025, 3, 5), time_window="morning", phone="01012345678",
                                 address_detail="101동 202호", note="무릎이 아파요", request_key="board-1", now=now)
        start_checkins(session=session, resident=resident, days=set(range(7)), at=time(9, 0), now=now)
        session.flush()
        rnd = CheckinRound(plan_id=_plan_id(session, resident.id), resident_id=resident.id,
                           scheduled_for=now - timedelta(hours=5), status=CheckinRoundStatus.ESCALATED,
                           claimed_at=now - timedelta(hours=5), sent_at=now - timedelta(hours=5),
                           alerted_at=now - timedelta(hours=1))
        session.add(rnd)
        notice = create_notice(session=session, district=DISTRICT, text="구청 알림입니다", now=now)
        start_notice(session=session, notice=notice, now=now)
        session.flush()
        return booking.id, rnd.id, notice.id


def _plan_id(session, resident_id: int) -> int:
    from bot.store.models import CheckinPlan

    return session.exec(select(CheckinPlan.id).where(CheckinPlan.resident_id == resident_id)).scalar_one()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def world(engine: Engine, clock: Clock, catalog, matcher) -> World:
    settings = board_settings()
    conversation = Conversation(catalog=catalog, matcher=matcher, engine=engine, settings=settings, clock=clock)
    booking_id, round_id, notice_id = populate(engine, clock, catalog)
    return World(engine=engine, clock=clock, conversation=conversation, settings=settings,
                 booking_id=booking_id, round_id=round_id, notice_id=notice_id, resident_chat=RESIDENT_USER)


@pytest.fixture
def board(world: World, catalog):
    app = build_board_app(engine=world.engine, catalog=catalog, settings=world.settings, clock=world.clock)
    return app


def new_client(app) -> TestClient:
    return TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)


def log_in(client: TestClient, token: str):
    """Open the login page (its CSRF nonce) and post the code, as the page's script does."""
    page = client.get("/login")
    csrf = CSRF.search(page.text).group(1)
    return client.post("/login", data={"code": token, "csrf": csrf})


def csrf_of(client: TestClient, path: str = "/today") -> str:
    return CSRF.search(client.get(path).text).group(1)
