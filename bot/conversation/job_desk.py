"""Jobs in the conversation: staff assign a request to a provider; a provider member takes or
refuses it, agrees a visit time and records what was delivered (/jobs lists theirs).

Every press is re-checked by `bot.requests.provider_jobs` against the database (a member of another provider,
or someone who is not a member, gets "not found"); the handlers only ask and tell. Amounts
are typed as people write them ("1.5", "15,000원") and stored as whole minutes and KRW.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from bot.conversation.alerts import assign_buttons, cap_line, tell_resident, tell_staff
from bot.conversation.dates import korean_today, parse_typed_date
from bot.conversation.job_messages import (
    job_for_provider,
    provider_buttons,
    provider_name,
    tell_provider,
    visit_text,
)
from bot.conversation.states import State
from bot.conversation.turn import Turn, log
from bot.core.buttons import VISIT_HOURS, Action, button, button_data
from bot.core.clock import KOREA
from bot.core.messages import Button
from bot.requests.provider_jobs import (
    MAX_VISIT_DAYS_AHEAD,
    Delivered,
    assign_job,
    complete_job,
    get_member_job,
    list_member_jobs,
    refuse_job,
    schedule_visit,
    take_job,
)
from bot.requests.yearly_cap import yearly_use
from bot.store.models import Booking, Job, JobStatus

JOBS_SHOWN = 10
VISIT_DAYS_OFFERED = 7
_HOUR_MINUTE = re.compile(r"(\d{1,2})\s*(?:[:시h]\s*(\d{1,2})?\s*분?)?")
_AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")


def _rows(dict_rows: list[list[dict]]) -> list[list[Button]]:
    return [[Button(label=b["text"], data=b["data"]) for b in row] for row in dict_rows]


# --- staff: assigning -----------------------------------------------------------------------


def on_assign(turn: Turn, booking_id: int, provider_id: str, language: str) -> None:
    job = assign_job(session=turn.session, catalog=turn.tools.catalog, booking_id=booking_id,
                     provider_id=provider_id, staff=turn.staff, now=turn.now)
    told = tell_provider(turn, job, lambda lang: turn.t_in(lang, "job.offered"), with_card=True, with_photos=True)
    name = provider_name(turn, provider_id, language)
    if told:
        turn.say(turn.t_in(language, "job.assigned", number=booking_id, provider=name))
    else:
        log.warning("job %s assigned to provider %s, which has no members registered", job.id, provider_id)
        provider = turn.tools.catalog.providers.get(provider_id)
        phone = provider.contact.phone if provider and provider.contact.phone else turn.t_in(language, "common.none")
        turn.say(turn.t_in(language, "job.assigned_no_members", number=booking_id, provider=name, phone=phone))


# --- the provider: listing and taking -------------------------------------------------------


def list_jobs(turn: Turn) -> None:
    """/jobs: the provider's open jobs, oldest first, each with the buttons that apply."""
    jobs = list_member_jobs(session=turn.session, member=turn.provider)
    if not jobs:
        turn.say(turn.t("job.none_open"))
        return
    turn.say(turn.t("job.list_title", count=len(jobs)))
    for job in jobs[:JOBS_SHOWN]:
        _show(turn, job)
    if len(jobs) > JOBS_SHOWN:
        turn.say(turn.t("job.list_more", count=len(jobs) - JOBS_SHOWN))


def _show(turn: Turn, job: Job, intro_key: str | None = None) -> None:
    text = job_for_provider(turn, job, turn.language)
    if intro_key:
        text = "\n".join([turn.t(intro_key, job=job.id), text])
    turn.say(text, _rows(provider_buttons(turn, job, turn.language)))


def _staff_about(turn: Turn, job: Job, key: str, with_assign: bool = False, **values: object) -> None:
    booking = turn.session.get(Booking, job.booking_id)
    tell_staff(
        turn, job.district,
        lambda language: turn.t_in(language, key, number=job.booking_id,
                                   provider=provider_name(turn, job.provider_id, language), **values),
        resident_id=booking.resident_id if booking else None,
        buttons_in=(lambda language: assign_buttons(turn, booking, language)) if with_assign and booking else None,
    )


def on_take(turn: Turn, job_id: int) -> None:
    job = take_job(session=turn.session, job_id=job_id, member=turn.provider, now=turn.now)
    _staff_about(turn, job, "job.staff_taken")
    booking = turn.session.get(Booking, job.booking_id)
    tell_resident(turn, booking, "resident.job_taken",
                  values_in=lambda language: {"provider": provider_name(turn, job.provider_id, language)})
    _show(turn, job, "job.taken")


def on_refuse(turn: Turn, job_id: int) -> None:
    """[Can't take it]: ask why (staff read it), or none."""
    job = get_member_job(session=turn.session, job_id=job_id, member=turn.provider)
    turn.go(State.JOB_REFUSE_REASON, {"job": job.id})
    turn.say(turn.t("job.ask_refuse_reason", job=job.id),
             [[button(turn.t("button.no_reason"), Action.JOB_NO_REASON, job.id)]])


def refuse(turn: Turn, job_id: int, reason: str | None) -> None:
    job = refuse_job(session=turn.session, job_id=job_id, member=turn.provider, reason=reason, now=turn.now)
    turn.go(turn.resting_state)
    _staff_about(turn, job, "job.staff_refused", with_assign=True,
                 reason=job.refused_reason or "-")
    turn.say(turn.t("job.refused", job=job.id))


# --- the provider: the visit ----------------------------------------------------------------


def on_visit(turn: Turn, job_id: int) -> None:
    job = get_member_job(session=turn.session, job_id=job_id, member=turn.provider)
    turn.go(State.VISIT_DAY, {"job": job.id})
    ask_visit_day(turn)


def ask_visit_day(turn: Turn) -> None:
    today = korean_today(turn.now)
    days = [today + timedelta(days=n) for n in range(VISIT_DAYS_OFFERED)]
    buttons = [button(turn.date_text(day), Action.VISIT_DAY, day) for day in days]
    turn.say(turn.t("job.ask_visit_day"), [buttons[i:i + 2] for i in range(0, len(buttons), 2)])


def on_visit_day(turn: Turn, day: date) -> None:
    today = korean_today(turn.now)
    if not today <= day <= today + timedelta(days=MAX_VISIT_DAYS_AHEAD):
        turn.say(turn.t("job.visit_day_out_of_range", days=MAX_VISIT_DAYS_AHEAD))
        ask_visit_day(turn)
        return
    turn.data["day"] = day.isoformat()
    turn.state = State.VISIT_HOUR
    hours = [button(f"{hour}:00", Action.VISIT_HOUR, hour) for hour in VISIT_HOURS]
    turn.say(turn.t("job.ask_visit_hour"), [hours[i:i + 4] for i in range(0, len(hours), 4)])


def on_visit_hour(turn: Turn, hour: int, minute: int = 0) -> None:
    day = date.fromisoformat(turn.data["day"])
    visit_at = datetime(day.year, day.month, day.day, hour, minute, tzinfo=KOREA)
    job = schedule_visit(session=turn.session, job_id=int(turn.data["job"]), member=turn.provider,
                         visit_at=visit_at, now=turn.now)
    turn.go(turn.resting_state)
    booking = turn.session.get(Booking, job.booking_id)
    tell_resident(turn, booking, "resident.job_visit",
                  values_in=lambda language: {"provider": provider_name(turn, job.provider_id, language),
                                              "when": visit_text(turn, visit_at, language)})
    _show(turn, job, "job.visit_set")


# --- the provider: recording what was delivered ---------------------------------------------

_RECORD_STEPS = {
    State.RECORD_HOURS: ("minutes", "job.ask_hours", State.RECORD_MEALS),
    State.RECORD_MEALS: ("meals", "job.ask_meals", State.RECORD_MATERIALS),
    State.RECORD_MATERIALS: ("materials_krw", "job.ask_materials", State.RECORD_SERVICE),
    State.RECORD_SERVICE: ("service_krw", "job.ask_service", State.RECORD_CONFIRM),
}


def on_done(turn: Turn, job_id: int) -> None:
    job = get_member_job(session=turn.session, job_id=job_id, member=turn.provider)
    if job.status not in (JobStatus.TAKEN, JobStatus.SCHEDULED):
        turn.say(turn.t("job.cannot", job=job.id, status=turn.t(f"job_status.{job.status}")))
        return
    turn.go(State.RECORD_HOURS, {"job": job.id})
    turn.say(turn.t("job.ask_hours", job=job.id))


def on_typed(turn: Turn, text: str) -> None:
    """Typed text at a provider step."""
    state = turn.state
    if state is State.JOB_REFUSE_REASON:
        refuse(turn, int(turn.data["job"]), text)
    elif state is State.VISIT_DAY:
        day = parse_typed_date(text, turn.now)
        if day is None:
            turn.say(turn.t("job.visit_day_unclear"))
            ask_visit_day(turn)
        else:
            on_visit_day(turn, day)
    elif state is State.VISIT_HOUR:
        parsed = parse_hour_minute(text)
        if parsed is None:
            turn.say(turn.t("job.visit_hour_unclear"))
        else:
            on_visit_hour(turn, *parsed)
    elif state in _RECORD_STEPS:
        field, ask_key, next_state = _RECORD_STEPS[state]
        value = parse_minutes(text) if field == "minutes" else parse_amount(text)
        if value is None:
            turn.say(turn.t("job.number_unclear"))
            turn.say(turn.t(ask_key, job=turn.data["job"]))
            return
        turn.data[field] = value
        turn.state = next_state
        if next_state is State.RECORD_CONFIRM:
            show_record(turn)
        else:
            turn.say(turn.t(_RECORD_STEPS[next_state][1], job=turn.data["job"]))
    elif state is State.RECORD_CONFIRM:
        turn.say(turn.t("booking.press_a_button"))
        show_record(turn)


def show_record(turn: Turn) -> None:
    data = turn.data
    turn.say(
        turn.t("job.record_summary", job=data["job"], hours=_hours_text(data["minutes"]), meals=data["meals"],
               materials=f"{data['materials_krw']:,}", service=f"{data['service_krw']:,}",
               total=f"{data['materials_krw'] + data['service_krw']:,}"),
        [[button(turn.t("button.confirm"), Action.RECORD_OK), button(turn.t("button.edit"), Action.RECORD_EDIT)]],
    )


def on_record_edit(turn: Turn) -> bool:
    if turn.state is not State.RECORD_CONFIRM:
        return False
    turn.go(State.RECORD_HOURS, {"job": turn.data["job"]})
    turn.say(turn.t("job.ask_hours", job=turn.data["job"]))
    return True


def on_record_ok(turn: Turn) -> bool:
    if turn.state is not State.RECORD_CONFIRM:
        return False
    data = turn.data
    delivered = Delivered(minutes=data["minutes"], meals=data["meals"], materials_krw=data["materials_krw"],
                          service_krw=data["service_krw"])
    job = complete_job(session=turn.session, job_id=int(data["job"]), member=turn.provider,
                       delivered=delivered, now=turn.now)
    turn.go(turn.resting_state)
    booking = turn.session.get(Booking, job.booking_id)
    # The resident is asked whether the help came: [Yes, I got it] [No].
    tell_resident(
        turn, booking, "resident.job_done",
        values_in=lambda language: {"provider": provider_name(turn, job.provider_id, language)},
        buttons_in=lambda language: [[
            {"text": turn.t_in(language, "button.job_confirm"), "data": button_data(Action.JOB_CONFIRM, job.id)},
            {"text": turn.t_in(language, "button.job_not_done"), "data": button_data(Action.JOB_NOT_DONE, job.id)}]],
    )
    use = yearly_use(session=turn.session, catalog=turn.tools.catalog, resident_id=booking.resident_id,
                     program_id=job.program_id, at=turn.now)
    tell_staff(turn, job.district,
               lambda language: "\n".join(filter(None, [
                   turn.t_in(language, "job.staff_done", number=job.booking_id,
                             provider=provider_name(turn, job.provider_id, language),
                             hours=_hours_text(job.minutes), meals=job.meals,
                             total=f"{job.cost_krw:,}"),
                   cap_line(turn, use, language) if use is not None and use.warn else None])),
               resident_id=booking.resident_id)
    turn.say(turn.t("job.recorded", job=job.id))
    return True


# --- reading what people type ----------------------------------------------------------------


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def parse_hour_minute(text: str) -> tuple[int, int] | None:
    """"14", "14:30", "14시 30분" → (14, 30); None for anything else or outside 0–23:59."""
    match = _HOUR_MINUTE.fullmatch(_normal(text))
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    return (hour, minute) if hour < 24 and minute < 60 else None


def parse_minutes(text: str) -> int | None:
    """Hours as typed ("2", "1.5", "1,5", "2시간") → whole minutes, exactly (no floats)."""
    cleaned = _normal(text).replace("시간", "").replace("hours", "").replace("hour", "").replace("h", "")
    cleaned = cleaned.replace(",", ".").strip()
    try:
        hours = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not hours.is_finite() or hours < 0 or hours > 24 * 7:
        return None
    return int((hours * 60).to_integral_value())


def parse_amount(text: str) -> int | None:
    """A count or an amount in KRW as typed ("0", "15000", "15,000원", "₩15,000") → int."""
    cleaned = _normal(text).replace("원", "").replace("₩", "").replace("krw", "").replace(" ", "")
    if not _AMOUNT.fullmatch(cleaned):
        return None
    return int(cleaned.replace(",", ""))


def _hours_text(minutes: int | None) -> str:
    minutes = minutes or 0
    hours, rest = divmod(minutes, 60)
    return f"{hours}:{rest:02d}"
