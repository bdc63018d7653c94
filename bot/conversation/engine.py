"""The conversation: one `Incoming` in, one `Reply` out, in one database transaction.

`Conversation.handle` loads who is speaking (resident, staff member, or neither) and where they
are (`states.State`, diagram in `states.py`), routes the input to a thin handler module
(onboarding, search, booking_flow, staff_desk, notice_desk, resident_settings, privacy,
checkin_desk), and saves the new state. Messages to
anyone else go through the outbox in the same transaction.

Input is untrusted: garbled text, emoji, control characters, a sticker, a forged or outdated
button all get a short polite answer. The expected failures of the domain (not allowed, not
found, wrong status, bad phone, unknown district) become answers too, after undoing whatever
the turn had written; anything else propagates to the adapter, which logs it.
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine, text

from bot.checkins.buttons import parse_checkin_press
from bot.conversation import (
    booking_flow,
    call_backs,
    checkin_desk,
    job_desk,
    job_feedback,
    notice_desk,
    onboarding,
    privacy,
    search,
    staff_desk,
)
from bot.conversation.commands import run_command
from bot.conversation.presses import route_press
from bot.conversation.states import BOOKING, CHECKIN, NOTICE, ONBOARDING, PROVIDER, STAFF_TYPING, State
from bot.conversation.turn import Tools, Turn, log
from bot.core.buttons import (
    CHECKIN_PAUSE_DAYS,
    CHECKIN_PRESETS,
    ProgramRefs,
    parse_press,
)
from bot.core.messages import MAX_TEXT_LENGTH, Incoming, InputKind, Reply
from bot.core.settings import Settings
from bot.core.texts import Texts
from bot.notices.authoring import NoticeError
from bot.people.phones import InvalidPhone
from bot.people.residents import (
    clear_conversation,
    load_person,
    save_conversation,
    update_resident,
)
from bot.requests import bookings, provider_jobs
from bot.store.db import session_scope
from bot.store.models import (
    AgeBand,
    BookingStatus,
    CheckinAnswer,
    CheckinPlanStatus,
    ContactStatus,
    Gender,
    JobStatus,
    Language,
    NoticeAudience,
    NoticeStatus,
    TimeWindow,
)
from catalog import Catalog, Matcher, UnknownDistrictError, detect_crisis
from catalog.schema import Category

Clock = Callable[[], datetime]

# Failures a person can cause by what they type or press; everything else is a bug.
EXPECTED_ERRORS = (
    bookings.NotAllowed,
    bookings.BookingNotFound,
    bookings.InvalidTransition,
    bookings.InvalidBookingDetails,
    InvalidPhone,
    UnknownDistrictError,
    NoticeError,  # e.g. a notice started by a second press in the same instant
    provider_jobs.JobError,
)
# The names a stored state may have; one that is not (from an older version) starts anew.
STATE_NAMES = frozenset(state.value for state in State)
# States that need a resident row; without one (e.g. erased by an operator) the person is new.
RESIDENT_STATES = BOOKING | CHECKIN | {State.PROFILE_AGE, State.PROFILE_GENDER, State.READY, State.FORGET_CONFIRM,
                                       State.RATING_COMMENT, State.CALL_BACK_PHONE}



def _forget_typed(turn: Turn, _text: str) -> None:
    turn.say(turn.t("onboarding.press_a_button"))
    privacy.ask_forget(turn)


TypedHandler = Callable[[Turn, str], "bool | None"]
# Typed text, by the state the person is in. Staff and providers' typing is read before crisis
# detection: a notice or a reason may be about crisis help, and is theirs to write.
TYPED_BEFORE_CRISIS: dict[State, TypedHandler] = {
    State.STAFF_DECLINE_REASON: staff_desk.on_reason_typed,
    State.STAFF_OVERRIDE_REASON: staff_desk.on_override_typed,
    **{state: job_desk.on_typed for state in PROVIDER},
    **{state: notice_desk.on_typed for state in NOTICE},
}
# The rest, after it; a handler returning False lets the text be searched (an age question
# answered with a need). Anyone in no state of these is searching (or is new).
TYPED: dict[State, TypedHandler] = {
    **{state: onboarding.on_typed for state in ONBOARDING},
    **{state: booking_flow.on_typed for state in BOOKING},
    **{state: checkin_desk.on_typed for state in CHECKIN},
    State.FORGET_CONFIRM: _forget_typed,
    State.RATING_COMMENT: job_feedback.on_comment,
    State.CALL_BACK_PHONE: call_backs.on_typed,
    State.PROFILE_AGE: onboarding.on_profile_typed,
    State.PROFILE_GENDER: onboarding.on_profile_typed,
}

def dynamic_text_keys() -> set[str]:
    """Text keys the code builds from a value (`status.{status}`); checked at start-up."""
    keys = {f"category.{c}" for c in Category}
    keys |= {f"status.{s}" for s in BookingStatus}
    keys |= {f"window.{w}" for w in TimeWindow}
    keys |= {f"age.{a}" for a in AgeBand}
    keys |= {f"gender.{g}" for g in Gender}
    keys |= {f"language.{lang}" for lang in Language}
    keys |= {f"card.fit_{fit}" for fit in ("yes", "no", "unknown")}
    keys |= {f"month.{m}" for m in range(1, 13)}
    keys |= {f"weekday.{d}" for d in range(7)}
    keys |= {f"audience.{a}" for a in NoticeAudience}
    keys |= {f"notice_status.{s}" for s in NoticeStatus}
    keys |= {f"notice.why_{reason}" for reason in ("refused", "unavailable", "other")}
    keys |= {f"checkin.days_{preset}" for preset in CHECKIN_PRESETS}
    keys |= {f"checkin.pause_{days}" for days in CHECKIN_PAUSE_DAYS}
    keys |= {f"checkin.my_contact_{s}" for s in (ContactStatus.PENDING, ContactStatus.ACCEPTED)}
    keys |= {f"privacy.plan_status_{s}" for s in CheckinPlanStatus}
    keys |= {f"privacy.answer_{a}" for a in (*CheckinAnswer, "none")}
    keys |= {f"privacy.contact_{s}" for s in ContactStatus}
    keys |= {f"checkins.answer_{a}" for a in CheckinAnswer}  # the check-in engine's own texts
    keys |= {f"job_status.{s}" for s in JobStatus}
    return keys


def resident_districts(catalog: Catalog) -> tuple[str, ...]:
    """The districts a resident lives in: every district that is not the city of others."""
    parents = {d.parent for d in catalog.districts.values() if d.parent}
    return tuple(code for code in catalog.districts if code not in parents)


def lock_person(session, user_id: int) -> None:
    """Apply one person's updates in order, even when several bot processes share a PostgreSQL
    database: a transaction-scoped advisory lock on their id, held until the turn commits.
    SQLite needs none: it has a single writer and each process handles updates one at a time."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": user_id})


class Conversation:
    """What the bot says and does; one instance serves every person (it keeps no per-person
    state in memory, so a restart, or a second process, continues where the database is)."""

    def __init__(
        self,
        *,
        catalog: Catalog,
        matcher: Matcher,
        engine: Engine,
        settings: Settings,
        clock: Clock,
        texts: Texts | None = None,
    ):
        texts = texts or Texts.load()
        texts.require(dynamic_text_keys())
        self._tools = Tools(
            catalog=catalog,
            matcher=matcher,
            texts=texts,
            settings=settings,
            refs=ProgramRefs(catalog.programs),
            resident_districts=resident_districts(catalog),
        )
        self._engine = engine
        self._clock = clock

    @property
    def catalog(self) -> Catalog:
        return self._tools.catalog

    def handle(self, incoming: Incoming) -> Reply:
        now = self._clock()
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError("the conversation's clock must return an aware UTC time")
        with session_scope(self._engine) as session:
            turn = self._begin(session, incoming, now)
            self._run(turn)
            self._save(turn)
        return turn.reply

    # --- the turn ------------------------------------------------------------------------
    def _begin(self, session, incoming: Incoming, now: datetime) -> Turn:
        lock_person(session, incoming.user_id)
        person = load_person(session=session, platform_user_id=incoming.user_id)  # one query
        resident, staff, provider, stored = person.resident, person.staff, person.provider, person.conversation
        state, data = State.NEW, {}
        came_back = False
        if stored is not None and stored.state in STATE_NAMES:
            state, data = State(stored.state), dict(stored.data)
        if resident is not None:
            if state is State.NEW:
                state, data = State.READY, {}
            came_back = not resident.active
            if came_back or resident.chat_id != incoming.chat_id:
                # They wrote again after blocking the bot, or from another chat: reachable there.
                update_resident(session=session, resident=resident, now=now, active=True,
                                chat_id=incoming.chat_id)
        elif state in RESIDENT_STATES:
            state, data = State.NEW, {}
        if ((state in STAFF_TYPING or state in NOTICE) and staff is None) or (state in PROVIDER and provider is None):
            state, data = (State.READY if resident else State.NEW), {}
        turn = Turn(incoming=incoming, session=session, now=now, tools=self._tools, state=state,
                    data=data, resident=resident, staff=staff, provider=provider)
        turn.stored = (stored.state, stored.data) if stored is not None else None
        if resident is not None and came_back:
            checkin_desk.welcome_back(turn)  # check-ins set aside while they could not be reached
        return turn

    def _run(self, turn: Turn) -> None:
        # A typed message answers the resident's open check-in before anything else reads it,
        # outside the turn's savepoint: a sign of life stays recorded even if the turn fails.
        text = turn.text = clean_text(turn.incoming.text) if turn.incoming.kind == InputKind.TEXT else ""
        if text and not text.startswith("/"):
            turn.checkin_answered = checkin_desk.answer_open_round(turn)
        before = (turn.state, copy.deepcopy(turn.data), turn.resident)
        try:
            with turn.session.begin_nested():
                self._dispatch(turn)
        except EXPECTED_ERRORS as error:
            # The savepoint is rolled back: nothing this turn wrote stays, nor what it said.
            turn.state, turn.data, turn.resident = before
            turn.reply = Reply()
            turn.forgotten = False
            self._answer_error(turn, error)

    def _save(self, turn: Turn) -> None:
        if turn.forgotten:
            return  # forget_resident erased the stored state with everything else
        if turn.state is State.NEW:
            if turn.stored is not None:
                clear_conversation(session=turn.session, platform_user_id=turn.user_id)
        elif turn.stored == (turn.state.value, turn.data):
            return  # nothing moved (/help, a repeated search page): no write, no lock taken
        else:
            save_conversation(session=turn.session, platform_user_id=turn.user_id,
                              state=turn.state, data=turn.data, now=turn.now)

    def _dispatch(self, turn: Turn) -> None:
        kind = turn.incoming.kind
        if kind == InputKind.BUTTON:
            self._on_press(turn)
        elif kind == InputKind.TEXT:
            self._on_text(turn)
        elif kind == InputKind.PHOTO and turn.state is State.NOTICE_TEXT:
            notice_desk.on_photo(turn, clean_text(turn.incoming.text))
        elif kind == InputKind.PHOTO and turn.state in BOOKING:
            booking_flow.on_photo(turn, turn.incoming.photo)
        elif kind == InputKind.VOICE:  # kept with a request, or a call-back offered
            call_backs.on_voice(turn)
        else:
            turn.say(turn.t("common.unsupported"))

    def _answer_error(self, turn: Turn, error: Exception) -> None:
        if isinstance(error, bookings.NotAllowed):
            log.warning("refused %s of booking %s by user %s", error.action, error.booking_id, turn.user_id)
            turn.say(turn.t("common.booking_not_found"))
        elif isinstance(error, bookings.BookingNotFound):
            turn.say(turn.t("common.booking_not_found"))
        elif isinstance(error, bookings.InvalidTransition):
            turn.say(turn.t("common.cannot_change", number=error.booking_id,
                            status=turn.t(f"status.{error.current}")))
        elif isinstance(error, InvalidPhone):
            turn.say(turn.t("booking.phone_invalid"))
        elif isinstance(error, provider_jobs.JobNotFound):
            turn.say(turn.t("job.not_found", job=error.job_id))
        elif isinstance(error, provider_jobs.InvalidJobMove):
            turn.say(turn.t("job.cannot", job=error.job_id or "-", status=turn.t(f"job_status.{error.current}")
                            if error.current in set(JobStatus) else error.current))
        elif isinstance(error, UnknownDistrictError):
            log.warning("user %s has district %s, unknown to the catalog", turn.user_id, error.code)
            turn.say(turn.t("common.district_gone"))
        else:
            turn.say(turn.t("common.invalid_details"))

    # --- typed text ----------------------------------------------------------------------
    def _on_text(self, turn: Turn) -> None:
        text = turn.text
        # A command, or a press of the buttons under the typing field, which sends its label.
        command = text if text.startswith("/") else onboarding.keyboard_command(turn, text)
        if command is not None:
            run_command(turn, command)  # the table in bot/conversation/commands.py
            return
        if turn.checkin_answered and detect_crisis(text) is None:
            turn.say(turn.t("checkin.text_thanks"))
        if not any(ch.isalnum() for ch in text):
            if not turn.checkin_answered:  # "👍" to a check-in is answer enough
                turn.say(turn.t("common.no_words"))
            return
        typed = TYPED_BEFORE_CRISIS.get(turn.state)
        if typed is not None:  # staff and providers typing a reason, a notice, a visit's details
            typed(turn, text)
            return
        crisis = detect_crisis(text)
        if crisis is not None:
            search.answer_crisis(turn, crisis, text)
            return
        typed = TYPED.get(turn.state)
        if typed is not None and typed(turn, text) is not False:
            return
        if turn.resident is not None:
            if turn.state is not State.READY:  # age or gender asked: anything else means going on without
                turn.go(State.READY)
            search.search(turn, text)
        elif turn.staff is not None:
            turn.say(turn.t("help.staff"))
        else:
            turn.say(turn.t("onboarding.intro"))
            onboarding.ask_language(turn)

    # --- button presses ------------------------------------------------------------------
    def _on_press(self, turn: Turn) -> None:
        checkin_press = parse_checkin_press(turn.incoming.text or "")
        if checkin_press is not None:  # ci:<action>:<id>, the check-in engine's own buttons
            checkin_desk.on_checkin_press(turn, checkin_press)
            return
        press = parse_press(turn.incoming.text or "")
        if press is None:
            log.warning("unreadable button data (%s bytes) from user %s",
                        len((turn.incoming.text or "").encode("utf-8", "surrogatepass")), turn.user_id)
            turn.say(turn.t("common.stale_button"))
            return
        if not route_press(turn, press):  # the table in bot/conversation/presses.py
            log.info("outdated button %s pressed by user %s in state %s",
                     press.action, turn.user_id, turn.state)
            turn.say(turn.t("common.stale_button"))


def clean_text(text: str) -> str:
    """What a person typed, without control and format characters, at most one message long."""
    text = unicodedata.normalize("NFC", text or "")[:MAX_TEXT_LENGTH]
    kept = (ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return "".join(kept).strip()
