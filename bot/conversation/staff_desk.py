"""District staff answering requests: accept (over the yearly cap with a reason), decline
(with a reason), give to a provider, mark done, /queue.

Who may do what is checked by the booking services against the database on every press: a
staff member of another district is told "not found" (as if the request did not exist), and
someone who is not staff at all is refused politely. Each refusal is logged with ids only.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.conversation import job_desk
from bot.conversation.alerts import booking_for_staff, staff_buttons, staff_language, tell_resident
from bot.conversation.job_messages import tell_provider
from bot.conversation.states import State
from bot.conversation.turn import Turn, log
from bot.core.buttons import Action, button
from bot.core.clock import KOREA
from bot.core.messages import Button
from bot.reports.claim_report import month_bounds
from bot.reports.job_stats import stats_message
from bot.requests.bookings import (
    NOTE_MAX_LENGTH,
    BookingNotFound,
    InvalidTransition,
    NotAllowed,
    complete_booking,
    decline_booking,
    get_district_booking,
    list_district_bookings,
)
from bot.requests.provider_jobs import InvalidJobMove, withdraw_open_jobs
from bot.requests.yearly_cap import OVERRIDE_REASON_MAX_LENGTH, CapReached, accept_request
from bot.store.models import MAX_RECORD_ID, OPEN_STATUSES, Booking, BookingStatus

QUEUE_SHOWN = 10
_BOOKING_NUMBER = re.compile(r"#?\s*([1-9][0-9]{0,17})")
_YEAR = re.compile(r"20[0-9]{2}")


def refuse_non_staff(turn: Turn, action: str, booking_id: int | None = None) -> None:
    log.warning("refused %s by non-staff user %s (booking %s)", action, turn.user_id, booking_id)
    turn.say(turn.t("staff.only_staff"))


def staff_text(turn: Turn, key: str, **values: object) -> str:
    return turn.t_in(staff_language(turn, turn.staff), key, **values)


def _rows(turn: Turn, booking: Booking) -> list[list[Button]]:
    language = staff_language(turn, turn.staff)
    return [[Button(label=b["text"], data=b["data"]) for b in row]
            for row in staff_buttons(turn, booking, language)]


def queue(turn: Turn) -> None:
    """/queue: the district's open requests, oldest first, each with the buttons that apply."""
    bookings = list_district_bookings(session=turn.session, staff=turn.staff, statuses=OPEN_STATUSES)
    language = staff_language(turn, turn.staff)
    if not bookings:
        turn.say(staff_text(turn, "staff.queue_empty"))
        return
    turn.say(staff_text(turn, "staff.queue_title", count=len(bookings)))
    for booking in bookings[:QUEUE_SHOWN]:
        turn.say(booking_for_staff(turn, booking, language), _rows(turn, booking))
    if len(bookings) > QUEUE_SHOWN:
        turn.say(staff_text(turn, "staff.queue_more", count=len(bookings) - QUEUE_SHOWN))


def show_stats(turn: Turn, argument: str) -> None:
    """/stats [YYYY-MM | YYYY]: jobs per provider and program in the district, this month
    by default (Korean time), so staff can follow providers and the programme's spending."""
    argument = argument.strip()
    try:
        if not argument:
            this_month = turn.now.astimezone(KOREA)
            start, end = month_bounds(f"{this_month.year}-{this_month.month:02d}")
        elif _YEAR.fullmatch(argument):
            start, _ = month_bounds(f"{argument}-01")
            _, end = month_bounds(f"{argument}-12")
        else:
            start, end = month_bounds(argument)
    except ValueError:
        turn.say(staff_text(turn, "staff.stats_usage"))
        return
    turn.say(stats_message(turn.session, turn.tools.catalog, turn.tools.texts, turn.staff.district,
                           staff_language(turn, turn.staff), start, end))


def done_command(turn: Turn, argument: str) -> None:
    """/done N: the help of request N was given."""
    match = _BOOKING_NUMBER.fullmatch(argument.strip())
    if match is None:
        turn.say(staff_text(turn, "staff.done_usage"))
        return
    if int(match[1]) > MAX_RECORD_ID:  # no such request; the query would fail on it
        turn.say(staff_text(turn, "staff.not_found", number=int(match[1])))
        return
    on_done(turn, int(match[1]))


def _act(turn: Turn, booking_id: int, action: str, move: Callable[[], Booking]) -> Booking | None:
    """Run a staff move; the expected refusals become answers (and nothing is changed)."""
    try:
        return move()
    except (BookingNotFound, NotAllowed) as error:
        if isinstance(error, NotAllowed):
            log.warning("refused %s of booking %s by staff member %s", action, booking_id, turn.staff.id)
        turn.say(staff_text(turn, "staff.not_found", number=booking_id))
    except InvalidTransition as error:
        turn.say(staff_text(turn, "staff.cannot_move", number=booking_id,
                            status=staff_text(turn, f"status.{error.current}")))
    return None


def on_accept(turn: Turn, booking_id: int, override_reason: str | None = None) -> None:
    """[Accept]; at or over the resident's yearly cap, staff are asked for a reason first."""
    try:
        accepted = _act(turn, booking_id, "accept", lambda: accept_request(
            session=turn.session, catalog=turn.tools.catalog, booking_id=booking_id, staff=turn.staff,
            now=turn.now, override_reason=override_reason))
    except CapReached as reached:
        turn.go(State.STAFF_OVERRIDE_REASON, {"booking": booking_id})
        turn.say(staff_text(turn, "job.ask_override", number=booking_id, used=f"{reached.use.used_krw:,}",
                            cap=f"{reached.use.cap_krw:,}", percent=reached.use.percent))
        return
    if turn.state is State.STAFF_OVERRIDE_REASON:
        turn.go(turn.resting_state)
    if accepted is None:
        return
    booking, _ = accepted
    tell_resident(turn, booking, "resident.accepted", staff=turn.staff.name)
    turn.say(staff_text(turn, "staff.accepted", number=booking.id), _rows(turn, booking))


def on_override_typed(turn: Turn, text: str) -> None:
    booking_id = turn.data.get("booking")
    if not isinstance(booking_id, int):
        turn.go(turn.resting_state)
        return
    if len(text) > OVERRIDE_REASON_MAX_LENGTH:
        turn.say(staff_text(turn, "booking.too_long", limit=OVERRIDE_REASON_MAX_LENGTH))
        return
    on_accept(turn, booking_id, override_reason=text)


def on_assign(turn: Turn, booking_id: int, provider_id: str) -> None:
    """[Give to <provider>]: the job is offered to the provider's members."""
    try:
        job_desk.on_assign(turn, booking_id, provider_id, staff_language(turn, turn.staff))
    except (BookingNotFound, NotAllowed) as error:
        if isinstance(error, NotAllowed):
            log.warning("refused assign of booking %s by staff member %s", booking_id, turn.staff.id)
        turn.say(staff_text(turn, "staff.not_found", number=booking_id))
    except InvalidJobMove:
        turn.say(staff_text(turn, "job.already_assigned", number=booking_id))


def on_decline(turn: Turn, booking_id: int) -> None:
    """[Decline]: ask for a reason the resident will read (or none)."""
    booking = _act(turn, booking_id, "decline", lambda: get_district_booking(
        session=turn.session, booking_id=booking_id, staff=turn.staff))
    if booking is None:
        return
    if booking.status != BookingStatus.REQUESTED:
        turn.say(staff_text(turn, "staff.cannot_move", number=booking.id,
                            status=staff_text(turn, f"status.{booking.status}")))
        return
    turn.go(State.STAFF_DECLINE_REASON, {"booking": booking.id})
    turn.say(staff_text(turn, "staff.ask_reason", number=booking.id),
             [[button(staff_text(turn, "button.no_reason"), Action.STAFF_NO_REASON, booking.id)]])


def withdraw_jobs(turn: Turn, booking: Booking) -> None:
    """The request closed while a provider had it: the job is off, and its members are told."""
    for job in withdraw_open_jobs(session=turn.session, booking_id=booking.id, now=turn.now):
        tell_provider(turn, job, lambda language, job=job: turn.t_in(language, "job.withdrawn", job=job.id))


def decline(turn: Turn, booking_id: int, reason: str | None) -> None:
    if reason is not None and len(reason) > NOTE_MAX_LENGTH:
        turn.say(staff_text(turn, "booking.too_long", limit=NOTE_MAX_LENGTH))
        return
    booking = _act(turn, booking_id, "decline", lambda: decline_booking(
        session=turn.session, booking_id=booking_id, staff=turn.staff, now=turn.now, reason=reason))
    if turn.state is State.STAFF_DECLINE_REASON:
        turn.go(turn.resting_state)
    if booking is None:
        return
    if booking.decline_reason:
        tell_resident(turn, booking, "resident.declined_reason", reason=booking.decline_reason)
    else:
        tell_resident(turn, booking, "resident.declined")
    turn.say(staff_text(turn, "staff.declined", number=booking.id))


def on_reason_typed(turn: Turn, text: str) -> None:
    booking_id = turn.data.get("booking")
    if not isinstance(booking_id, int):
        turn.go(turn.resting_state)
        return
    decline(turn, booking_id, text.strip() or None)


def on_done(turn: Turn, booking_id: int) -> None:
    booking = _act(turn, booking_id, "complete", lambda: complete_booking(
        session=turn.session, booking_id=booking_id, staff=turn.staff, now=turn.now))
    if booking is None:
        return
    withdraw_jobs(turn, booking)
    tell_resident(turn, booking, "resident.done")
    turn.say(staff_text(turn, "staff.completed", number=booking.id))
