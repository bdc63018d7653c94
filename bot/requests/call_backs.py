"""Call-backs: a resident asks the district office to phone them, and leaves only a number.

Offered when a resident sends a voice message outside a request (the bot cannot listen; staff
can call). A call-back is a `Booking` whose program is the reserved id `CALL_BACK_PROGRAM`,
for today, at any time of day: the request table's program column is required, and a request
without a program would need a nullable column (on SQLite a rebuilt `booking` table) and a
second path through every view. As a booking it needs nothing new for staff: /queue, [Accept],
[Decline], [Done] and /done, the resident's /bookings and cancel, the history, retention and
/forget all work as for any request. The reserved id has no dot, and every catalog program's id
has one (`catalog.schema.PROGRAM_ID_PATTERN`), so it never names a program; no provider
delivers it, so staff get no [Give to ...] buttons on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from bot.core.clock import korean_date
from bot.core.messages import VoiceNote
from bot.requests.bookings import create_booking
from bot.store.models import Booking, Resident, TimeWindow

CALL_BACK_PROGRAM = "call-back"


def is_call_back(program_id: str | None) -> bool:
    return program_id == CALL_BACK_PROGRAM


def create_call_back(
    *,
    session: Session,
    resident: Resident,
    phone: str,
    request_key: str,
    now: datetime,
    voice_notes: Sequence[VoiceNote] = (),
) -> Booking:
    """Store a call-back for staff of the resident's district: call `phone` today, any time.

    Idempotent by `request_key` like every request; raises `InvalidPhone` for a number staff
    could not call and `InvalidBookingDetails` for unusable voice notes.
    """
    return create_booking(
        session=session,
        resident=resident,
        program_id=CALL_BACK_PROGRAM,
        preferred_date=korean_date(now),
        time_window=TimeWindow.ANY,
        phone=phone,
        request_key=request_key,
        now=now,
        voice_notes=voice_notes,
    )
