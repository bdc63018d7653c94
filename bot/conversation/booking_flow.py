"""Asking for a program, step by step, and the resident's own requests (/bookings, cancel).

Date → time window → phone → address detail (optional) → note (optional) → for programs a
provider delivers, whether the provider may see the phone and address → summary with
Confirm / Edit / Cancel. Photos (of what needs repair, say) and voice messages (for residents
who would rather speak than type) may be sent at any step and go with the request to staff and
the provider; every button can be answered by typing too (`typed_answers`). Confirm stores the
request once however often it is pressed: its request key is the summary message's id
(`<user id>:<message id>`), and a second press finds the same booking. The district's staff get the request through the
outbox, with buttons.
"""

from __future__ import annotations

import secrets
from datetime import date, time

from bot.conversation.alerts import booking_for_staff, staff_buttons, tell_staff
from bot.conversation.dates import (
    date_choices,
    in_booking_range,
    korean_today,
    parse_typed_date,
    parse_typed_time,
)
from bot.conversation.job_messages import staff_photos, staff_voice_notes
from bot.conversation.staff_desk import withdraw_jobs
from bot.conversation.states import BOOKING, State
from bot.conversation.turn import Turn, log
from bot.conversation.typed_answers import (
    CANCEL_WORDS,
    CONFIRM_WORDS,
    EDIT_WORDS,
    NO_WORDS,
    SKIP_WORDS,
    YES_WORDS,
    labelled,
    means,
    typed_word,
)
from bot.core.buttons import Action, button
from bot.core.messages import VoiceNote
from bot.people.phones import InvalidPhone, normalize_phone
from bot.requests.bookings import (
    ADDRESS_MAX_LENGTH,
    MAX_PHOTOS,
    NOTE_MAX_LENGTH,
    PHOTO_ID_MAX_LENGTH,
    InvalidBookingDetails,
    cancel_booking,
    create_booking,
    get_resident_booking,
    list_resident_bookings,
    resident_booking_with_key,
)
from bot.requests.voice_notes import MAX_VOICE_NOTES, as_draft, from_drafts
from bot.store.models import OPEN_STATUSES, Booking, TimeWindow

BOOKINGS_SHOWN = 10
# Words for a part of the day besides the buttons' own labels (read by `labelled`).
_TIME_WORDS = {
    "오전": TimeWindow.MORNING, "아침": TimeWindow.MORNING, "morning": TimeWindow.MORNING,
    "오후": TimeWindow.AFTERNOON, "점심": TimeWindow.AFTERNOON, "afternoon": TimeWindow.AFTERNOON,
    "저녁": TimeWindow.EVENING, "밤": TimeWindow.EVENING, "evening": TimeWindow.EVENING,
    "상관없음": TimeWindow.ANY, "상관없어요": TimeWindow.ANY, "아무때나": TimeWindow.ANY,
    "any": TimeWindow.ANY, "anytime": TimeWindow.ANY,
}


# --- starting ------------------------------------------------------------------------------


def _requestable(turn: Turn, program_id: str | None) -> bool:
    program = turn.tools.catalog.programs.get(program_id) if program_id else None
    return (program is not None and program.apply.bookable
            and turn.tools.catalog.serves(program, turn.resident.district))


def on_request(turn: Turn, ref: str) -> bool:
    """[Request] on a card; False when the program cannot be requested here (old or forged)."""
    program_id = turn.tools.refs.resolve(ref)
    if not _requestable(turn, program_id):
        return False
    program = turn.tools.catalog.programs[program_id]
    turn.go(State.BOOKING_DATE, {"program": program.id})
    turn.say(turn.t("booking.start", program=program.name.get(turn.language)))
    ask_date(turn)
    return True


def _stop_button(turn: Turn):
    return button(turn.t("button.cancel"), Action.STOP)


def ask_date(turn: Turn) -> None:
    days = date_choices(turn.now)
    labels = [turn.t("booking.today"), turn.t("booking.tomorrow")]
    buttons = [
        button((labels[i] + " " if i < len(labels) else "") + turn.date_text(day), Action.DATE, day)
        for i, day in enumerate(days)
    ]
    rows = [buttons[:2], buttons[2:]]
    rows.append([_stop_button(turn)])
    turn.say(turn.t("booking.ask_date", example=_example_date(turn)), rows)


def _example_date(turn: Turn) -> str:
    day = date_choices(turn.now)[-1]
    return f"{day.month}-{day.day}"


def on_date(turn: Turn, day: date) -> None:
    if not in_booking_range(day, turn.now):
        key = "booking.date_past" if day < korean_today(turn.now) else "booking.date_too_far"
        turn.say(turn.t(key))
        ask_date(turn)
        return
    turn.data["date"] = day.isoformat()
    turn.state = State.BOOKING_TIME
    ask_time(turn)


def ask_time(turn: Turn) -> None:
    windows = [button(turn.t(f"window.{w}"), Action.TIME, w) for w in TimeWindow]
    turn.say(turn.t("booking.ask_time"), [windows[:2], windows[2:], [_stop_button(turn)]])


def on_time(turn: Turn, window: str, at: time | None = None) -> None:
    """A part of the day pressed or typed, or a clock time typed (`at`, kept for staff)."""
    turn.data["window"] = str(TimeWindow(window))
    if at is None:
        turn.data.pop("at", None)
    else:
        turn.data["at"] = at.isoformat(timespec="minutes")
    turn.state = State.BOOKING_PHONE
    ask_phone(turn)


def ask_phone(turn: Turn) -> None:
    turn.say(turn.t("booking.ask_phone"), [[_stop_button(turn)]])


def ask_address(turn: Turn) -> None:
    turn.say(turn.t("booking.ask_address"),
             [[button(turn.t("button.skip"), Action.SKIP), _stop_button(turn)]])


def ask_note(turn: Turn) -> None:
    turn.say(turn.t("booking.ask_note"),
             [[button(turn.t("button.skip"), Action.SKIP), _stop_button(turn)]])


def on_typed(turn: Turn, text: str) -> None:
    """Typed text at a booking step: the answer to that step, checked. A typed "취소" stops
    the request at any step, and a button's label typed does what pressing it would."""
    if means(turn, text, CANCEL_WORDS, "button.cancel"):
        on_stop(turn)
    elif turn.state in (State.BOOKING_ADDRESS, State.BOOKING_NOTE) and means(turn, text, SKIP_WORDS, "button.skip"):
        on_skip(turn)
    elif turn.state is State.BOOKING_SHARE:
        _on_share_typed(turn, text)
    elif turn.state is State.BOOKING_CONFIRM:
        _on_summary_typed(turn, text)
    else:
        _on_step_typed(turn, text)


def _on_step_typed(turn: Turn, text: str) -> None:
    if turn.state is State.BOOKING_DATE:
        day = parse_typed_date(text, turn.now)
        if day is None:
            turn.say(turn.t("booking.date_unclear", example=_example_date(turn)))
            ask_date(turn)
        else:
            on_date(turn, day)
    elif turn.state is State.BOOKING_TIME:
        at = None
        window = _part_of_day(turn, text)
        if window is None:
            at = parse_typed_time(text)
            window = _window_of(at)
        if window is None:
            turn.say(turn.t("booking.press_a_button"))
            ask_time(turn)
        else:
            on_time(turn, window, at)
    elif turn.state is State.BOOKING_PHONE:
        try:
            turn.data["phone"] = normalize_phone(text)
        except InvalidPhone:
            turn.say(turn.t("booking.phone_invalid"), [[_stop_button(turn)]])
            return
        turn.state = State.BOOKING_ADDRESS
        ask_address(turn)
    elif turn.state is State.BOOKING_ADDRESS:
        if len(text.strip()) > ADDRESS_MAX_LENGTH:
            turn.say(turn.t("booking.too_long", limit=ADDRESS_MAX_LENGTH))
            ask_address(turn)
            return
        turn.data["address"] = text.strip()
        turn.state = State.BOOKING_NOTE
        ask_note(turn)
    elif turn.state is State.BOOKING_NOTE:
        if len(text.strip()) > NOTE_MAX_LENGTH:
            turn.say(turn.t("booking.too_long", limit=NOTE_MAX_LENGTH))
            ask_note(turn)
            return
        turn.data["note"] = text.strip()
        after_note(turn)
    else:  # pragma: no cover
        raise AssertionError(f"not a booking step that takes text: {turn.state}")


def _part_of_day(turn: Turn, text: str) -> str | None:
    """A part of the day typed as a word ("오후요", "아침") or as a button's label."""
    word = typed_word(text, _TIME_WORDS)
    if word is not None:
        return _TIME_WORDS[word]
    return labelled(turn, text, TimeWindow, lambda window: f"window.{window}")


def _window_of(at: time | None) -> str | None:
    """The part of the day a typed time ("오후 2시") falls in: staff plan by these."""
    if at is None:
        return None
    if at.hour < 12:
        return TimeWindow.MORNING
    return TimeWindow.AFTERNOON if at.hour < 17 else TimeWindow.EVENING


def _on_share_typed(turn: Turn, text: str) -> None:
    if means(turn, text, YES_WORDS, "button.share_yes"):
        on_share(turn, "yes")
    elif means(turn, text, NO_WORDS, "button.share_no"):
        on_share(turn, "no")
    else:
        turn.say(turn.t("booking.press_a_button"))
        after_note(turn)


def _on_summary_typed(turn: Turn, text: str) -> None:
    if means(turn, text, CONFIRM_WORDS, "button.confirm"):
        if not on_confirm(turn):  # the program can no longer be requested
            turn.say(turn.t("booking.stopped"))
    elif means(turn, text, EDIT_WORDS, "button.edit"):
        on_edit(turn)
    else:
        turn.say(turn.t("booking.press_a_button"))
        show_summary(turn)


def on_skip(turn: Turn) -> bool:
    if turn.state is State.BOOKING_ADDRESS:
        turn.data["address"] = None
        turn.state = State.BOOKING_NOTE
        ask_note(turn)
        return True
    if turn.state is State.BOOKING_NOTE:
        turn.data["note"] = None
        after_note(turn)
        return True
    return False


def _has_providers(turn: Turn) -> bool:
    return bool(turn.tools.catalog.providers_for(turn.data["program"], turn.resident.district))


def after_note(turn: Turn) -> None:
    """Ask whether the provider may see the phone and address, where a provider delivers it."""
    if not _has_providers(turn):
        show_summary(turn)
        return
    turn.state = State.BOOKING_SHARE
    turn.say(turn.t("booking.ask_share"),
             [[button(turn.t("button.share_yes"), Action.BOOKING_SHARE, "yes"),
               button(turn.t("button.share_no"), Action.BOOKING_SHARE, "no")], [_stop_button(turn)]])


def on_share(turn: Turn, answer: str) -> bool:
    if turn.state is not State.BOOKING_SHARE:
        return False
    turn.data["share"] = answer == "yes"
    show_summary(turn)
    return True


def on_photo(turn: Turn, file_id: str | None) -> None:
    """A photo sent while writing a request: kept (its id) for staff and the provider."""
    photos = list(turn.data.get("photos", []))
    if not file_id or len(file_id) > PHOTO_ID_MAX_LENGTH:
        turn.say(turn.t("common.unsupported"))
        return
    if len(photos) >= MAX_PHOTOS:
        turn.say(turn.t("booking.photos_full", limit=MAX_PHOTOS))
        return
    # A new list, not an append: the data loaded for this turn is compared with it on saving.
    turn.data["photos"] = [*photos, file_id]
    photos = turn.data["photos"]
    turn.say(turn.t("booking.photo_added", count=len(photos), limit=MAX_PHOTOS))


def on_voice(turn: Turn, voice: VoiceNote) -> None:
    """A voice message sent while writing a request (checked by `call_backs.on_voice`): kept,
    its id and length only, for staff and the provider to listen to."""
    voices = list(turn.data.get("voices", []))
    if len(voices) >= MAX_VOICE_NOTES:
        turn.say(turn.t("voice.full", limit=MAX_VOICE_NOTES))
        return
    # A new list, not an append: the data loaded for this turn is compared with it on saving.
    turn.data["voices"] = [*voices, as_draft(voice)]
    turn.say(turn.t("voice.added", count=len(turn.data["voices"]), limit=MAX_VOICE_NOTES))


def show_summary(turn: Turn) -> None:
    data = turn.data
    dash = turn.t("common.none")
    turn.state = State.BOOKING_CONFIRM
    # Identifies this summary when the messenger gives no message id (the terminal console).
    data["draft"] = secrets.token_hex(4)
    text = turn.t(
        "booking.summary",
        program=turn.program_name(data["program"]),
        date=turn.date_text(date.fromisoformat(data["date"])),
        window=turn.window_text(data["window"], data.get("at")),
        phone=data["phone"],
        address=data.get("address") or dash,
        note=data.get("note") or dash,
    )
    extra = []
    if data.get("photos"):
        extra.append(turn.t("booking.summary_photos", count=len(data["photos"])))
    if data.get("voices"):
        extra.append(turn.t("voice.summary", count=len(data["voices"])))
    if "share" in data:
        extra.append(turn.t("booking.summary_share_yes" if data["share"] else "booking.summary_share_no"))
    text = "\n".join([text, *extra])
    turn.say(text, [[button(turn.t("button.confirm"), Action.CONFIRM),
                     button(turn.t("button.edit"), Action.EDIT),
                     _stop_button(turn)]])


# --- confirming ----------------------------------------------------------------------------


def request_key(turn: Turn) -> str | None:
    if turn.incoming.message_id is not None:
        return f"{turn.user_id}:{turn.incoming.message_id}"
    draft = turn.data.get("draft") if turn.state is State.BOOKING_CONFIRM else None
    return f"{turn.user_id}:d{draft}" if draft else None


def on_confirm(turn: Turn) -> bool:
    """Store the request and alert staff; a repeated press answers "already sent"."""
    key = request_key(turn)
    existing = _booking_with_key(turn, key) if key else None
    if existing is not None:
        turn.say(turn.t("booking.already_sent", number=existing.id))
        return True
    if turn.state is not State.BOOKING_CONFIRM or key is None:
        return False
    data = turn.data
    if not _requestable(turn, data["program"]):  # the catalog changed while the summary waited
        turn.go(State.READY)
        return False
    try:
        booking = create_booking(
            session=turn.session,
            resident=turn.resident,
            program_id=data["program"],
            preferred_date=date.fromisoformat(data["date"]),
            time_window=data["window"],
            preferred_time=time.fromisoformat(data["at"]) if data.get("at") else None,
            phone=data["phone"],
            address_detail=data.get("address"),
            note=data.get("note"),
            share_contact=bool(data.get("share")),
            photo_ids=data.get("photos") or (),
            voice_notes=from_drafts(data.get("voices", [])),
            request_key=key,
            now=turn.now,
        )
    except InvalidBookingDetails as error:
        if error.field_name == "preferred_date":  # the day passed while the summary waited
            turn.state = State.BOOKING_DATE
            turn.say(turn.t("booking.date_past"))
            ask_date(turn)
            return True
        raise
    hand_to_staff(turn, booking, headline="staff.new_request", told="booking")
    return True


def hand_to_staff(turn: Turn, booking, *, headline: str, told: str) -> None:
    """Tell the district's staff of a new request (the `headline` text, the request, its
    buttons, photos and voice messages) and the resident that it went (`told`.sent), or that
    it waits for staff to be registered (`told`.sent_no_staff). Requests and call-backs both
    end here."""
    alerted = tell_staff(
        turn,
        booking.district,
        lambda language: "\n".join([turn.t_in(language, headline), booking_for_staff(turn, booking, language)]),
        resident_id=turn.resident.id,
        buttons_in=lambda language: staff_buttons(turn, booking, language),
    )
    staff_photos(turn, booking)
    staff_voice_notes(turn, booking)
    turn.go(State.READY)
    if alerted:
        turn.say(turn.t(f"{told}.sent", number=booking.id))
    else:
        log.warning("request %s stored for district %s, which has no staff registered",
                    booking.id, booking.district)
        turn.say(turn.t(f"{told}.sent_no_staff", number=booking.id))


def _booking_with_key(turn: Turn, key: str) -> Booking | None:
    if turn.resident is None:
        return None
    return resident_booking_with_key(session=turn.session, key=key, resident=turn.resident)


def on_edit(turn: Turn) -> bool:
    if turn.state is not State.BOOKING_CONFIRM:
        return False
    # Edit goes through the steps again; the photos and voice messages sent stay with the request.
    turn.go(State.BOOKING_DATE, {"program": turn.data["program"], "photos": turn.data.get("photos", []),
                                 "voices": turn.data.get("voices", [])})
    turn.say(turn.t("booking.edit_again"))
    ask_date(turn)
    return True


def on_stop(turn: Turn) -> bool:
    if turn.state not in BOOKING:
        return False
    turn.go(State.READY)
    turn.say(turn.t("booking.stopped"))
    return True


# --- the resident's requests ---------------------------------------------------------------


def list_bookings(turn: Turn) -> None:
    bookings = list_resident_bookings(session=turn.session, resident=turn.resident)
    if not bookings:
        turn.say(turn.t("bookings.none"))
        return
    lines = [turn.t("bookings.title")]
    rows = []
    for booking in bookings[:BOOKINGS_SHOWN]:
        lines.append(turn.t(
            "bookings.line", number=booking.id, program=turn.program_name(booking.program_id),
            date=turn.date_text(booking.preferred_date), status=turn.t(f"status.{booking.status}"),
        ))
        if booking.status in OPEN_STATUSES:
            rows.append([button(turn.t("button.cancel_booking", number=booking.id),
                                Action.CANCEL_BOOKING, booking.id)])
    if len(bookings) > BOOKINGS_SHOWN:
        lines.append(turn.t("bookings.older", count=len(bookings) - BOOKINGS_SHOWN))
    turn.say("\n".join(lines), rows)


def on_cancel_booking(turn: Turn, booking_id: int) -> None:
    """[Cancel] under /bookings: ask once more, because a mis-tap would cost a visit."""
    booking = get_resident_booking(session=turn.session, booking_id=booking_id, resident=turn.resident)
    if booking.status not in OPEN_STATUSES:
        turn.say(turn.t("bookings.not_open", number=booking.id, status=turn.t(f"status.{booking.status}")))
        return
    turn.say(
        turn.t("bookings.cancel_sure", number=booking.id, program=turn.program_name(booking.program_id)),
        [[button(turn.t("button.yes_cancel"), Action.CANCEL_BOOKING_SURE, booking.id),
          button(turn.t("button.keep"), Action.KEEP_BOOKING)]],
    )


def on_cancel_booking_sure(turn: Turn, booking_id: int) -> None:
    booking = cancel_booking(session=turn.session, booking_id=booking_id, resident=turn.resident,
                             now=turn.now)
    withdraw_jobs(turn, booking)
    name = turn.resident.first_name
    tell_staff(
        turn,
        booking.district,
        lambda language: turn.t_in(language, "staff.cancelled_by_resident", number=booking.id,
                                   program=turn.program_name(booking.program_id, language),
                                   name=name or turn.t_in(language, "common.none")),
        resident_id=turn.resident.id,
    )
    turn.say(turn.t("bookings.cancelled", number=booking.id))
