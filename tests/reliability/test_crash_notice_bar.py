"""The crash bar for notices: kill -9 at random points of a 1,000-resident notice, ten times.

Each trial seeds a fresh SQLite file (WAL, as the bot runs), starts the product's sender in
`sender_driver.py notice-bar` (its own claim size and concurrency, the real clock, a fast
messenger that logs every message it accepts), SIGKILLs it once it has sent a random number
of messages, and restarts it at once. What must hold, as `bot.notices.sender` states it:

- nobody missed: every resident's delivery ends sent, and every one is in the messenger's log;
- repeats per kill <= the sender's concurrency (`CONCURRENCY`), and only of deliveries the
  dead sender held when it died;
- the notice finished within 15 s of the restart: the dead sender's unsent claims wait out
  the lease, no longer.

Nine trials use a lease of BAR_LEASE_SECONDS, so that the ten fit in a minute on two cores;
the last uses the product's own (`DeliveryPolicy().lease`, 10 s). The delay a restart sees is
at most the lease plus the sender's `idle_wait` (1 s) plus the sending itself. The per-trial
figures are printed (repeats, held at the kill, seconds to finish); set
DDOKDDOK_CRASH_BAR_SEED to try other kill points.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.bench.workers import insert_residents
from bot.notices.authoring import create_notice, start_notice
from bot.notices.deliveries import DeliveryPolicy
from bot.notices.sender import CONCURRENCY
from bot.people.staff import add_staff
from bot.store.db import create_schema, make_engine, session_scope
from bot.store.models import Delivery, DeliveryStatus, Notice, NoticeStatus

# The bot runs here on a SQLite file of its own, whatever the suite's test database: run once,
# not again in the PostgreSQL pass.
pytestmark = pytest.mark.skipif(os.environ.get("DDOKDDOK_TEST_DATABASE_URL", "").startswith("postgresql"),
                                reason="a SQLite file of its own; the same on every test database")

DRIVER = Path(__file__).with_name("sender_driver.py")
ROOT = Path(__file__).resolve().parents[2]
RESIDENTS = 1_000
TRIALS = 10
FIRST_CHAT = 10_000
STAFF_CHAT = 9_999_991
BAR_LEASE_SECONDS = 2.0
PRODUCT_LEASE_SECONDS = DeliveryPolicy().lease.total_seconds()
FINISH_WITHIN_SECONDS = 15.0
REPEAT_BOUND = CONCURRENCY
WAIT_SECONDS = 60
SEED = int(os.environ.get("DDOKDDOK_CRASH_BAR_SEED", "20250303"))


def lines(path: Path) -> list[int]:
    try:
        return [int(line) for line in path.read_text().split("\n")[:-1]]  # the last piece may be partial
    except FileNotFoundError:
        return []


def start_sender(url: str, log: Path, lease_seconds: float) -> subprocess.Popen:
    command = [sys.executable, str(DRIVER), "notice-bar", url, str(log), "--lease-seconds", str(lease_seconds)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"})


def kill_after(child: subprocess.Popen, log: Path, sent: int) -> None:
    """SIGKILL `child` once its messenger has accepted `sent` messages to residents."""
    deadline = time.monotonic() + WAIT_SECONDS
    while sum(1 for chat in lines(log) if chat != STAFF_CHAT) < sent:
        assert child.poll() is None, f"the sender ended before the kill: {child.communicate()[1][-2000:]}"
        assert time.monotonic() < deadline, "the sender sent too little in time"
        time.sleep(0.001)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.communicate()


def seed(url: str, catalog) -> int:
    """1,000 residents of seocho, a staff member watching the progress, the notice started."""
    engine = make_engine(url)
    create_schema(engine)
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        insert_residents(session.connection(), RESIDENTS, first_chat=FIRST_CHAT, now=now)
        staff = add_staff(session=session, telegram_id=STAFF_CHAT, district="seocho", name="Officer Kim",
                          known_districts=catalog.districts, now=now)
        notice = create_notice(session=session, district="seocho", text="폭염 쉼터 운영 안내", staff=staff, now=now)
        start_notice(session=session, notice=notice, now=now)
        notice_id = notice.id
    engine.dispose()
    return notice_id


def one_trial(directory: Path, catalog, kill_at: int, lease_seconds: float) -> dict:
    directory.mkdir()
    url = f"sqlite:///{directory / 'notice.sqlite3'}"
    notice_id = seed(url, catalog)
    logs = [directory / "killed.log", directory / "restarted.log"]

    kill_after(start_sender(url, logs[0], lease_seconds), logs[0], kill_at)
    engine = make_engine(url)
    with Session(engine) as session:
        held = set(session.exec(select(Delivery.chat_id).where(Delivery.status == DeliveryStatus.SENDING)).all())
    restarted = time.monotonic()
    restart = start_sender(url, logs[1], lease_seconds)
    _, err = restart.communicate(timeout=WAIT_SECONDS)
    seconds = time.monotonic() - restarted
    assert restart.returncode == 0, err[-3000:]

    with Session(engine) as session:
        deliveries = list(session.exec(select(Delivery).where(Delivery.notice_id == notice_id)).all())
        notice = session.get(Notice, notice_id)
    engine.dispose()
    sent = Counter(chat for log in logs for chat in lines(log) if chat != STAFF_CHAT)
    audience = set(range(FIRST_CHAT, FIRST_CHAT + RESIDENTS))
    return {
        "lease": lease_seconds,
        "kill_at": kill_at,
        "held": held,
        "missing": sorted(audience - set(sent)),
        "not_sent_rows": sorted(d.chat_id for d in deliveries if d.status != DeliveryStatus.SENT),
        "rows": len(deliveries),
        "repeated": {chat for chat, n in sent.items() if n > 1},
        "notice": (notice.status, notice.delivered, notice.finished_at is not None, notice.reported_at is not None),
        "seconds": seconds,
    }


def test_kill_9_at_random_points_of_a_1000_resident_notice(tmp_path, catalog, figures, capsys):
    chance = random.Random(SEED)
    trials = []
    leases = [BAR_LEASE_SECONDS] * (TRIALS - 1) + [PRODUCT_LEASE_SECONDS]
    for number, lease_seconds in enumerate(leases):
        kill_at = chance.randint(1, RESIDENTS - 20)
        trials.append(one_trial(tmp_path / f"trial-{number}", catalog, kill_at, lease_seconds))
        figures.faults_injected += 1
        figures.inputs_tried += RESIDENTS

    with capsys.disabled():
        print(f"\ncrash bar (seed {SEED}, bound {REPEAT_BOUND} repeats a kill, finished within "
              f"{FINISH_WITHIN_SECONDS:g} s of the restart):")
        for number, t in enumerate(trials):
            print(f"  trial {number} (lease {t['lease']:g} s): killed after {t['kill_at']} sent, "
                  f"{len(t['held'])} held, "
                  f"{len(t['repeated'])} repeated, {len(t['missing'])} missing, "
                  f"finished {t['seconds']:.1f} s after the restart")
    for t in trials:
        figures.records_lost += len(t["missing"]) + len(t["not_sent_rows"])
        assert t["rows"] == RESIDENTS and t["missing"] == [] and t["not_sent_rows"] == []
        assert t["notice"] == (NoticeStatus.FINISHED, RESIDENTS, True, True)
        assert len(t["repeated"]) <= REPEAT_BOUND, t["repeated"]
        assert t["repeated"] <= t["held"], "repeated without being held by the dead sender"
        assert t["seconds"] <= FINISH_WITHIN_SECONDS
    assert any(t["held"] for t in trials), "no kill found anything in flight"


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
