"""Writing a staff notice: its text, link and audience, scheduling, starting and stopping it.

The notice's life and its deliveries' are in `bot.notices` (the package doc)."""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sqlalchemy import Select, bindparam, exists, func, insert, literal, update
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
OPEN_STATUSES = frozenset({NoticeStatus.SCHEDULED, NoticeStatus.SENDING})


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
        finish_notice(session, notice, now)
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
    finish_if_nothing_in_flight(session, notice, now)
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




def parse_send_time(typed: str) -> datetime:
    """ISO 8601 ("2025-03-05 14:00", "2025-03-05T14:00+09:00"); Korea time without an offset."""
    try:
        value = datetime.fromisoformat(typed.strip())
    except ValueError:
        raise InvalidNotice("send_at", "write it like 2025-03-05 14:00") from None
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=KOREA)
    return value


# --- finishing -----------------------------------------------------------------------------


def finish_if_nothing_in_flight(session: Session, notice: Notice, now: datetime) -> None:
    if notice.finished_at is not None or notice.status not in (NoticeStatus.SENDING, NoticeStatus.CANCELLED):
        return
    open_rows = session.exec(
        select(func.count()).select_from(Delivery).where(
            Delivery.notice_id == notice.id,
            col(Delivery.status).in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING]),
        )
    ).one()
    if open_rows == 0:
        finish_notice(session, notice, now)


def finish_notice(session: Session, notice: Notice, now: datetime) -> None:
    if notice.status == NoticeStatus.SENDING:
        notice.status = NoticeStatus.FINISHED
    notice.finished_at = now
    session.add(notice)
    session.flush()
    log.info("notice %s %s: %s delivered, %s blocked, %s failed", notice.id, notice.status,
             notice.delivered, notice.blocked, notice.failed)
