"""Wellness check-ins: ask residents who live alone how they are, and raise the alarm when one
stops answering.

A resident opts in with a plan (which weekdays, what time, in their zone: Korea by default).
Each planned check-in becomes one `CheckinRound` row; the database is the source of truth and a
scheduler only calls `dispatch_due(now=…)` every minute or so. The life of a round:

    scheduled ──claim──▶ sending ──send result──▶ awaiting ──+window──▶ reminded ──+window──▶ escalated
        │                  │  (lease over: sent-unknown)     │                │                 │ │
        │                  └───────────▶ awaiting            │                │   staff "visit" │ │ N missed
        │                                                    │                │                 ▼ ▼ in a row
        ├─ more than the grace period late ──▶ skipped        │                │            visit_needed
        └─ plan paused/changed/stopped: deleted               ▼                ▼                 │
                                                  cancelled (plan paused/changed/stopped)       │
    sending, awaiting, reminded, escalated, visit_needed ──answer──▶ answered                   │
    escalated, visit_needed ──staff "reached them"──▶ reached ◀──────────────────────────────────┘
    sending, never handed off ──lease over, or dispatch cancelled──▶ scheduled (deleted if the
        plan is no longer active)

- At most once. A round is claimed (scheduled → sending) in one committed transaction before it
  is handed to `send`; a restart or a second dispatcher finds it no longer `scheduled`. The
  claim is one statement, `WITH due AS MATERIALIZED (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)
  UPDATE … RETURNING`: on PostgreSQL concurrent dispatchers split the due rounds; SQLite (3.35
  or newer) ignores the locking clause and has one writer at a time anyway. Check-ins are
  claimed `CLAIM_BATCH` at a time, so a crash strands few claims.
- Sends are recorded where they happen. Just before a check-in goes to `send`, its hand-off is
  committed (`sent_at` set, only if the round is still this claim's); the send's result is
  committed in the next short transaction, together with the next hand-off (one transaction
  per check-in). Sends are one at a time, so whatever the moment of a crash, at most **one**
  round is handed off without a recorded result.
- A crash leaves claimed rounds in `sending`. Once the lease (`CheckinPolicy.send_lease`) is
  over, the next tick looks at the hand-off. Handed off: **sent, result unknown**: delivery
  `unknown`, the ladder goes on as if it was delivered (the reminder is the second chance), and
  the staff and contact alerts say the check-in may not have reached the resident. Sending
  again could greet someone twice; not sending could miss an alarm: the reply window and the
  reminder cover the second risk without taking the first. Never handed off: nothing reached
  the resident, so the round is due again (`scheduled`, its grace period still applying; dropped
  if the plan is no longer active) and its first message is the check-in, not a reminder. A
  dispatcher cancelled (or whose `send` raises a non-`Exception`) hands its unsent claims back
  at once, without waiting for the lease.
- Every due round is sent: plans are materialised ahead (`materialise_ahead`) into rounds by a
  unique (plan_id, scheduled_for) key, and each tick claims the oldest due rounds first, up to
  `limit` messages a tick (about what Telegram lets a bot send in a minute), so a crowd of
  10:00 check-ins is spread over the following minutes and `TickReport` says how late the last
  one was. A round that would go out more than `grace_period` late (the bot was down, or the
  backlog is that long) is recorded as `skipped` instead: a "how are you this morning?" at
  17:00 confuses more than it helps, and an alarm raised on it would be raised on our lateness.
  Skipped rounds do not count as missed.
- The ladder: no answer within `reply_window` → one reminder; none within a further window after
  the reminder → the district's staff (with [연락됐어요] [방문 필요] buttons) and the trusted
  contact are alerted through the outbox, in the same transaction as the escalation;
  `visit_needed_after_missed_rounds` escalations in a row → a "visit needed" alert. A check-in
  that could not be delivered (blocked, resident inactive) counts as not answered; staff are
  told once that the bot cannot reach the person, and the plan is set aside until they write
  again (`bot.checkins.reach`). Any answer later, or pausing or stopping the check-ins in the
  bot, sends an all clear to everyone who was alerted.

`send` contract: `send(CheckinMessage)` returns a `SendResult` (or its string value), directly
or as an awaitable; an async send is what the Telegram adapter gives (wrap `Transport.send`:
`RecipientBlocked` → BLOCKED, other `DeliveryError`s → FAILED, after acquiring the bot's shared
send rate), a plain function is what tests and the benchmark give. An exception from `send`
counts as FAILED for that message (logged); it is not retried, the reminder is the retry.
`dispatch_due` is a coroutine; its database work runs in a worker thread, as the outbox
sender's does, so the event loop keeps serving residents during a tick.

Time is always a parameter (`now`, aware UTC); nothing here decides by the clock (the phase
timings in `TickReport.seconds` only measure).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from time import perf_counter, sleep
from typing import Any

from sqlalchemy import Engine, Integer, String, bindparam, case, delete, insert, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from bot.checkins.reach import set_aside_unreachable
from bot.checkins.schedule import (
    DEFAULT_TIME_ZONE,
    UnknownTimeZone,
    first_occurrence_on_or_after,
    local_day,
    local_wall_time,
    next_occurrence,
    weekdays_mask,
    weekdays_of,
    zone,
)
from bot.store.models import (
    MAX_RECORD_ID,
    Booking,
    CheckinAlert,
    CheckinAlertKind,
    CheckinAnswer,
    CheckinContact,
    CheckinDelivery,
    CheckinPlan,
    CheckinPlanStatus,
    CheckinRound,
    CheckinRoundStatus,
    ContactStatus,
    Language,
    OutboxMessage,
    OutboxStatus,
    Resident,
    StaffMember,
    UtcDateTime,
)
from bot.sending.outbox import MAX_TEXT_LENGTH, Buttons, enqueue_message
from bot.core.settings import Settings
from bot.store.db import session_scope

log = logging.getLogger(__name__)

PLAN = CheckinPlan.__table__
ROUND = CheckinRound.__table__
ALERT = CheckinAlert.__table__
CONTACT = CheckinContact.__table__
OUTBOX = OutboxMessage.__table__
RESIDENT = Resident.__table__
STAFF = StaffMember.__table__
BOOKING = Booking.__table__

Status = CheckinRoundStatus

# About what Telegram lets one bot send in a minute (~30 messages a second), for one-minute ticks.
DEFAULT_SEND_LIMIT = 1500
# Rows per transaction when materialising plans, and ids per IN (...) list.
BATCH = 1000
IN_CHUNK = 500
# Check-ins claimed per transaction: a crash leaves at most this many claimed, all but the one
# in flight still due once the lease is over; more would only wait longer after a crash.
CLAIM_BATCH = 25
# A hand-off or result that fails to commit (the database busy past its timeout) is tried again
# after these pauses, in seconds; a round handed off is never sent again, whatever happens here.
RECORD_RETRY_PAUSES = (0.05, 0.5)
MAX_PAUSE_DAYS = 366

# Rounds that a resident's answer (a press, or any text) can still close.
OPEN_STATUSES = frozenset(
    {Status.SENDING, Status.AWAITING, Status.REMINDED, Status.ESCALATED, Status.VISIT_NEEDED}
)
ALERTED_STATUSES = frozenset({Status.ESCALATED, Status.VISIT_NEEDED})


@dataclass(frozen=True)
class CheckinPolicy:
    """How long the engine waits at each step. Built from `Settings` (`from_settings`)."""

    reply_window: timedelta = timedelta(hours=2)
    visit_needed_after_missed_rounds: int = 3
    grace_period: timedelta = timedelta(minutes=30)
    # How long a claimed round belongs to the dispatcher sending it (see the module doc); longer
    # than sending one tick's batch takes (1,500 messages at 30 a second: under a minute).
    send_lease: timedelta = timedelta(minutes=1)
    # Plans are turned into rounds this far ahead, so a crowd due at 10:00 is materialised over
    # the hour before, a few thousand rows a tick, instead of in the 10:00 tick.
    materialise_ahead: timedelta = timedelta(hours=1)
    # How many past check-ins a staff alert lists.
    history_rounds: int = 7

    def __post_init__(self) -> None:
        for name in ("reply_window", "grace_period", "send_lease"):
            if getattr(self, name) <= timedelta(0):
                raise ValueError(f"CheckinPolicy.{name} must be positive")
        if self.materialise_ahead < timedelta(0):
            raise ValueError("CheckinPolicy.materialise_ahead cannot be negative")
        if self.visit_needed_after_missed_rounds < 1 or self.history_rounds < 1:
            raise ValueError("CheckinPolicy counts must be at least 1")


    @classmethod
    def from_settings(cls, settings: Settings) -> CheckinPolicy:
        """The waits and counts an operator set (`CHECKIN_*`)."""
        return cls(
            reply_window=timedelta(minutes=settings.checkin_reply_window_minutes),
            visit_needed_after_missed_rounds=settings.checkin_visit_needed_after_missed_rounds,
            grace_period=timedelta(minutes=settings.checkin_grace_period_minutes),
            send_lease=timedelta(minutes=settings.checkin_send_lease_minutes),
        )


DEFAULT_POLICY = CheckinPolicy()


# --- errors -----------------------------------------------------------------------------------


class CheckinError(Exception):
    """Base of the expected failures of check-in services; the edge turns them into replies."""


class InvalidPlan(CheckinError, ValueError):
    def __init__(self, field_name: str, reason: str):
        self.field_name = field_name
        self.reason = reason
        super().__init__(f"{field_name}: {reason}")


class NoPlan(CheckinError, LookupError):
    """The resident has no active or paused check-in plan."""

    def __init__(self, resident_id: int | None):
        self.resident_id = resident_id
        super().__init__(f"resident {resident_id} has no check-in plan")


class RoundNotFound(CheckinError, LookupError):
    def __init__(self, round_id: int):
        self.round_id = round_id
        super().__init__(f"no check-in round {round_id}")


class NotAllowed(CheckinError, PermissionError):
    """Someone acted on a round or invitation that is not theirs (forged button data, another
    resident's round, staff of another district, an invitation meant for someone else)."""

    def __init__(self, what: str, target_id: int | None, action: str):
        self.what = what
        self.target_id = target_id
        self.action = action
        super().__init__(f"not allowed to {action} {what} {target_id}")


class RoundNotOpen(CheckinError):
    """The round was never sent (so no one could have pressed its buttons) or is not in a state
    that allows the action."""

    def __init__(self, round_id: int, status: str, action: str):
        self.round_id = round_id
        self.status = status
        self.action = action
        super().__init__(f"cannot {action} check-in round {round_id} in status {status}")


class InvalidAnswer(CheckinError, ValueError):
    def __init__(self, answer: object):
        self.answer = answer
        super().__init__(f"unknown check-in answer {answer!r}")


class InvalidInvitation(CheckinError, ValueError):
    """`reason`: "self" (inviting oneself), "unreachable" (the contact blocked the bot)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(f"cannot invite this contact: {reason}")


class InvitationNotFound(CheckinError, LookupError):
    def __init__(self, invitation_id: int):
        self.invitation_id = invitation_id
        super().__init__(f"no invitation {invitation_id}")


class InvitationClosed(CheckinError):
    def __init__(self, invitation_id: int, status: str):
        self.invitation_id = invitation_id
        self.status = status
        super().__init__(f"invitation {invitation_id} is {status}")


# --- button data ------------------------------------------------------------------------------


class CheckinAction(StrEnum):
    """What a check-in button press asks for; `ci:<action>:<id>` (at most 26 bytes)."""

    OK = "ok"  # resident: 괜찮아요 (id: round)
    HELP = "help"  # resident: 도움이 필요해요
    HARD = "hard"  # resident: 오늘은 좀 힘들어요
    ALERT_STAFF = "alert"  # resident, after "help": tell the district's staff
    REACHED = "reached"  # staff: 연락됐어요
    VISIT = "visit"  # staff: 방문 필요
    ACCEPT_CONTACT = "cyes"  # invited contact (id: invitation)
    DECLINE_CONTACT = "cno"


ANSWER_ACTIONS = {
    CheckinAction.OK: CheckinAnswer.OK,
    CheckinAction.HELP: CheckinAnswer.HELP,
    CheckinAction.HARD: CheckinAnswer.HARD,
}
_PRESS = re.compile(r"ci:([a-z]{2,8}):([1-9][0-9]{0,17})")


@dataclass(frozen=True)
class CheckinPress:
    action: CheckinAction
    target_id: int  # a round id, or an invitation id for the contact actions


def checkin_button_data(action: CheckinAction, target_id: int) -> str:
    data = f"ci:{CheckinAction(action).value}:{int(target_id)}"
    assert len(data.encode()) <= 64
    return data


def parse_checkin_press(data: str) -> CheckinPress | None:
    """The press in `data`, or None when it is not exactly a check-in button's data.

    Only the shape is checked here; the services check who pressed against the database.
    """
    match = _PRESS.fullmatch(data or "")
    if match is None:
        return None
    try:
        action = CheckinAction(match.group(1))
    except ValueError:
        return None
    target_id = int(match.group(2))
    if target_id > MAX_RECORD_ID:  # names no row: refused as unreadable, not a failing query
        return None
    return CheckinPress(action=action, target_id=target_id)


# --- texts ------------------------------------------------------------------------------------
# In data/messages/<language>.toml, table [checkins] (key "staff.missed" here is
# "checkins.staff_missed" there), loaded once; same tone rules: short, plain, 해요체.


@cache
def _texts():
    from bot.core.texts import Texts  # the package's __init__ imports nothing

    return Texts.load()


_WEEKDAYS = {"ko": "월화수목금토일", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _lang(language: str | None) -> str:
    return language if language in _texts().by_language else Language.KO.value


def _t(language: str | None, key: str, **values: object) -> str:
    return _texts().get(_lang(language), "checkins." + key.replace(".", "_"), **values)


def _name(language: str, first_name: str | None) -> str:
    return (first_name or "").strip() or _t(language, "no_name")


def _when(language: str, instant: datetime) -> str:
    local = local_wall_time(instant, DEFAULT_TIME_ZONE)
    language = _lang(language)
    month = _MONTHS_EN[local.month - 1] if language == Language.EN else local.month
    return _t(language, "when", month=month, day=local.day,
              weekday=_WEEKDAYS[language][local.weekday()], hhmm=local.strftime("%H:%M"))


def _hello(language: str, first_name: str | None) -> str:
    name = (first_name or "").strip()
    return _t(language, "hello.named", name=name) if name else _t(language, "hello")


def checkin_buttons(language: str, round_id: int) -> Buttons:
    """The three answers, one per row (big targets for older thumbs)."""
    ok, help_, hard = (_t(language, key) for key in ("button.ok", "button.help", "button.hard"))
    # Formatted directly (not through checkin_button_data): built 1,500 times a busy tick.
    return [
        [{"text": ok, "data": f"ci:ok:{round_id}"}],
        [{"text": help_, "data": f"ci:help:{round_id}"}],
        [{"text": hard, "data": f"ci:hard:{round_id}"}],
    ]


def _staff_buttons(language: str, round_id: int, *, visit: bool = True) -> Buttons:
    row = [{"text": _t(language, "button.reached"),
            "data": checkin_button_data(CheckinAction.REACHED, round_id)}]
    if visit:
        row.append({"text": _t(language, "button.visit"),
                    "data": checkin_button_data(CheckinAction.VISIT, round_id)})
    return [row]


def _fit(text: str) -> str:
    return text if len(text) <= MAX_TEXT_LENGTH else text[: MAX_TEXT_LENGTH - 1] + "…"


# --- plans ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanView:
    """A resident's plan as the conversation shows it."""

    days: frozenset[int]  # Monday = 0 … Sunday = 6
    at: time
    tz: str
    status: CheckinPlanStatus
    paused_until: date | None
    next_checkin_at: datetime | None  # UTC; None when stopped
    missed_in_row: int

    @property
    def next_checkin_local(self) -> datetime | None:
        return None if self.next_checkin_at is None else local_wall_time(self.next_checkin_at, self.tz)


def start_checkins(
    *,
    session: Session,
    resident: Resident,
    days: set[int] | frozenset[int],
    at: time,
    now: datetime,
    tz: str = DEFAULT_TIME_ZONE,
) -> PlanView:
    """Start check-ins on `days` (0 = Monday) at local time `at` in `tz`, or change the plan.

    The first check-in is the next planned time strictly after `now`. Changing a plan drops
    the check-ins materialised but not sent yet and closes (cancelled) a sent one still
    waiting for an answer: the resident is talking to the bot, which is answer enough.
    Calling it again with the same plan changes nothing.
    """
    _saved(resident)
    try:
        mask = weekdays_mask(days)
    except (TypeError, ValueError) as error:
        raise InvalidPlan("days", str(error)) from error
    if not isinstance(at, time) or at.tzinfo is not None:
        raise InvalidPlan("at", "a local wall-clock time without time zone (use tz)")
    at = at.replace(second=0, microsecond=0)
    try:
        zone(tz)
    except UnknownTimeZone as error:
        raise InvalidPlan("tz", str(error)) from error

    plan = _plan_of(session, resident.id, for_update=True)
    if plan is None:
        plan = CheckinPlan(resident_id=resident.id, local_time=at, created_at=now, updated_at=now)
    elif (plan.status == CheckinPlanStatus.ACTIVE and plan.weekdays == mask
          and plan.local_time == at and plan.time_zone == tz):
        return _view(session, plan)
    else:
        _close_pending_rounds(session, plan.id, now)
    plan.weekdays = mask
    plan.local_time = at
    plan.time_zone = tz
    plan.status = CheckinPlanStatus.ACTIVE
    plan.paused_until = None
    plan.missed_in_row = 0
    plan.next_due_at = next_occurrence(weekdays=mask, at=at, tz=tz, after=now)
    plan.updated_at = now
    session.add(plan)
    session.flush()
    log.info("check-ins planned for resident %s (weekdays %s at %s %s)",
             resident.id, sorted(weekdays_of(mask)), at.strftime("%H:%M"), tz)
    return _view(session, plan)


def pause_checkins(*, session: Session, resident: Resident, until: date, now: datetime) -> PlanView:
    """No check-ins up to and including local day `until` ("travelling until Sunday": the next
    one is on the first planned day after Sunday); then they resume by themselves."""
    plan = _live_plan(session, resident)
    today = local_day(now, plan.time_zone)
    if until < today:
        raise InvalidPlan("until", "in the past")
    if until > today + timedelta(days=MAX_PAUSE_DAYS):
        raise InvalidPlan("until", f"more than {MAX_PAUSE_DAYS} days ahead")
    _close_pending_rounds(session, plan.id, now)
    _send_all_clear(session, resident, now, because="paused")
    plan.status = CheckinPlanStatus.PAUSED
    plan.paused_until = until
    plan.next_due_at = first_occurrence_on_or_after(
        weekdays=plan.weekdays, at=plan.local_time, tz=plan.time_zone, day=until + timedelta(days=1)
    )
    plan.updated_at = now
    session.add(plan)
    session.flush()
    log.info("check-ins of resident %s paused until %s", resident.id, until)
    return _view(session, plan)


def resume_checkins(*, session: Session, resident: Resident, now: datetime) -> PlanView:
    """End a pause (or the wait for an unreachable resident to write) now; the next check-in
    is the next planned time after `now`."""
    plan = _live_plan(session, resident)
    if plan.status in (CheckinPlanStatus.PAUSED, CheckinPlanStatus.UNREACHABLE):
        _close_pending_rounds(session, plan.id, now)
        plan.status = CheckinPlanStatus.ACTIVE
        plan.paused_until = None
        plan.next_due_at = next_occurrence(
            weekdays=plan.weekdays, at=plan.local_time, tz=plan.time_zone, after=now
        )
        plan.updated_at = now
        session.add(plan)
        session.flush()
        log.info("check-ins of resident %s resumed", resident.id)
    return _view(session, plan)


def stop_checkins(*, session: Session, resident: Resident, now: datetime) -> bool:
    """Stop check-ins; False when there was nothing to stop. Past rounds stay as a record."""
    plan = _plan_of(session, _saved(resident), for_update=True)
    if plan is None or plan.status == CheckinPlanStatus.STOPPED:
        return False
    _close_pending_rounds(session, plan.id, now)
    _send_all_clear(session, resident, now, because="stopped")
    plan.status = CheckinPlanStatus.STOPPED
    plan.paused_until = None
    plan.next_due_at = None
    plan.updated_at = now
    session.add(plan)
    session.flush()
    log.info("check-ins of resident %s stopped", resident.id)
    return True


def get_plan(*, session: Session, resident: Resident) -> PlanView | None:
    """The resident's plan (stopped plans included, with status STOPPED), or None."""
    plan = _plan_of(session, _saved(resident))
    return None if plan is None else _view(session, plan)


def _saved(resident: Resident) -> int:
    if resident.id is None:
        raise InvalidPlan("resident", "the resident has not been saved")
    return resident.id


def _plan_of(session: Session, resident_id: int, *, for_update: bool = False) -> CheckinPlan | None:
    query = select(CheckinPlan).where(CheckinPlan.resident_id == resident_id)
    if for_update:
        query = query.with_for_update()
    return session.execute(query).scalars().first()


def _live_plan(session: Session, resident: Resident) -> CheckinPlan:
    plan = _plan_of(session, _saved(resident), for_update=True)
    if plan is None or plan.status == CheckinPlanStatus.STOPPED:
        raise NoPlan(resident.id)
    return plan


def _close_pending_rounds(session: Session, plan_id: int, now: datetime) -> None:
    # Rounds materialised but not claimed carry no information: delete them, so that the new
    # schedule can materialise the same instant again (unique plan_id + scheduled_for).
    session.execute(delete(ROUND).where(ROUND.c.plan_id == plan_id,
                                        ROUND.c.status == Status.SCHEDULED))
    session.execute(
        update(ROUND)
        .where(ROUND.c.plan_id == plan_id,
               ROUND.c.status.in_([Status.AWAITING, Status.REMINDED]))
        .values(status=Status.CANCELLED, due_at=None)
    )


def _view(session: Session, plan: CheckinPlan) -> PlanView:
    upcoming = session.execute(
        select(ROUND.c.scheduled_for)
        .where(ROUND.c.plan_id == plan.id, ROUND.c.status == Status.SCHEDULED)
        .order_by(ROUND.c.scheduled_for)
        .limit(1)
    ).scalar()
    candidates = [t for t in (upcoming, plan.next_due_at) if t is not None]
    return PlanView(
        days=weekdays_of(plan.weekdays),
        at=plan.local_time,
        tz=plan.time_zone,
        status=CheckinPlanStatus(plan.status),
        paused_until=plan.paused_until,
        next_checkin_at=min(candidates) if candidates else None,
        missed_in_row=plan.missed_in_row,
    )


# --- the trusted contact ----------------------------------------------------------------------


def invite_contact(
    *, session: Session, resident: Resident, contact_resident: Resident, now: datetime
) -> CheckinContact:
    """Ask `contact_resident` (someone who has started the bot) to be told when `resident`
    stops answering. Replaces an earlier contact; inviting the same person again changes
    nothing. The invitation goes to the contact through the outbox, with accept/decline buttons.
    """
    _saved(resident)
    if contact_resident.id is None or contact_resident.id == resident.id:
        raise InvalidInvitation("self")
    if not contact_resident.active:
        raise InvalidInvitation("unreachable")
    row = session.execute(
        select(CheckinContact).where(CheckinContact.resident_id == resident.id).with_for_update()
    ).scalars().first()
    if (row is not None and row.contact_resident_id == contact_resident.id
            and row.status in (ContactStatus.PENDING, ContactStatus.ACCEPTED)):
        return row
    if row is None:
        row = CheckinContact(resident_id=resident.id, contact_resident_id=contact_resident.id,
                             invited_at=now)
    row.contact_resident_id = contact_resident.id
    row.status = ContactStatus.PENDING
    row.invited_at = now
    row.answered_at = None
    session.add(row)
    session.flush()
    language = contact_resident.language
    enqueue_message(
        session=session,
        chat_id=contact_resident.chat_id,
        text=_fit(_t(language, "invite", name=_name(language, resident.first_name),
                     contact=_name(language, contact_resident.first_name))),
        buttons=[[
            {"text": _t(language, "button.accept"),
             "data": checkin_button_data(CheckinAction.ACCEPT_CONTACT, row.id)},
            {"text": _t(language, "button.decline"),
             "data": checkin_button_data(CheckinAction.DECLINE_CONTACT, row.id)},
        ]],
        resident_id=resident.id,
        now=now,
    )
    log.info("resident %s invited resident %s as check-in contact", resident.id, contact_resident.id)
    return row


def accept_invitation(
    *, session: Session, contact_resident: Resident, invitation_id: int, now: datetime
) -> CheckinContact:
    """The invited person accepts; only they may. Accepting twice changes nothing."""
    return _answer_invitation(session, contact_resident, invitation_id, now, ContactStatus.ACCEPTED)


def decline_invitation(
    *, session: Session, contact_resident: Resident, invitation_id: int, now: datetime
) -> CheckinContact:
    """The invited person declines (or, having accepted, steps back); only they may."""
    return _answer_invitation(session, contact_resident, invitation_id, now, ContactStatus.DECLINED)


def remove_contact(*, session: Session, resident: Resident, now: datetime) -> bool:
    row = get_contact(session=session, resident=resident)
    if row is None or row.status in (ContactStatus.DECLINED, ContactStatus.REVOKED):
        return False
    row.status = ContactStatus.REVOKED
    row.answered_at = now
    session.add(row)
    session.flush()
    return True


def get_contact(*, session: Session, resident: Resident) -> CheckinContact | None:
    return session.execute(
        select(CheckinContact).where(CheckinContact.resident_id == _saved(resident))
    ).scalars().first()


def _answer_invitation(
    session: Session, contact_resident: Resident, invitation_id: int, now: datetime,
    target: ContactStatus,
) -> CheckinContact:
    row = session.execute(
        select(CheckinContact).where(CheckinContact.id == invitation_id).with_for_update()
    ).scalars().first()
    if row is None:
        raise InvitationNotFound(invitation_id)
    if contact_resident.id is None or row.contact_resident_id != contact_resident.id:
        raise NotAllowed("invitation", invitation_id, f"set to {target}")
    if row.status == target:
        return row
    allowed = {ContactStatus.PENDING} | (
        {ContactStatus.ACCEPTED} if target == ContactStatus.DECLINED else set()
    )
    if row.status not in allowed:
        raise InvitationClosed(invitation_id, row.status)
    row.status = target
    row.answered_at = now
    session.add(row)
    session.flush()
    resident = session.get(Resident, row.resident_id)
    if resident is not None:
        key = "invite.accepted" if target == ContactStatus.ACCEPTED else "invite.declined"
        # Filed under the contact it names, as the invitation is filed under the inviter: /forget
        # of either deletes it (the recipient's by chat, the one named by resident id).
        enqueue_message(session=session, chat_id=resident.chat_id, resident_id=contact_resident.id, now=now,
                        text=_t(resident.language, key,
                                contact=_name(resident.language, contact_resident.first_name)))
    log.info("check-in invitation %s %s", invitation_id, target)
    return row


# --- answers ----------------------------------------------------------------------------------


class NextStep(StrEnum):
    """What the conversation should do after an answer."""

    THANK = "thank"  # "ok": a warm thank-you
    OFFER_HELP = "offer_help"  # "help": offer the matcher's categories, or alert staff (ci:alert)
    COMFORT = "comfort"  # "hard": a kind word, and the programs for talking to someone
    CONTINUE = "continue"  # free text: the conversation handles the text itself


@dataclass(frozen=True)
class AnswerOutcome:
    round_id: int
    answer: CheckinAnswer
    next_step: NextStep
    already_answered: bool  # the round had an answer before this one
    late: bool  # answered after staff (and the contact) had been alerted
    all_clear_sent: int  # all-clear messages queued for the people who had been alerted


_NEXT_STEP = {
    CheckinAnswer.OK: NextStep.THANK,
    CheckinAnswer.HELP: NextStep.OFFER_HELP,
    CheckinAnswer.HARD: NextStep.COMFORT,
    CheckinAnswer.TEXT: NextStep.CONTINUE,
}


def open_round_id(*, session: Session, resident: Resident) -> int | None:
    """The round a free-text message from `resident` answers: their latest sent round, if it is
    still open. The conversation calls `record_answer(answer="text")` with its id. Asked on
    every typed message, so the statement is built once and reads two columns, not a round."""
    latest = session.execute(_LATEST_SENT_ROUND, {"resident_id": _saved(resident)}).first()
    return latest.id if latest is not None and latest.status in OPEN_STATUSES else None


_ROUND = CheckinRound.__table__
_LATEST_SENT_ROUND = (
    select(_ROUND.c.id, _ROUND.c.status)
    .where(_ROUND.c.resident_id == bindparam("resident_id"), _ROUND.c.claimed_at.is_not(None))
    .order_by(_ROUND.c.scheduled_for.desc())
    .limit(1)
)


def record_answer(
    *, session: Session, resident: Resident, round_id: int, answer: str, now: datetime
) -> AnswerOutcome:
    """Record `resident`'s answer ("ok", "help", "hard", or "text" for a written reply).

    The round must be the resident's and must have been sent: a forged or foreign round id
    raises `RoundNotFound` / `NotAllowed` / `RoundNotOpen` and changes nothing. Any answer
    resets the missed-in-a-row count, and if anyone had been alerted about this resident
    (this round or an earlier one) without an all clear yet, they get one now.
    A second press on the same round keeps the first answer time; a button answer replaces
    an earlier one (so "help" after "ok" is not lost), a text does not replace a button.
    """
    try:
        given = CheckinAnswer(answer)
    except ValueError as error:
        raise InvalidAnswer(answer) from error
    rnd = _round_for_update(session, round_id)
    if resident.id is None or rnd.resident_id != resident.id:
        raise NotAllowed("check-in round", round_id, "answer")
    if rnd.claimed_at is None:
        raise RoundNotOpen(round_id, rnd.status, "answer")

    already = rnd.answered_at is not None
    late = rnd.alerted_at is not None
    if not already:
        rnd.answered_at = now
    if not already or given != CheckinAnswer.TEXT:
        rnd.answer = given
    if rnd.status != Status.REACHED:
        rnd.status = Status.ANSWERED
    rnd.due_at = None
    session.add(rnd)
    session.execute(
        update(PLAN).where(PLAN.c.id == rnd.plan_id)
        .values(missed_in_row=0, last_answer=rnd.answer, last_answered_at=now, updated_at=now)
    )
    session.flush()
    cleared = _send_all_clear(session, resident, now, answer=CheckinAnswer(rnd.answer))
    if late:
        log.info("late check-in answer from resident %s (round %s); %s told", resident.id,
                 round_id, cleared)
    return AnswerOutcome(round_id=round_id, answer=given, next_step=_NEXT_STEP[given],
                         already_answered=already, late=late, all_clear_sent=cleared)


def alert_staff_for_help(*, session: Session, resident: Resident, round_id: int, now: datetime) -> int:
    """The resident answered "help" and chose to have staff contact them: alert the district's
    staff (with the phone of their latest request, if any, and recent check-ins). Returns how
    many were alerted; a second call for the same round alerts no one again (returns 0)."""
    rnd = _round_for_update(session, round_id)
    if resident.id is None or rnd.resident_id != resident.id:
        raise NotAllowed("check-in round", round_id, "ask for help on")
    if rnd.claimed_at is None:
        raise RoundNotOpen(round_id, rnd.status, "ask for help on")
    if rnd.help_alerted_at is not None:
        return 0
    rnd.help_alerted_at = now
    if rnd.answered_at is None:
        rnd.answered_at, rnd.answer, rnd.status, rnd.due_at = now, CheckinAnswer.HELP, Status.ANSWERED, None
    session.add(rnd)
    session.flush()
    conn = session.connection()
    people = _People.load(conn, [resident.id], now, DEFAULT_POLICY)
    person = people.residents[resident.id]
    outbox, alerts = [], []
    for member in people.staff.get(person.district, []):
        text = _t(member.language, "staff.help", **people.details(member.language, person))
        outbox.append(_outbox_row(member.chat_id, person.id, text,
                                  _staff_buttons(member.language, rnd.id, visit=False), now))
        alerts.append(_alert_row(rnd.id, member.chat_id, "staff", CheckinAlertKind.HELP, now))
    _queue(conn, outbox, alerts)
    if not outbox:
        log.warning("no staff in district %s for the help request of resident %s",
                    person.district, resident.id)
    return len(outbox)


def _round_for_update(session: Session, round_id: int) -> CheckinRound:
    if isinstance(round_id, bool) or not isinstance(round_id, int):
        raise RoundNotFound(round_id)
    rnd = session.execute(
        select(CheckinRound).where(CheckinRound.id == round_id).with_for_update()
    ).scalars().first()
    if rnd is None:
        raise RoundNotFound(round_id)
    return rnd


# --- staff ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffActionOutcome:
    round_id: int
    resident_id: int
    status: CheckinRoundStatus
    changed: bool  # False: someone (the resident, another officer) had settled it already
    notified: int  # messages queued for the others concerned


def staff_mark_reached(
    *, session: Session, staff: StaffMember, round_id: int, now: datetime
) -> StaffActionOutcome:
    """Staff of the resident's district reached them: the round (and any other open alert about
    the resident) is settled, the count of missed rounds starts again, and everyone else who
    was alerted (other staff, the contact) is told."""
    rnd, resident = _staff_round(session, staff, round_id, "mark reached")
    if rnd.status in ALERTED_STATUSES:
        rnd.status = Status.REACHED
    elif rnd.help_alerted_at is None or rnd.reached_at is not None:
        return StaffActionOutcome(rnd.id, resident.id, Status(rnd.status), False, 0)
    rnd.reached_at = now
    rnd.handled_by_staff_id = staff.id
    rnd.due_at = None
    session.add(rnd)
    session.execute(update(PLAN).where(PLAN.c.id == rnd.plan_id)
                    .values(missed_in_row=0, updated_at=now))
    session.flush()
    notified = _send_all_clear(session, resident, now, by_staff=staff)
    log.info("staff %s reached resident %s (round %s)", staff.id, resident.id, rnd.id)
    return StaffActionOutcome(rnd.id, resident.id, Status(rnd.status), True, notified)


def staff_mark_visit_needed(
    *, session: Session, staff: StaffMember, round_id: int, now: datetime
) -> StaffActionOutcome:
    """Staff of the resident's district could not reach them and someone must go: the round
    becomes `visit_needed` and the district's other staff are told."""
    rnd, resident = _staff_round(session, staff, round_id, "mark visit needed")
    if rnd.status != Status.ESCALATED:
        return StaffActionOutcome(rnd.id, resident.id, Status(rnd.status), False, 0)
    rnd.status = Status.VISIT_NEEDED
    rnd.handled_by_staff_id = staff.id
    session.add(rnd)
    session.flush()
    conn = session.connection()
    people = _People.load(conn, [resident.id], now, DEFAULT_POLICY)
    person = people.residents[resident.id]
    outbox, alerts = [], []
    for member in people.staff.get(person.district, []):
        if member.chat_id == staff.telegram_id:
            continue
        text = _t(member.language, "staff.visit_marked", staff=staff.name,
                  **people.details(member.language, person))
        outbox.append(_outbox_row(member.chat_id, person.id, text,
                                  _staff_buttons(member.language, rnd.id, visit=False), now))
        alerts.append(_alert_row(rnd.id, member.chat_id, "staff", CheckinAlertKind.VISIT_NEEDED, now))
    _queue(conn, outbox, alerts)
    log.info("staff %s marked resident %s as needing a visit (round %s)", staff.id, resident.id, rnd.id)
    return StaffActionOutcome(rnd.id, resident.id, Status(rnd.status), True, len(outbox))


def _staff_round(
    session: Session, staff: StaffMember, round_id: int, action: str
) -> tuple[CheckinRound, Resident]:
    rnd = _round_for_update(session, round_id)
    resident = session.get(Resident, rnd.resident_id)
    if resident is None or staff.id is None or resident.district != staff.district:
        raise NotAllowed("check-in round", round_id, action)
    if rnd.alerted_at is None and rnd.help_alerted_at is None:
        raise RoundNotOpen(round_id, rnd.status, action)  # staff were never shown this round
    return rnd, resident


# --- all clear --------------------------------------------------------------------------------


def _send_all_clear(
    session: Session,
    resident: Resident,
    now: datetime,
    *,
    answer: CheckinAnswer | None = None,
    by_staff: StaffMember | None = None,
    because: str | None = None,
) -> int:
    """Tell everyone alerted about `resident` (missed / visit needed, not yet cleared) that all
    is well; returns how many messages were queued. `by_staff` is left out (they know).
    `because` ("paused", "stopped"): the resident changed their plan in the bot instead of
    answering, which shows just as well that they are there."""
    conn = session.connection()
    open_ids = [row.id for row in conn.execute(
        select(ROUND.c.id).where(ROUND.c.resident_id == resident.id,
                                 ROUND.c.alerted_at.is_not(None), ROUND.c.all_clear_at.is_(None))
    )]
    if not open_ids:
        return 0
    recipients: dict[int, tuple[str, int | None]] = {}
    for row in conn.execute(
        select(ALERT.c.chat_id, ALERT.c.recipient, ALERT.c.contact_resident_id)
        .where(ALERT.c.round_id.in_(open_ids),
               ALERT.c.kind.in_([CheckinAlertKind.MISSED, CheckinAlertKind.VISIT_NEEDED]))
        .order_by(ALERT.c.id)
    ):
        recipients.setdefault(row.chat_id, (row.recipient, row.contact_resident_id))
    if by_staff is not None:
        recipients.pop(by_staff.telegram_id, None)
    # An officer removed since the alert is told nothing more about the resident.
    still_staff = {row.telegram_id for row in conn.execute(
        select(STAFF.c.telegram_id).where(STAFF.c.telegram_id.in_(
            [chat for chat, (recipient, _) in recipients.items() if recipient == "staff"])))}
    recipients = {chat: value for chat, value in recipients.items()
                  if value[0] != "staff" or chat in still_staff}
    languages = _languages_of_chats(conn, list(recipients))
    outbox, alerts = [], []
    for chat_id, (recipient, contact_resident_id) in recipients.items():
        language = languages.get(chat_id, Language.KO)
        name = _name(language, resident.first_name)
        if by_staff is not None:
            text = _t(language, "all_clear.reached", staff=by_staff.name, name=name)
        elif because is not None:
            text = _t(language, f"all_clear.{because}", name=name)
        else:
            text = _t(language, "all_clear.answered", name=name,
                      answer=_t(language, f"answer.{answer or CheckinAnswer.TEXT}"))
        outbox.append(_outbox_row(chat_id, resident.id, text, None, now))
        alerts.append(_alert_row(open_ids[-1], chat_id, recipient, CheckinAlertKind.ALL_CLEAR, now,
                                 contact_resident_id))
    _queue(conn, outbox, alerts)
    conn.execute(update(ROUND).where(ROUND.c.id.in_(open_ids)).values(all_clear_at=now))
    return len(outbox)


def _languages_of_chats(conn, chat_ids: list[int]) -> dict[int, str]:
    """The language of each chat's person when they are a resident (staff too, when they
    have a resident profile); in a private chat the chat id is the user id."""
    languages: dict[int, str] = {}
    for chunk in _chunks(chat_ids):
        for row in conn.execute(
            select(RESIDENT.c.chat_id, RESIDENT.c.platform_user_id, RESIDENT.c.language)
            .where(or_(RESIDENT.c.chat_id.in_(chunk), RESIDENT.c.platform_user_id.in_(chunk)))
        ):
            languages.setdefault(row.chat_id, row.language)
            languages.setdefault(row.platform_user_id, row.language)
    return languages


# --- who to tell, and what ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Person:
    id: int
    chat_id: int
    first_name: str
    language: str
    district: str
    active: bool


@dataclass(frozen=True)
class _Recipient:
    chat_id: int
    language: str
    name: str
    resident_id: int | None = None  # set for a trusted contact


@dataclass
class _People:
    """Everything alerts about a batch of residents need, loaded with a few batched queries."""

    residents: dict[int, _Person]
    staff: dict[str, list[_Recipient]]
    contacts: dict[int, _Recipient]  # resident id → their accepted, reachable contact
    phones: dict[int, str]
    history: dict[int, list[tuple[datetime, str, str | None]]]  # newest first
    plans: dict[int, tuple[int, str | None, datetime | None]]  # missed, last answer, when

    @classmethod
    def load(cls, conn, resident_ids: Iterable[int], now: datetime, policy: CheckinPolicy) -> _People:
        ids = sorted(set(resident_ids))
        residents: dict[int, _Person] = {}
        contacts: dict[int, _Recipient] = {}
        phones: dict[int, str] = {}
        history: dict[int, list] = defaultdict(list)
        plans: dict[int, tuple] = {}
        since = now - timedelta(days=policy.history_rounds + 1)
        for chunk in _chunks(ids):
            for row in conn.execute(select(
                RESIDENT.c.id, RESIDENT.c.chat_id, RESIDENT.c.first_name, RESIDENT.c.language,
                RESIDENT.c.district, RESIDENT.c.active,
            ).where(RESIDENT.c.id.in_(chunk))):
                residents[row.id] = _Person(*row)
            contact = RESIDENT.alias("contact")
            for row in conn.execute(
                select(CONTACT.c.resident_id, contact.c.chat_id, contact.c.language,
                       contact.c.first_name, contact.c.id.label("contact_id"))
                .join(contact, contact.c.id == CONTACT.c.contact_resident_id)
                .where(CONTACT.c.resident_id.in_(chunk),
                       CONTACT.c.status == ContactStatus.ACCEPTED,
                       contact.c.active.is_(True))
            ):
                contacts[row.resident_id] = _Recipient(row.chat_id, row.language, row.first_name,
                                                       row.contact_id)
            for row in conn.execute(
                select(BOOKING.c.resident_id, BOOKING.c.phone)
                .where(BOOKING.c.resident_id.in_(chunk), BOOKING.c.phone.is_not(None))
                .order_by(BOOKING.c.created_at, BOOKING.c.id)
            ):
                phones[row.resident_id] = row.phone  # the latest wins
            for row in conn.execute(
                select(ROUND.c.resident_id, ROUND.c.scheduled_for, ROUND.c.status, ROUND.c.answer)
                .where(ROUND.c.resident_id.in_(chunk), ROUND.c.scheduled_for >= since,
                       ROUND.c.scheduled_for <= now, ROUND.c.status != Status.SCHEDULED)
                .order_by(ROUND.c.scheduled_for.desc())
            ):
                if len(history[row.resident_id]) < policy.history_rounds:
                    history[row.resident_id].append((row.scheduled_for, row.status, row.answer))
            for row in conn.execute(
                select(PLAN.c.resident_id, PLAN.c.missed_in_row, PLAN.c.last_answer,
                       PLAN.c.last_answered_at).where(PLAN.c.resident_id.in_(chunk))
            ):
                plans[row.resident_id] = (row.missed_in_row, row.last_answer, row.last_answered_at)
        districts = sorted({person.district for person in residents.values()})
        members = list(conn.execute(
            select(STAFF.c.telegram_id, STAFF.c.district, STAFF.c.name)
            .where(STAFF.c.district.in_(districts)).order_by(STAFF.c.id)
        )) if districts else []
        languages = _languages_of_chats(conn, [m.telegram_id for m in members])
        staff: dict[str, list[_Recipient]] = defaultdict(list)
        for member in members:
            staff[member.district].append(
                _Recipient(member.telegram_id, languages.get(member.telegram_id, Language.KO), member.name)
            )
        return cls(residents, dict(staff), contacts, phones, dict(history), plans)

    def details(self, language: str, person: _Person) -> dict[str, Any]:
        """The parts every staff text shares: name, district, phone line, history, last answer."""
        missed, last_answer, last_at = self.plans.get(person.id, (0, None, None))
        phone = self.phones.get(person.id)
        return {
            "name": _name(language, person.first_name),
            "district": person.district,
            "phone": _t(language, "staff.phone", phone=phone) if phone else "",
            "history": self.history_text(language, person.id),
            "last": (f"{_when(language, last_at)} · {_t(language, f'answer.{last_answer}')}"
                     if last_at is not None and last_answer else _t(language, "none")),
            "count": missed,
        }

    def history_text(self, language: str, resident_id: int) -> str:
        parts = []
        for scheduled_for, status, answer in self.history.get(resident_id, []):
            local = local_wall_time(scheduled_for, DEFAULT_TIME_ZONE)
            day = _t(language, "day", month=local.month, day=local.day)
            parts.append(f"{day} {_round_label(language, status, answer)}")
        return " · ".join(parts) or _t(language, "none")


def _round_label(language: str, status: str, answer: str | None) -> str:
    if answer:
        return _t(language, f"answer.{answer}")
    if status in (Status.ESCALATED, Status.VISIT_NEEDED):
        return _t(language, "round.missed")
    if status == Status.REACHED:
        return _t(language, "round.reached")
    if status == Status.SKIPPED:
        return _t(language, "round.skipped")
    if status == Status.CANCELLED:
        return _t(language, "round.cancelled")
    return _t(language, "round.waiting")


def _outbox_row(chat_id: int, resident_id: int, text: str, buttons: Buttons | None,
                now: datetime) -> dict[str, Any]:
    # The bulk form of `bot.sending.outbox.enqueue_message` (same columns, same defaults): escalations
    # come in hundreds per tick at a popular check-in time, one flush each would dominate.
    return {"chat_id": chat_id, "resident_id": resident_id, "text": _fit(text), "buttons": buttons,
            "created_at": now, "attempts": 0, "next_attempt_at": now,
            "status": OutboxStatus.PENDING.value, "last_error": None, "finished_at": None}


def _alert_row(round_id: int, chat_id: int, recipient: str, kind: CheckinAlertKind,
               now: datetime, contact_resident_id: int | None = None) -> dict[str, Any]:
    return {"round_id": round_id, "chat_id": chat_id, "recipient": recipient, "kind": kind.value,
            "at": now, "contact_resident_id": contact_resident_id}


def _queue(conn, outbox: list[dict], alerts: list[dict]) -> None:
    if outbox:
        conn.execute(insert(OUTBOX), outbox)
    if alerts:
        conn.execute(insert(ALERT), alerts)


def _chunks(items: Sequence[int] | list[int], size: int = IN_CHUNK) -> Iterator[list[int]]:
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- the dispatcher ---------------------------------------------------------------------------


class SendResult(StrEnum):
    DELIVERED = "delivered"
    BLOCKED = "blocked"  # the resident blocked the bot (Telegram 403): marked inactive
    FAILED = "failed"  # anything else; not retried (at most once), the reminder is the retry


@dataclass(frozen=True)
class CheckinMessage:
    """One message to a resident: the check-in itself or its reminder, with the answer buttons."""

    round_id: int
    resident_id: int
    chat_id: int
    kind: str  # "checkin" or "reminder"
    text: str
    buttons: Buttons
    scheduled_for: datetime


Send = Callable[[CheckinMessage], "SendResult | str | Awaitable[SendResult | str]"]


@dataclass
class TickReport:
    """What one `dispatch_due` did."""

    recovered: int = 0  # found in `sending` past the lease, handed off: sent, result unknown
    requeued: int = 0  # found in `sending` past the lease, never handed off: due again
    materialised: int = 0  # rounds written from plans (those already too late included)
    skipped: int = 0  # more than the grace period late: recorded as skipped, not sent
    sent: int = 0  # check-ins handed to `send`
    delivered: int = 0
    blocked: int = 0  # blocked by the resident, or not sent because already known inactive
    failed: int = 0
    reminded: int = 0  # rounds that reached the reminder step (reminders sent: reminders_sent)
    reminders_sent: int = 0
    escalated: int = 0
    visit_needed: int = 0
    alerts_queued: int = 0  # outbox messages to staff and contacts
    last_late_by: timedelta | None = None  # the last check-in sent, against its schedule
    max_late_by: timedelta | None = None
    more_due: bool = False  # the send limit was reached: more check-ins are waiting
    # Wall-clock seconds per phase (recover, materialise, escalate, remind, claim, send), for
    # operators and the benchmark; "claim" is finding and claiming the due check-ins.
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["seconds"] = dict(self.seconds)
        for key in ("last_late_by", "max_late_by"):
            out[key] = None if out[key] is None else out[key].total_seconds()
        return out


async def dispatch_due(
    *,
    engine: Engine,
    now: datetime,
    send: Send,
    policy: CheckinPolicy = DEFAULT_POLICY,
    limit: int = DEFAULT_SEND_LIMIT,
    materialise_limit: int | None = None,
) -> TickReport:
    """One tick: recover stale claims, materialise due plans, escalate, remind, send check-ins.

    `limit` caps the messages handed to `send` in this tick (reminders first, then check-ins,
    oldest first) and the escalations; `materialise_limit` (default 2 × limit) the plans turned
    into rounds, which with the hour materialised ahead covers 2 × limit × 60 check-ins planned
    for the same minute. Call it again at once when `more_due` is set, or wait for the next tick.
    """
    if now.tzinfo is None:
        raise ValueError("dispatch_due needs an aware `now`")
    if limit < 1:
        raise ValueError("limit must be at least 1")
    report = TickReport()
    timer = _PhaseTimer(report.seconds)
    with timer("recover"):
        report.recovered, report.requeued = await asyncio.to_thread(
            _recover_stale_claims, engine, now, policy, limit)
    with timer("materialise"):
        report.materialised = await asyncio.to_thread(
            _materialise, engine, now, policy, materialise_limit or 2 * limit
        )
    with timer("escalate"):
        escalated = await asyncio.to_thread(_escalate, engine, now, policy, limit)
    report.escalated, report.visit_needed, report.alerts_queued = escalated

    with timer("remind"):
        reminders = await asyncio.to_thread(_claim_reminders, engine, now, policy, limit)
        report.reminded = len(reminders.claimed)
        sendable = [m for m in reminders.messages if m is not None]
        blocked: list[int] = []
        for message in sendable:
            if await _deliver(send, message) == SendResult.BLOCKED:
                blocked.append(message.resident_id)
        report.reminders_sent = len(sendable)
        if blocked:
            await asyncio.to_thread(_mark_inactive, engine, blocked, now)

    budget = limit - len(sendable)
    report.more_due = budget <= 0
    report.seconds["claim"] = report.seconds["send"] = 0.0
    while budget > 0:
        with timer("claim"):
            skipped, checkins = await asyncio.to_thread(
                _claim_checkins, engine, now, policy, min(CLAIM_BATCH, budget))
        report.skipped += skipped
        with timer("send"):
            await _send_checkins(engine, now, policy, send, checkins, report)
        asked, budget = min(CLAIM_BATCH, budget), budget - len(checkins.claimed)
        if len(checkins.claimed) < asked:
            break  # nothing more is due
        report.more_due = budget <= 0
    if report.skipped:
        log.warning("%s check-ins were more than %s late and were skipped", report.skipped,
                    policy.grace_period)
    return report


class _PhaseTimer:
    """Measures phases of a tick (a measurement only: the tick's logic uses `now`, never this);
    a phase run several times (claim and send, per claimed batch) adds up."""

    def __init__(self, into: dict[str, float]):
        self.into = into

    @contextmanager
    def __call__(self, phase: str) -> Iterator[None]:
        started = perf_counter()
        try:
            yield
        finally:
            self.into[phase] = self.into.get(phase, 0.0) + perf_counter() - started


async def _deliver(send: Send, message: CheckinMessage) -> SendResult:
    try:
        result = send(message)
        if inspect.isawaitable(result):
            result = await result
        return SendResult(result)
    except Exception:  # noqa: BLE001 — one failed message must not strand the rest of the batch
        log.exception("sending check-in round %s failed", message.round_id)
        return SendResult.FAILED


@dataclass
class _Claimed:
    claimed: list[Any] = field(default_factory=list)  # rows: id, resident_id, scheduled_for
    messages: list[CheckinMessage | None] = field(default_factory=list)  # None: do not send


async def _send_checkins(engine: Engine, now: datetime, policy: CheckinPolicy, send: Send,
                         checkins: _Claimed, report: TickReport) -> None:
    """Send one claimed batch, one message at a time. Each round is handed off in a committed
    transaction just before `send`, which also records what the previous sends gave: a crash
    leaves at most the one message in flight handed off without a result. A round that is no
    longer this claim's (the resident answered meanwhile, or another dispatcher took it over
    after the lease) is not sent."""
    unwritten = _SendResults(now=now, remind_at=now + policy.reply_window)
    try:
        for row, message in zip(checkins.claimed, checkins.messages, strict=True):
            if message is None:  # already known to be unreachable: set the plan aside
                report.blocked += 1
                unwritten.add(row, CheckinDelivery.INACTIVE, handed_off=False)
                continue
            handed_off = await asyncio.to_thread(_write_sends, engine, unwritten,
                                                 hand_off=(row.id, now))
            unwritten.clear()  # only once written: if the write fails, the except below tries again
            if not handed_off:
                continue
            outcome = await _deliver(send, message)
            report.sent += 1
            late_by = now - row.scheduled_for
            report.last_late_by = late_by
            report.max_late_by = max(late_by, report.max_late_by or late_by)
            if outcome == SendResult.DELIVERED:
                report.delivered += 1
            elif outcome == SendResult.FAILED:
                report.failed += 1
            else:  # blocked now: set the plan aside
                report.blocked += 1
            unwritten.add(row, CheckinDelivery(outcome.value), handed_off=True)
        await asyncio.to_thread(_write_sends, engine, unwritten)
    except BaseException:
        # Cancelled, `send` raised what is not an Exception, or the database refused even the
        # retries: keep what was sent, and give back at once the claims never handed off (the
        # lease would do it later). A real crash skips this; the lease recovery covers it.
        try:
            _write_sends(engine, unwritten, hand_back=(checkins.claimed, now))
        except Exception:  # noqa: BLE001 — the first failure is the one to raise
            log.exception("could not record a cancelled check-in batch; the lease will recover it")
        raise


@dataclass
class _SendResults:
    """Results of sends not written yet (rows for `_write_sends`)."""

    now: datetime
    remind_at: datetime
    rows: list[dict[str, Any]] = field(default_factory=list)
    blocked: list[int] = field(default_factory=list)  # resident ids

    def add(self, row: Any, delivery: CheckinDelivery, *, handed_off: bool) -> None:
        self.rows.append({"b_id": row.id, "b_delivery": delivery.value,
                          "b_sent_at": self.now if handed_off else None,
                          "b_remind_at": self.remind_at})
        if delivery in (CheckinDelivery.BLOCKED, CheckinDelivery.INACTIVE):
            self.blocked.append(row.resident_id)

    def clear(self) -> None:
        # New lists, not emptied ones: a write still running in its thread (its await was
        # cancelled) may be reading the old ones.
        self.rows, self.blocked = [], []


def _claim(conn, *, status: Status, now: datetime, limit: int, values: dict[str, Any],
           returning: Sequence[str]) -> list[Any]:
    """Move up to `limit` rounds in `status` with due_at <= now to `values`, oldest first, in one
    statement; returns the claimed rows (`returning` columns), sorted by schedule."""
    statement = _claim_statement(tuple(sorted(values)), tuple(returning))
    params = {"b_status": str(status), "b_now": now, "b_limit": limit}
    params.update({f"v_{name}": value for name, value in values.items()})
    rows = list(conn.execute(statement, params))
    rows.sort(key=lambda row: (row.scheduled_for, row.id))
    return rows


@cache
def _claim_statement(value_names: tuple[str, ...], returning: tuple[str, ...]):
    # Built once per shape: a tick runs several claims, and building the statement costs more
    # than running it on an idle table.
    #
    # The due rows are picked in a MATERIALIZED common table expression, evaluated once: as a
    # plain `IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)` PostgreSQL may run the subquery
    # again for each row it scans, each run skipping the rows the previous one locked, and
    # claim far more than n. (SQLite ≥ 3.35 accepts the same syntax.)
    #
    # The UPDATE finds its rows by id alone. The status is not tested again there: the rows
    # are locked by the subquery, which re-checks its condition on the newest version of a row
    # changed meanwhile (and SQLite has one writer), so they cannot have moved on. A second
    # `status = …` outside made PostgreSQL's plan a trap: the driver prepares the statement
    # after a few runs and PostgreSQL then keeps one generic plan, made while the table was
    # nearly empty; with that filter it estimated one row on each side and chose to scan every
    # round in the status and compare it with every claimed id (at 100,000 residents'
    # 10:00 peak, seconds per claim). Matched by id only, the claimed ids drive, one primary
    # key lookup each, whatever the statistics say.
    status = bindparam("b_status", type_=String())
    due = (
        select(ROUND.c.id)
        .where(ROUND.c.status == status, ROUND.c.due_at <= bindparam("b_now", type_=UtcDateTime()))
        .order_by(ROUND.c.due_at, ROUND.c.id)
        .limit(bindparam("b_limit", type_=Integer()))
        .with_for_update(skip_locked=True)
        .cte("due")
        .prefix_with("MATERIALIZED")
    )
    return (
        update(ROUND)
        .where(ROUND.c.id.in_(select(due.c.id)))
        .values({name: bindparam(f"v_{name}", type_=ROUND.c[name].type) for name in value_names})
        .returning(*(ROUND.c[name] for name in dict.fromkeys(("id", "scheduled_for", *returning))))
    )


def _recover_stale_claims(engine: Engine, now: datetime, policy: CheckinPolicy,
                          limit: int) -> tuple[int, int]:
    """Rounds left in `sending` past their lease: a dispatcher died between claim and record.
    Handed off, they count as sent with an unknown result (see the module doc), reminder due
    one window after the hand-off; never handed off, they are due again (`_hand_back`).
    Returns (sent with an unknown result, due again or dropped)."""
    recovered = requeued = 0
    while True:
        with session_scope(engine) as session:
            conn = session.connection()
            rows = _claim(conn, status=Status.SENDING, now=now, limit=limit,
                          values={"due_at": None}, returning=["plan_id", "sent_at"])
            handed_off = [row for row in rows if row.sent_at is not None]
            if handed_off:
                conn.execute(
                    update(ROUND).where(ROUND.c.id == bindparam("b_id"))
                    .values(status=Status.AWAITING, delivery=CheckinDelivery.UNKNOWN.value,
                            due_at=bindparam("b_due", type_=UtcDateTime())),
                    [{"b_id": row.id, "b_due": row.sent_at + policy.reply_window}
                     for row in handed_off],
                )
                log.warning("%s check-ins were handed to the messenger but their result was "
                            "never recorded (a crash?); counted as sent with an unknown result",
                            len(handed_off))
            again, dropped = _hand_back(conn, [row for row in rows if row.sent_at is None])
            if again or dropped:
                log.warning("%s check-ins were claimed but never handed to the messenger (a "
                            "crash?); %s are due again, %s dropped (plan no longer active)",
                            again + dropped, again, dropped)
        recovered += len(handed_off)
        requeued += again + dropped
        if len(rows) < limit:
            return recovered, requeued


def _materialise(engine: Engine, now: datetime, policy: CheckinPolicy, limit: int) -> int:
    """Write a round for every planned instant up to `now + materialise_ahead`. Idempotent:
    the unique (plan_id, scheduled_for) key makes a repeated insert do nothing."""
    horizon = now + policy.materialise_ahead
    written = done = 0
    while done < limit:
        with session_scope(engine) as session:
            conn = session.connection()
            plans = conn.execute(
                select(PLAN.c.id, PLAN.c.resident_id, PLAN.c.weekdays, PLAN.c.local_time,
                       PLAN.c.time_zone, PLAN.c.status, PLAN.c.next_due_at)
                .where(PLAN.c.next_due_at <= horizon)
                .order_by(PLAN.c.next_due_at, PLAN.c.id)
                .limit(min(BATCH, limit - done))
                .with_for_update(skip_locked=True)
            ).all()
            if not plans:
                break
            rounds: list[dict[str, Any]] = []
            moved: list[dict[str, Any]] = []
            for plan in plans:
                instant = plan.next_due_at
                while instant <= horizon:
                    # Rounds due long ago (downtime) are written too; the claim step records
                    # those beyond the grace period as skipped.
                    rounds.append({
                        "plan_id": plan.id, "resident_id": plan.resident_id,
                        "scheduled_for": instant, "status": Status.SCHEDULED.value,
                        "due_at": instant,
                    })
                    instant = next_occurrence(weekdays=plan.weekdays, at=plan.local_time,
                                              tz=plan.time_zone, after=instant)
                moved.append({"b_id": plan.id, "b_next": instant, "b_now": now})
            _insert_ignoring_duplicates(conn, ROUND, rounds)
            # A paused plan has its next_due_at after the pause: reaching it ends the pause.
            conn.execute(
                update(PLAN).where(PLAN.c.id == bindparam("b_id"))
                .values(next_due_at=bindparam("b_next"), updated_at=bindparam("b_now"),
                        paused_until=None, status=CheckinPlanStatus.ACTIVE.value),
                moved,
            )
            written += len(rounds)
            done += len(plans)
    return written


def _insert_ignoring_duplicates(conn, table, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    dialect = conn.dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:  # the plan rows are locked, so a duplicate would mean a bug: let it raise
        conn.execute(insert(table), rows)
        return
    conn.execute(dialect_insert(table).on_conflict_do_nothing(), rows)


def _claim_checkins(engine: Engine, now: datetime, policy: CheckinPolicy,
                    limit: int) -> tuple[int, _Claimed]:
    with session_scope(engine) as session:
        conn = session.connection()
        # The write comes first, so on SQLite the transaction holds the write lock from the
        # start and a second dispatcher waits instead of reading rows it cannot claim.
        skipped = conn.execute(
            update(ROUND)
            .where(ROUND.c.status == Status.SCHEDULED, ROUND.c.due_at < now - policy.grace_period)
            .values(status=Status.SKIPPED, due_at=None)
        ).rowcount
        rows = _claim(conn, status=Status.SCHEDULED, now=now, limit=limit,
                      values={"status": Status.SENDING, "claimed_at": now,
                              "due_at": now + policy.send_lease},
                      returning=["resident_id", "plan_id"])
        claimed = _messages(conn, rows, "checkin", lambda row: True)
    return skipped, claimed


def _claim_reminders(engine: Engine, now: datetime, policy: CheckinPolicy, limit: int) -> _Claimed:
    with session_scope(engine) as session:
        conn = session.connection()
        rows = _claim(conn, status=Status.AWAITING, now=now, limit=limit,
                      values={"status": Status.REMINDED, "reminded_at": now,
                              "due_at": now + policy.reply_window},
                      returning=["resident_id", "delivery"])
        # No reminder to someone who blocked the bot; the ladder goes on regardless.
        unreachable = {CheckinDelivery.BLOCKED, CheckinDelivery.INACTIVE}
        return _messages(conn, rows, "reminder", lambda row: row.delivery not in unreachable)


def _messages(conn, rows: list[Any], kind: str, wanted: Callable[[Any], bool]) -> _Claimed:
    people: dict[int, Any] = {}
    for chunk in _chunks([row.resident_id for row in rows]):
        for person in conn.execute(
            select(RESIDENT.c.id, RESIDENT.c.chat_id, RESIDENT.c.first_name, RESIDENT.c.language,
                   RESIDENT.c.active).where(RESIDENT.c.id.in_(chunk))
        ):
            people[person.id] = person
    claimed = _Claimed(claimed=rows)
    for row in rows:
        person = people.get(row.resident_id)
        if person is None or not person.active or not wanted(row):
            claimed.messages.append(None)
            continue
        language = _lang(person.language)
        hello = _hello(language, person.first_name)
        claimed.messages.append(CheckinMessage(
            round_id=row.id, resident_id=row.resident_id, chat_id=person.chat_id, kind=kind,
            text=_t(language, kind, hello=hello), buttons=checkin_buttons(language, row.id),
            scheduled_for=row.scheduled_for,
        ))
    return claimed


def _write_sends(engine: Engine, results: _SendResults, *, hand_off: tuple[int, datetime] | None = None,
                 hand_back: tuple[list[Any], datetime] | None = None) -> bool:
    """One short transaction: record `results`, then hand off round `hand_off` = (id, claimed at)
    or give back the rounds of `hand_back` = (claimed rows, claimed at) never handed off.
    Returns whether the round was handed off: only while it is still in `sending` under this
    claim and not handed off before. Tried again after `RECORD_RETRY_PAUSES` when the database
    refuses (every statement here may run twice without changing its outcome)."""
    if not (results.rows or results.blocked or hand_off or hand_back):
        return False
    for pause in RECORD_RETRY_PAUSES:
        try:
            return _write_sends_once(engine, results, hand_off, hand_back)
        except OperationalError:
            log.warning("recording check-in sends failed; trying again in %s s", pause)
            sleep(pause)
    return _write_sends_once(engine, results, hand_off, hand_back)


def _write_sends_once(engine: Engine, results: _SendResults, hand_off: tuple[int, datetime] | None,
                      hand_back: tuple[list[Any], datetime] | None) -> bool:
    with session_scope(engine) as session:
        conn = session.connection()
        _record_sends(conn, results)
        if hand_back is not None:
            _hand_back(conn, hand_back[0], claimed_at=hand_back[1])
        if hand_off is None:
            return False
        round_id, claimed_at = hand_off
        return conn.execute(
            update(ROUND)
            .where(ROUND.c.id == round_id, ROUND.c.status == Status.SENDING,
                   ROUND.c.claimed_at == claimed_at, ROUND.c.sent_at.is_(None))
            .values(sent_at=claimed_at)
        ).rowcount == 1


def _record_sends(conn, results: _SendResults) -> None:
    if results.rows:
        still_sending = ROUND.c.status == Status.SENDING
        # A resident may have answered while the result was on its way back: then only
        # the delivery facts are recorded, the answer stands.
        conn.execute(
            update(ROUND).where(ROUND.c.id == bindparam("b_id"))
            .values(
                delivery=bindparam("b_delivery"),
                sent_at=bindparam("b_sent_at", type_=UtcDateTime()),
                status=case((still_sending, Status.AWAITING.value), else_=ROUND.c.status),
                due_at=case((still_sending, bindparam("b_remind_at", type_=UtcDateTime())),
                            else_=ROUND.c.due_at),
            ),
            results.rows,
        )
    if results.blocked:
        _mark_inactive_in(conn, results.blocked, results.now)


def _hand_back(conn, rows: Sequence[Any], *, claimed_at: datetime | None = None) -> tuple[int, int]:
    """Claimed rounds (rows with id, plan_id, scheduled_for) that were never handed off: nothing
    reached the resident, so they are due again, as if never claimed (the grace period still
    applies), or deleted like any unsent round when their plan is no longer active. Only rounds
    still in `sending` without a hand-off (and claimed at `claimed_at`, when given) change.
    Returns how many of `rows` were to be due again, and to be deleted."""
    active: set[int] = set()
    for chunk in _chunks(sorted({row.plan_id for row in rows})):
        active.update(conn.execute(
            select(PLAN.c.id).where(PLAN.c.id.in_(chunk), PLAN.c.status == CheckinPlanStatus.ACTIVE)
        ).scalars())
    unsent = [ROUND.c.status == Status.SENDING, ROUND.c.sent_at.is_(None)]
    if claimed_at is not None:
        unsent.append(ROUND.c.claimed_at == claimed_at)
    again = [{"b_id": row.id, "b_due": row.scheduled_for} for row in rows if row.plan_id in active]
    dropped = [row.id for row in rows if row.plan_id not in active]
    if again:
        conn.execute(
            update(ROUND).where(ROUND.c.id == bindparam("b_id"), *unsent)
            .values(status=Status.SCHEDULED, claimed_at=None, delivery=None,
                    due_at=bindparam("b_due", type_=UtcDateTime())),
            again,
        )
    for chunk in _chunks(dropped):
        conn.execute(delete(ROUND).where(ROUND.c.id.in_(chunk), *unsent))
    return len(again), len(dropped)


def _mark_inactive(engine: Engine, resident_ids: list[int], now: datetime) -> None:
    with session_scope(engine) as session:
        _mark_inactive_in(session.connection(), resident_ids, now)


def _mark_inactive_in(conn, resident_ids: list[int], now: datetime) -> None:
    # As `bot.people.residents.mark_unreachable` does for a 403, by resident rather than chat.
    marked = 0
    for chunk in _chunks(sorted(set(resident_ids))):
        marked += conn.execute(
            update(RESIDENT).where(RESIDENT.c.id.in_(chunk), RESIDENT.c.active.is_(True))
            .values(active=False, updated_at=now)
        ).rowcount
    if marked:
        log.info("%s residents blocked the bot; marked inactive", marked)
    set_aside_unreachable(conn, resident_ids, now)


def _escalate(engine: Engine, now: datetime, policy: CheckinPolicy, limit: int) -> tuple[int, int, int]:
    """Reminded rounds still unanswered a window later: alert the district's staff and the
    trusted contact, in the same transaction as the status change."""
    with session_scope(engine) as session:
        conn = session.connection()
        rows = _claim(conn, status=Status.REMINDED, now=now, limit=limit,
                      values={"status": Status.ESCALATED, "alerted_at": now, "due_at": None},
                      returning=["resident_id", "plan_id", "delivery"])
        if not rows:
            return 0, 0, 0
        per_plan = Counter(row.plan_id for row in rows)
        by_count: dict[int, list[int]] = defaultdict(list)
        for plan_id, count in per_plan.items():
            by_count[count].append(plan_id)
        for count, plan_ids in by_count.items():
            for chunk in _chunks(plan_ids):
                conn.execute(update(PLAN).where(PLAN.c.id.in_(chunk))
                             .values(missed_in_row=PLAN.c.missed_in_row + count, updated_at=now))
        people = _People.load(conn, [row.resident_id for row in rows], now, policy)
        threshold = policy.visit_needed_after_missed_rounds
        latest_of_plan = {row.plan_id: row.id for row in rows}  # rows are sorted by schedule
        outbox: list[dict] = []
        alerts: list[dict] = []
        visit_ids: list[int] = []
        unstaffed: Counter[str] = Counter()
        for row in rows:
            person = people.residents.get(row.resident_id)
            if person is None:
                continue
            missed = people.plans.get(person.id, (0, None, None))[0]
            # The round that takes the count to the threshold asks for a visit.
            visit = (latest_of_plan[row.plan_id] == row.id
                     and missed - per_plan[row.plan_id] < threshold <= missed)
            if visit:
                visit_ids.append(row.id)
            # Not delivered, or the resident blocked the bot since (the reminder bounced).
            blocked = (row.delivery in (CheckinDelivery.BLOCKED, CheckinDelivery.INACTIVE)
                       or not person.active)
            # The dispatcher died with this check-in in flight: it may never have arrived, and
            # whoever calls should know the silence may be ours.
            maybe_not_arrived = not blocked and row.delivery == CheckinDelivery.UNKNOWN
            staff = people.staff.get(person.district, [])
            for member in staff:
                details = people.details(member.language, person)
                delivery = (_t(member.language, "staff.delivery_blocked") if blocked
                            else _t(member.language, "staff.delivery_unknown") if maybe_not_arrived
                            else "")
                if visit:
                    text = _t(member.language, "staff.visit", delivery=delivery, **details)
                    kind = CheckinAlertKind.VISIT_NEEDED
                elif blocked:  # said once: the plan is set aside until they write again
                    text = _t(member.language, "staff.unreachable",
                              when=_when(member.language, row.scheduled_for), **details)
                    kind = CheckinAlertKind.MISSED
                else:
                    streak = (_t(member.language, "staff.streak", count=missed) if missed > 1 else "")
                    text = _t(member.language, "staff.missed", when=_when(member.language, row.scheduled_for),
                              delivery=delivery, streak=streak, **details)
                    kind = CheckinAlertKind.MISSED
                outbox.append(_outbox_row(member.chat_id, person.id, text,
                                          _staff_buttons(member.language, row.id, visit=not visit), now))
                alerts.append(_alert_row(row.id, member.chat_id, "staff", kind, now))
            if not staff:
                unstaffed[person.district] += 1
            contact = people.contacts.get(person.id)
            if contact is not None:
                text = _t(contact.language,
                          "contact.missed_unknown" if maybe_not_arrived else "contact.missed",
                          name=_name(contact.language, person.first_name),
                          contact=_name(contact.language, contact.name))
                outbox.append(_outbox_row(contact.chat_id, person.id, text, None, now))
                alerts.append(_alert_row(row.id, contact.chat_id, "contact", CheckinAlertKind.MISSED,
                                         now, contact.resident_id))
        for chunk in _chunks(visit_ids):
            conn.execute(update(ROUND).where(ROUND.c.id.in_(chunk)).values(status=Status.VISIT_NEEDED))
        _queue(conn, outbox, alerts)
        for district, count in unstaffed.items():
            log.warning("no staff in district %s: %s missed check-ins reach no officer "
                        "(add staff to the district)", district, count)
        log.info("%s check-ins unanswered: %s alerts queued, %s visits needed", len(rows),
                 len(outbox), len(visit_ids))
        return len(rows), len(visit_ids), len(outbox)


__all__ = [
    "AnswerOutcome",
    "CheckinAction",
    "CheckinError",
    "CheckinMessage",
    "CheckinPolicy",
    "CheckinPress",
    "DEFAULT_POLICY",
    "DEFAULT_SEND_LIMIT",
    "InvalidAnswer",
    "InvalidInvitation",
    "InvalidPlan",
    "InvitationClosed",
    "InvitationNotFound",
    "NextStep",
    "NoPlan",
    "NotAllowed",
    "PlanView",
    "RoundNotFound",
    "RoundNotOpen",
    "SendResult",
    "StaffActionOutcome",
    "TickReport",
    "accept_invitation",
    "alert_staff_for_help",
    "checkin_button_data",
    "checkin_buttons",
    "decline_invitation",
    "dispatch_due",
    "get_contact",
    "get_plan",
    "invite_contact",
    "open_round_id",
    "parse_checkin_press",
    "pause_checkins",
    "record_answer",
    "remove_contact",
    "resume_checkins",
    "staff_mark_reached",
    "staff_mark_visit_needed",
    "start_checkins",
    "stop_checkins",
]
