"""One check-in tick in a process of its own, for test_crash_checkin_asks.py to SIGKILL with an
ask in flight.

    python tests/reliability/checkin_ask_driver.py DATABASE_URL LOG --now ISO --hang-at N

Runs the product's `dispatch_due` once at `--now` on the database (a SQLite file, WAL, as the
bot runs). Each message handed to the "messenger" is appended to LOG as one line
`<round id> <kind> <chat id>`, flushed before anything else happens, so the test knows what
reached the messenger. The N-th message is written to LOG and then never answered: the
process waits there, that ask in flight, for the test to kill it. It prints {"ready": true}
when it starts and {"done": true} if the tick ends (it should not, with N below the due count).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.checkins.dispatch import CheckinMessage, SendResult, dispatch_due  # noqa: E402
from bot.store.db import make_engine  # noqa: E402

SEND_PAUSE_SECONDS = 0.005  # a message takes a moment, as a real one does


async def run(url: str, log_path: str, now: datetime, hang_at: int) -> None:
    engine = make_engine(url)
    handed = 0
    with open(log_path, "a", buffering=1, encoding="ascii") as log:

        async def send(message: CheckinMessage) -> SendResult:
            nonlocal handed
            handed += 1
            log.write(f"{message.round_id} {message.kind} {message.chat_id}\n")
            log.flush()
            if handed == hang_at:
                await asyncio.Event().wait()  # in flight until the process is killed
            await asyncio.sleep(SEND_PAUSE_SECONDS)
            return SendResult.DELIVERED

        print(json.dumps({"ready": True}), flush=True)
        await dispatch_due(engine=engine, now=now, send=send)
    print(json.dumps({"done": True}), flush=True)
    engine.dispose()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("database_url")
    parser.add_argument("log")
    parser.add_argument("--now", required=True, type=datetime.fromisoformat)
    parser.add_argument("--hang-at", required=True, type=int)
    args = parser.parse_args(argv)
    if args.now.tzinfo is None:
        parser.error("--now needs a UTC offset")
    asyncio.run(run(args.database_url, args.log, args.now, args.hang_at))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
