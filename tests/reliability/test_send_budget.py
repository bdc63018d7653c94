"""One send rate across processes on PostgreSQL (bot.sending.send_rate.SharedSendBudget).

Limiters with engines (and processes) of their own send as fast as they may for a few seconds;
together they must stay within the configured rate over every one-second window, give or take
the budget's burst allowance, and still use most of it. Without the shared budget each would
send the whole rate. On SQLite the limiter stays the process's own.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time

import pytest

from bot.bench.workers import max_in_any_second
from bot.sending.send_rate import Priority, SendRateLimiter, SharedSendBudget, send_limiter_for
from bot.store.db import create_schema, make_engine

RATE = 50.0
SENDING_SECONDS = 2.5
SENDERS = 3


async def send_flat_out(limiter: SendRateLimiter, start_at: float, seconds: float,
                        concurrency: int = 4) -> list[float]:
    """Take turns as fast as the limiter gives them, from `start_at` for `seconds`."""
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    end = start_at + seconds
    stamps: list[float] = []

    async def sender() -> None:
        while True:
            await limiter.acquire(Priority.LOW)
            now = time.monotonic()
            if now >= end:
                return
            stamps.append(now)

    await asyncio.gather(*(sender() for _ in range(concurrency)))
    return stamps


@pytest.fixture
def postgresql_schema_url(test_database_url):
    if test_database_url is None or not test_database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL: set DDOKDDOK_TEST_DATABASE_URL=postgresql+psycopg://…")
    engine = make_engine(test_database_url)
    create_schema(engine)
    engine.dispose()
    return test_database_url


def _allowance(url: str) -> float:
    engine = make_engine(url)  # no connection: the allowance follows from the rate alone
    allowance = SharedSendBudget(engine, RATE).burst_allowance
    engine.dispose()
    return allowance


def _check_the_rate_held(stamps: list[float], allowance: float) -> None:
    most = max_in_any_second(stamps)
    assert most <= RATE + allowance, f"{most} sends in one second; the limit is {RATE} + {allowance}"
    # And the budget is used, not starved: most of the rate over the whole time.
    assert len(stamps) >= 0.7 * RATE * SENDING_SECONDS, f"only {len(stamps)} sends"


async def test_limiters_with_engines_of_their_own_share_one_rate(postgresql_schema_url):
    engines = [make_engine(postgresql_schema_url) for _ in range(SENDERS)]
    try:
        limiters = [send_limiter_for(engine, RATE, per_chat_interval=0) for engine in engines]
        start_at = time.monotonic() + 0.2
        stamps = await asyncio.gather(*(send_flat_out(limiter, start_at, SENDING_SECONDS)
                                        for limiter in limiters))
    finally:
        for engine in engines:
            engine.dispose()
    _check_the_rate_held([at for each in stamps for at in each], _allowance(postgresql_schema_url))
    assert all(each for each in stamps), "every limiter got a share"


_SENDER_PROCESS = """
import asyncio, sys
from bot.sending.send_rate import send_limiter_for
from bot.store.db import make_engine
sys.path.insert(0, sys.argv[4])
from test_send_budget import send_flat_out

async def main(url, start_at, seconds):
    engine = make_engine(url)
    limiter = send_limiter_for(engine, float(sys.argv[5]), per_chat_interval=0)
    stamps = await send_flat_out(limiter, start_at, seconds)
    engine.dispose()
    print(" ".join(f"{at:.6f}" for at in stamps))

asyncio.run(main(sys.argv[1], float(sys.argv[2]), float(sys.argv[3])))
"""


def test_processes_share_one_rate(postgresql_schema_url):
    # CLOCK_MONOTONIC is the machine's, so the processes' stamps can be compared.
    start_at = time.monotonic() + 4.0  # after every process has started and imported
    here = os.path.dirname(os.path.abspath(__file__))
    children = [
        subprocess.Popen([sys.executable, "-c", _SENDER_PROCESS, postgresql_schema_url, str(start_at),
                          str(SENDING_SECONDS), here, str(RATE)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(SENDERS)
    ]
    outputs = [child.communicate(timeout=60) for child in children]
    for child, (_, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err[-2000:]
    per_process = [[float(at) for at in out.split()] for out, _ in outputs]
    assert all(per_process), "every process got a share"
    _check_the_rate_held([at for each in per_process for at in each], _allowance(postgresql_schema_url))


async def test_a_429_met_by_one_process_pauses_the_others(postgresql_schema_url):
    told, other = make_engine(postgresql_schema_url), make_engine(postgresql_schema_url)
    try:
        telling = send_limiter_for(told, RATE, per_chat_interval=0)
        waiting = send_limiter_for(other, RATE, per_chat_interval=0)
        await waiting.acquire()  # the bucket row exists and this limiter has its batch
        await telling.acquire()
        telling.pause(1.0)
        await asyncio.gather(*telling._budget_pauses)
        started = time.monotonic()
        for _ in range(waiting.budget.batch + 1):  # past the tokens it held before the pause
            await waiting.acquire()
        assert time.monotonic() - started >= 0.9
    finally:
        told.dispose()
        other.dispose()


def test_sqlite_keeps_the_process_own_limiter():
    engine = make_engine("sqlite://")
    limiter = send_limiter_for(engine, 30, per_chat_interval=1.0)
    assert limiter.budget is None
    assert limiter.rate_per_second == 30 and limiter.per_chat_interval == 1.0
    engine.dispose()


def test_the_window_count():
    assert max_in_any_second([]) == 0
    assert max_in_any_second([0.0, 0.5, 0.99, 1.0, 1.5]) == 3
    assert max_in_any_second([2.0, 0.1, 0.2]) == 2
