"""Messages to people other than the one chatting: staff alerts and updates to residents.

They go through the outbox (`bot.sending.outbox.enqueue_message`) in the turn's transaction, so a
request is never stored without its staff alert, nor accepted without the resident being told.
Each is written in its reader's language: a resident's own, and for staff their resident
profile's language if they have one, else Korean.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.conversation.turn import Turn, fit_message, log, short
from bot.core.buttons import Action, button_data
from bot.people.residents import language_of
from bot.people.staff import list_staff
from bot.requests.bookings import count_photos, latest_phone
from bot.requests.provider_jobs import latest_job, open_job
from bot.requests.voice_notes import count_voice_notes
from bot.requests.yearly_cap import CapUse, yearly_use
from bot.sending.outbox import enqueue_message
from bot.store.models import Booking, BookingStatus, Resident, StaffMember

# Staff see a resident's message in a crisis alert; a few sentences are enough to act on.
CRISIS_QUOTE_LIMIT = 500


def staff_language(turn: Turn, member: StaffMember) -> str:
    return language_of(session=turn.session, telegram_id=member.telegram_id)


def tell_staff(
    turn: Turn,
    district: str,
    text_in: Callable[[str], str],
    *,
    resident_id: int | None,
    buttons_in: Callable[[str], list[list[dict]]] | None = None,
) -> int:
    """Queue `text_in(language)` for every staff member of `district`; returns how many."""
    members = list_staff(session=turn.session, district=district)
    for member in members:
        language = staff_language(turn, member)
        enqueue_message(
            session=turn.session,
            chat_id=member.telegram_id,
            text=fit_message(text_in(language)),
            buttons=buttons_in(language) if buttons_in else None,
            resident_id=resident_id,
            now=turn.now,
        )
    return len(members)


def tell_resident(
    turn: Turn,
    booking: Booking,
    key: str,
    *,
    values_in: Callable[[str], dict[str, object]] | None = None,
    buttons_in: Callable[[str], list[list[dict]]] | None = None,
    **values: object,
) -> bool:
    """Queue the text `key` (with the booking's number and program) for the booking's resident.

    `values_in(language)` adds values worded in the resident's language (a provider's name, a
    visit time), `buttons_in(language)` buttons in it."""
    if booking.resident_id is None:
        return False  # the resident asked to be forgotten: there is no one to tell
    resident = turn.session.get(Resident, booking.resident_id)
    if resident is None:
        return False
    language = resident.language
    text = turn.t_in(
        language,
        key,
        number=booking.id,
        program=turn.program_name(booking.program_id, language),
        **values,
        **(values_in(language) if values_in else {}),
    )
    enqueue_message(session=turn.session, chat_id=resident.chat_id, text=fit_message(text),
                    buttons=buttons_in(language) if buttons_in else None,
                    resident_id=resident.id, now=turn.now)
    return True


def staff_buttons(turn: Turn, booking: Booking, language: str) -> list[list[dict]]:
    """The outbox form ({"text", "data"} dicts) of the buttons that apply to `booking`."""
    pairs = []
    if booking.status == BookingStatus.REQUESTED:
        pairs = [("button.accept", Action.STAFF_ACCEPT), ("button.decline", Action.STAFF_DECLINE)]
    elif booking.status == BookingStatus.ACCEPTED:
        pairs = [("button.done", Action.STAFF_DONE)]
    rows = [[{"text": turn.t_in(language, key), "data": button_data(action, booking.id)}
             for key, action in pairs]] if pairs else []
    return assign_buttons(turn, booking, language) + rows


def assign_buttons(turn: Turn, booking: Booking, language: str) -> list[list[dict]]:
    """One button per provider the catalog lists for the booking's program in its district,
    while the booking is accepted and has no open job."""
    if booking.status != BookingStatus.ACCEPTED or open_job(session=turn.session, booking_id=booking.id) is not None:
        return []
    providers = turn.tools.catalog.providers_for(booking.program_id, booking.district)
    return [[{"text": turn.t_in(language, "button.assign", provider=provider.name.get(language))[:40],
              "data": button_data(Action.STAFF_ASSIGN, (booking.id, provider.id))}] for provider in providers]


def booking_for_staff(turn: Turn, booking: Booking, language: str) -> str:
    """A request as staff read it: what, for whom, when, and how to reach them."""
    resident = turn.session.get(Resident, booking.resident_id) if booking.resident_id else None
    dash = turn.t_in(language, "common.none")
    lines = [
        turn.t_in(language, "staff.booking_title", number=booking.id,
                  status=turn.t_in(language, f"status.{booking.status}")),
        turn.t_in(language, "staff.booking_program", program=turn.program_name(booking.program_id, language)),
        turn.t_in(language, "staff.booking_name",
                  name=(resident.first_name if resident and resident.first_name else dash)),
        turn.t_in(language, "staff.booking_when", date=turn.date_text(booking.preferred_date, language),
                  window=turn.window_text(booking.time_window, booking.preferred_time, language)),
        turn.t_in(language, "staff.booking_phone", phone=booking.phone or dash),
        turn.t_in(language, "staff.booking_address", address=booking.address_detail or dash),
        turn.t_in(language, "staff.booking_note", note=booking.note or dash),
    ]
    photos = count_photos(session=turn.session, booking_id=booking.id)
    if photos:
        lines.append(turn.t_in(language, "job.photos", count=photos))
    voices = count_voice_notes(session=turn.session, booking_id=booking.id)
    if voices:
        lines.append(turn.t_in(language, "voice.staff_line", count=voices))
    job = latest_job(session=turn.session, booking_id=booking.id)
    if job is not None:
        provider = turn.tools.catalog.providers.get(job.provider_id)
        provider_name = provider.name.get(language) if provider else job.provider_id
        lines.append(turn.t_in(language, "job.staff_line", provider=provider_name,
                               status=turn.t_in(language, f"job_status.{job.status}")))
    if booking.status in (BookingStatus.REQUESTED, BookingStatus.ACCEPTED):
        use = yearly_use(session=turn.session, catalog=turn.tools.catalog, resident_id=booking.resident_id,
                         program_id=booking.program_id, at=turn.now)
        line = cap_line(turn, use, language)
        if line:
            lines.append(line)
    return "\n".join(lines)


def cap_line(turn: Turn, use: CapUse | None, language: str) -> str | None:
    if use is None:
        return None
    key = "job.cap_reached" if use.reached else "job.cap_warn" if use.warn else "job.cap_use"
    return turn.t_in(language, key, used=f"{use.used_krw:,}", cap=f"{use.cap_krw:,}", percent=use.percent)


def alert_crisis(turn: Turn, text: str) -> int:
    """Tell the resident's district staff that a resident wrote something that sounds like danger.

    The one place a resident's words go to staff. They are never logged.
    """
    resident = turn.resident
    if resident is None:
        return 0
    phone = _latest_phone(turn, resident)
    quote = short(text, CRISIS_QUOTE_LIMIT)

    def text_in(language: str) -> str:
        lines = [turn.t_in(language, "crisis.staff_alert",
                           name=resident.first_name or turn.t_in(language, "common.none"),
                           district=turn.district_name(resident.district, language), text=quote)]
        if phone:
            lines.append(turn.t_in(language, "crisis.staff_phone", phone=phone))
        return "\n".join(lines)

    count = tell_staff(turn, resident.district, text_in, resident_id=resident.id)
    log.warning("crisis message from resident %s (district %s): %s staff alerted",
                resident.id, resident.district, count)
    return count


def _latest_phone(turn: Turn, resident: Resident) -> str | None:
    return latest_phone(session=turn.session, resident_id=resident.id)
