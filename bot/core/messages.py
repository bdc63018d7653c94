"""What crosses the boundary between the conversation and a messenger adapter.

Button `data` is at most 64 bytes (Telegram's callback_data limit) and carries only an action
and ids; whoever presses it is checked against the database every time, so a forged or replayed
press can never act on someone else's booking or reach a staff action.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

MAX_BUTTON_DATA_BYTES = 64
MAX_TEXT_LENGTH = 4096  # Telegram's limit for one message


class InputKind(StrEnum):
    TEXT = "text"  # a typed message or a /command
    BUTTON = "button"  # an inline button press
    PHOTO = "photo"  # a photo; `text` is its caption, `photo` the messenger's file id
    VOICE = "voice"  # a recorded voice message; `voice` says which and how long
    UNSUPPORTED = "unsupported"  # a sticker, location, audio file... where text was expected


@dataclass(frozen=True)
class Button:
    """A button that comes back as a press carrying `data`, or, with `url`, a link to open
    (a notice's "more information"; pressing it sends nothing to the bot)."""

    label: str
    data: str = ""
    url: str | None = None

    def __post_init__(self) -> None:
        if len(self.data.encode()) > MAX_BUTTON_DATA_BYTES:
            raise ValueError(f"button data over {MAX_BUTTON_DATA_BYTES} bytes: {self.data[:20]}…")


@dataclass(frozen=True)
class VoiceNote:
    """A recorded voice message as the messenger keeps it: the bot passes on its file id and
    never holds the sound. `size` is in bytes, None when the messenger does not say."""

    file_id: str
    seconds: int
    size: int | None = None


@dataclass(frozen=True)
class Incoming:
    """One thing a person did: typed text, pressed a button, or sent something else."""

    user_id: int  # the messenger's user id (Telegram user id)
    chat_id: int
    first_name: str
    kind: InputKind
    text: str = ""  # the message text, or the button's data for a press
    message_id: int | None = None  # the message the button was on, for idempotency keys
    photo: str | None = None  # for InputKind.PHOTO: the messenger's id of the largest size
    voice: VoiceNote | None = None  # for InputKind.VOICE
    # The person's language as their messenger reports it ("en-US", "ko"), if it does: a hint
    # for the first question, never stored.
    language_code: str | None = None


@dataclass(frozen=True)
class Outgoing:
    """A message to send. Rows of buttons; `edit_message_id` edits an earlier message instead."""

    chat_id: int
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    edit_message_id: int | None = None
    # Alerts to staff and updates to residents other than the one chatting go through the
    # outbox (durable, retried); replies to the person chatting are returned directly.
    urgent: bool = False
    # A photo sent with `text` as its caption, never an edit: a messenger file id or URL, or
    # the bytes of a PNG the bot drew (a weekly chart).
    photo: str | bytes | None = None
    # A voice message (a messenger file id) sent with `text` as its caption, never an edit:
    # what a resident recorded for their request, passed on to staff or a provider.
    voice: str | None = None
    # A keyboard that stays under the typing field, one row of labels; pressing one sends its
    # label as typed text. For people who never find the menu. Only on a new message without
    # `buttons`: a message carries one keyboard, and an edit cannot change this kind.
    keyboard: tuple[str, ...] = ()


@dataclass
class Reply:
    """The conversation's answer to one `Incoming`: messages for the person chatting."""

    messages: list[Outgoing] = field(default_factory=list)

    def say(self, chat_id: int, text: str, buttons=()) -> Reply:
        self.messages.append(Outgoing(chat_id, text, tuple(tuple(row) for row in buttons)))
        return self
