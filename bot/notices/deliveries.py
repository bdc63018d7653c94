"""The sender's steps on a notice's deliveries: claim, renew, record, release, finish.

The state machine and its bound on repeats are in `bot.notices` (the package doc)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, func, update
from sqlmodel import Session, col, select

from bot.people.residents import mark_unreachable
from bot.store.models import (
    Delivery,
    DeliveryStatus,
    Notice,
    NoticeStatus,
)

if TYPE_CHECKING:
    pass

from bot.notices.authoring import finish_if_nothing_in_flight

log = logging.getLogger(__name__)

ERROR_MAX_LENGTH = 64


@dataclass(frozen=True)
class DeliveryPolicy:
    """How hard a delivery is tried. Backoff doubles from `retry_base` up to `retry_max`.

    `lease` is how long a claim of a sender that stopped renewing it (it died) holds its rows:
    what a crash delays the rest of a notice by. Short, because a live sender renews it every
    `renew_every`; not shorter than a stalled database write (the busy timeout) could take.
    """

    max_attempts: int = 4
    retry_base: timedelta = timedelta(seconds=2)
    retry_max: timedelta = timedelta(minutes=1)
    lease: timedelta = timedelta(seconds=10)

    @property
    def renew_every(self) -> timedelta:
        """A quarter of the lease: three renewals may be late or fail before a claim runs out."""
        return self.lease / 4

    def backoff(self, attempts: int) -> timedelta:
        exponent = min(max(0, attempts - 1), 16)
        return min(self.retry_base * (2**exponent), self.retry_max)


DEFAULT_POLICY = DeliveryPolicy()


# --- the sender's steps -------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimedDelivery:
    id: int
    notice_id: int
    chat_id: int
    language: str
    attempts: int  # counting this one


class Outcome(StrEnum):
    SENT = "sent"
    BLOCKED = "blocked"  # 403, chat not found
    REFUSED = "refused"  # 400 and other refusals: sending again would be refused again
    TRANSIENT = "transient"  # 5xx, timeout, network, a bug in a transport: retried
    RATE_LIMITED = "rate_limited"  # 429: back to pending, not counted as an attempt


@dataclass(frozen=True)
class DeliveryResult:
    delivery: ClaimedDelivery
    outcome: Outcome
    error: str | None = None


@dataclass
class RecordStats:
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    retried: int = 0
    rate_limited: int = 0
    vanished: int = 0  # deleted (/forget) or released meanwhile: nothing recorded


def claim_deliveries(*, session: Session, notice_id: int, now: datetime, limit: int) -> list[ClaimedDelivery]:
    """Up to `limit` pending deliveries of a running notice that are due, leased at `now`.

    Commit the claim before sending: from then on the rows are `sending` and no other
    sender takes them until the lease is over.
    """
    running = select(Notice.id).where(Notice.id == notice_id, Notice.status == NoticeStatus.SENDING)
    if session.exec(running).first() is None:
        return []
    candidates = session.exec(
        select(Delivery.id)
        .where(Delivery.notice_id == notice_id, Delivery.status == DeliveryStatus.PENDING)
        .where(col(Delivery.next_attempt_at) <= now)
        .order_by(col(Delivery.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not candidates:
        return []
    session.exec(
        update(Delivery)
        .where(col(Delivery.id).in_(candidates), Delivery.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.SENDING, claimed_at=now, attempts=Delivery.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    rows = session.exec(
        select(Delivery.id, Delivery.chat_id, Delivery.language, Delivery.attempts)
        .where(col(Delivery.id).in_(candidates), Delivery.status == DeliveryStatus.SENDING,
               Delivery.claimed_at == now)
        .order_by(col(Delivery.id))
    ).all()
    return [ClaimedDelivery(id=r[0], notice_id=notice_id, chat_id=r[1], language=r[2], attempts=r[3])
            for r in rows]


def release_expired_claims(
    *, session: Session, now: datetime, lease: timedelta, keep: Iterable[int] = (),
    notice_id: int | None = None,
) -> int:
    """Put `sending` rows claimed more than `lease` ago back to pending (their sender died).

    This is the "may repeat" window: such a message may have reached the resident already.
    Rows of a notice stopped meanwhile are cancelled instead. `keep` are rows the caller
    itself still holds. Returns how many were released.
    """
    running = select(Notice.id).where(Notice.status == NoticeStatus.SENDING)
    expired = [Delivery.status == DeliveryStatus.SENDING, col(Delivery.claimed_at) <= now - lease]
    if notice_id is not None:
        expired.append(Delivery.notice_id == notice_id)
    kept = list(keep)
    if kept:
        expired.append(col(Delivery.id).not_in(kept))
    released = session.exec(
        update(Delivery)
        .where(*expired, col(Delivery.notice_id).in_(running))
        .values(status=DeliveryStatus.PENDING, next_attempt_at=now, claimed_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.exec(
        update(Delivery)
        .where(*expired, col(Delivery.notice_id).not_in(running))
        .values(status=DeliveryStatus.CANCELLED, claimed_at=None, finished_at=now)
        .execution_options(synchronize_session=False)
    )
    if released:
        log.warning("%s notice deliveries released after their lease ran out; they may repeat", released)
    return released


def renew_claims(*, session: Session, claims: Mapping[int, datetime], now: datetime) -> set[int]:
    """Move the lease of rows a sender holds to `now`; returns the ids that are still its own.

    `claims` maps each row to the `claimed_at` the sender last wrote. A row whose `claimed_at`
    is no longer that one was released after its lease ran out (and perhaps claimed by another
    sender), or is no longer `sending`: it is not renewed, and the sender must not send it.
    """
    by_claim: dict[datetime, list[int]] = {}
    for delivery_id, claimed_at in claims.items():
        by_claim.setdefault(claimed_at, []).append(delivery_id)
    for claimed_at, ids in by_claim.items():
        session.exec(
            update(Delivery)
            .where(col(Delivery.id).in_(ids), Delivery.status == DeliveryStatus.SENDING,
                   Delivery.claimed_at == claimed_at)
            .values(claimed_at=now)
            .execution_options(synchronize_session=False)
        )
    if not claims:
        return set()
    return set(session.exec(
        select(Delivery.id).where(col(Delivery.id).in_(list(claims)), Delivery.status == DeliveryStatus.SENDING,
                                  Delivery.claimed_at == now)
    ).all())


def record_results(
    *, session: Session, results: Sequence[DeliveryResult], now: datetime,
    policy: DeliveryPolicy = DEFAULT_POLICY,
) -> RecordStats:
    """Record how each claimed delivery went, and keep the notices' counters in step.

    Only rows still `sending` are touched: a row deleted by /forget or released meanwhile is
    counted as vanished.
    """
    stats = RecordStats()
    counters: dict[int, dict[str, int]] = {}
    connection = session.connection()
    for result in results:
        item = result.delivery
        values, counter = _result_values(result, now, policy)
        # One Core statement per shape of values, compiled once and reused for every row:
        # recording is on the sender's critical path (thousands of rows a minute).
        changed = connection.execute(
            _record_statement(tuple(sorted(values))),
            {"delivery_id": item.id, **{f"new_{name}": value for name, value in values.items()}},
        ).rowcount
        if not changed:
            stats.vanished += 1
            continue
        setattr(stats, counter, getattr(stats, counter) + 1)
        if counter in ("sent", "blocked", "failed"):
            column = "delivered" if counter == "sent" else counter
            per_notice = counters.setdefault(item.notice_id, {})
            per_notice[column] = per_notice.get(column, 0) + 1
        if result.outcome is Outcome.BLOCKED:
            mark_unreachable(session=session, chat_id=item.chat_id, now=now)
    for notice_id, columns in counters.items():
        session.exec(
            update(Notice)
            .where(col(Notice.id) == notice_id)
            .values({getattr(Notice, name): getattr(Notice, name) + n for name, n in columns.items()})
            .execution_options(synchronize_session=False)
        )
    return stats


@lru_cache(maxsize=16)
def _record_statement(names: tuple[str, ...]):
    table = Delivery.__table__
    return (
        update(table)
        .where(table.c.id == bindparam("delivery_id"), table.c.status == DeliveryStatus.SENDING.value)
        .values({name: bindparam(f"new_{name}", type_=table.c[name].type) for name in names})
    )


def unclaim(*, session: Session, delivery_ids: Iterable[int]) -> int:
    """Give back claimed deliveries that were never handed to the messenger (a stopping sender)."""
    ids = list(delivery_ids)
    if not ids:
        return 0
    return session.exec(
        update(Delivery)
        .where(col(Delivery.id).in_(ids), Delivery.status == DeliveryStatus.SENDING)
        .values(status=DeliveryStatus.PENDING, claimed_at=None, attempts=Delivery.attempts - 1)
        .execution_options(synchronize_session=False)
    ).rowcount


def _result_values(result: DeliveryResult, now: datetime, policy: DeliveryPolicy) -> tuple[dict, str]:
    item, error = result.delivery, _short(result.error)
    done = {"claimed_at": None, "finished_at": now}
    if result.outcome is Outcome.SENT:
        return {**done, "status": DeliveryStatus.SENT, "error": None}, "sent"
    if result.outcome is Outcome.BLOCKED:
        return {**done, "status": DeliveryStatus.BLOCKED, "error": error}, "blocked"
    if result.outcome is Outcome.REFUSED:
        return {**done, "status": DeliveryStatus.FAILED, "error": error}, "failed"
    if result.outcome is Outcome.RATE_LIMITED:
        # Not the delivery's fault: the attempt is given back and it goes again at once (the
        # shared limiter holds every sender for the messenger's retry_after).
        return {"status": DeliveryStatus.PENDING, "claimed_at": None, "next_attempt_at": now,
                "attempts": max(0, item.attempts - 1)}, "rate_limited"
    if item.attempts >= policy.max_attempts:
        return {**done, "status": DeliveryStatus.FAILED, "error": error}, "failed"
    return {"status": DeliveryStatus.PENDING, "claimed_at": None, "error": error,
            "next_attempt_at": now + policy.backoff(item.attempts)}, "retried"


def _short(error: str | None) -> str | None:
    return error[:ERROR_MAX_LENGTH] if error else None


@dataclass(frozen=True)
class WorkLeft:
    """What is left of a notice for the sender: due now, due later, held by a sender."""

    status: str
    due_now: int
    next_due_at: datetime | None  # the earliest pending row, due or not
    in_flight: int
    oldest_claim_at: datetime | None

    @property
    def done(self) -> bool:
        return self.due_now == 0 and self.next_due_at is None and self.in_flight == 0


def work_left(*, session: Session, notice_id: int, now: datetime) -> WorkLeft:
    notice = session.get(Notice, notice_id)
    if notice is None:
        return WorkLeft(NoticeStatus.CANCELLED, 0, None, 0, None)
    pending = and_(Delivery.notice_id == notice_id, Delivery.status == DeliveryStatus.PENDING)
    due_now = session.exec(
        select(func.count()).select_from(Delivery).where(pending, col(Delivery.next_attempt_at) <= now)
    ).one()
    next_due = session.exec(select(func.min(Delivery.next_attempt_at)).where(pending)).one()
    sending = and_(Delivery.notice_id == notice_id, Delivery.status == DeliveryStatus.SENDING)
    in_flight = session.exec(select(func.count()).select_from(Delivery).where(sending)).one()
    oldest = session.exec(select(func.min(Delivery.claimed_at)).where(sending)).one()
    return WorkLeft(notice.status, due_now, _aware(next_due), in_flight, _aware(oldest))


def _aware(value: datetime | None) -> datetime | None:
    # Aggregates (min) bypass the column type, so SQLite hands back a naive UTC time or text.
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=ZoneInfo("UTC"))


def finish_if_done(*, session: Session, notice_id: int, now: datetime) -> Notice | None:
    """Mark a running or stopped notice finished once no delivery is pending or in flight."""
    notice = session.get(Notice, notice_id)
    if notice is None:
        return None
    finish_if_nothing_in_flight(session, notice, now)
    return notice


def mark_reported(*, session: Session, notice_id: int, now: datetime, progress_message_id: int | None = None) -> None:
    values: dict = {"reported_at": now}
    if progress_message_id is not None:
        values["progress_message_id"] = progress_message_id
    session.exec(update(Notice).where(col(Notice.id) == notice_id).values(**values))


def set_progress_message(*, session: Session, notice_id: int, message_id: int) -> None:
    session.exec(update(Notice).where(col(Notice.id) == notice_id).values(progress_message_id=message_id))
