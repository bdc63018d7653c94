"""What the bot knows about a resident: showing it all (/mydata), erasing it (/forget), and
erasing contact details of closed bookings once the retention period is over.

Erasing keeps what districts need to count their work (which program, which district, which
status, when) and removes everything that points to a person: the resident row, the
conversation state, outbox messages to or about them, and in bookings the phone, address,
note, decline reason, request key, resident link, and every free-text history detail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, delete, or_, select, update

from bot.bookings import cancel_open_bookings_of
from bot.models import (
    CLOSED_STATUSES,
    ActorKind,
    Booking,
    BookingBase,
    BookingEvent,
    BookingEventBase,
    ConversationState,
    OutboxMessage,
    Resident,
    ResidentBase,
)

log = logging.getLogger(__name__)


class ResidentNotFound(LookupError):
    def __init__(self, resident_id: int):
        self.resident_id = resident_id
        super().__init__(f"no resident {resident_id}")


# --- the report ---------------------------------------------------------------------------


class ResidentRecord(ResidentBase):
    id: int
    platform_user_id: int
    chat_id: int
    created_at: datetime
    updated_at: datetime


class BookingEventRecord(BookingEventBase):
    pass


class BookingRecord(BookingBase):
    id: int
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    personal_data_erased_at: datetime | None = None
    events: list[BookingEventRecord] = []


class ConversationRecord(BaseModel):
    state: str
    data: dict[str, Any]
    updated_at: datetime


class OutboxRecord(BaseModel):
    id: int
    chat_id: int
    text: str
    status: str
    created_at: datetime


class PrivacyReport(BaseModel):
    """Everything stored about one resident; `model_dump(mode="json")` gives a JSON export."""

    resident: ResidentRecord
    bookings: list[BookingRecord]
    conversation: ConversationRecord | None
    outbox: list[OutboxRecord]


def privacy_report(*, session: Session, resident_id: int) -> PrivacyReport:
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise ResidentNotFound(resident_id)
    bookings = session.exec(
        select(Booking).where(Booking.resident_id == resident_id).order_by(col(Booking.id))
    ).all()
    records = []
    for booking in bookings:
        events = session.exec(
            select(BookingEvent)
            .where(BookingEvent.booking_id == booking.id)
            .order_by(col(BookingEvent.at), col(BookingEvent.id))
        ).all()
        record = BookingRecord.model_validate(booking)
        record.events = [BookingEventRecord.model_validate(event) for event in events]
        records.append(record)
    state = session.get(ConversationState, resident.platform_user_id)
    conversation = (
        ConversationRecord(state=state.state, data=dict(state.data or {}), updated_at=state.updated_at)
        if state is not None
        else None
    )
    messages = session.exec(
        select(OutboxMessage).where(_outbox_of(resident)).order_by(col(OutboxMessage.id))
    ).all()
    return PrivacyReport(
        resident=ResidentRecord.model_validate(resident),
        bookings=records,
        conversation=conversation,
        outbox=[OutboxRecord.model_validate(m, from_attributes=True) for m in messages],
    )


# --- forgetting ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CancelledBooking:
    """An open request cancelled because its resident left; tell the district's staff."""

    booking_id: int
    district: str
    program_id: str


@dataclass(frozen=True)
class ForgetResult:
    found: bool
    anonymised_booking_ids: list[int] = field(default_factory=list)
    cancelled: list[CancelledBooking] = field(default_factory=list)


def forget_resident(*, session: Session, resident_id: int, now: datetime) -> ForgetResult:
    """Delete everything personal about a resident, in the caller's transaction.

    Open bookings are cancelled first (actor "system"), so staff are not left waiting on a
    person they can no longer reach; the caller may alert them using `ForgetResult.cancelled`,
    without naming the resident. Calling it again for the same id finds nothing and returns
    `found=False`, so a repeated /forget is harmless.
    """
    resident = session.get(Resident, resident_id)
    if resident is None:
        return ForgetResult(found=False)

    cancelled = [
        CancelledBooking(booking_id=b.id, district=b.district, program_id=b.program_id)
        for b in cancel_open_bookings_of(session=session, resident_id=resident_id, now=now)
    ]
    bookings = session.exec(select(Booking).where(Booking.resident_id == resident_id)).all()
    booking_ids = [b.id for b in bookings]
    if booking_ids:
        session.exec(
            update(BookingEvent)
            .where(col(BookingEvent.booking_id).in_(booking_ids))
            .values(detail=None)
        )
    session.exec(
        update(BookingEvent)
        .where(BookingEvent.actor_kind == ActorKind.RESIDENT, BookingEvent.actor_id == resident_id)
        .values(actor_id=None)
    )
    for booking in bookings:
        _clear_personal_fields(booking, now)
        booking.resident_id = None
        # Keys are built from Telegram ids by the caller; one must not lead back to the person.
        booking.request_key = f"forgotten:{booking.id}"
        session.add(booking)
    session.flush()

    session.exec(delete(OutboxMessage).where(_outbox_of(resident)))
    session.exec(
        delete(ConversationState).where(
            col(ConversationState.platform_user_id) == resident.platform_user_id
        )
    )
    session.delete(resident)
    session.flush()
    log.info("resident %s forgotten (%s bookings anonymised, %s cancelled)",
             resident_id, len(booking_ids), len(cancelled))
    return ForgetResult(found=True, anonymised_booking_ids=booking_ids, cancelled=cancelled)


def erase_expired_personal_fields(*, session: Session, now: datetime, retention_days: int) -> int:
    """Clear phone, address, note, decline reason and history details of bookings closed
    (done, declined, cancelled) more than `retention_days` before `now`; returns how many.

    Staff need a resident's phone to answer a request, not forever after: this is meant to run
    daily with `settings.booking_retention_days`.
    """
    if retention_days < 0:
        raise ValueError("retention_days cannot be negative")
    cutoff = now - timedelta(days=retention_days)
    expired = (
        select(Booking.id)
        .where(col(Booking.status).in_([str(s) for s in CLOSED_STATUSES]))
        .where(col(Booking.closed_at).is_not(None), col(Booking.closed_at) < cutoff)
        .where(col(Booking.personal_data_erased_at).is_(None))
    )
    # Subqueries rather than a list of ids: a first run on an old database may match many
    # thousands of rows, more than SQLite accepts as bound parameters. Events go first, while
    # the bookings still match the filter.
    session.exec(
        update(BookingEvent).where(col(BookingEvent.booking_id).in_(expired)).values(detail=None)
    )
    result = session.exec(
        update(Booking)
        .where(col(Booking.id).in_(expired))
        .values(phone=None, address_detail=None, note=None, decline_reason=None,
                personal_data_erased_at=now)
    )
    session.flush()
    if result.rowcount:
        log.info("personal fields of %s closed bookings erased", result.rowcount)
    return result.rowcount


def _clear_personal_fields(booking: Booking, now: datetime) -> None:
    booking.phone = None
    booking.address_detail = None
    booking.note = None
    booking.decline_reason = None
    booking.personal_data_erased_at = now


def _outbox_of(resident: Resident):
    return or_(OutboxMessage.resident_id == resident.id, OutboxMessage.chat_id == resident.chat_id)
