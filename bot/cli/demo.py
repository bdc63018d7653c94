"""`ddokddok demo`: the whole bot at one terminal, with no token, for someone trying it first.

The terminal plays three people of one district: a resident, the district's staff member and
a member of one of its providers (`/as resident|staff|provider`). Each is registered the way
an operator would (`bot.people.staff.add_staff`, `bot.people.providers.add_member`); the
resident starts with /start like anyone. Messages to the others are printed as they would
arrive, labelled (`→ staff: …`), with their buttons numbered for when you become them.

The demo owns its clock: `/later 10m|2h|1d` moves it forward in steps, and at each step the
bot's timed jobs run once, as the Telegram bot's job queue would run them: the check-in
dispatcher (`bot.checkins.dispatch.dispatch_due`), the outbox sender
(`bot.sending.outbox_sender.drain_outbox`) and the notice sender (`bot.notices.sender`), their
messages printed instead of sent. So a check-in, its reminder and the alert to staff after no
answer can be seen in a minute. The same jobs run after every turn, at the same moment.

Everything lives in a throwaway SQLite file in a temporary folder, removed at exit: the demo
never touches DATABASE_URL's database, so it cannot alert real staff about a made-up resident.
"""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.adapters.console import LOCAL_USER_ID, Console
from bot.app import build_conversation, catalog_for_residents, close_store, open_store
from bot.checkins.dispatch import CheckinMessage, SendResult, dispatch_due, send_checkin_through
from bot.checkins.policy import CheckinPolicy
from bot.core.clock import KOREA, korea_time
from bot.core.messages import Outgoing
from bot.core.settings import Settings
from bot.notices.sender import NoticeSender
from bot.people.providers import add_member
from bot.people.staff import add_staff
from bot.sending.outbox_sender import drain_outbox
from bot.sending.send_rate import SendRateLimiter
from bot.store.db import session_scope

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from catalog import Catalog

log = logging.getLogger(__name__)

# The district the demo plays in, and the provider its provider member works for: a district
# whose catalog has providers, and one that repairs homes (a request a newcomer thinks of).
DISTRICT = "yongsan"
PROVIDER = "yongsan.the-plant-coop"


@dataclass(frozen=True)
class Role:
    name: str  # what /as takes and what labels messages to them
    korean: str  # what /as takes too
    user_id: int  # their Telegram id in the demo's world (user and chat)
    first_name: str


RESIDENT = Role("resident", "주민", LOCAL_USER_ID, "김영희")
STAFF = Role("staff", "담당자", 2, "용산구청 박주무관")
PROVIDER_MEMBER = Role("provider", "제공기관", 3, "더플랜트 이반장")
ROLE_OF_CHAT = {role.user_id: role for role in (RESIDENT, STAFF, PROVIDER_MEMBER)}
ROLES = {name: role for role in ROLE_OF_CHAT.values() for name in (role.name, role.korean)}
AS_HELP = "(/as resident | staff | provider — 주민 | 담당자 | 제공기관)"

BANNER = (
    "똑똑 체험 / ddokddok demo — /as 주민|담당자|제공기관 으로 사람 바꾸기, /later 10m|2h|1d 로 "
    "시간 보내기, /quit 끝. Switch people with /as resident|staff|provider, move time with "
    "/later 10m|2h|1d, /quit ends. A number presses a button. You are the resident: try /start."
)

# /later's amount: a number and a unit (m minutes, h hours, d days), at most a week.
LATER_PATTERN = re.compile(r"^(\d{1,4})\s*([mhd])$")
LATER_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
LATER_MAX = timedelta(days=7)
LATER_HELP = "(/later 10m, /later 2h, /later 1d: 최대 7일 / at most 7 days)"
# The clock moves by at most this much between two runs of the timed jobs: well inside the
# check-ins' grace period, so a check-in is sent, not skipped as too late.
TICK = timedelta(minutes=10)
# How long one run of the notice sender may go on; a notice not finished goes on next time.
NOTICE_RUN_SECONDS = 5.0


class DemoClock:
    """The demo's time: starts at a given moment and moves only when asked (`/later`)."""

    def __init__(self, start: datetime):
        if start.tzinfo is None:
            raise ValueError("the demo's clock starts at an aware time")
        self.now = start.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, by: timedelta) -> None:
        self.now += by


def parse_later(argument: str) -> timedelta | None:
    """`10m`, `2h`, `1d` as a span, or None when it is not one (or longer than LATER_MAX)."""
    match = LATER_PATTERN.match(argument.strip().lower())
    if match is None:
        return None
    span = int(match.group(1)) * LATER_UNITS[match.group(2)]
    return span if timedelta(0) < span <= LATER_MAX else None


class _PrintedOutbox:
    """The outbox sender's messenger: prints each message where the demo shows it."""

    def __init__(self, demo: DemoConsole):
        self.demo = demo

    async def send(self, message: Outgoing) -> None:
        self.demo.show([message])


class _PrintedNotices:
    """The notice sender's messenger: prints, and gives the message's id (progress is edited)."""

    def __init__(self, demo: DemoConsole):
        self.demo = demo

    async def send(self, message: Outgoing) -> int | None:
        self.demo.show([message])
        return self.demo.last_message_id(message.chat_id)


class DemoConsole(Console):
    """The terminal console playing every role, with `/as`, `/later` and the timed jobs."""

    banner = BANNER

    def __init__(self, *, conversation, engine: Engine, clock: DemoClock, policy: CheckinPolicy,
                 stdin: TextIO | None = None, stdout: TextIO | None = None):
        super().__init__(conversation=conversation, engine=engine, clock=clock,
                         first_name=RESIDENT.first_name, stdin=stdin, stdout=stdout)
        self.demo_clock = clock
        self.policy = policy
        self._loop = asyncio.new_event_loop()  # one loop, so the senders' locks stay valid
        self._outbox = _PrintedOutbox(self)
        self._notices = NoticeSender(
            engine=engine, transport=_PrintedNotices(self), clock=clock,
            # No messenger to spare: the rate only keeps the sender's own bookkeeping honest.
            limiter=SendRateLimiter(1000, per_chat_interval=0),
        )
        self._time_heading: str | None = None

    def close(self) -> None:
        self._loop.close()

    # --- who is who --------------------------------------------------------------------------
    def plays(self, chat_id: int) -> bool:
        return chat_id in ROLE_OF_CHAT

    def label_of(self, chat_id: int) -> str:
        role = ROLE_OF_CHAT.get(chat_id)
        return role.name if role is not None else super().label_of(chat_id)

    # --- the demo's own commands ---------------------------------------------------------------
    def turn(self, line: str) -> None:
        command, _, argument = line.partition(" ")
        if command == "/as":
            self.switch(argument.strip().lower())
        elif command == "/later":
            self.later(argument)
        else:
            super().turn(line)

    def switch(self, name: str) -> None:
        role = ROLES.get(name)
        if role is None:
            self._print(AS_HELP)
            return
        self.user_id = role.user_id
        self.first_name = role.first_name
        self._print(f"== 이제 {role.korean} ({role.first_name}) / now you are the {role.name} ==")
        buttons = self.shown_buttons()
        if buttons:  # what they were shown last, so a number presses what they would press
            self._print("   " + "  ".join(f"[{n}] {button.label}" for n, button in enumerate(buttons, 1)))

    def later(self, argument: str) -> None:
        span = parse_later(argument)
        if span is None:
            self._print(LATER_HELP)
            return
        until = self.demo_clock.now + span
        self.start_showing()
        while self.demo_clock.now < until:
            self.demo_clock.advance(min(TICK, until - self.demo_clock.now))
            self._time_heading = f"[{_shown_time(self.demo_clock.now)}]"
            self.run_timed_jobs()
        self._time_heading = None
        self.end_showing()
        self._print(f"⏩ 지금 / now: {_shown_time(self.demo_clock.now)} KST")

    # --- the timed jobs --------------------------------------------------------------------------
    def show_outbox(self, queued_before: int) -> None:
        """After a turn, the timed jobs run at once: the demo's whole outbox is its own."""
        self.run_timed_jobs()

    def run_timed_jobs(self) -> None:
        """One run of each timed job, as the Telegram bot's job queue runs them, in its order.
        A failure is shown and logged, and the demo goes on, as the bot's job queue would."""
        try:
            self._loop.run_until_complete(self._timed_jobs())
        except Exception as error:  # noqa: BLE001 (the log has the details)
            log.exception("a timed job failed in the demo")
            self._print(f"(오류 / error: {type(error).__name__})")

    async def _timed_jobs(self) -> None:
        await dispatch_due(engine=self.engine, now=self.clock(), send=self._send_checkin, policy=self.policy)
        await drain_outbox(engine=self.engine, transport=self._outbox, clock=self.clock)
        deadline = time.monotonic() + NOTICE_RUN_SECONDS
        await self._notices.run(keep_going=lambda: time.monotonic() < deadline)
        await drain_outbox(engine=self.engine, transport=self._outbox, clock=self.clock)

    async def _send_checkin(self, message: CheckinMessage) -> SendResult:
        return await send_checkin_through(self._outbox, message)

    def _print(self, text: str) -> None:
        if self._time_heading is not None:  # the moment of the first message of a step
            heading, self._time_heading = self._time_heading, None
            super()._print(heading)
        super()._print(text)


def _shown_time(moment: datetime) -> str:
    weekday = "월화수목금토일"[korea_time(moment).weekday()]
    return f"{korea_time(moment):%Y-%m-%d} ({weekday}) {korea_time(moment):%H:%M}"


def seed(engine: Engine, catalog: Catalog, now: datetime) -> None:
    """The district's staff member and the provider's member, registered as an operator would."""
    with session_scope(engine) as session:
        add_staff(session=session, telegram_id=STAFF.user_id, district=DISTRICT, name=STAFF.first_name,
                  known_districts=catalog.districts, now=now)
        add_member(session=session, catalog=catalog, telegram_id=PROVIDER_MEMBER.user_id,
                   provider_id=PROVIDER, name=PROVIDER_MEMBER.first_name, now=now)


def parse_start(value: str | None) -> datetime:
    """`--start` (ISO 8601, Korean time without an offset) or now."""
    if value is None:
        return datetime.now(UTC)
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=KOREA)


def run_demo(settings: Settings, *, start: datetime, stdin: TextIO | None = None,
             stdout: TextIO | None = None) -> int:
    """Play the demo until EOF or /quit, on a store made for it and removed afterwards."""
    # The terminal is a dialogue, its first line the banner: routine logs would interleave.
    logging.getLogger().setLevel(max(logging.getLogger().level, logging.WARNING))
    folder = Path(tempfile.mkdtemp(prefix="ddokddok-demo-"))
    try:
        demo_settings = settings.model_copy(update={
            "database_url": f"sqlite:///{(folder / 'demo.sqlite3').as_posix()}",
            "telegram_bot_token": None,
        })
        catalog = catalog_for_residents(demo_settings)
        clock = DemoClock(start)
        engine = open_store(demo_settings)
        try:
            seed(engine, catalog, clock())
            conversation = build_conversation(demo_settings, engine, clock=clock, catalog=catalog)
            console = DemoConsole(conversation=conversation, engine=engine, clock=clock,
                                  policy=CheckinPolicy.from_settings(demo_settings), stdin=stdin, stdout=stdout)
            try:
                return console.run()
            finally:
                console.close()
        finally:
            close_store(engine)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
