"""Staff notices: an announcement to the residents of one district, and one delivery per resident.

A notice is written (a draft), then sent now or scheduled. When it starts, its audience is
counted once more and one `Delivery` row per recipient is written in the same transaction, so
the count staff saw is the count sent (unless someone joined, left or muted notices between
the preview and the press). The audience is always "residents of the district who are active
and have not muted notices", narrowed by `NoticeAudience` (check-in users, or one language).

The life of a delivery (`bot.notices.sender` drives it):

    pending ──claim──▶ sending ──sent──────────────────▶ sent
      ▲ │   (a batch,    │ ├──403 / chat not found────▶ blocked   (resident marked unreachable)
      │ │   leased at    │ ├──400, other refusals─────▶ failed    (error code kept)
      │ │   claimed_at)  │ ├──5xx, timeout: attempts left ──▶ pending at now + backoff
      │ │                │ │                no attempts left ─▶ failed
      │ │                │ └──429 ──▶ pending, not counted as an attempt (the sender pauses)
      │ │                └──lease over (the sender died) ──▶ pending      ← may repeat
      │ └──notice stopped ──▶ cancelled

Resuming after a crash: whatever was `pending` is simply claimed by the next sender, so nobody
is skipped. Rows left in `sending` were handed to the messenger or about to be; nobody knows
which. Once their lease is over (`DeliveryPolicy.lease`, 10 s) they go back to `pending` and
are sent again: **the only messages that may arrive twice are those in flight when the sender
died**. The sender records each send as soon as it returns, so that is at most its
`concurrency` messages (see `bot.notices.sender`); the rest of its claim was never handed to
the messenger and is only late, by the lease.

The lease is short, so a live sender renews it (`renew_claims`) a few times per lease while
it holds rows, through a 429 pause or a slow send; a row whose lease ran out anyway (the
sender stalled) and was released meanwhile is no longer the sender's, and it does not send
it. A sender never releases the rows it still holds itself (`release_expired_claims(keep=...)`).

Every function takes the session and the time; none reads the clock, none sends anything.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, bindparam, exists, func, insert, literal, update
from sqlmodel import Session, col, delete, select

from bot.core.clock import KOREA
from bot.core.messages import Button, Outgoing
from bot.store.models import (
    CheckinPlan,
    CheckinPlanStatus,
    Delivery,
    DeliveryStatus,
    Language,
    Notice,
    NoticeAudience,
    NoticeStatus,
    Resident,
    StaffMember,
    UtcDateTime,
)
from bot.people.residents import mark_unreachable

if TYPE_CHECKING:
    from bot.core.texts import Texts

log = logging.getLogger(__name__)

# Telegram allows 4096 characters in a message and 1024 in a photo's caption; the header and
# footer every resident sees (see `resident_text`) need the rest.
TEXT_MAX_LENGTH = 3500
CAPTION_MAX_LENGTH = 900
LINK_LABEL_MAX_LENGTH = 40
LINK_URL_MAX_LENGTH = 512
SCHEDULE_MAX_AHEAD = timedelta(days=90)
ERROR_MAX_LENGTH = 64
OPEN_STATUSES = frozenset({NoticeStatus.SCHEDULED, NoticeStatus.SENDING})


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


# --- errors -------------------------------------------------------------------------------


class NoticeError(Exception):
    """An expected refusal: the edge answers it with a clear message."""


class InvalidNotice(NoticeError, ValueError):
    def __init__(self, field_name: str, reason: str):
        self.field_name = field_name
        self.reason = reason
        super().__init__(f"{field_name}: {reason}")


class NoticeNotFound(NoticeError, LookupError):
    def __init__(self, notice_id: int):
        self.notice_id = notice_id
        super().__init__(f"no notice {notice_id}")


class NotAllowed(NoticeError, PermissionError):
    """A staff member acting on another district's notice (answered as "not found")."""

    def __init__(self, notice_id: int, staff_id: int | None):
        self.notice_id = notice_id
        self.staff_id = staff_id
        super().__init__(f"staff member {staff_id} may not act on notice {notice_id}")


class NoticeNotOpen(NoticeError):
    """The notice is no longer in a status where `action` applies (e.g. stopping a finished one)."""

    def __init__(self, notice_id: int, status: str, action: str):
        self.notice_id = notice_id
        self.status = status
        self.action = action
        super().__init__(f"cannot {action} notice {notice_id}: it is {status}")


# --- the audience -------------------------------------------------------------------------


def audience_query(district: str, audience: str) -> Select:
    """Residents a notice to `district` for `audience` goes to: (id, chat_id, language)."""
    audience = _audience(audience)
    query = (
        select(Resident.id, Resident.chat_id, Resident.language)
        .where(Resident.district == district)
        .where(col(Resident.active).is_(True))
        .where(col(Resident.muted_notices).is_(False))
    )
    if audience is NoticeAudience.CHECKINS:
        query = query.where(
            exists(
                select(CheckinPlan.id).where(
                    CheckinPlan.resident_id == Resident.id,
                    CheckinPlan.status != CheckinPlanStatus.STOPPED,
                )
            )
        )
    elif audience in (NoticeAudience.KO, NoticeAudience.EN):
        query = query.where(Resident.language == str(audience))
    return query


def count_audience(*, session: Session, district: str, audience: str) -> int:
    """How many residents a notice for `audience` would reach now: the preview's number."""
    inner = audience_query(district, audience).subquery()
    return session.exec(select(func.count()).select_from(inner)).one()


def _audience(value: str) -> NoticeAudience:
    try:
        return NoticeAudience(value)
    except ValueError:
        raise InvalidNotice("audience", f"one of {', '.join(NoticeAudience)}") from None


# --- writing, scheduling, starting, stopping ----------------------------------------------


def create_notice(
    *,
    session: Session,
    district: str,
    text: str,
    now: datetime,
    audience: str = NoticeAudience.ALL,
    photo: str | None = None,
    link_url: str | None = None,
    link_label: str | None = None,
    staff: StaffMember | None = None,
    progress_language: str = Language.KO,
    known_districts: Collection[str] | None = None,
) -> Notice:
    """A draft notice to `district`; `staff` (None from the command line) gets its progress.

    A staff member may only write to their own district. Nothing is counted or sent yet:
    `start_notice` or `schedule_notice` do that.
    """
    if staff is not None and staff.district != district:
        raise InvalidNotice("district", "staff write only to their own district")
    if not district or (known_districts is not None and district not in known_districts):
        raise InvalidNotice("district", f"unknown district '{district}'")
    notice = Notice(
        district=district,
        text="",
        audience=_audience(audience),
        status=NoticeStatus.DRAFT,
        staff_id=staff.id if staff is not None else None,
        progress_chat_id=staff.telegram_id if staff is not None else None,
        progress_language=progress_language if progress_language in set(Language) else Language.KO,
        created_at=now,
    )
    set_content(notice, text=text, photo=photo)
    if link_url is not None:
        set_link(notice, link_url, link_label)
    session.add(notice)
    session.flush()
    log.debug("notice %s drafted for %s", notice.id, district)
    return notice


def set_content(notice: Notice, *, text: str, photo: str | None = None) -> None:
    """Set the text (and photo) of a draft; the limits are Telegram's, less the header."""
    _require_draft(notice, "edit")
    text = (text or "").strip()
    if not text:
        raise InvalidNotice("text", "a notice needs a text")
    limit = CAPTION_MAX_LENGTH if photo else TEXT_MAX_LENGTH
    if len(text) > limit:
        raise InvalidNotice("text", f"at most {limit} characters")
    if photo is not None and (not photo.strip() or len(photo) > 256):
        raise InvalidNotice("photo", "not a usable photo id")
    notice.text = text
    notice.photo = photo


def parse_link(typed: str) -> tuple[str, str | None]:
    """"https://…" or "label | https://…" as (url, label); InvalidNotice if it is not a link."""
    label, separator, url = typed.rpartition("|")
    url = url.strip()
    label = label.strip() if separator else ""
    check_link(url)
    return url, label or None


def check_link(url: str) -> None:
    parts = urlsplit(url)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or "." not in parts.netloc
        or any(ch.isspace() for ch in url)
        or len(url) > LINK_URL_MAX_LENGTH
    ):
        raise InvalidNotice("link_url", "an http:// or https:// address")


def set_link(notice: Notice, url: str | None, label: str | None = None) -> None:
    _require_draft(notice, "edit")
    if url is None:
        notice.link_url = notice.link_label = None
        return
    check_link(url)
    label = " ".join((label or "").split())
    if len(label) > LINK_LABEL_MAX_LENGTH:
        raise InvalidNotice("link_label", f"at most {LINK_LABEL_MAX_LENGTH} characters")
    notice.link_url = url
    notice.link_label = label or None


def set_audience(notice: Notice, audience: str) -> None:
    _require_draft(notice, "edit")
    notice.audience = _audience(audience)


def schedule_notice(*, session: Session, notice: Notice, send_at: datetime, now: datetime) -> Notice:
    """Send the draft at `send_at` (aware; in the past by at most a minute: "now")."""
    _require_draft(notice, "schedule")
    if send_at.tzinfo is None or send_at.utcoffset() is None:
        raise InvalidNotice("send_at", "needs a time zone")
    if send_at < now - timedelta(minutes=1):
        raise InvalidNotice("send_at", "is in the past")
    if send_at > now + SCHEDULE_MAX_AHEAD:
        raise InvalidNotice("send_at", f"more than {SCHEDULE_MAX_AHEAD.days} days ahead")
    notice.status = NoticeStatus.SCHEDULED
    notice.send_at = max(send_at, now)
    session.add(notice)
    session.flush()
    log.info("notice %s scheduled", notice.id)
    return notice


def start_notice(*, session: Session, notice: Notice, now: datetime) -> Notice:
    """Count the audience now and write one pending delivery per recipient; status `sending`.

    Guarded by the status in the UPDATE itself, so two senders (or a double press) cannot
    start one notice twice. A notice with nobody to send to finishes at once.
    """
    started = session.exec(
        update(Notice)
        .where(col(Notice.id) == notice.id)
        .where(col(Notice.status).in_([NoticeStatus.DRAFT, NoticeStatus.SCHEDULED]))
        .values(status=NoticeStatus.SENDING, started_at=now)
    )
    if started.rowcount != 1:
        session.refresh(notice)
        raise NoticeNotOpen(notice.id, notice.status, "start")
    recipients = audience_query(notice.district, notice.audience).subquery()
    session.exec(
        insert(Delivery).from_select(
            ["notice_id", "resident_id", "chat_id", "language", "status", "attempts", "next_attempt_at"],
            select(
                literal(notice.id),
                recipients.c.id,
                recipients.c.chat_id,
                recipients.c.language,
                literal(str(DeliveryStatus.PENDING)),
                literal(0),
                bindparam("start_now", now, type_=UtcDateTime()),
            ),
        )
    )
    count = session.exec(
        select(func.count()).select_from(Delivery).where(Delivery.notice_id == notice.id)
    ).one()
    session.exec(update(Notice).where(col(Notice.id) == notice.id).values(recipients=count))
    session.refresh(notice)
    if count == 0:
        _finish(session, notice, now)
    log.info("notice %s started: %s recipients", notice.id, count)
    return notice


def start_due_notices(*, session: Session, now: datetime) -> list[int]:
    """Start every scheduled notice whose time has come; returns their ids."""
    due = session.exec(
        select(Notice)
        .where(Notice.status == NoticeStatus.SCHEDULED)
        .where(col(Notice.send_at) <= now)
        .order_by(col(Notice.send_at), col(Notice.id))
    ).all()
    started = []
    for notice in due:
        try:
            started.append(start_notice(session=session, notice=notice, now=now).id)
        except NoticeNotOpen:  # another sender started or someone stopped it meanwhile
            continue
    return started


def get_notice(*, session: Session, notice_id: int, staff: StaffMember | None = None) -> Notice:
    """The notice; a staff member of another district is told it does not exist."""
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise NoticeNotFound(notice_id)
    if staff is not None and notice.district != staff.district:
        raise NotAllowed(notice_id, staff.id)
    return notice


def cancel_notice(*, session: Session, notice_id: int, now: datetime,
                  staff: StaffMember | None = None) -> Notice:
    """Stop a scheduled or running notice: deliveries not yet claimed are cancelled.

    Only staff of the notice's district may (or an operator, `staff=None`). Messages already
    claimed by a sender (its current batch, and the next one it fetched meanwhile) still go
    out; they cannot be called back, and the report counts them as they end.
    """
    notice = get_notice(session=session, notice_id=notice_id, staff=staff)
    stopped = session.exec(
        update(Notice)
        .where(col(Notice.id) == notice_id)
        .where(col(Notice.status).in_(list(OPEN_STATUSES)))
        .values(status=NoticeStatus.CANCELLED, cancelled_at=now)
    )
    if stopped.rowcount != 1:
        session.refresh(notice)
        raise NoticeNotOpen(notice_id, notice.status, "stop")
    session.exec(
        update(Delivery)
        .where(Delivery.notice_id == notice_id, Delivery.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.CANCELLED, finished_at=now)
    )
    session.refresh(notice)
    _finish_if_nothing_in_flight(session, notice, now)
    log.info("notice %s stopped by %s", notice_id, f"staff member {staff.id}" if staff else "an operator")
    return notice


def discard_drafts(*, session: Session, staff: StaffMember) -> int:
    """Delete the staff member's unfinished drafts (a new /notice, or /cancel)."""
    result = session.exec(
        delete(Notice).where(Notice.staff_id == staff.id, Notice.status == NoticeStatus.DRAFT)
    )
    return result.rowcount


def list_notices(*, session: Session, district: str | None = None, limit: int = 10) -> list[Notice]:
    """Recent notices (drafts left out), newest first; of one district when given."""
    query = select(Notice).where(Notice.status != NoticeStatus.DRAFT)
    if district is not None:
        query = query.where(Notice.district == district)
    return list(session.exec(query.order_by(col(Notice.created_at).desc(), col(Notice.id).desc()).limit(limit)))


def _require_draft(notice: Notice, action: str) -> None:
    if notice.status != NoticeStatus.DRAFT:
        raise NoticeNotOpen(notice.id or 0, notice.status, action)


# --- what residents see -------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeContent:
    """What a sender needs of a notice to send it, read once per run."""

    id: int
    district: str
    text: str
    photo: str | None
    link_url: str | None
    link_label: str | None
    progress_chat_id: int | None
    progress_language: str

    @classmethod
    def of(cls, notice: Notice) -> NoticeContent:
        assert notice.id is not None
        return cls(notice.id, notice.district, notice.text, notice.photo, notice.link_url,
                   notice.link_label, notice.progress_chat_id, notice.progress_language)


def resident_message(notice: Notice | NoticeContent, *, chat_id: int, language: str, texts: Texts) -> Outgoing:
    """The message one resident receives (the preview shows staff exactly this)."""
    text = texts.get(language, "notice.for_residents", text=notice.text)
    buttons: tuple[tuple[Button, ...], ...] = ()
    if notice.link_url:
        label = notice.link_label or texts.get(language, "notice.link_default")
        buttons = ((Button(label=label, url=notice.link_url),),)
    return Outgoing(chat_id=chat_id, text=text, buttons=buttons, photo=notice.photo)


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
    _finish_if_nothing_in_flight(session, notice, now)
    return notice


def _finish_if_nothing_in_flight(session: Session, notice: Notice, now: datetime) -> None:
    if notice.finished_at is not None or notice.status not in (NoticeStatus.SENDING, NoticeStatus.CANCELLED):
        return
    open_rows = session.exec(
        select(func.count()).select_from(Delivery).where(
            Delivery.notice_id == notice.id,
            col(Delivery.status).in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING]),
        )
    ).one()
    if open_rows == 0:
        _finish(session, notice, now)


def _finish(session: Session, notice: Notice, now: datetime) -> None:
    if notice.status == NoticeStatus.SENDING:
        notice.status = NoticeStatus.FINISHED
    notice.finished_at = now
    session.add(notice)
    session.flush()
    log.info("notice %s %s: %s delivered, %s blocked, %s failed", notice.id, notice.status,
             notice.delivered, notice.blocked, notice.failed)


def mark_reported(*, session: Session, notice_id: int, now: datetime, progress_message_id: int | None = None) -> None:
    values: dict = {"reported_at": now}
    if progress_message_id is not None:
        values["progress_message_id"] = progress_message_id
    session.exec(update(Notice).where(col(Notice.id) == notice_id).values(**values))


def set_progress_message(*, session: Session, notice_id: int, message_id: int) -> None:
    session.exec(update(Notice).where(col(Notice.id) == notice_id).values(progress_message_id=message_id))


# --- reports --------------------------------------------------------------------------------


class FailureReason(StrEnum):
    REFUSED = "refused"  # Telegram refused the message itself (400)
    UNAVAILABLE = "unavailable"  # Telegram did not answer or failed, every attempt
    OTHER = "other"


def failure_reason(code: str | None) -> FailureReason:
    if not code:
        return FailureReason.OTHER
    if code.startswith("telegram:400") or code == "telegram:chat_migrated":
        return FailureReason.REFUSED
    if code.startswith("unexpected:"):
        return FailureReason.OTHER
    return FailureReason.UNAVAILABLE


@dataclass(frozen=True)
class NoticeReport:
    """Where a notice is: the counters, what is left, and why deliveries failed."""

    notice_id: int
    district: str
    status: str
    audience: str
    text: str
    created_at: datetime
    send_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    recipients: int
    delivered: int
    blocked: int
    failed: int
    pending: int
    in_flight: int
    cancelled: int
    failures: dict[str, int] = field(default_factory=dict)  # FailureReason → count

    @property
    def remaining(self) -> int:
        return self.pending + self.in_flight


def notice_report(*, session: Session, notice_id: int) -> NoticeReport:
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise NoticeNotFound(notice_id)
    by_status = dict(session.exec(
        select(Delivery.status, func.count()).where(Delivery.notice_id == notice_id).group_by(Delivery.status)
    ).all())
    failures: dict[str, int] = {}
    for code, count in session.exec(
        select(Delivery.error, func.count())
        .where(Delivery.notice_id == notice_id, Delivery.status == DeliveryStatus.FAILED)
        .group_by(Delivery.error)
    ).all():
        reason = str(failure_reason(code))
        failures[reason] = failures.get(reason, 0) + count
    return NoticeReport(
        notice_id=notice_id,
        district=notice.district,
        status=notice.status,
        audience=notice.audience,
        text=notice.text,
        created_at=notice.created_at,
        send_at=notice.send_at,
        started_at=notice.started_at,
        finished_at=notice.finished_at,
        recipients=notice.recipients,
        delivered=notice.delivered,
        blocked=notice.blocked,
        failed=notice.failed,
        pending=by_status.get(DeliveryStatus.PENDING, 0),
        in_flight=by_status.get(DeliveryStatus.SENDING, 0),
        cancelled=by_status.get(DeliveryStatus.CANCELLED, 0),
        failures=failures,
    )


def parse_send_time(typed: str) -> datetime:
    """ISO 8601 ("2025-03-05 14:00", "2025-03-05T14:00+09:00"); Korea time without an offset."""
    try:
        value = datetime.fromisoformat(typed.strip())
    except ValueError:
        raise InvalidNotice("send_at", "write it like 2025-03-05 14:00") from None
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=KOREA)
    return value


__all__ = [
    "CAPTION_MAX_LENGTH",
    "ClaimedDelivery",
    "DEFAULT_POLICY",
    "DeliveryPolicy",
    "DeliveryResult",
    "FailureReason",
    "InvalidNotice",
    "NotAllowed",
    "NoticeContent",
    "NoticeError",
    "NoticeNotFound",
    "NoticeNotOpen",
    "NoticeReport",
    "Outcome",
    "RecordStats",
    "TEXT_MAX_LENGTH",
    "WorkLeft",
    "audience_query",
    "cancel_notice",
    "check_link",
    "claim_deliveries",
    "count_audience",
    "create_notice",
    "discard_drafts",
    "failure_reason",
    "finish_if_done",
    "get_notice",
    "list_notices",
    "mark_reported",
    "notice_report",
    "parse_link",
    "parse_send_time",
    "record_results",
    "release_expired_claims",
    "renew_claims",
    "resident_message",
    "schedule_notice",
    "set_audience",
    "set_content",
    "set_link",
    "set_progress_message",
    "start_due_notices",
    "start_notice",
    "unclaim",
    "work_left",
]
