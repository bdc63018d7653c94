"""The conversation's messages as a Kakao i Open Builder skill response (version 2.0).

Kakao shows at most 3 outputs and 10 quick replies per answer, a `simpleText` of at most 1,000
characters, a `textCard` of at most 400 with 3 buttons, and labels of 14 characters. What the
conversation says is made to fit, never cut:

- a long text is split at line ends over several `simpleText`s;
- buttons that come back as presses become quick replies (they show once, under the answer;
  a label too long is shortened, the full label is what the chat shows as sent, and the
  button's data rides in `extra`, which Kakao hands back as `action.clientExtra`);
- link buttons become `webLink` buttons of a `textCard` (on the text itself when it is short);
- the buttons under the typing field (`Outgoing.keyboard`) become quick replies that send
  their label as typed text, as on Telegram;
- what does not fit (a fourth output, an eleventh quick reply) is held (`bot.adapters.kakao.held`)
  and the answer ends with a "더보기" quick reply that fetches it: `render` says what to hold,
  under the token it was given.

Photos and voice messages (Telegram file ids, the staff's weekly chart) are not shown: their
text is. Edits are new messages: Kakao cannot change what it showed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.core.messages import Button, Outgoing

VERSION = "2.0"
MAX_OUTPUTS = 3
MAX_QUICK_REPLIES = 10
MAX_SIMPLE_TEXT = 1000
MAX_CARD_DESCRIPTION = 400
MAX_CARD_BUTTONS = 3
MAX_LABEL = 14
# What a quick reply carries back in `action.clientExtra`: a press's data, or a held token.
PRESS_KEY = "press"
HELD_KEY = "held"
MORE_LABEL = "더보기"
MORE_TEXT = "더보기 / more"
MORE_CHOICES = "다른 선택지 / more choices"
LINK_CARD_TEXT = "🔗"


@dataclass(frozen=True)
class SkillPage:
    """One skill response, and what did not fit in it (to hold under the "더보기" token)."""

    response: dict[str, Any]
    rest: list[Outgoing] = field(default_factory=list)


def render(messages: Sequence[Outgoing], *, more_token: str) -> SkillPage:
    """The skill response for `messages` (in order); `rest` is non-empty when it ends in
    "더보기", which fetches `rest` by `more_token`."""
    pieces = [piece for message in messages for piece in _pieces(message)]
    shown: list[Outgoing] = []
    outputs: list[dict[str, Any]] = []
    for index, piece in enumerate(pieces):
        piece_outputs = _outputs(piece)
        if len(outputs) + len(piece_outputs) > MAX_OUTPUTS and outputs:
            # The rest of the text comes first; every press waits for the last page.
            rest = _with_earlier_presses(pieces[index:], _presses(shown))
            return SkillPage(_response(outputs, [_more(more_token)]), rest)
        shown.append(piece)
        outputs.extend(piece_outputs)
    quick = [*_presses(shown), *_typed(shown)]
    if len(quick) > MAX_QUICK_REPLIES:
        first, rest_of_buttons = quick[: MAX_QUICK_REPLIES - 1], quick[MAX_QUICK_REPLIES - 1:]
        chat_id = pieces[-1].chat_id
        rest = [Outgoing(chat_id, MORE_CHOICES, tuple((button,) for button in rest_of_buttons))]
        return SkillPage(_response(outputs, [*map(_quick_reply, first), _more(more_token)]), rest)
    return SkillPage(_response(outputs, [_quick_reply(button) for button in quick]))


def simple_text(text: str) -> dict[str, Any]:
    """A response of one short text (a notice of the adapter's own: flood, failure, too long)."""
    return _response([{"simpleText": {"text": text[:MAX_SIMPLE_TEXT]}}], [])


def use_callback(text: str) -> dict[str, Any]:
    """The answer that tells Kakao the real one follows at the request's callbackUrl."""
    return {"version": VERSION, "useCallback": True, "data": {"text": text}}


def short_label(label: str) -> str:
    """A label within Kakao's 14 characters: shortened with "…" when longer."""
    label = " ".join(label.split())
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def split_text(text: str, limit: int = MAX_SIMPLE_TEXT) -> list[str]:
    """`text` in parts of at most `limit` characters, cut at a line end (else a space) where
    one is in the second half of the part, so a line or a word is rarely broken."""
    parts: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", limit // 2, limit)
        if cut == -1:
            cut = text.rfind(" ", limit // 2, limit)
        if cut == -1:
            cut = limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip("\n ")
    if text or not parts:
        parts.append(text)
    return parts


# --- pieces: messages cut to what one or two outputs hold ------------------------------------


def _pieces(message: Outgoing) -> list[Outgoing]:
    """A message as pieces of at most MAX_SIMPLE_TEXT characters, its buttons on the last."""
    parts = split_text(message.text)
    pieces = [Outgoing(message.chat_id, part) for part in parts[:-1]]
    pieces.append(Outgoing(message.chat_id, parts[-1], message.buttons, keyboard=message.keyboard))
    return pieces


def _links(piece: Outgoing) -> list[Button]:
    return [button for row in piece.buttons for button in row if button.url]


def _outputs(piece: Outgoing) -> list[dict[str, Any]]:
    links = _links(piece)
    text = piece.text or " "
    if not links:
        return [{"simpleText": {"text": text}}]
    cards = [links[start:start + MAX_CARD_BUTTONS] for start in range(0, len(links), MAX_CARD_BUTTONS)]
    if len(text) <= MAX_CARD_DESCRIPTION and len(cards) == 1:
        return [_link_card(text, cards[0])]
    # At most what one answer shows: a message with more links than that is no reply of ours.
    cards = cards[: MAX_OUTPUTS - 1]
    return [{"simpleText": {"text": text}}, *(_link_card(LINK_CARD_TEXT, card) for card in cards)]


def _link_card(description: str, links: list[Button]) -> dict[str, Any]:
    return {"textCard": {"description": description, "buttons": [
        {"action": "webLink", "label": short_label(link.label), "webLinkUrl": link.url} for link in links
    ]}}


def _presses(pieces: Sequence[Outgoing]) -> list[Button]:
    """The buttons that come back as presses, in order, each (label, data) once."""
    seen: set[tuple[str, str]] = set()
    presses: list[Button] = []
    for piece in pieces:
        for row in piece.buttons:
            for button in row:
                if button.url or (button.label, button.data) in seen:
                    continue
                seen.add((button.label, button.data))
                presses.append(button)
    return presses


def _typed(pieces: Sequence[Outgoing]) -> list[Button]:
    """The typing field's buttons of the last piece that has some (labels sent as text)."""
    for piece in reversed(pieces):
        if piece.keyboard and not piece.buttons:
            return [Button(label) for label in piece.keyboard]
    return []


def _with_earlier_presses(rest: list[Outgoing], presses: list[Button]) -> list[Outgoing]:
    """What is held after a page cut short, its last piece carrying the page's presses first:
    quick replies show under the last page only."""
    if not presses:
        return rest
    last = rest[-1]
    buttons = (*((button,) for button in presses), *last.buttons)
    return [*rest[:-1], Outgoing(last.chat_id, last.text, buttons, keyboard=last.keyboard)]


# --- the JSON ----------------------------------------------------------------------------------


def _quick_reply(button: Button) -> dict[str, Any]:
    reply: dict[str, Any] = {"label": short_label(button.label), "action": "message",
                             "messageText": button.label}
    if button.data:
        reply["extra"] = {PRESS_KEY: button.data}
    return reply


def _more(token: str) -> dict[str, Any]:
    return {"label": MORE_LABEL, "action": "message", "messageText": MORE_LABEL, "extra": {HELD_KEY: token}}


def _response(outputs: list[dict[str, Any]], quick_replies: list[dict[str, Any]]) -> dict[str, Any]:
    template: dict[str, Any] = {"outputs": outputs or [{"simpleText": {"text": MORE_TEXT}}]}
    if quick_replies:
        template["quickReplies"] = quick_replies
    return {"version": VERSION, "template": template}


__all__ = [
    "HELD_KEY",
    "MAX_LABEL",
    "MAX_OUTPUTS",
    "MAX_QUICK_REPLIES",
    "MAX_SIMPLE_TEXT",
    "PRESS_KEY",
    "SkillPage",
    "render",
    "short_label",
    "simple_text",
    "split_text",
    "use_callback",
]
