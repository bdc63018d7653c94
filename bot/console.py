"""The terminal adapter: the same bot as on Telegram, for one local person at a terminal.

Each line typed is a message (commands included); when the bot's last answer showed buttons,
typing a button's number presses it. After each turn the outbox is drained into the terminal,
so messages for other people (a staff alert, say) show as `→ (chat N) text`. Works with piped
input: `printf '/start\\n1\\n' | ddokddok chat`.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from sqlalchemy import Engine

from bot.conversation.messages import Button, Incoming, InputKind, Outgoing
from bot.delivery import Clock, drain_outbox, utc_now

if TYPE_CHECKING:
    from bot.telegram_app import ConversationPort

log = logging.getLogger(__name__)

LOCAL_USER_ID = 1  # the local person is user 1 in chat 1
DEFAULT_FIRST_NAME = "주민"
QUIT_COMMANDS = {"/quit", "/exit"}
BANNER = (
    "똑똑 터미널 모드 / ddokddok terminal mode: type a message, a number presses a button, "
    "/quit ends. To run on Telegram, set TELEGRAM_BOT_TOKEN."
)


@dataclass(frozen=True)
class _Shown:
    button: Button
    message_id: int  # the local id of the message the button is on


class Console:
    """One terminal session. `run()` reads lines until EOF or /quit; `turn()` is one line."""

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
        self._buttons: list[_Shown] = []  # the buttons of the last answer, numbered from 1
        self._turn_buttons: list[_Shown] = []
        self._turn_showed_local = False
        self._last_message_id = 0
        self._runner: asyncio.Runner | None = None

    def run(self) -> int:
        interactive = _is_tty(self.stdin)
        self._print(BANNER)
        with asyncio.Runner() as runner:
            self._runner = runner
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
            finally:
                self._runner = None
        return 0

    def turn(self, line: str) -> None:
        """Hand one typed line to the conversation, print its answer, then drain the outbox."""
        incoming = self._incoming(line)
        if incoming is None:
            return
        try:
            reply = self.conversation.handle(incoming)
        except Exception as error:  # a bug must not end the session; the log has the details
            log.exception("the conversation failed on a %s", incoming.kind)
            self._print(f"(오류 / error: {type(error).__name__})")
            return
        self._turn_buttons = []
        self._turn_showed_local = False
        self.show(reply.messages)
        self._drain()
        # What the person saw last decides what a number presses: this turn's buttons, if the
        # turn said anything to them (a turn without buttons makes numbers plain text again).
        if self._turn_showed_local:
            self._buttons = self._turn_buttons

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
            user_id=LOCAL_USER_ID,
            chat_id=LOCAL_USER_ID,
            first_name=self.first_name,
            kind=kind,
            text=text,
            message_id=message_id,
        )

    def show(self, messages: list[Outgoing]) -> None:
        """Print messages; buttons for the local person are numbered on from this turn's last."""
        for message in messages:
            if message.chat_id != LOCAL_USER_ID:
                self._print_elsewhere(message)
                continue
            self._turn_showed_local = True
            if message.edit_message_id is not None:
                message_id = message.edit_message_id
                self._print(f"✎ {message.text}")
            else:
                self._last_message_id += 1
                message_id = self._last_message_id
                if message.photo is not None:
                    self._print("🖼 (사진 / photo)")
                self._print(message.text)
            for row in message.buttons:
                cells = []
                for button in row:
                    if button.url is not None:  # a link opens a page; it is not a press
                        cells.append(f"🔗 {button.label}: {button.url}")
                        continue
                    self._turn_buttons.append(_Shown(button, message_id))
                    cells.append(f"[{len(self._turn_buttons)}] {button.label}")
                self._print("  ".join(cells))

    def _print_elsewhere(self, message: Outgoing) -> None:
        self._print(f"→ (chat {message.chat_id}) {message.text}")
        for row in message.buttons:
            self._print("    " + "  ".join(f"[{b.label}]" for b in row))

    def _drain(self) -> None:
        drain = drain_outbox(engine=self.engine, transport=ConsoleTransport(self), clock=self.clock)
        if self._runner is not None:  # one event loop for the whole session
            self._runner.run(drain)
        else:
            asyncio.run(drain)

    def _print(self, text: str) -> None:
        print(text, file=self.stdout, flush=True)


class ConsoleTransport:
    """The outbox's `Transport` in a terminal: prints instead of sending; never fails."""

    def __init__(self, console: Console):
        self.console = console

    async def send(self, message: Outgoing) -> None:
        self.console.show([message])


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
