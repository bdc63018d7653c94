"""The bot as its own process: `ddokddok run` polling a Bot API server on 127.0.0.1.

What unit tests cannot see: the installed command, its settings from the environment, polling
over HTTP, the timed jobs on their threads, a SQLite file in WAL mode, and a stop by SIGTERM.
Twenty residents onboard and search side by side; every message is answered, the log carries
neither the token nor what they wrote, and after the stop the database file alone holds them
all (the WAL was folded in).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from .conftest import TOKEN, make_callback_update, make_message_update

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bot"))
from adapters.http_bot_api import api_server  # noqa: E402,F401  (the fixture)

# The bot runs here on a SQLite file of its own, whatever the suite's test database: run once,
# not again in the PostgreSQL pass.
pytestmark = pytest.mark.skipif(os.environ.get("DDOKDDOK_TEST_DATABASE_URL", "").startswith("postgresql"),
                                reason="a SQLite file of its own; the same on every test database")

RESIDENTS = 20
ONBOARDING = ["lang:ko", "dist:seocho", "consent:yes", "age:skip", "gender:skip"]
# Written for this test.
SEARCH = "혼자 사는데 집수리 도움 받을 수 있나요"


@pytest.fixture
def bot_process(api_server, tmp_path):
    """`ddokddok run` on a SQLite file of its own, against `api_server`; stopped by SIGTERM."""
    database = tmp_path / "bot.sqlite3"
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{api_server.port}/bot",
        "DATABASE_URL": f"sqlite:///{database.as_posix()}",
        "CHECKIN_TICK_SECONDS": "1",
        "LOG_LEVEL": "INFO",
    }
    env.pop("DDOKDDOK_TEST_DATABASE_URL", None)
    command = [str(Path(sys.executable).with_name("ddokddok")), "run"]
    process = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    process.database = database
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def answered(api_server) -> Counter:
    return Counter(int(params["chat_id"]) for params in api_server.sent("sendMessage")
                   + api_server.sent("editMessageText"))


def test_residents_writing_side_by_side_are_all_answered_and_kept(api_server, bot_process, figures):
    residents = list(range(30_001, 30_001 + RESIDENTS))
    steps = [lambda user: make_message_update("/start", user_id=user)]
    steps += [lambda user, data=data: make_callback_update(data, user_id=user) for data in ONBOARDING]
    steps += [lambda user: make_message_update(SEARCH, user_id=user)]
    for step in steps:  # everyone's first step, then everyone's second, ...
        for user in residents:
            api_server.offer(step(user).to_dict())
    figures.inputs_tried += len(steps) * RESIDENTS

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and bot_process.poll() is None:
        if all(answered(api_server)[user] >= len(steps) for user in residents):
            break
        time.sleep(0.2)
    bot_process.send_signal(signal.SIGTERM)
    output, _ = bot_process.communicate(timeout=30)

    short = [user for user in residents if answered(api_server)[user] < len(steps)]
    figures.records_lost += len(short)
    assert short == [], output[-2000:]
    assert bot_process.returncode == 0, output[-2000:]
    assert TOKEN not in output and TOKEN.split(":")[1] not in output
    assert SEARCH not in output
    wal = bot_process.database.with_name(bot_process.database.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    copy = bot_process.database.with_name("copy.sqlite3")
    copy.write_bytes(bot_process.database.read_bytes())  # the main file alone, as a naive backup
    with sqlite3.connect(copy) as connection:
        (registered,) = connection.execute(
            "SELECT count(*) FROM resident WHERE district = 'seocho' AND consented_at IS NOT NULL").fetchone()
    assert registered == RESIDENTS
