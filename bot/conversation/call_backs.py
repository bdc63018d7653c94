"""Voice messages, and the call-back they offer outside a request: [Please call me] → phone → staff.

The bot cannot listen. A voice message is checked first (an empty one or one over ten minutes is
refused with nothing kept), then: in a request being written it is kept with the request for
staff and the provider (`booking_flow.on_voice`); in the phone step of a call-back the number is
asked for in writing; anywhere else a resident hears that the district office can call them,
with the message kept for staff to hear. Someone who has not started yet (no district, no
consent to keep a phone number) is asked to start first; in any other step the answer says a
voice message cannot be taken there.

    READY ─voice─▶ READY (offer: [📞 Please call me], the voice kept in the data)
      ▲                │ press
      │                ▼
      └─phone (checked)─ CALL_BACK_PHONE ─[Cancel] / "취소"─▶ READY (nothing sent)
        call-back stored (`bot.requests.call_backs`), staff told with the request's buttons,
        its voice messages sent to them as voice messages

The phone number is taken as in a request (`bot.people.phones`): the resident agreed at the
start that the bot keeps their phone with a request, and it is erased with the request's other
details after the retention period, or by /forget.
"""

from __future__ import annotations

import secrets

from bot.conversation import booking_flow
from bot.conversation.states import BOOKING, State
from bot.conversation.turn import Turn, log
from bot.conversation.typed_answers import CANCEL_WORDS, means
from bot.core.buttons import Action, button
from bot.core.messages import VoiceNote
from bot.people.phones import InvalidPhone, normalize_phone
from bot.requests.call_backs import create_call_back
from bot.requests.voice_notes import (
    MAX_VOICE_NOTES,
    MAX_VOICE_SECONDS,
    VoiceProblem,
    as_draft,
    from_drafts,
    voice_problem,
)

_REFUSALS = {
    VoiceProblem.EMPTY: "voice.empty",
    VoiceProblem.TOO_LONG: "voice.too_long",
    VoiceProblem.UNREADABLE: "voice.unreadable",
}


def on_voice(turn: Turn) -> None:
    """Any voice message, in any state: refused, kept with a request, or a call-back offered."""
    voice = turn.incoming.voice
    problem = voice_problem(voice)
    if problem is not None:
        log.info("voice message from user %s refused (%s)", turn.user_id, problem)
        turn.say(turn.t(_REFUSALS[problem], minutes=MAX_VOICE_SECONDS // 60))
        return
    if turn.state in BOOKING:
        booking_flow.on_voice(turn, voice)
    elif turn.state is State.CALL_BACK_PHONE:
        turn.say(turn.t("call_back.voice_needs_number"), [[_stop_button(turn)]])
    elif turn.state is State.READY and turn.resident is not None:
        _offer(turn, voice)
    elif turn.state is State.NEW and turn.resident is None and turn.staff is None and turn.provider is None:
        turn.say(turn.t("voice.register_first"), [[button(turn.t("button.start"), Action.SETUP)]])
    elif turn.state is State.NEW:  # staff or a provider's member, who write to the bot
        turn.say(turn.t("common.unsupported"))
    else:
        turn.say(turn.t("voice.not_here"))


def _offer(turn: Turn, voice: VoiceNote) -> None:
    """Keep the voice message (its id) in the conversation and offer [Please call me]; the
    button names the message, so an old offer pressed later does not carry newer messages."""
    message = turn.incoming.message_id or 0
    kept = [draft for draft in turn.data.get("voices", []) if isinstance(draft, dict)]
    voices = [*kept, {**as_draft(voice), "message": message}][-MAX_VOICE_NOTES:]
    # A new dict, not an update: the data loaded for this turn is compared with it on saving.
    turn.data = {**turn.data, "voices": voices}
    turn.say(turn.t("call_back.offer"), [[button(turn.t("call_back.button"), Action.CALL_BACK, message)]])


def on_press(turn: Turn, message: int) -> bool:
    """[Please call me]: ask for the phone number; the voice messages offered with it go along."""
    if turn.state is State.CALL_BACK_PHONE:  # pressed twice: the same call-back, asked again
        ask_phone(turn)
        return True
    kept = [draft for draft in turn.data.get("voices", []) if isinstance(draft, dict)]
    voices = kept if any(draft.get("message") == message for draft in kept) else []
    turn.go(State.CALL_BACK_PHONE, {
        "voices": [as_draft(voice) for voice in from_drafts(voices)],
        # Identifies this call-back: its request key, whatever the messenger gives as ids.
        "draft": secrets.token_hex(4),
    })
    ask_phone(turn)
    return True


def _stop_button(turn: Turn):
    return button(turn.t("button.cancel"), Action.STOP)


def ask_phone(turn: Turn) -> None:
    turn.say(turn.t("call_back.ask_phone"), [[_stop_button(turn)]])


def on_typed(turn: Turn, text: str) -> None:
    """The phone number typed (checked as in a request), or a typed "취소"."""
    if means(turn, text, CANCEL_WORDS, "button.cancel"):
        on_stop(turn)
        return
    try:
        phone = normalize_phone(text)
    except InvalidPhone:
        turn.say(turn.t("booking.phone_invalid"), [[_stop_button(turn)]])
        return
    _send(turn, phone)


def _send(turn: Turn, phone: str) -> None:
    draft = turn.data.get("draft") or secrets.token_hex(4)
    booking = create_call_back(
        session=turn.session,
        resident=turn.resident,
        phone=phone,
        request_key=f"{turn.user_id}:cb{draft}",
        now=turn.now,
        voice_notes=from_drafts(turn.data.get("voices", [])),
    )
    booking_flow.hand_to_staff(turn, booking, headline="call_back.staff_new", told="call_back")


def on_stop(turn: Turn) -> bool:
    """[Cancel] or /cancel at the phone step; False anywhere else."""
    if turn.state is not State.CALL_BACK_PHONE:
        return False
    turn.go(State.READY)
    turn.say(turn.t("call_back.stopped"))
    return True
