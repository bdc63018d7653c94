"""Wellness check-ins in the conversation: /checkin (plan, pause, resume, stop), the answers to
a check-in (`ci:ok|help|hard:<round>`), asking staff for help (`ci:alert:<round>`), the staff's
[연락됐어요] [방문 필요] (`ci:reached|visit:<round>`) and a trusted contact's [수락] [거절]
(`ci:cyes|cno:<invitation>`).

    /checkin ─▶ (plan shown: [change] [pause]/[resume] [stop])  or  (offer: days buttons)
    [change] ─▶ CHECKIN_DAYS ─[매일|평일|월수금|화목|주말]─▶ CHECKIN_TIME ─[09:00…] or HH:MM─▶ READY
    [pause] ─▶ CHECKIN_PAUSE ─[3일|일주일] or a typed date─▶ READY

The trusted contact, by a code the contact gives: the contact (a resident too) presses
[안부 연락처 되어 드리기] under /checkin and is shown a short random code, kept in their
conversation state (CHECKIN_CONTACT_CODE) for `CODE_VALID` at most, and only until they do
something else; they tell it to the resident (in person, by phone), who presses [믿을 만한 사람 초대] and
types it. The code is used up; the contact then gets the invitation with [수락] [거절] through
the outbox (`invite_contact`) and nothing is shared unless they accept. A code names no one, so
typing random codes gets nowhere: 32⁶ codes, half an hour, the flood limit, and an acceptance.

A typed message from a resident whose latest check-in is still open answers it
(`answer_open_round`, called by the engine before anything else handles the text).

Every press carries an id someone could forge: the services (`bot.checkins`) check it against
the database and raise a `CheckinError` before changing anything; here that becomes a polite
refusal, logged with ids only.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import datetime, time, timedelta

from bot.checkins.answers import NextStep, alert_staff_for_help, open_round_id, record_answer
from bot.checkins.buttons import CheckinAction, CheckinPress, checkin_button_data
from bot.checkins.plans import (
    PlanView,
    accept_invitation,
    decline_invitation,
    get_contact,
    get_plan,
    invite_contact,
    pause_checkins,
    resume_checkins,
    start_checkins,
    stop_checkins,
)
from bot.checkins.policy import (
    CheckinError,
    InvalidInvitation,
    InvalidPlan,
    InvitationClosed,
    NoPlan,
    NotAllowed,
)
from bot.checkins.reach import resume_if_reachable
from bot.checkins.schedule import local_day
from bot.conversation import search
from bot.conversation.dates import parse_typed_date, parse_typed_time
from bot.conversation.staff_desk import staff_text
from bot.conversation.states import CHECKIN, State
from bot.conversation.turn import Turn, log
from bot.conversation.typed_answers import labelled, plain
from bot.core.buttons import (
    CHECKIN_PAUSE_DAYS,
    CHECKIN_PRESETS,
    CHECKIN_TIMES,
    Action,
    Press,
    button,
)
from bot.core.messages import Button
from bot.people.residents import clear_conversation, conversations_in, get_resident
from bot.store.models import CheckinPlanStatus, CheckinRound, ContactStatus, Resident

# Day presets typed instead of pressed, besides their button labels.
_TYPED_DAYS = {"날마다": "daily", "매일매일": "daily", "everyday": "daily", "daily": "daily",
               "주중": "weekdays", "weekdays": "weekdays", "주말마다": "weekend", "weekends": "weekend",
               "월수금": "mwf", "화목": "tt"}
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out on the phone
CODE_LENGTH = 6
CODE_VALID = timedelta(minutes=30)
_CODE = re.compile(r"[A-Z0-9]{6}")
RESIDENT_ANSWERS = {CheckinAction.OK: "ok", CheckinAction.HELP: "help", CheckinAction.HARD: "hard"}


# --- /checkin ---------------------------------------------------------------------------------


def show(turn: Turn) -> None:
    """/checkin: the plan and what can be done with it, or the offer to start one."""
    plan = get_plan(session=turn.session, resident=turn.resident)
    if plan is None or plan.status == CheckinPlanStatus.STOPPED:
        turn.go(State.CHECKIN_DAYS)
        turn.say(turn.t("checkin.offer"),
                 [*_days_rows(turn), [button(turn.t("checkin.button_be_contact"), Action.CHECKIN_CODE)]])
        return
    rows = [[button(turn.t("checkin.button_change"), Action.CHECKIN_CHANGE)]]
    if plan.status == CheckinPlanStatus.PAUSED:
        rows.append([button(turn.t("checkin.button_resume"), Action.CHECKIN_RESUME)])
    else:
        rows.append([button(turn.t("checkin.button_pause"), Action.CHECKIN_PAUSING)])
    rows.append([button(turn.t("checkin.button_invite"), Action.CHECKIN_INVITE)])
    rows.append([button(turn.t("checkin.button_be_contact"), Action.CHECKIN_CODE)])
    rows.append([button(turn.t("checkin.button_stop"), Action.CHECKIN_STOP)])
    lines = [_plan_text(turn, plan)]
    contact = get_contact(session=turn.session, resident=turn.resident)
    if contact is not None and contact.status in (ContactStatus.PENDING, ContactStatus.ACCEPTED):
        person = turn.session.get(Resident, contact.contact_resident_id)
        lines.append(turn.t(f"checkin.my_contact_{contact.status}",
                            name=(person.first_name if person else "") or turn.t("common.none")))
    turn.say("\n".join(lines), rows)


def on_press(turn: Turn, press: Press) -> bool:
    """A /checkin button (`ck:*`) pressed by a resident; False when it no longer applies."""
    action, value = press.action, press.value
    if action is Action.CHECKIN_CHANGE:
        turn.go(State.CHECKIN_DAYS)
        turn.say(turn.t("checkin.ask_days"), _days_rows(turn))
        return True
    if action is Action.CHECKIN_DAYS:
        if turn.state not in (State.CHECKIN_DAYS, State.CHECKIN_TIME):
            return False
        turn.go(State.CHECKIN_TIME, {"days": str(value)})
        _ask_time(turn)
        return True
    if action is Action.CHECKIN_TIME:
        if turn.state is not State.CHECKIN_TIME or turn.data.get("days") not in CHECKIN_PRESETS:
            return False
        value = str(value)
        _start(turn, time(int(value[:2]), int(value[2:])))
        return True
    if action is Action.CHECKIN_PAUSING:
        return _ask_pause(turn)
    if action is Action.CHECKIN_PAUSE:
        _pause(turn, local_day(turn.now, _zone(turn)) + timedelta(days=int(str(value))))
        return True
    if action is Action.CHECKIN_RESUME:
        try:
            plan = resume_checkins(session=turn.session, resident=turn.resident, now=turn.now)
        except NoPlan:
            return False
        _rest(turn)
        turn.say(turn.t("checkin.resumed", next=_next_text(turn, plan)))
        return True
    if action is Action.CHECKIN_INVITE:
        plan = get_plan(session=turn.session, resident=turn.resident)
        if plan is None or plan.status == CheckinPlanStatus.STOPPED:
            return False
        turn.go(State.CHECKIN_INVITE)
        turn.say(turn.t("checkin.ask_code"))
        return True
    if action is Action.CHECKIN_CODE:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        turn.go(State.CHECKIN_CONTACT_CODE,
                {"code": code, "until": (turn.now + CODE_VALID).isoformat()})
        turn.say(turn.t("checkin.your_code", code=code, minutes=int(CODE_VALID.total_seconds() // 60)))
        return True
    if action is Action.CHECKIN_STOP:
        _rest(turn)
        stopped = stop_checkins(session=turn.session, resident=turn.resident, now=turn.now)
        turn.say(turn.t("checkin.stopped" if stopped else "checkin.no_plan"))
        return True
    raise AssertionError(f"unhandled action {action}")  # pragma: no cover


def on_typed(turn: Turn, text: str) -> None:
    """Text typed while the days ("매일"), a time ("오후 3시") or a pause date is asked for."""
    if turn.state is State.CHECKIN_DAYS and (days := _typed_days(turn, text)) is not None:
        turn.go(State.CHECKIN_TIME, {"days": days})
        _ask_time(turn)
    elif turn.state is State.CHECKIN_TIME:
        at = parse_typed_time(text)
        if at is None or turn.data.get("days") not in CHECKIN_PRESETS:
            turn.say(turn.t("checkin.time_unclear"), _time_rows(turn))
            return
        _start(turn, at)
    elif turn.state is State.CHECKIN_PAUSE:
        day = parse_typed_date(text, turn.now)
        if day is None:
            turn.say(turn.t("checkin.pause_unclear"), _pause_rows(turn))
            return
        _pause(turn, day)
    elif turn.state is State.CHECKIN_INVITE:
        _invite_by_code(turn, text)
    else:
        # Choosing days (the offer may simply be ignored), or a contact code shown (it ends
        # with anything else, as it says): the text is what the resident needs, searched.
        turn.go(turn.resting_state)
        search.search(turn, text)


def _invite_by_code(turn: Turn, typed: str) -> None:
    code = unicodedata.normalize("NFKC", typed).strip().upper().replace(" ", "").replace("-", "")
    contact = _holder_of_code(turn, code) if _CODE.fullmatch(code) else None
    if contact is None:
        log.info("check-in contact code not found for resident %s", turn.resident.id)
        turn.say(turn.t("checkin.code_unknown", minutes=int(CODE_VALID.total_seconds() // 60)))
        return
    try:
        invite_contact(session=turn.session, resident=turn.resident, contact_resident=contact,
                       now=turn.now)
    except InvalidInvitation:
        _rest(turn)
        turn.say(turn.t("checkin.code_unknown", minutes=int(CODE_VALID.total_seconds() // 60)))
        return
    clear_conversation(session=turn.session, platform_user_id=contact.platform_user_id)  # used up
    _rest(turn)
    turn.say(turn.t("checkin.invited", name=contact.first_name or turn.t("common.none")))


def _holder_of_code(turn: Turn, code: str) -> Resident | None:
    """The resident showing `code` right now (in CHECKIN_CONTACT_CODE, not expired), or None."""
    rows = conversations_in(session=turn.session, state=State.CHECKIN_CONTACT_CODE.value)
    for row in rows:
        data = row.data or {}
        if not secrets.compare_digest(str(data.get("code", "")), code):
            continue
        try:
            until = datetime.fromisoformat(str(data.get("until")))
        except ValueError:
            continue
        if until < turn.now or row.platform_user_id == turn.user_id:
            continue
        return get_resident(session=turn.session, platform_user_id=row.platform_user_id)
    return None


def _typed_days(turn: Turn, text: str) -> str | None:
    """The day preset typed ("매일", "평일", "주말", a button's label), or None."""
    return _TYPED_DAYS.get(plain(text)) or labelled(turn, text, CHECKIN_PRESETS,
                                                    lambda preset: f"checkin.days_{preset}")


def _start(turn: Turn, at: time) -> None:
    days = CHECKIN_PRESETS[turn.data["days"]]
    try:
        plan = start_checkins(session=turn.session, resident=turn.resident, days=set(days), at=at,
                              now=turn.now, tz=_zone(turn))
    except InvalidPlan:
        turn.say(turn.t("checkin.time_unclear"), _time_rows(turn))
        return
    _rest(turn)
    turn.say(turn.t("checkin.started", days=days_text(turn, plan.days), time=_hhmm(plan.at),
                    next=_next_text(turn, plan)))


def _ask_time(turn: Turn) -> None:
    turn.say(turn.t("checkin.ask_time", days=days_text(turn, CHECKIN_PRESETS[turn.data["days"]])),
             _time_rows(turn))


def _ask_pause(turn: Turn) -> bool:
    plan = get_plan(session=turn.session, resident=turn.resident)
    if plan is None or plan.status == CheckinPlanStatus.STOPPED:
        return False
    turn.go(State.CHECKIN_PAUSE)
    turn.say(turn.t("checkin.ask_pause"), _pause_rows(turn))
    return True


def _pause(turn: Turn, until) -> None:
    try:
        plan = pause_checkins(session=turn.session, resident=turn.resident, until=until, now=turn.now)
    except NoPlan:
        _rest(turn)
        turn.say(turn.t("checkin.no_plan"))
        return
    except InvalidPlan:
        turn.say(turn.t("checkin.pause_unclear"), _pause_rows(turn))
        return
    _rest(turn)
    turn.say(turn.t("checkin.paused", until=turn.date_text(until), next=_next_text(turn, plan)))


def _rest(turn: Turn) -> None:
    if turn.state in CHECKIN:
        turn.go(turn.resting_state)


# --- answers to a check-in --------------------------------------------------------------------


def answer_open_round(turn: Turn) -> bool:
    """A typed message from a resident whose latest check-in is still open answers it ("text").
    Returns True when it did; the text is then handled as usual by the caller."""
    if turn.resident is None or turn.resident.id is None:
        return False
    round_id = open_round_id(session=turn.session, resident=turn.resident)
    if round_id is None:
        return False
    record_answer(session=turn.session, resident=turn.resident, round_id=round_id, answer="text",
                  now=turn.now)
    log.info("resident %s answered check-in round %s with a message", turn.resident.id, round_id)
    return True


def welcome_back(turn: Turn) -> None:
    """A resident whose check-ins were set aside because the bot could not reach them (see
    `bot.checkins.reach`) writes again: they are reachable, so their check-ins start again, and
    they are told so, with the way to stop them. Called once per turn, by the conversation,
    when the resident was marked inactive: the plan is set aside only together with that."""
    if turn.resident is None:
        return
    if resume_if_reachable(session=turn.session, resident=turn.resident, now=turn.now) is None:
        return
    plan = get_plan(session=turn.session, resident=turn.resident)
    turn.say(turn.t("checkin.resumed_reachable", next=_next_text(turn, plan)))


def on_checkin_press(turn: Turn, press: CheckinPress) -> None:
    """A `ci:` press: a resident's answer, a request for staff, staff's outcome, a contact's
    answer. A round or invitation that is not the presser's is refused and nothing changes."""
    action, target = press.action, press.target_id
    if action in (CheckinAction.REACHED, CheckinAction.VISIT):
        _staff_press(turn, action, target)
        return
    if turn.resident is None:
        log.warning("refused check-in press %s on %s by non-resident user %s", action, target,
                    turn.user_id)
        turn.say(turn.t("checkin.not_found"))
        return
    try:
        if action in RESIDENT_ANSWERS:
            _answer(turn, target, RESIDENT_ANSWERS[action])
        elif action is CheckinAction.ALERT_STAFF:
            _alert_staff(turn, target)
        else:
            _invitation(turn, action, target)
    except CheckinError as error:
        _refuse(turn, error, action, target)


def _answer(turn: Turn, round_id: int, answer: str) -> None:
    outcome = record_answer(session=turn.session, resident=turn.resident, round_id=round_id,
                            answer=answer, now=turn.now)
    if outcome.next_step is NextStep.THANK:
        turn.say(turn.t("checkin.thanks"))
    elif outcome.next_step is NextStep.OFFER_HELP:
        turn.say(turn.t("checkin.offer_help"), _help_rows(turn, round_id))
    elif outcome.next_step is NextStep.COMFORT:
        turn.say(turn.t("checkin.comfort"), _help_rows(turn, round_id))


def _alert_staff(turn: Turn, round_id: int) -> None:
    rnd = turn.session.get(CheckinRound, round_id)
    already = rnd is not None and rnd.help_alerted_at is not None
    count = alert_staff_for_help(session=turn.session, resident=turn.resident, round_id=round_id,
                                 now=turn.now)
    if count:
        turn.say(turn.t("checkin.staff_alerted"))
    elif already:
        turn.say(turn.t("checkin.staff_already_alerted"))
    else:
        turn.say(turn.t("checkin.no_staff"))


def _invitation(turn: Turn, action: CheckinAction, invitation_id: int) -> None:
    if action is CheckinAction.ACCEPT_CONTACT:
        accept_invitation(session=turn.session, contact_resident=turn.resident,
                          invitation_id=invitation_id, now=turn.now)
        turn.say(turn.t("checkin.contact_accepted"))
    else:
        decline_invitation(session=turn.session, contact_resident=turn.resident,
                           invitation_id=invitation_id, now=turn.now)
        turn.say(turn.t("checkin.contact_declined"))


def _staff_press(turn: Turn, action: CheckinAction, round_id: int) -> None:
    if turn.staff is None:
        # Logged with the round pressed (refuse_non_staff knows bookings only): a forged staff
        # button names the round someone tried to settle.
        log.warning("refused check-in %s of round %s by non-staff user %s", action, round_id, turn.user_id)
        turn.say(turn.t("staff.only_staff"))
        return
    from bot.checkins.answers import staff_mark_reached, staff_mark_visit_needed

    mark = staff_mark_reached if action is CheckinAction.REACHED else staff_mark_visit_needed
    try:
        outcome = mark(session=turn.session, staff=turn.staff, round_id=round_id, now=turn.now)
    except CheckinError as error:
        if isinstance(error, NotAllowed):
            log.warning("refused %s of check-in round %s by staff member %s", action, round_id,
                        turn.staff.id)
        turn.say(staff_text(turn, "checkin.staff_not_found"))
        return
    if not outcome.changed:
        turn.say(staff_text(turn, "checkin.staff_settled"))
    elif action is CheckinAction.REACHED:
        turn.say(staff_text(turn, "checkin.staff_reached", notified=outcome.notified))
    else:
        turn.say(staff_text(turn, "checkin.staff_visit", notified=outcome.notified))


def _refuse(turn: Turn, error: CheckinError, action: CheckinAction, target: int) -> None:
    if isinstance(error, NotAllowed):
        log.warning("refused check-in press %s on %s by user %s", action, target, turn.user_id)
    else:
        log.info("check-in press %s on %s by user %s refused: %s", action, target, turn.user_id,
                 type(error).__name__)
    if isinstance(error, InvitationClosed):
        turn.say(turn.t("checkin.invitation_closed"))
    else:
        turn.say(turn.t("checkin.not_found"))


# --- wording ----------------------------------------------------------------------------------


def _zone(turn: Turn) -> str:
    return turn.tools.settings.checkin_default_time_zone


def _hhmm(at: time) -> str:
    return at.strftime("%H:%M")


def days_text(turn: Turn, days) -> str:
    days = frozenset(days)
    for preset, preset_days in CHECKIN_PRESETS.items():
        if days == preset_days:
            return turn.t(f"checkin.days_{preset}")
    return "·".join(turn.t(f"weekday.{d}") for d in sorted(days))


def _next_text(turn: Turn, plan: PlanView) -> str:
    local = plan.next_checkin_local
    if local is None:
        return turn.t("common.none")
    return f"{turn.date_text(local.date())} {local.strftime('%H:%M')}"


def _plan_text(turn: Turn, plan: PlanView) -> str:
    lines = [turn.t("checkin.plan", days=days_text(turn, plan.days), time=_hhmm(plan.at))]
    if plan.status == CheckinPlanStatus.PAUSED and plan.paused_until is not None:
        lines.append(turn.t("checkin.plan_paused", until=turn.date_text(plan.paused_until)))
    lines.append(turn.t("checkin.plan_next", next=_next_text(turn, plan)))
    return "\n".join(lines)


def _days_rows(turn: Turn) -> list[list[Button]]:
    presets = list(CHECKIN_PRESETS)
    return [[button(turn.t(f"checkin.days_{p}"), Action.CHECKIN_DAYS, p) for p in presets[i:i + 2]]
            for i in range(0, len(presets), 2)]


def _time_rows(turn: Turn) -> list[list[Button]]:
    return [[button(f"{t[:2]}:{t[2:]}", Action.CHECKIN_TIME, t) for t in CHECKIN_TIMES[:2]],
            [button(f"{t[:2]}:{t[2:]}", Action.CHECKIN_TIME, t) for t in CHECKIN_TIMES[2:]]]


def _pause_rows(turn: Turn) -> list[list[Button]]:
    return [[button(turn.t(f"checkin.pause_{n}"), Action.CHECKIN_PAUSE, n) for n in CHECKIN_PAUSE_DAYS]]


def _help_rows(turn: Turn, round_id: int) -> list[list[Button]]:
    return [[button(turn.t("checkin.button_find_help"), Action.MENU)],
            [Button(label=turn.t("checkin.button_alert_staff"),
                    data=checkin_button_data(CheckinAction.ALERT_STAFF, round_id))]]
