"""Voice messages residents attach to a request: which are usable, and reading them back.

Many older residents speak rather than type. The bot cannot listen, but staff and the provider
who get the request can: a voice note is kept as the messenger's file id and its length (the
sound stays with the messenger, as photos do), attached when the request is stored
(`bot.requests.bookings.create_booking`), and erased with the request's other personal details.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.core.messages import VoiceNote
from bot.store.models import BookingVoice

# Ten minutes says what a request needs; longer is a recording nobody at the office will play.
MAX_VOICE_SECONDS = 10 * 60
# A few notes say what needs doing; more would bury the staff's chat, as with photos.
MAX_VOICE_NOTES = 3
VOICE_ID_MAX_LENGTH = 256


class VoiceProblem(StrEnum):
    """Why a voice note is not kept; each has its own answer to the resident."""

    EMPTY = "empty"  # 0 seconds or 0 bytes: the recording failed
    TOO_LONG = "too_long"  # over MAX_VOICE_SECONDS
    UNREADABLE = "unreadable"  # no usable file id


def voice_problem(voice: VoiceNote | None) -> VoiceProblem | None:
    """What is wrong with `voice`, or None when it can be kept and passed on."""
    if voice is None or not isinstance(voice.file_id, str) or not 0 < len(voice.file_id) <= VOICE_ID_MAX_LENGTH:
        return VoiceProblem.UNREADABLE
    if not isinstance(voice.seconds, int) or voice.seconds <= 0 or voice.size == 0:
        return VoiceProblem.EMPTY
    if voice.seconds > MAX_VOICE_SECONDS:
        return VoiceProblem.TOO_LONG
    return None


def as_draft(voice: VoiceNote) -> dict[str, object]:
    """The form a voice note takes in a request being written (the conversation's JSON data)."""
    return {"file_id": voice.file_id, "seconds": voice.seconds}


def from_drafts(drafts: Iterable[object]) -> list[VoiceNote]:
    """Voice notes back from a request being written; anything malformed is left out."""
    notes = []
    for draft in drafts or ():
        if isinstance(draft, dict):
            note = VoiceNote(file_id=draft.get("file_id"), seconds=draft.get("seconds"))
            if voice_problem(note) is None:
                notes.append(note)
    return notes


def voice_notes_of(*, session: Session, booking_id: int) -> list[BookingVoice]:
    """The voice notes attached to a booking, in the order they came."""
    return list(session.exec(
        select(BookingVoice).where(BookingVoice.booking_id == booking_id).order_by(col(BookingVoice.id))
    ))


def count_voice_notes(*, session: Session, booking_id: int) -> int:
    return session.exec(select(func.count()).select_from(BookingVoice)
                        .where(BookingVoice.booking_id == booking_id)).one()


def duration_text(seconds: int) -> str:
    """A voice note's length as people read it on their phone: "0:42", "3:05"."""
    minutes, rest = divmod(max(0, int(seconds)), 60)
    return f"{minutes}:{rest:02d}"
