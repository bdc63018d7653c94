"""The dispatcher: one tick recovers stale claims, materialises plans, escalates, reminds and asks.

Part of the check-in engine; its life cycle and guarantees are in the package doc
(`bot/checkins/__init__.py`)."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from time import perf_counter, sleep
from typing import Any

from sqlalchemy import Engine, Integer, String, bindparam, case, delete, insert, select, update
from sqlalchemy.exc import OperationalError

from bot.checkins.alerts import People, alert_row, chunks, outbox_row, queue_alerts
from bot.checkins.answers import (
    AnswerOutcome,
    NextStep,
    StaffActionOutcome,
    alert_staff_for_help,
    open_round_id,
    record_answer,
    staff_mark_reached,
    staff_mark_visit_needed,
)
from bot.checkins.buttons import CheckinAction, CheckinPress, checkin_button_data, parse_checkin_press
from bot.checkins.plans import (
    PlanView,
    accept_invitation,
    decline_invitation,
    get_contact,
    get_plan,
    invite_contact,
    pause_checkins,
    remove_contact,
    resume_checkins,
    start_checkins,
    stop_checkins,
)
from bot.checkins.policy import (
    BATCH,
    CLAIM_BATCH,
    DEFAULT_POLICY,
    DEFAULT_SEND_LIMIT,
    PLAN,
    RECORD_RETRY_PAUSES,
    RESIDENT,
    ROUND,
    CheckinError,
    CheckinPolicy,
    InvalidAnswer,
    InvalidInvitation,
    InvalidPlan,
    InvitationClosed,
    InvitationNotFound,
    NoPlan,
    NotAllowed,
    RoundNotFound,
    RoundNotOpen,
    Status,
)
from bot.checkins.reach import set_aside_unreachable
from bot.checkins.schedule import (
    next_occurrence,
)
from bot.checkins.wording import (
    checkin_buttons,
    display_name,
    greeting,
    language_of,
    staff_buttons,
    text_in,
    when_text,
)
from bot.core.messages import Button, Outgoing
from bot.sending.outbox import Buttons
from bot.sending.outbox_sender import DeliveryError, RecipientBlocked
from bot.store.db import session_scope
from bot.store.models import (
    CheckinAlertKind,
    CheckinDelivery,
    CheckinPlanStatus,
    UtcDateTime,
)

log = logging.getLogger(__name__)

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


async def send_checkin_through(transport: Any, message: CheckinMessage) -> SendResult:
    """Send one check-in or reminder with its answer buttons through a messenger's transport
    (`Transport.send`), and say how it went in the dispatcher's words; every adapter's check-in
    sender is this."""
    buttons = tuple(tuple(Button(label=b["text"], data=b["data"]) for b in row) for row in message.buttons)
    try:
        await transport.send(Outgoing(message.chat_id, message.text, buttons))
    except RecipientBlocked:
        return SendResult.BLOCKED
    except DeliveryError as error:
        log.warning("check-in round %s not sent (%s)", message.round_id, error.code)
        return SendResult.FAILED
    return SendResult.DELIVERED


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
    for chunk in chunks([row.resident_id for row in rows]):
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
        language = language_of(person.language)
        hello = greeting(language, person.first_name)
        claimed.messages.append(CheckinMessage(
            round_id=row.id, resident_id=row.resident_id, chat_id=person.chat_id, kind=kind,
            text=text_in(language, kind, hello=hello), buttons=checkin_buttons(language, row.id),
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
    for chunk in chunks(sorted({row.plan_id for row in rows})):
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
    for chunk in chunks(dropped):
        conn.execute(delete(ROUND).where(ROUND.c.id.in_(chunk), *unsent))
    return len(again), len(dropped)


def _mark_inactive(engine: Engine, resident_ids: list[int], now: datetime) -> None:
    with session_scope(engine) as session:
        _mark_inactive_in(session.connection(), resident_ids, now)


def _mark_inactive_in(conn, resident_ids: list[int], now: datetime) -> None:
    # As `bot.people.residents.mark_unreachable` does for a 403, by resident rather than chat.
    marked = 0
    for chunk in chunks(sorted(set(resident_ids))):
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
            for chunk in chunks(plan_ids):
                conn.execute(update(PLAN).where(PLAN.c.id.in_(chunk))
                             .values(missed_in_row=PLAN.c.missed_in_row + count, updated_at=now))
        people = People.load(conn, [row.resident_id for row in rows], now, policy)
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
                delivery = (text_in(member.language, "staff.delivery_blocked") if blocked
                            else text_in(member.language, "staff.delivery_unknown") if maybe_not_arrived
                            else "")
                if visit:
                    text = text_in(member.language, "staff.visit", delivery=delivery, **details)
                    kind = CheckinAlertKind.VISIT_NEEDED
                elif blocked:  # said once: the plan is set aside until they write again
                    text = text_in(member.language, "staff.unreachable",
                              when=when_text(member.language, row.scheduled_for), **details)
                    kind = CheckinAlertKind.MISSED
                else:
                    streak = (text_in(member.language, "staff.streak", count=missed) if missed > 1 else "")
                    text = text_in(member.language, "staff.missed", when=when_text(member.language, row.scheduled_for),
                              delivery=delivery, streak=streak, **details)
                    kind = CheckinAlertKind.MISSED
                outbox.append(outbox_row(member.chat_id, person.id, text,
                                          staff_buttons(member.language, row.id, visit=not visit), now))
                alerts.append(alert_row(row.id, member.chat_id, "staff", kind, now))
            if not staff:
                unstaffed[person.district] += 1
            contact = people.contacts.get(person.id)
            if contact is not None:
                text = text_in(contact.language,
                          "contact.missed_unknown" if maybe_not_arrived else "contact.missed",
                          name=display_name(contact.language, person.first_name),
                          contact=display_name(contact.language, contact.name))
                outbox.append(outbox_row(contact.chat_id, person.id, text, None, now))
                alerts.append(alert_row(row.id, contact.chat_id, "contact", CheckinAlertKind.MISSED,
                                         now, contact.resident_id))
        for chunk in chunks(visit_ids):
            conn.execute(update(ROUND).where(ROUND.c.id.in_(chunk)).values(status=Status.VISIT_NEEDED))
        queue_alerts(conn, outbox, alerts)
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
