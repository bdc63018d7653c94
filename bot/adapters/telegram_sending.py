"""Sending to Telegram: keyboards serialised once, a message sent or edited, Telegram's errors in the
senders' words, and the replies' place in the shared send rate."""

from __future__ import annotations

import functools
import logging
import warnings
from datetime import timedelta

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    RetryAfter,
    TelegramError,
)
from telegram.ext import (
    BaseRateLimiter,
)
from telegram.warnings import PTBDeprecationWarning

from bot.core.messages import Button, Outgoing
from bot.sending.outbox_sender import (
    DeliveryError,
    RateLimited,
    RecipientBlocked,
    RejectedMessage,
    TransientSendError,
)
from bot.sending.send_rate import Priority, SendRateLimiter

log = logging.getLogger(__name__)

# Bot API methods that post or change a message: what counts against the send rate.
SENDING_METHODS = frozenset({
    "sendMessage", "sendPhoto", "sendVoice", "editMessageText", "editMessageCaption", "editMessageReplyMarkup",
    "copyMessage", "forwardMessage", "sendDocument", "sendLocation",
})

# Telegram says so when the text of an edit equals the text already shown: nothing to do.
NOT_MODIFIED = "message is not modified"

# A 400 with one of these means the chat does not exist for the bot: as good as blocked.
UNREACHABLE_CHAT = ("chat not found", "user not found", "peer_id_invalid")


class SharedRateLimiter(BaseRateLimiter):
    """PTB's limiter for replies, after a REPLY-priority turn from the bot's shared send rate.

    Replies then count against the same budget as notices and go ahead of everything else
    (check-ins, the outbox, notices); PTB's own
    limiter still keeps its per-group limits and retries a 429.
    """

    def __init__(self, inner: BaseRateLimiter, shared: SendRateLimiter):
        self.inner = inner
        self.shared = shared

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        if endpoint in SENDING_METHODS:
            await self.shared.acquire(Priority.REPLY)
        return await self.inner.process_request(callback, args, kwargs, endpoint, data, rate_limit_args)


def keyboard(outgoing: Outgoing) -> InlineKeyboardMarkup | None:
    if not outgoing.buttons:
        return None
    return _keyboard_for(outgoing.buttons)

# The same keyboards go out again and again (the menu, onboarding, a program's card).
KEYBOARDS_KEPT = 2048


@functools.lru_cache(maxsize=KEYBOARDS_KEPT)
def _keyboard_for(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup:
    return SerialisedKeyboard(
        [[InlineKeyboardButton(b.label, url=b.url) if b.url else InlineKeyboardButton(b.label, callback_data=b.data)
          for b in row] for row in rows]
    )


@functools.lru_cache(maxsize=16)
def typing_field_keyboard(labels: tuple[str, ...]) -> ReplyKeyboardMarkup:
    """The buttons under the typing field (`Outgoing.keyboard`): one row that stays when pressed
    and is not taller than it needs to be; a press sends its label as a message."""
    return ReplyKeyboardMarkup([[KeyboardButton(label) for label in labels]],
                               is_persistent=True, resize_keyboard=True)


class SerialisedKeyboard(InlineKeyboardMarkup):
    """An inline keyboard that turns itself into the Bot API's JSON shape once.

    PTB converts a keyboard to a dict on every send, button by button; for a card or the
    menu that cost more than the rest of the send (bench conversation). PTB's objects are
    immutable once built, so the first conversion stays right; PTB only JSON-encodes it.
    """

    __slots__ = ("_serialised",)

    def __init__(self, inline_keyboard, **kwargs) -> None:
        super().__init__(inline_keyboard, **kwargs)
        with self._unfrozen():
            self._serialised = super().to_dict()

    def to_dict(self, recursive: bool = True) -> dict:
        return self._serialised if recursive else super().to_dict(recursive=False)

# Telegram's limit for a photo's caption (a message's text may be 4,096).
MAX_CAPTION_LENGTH = 1024


async def send_outgoing(bot: Bot, outgoing: Outgoing) -> int:
    """Send `outgoing`, or edit the earlier message it names; returns the message's id.

    An edit Telegram refuses (the message is too old, or gone) is sent as a new message, so
    the person still sees the answer; an edit to the same text is already done. A photo or a
    voice message is sent with the text as its caption.
    """
    markup = keyboard(outgoing)
    if outgoing.voice is not None:
        return await _send_voice(bot, outgoing, markup)
    if outgoing.edit_message_id is not None and outgoing.photo is None:
        try:
            await bot.edit_message_text(
                chat_id=outgoing.chat_id,
                message_id=outgoing.edit_message_id,
                text=outgoing.text,
                reply_markup=markup,
            )
            return outgoing.edit_message_id
        except BadRequest as error:
            if NOT_MODIFIED in error.message.lower():
                return outgoing.edit_message_id
            if is_unreachable_chat(error):
                raise
            log.debug("edit of message %s refused; sending anew", outgoing.edit_message_id)
    if markup is None and outgoing.keyboard:  # only a new message can carry this kind
        markup = typing_field_keyboard(outgoing.keyboard)
    if outgoing.photo is not None and len(outgoing.text) <= MAX_CAPTION_LENGTH:
        sent = await bot.send_photo(chat_id=outgoing.chat_id, photo=outgoing.photo,
                                    caption=outgoing.text, reply_markup=markup)
    elif outgoing.photo is not None:  # too long for a caption: the photo, then the text
        await bot.send_photo(chat_id=outgoing.chat_id, photo=outgoing.photo)
        sent = await bot.send_message(chat_id=outgoing.chat_id, text=outgoing.text, reply_markup=markup)
    else:
        sent = await bot.send_message(chat_id=outgoing.chat_id, text=outgoing.text, reply_markup=markup)
    return sent.message_id


async def _send_voice(bot: Bot, outgoing: Outgoing, markup: InlineKeyboardMarkup | None) -> int:
    """A resident's voice message passed on by its file id (never downloaded), captioned."""
    if len(outgoing.text) <= MAX_CAPTION_LENGTH:
        sent = await bot.send_voice(chat_id=outgoing.chat_id, voice=outgoing.voice,
                                    caption=outgoing.text, reply_markup=markup)
    else:  # too long for a caption: the voice, then the text
        await bot.send_voice(chat_id=outgoing.chat_id, voice=outgoing.voice)
        sent = await bot.send_message(chat_id=outgoing.chat_id, text=outgoing.text, reply_markup=markup)
    return sent.message_id


class TelegramTransport:
    """The outbox's and the notice sender's `Transport` on Telegram: telegram errors become
    delivery errors; `send` returns the id of the message sent (or edited)."""

    def __init__(self, bot: Bot):
        self.bot = bot

    async def send(self, message: Outgoing) -> int:
        try:
            return await send_outgoing(self.bot, message)
        except TelegramError as error:
            raise delivery_error(error) from None  # the cause may quote the URL (the token)


def delivery_error(error: TelegramError) -> DeliveryError:
    """Sort a Telegram error into the outbox sender's vocabulary. Codes carry no text or token."""
    if isinstance(error, Forbidden):
        return RecipientBlocked("telegram:403")
    if isinstance(error, RetryAfter):
        return RateLimited(retry_after_seconds(error), "telegram:429")
    if isinstance(error, BadRequest):  # before NetworkError: BadRequest is one of them
        if is_unreachable_chat(error):
            return RecipientBlocked("telegram:400:chat_not_found")
        return RejectedMessage("telegram:400")
    if isinstance(error, ChatMigrated):
        return RejectedMessage("telegram:chat_migrated")
    # TimedOut, a 5xx, a failed connection (NetworkError), or something new: worth a retry.
    return TransientSendError(f"telegram:{type(error).__name__}")


def is_unreachable_chat(error: BadRequest) -> bool:
    return any(marker in error.message.lower() for marker in UNREACHABLE_CHAT)


def retry_after_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        # PTB 22 warns that retry_after will become a timedelta; both forms are read here.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
