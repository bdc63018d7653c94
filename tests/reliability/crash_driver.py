"""The conversation in a process of its own, for the crash tests to SIGKILL (test_crash.py).

    python tests/reliability/crash_driver.py /path/to/db.sqlite3

The real `Conversation` on a SQLite file (WAL, as the bot runs it), reading one JSON command a
line from stdin and writing one JSON answer a line to stdout:

    {"user": 1, "kind": "text" | "button" | "unsupported", "text": "...", "message_id": 7,
     "crash": null | "after-insert" | "before-commit" | "after-commit"}
    -> {"texts": [...], "buttons": [...]}

"crash" makes the process SIGKILL itself at that point of this one turn: right after the
booking row is written (inside the transaction), when the transaction is about to commit, or
after it committed but before the answer is written out. The test kills it from outside too.
It prints {"ready": true} once it can take commands.

The catalog is the real one; the matcher is the real one too, built on first use only (the
crash tests book through buttons and never search, and a restart should not wait for it).
"""

from __future__ import annotations

import json
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy.orm import Session  # noqa: E402

from bot.conversation import booking_flow  # noqa: E402
from bot.conversation.engine import Conversation  # noqa: E402
from bot.core.messages import Incoming, InputKind  # noqa: E402
from bot.core.settings import Settings  # noqa: E402
from bot.store.db import create_schema, make_engine  # noqa: E402
from catalog import Matcher, load_catalog  # noqa: E402

# The tests' clock: 10:00 in Seoul on Monday 3 March 2025.
NOW = datetime.fromisoformat(os.environ.get("CRASH_DRIVER_NOW", "2025-03-03T01:00:00+00:00")).astimezone(UTC)


class LazyMatcher:
    """The real Matcher, built the first time the conversation asks it anything."""

    def __init__(self, catalog) -> None:
        self._catalog = catalog
        self._matcher: Matcher | None = None

    def __getattr__(self, name: str):
        if self._matcher is None:
            self._matcher = Matcher(self._catalog)
        return getattr(self._matcher, name)


def die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def crash_hooks(point: str | None):
    """Install the self-kill for this turn; returns a function that removes it."""
    if point == "after-insert":
        real = booking_flow.create_booking

        def create_then_die(**kwargs):
            real(**kwargs)
            die()

        booking_flow.create_booking = create_then_die
        return lambda: setattr(booking_flow, "create_booking", real)
    if point == "before-commit":
        real_commit = Session.commit

        def commit_then_die(self):
            die()

        Session.commit = commit_then_die
        return lambda: setattr(Session, "commit", real_commit)
    return lambda: None


def main(database: str) -> None:
    engine = make_engine(f"sqlite:///{database}")
    create_schema(engine)
    catalog = load_catalog()
    conversation = Conversation(
        catalog=catalog, matcher=LazyMatcher(catalog), engine=engine,
        settings=Settings(_env_file=None, database_url=f"sqlite:///{database}"), clock=lambda: NOW,
    )
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        undo = crash_hooks(command.get("crash"))
        try:
            reply = conversation.handle(Incoming(
                user_id=command["user"], chat_id=command["user"], first_name=command.get("name", "Mina"),
                kind=InputKind(command["kind"]), text=command.get("text", ""),
                message_id=command.get("message_id"),
            ))
        finally:
            undo()
        if command.get("crash") == "after-commit":
            die()
        answer = {"texts": [m.text for m in reply.messages],
                  "buttons": [b.data for m in reply.messages for row in m.buttons for b in row]}
        print(json.dumps(answer, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
