"""The check-in dispatcher or the notice sender in a process of its own, for the crash tests to
SIGKILL (test_crash_checkins_notices.py).

    python tests/reliability/sender_driver.py checkins|notices DATABASE_URL LOG --shift-seconds S
    python tests/reliability/sender_driver.py notice-bar DATABASE_URL LOG --lease-seconds L

`checkins`: runs the product's `dispatch_due` at CHECKINS_DUE + S (a small limit per tick, so a
kill finds rounds claimed and not yet recorded) until nothing is left to do. `notices`: runs
the product's `NoticeSender` with the real clock + S until no notice is left. Each message the
"messenger" accepts is appended to LOG as one line (`<round id>` or `<chat id>`), flushed before
the send returns, so what a killed process sent is known. The notice messenger answers like
Telegram would for some chats, by their id: blocked (403) when divisible by 11, refused (400)
when divisible by 13, and a transient error one time in five anywhere; those lines are not
written (nothing reached the person).

`notice-bar` (test_crash_notice_bar.py): the product's `NoticeSender` with its own claim size,
concurrency and waits, the real clock and a lease of L seconds, at a high rate over a messenger
that accepts every message after a millisecond (logged like `notices`).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.checkins.dispatch import SendResult, dispatch_due  # noqa: E402
from bot.core.clock import utc_now
from bot.notices.deliveries import DeliveryPolicy  # noqa: E402
from bot.notices.sender import NoticeSender  # noqa: E402
from bot.sending.outbox_sender import RecipientBlocked, RejectedMessage, TransientSendError  # noqa: E402
from bot.sending.send_rate import SendRateLimiter  # noqa: E402
from bot.store.db import make_engine  # noqa: E402

# 10:00 in Seoul on Monday 3 March 2025: every seeded plan is due then.
CHECKINS_DUE = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)
CHECKIN_LIMIT = 40
SEND_PAUSE_SECONDS = 0.002  # a message takes a moment, so a kill lands in the middle of a batch
# Quick retries, a lease of a minute: a restart 90 s later (by the clock) finds them expired.
NOTICE_POLICY = DeliveryPolicy(max_attempts=6, retry_base=timedelta(milliseconds=20),
                               retry_max=timedelta(milliseconds=100), lease=timedelta(minutes=1))


class Log:
    def __init__(self, path: str):
        self.file = open(path, "a", buffering=1, encoding="ascii")  # noqa: SIM115 - lives with the process

    def write(self, value: int) -> None:
        self.file.write(f"{value}\n")
        self.file.flush()


async def run_checkins(url: str, log: Log, shift: timedelta) -> None:
    engine = make_engine(url)

    async def send(message) -> SendResult:
        await asyncio.sleep(SEND_PAUSE_SECONDS)
        log.write(message.round_id)
        return SendResult.DELIVERED

    now = CHECKINS_DUE + shift
    while True:
        report = await dispatch_due(engine=engine, now=now, send=send, limit=CHECKIN_LIMIT)
        if not (report.more_due or report.materialised or report.sent or report.recovered):
            break
    engine.dispose()


class Messenger:
    """Telegram as the notice sender sees it, with the failures of the module doc."""

    def __init__(self, log: Log):
        self.log = log
        self.chance = random.Random()
        self.ids = iter(range(1, 10**9))

    async def send(self, message) -> int:
        await asyncio.sleep(SEND_PAUSE_SECONDS)
        if message.chat_id % 11 == 0:
            raise RecipientBlocked("telegram:403")
        if message.chat_id % 13 == 0:
            raise RejectedMessage("telegram:400")
        if self.chance.random() < 0.2:
            raise TransientSendError("telegram:TimedOut")
        self.log.write(message.chat_id)
        return next(self.ids)


async def run_notices(url: str, log: Log, shift: timedelta) -> None:
    engine = make_engine(url)
    sender = NoticeSender(engine=engine, transport=Messenger(log),
                          limiter=SendRateLimiter(1_000_000, per_chat_interval=0),
                          clock=lambda: utc_now() + shift, idle_wait=0.02, policy=NOTICE_POLICY,
                          batch_size=20, concurrency=4)
    await sender.run()
    engine.dispose()


NOTICE_BAR_RATE = 2_000.0  # far above what the fast messenger and the database reach here
NOTICE_BAR_SEND_SECONDS = 0.001


class FastMessenger:
    """Accepts every message after a moment, so a kill finds sends in flight."""

    def __init__(self, log: Log):
        self.log = log
        self.ids = iter(range(1, 10**9))

    async def send(self, message) -> int:
        await asyncio.sleep(NOTICE_BAR_SEND_SECONDS)
        self.log.write(message.chat_id)
        return next(self.ids)


async def run_notice_bar(url: str, log: Log, lease: timedelta) -> None:
    engine = make_engine(url)
    sender = NoticeSender(engine=engine, transport=FastMessenger(log),
                          limiter=SendRateLimiter(NOTICE_BAR_RATE, per_chat_interval=1.0),
                          policy=DeliveryPolicy(lease=lease))
    await sender.run()
    engine.dispose()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("phase", choices=["checkins", "notices", "notice-bar"])
    parser.add_argument("database_url")
    parser.add_argument("log")
    parser.add_argument("--shift-seconds", type=float, default=0.0)
    parser.add_argument("--lease-seconds", type=float, default=DeliveryPolicy().lease.total_seconds())
    args = parser.parse_args(argv)
    if args.phase == "notice-bar":
        asyncio.run(run_notice_bar(args.database_url, Log(args.log), timedelta(seconds=args.lease_seconds)))
        return 0
    work = run_checkins if args.phase == "checkins" else run_notices
    asyncio.run(work(args.database_url, Log(args.log), timedelta(seconds=args.shift_seconds)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
