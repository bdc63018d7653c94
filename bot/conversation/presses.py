"""The buttons, in one table: for each action, who may press it, where it applies, what it does.

A press arrives as data the bot itself made (`bot.core.buttons`), but it may be old (pressed on
a message from three steps ago) or forged. The table says, per action: who may press it
(a staff or provider button pressed by anyone else is refused and logged, never acted on; a
resident's button pressed by a stranger is an old button), in which states it applies (None:
any), and whether it is a browsing press that ends a half-made request first. A handler
returns False when the press does not fit where the person is, which the engine answers as an
old button; adding a button is one row here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.conversation import (
    booking_flow,
    call_backs,
    checkin_desk,
    job_desk,
    job_feedback,
    notice_desk,
    onboarding,
    privacy,
    resident_settings,
    search,
    staff_desk,
)
from bot.conversation.commands import Who
from bot.conversation.states import ONBOARDING, State
from bot.conversation.turn import Turn, log
from bot.core.buttons import Action, Press

Handler = Callable[[Turn, Any], "bool | None"]


@dataclass(frozen=True)
class PressRoute:
    who: Who
    run: Handler  # returns False for a press that does not fit where the person is
    states: frozenset[State] | None = None  # None: in any state
    browsing: bool = False  # ends a half-made request (goes back to READY) first
    # A stranger pressing it is worth a warning (someone else's request, forged or old).
    warn_strangers: bool = False


def _only(handler: Callable[[Turn], Any]) -> Handler:
    return lambda turn, _value: handler(turn)


def _done(handler: Callable[[Turn, Any], Any]) -> Handler:
    """A handler whose press always applies once its route's checks pass."""
    def run(turn: Turn, value: Any) -> bool:
        handler(turn, value)
        return True
    return run


def _on_district(turn: Turn, value: Any) -> bool:
    if "language" not in turn.data:
        return False
    return onboarding.on_district(turn, value)


def _job_no_reason(turn: Turn, value: Any) -> bool:
    if turn.data.get("job") != value:
        return False
    job_desk.refuse(turn, value, None)
    return True


def _language(turn: Turn, value: Any) -> bool:
    if turn.state not in ONBOARDING and turn.state is not State.NEW:
        return False
    onboarding.on_language(turn, value)
    return True


ANY_STATE = None
PRESSES: dict[Action, PressRoute] = {
    # Onboarding: anyone, before they are a resident.
    Action.SETUP: PressRoute(Who.ANYONE, _done(lambda turn, _v: onboarding.ask_language(turn))),
    Action.LANGUAGE: PressRoute(Who.ANYONE, _language),
    Action.DISTRICT: PressRoute(Who.ANYONE, _on_district, frozenset({State.CHOOSING_DISTRICT, State.CONSENT})),
    Action.CONSENT: PressRoute(Who.ANYONE, _done(lambda turn, v: onboarding.on_consent(turn, v == "yes")),
                               frozenset({State.CONSENT})),
    Action.AGE: PressRoute(Who.RESIDENT, _done(onboarding.on_age), frozenset({State.PROFILE_AGE})),
    Action.GENDER: PressRoute(Who.RESIDENT, _done(onboarding.on_gender), frozenset({State.PROFILE_GENDER})),
    # Finding programs.
    Action.MENU: PressRoute(Who.RESIDENT, _done(lambda turn, _v: search.show_menu(turn)), browsing=True),
    Action.CATEGORY: PressRoute(Who.RESIDENT, _done(search.on_category), browsing=True),
    Action.PROGRAM_MORE: PressRoute(Who.RESIDENT, search.on_program_more, browsing=True),
    Action.OTHER_RESULTS: PressRoute(Who.RESIDENT, _only(search.on_other_results)),
    # A request, step by step, and the resident's own requests.
    Action.REQUEST: PressRoute(Who.RESIDENT, booking_flow.on_request, browsing=True),
    Action.DATE: PressRoute(Who.RESIDENT, _done(booking_flow.on_date), frozenset({State.BOOKING_DATE})),
    Action.TIME: PressRoute(Who.RESIDENT, _done(booking_flow.on_time), frozenset({State.BOOKING_TIME})),
    Action.SKIP: PressRoute(Who.RESIDENT, _only(booking_flow.on_skip)),
    Action.CONFIRM: PressRoute(Who.RESIDENT, _only(booking_flow.on_confirm)),
    Action.EDIT: PressRoute(Who.RESIDENT, _only(booking_flow.on_edit)),
    Action.STOP: PressRoute(Who.RESIDENT, lambda turn, _v: booking_flow.on_stop(turn) or call_backs.on_stop(turn)),
    Action.BOOKING_SHARE: PressRoute(Who.RESIDENT, lambda turn, v: booking_flow.on_share(turn, str(v))),
    Action.CANCEL_BOOKING: PressRoute(Who.RESIDENT, _done(booking_flow.on_cancel_booking), warn_strangers=True),
    Action.CANCEL_BOOKING_SURE: PressRoute(Who.RESIDENT, _done(booking_flow.on_cancel_booking_sure),
                                           warn_strangers=True),
    Action.KEEP_BOOKING: PressRoute(Who.RESIDENT, _done(lambda turn, _v: turn.say(turn.t("bookings.kept")))),
    # A voice message outside a request: [Please call me], then the phone number.
    Action.CALL_BACK: PressRoute(Who.RESIDENT, call_backs.on_press, frozenset({State.READY, State.CALL_BACK_PHONE})),
    # After a provider's visit.
    Action.JOB_CONFIRM: PressRoute(Who.RESIDENT, _done(lambda turn, v: job_feedback.on_confirm(turn, v, True))),
    Action.JOB_NOT_DONE: PressRoute(Who.RESIDENT, _done(lambda turn, v: job_feedback.on_confirm(turn, v, False))),
    Action.JOB_RATE: PressRoute(Who.RESIDENT, _done(lambda turn, v: job_feedback.on_rate(turn, *v))),
    Action.JOB_NO_COMMENT: PressRoute(Who.RESIDENT, job_feedback.on_no_comment),
    # Privacy and settings.
    Action.FORGET_YES: PressRoute(Who.RESIDENT, lambda turn, _v: privacy.on_forget(turn, True)),
    Action.FORGET_NO: PressRoute(Who.RESIDENT, lambda turn, _v: privacy.on_forget(turn, False)),
    Action.NOTICES_SETTING: PressRoute(Who.RESIDENT, _done(lambda turn, v: resident_settings.on_notices(turn, str(v)))),
    # Staff at their desk.
    Action.STAFF_ACCEPT: PressRoute(Who.STAFF, _done(staff_desk.on_accept)),
    Action.STAFF_DECLINE: PressRoute(Who.STAFF, _done(staff_desk.on_decline)),
    Action.STAFF_NO_REASON: PressRoute(Who.STAFF, _done(lambda turn, v: staff_desk.decline(turn, v, None))),
    Action.STAFF_ASSIGN: PressRoute(Who.STAFF, _done(lambda turn, v: staff_desk.on_assign(turn, *v))),
    Action.STAFF_DONE: PressRoute(Who.STAFF, _done(staff_desk.on_done)),
    # Providers' members.
    Action.JOB_TAKE: PressRoute(Who.PROVIDER, _done(job_desk.on_take)),
    Action.JOB_REFUSE: PressRoute(Who.PROVIDER, _done(job_desk.on_refuse)),
    Action.JOB_NO_REASON: PressRoute(Who.PROVIDER, _job_no_reason, frozenset({State.JOB_REFUSE_REASON})),
    Action.JOB_VISIT: PressRoute(Who.PROVIDER, _done(job_desk.on_visit)),
    Action.JOB_DONE: PressRoute(Who.PROVIDER, _done(job_desk.on_done)),
    Action.VISIT_DAY: PressRoute(Who.PROVIDER, _done(job_desk.on_visit_day), frozenset({State.VISIT_DAY})),
    Action.VISIT_HOUR: PressRoute(Who.PROVIDER, _done(lambda turn, v: job_desk.on_visit_hour(turn, int(v))),
                                  frozenset({State.VISIT_HOUR})),
    Action.RECORD_OK: PressRoute(Who.PROVIDER, _only(job_desk.on_record_ok)),
    Action.RECORD_EDIT: PressRoute(Who.PROVIDER, _only(job_desk.on_record_edit)),
}
# Whole desks whose own module reads the press: the check-in desk and the notice desk.
for _action in (Action.CHECKIN_DAYS, Action.CHECKIN_TIME, Action.CHECKIN_CHANGE, Action.CHECKIN_PAUSING,
                Action.CHECKIN_PAUSE, Action.CHECKIN_RESUME, Action.CHECKIN_STOP, Action.CHECKIN_INVITE,
                Action.CHECKIN_CODE):
    PRESSES[_action] = PressRoute(Who.RESIDENT, lambda turn, v, a=_action: checkin_desk.on_press(turn, Press(a, v)))
for _action in (Action.NOTICE_AUDIENCE, Action.NOTICE_NO_LINK, Action.NOTICE_SEND, Action.NOTICE_SCHEDULE,
                Action.NOTICE_DROP, Action.NOTICE_STOP):
    PRESSES[_action] = PressRoute(Who.STAFF, lambda turn, v, a=_action: notice_desk.on_press(turn, Press(a, v)))


def route_press(turn: Turn, press: Press) -> bool:
    """Act on a press; False when it does not apply to where the person is (an old button)."""
    route = PRESSES.get(press.action)
    if route is None:  # a button the bot no longer makes
        return False
    value = press.value
    if route.who is Who.STAFF and turn.staff is None:
        logged = value[0] if isinstance(value, tuple) else value if isinstance(value, int) else None
        staff_desk.refuse_non_staff(turn, str(press.action), logged)
        return True
    if route.who is Who.PROVIDER and turn.provider is None:
        log.warning("refused %s by non-provider user %s", press.action, turn.user_id)
        turn.say(turn.t("job.only_providers"))
        return True
    if route.who is Who.RESIDENT and turn.resident is None:
        if route.warn_strangers:
            log.warning("refused %s of booking %s by non-resident user %s", press.action, value, turn.user_id)
        return False
    if route.states is not None and turn.state not in route.states:
        return False
    if route.browsing and turn.state is not State.READY:
        turn.go(State.READY)
    return route.run(turn, value) is not False
