"""How a job reads, and who hears about it: provider members, staff and the resident.

Messages to anyone but the person chatting go through the outbox in the turn's transaction
(as in `bot.conversation.alerts`). A provider member reads a job in their resident profile's
language if they have one, else Korean; the job card shows the resident's phone and address
only while the job is open and only if the resident agreed (`bot.requests.provider_jobs.contact_for_provider`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.conversation.alerts import staff_language
from bot.conversation.turn import Turn, fit_message
from bot.core.buttons import Action, button_data
from bot.core.clock import KOREA
from bot.people.residents import language_of
from bot.people.staff import list_staff
from bot.requests.bookings import photo_file_ids
from bot.requests.provider_jobs import contact_for_provider, members_of
from bot.requests.voice_notes import count_voice_notes, duration_text, voice_notes_of
from bot.sending.outbox import enqueue_message
from bot.store.models import Booking, Job, JobStatus, Resident


def provider_name(turn: Turn, provider_id: str, language: str) -> str:
    provider = turn.tools.catalog.providers.get(provider_id)
    return provider.name.get(language) if provider else provider_id


def visit_text(turn: Turn, visit_at: datetime, language: str) -> str:
    local = visit_at.astimezone(KOREA)
    return f"{turn.date_text(local.date(), language)} {local:%H:%M}"


def photo_ids(turn: Turn, booking_id: int) -> list[str]:
    return photo_file_ids(session=turn.session, booking_id=booking_id)


# --- the provider's view --------------------------------------------------------------------


def job_for_provider(turn: Turn, job: Job, language: str) -> str:
    booking = turn.session.get(Booking, job.booking_id)
    resident = turn.session.get(Resident, booking.resident_id) if booking and booking.resident_id else None
    dash = turn.t_in(language, "common.none")
    phone, address = contact_for_provider(job, booking) if booking else (None, None)
    lines = [
        turn.t_in(language, "job.title", job=job.id, number=job.booking_id,
                  status=turn.t_in(language, f"job_status.{job.status}")),
        turn.t_in(language, "staff.booking_program", program=turn.program_name(job.program_id, language)),
        turn.t_in(language, "staff.booking_name",
                  name=(resident.first_name if resident and resident.first_name else dash)),
        turn.t_in(language, "job.district", district=turn.district_name(job.district, language)),
    ]
    if booking is not None:
        lines.append(turn.t_in(language, "staff.booking_when", date=turn.date_text(booking.preferred_date, language),
                               window=turn.window_text(booking.time_window, booking.preferred_time, language)))
    if job.visit_at is not None:
        lines.append(turn.t_in(language, "job.visit", when=visit_text(turn, job.visit_at, language)))
    if job.status in (JobStatus.OFFERED, JobStatus.TAKEN, JobStatus.SCHEDULED):
        if phone or address:
            lines.append(turn.t_in(language, "staff.booking_phone", phone=phone or dash))
            lines.append(turn.t_in(language, "staff.booking_address", address=address or dash))
        else:
            lines.append(turn.t_in(language, "job.no_contact"))
    if booking is not None and booking.note:
        lines.append(turn.t_in(language, "staff.booking_note", note=booking.note))
    photos = len(photo_ids(turn, job.booking_id))
    if photos:
        lines.append(turn.t_in(language, "job.photos", count=photos))
    voices = count_voice_notes(session=turn.session, booking_id=job.booking_id) if _voices_for_provider(booking) else 0
    if voices:
        lines.append(turn.t_in(language, "voice.staff_line", count=voices))
    return "\n".join(lines)


def _voices_for_provider(booking: Booking | None) -> bool:
    """A voice message may say a name or an address aloud, so the provider hears it only when
    the resident agreed to share their contact details with the provider (staff always do)."""
    return booking is not None and booking.share_contact


def provider_buttons(turn: Turn, job: Job, language: str) -> list[list[dict]]:
    """The outbox form of the buttons a provider member has on `job` in its current status."""
    pairs: list[tuple[str, Action]] = []
    if job.status == JobStatus.OFFERED:
        pairs = [("button.take", Action.JOB_TAKE), ("button.refuse", Action.JOB_REFUSE)]
    elif job.status == JobStatus.TAKEN:
        pairs = [("button.visit", Action.JOB_VISIT), ("button.refuse", Action.JOB_REFUSE)]
    elif job.status == JobStatus.SCHEDULED:
        pairs = [("button.job_done", Action.JOB_DONE), ("button.visit_again", Action.JOB_VISIT),
                 ("button.refuse", Action.JOB_REFUSE)]
    if not pairs:
        return []
    return [[{"text": turn.t_in(language, key), "data": button_data(action, job.id)} for key, action in pairs]]


def tell_provider(turn: Turn, job: Job, text_in: Callable[[str], str], *, with_card: bool = False,
                  with_photos: bool = False) -> int:
    """Queue a message (and, if asked, the job card with its buttons, and the photos and voice
    messages the resident attached) for every member of the job's provider; returns how many
    members were told."""
    booking = turn.session.get(Booking, job.booking_id)
    resident_id = booking.resident_id if booking else None
    members = members_of(session=turn.session, provider_id=job.provider_id)
    photos = photo_ids(turn, job.booking_id) if with_photos else []
    voices = (voice_notes_of(session=turn.session, booking_id=job.booking_id)
              if with_photos and _voices_for_provider(booking) else [])
    for member in members:
        language = language_of(session=turn.session, telegram_id=member.telegram_id)
        text = text_in(language)
        if with_card:
            text = "\n".join([text, job_for_provider(turn, job, language)])
        enqueue_message(session=turn.session, chat_id=member.telegram_id, text=fit_message(text),
                        buttons=provider_buttons(turn, job, language) if with_card else None,
                        resident_id=resident_id, now=turn.now)
        for index, file_id in enumerate(photos, start=1):
            enqueue_message(session=turn.session, chat_id=member.telegram_id, photo=file_id,
                            text=turn.t_in(language, "job.photo_caption", job=job.id, index=index, count=len(photos)),
                            resident_id=resident_id, now=turn.now)
        for index, voice in enumerate(voices, start=1):
            enqueue_message(session=turn.session, chat_id=member.telegram_id, voice=voice.file_id,
                            text=turn.t_in(language, "voice.job_caption", job=job.id, index=index,
                                           count=len(voices), length=duration_text(voice.seconds)),
                            resident_id=resident_id, now=turn.now)
    return len(members)


# --- staff's view ---------------------------------------------------------------------------


def staff_photos(turn: Turn, booking: Booking) -> None:
    """The request's photos, one outbox message each, to the staff of its district."""
    photos = photo_ids(turn, booking.id)
    for member in list_staff(session=turn.session, district=booking.district):
        language = staff_language(turn, member)
        for index, file_id in enumerate(photos, start=1):
            enqueue_message(session=turn.session, chat_id=member.telegram_id, photo=file_id,
                            text=turn.t_in(language, "job.request_photo_caption", number=booking.id,
                                           index=index, count=len(photos)),
                            resident_id=booking.resident_id, now=turn.now)


def staff_voice_notes(turn: Turn, booking: Booking) -> None:
    """The request's voice messages, one outbox message each, to the staff of its district:
    they arrive as voice messages staff can play, captioned with the request and the length."""
    voices = voice_notes_of(session=turn.session, booking_id=booking.id)
    if not voices:
        return
    for member in list_staff(session=turn.session, district=booking.district):
        language = staff_language(turn, member)
        for index, voice in enumerate(voices, start=1):
            enqueue_message(session=turn.session, chat_id=member.telegram_id, voice=voice.file_id,
                            text=turn.t_in(language, "voice.request_caption", number=booking.id, index=index,
                                           count=len(voices), length=duration_text(voice.seconds)),
                            resident_id=booking.resident_id, now=turn.now)
