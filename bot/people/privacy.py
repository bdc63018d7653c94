"""What the bot knows about a resident: showing it all (/mydata), erasing it (/forget), and
erasing contact details of closed bookings once the retention period is over.

Erasing keeps what districts need to count their work (which program, which district, which
status, when) and removes everything that points to a person: the resident row, the
conversation state, outbox messages to or about them (and those naming them to their trusted
contacts), and in bookings the phone, address, note, decline reason, request key, resident
link, every free-text history detail, the photos and voice messages attached and the comments
on jobs (ratings and amounts stay: they are the provider's claim and no longer lead to the person).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, delete, func, or_, select, update

from bot.people.linking import forget_links_of
from bot.requests.bookings import cancel_open_bookings_of
from bot.requests.provider_jobs import withdraw_open_jobs
from bot.store.models import (
    CLOSED_STATUSES,
    ActorKind,
    Booking,
    BookingBase,
    BookingEvent,
    BookingEventBase,
    BookingPhoto,
    BookingVoice,
    CheckinAlert,
    CheckinContact,
    CheckinPlan,
    CheckinRound,
    ConversationState,
    HeldMessage,
    Job,
    JobBase,
    Notice,
    OutboxMessage,
    PlatformIdentity,
    Resident,
    ResidentBase,
)
from bot.store.models import (
    Delivery as NoticeDelivery,
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


class JobRecord(JobBase):
    id: int
    created_at: datetime


class BookingRecord(BookingBase):
    id: int
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    personal_data_erased_at: datetime | None = None
    events: list[BookingEventRecord] = []
    # The messenger's ids of the photos the resident attached (the pictures stay on Telegram).
    photos: list[str] = []
    # The same for the voice messages attached: (file id, seconds). The sound stays on Telegram.
    voice_notes: list[tuple[str, int]] = []
    jobs: list[JobRecord] = []


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


class CheckinPlanRecord(BaseModel):
    weekdays: list[int]  # Monday = 0 … Sunday = 6
    local_time: str  # HH:MM
    time_zone: str
    status: str
    paused_until: date | None = None
    next_due_at: datetime | None = None
    missed_in_row: int
    last_answer: str | None = None
    last_answered_at: datetime | None = None
    created_at: datetime


class CheckinRoundRecord(BaseModel):
    scheduled_for: datetime
    status: str
    delivery: str | None = None
    sent_at: datetime | None = None
    reminded_at: datetime | None = None
    alerted_at: datetime | None = None
    answer: str | None = None
    answered_at: datetime | None = None
    help_alerted_at: datetime | None = None
    reached_at: datetime | None = None


class CheckinContactRecord(BaseModel):
    """A trusted-contact link: `role` "my_contact" (whom the resident asked) or "contact_for"
    (someone who asked the resident); the other person is named only by first name."""

    role: str
    other_name: str | None = None
    status: str
    invited_at: datetime
    answered_at: datetime | None = None


class NoticeDeliveryRecord(BaseModel):
    notice_id: int
    district: str
    status: str
    finished_at: datetime | None = None


class PrivacyReport(BaseModel):
    """Everything stored about one resident; `model_dump(mode="json")` gives a JSON export."""

    resident: ResidentRecord
    bookings: list[BookingRecord]
    conversation: ConversationRecord | None
    outbox: list[OutboxRecord]
    checkin_plan: CheckinPlanRecord | None = None
    # The most recent check-ins (at most CHECKIN_ROUNDS_REPORTED), newest first.
    checkin_rounds: list[CheckinRoundRecord] = []
    checkin_contacts: list[CheckinContactRecord] = []
    notice_deliveries: list[NoticeDeliveryRecord] = []
    # Alerts sent to staff or her contact about her check-ins, and to her as someone's contact.
    checkin_alerts_about_her: int = 0
    checkin_alerts_to_her: int = 0


CHECKIN_ROUNDS_REPORTED = 30


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
        record.photos = list(session.exec(
            select(BookingPhoto.file_id).where(BookingPhoto.booking_id == booking.id).order_by(col(BookingPhoto.id))))
        record.voice_notes = [(voice.file_id, voice.seconds) for voice in session.exec(
            select(BookingVoice).where(BookingVoice.booking_id == booking.id).order_by(col(BookingVoice.id)))]
        record.jobs = [JobRecord.model_validate(job) for job in session.exec(
            select(Job).where(Job.booking_id == booking.id).order_by(col(Job.id)))]
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
        checkin_plan=_checkin_plan(session, resident_id),
        checkin_rounds=[
            CheckinRoundRecord.model_validate(r, from_attributes=True)
            for r in session.exec(
                select(CheckinRound).where(CheckinRound.resident_id == resident_id)
                .where(col(CheckinRound.claimed_at).is_not(None))
                .order_by(col(CheckinRound.scheduled_for).desc()).limit(CHECKIN_ROUNDS_REPORTED)
            ).all()
        ],
        checkin_contacts=_checkin_contacts(session, resident_id),
        checkin_alerts_about_her=_count_alerts(session, col(CheckinAlert.round_id).in_(
            select(CheckinRound.id).where(CheckinRound.resident_id == resident_id))),
        checkin_alerts_to_her=_count_alerts(session, CheckinAlert.contact_resident_id == resident_id),
        notice_deliveries=[
            NoticeDeliveryRecord(notice_id=d.notice_id, district=n.district, status=d.status,
                                 finished_at=d.finished_at)
            for d, n in session.exec(
                select(NoticeDelivery, Notice).join(Notice, col(Notice.id) == NoticeDelivery.notice_id)
                .where(NoticeDelivery.resident_id == resident_id).order_by(col(NoticeDelivery.id))
            ).all()
        ],
    )


def _count_alerts(session: Session, condition) -> int:
    return int(session.exec(select(func.count()).select_from(CheckinAlert).where(condition)).one())


def _checkin_plan(session: Session, resident_id: int) -> CheckinPlanRecord | None:
    plan = session.exec(select(CheckinPlan).where(CheckinPlan.resident_id == resident_id)).first()
    if plan is None:
        return None
    return CheckinPlanRecord(
        weekdays=[d for d in range(7) if plan.weekdays & (1 << d)],
        local_time=plan.local_time.strftime("%H:%M"), time_zone=plan.time_zone, status=plan.status,
        paused_until=plan.paused_until, next_due_at=plan.next_due_at,
        missed_in_row=plan.missed_in_row, last_answer=plan.last_answer,
        last_answered_at=plan.last_answered_at, created_at=plan.created_at,
    )


def _checkin_contacts(session: Session, resident_id: int) -> list[CheckinContactRecord]:
    records = []
    for role, mine, other in (("my_contact", CheckinContact.resident_id, "contact_resident_id"),
                              ("contact_for", CheckinContact.contact_resident_id, "resident_id")):
        for row in session.exec(select(CheckinContact).where(mine == resident_id)).all():
            person = session.get(Resident, getattr(row, other))
            records.append(CheckinContactRecord(
                role=role, other_name=person.first_name if person else None, status=row.status,
                invited_at=row.invited_at, answered_at=row.answered_at))
    return records


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
    # Jobs taken off their provider because the request was cancelled: tell its members.
    withdrawn_jobs: list[Job] = field(default_factory=list)


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
    withdrawn = [job for c in cancelled
                 for job in withdraw_open_jobs(session=session, booking_id=c.booking_id, now=now)]
    bookings = session.exec(select(Booking).where(Booking.resident_id == resident_id)).all()
    booking_ids = [b.id for b in bookings]
    if booking_ids:
        session.exec(
            update(BookingEvent)
            .where(col(BookingEvent.booking_id).in_(booking_ids))
            .values(detail=None)
        )
        # Photos may show the home, a voice is the person's own; a comment may name anyone.
        # Ratings and amounts stay: they are the provider's claim and statistics, and no
        # longer lead to the person.
        session.exec(delete(BookingPhoto).where(col(BookingPhoto.booking_id).in_(booking_ids)))
        session.exec(delete(BookingVoice).where(col(BookingVoice.booking_id).in_(booking_ids)))
        session.exec(update(Job).where(col(Job.booking_id).in_(booking_ids)).values(rating_comment=None))
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
    # A messenger that fetches what it shows (KakaoTalk) may hold messages for the person, and
    # knows them by a key of its own: both go, so a returning person starts as someone new.
    session.exec(delete(HeldMessage).where(col(HeldMessage.chat_id) == resident.chat_id))
    # That includes identities of another messenger linked to the resident (their `internal_id`
    # is the resident's), and the codes and failed tries of linking.
    session.exec(delete(PlatformIdentity).where(col(PlatformIdentity.internal_id) == resident.platform_user_id))
    forget_links_of(session=session, resident=resident)
    session.exec(
        delete(ConversationState).where(
            col(ConversationState.platform_user_id) == resident.platform_user_id
        )
    )
    session.delete(resident)
    session.flush()
    log.info("resident %s forgotten (%s bookings anonymised, %s cancelled)",
             resident_id, len(booking_ids), len(cancelled))
    return ForgetResult(found=True, anonymised_booking_ids=booking_ids, cancelled=cancelled,
                        withdrawn_jobs=withdrawn)


def erase_expired_personal_fields(*, session: Session, now: datetime, retention_days: int) -> int:
    """Clear phone, address, note, decline reason, history details, photos and voice messages of
    bookings closed (done, declined, cancelled) more than `retention_days` before `now`;
    returns how many.

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
    session.exec(delete(BookingPhoto).where(col(BookingPhoto.booking_id).in_(expired)))
    session.exec(delete(BookingVoice).where(col(BookingVoice.booking_id).in_(expired)))
    session.exec(update(Job).where(col(Job.booking_id).in_(expired)).values(rating_comment=None))
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
