"""After a button press, the pressed message shows what was chosen, and an old keyboard stays
unpressable: an older resident scrolling back sees their answers, not a wall of live buttons.

The rules, and why:

- The conversation's own edit wins. When its reply edits the pressed message
  (`Outgoing.edit_message_id`: /settings shown again with its new switch), the adapter leaves
  that message alone; two edits would race, and the conversation knows better.
- A choice (a language, a date, "confirm", "accept", "take the job"...): "✔ <label>" is added
  under the text and the buttons that answer to the bot are removed. Link buttons stay: they
  send nothing to the bot and the page they open (a program's details) is still useful later.
- A press that only shows something (the menu, a category, a program's details:
  `KEEPS_KEYBOARD`) or a check-in answer (a later answer replaces an earlier one, so "help"
  after "ok" is not lost: `CHECKIN_KEEPS_KEYBOARD`) keeps its keyboard; the pressed button, and
  only it, is marked "✔ <label>", so the person sees what they chose and can still change it.
- A text too long to take the added line (Telegram's 4,096 characters, 1,024 for a caption), or
  a message Telegram no longer shows us (older than 48 hours): a choice's buttons are removed
  without the line, the reply below says what was chosen.
- A press whose button is no longer on its message (Telegram sends the message as it is now:
  the keyboard was removed after an earlier press, or the data never was on it) gets a plain
  answer in a pop-up (`answer_stale_press`) and goes no further. The conversation guards on its
  own as well: a request confirmed twice is stored once, and a press that no longer fits where
  the person is gets "that button is old".

An edit is the message's look only: when Telegram refuses it (too old, not modified, a network
failure), nothing else depends on it, so it is logged at debug level and dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Bot, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import TelegramError

from bot.checkins.buttons import CheckinAction, parse_checkin_press
from bot.core.buttons import Action, parse_press
from bot.core.messages import MAX_TEXT_LENGTH, Outgoing

log = logging.getLogger(__name__)

CHOSEN = "✔ "
MAX_CAPTION_LENGTH = 1024

# Presses whose message keeps its keyboard (see the module's doc).
KEEPS_KEYBOARD = frozenset({Action.MENU, Action.CATEGORY, Action.PROGRAM_MORE})
CHECKIN_KEEPS_KEYBOARD = frozenset({CheckinAction.OK, CheckinAction.HELP, CheckinAction.HARD})

# The pop-up for a press on a keyboard that is gone, in the language of the person's Telegram.
STALE_PRESS = {
    "ko": "이미 고르신 버튼이에요. 아래의 새 메시지를 봐 주세요.",
    "en": "You already chose this. Please look at the newer messages below.",
}


def keeps_keyboard(data: str) -> bool:
    checkin = parse_checkin_press(data)
    if checkin is not None:
        return checkin.action in CHECKIN_KEEPS_KEYBOARD
    press = parse_press(data)
    return press is not None and press.action in KEEPS_KEYBOARD


def pressed_button(query: CallbackQuery) -> InlineKeyboardButton | None:
    """The button pressed, as it is on its message now; None when the message no longer has it."""
    message = query.message
    markup = message.reply_markup if isinstance(message, Message) else None
    if markup is None or not query.data:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == query.data:
                return button
    return None


def is_stale_press(query: CallbackQuery) -> bool:
    """The press came from a keyboard that is no longer on its message (see the module's doc).

    A message Telegram no longer shows us in full (older than 48 hours) cannot be checked:
    its press goes on to the conversation, which guards on its own.
    """
    return isinstance(query.message, Message) and pressed_button(query) is None


async def answer_stale_press(query: CallbackQuery) -> None:
    language = "en" if (query.from_user.language_code or "").startswith("en") else "ko"
    try:
        await query.answer(STALE_PRESS[language], show_alert=True)
    except TelegramError as error:
        log.debug("stale press not answered: %s", type(error).__name__)


async def show_choice(bot: Bot, query: CallbackQuery, replies: Sequence[Outgoing]) -> None:
    """Edit the pressed message to show the choice (rules in the module's doc)."""
    message = query.message
    if message is None:
        return
    chat_id, message_id = message.chat.id, message.message_id
    if any(reply.edit_message_id == message_id and reply.chat_id == chat_id for reply in replies):
        return  # the conversation edited it itself
    keep = keeps_keyboard(query.data or "")
    try:
        if not isinstance(message, Message):  # no longer shown to us: only the buttons can go
            if not keep:
                await bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id)
            return
        pressed = pressed_button(query)
        if pressed is None or message.reply_markup is None:
            return
        label = pressed.text.removeprefix(CHOSEN)
        if keep:
            await bot.edit_message_reply_markup(
                chat_id=chat_id, message_id=message_id,
                reply_markup=marked(message.reply_markup, query.data or ""))
            return
        links = links_only(message.reply_markup)
        line = f"\n\n{CHOSEN}{label}"
        if message.text is not None and fits(message.text + line, MAX_TEXT_LENGTH):
            await bot.edit_message_text(text=message.text + line, chat_id=chat_id, message_id=message_id,
                                        entities=message.entities or None, reply_markup=links)
        elif message.caption is not None and fits(message.caption + line, MAX_CAPTION_LENGTH):
            await bot.edit_message_caption(caption=message.caption + line, chat_id=chat_id,
                                           message_id=message_id,
                                           caption_entities=message.caption_entities or None,
                                           reply_markup=links)
        else:
            await bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id, reply_markup=links)
    except TelegramError as error:
        log.debug("message %s not edited after a press: %s", message_id, type(error).__name__)


def marked(markup: InlineKeyboardMarkup, data: str) -> InlineKeyboardMarkup:
    """The same keyboard with the button carrying `data` marked as chosen, and no other."""
    def label(button: InlineKeyboardButton) -> str:
        plain = button.text.removeprefix(CHOSEN)
        return CHOSEN + plain if button.callback_data == data else plain

    return InlineKeyboardMarkup([
        [button if label(button) == button.text else _relabelled(button, label(button)) for button in row]
        for row in markup.inline_keyboard
    ])


def links_only(markup: InlineKeyboardMarkup) -> InlineKeyboardMarkup | None:
    """The keyboard's link buttons (nothing that answers to the bot); None when there are none."""
    rows = [[button for button in row if button.callback_data is None] for row in markup.inline_keyboard]
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(rows) if rows else None


def fits(text: str, limit: int) -> bool:
    """Telegram counts a message's length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2 <= limit


def _relabelled(button: InlineKeyboardButton, text: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=button.callback_data, url=button.url)
