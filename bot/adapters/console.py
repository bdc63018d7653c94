"""The terminal adapter: the same bot as on Telegram, for one local person at a terminal.

Each line typed is a message (commands included); when the bot's last answer showed buttons,
typing a button's number presses it. Works with piped input: `printf '/start\\n1\\n' | ddokddok chat`.

The terminal is a world of its own, even on the bot's own database (the default): after each
turn it prints, and marks sent, only the outbox messages addressed to its person, and those its
own turn queued about its person for someone else (a staff alert about the terminal's request,
shown as `→ (chat N) text`), which must not reach real staff about a made-up resident. Every
other pending message (a staff alert about a real resident, a check-in escalation) is left for
the Telegram bot to deliver. (A separate store was the other way out; it would make `chat`
ignore DATABASE_URL, which surprises more than a filter.)

`ddokddok demo` (bot.cli.demo) plays several people at one terminal on a store of its own: it
switches `user_id`, names the others (`label_of`), numbers their buttons too (`plays`), and
shows the outbox through the real outbox sender (`show_outbox`). Each person has their own
numbered buttons, so "1" presses the button the person now typing was shown last.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from sqlalchemy import Engine, and_, func, or_
from sqlmodel import Session, col, select

from bot.core.clock import Clock, utc_now
from bot.core.messages import Button, Incoming, InputKind, Outgoing
from bot.sending.outbox import mark_dropped, mark_sent
from bot.sending.outbox_sender import outgoing_from_outbox
from bot.store.db import session_scope
from bot.store.models import OutboxMessage, OutboxStatus, Resident

if TYPE_CHECKING:
    from bot.adapters.telegram_updates import ConversationPort

log = logging.getLogger(__name__)

LOCAL_USER_ID = 1  # the local person is user 1 in chat 1
DEFAULT_FIRST_NAME = "주민"
QUIT_COMMANDS = {"/quit", "/exit"}
BANNER = (
    "똑똑 터미널 모드 / ddokddok terminal mode: type a message, a number presses a button, "
    "/quit ends. To run on Telegram, set TELEGRAM_BOT_TOKEN. To play a resident, district staff "
    "and a provider together, with time moving on request: ddokddok demo."
)


@dataclass(frozen=True)
class _Shown:
    button: Button
    message_id: int  # the local id of the message the button is on


class Console:
    """One terminal session. `run()` reads lines until EOF or /quit; `turn()` is one line."""

    banner = BANNER

    def __init__(
        self,
        *,
        conversation: ConversationPort,
        engine: Engine,
        clock: Clock = utc_now,
        first_name: str = DEFAULT_FIRST_NAME,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
    ):
        self.conversation = conversation
        self.engine = engine
        self.clock = clock
        self.first_name = first_name or DEFAULT_FIRST_NAME
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.user_id = LOCAL_USER_ID  # the person typing (user and chat): the demo switches it
        # Per person: the buttons of the last answer they saw, numbered from 1.
        self._buttons_of: dict[int, list[_Shown]] = {}
        self._turn_buttons: dict[int, list[_Shown]] = {}
        self._turn_showed: set[int] = set()  # the people this turn said something to
        self._last_message_id: dict[int, int] = {}

    def run(self) -> int:
        interactive = _is_tty(self.stdin)
        self._print(self.banner)
        try:
            while True:
                self.stdout.write("> ")
                self.stdout.flush()
                line = self.stdin.readline()
                if not line:  # EOF
                    self._print("")
                    break
                line = line.strip()
                if not interactive:  # echo piped input, so a transcript reads as a dialogue
                    self._print(line)
                if line in QUIT_COMMANDS:
                    break
                if line:
                    self.turn(line)
        except KeyboardInterrupt:  # Ctrl-C ends the session like /quit, without a traceback
            self._print("")
        return 0

    def turn(self, line: str) -> None:
        """Hand one typed line to the conversation, print its answer and the terminal's outbox."""
        incoming = self._incoming(line)
        if incoming is None:
            return
        queued_before = self._last_outbox_id()
        try:
            reply = self.conversation.handle(incoming)
        except Exception as error:  # a bug must not end the session; the log has the details
            log.exception("the conversation failed on a %s", incoming.kind)
            self._print(f"(오류 / error: {type(error).__name__})")
            return
        self.start_showing()
        self.show(reply.messages)
        self.show_outbox(queued_before)
        self.end_showing()

    def start_showing(self) -> None:
        """Begin a batch of messages (a turn, or the demo's timed jobs); see `end_showing`."""
        self._turn_buttons = {}
        self._turn_showed = set()

    def end_showing(self) -> None:
        """What a person saw last decides what a number presses: this batch's buttons, if it
        said anything to them (a batch without buttons makes numbers plain text again)."""
        for chat_id in self._turn_showed:
            self._buttons_of[chat_id] = self._turn_buttons.get(chat_id, [])

    @property
    def _buttons(self) -> list[_Shown]:
        return self._buttons_of.get(self.user_id, [])

    def shown_buttons(self) -> list[Button]:
        """The buttons a number presses for the person typing now: 1 is the first."""
        return [shown.button for shown in self._buttons]

    def last_message_id(self, chat_id: int) -> int | None:
        """The local id of the last message shown to `chat_id` (what an edit refers to)."""
        return self._last_message_id.get(chat_id)

    def _incoming(self, line: str) -> Incoming | None:
        number = _as_number(line)
        if number is not None and self._buttons and not _typed_value(number, len(self._buttons)):
            if not 1 <= number <= len(self._buttons):
                self._print(f"(버튼은 1–{len(self._buttons)} / buttons are 1–{len(self._buttons)})")
                return None
            shown = self._buttons[number - 1]
            self._print(f"  ({shown.button.label})")
            return self._make_incoming(InputKind.BUTTON, shown.button.data, shown.message_id)
        return self._make_incoming(InputKind.TEXT, line, None)

    def _make_incoming(self, kind: InputKind, text: str, message_id: int | None) -> Incoming:
        return Incoming(
            user_id=self.user_id,
            chat_id=self.user_id,
            first_name=self.first_name,
            kind=kind,
            text=text,
            message_id=message_id,
        )

    def plays(self, chat_id: int) -> bool:
        """Whether `chat_id` is a person this terminal plays (their buttons get numbers)."""
        return chat_id == self.user_id

    def label_of(self, chat_id: int) -> str:
        """How a message to someone other than the person typing is marked: `→ {label} text`."""
        return f"(chat {chat_id})"

    def show(self, messages: list[Outgoing]) -> None:
        """Print messages; buttons for a person played here are numbered on from this batch's
        last (see `end_showing`), anyone else's are shown unnumbered."""
        for message in messages:
            chat_id = message.chat_id
            if not self.plays(chat_id):
                self._print_elsewhere(message)
                continue
            self._turn_showed.add(chat_id)
            buttons = self._turn_buttons.setdefault(chat_id, [])
            to = "" if chat_id == self.user_id else f"→ {self.label_of(chat_id)}: "
            if message.edit_message_id is not None:
                message_id = message.edit_message_id
                self._print(f"{to}✎ {message.text}")
            else:
                message_id = self._last_message_id.get(chat_id, 0) + 1
                self._last_message_id[chat_id] = message_id
                if message.photo is not None:
                    self._print(f"{to}🖼 (사진 / photo)")
                self._print(_under(to, message.text) if to else message.text)
            for row in message.buttons:
                cells = []
                for button in row:
                    if button.url is not None:  # a link opens a page; it is not a press
                        cells.append(f"🔗 {button.label}: {button.url}")
                        continue
                    buttons.append(_Shown(button, message_id))
                    cells.append(f"[{len(buttons)}] {button.label}")
                self._print(("    " if to else "") + "  ".join(cells))
            if message.keyboard:  # the buttons under the typing field: typing a label presses it
                self._print(("    " if to else "") + " ".join(f"[{label}]" for label in message.keyboard))

    def _print_elsewhere(self, message: Outgoing) -> None:
        self._print(f"→ {self.label_of(message.chat_id)} {message.text}")
        for row in message.buttons:
            self._print("    " + "  ".join(f"[{b.label}]" for b in row))

    def _last_outbox_id(self) -> int:
        with session_scope(self.engine) as session:
            return session.exec(select(func.max(OutboxMessage.id))).one() or 0

    def show_outbox(self, queued_before: int) -> None:
        """Print the terminal's own outbox messages (see the module's doc) and mark them sent;
        printing cannot fail, so there is nothing to retry."""
        with session_scope(self.engine) as session:
            for message in _terminal_outbox(session, now=self.clock(), queued_before=queued_before):
                assert message.id is not None
                try:
                    outgoing = outgoing_from_outbox(message)
                except (KeyError, TypeError, ValueError):
                    log.error("outbox message %s is malformed; dropped", message.id)
                    mark_dropped(session=session, message_id=message.id, reason="malformed", now=self.clock())
                    continue
                self.show([outgoing])
                mark_sent(session=session, message_id=message.id, now=self.clock())

    def _print(self, text: str) -> None:
        print(text, file=self.stdout, flush=True)


def _terminal_outbox(session: Session, *, now, queued_before: int) -> list[OutboxMessage]:
    """Pending messages due now that belong to the terminal: to its person, or queued after
    `queued_before` (by its own turn) about its person."""
    terminal_resident = (
        select(Resident.id).where(Resident.platform_user_id == LOCAL_USER_ID).scalar_subquery()
    )
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING)
        .where(col(OutboxMessage.next_attempt_at) <= now)
        .where(or_(
            col(OutboxMessage.chat_id) == LOCAL_USER_ID,
            and_(col(OutboxMessage.id) > queued_before, col(OutboxMessage.resident_id) == terminal_resident),
        ))
        .order_by(col(OutboxMessage.id))
    )
    return list(session.exec(query))


def run_console(
    *,
    conversation: ConversationPort,
    engine: Engine,
    clock: Clock = utc_now,
    first_name: str = DEFAULT_FIRST_NAME,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Chat with the bot in this terminal until EOF or /quit. Returns the exit code (0)."""
    console = Console(
        conversation=conversation, engine=engine, clock=clock, first_name=first_name,
        stdin=stdin, stdout=stdout,
    )
    return console.run()


def _under(label: str, text: str) -> str:
    """A message to someone else, its lines indented under the label so they read as theirs."""
    first, *rest = text.split("\n")
    return "\n".join([f"{label}{first}", *(f"    {line}" if line else "" for line in rest)])


def _typed_value(number: int, buttons: int) -> bool:
    """True for a number of two digits or more beyond the buttons: an answer written out
    (an age, "72"), not a slip of a finger on a button's number."""
    return number >= 10 and number > buttons


def _as_number(line: str) -> int | None:
    return int(line) if line.isascii() and line.isdigit() and len(line) <= 3 else None


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
