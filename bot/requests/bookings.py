"""Booking requests: a resident asks for a program, staff of the resident's district answer.

The life of a booking (every other move raises `InvalidTransition`):

    requested ──accept──▶ accepted ──complete──▶ done
        │                    │
        ├──decline──▶ declined
        └──cancel───▶ cancelled ◀──cancel──┘

Who may move it is checked here, not only in the handlers: only the booking's own resident
cancels; only staff of the booking's district accept, decline or complete. A refused move
raises `NotAllowed` before anything is written. Each move, and the creation, writes one
`BookingEvent` in the same transaction as the status change.

Which programs are bookable in which district is the catalog's business: the caller offers
only programs whose `apply.bookable` is true and which `catalog.serves(program, district)`;
this module stores the program id it is given.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.core.clock import korean_date
from bot.core.messages import VoiceNote
from bot.people.phones import normalize_phone
from bot.requests.voice_notes import MAX_VOICE_NOTES, voice_problem
from bot.store.models import (
    CLOSED_STATUSES,
    ActorKind,
    Booking,
    BookingEvent,
    BookingPhoto,
    BookingStatus,
    BookingVoice,
    Resident,
    StaffMember,
    TimeWindow,
)

log = logging.getLogger(__name__)

# Staff plan a few weeks ahead; a date a year away is almost surely a typo in the year.
MAX_DAYS_AHEAD = 365
ADDRESS_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 500
REQUEST_KEY_MAX_LENGTH = 200
# A few photos show what needs repair; more would bury the staff's chat.
MAX_PHOTOS = 5
PHOTO_ID_MAX_LENGTH = 256

ALLOWED_TRANSITIONS: dict[BookingStatus, frozenset[BookingStatus]] = {
    BookingStatus.REQUESTED: frozenset(
        {BookingStatus.ACCEPTED, BookingStatus.DECLINED, BookingStatus.CANCELLED}
    ),
    BookingStatus.ACCEPTED: frozenset({BookingStatus.DONE, BookingStatus.CANCELLED}),
    BookingStatus.DECLINED: frozenset(),
    BookingStatus.CANCELLED: frozenset(),
    BookingStatus.DONE: frozenset(),
}


class BookingError(Exception):
    """Base of the expected failures of booking services; the edge turns them into replies."""


class BookingNotFound(BookingError, LookupError):
    def __init__(self, booking_id: int):
        self.booking_id = booking_id
        super().__init__(f"no booking {booking_id}")


class NotAllowed(BookingError, PermissionError):
    """The person asking is not the booking's resident, or not staff of its district."""

    def __init__(self, booking_id: int | None, action: str):
        self.booking_id = booking_id
        self.action = action
        super().__init__(f"not allowed to {action} booking {booking_id}")


class InvalidTransition(BookingError):
    """The booking's status does not allow this move (e.g. accepting a cancelled request)."""

    def __init__(self, booking_id: int, current: str, target: str):
        self.booking_id = booking_id
        self.current = current
        self.target = target
        super().__init__(f"booking {booking_id} cannot go from {current} to {target}")


class InvalidBookingDetails(BookingError, ValueError):
    """A field of a new request is unusable; `field_name` says which, the value is not repeated."""

    def __init__(self, field_name: str, reason: str):
        self.field_name = field_name
        self.reason = reason
        super().__init__(f"{field_name}: {reason}")


# --- creating -------------------------------------------------------------------------------


def create_booking(
    *,
    session: Session,
    resident: Resident,
    program_id: str,
    preferred_date: date,
    time_window: str,
    phone: str,
    request_key: str,
    now: datetime,
    address_detail: str | None = None,
    note: str | None = None,
    share_contact: bool = False,
    photo_ids: Sequence[str] = (),
    voice_notes: Sequence[VoiceNote] = (),
    preferred_time: time | None = None,
) -> Booking:
    """Store a resident's request for `program_id`, for staff of the resident's district.

    `share_contact` is the resident's consent that the provider sent to them may see the
    phone and address; `photo_ids` are the messenger's ids of photos they attached, and
    `voice_notes` the voice messages they recorded (`bot.requests.voice_notes`).

    `request_key` makes this idempotent: the caller derives it from the button press that
    confirmed the request (e.g. "<user id>:<message id>"), and a second call with the same key
    (a double tap, a retried update) returns the booking the first call made, unchanged.
    Raises `InvalidPhone` (from `bot.people.phones`) or `InvalidBookingDetails` for unusable input.
    """
    key = (request_key or "").strip()
    if not key or len(key) > REQUEST_KEY_MAX_LENGTH:
        raise InvalidBookingDetails("request_key", f"1 to {REQUEST_KEY_MAX_LENGTH} characters")
    if resident.id is None:
        raise InvalidBookingDetails("resident", "the resident has not been saved")
    photos = _photo_ids(photo_ids)
    voices = _voice_notes(voice_notes)
    existing = _booking_by_key(session, key)
    if existing is not None:
        return _same_request(existing, resident)

    booking = Booking(
        resident_id=resident.id,
        request_key=key,
        program_id=_program_id(program_id),
        district=resident.district,
        preferred_date=_preferred_date(preferred_date, now),
        time_window=_time_window(time_window),
        preferred_time=_preferred_time(preferred_time),
        phone=normalize_phone(phone),
        address_detail=_optional_text("address_detail", address_detail, ADDRESS_MAX_LENGTH),
        note=_optional_text("note", note, NOTE_MAX_LENGTH),
        share_contact=bool(share_contact),
        status=BookingStatus.REQUESTED,
        created_at=now,
        updated_at=now,
    )
    try:
        # A savepoint, so that losing a race on the unique key undoes only this insert and
        # not the caller's other work in the same transaction.
        with session.begin_nested():
            session.add(booking)
            session.flush()
            session.add(_event(booking, ActorKind.RESIDENT, resident.id, None,
                               BookingStatus.REQUESTED, None, now))
            session.add_all(BookingPhoto(booking_id=booking.id, file_id=file_id, added_at=now)
                            for file_id in photos)
            session.add_all(BookingVoice(booking_id=booking.id, file_id=voice.file_id, seconds=voice.seconds,
                                         added_at=now) for voice in voices)
            session.flush()
    except IntegrityError:
        existing = _booking_by_key(session, key)
        if existing is None:
            raise
        return _same_request(existing, resident)
    log.info("booking %s requested by resident %s (program %s, district %s)",
             booking.id, resident.id, booking.program_id, booking.district)
    return booking


def _photo_ids(photo_ids: Sequence[str]) -> list[str]:
    photos = list(photo_ids)
    if len(photos) > MAX_PHOTOS:
        raise InvalidBookingDetails("photos", f"at most {MAX_PHOTOS}")
    if any(not isinstance(p, str) or not 0 < len(p) <= PHOTO_ID_MAX_LENGTH for p in photos):
        raise InvalidBookingDetails("photos", "not a messenger file id")
    return photos


def _voice_notes(voice_notes: Sequence[VoiceNote]) -> list[VoiceNote]:
    voices = list(voice_notes)
    if len(voices) > MAX_VOICE_NOTES:
        raise InvalidBookingDetails("voice_notes", f"at most {MAX_VOICE_NOTES}")
    if any(voice_problem(voice) is not None for voice in voices):
        raise InvalidBookingDetails("voice_notes", "not a usable voice message")
    return voices


def _booking_by_key(session: Session, key: str) -> Booking | None:
    return session.exec(select(Booking).where(Booking.request_key == key)).first()


def resident_booking_with_key(*, session: Session, key: str, resident: Resident) -> Booking | None:
    """The booking a confirm press with `key` made, if it is `resident`'s: a key names its
    user, but the owner is checked anyway, since keys are built from what was sent."""
    booking = _booking_by_key(session, key)
    return booking if booking is not None and booking.resident_id == resident.id else None


def photo_file_ids(*, session: Session, booking_id: int) -> list[str]:
    """The messenger's ids of the photos attached to a booking, in the order they came."""
    return list(session.exec(
        select(BookingPhoto.file_id).where(BookingPhoto.booking_id == booking_id).order_by(col(BookingPhoto.id))
    ))


def count_photos(*, session: Session, booking_id: int) -> int:
    return session.exec(select(func.count()).select_from(BookingPhoto)
                        .where(BookingPhoto.booking_id == booking_id)).one()


def latest_phone(*, session: Session, resident_id: int) -> str | None:
    """The phone number of the resident's latest request that has one (for a crisis alert)."""
    return session.exec(
        select(Booking.phone)
        .where(Booking.resident_id == resident_id, col(Booking.phone).is_not(None))
        .order_by(col(Booking.created_at).desc(), col(Booking.id).desc())
    ).first()


def _same_request(existing: Booking, resident: Resident) -> Booking:
    # Keys are chosen by callers; one resident must never get another's booking back.
    if existing.resident_id != resident.id:
        raise NotAllowed(None, "reuse the request key of")
    return existing


def _program_id(program_id: str) -> str:
    value = (program_id or "").strip()
    if not value or len(value) > 128:
        raise InvalidBookingDetails("program_id", "missing or too long")
    return value


def _preferred_date(preferred: date, now: datetime) -> date:
    today = korean_date(now)
    if preferred < today:
        raise InvalidBookingDetails("preferred_date", "in the past")
    if preferred > today + timedelta(days=MAX_DAYS_AHEAD):
        raise InvalidBookingDetails("preferred_date", f"more than {MAX_DAYS_AHEAD} days ahead")
    return preferred


def _time_window(value: str) -> str:
    if value not in set(TimeWindow):
        raise InvalidBookingDetails("time_window", f"one of {', '.join(TimeWindow)}")
    return str(TimeWindow(value))


def _preferred_time(value: time | None) -> time | None:
    if value is not None and not isinstance(value, time):
        raise InvalidBookingDetails("preferred_time", "a clock time")
    return value


def _optional_text(field_name: str, value: str | None, max_length: int) -> str | None:
    text = (value or "").strip()
    if len(text) > max_length:
        raise InvalidBookingDetails(field_name, f"longer than {max_length} characters")
    return text or None


# --- moving ---------------------------------------------------------------------------------


def accept_booking(
    *, session: Session, booking_id: int, staff: StaffMember, now: datetime, detail: str | None = None
) -> Booking:
    """Staff of the booking's district take the request on."""
    booking = locked_booking(session, booking_id)
    actor = district_staff(session, staff, booking, "accept")
    return _move(session, booking, BookingStatus.ACCEPTED, ActorKind.STAFF, actor.id, detail, now)


def decline_booking(
    *, session: Session, booking_id: int, staff: StaffMember, now: datetime, reason: str | None = None
) -> Booking:
    """Staff of the booking's district say no; `reason` is shown to the resident."""
    booking = locked_booking(session, booking_id)
    actor = district_staff(session, staff, booking, "decline")
    reason = _optional_text("reason", reason, NOTE_MAX_LENGTH)
    _check_transition(booking, BookingStatus.DECLINED)
    booking.decline_reason = reason
    return _move(session, booking, BookingStatus.DECLINED, ActorKind.STAFF, actor.id, reason, now)


def complete_booking(
    *, session: Session, booking_id: int, staff: StaffMember, now: datetime, detail: str | None = None
) -> Booking:
    """Staff of the booking's district record that the help was given."""
    booking = locked_booking(session, booking_id)
    actor = district_staff(session, staff, booking, "complete")
    return _move(session, booking, BookingStatus.DONE, ActorKind.STAFF, actor.id, detail, now)


def cancel_booking(
    *, session: Session, booking_id: int, resident: Resident, now: datetime, reason: str | None = None
) -> Booking:
    """The booking's own resident withdraws the request (before or after it was accepted)."""
    booking = locked_booking(session, booking_id)
    if resident.id is None or booking.resident_id != resident.id:
        raise NotAllowed(booking_id, "cancel")
    reason = _optional_text("reason", reason, NOTE_MAX_LENGTH)
    return _move(session, booking, BookingStatus.CANCELLED, ActorKind.RESIDENT, resident.id,
                 reason, now)


def complete_booking_as_provider(
    *, session: Session, booking: Booking, member_id: int, now: datetime, detail: str | None = None
) -> Booking:
    """The provider the booking's job is assigned to recorded the help as delivered; the
    caller (`bot.requests.provider_jobs.complete_job`) has checked that the member belongs to that provider."""
    return _move(session, booking, BookingStatus.DONE, ActorKind.PROVIDER, member_id, detail, now)


def record_step(
    *,
    session: Session,
    booking: Booking,
    actor_kind: ActorKind,
    actor_id: int | None,
    action: str,
    now: datetime,
    detail: str | None = None,
) -> BookingEvent:
    """A step that keeps the booking's status (a job assigned, a visit agreed, a cap override)
    in the booking's history, so every change of a request reads in one place."""
    event = _event(booking, actor_kind, actor_id, booking.status, booking.status, detail, now)
    event.action = action
    session.add(event)
    session.flush()
    return event


def cancel_open_bookings_of(*, session: Session, resident_id: int, now: datetime) -> list[Booking]:
    """Cancel, as the system, every open booking of a resident who is leaving (/forget).

    Staff would otherwise wait on requests whose resident can no longer be reached.
    """
    open_bookings = session.exec(
        select(Booking)
        .where(Booking.resident_id == resident_id)
        .where(col(Booking.status).in_([BookingStatus.REQUESTED, BookingStatus.ACCEPTED]))
        .order_by(col(Booking.id))
        .with_for_update()
    ).all()
    return [
        _move(session, booking, BookingStatus.CANCELLED, ActorKind.SYSTEM, None, None, now)
        for booking in open_bookings
    ]


def locked_booking(session: Session, booking_id: int) -> Booking:
    """The booking, locked for this transaction: FOR UPDATE serialises two staff pressing
    "accept" at once on PostgreSQL; SQLite ignores it and serialises writers anyway."""
    booking = session.exec(
        select(Booking)
        .where(Booking.id == booking_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if booking is None:
        raise BookingNotFound(booking_id)
    return booking


def district_staff(session: Session, staff: StaffMember, booking: Booking, action: str) -> StaffMember:
    """`staff` re-read, if still staff of the booking's district; else `NotAllowed`. Re-read,
    because someone removed since the handler loaded them is no longer staff."""
    current = session.get(StaffMember, staff.id) if staff.id is not None else None
    if current is None or current.telegram_id != staff.telegram_id or current.district != booking.district:
        raise NotAllowed(booking.id, action)
    return current


def _check_transition(booking: Booking, target: BookingStatus) -> None:
    current = BookingStatus(booking.status)
    if target not in ALLOWED_TRANSITIONS[current]:
        raise InvalidTransition(booking.id, current, target)


def _move(
    session: Session,
    booking: Booking,
    target: BookingStatus,
    actor_kind: ActorKind,
    actor_id: int | None,
    detail: str | None,
    now: datetime,
) -> Booking:
    _check_transition(booking, target)
    previous = booking.status
    booking.status = target
    booking.updated_at = now
    if target in CLOSED_STATUSES:
        booking.closed_at = now
    session.add(booking)
    session.add(_event(booking, actor_kind, actor_id, previous, target, detail, now))
    session.flush()
    log.info("booking %s %s -> %s by %s %s", booking.id, previous, target, actor_kind, actor_id)
    return booking


def _event(booking, actor_kind, actor_id, from_status, to_status, detail, now) -> BookingEvent:
    return BookingEvent(
        booking_id=booking.id,
        at=now,
        actor_kind=actor_kind,
        actor_id=actor_id,
        from_status=from_status,
        to_status=to_status,
        detail=detail,
    )


# --- reading --------------------------------------------------------------------------------


def get_resident_booking(*, session: Session, booking_id: int, resident: Resident) -> Booking:
    """One of the resident's own bookings; anyone else's raises `NotAllowed`."""
    booking = session.get(Booking, booking_id)
    if booking is None:
        raise BookingNotFound(booking_id)
    if resident.id is None or booking.resident_id != resident.id:
        raise NotAllowed(booking_id, "view")
    return booking


def get_district_booking(*, session: Session, booking_id: int, staff: StaffMember) -> Booking:
    """A booking of the staff member's district; another district's raises `NotAllowed`."""
    booking = session.get(Booking, booking_id)
    if booking is None:
        raise BookingNotFound(booking_id)
    district_staff(session, staff, booking, "view")
    return booking


def list_resident_bookings(
    *, session: Session, resident: Resident, statuses: Collection[str] | None = None
) -> list[Booking]:
    """The resident's bookings, newest first."""
    query = select(Booking).where(Booking.resident_id == resident.id)
    if statuses is not None:
        query = query.where(col(Booking.status).in_(list(statuses)))
    return list(session.exec(query.order_by(col(Booking.created_at).desc(), col(Booking.id).desc())))


def list_district_bookings(
    *, session: Session, staff: StaffMember, statuses: Collection[str] | None = None
) -> list[Booking]:
    """The bookings of the staff member's district, oldest first (the order to answer them in)."""
    current = session.get(StaffMember, staff.id) if staff.id is not None else None
    if current is None:
        raise NotAllowed(None, "list the bookings of a district as")
    query = select(Booking).where(Booking.district == current.district)
    if statuses is not None:
        query = query.where(col(Booking.status).in_(list(statuses)))
    return list(session.exec(query.order_by(col(Booking.created_at), col(Booking.id))))


def list_booking_events(*, session: Session, booking: Booking) -> list[BookingEvent]:
    """A booking's history, oldest first; pass a booking obtained through a checked getter."""
    return list(
        session.exec(
            select(BookingEvent)
            .where(BookingEvent.booking_id == booking.id)
            .order_by(col(BookingEvent.at), col(BookingEvent.id))
        )
    )
