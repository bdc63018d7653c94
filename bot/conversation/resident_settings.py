"""/settings for residents: what they can switch on and off themselves (district notices, for now).

The toggle button carries the state it sets (`set:notices:off`, `set:notices:on`), not "toggle",
so pressing an old button twice leaves the setting where the person meant it.
"""

from __future__ import annotations

from bot.conversation.turn import Turn, fit_message
from bot.core.buttons import Action, button
from bot.core.messages import Outgoing
from bot.people.residents import update_resident


def _view(turn: Turn) -> tuple[str, list]:
    muted = turn.resident.muted_notices
    text = turn.t("settings.title", state=turn.t("settings.off" if muted else "settings.on"))
    toggle = (button(turn.t("settings.button_unmute"), Action.NOTICES_SETTING, "on") if muted
              else button(turn.t("settings.button_mute"), Action.NOTICES_SETTING, "off"))
    return text, [[toggle]]


def show(turn: Turn) -> None:
    text, rows = _view(turn)
    turn.say(text, rows)


def on_notices(turn: Turn, value: str) -> None:
    """[Turn notices off] / [Turn notices on]: set it, show the settings again, confirm."""
    muted = value == "off"
    if turn.resident.muted_notices != muted:
        update_resident(session=turn.session, resident=turn.resident, now=turn.now, muted_notices=muted)
    text, rows = _view(turn)
    if turn.incoming.message_id is not None:
        turn.reply.messages.append(Outgoing(
            turn.incoming.chat_id, fit_message(text), tuple(tuple(row) for row in rows),
            edit_message_id=turn.incoming.message_id,
        ))
    turn.say(turn.t("settings.muted" if muted else "settings.unmuted"))
