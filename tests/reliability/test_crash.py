"""Crash tests: the conversation's process is SIGKILLed in the middle of a request, restarted,
and the store must be as if the process had stopped between two turns.

The conversation runs in `crash_driver.py` on a SQLite file (WAL, as the bot runs). It is
killed after the phone step, while a step is being handled, and around the confirm (from
inside the transaction at exact points, and from outside after a few milliseconds). After each
restart: the flow resumes from the stored state, a confirm is never stored twice (one booking
per request key, whatever is pressed again), and nothing is half-written: every booking has its
creation event and its staff alert, and the database passes SQLite's integrity check.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session
from sqlmodel import select as sql_select

from bot.people.residents import register_resident
from bot.people.staff import add_staff
from bot.store.db import create_schema, make_engine, session_scope
from bot.store.models import Booking, BookingEvent, ConversationState, OutboxMessage

from .conftest import START

DRIVER = Path(__file__).with_name("crash_driver.py")
ROOT = Path(__file__).resolve().parents[2]
MINA, STAFF = 1, 900
STARTUP_SECONDS = 60
TO_PHONE = [("button", "req:start:seocho.handyman"), ("button", "bk:date:2025-03-05"),
            ("button", "bk:time:morning")]


class Driver:
    """One run of crash_driver.py: send a command, read its answer, or kill it."""

    def __init__(self, database: Path):
        env = dict(os.environ, PYTHONPATH=str(ROOT), CRASH_DRIVER_NOW=START.isoformat())
        self.process = subprocess.Popen(
            [sys.executable, str(DRIVER), str(database)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=env, cwd=ROOT, bufsize=0,
        )
        self._buffer = b""
        assert self._read(STARTUP_SECONDS) == {"ready": True}

    def send(self, kind: str, text: str, *, user: int = MINA, message_id: int | None = None,
             crash: str | None = None, answer: bool = True) -> dict | None:
        command = {"user": user, "kind": kind, "text": text, "message_id": message_id, "crash": crash}
        self.process.stdin.write((json.dumps(command, ensure_ascii=False) + "\n").encode())
        self.process.stdin.flush()
        return self._read(30) if answer else None

    def _read(self, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.process.stdout], [], [], max(0.0, left))
            if not ready:
                raise AssertionError(f"no answer from the driver: {self._stderr()}")
            chunk = os.read(self.process.stdout.fileno(), 65536)
            if not chunk:
                raise AssertionError(f"the driver ended: {self._stderr()}")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def died_by_itself(self) -> bool:
        return self.process.wait(timeout=30) == -signal.SIGKILL

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self._close()

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self._close()

    def _close(self) -> None:
        for stream in (self.process.stdout, self.process.stderr):
            stream.close()
        if self.process.stdin and not self.process.stdin.closed:
            try:
                self.process.stdin.close()
            except BrokenPipeError:
                pass

    def _stderr(self) -> str:
        if self.process.poll() is None:
            return "(still running)"
        return self.process.stderr.read().decode(errors="replace")[-2000:]


@pytest.fixture
def database(tmp_path, catalog) -> Path:
    """A bot database file with Mina (a seocho resident) and one seocho staff member."""
    path = tmp_path / "bot.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    with session_scope(engine) as session:
        add_staff(session=session, telegram_id=STAFF, district="seocho", name="Officer Kim",
                  known_districts=catalog.districts, now=START)
        register_resident(session=session, platform_user_id=MINA, chat_id=MINA, first_name="Mina",
                          language="ko", district="seocho", now=START)
    engine.dispose()
    return path


@pytest.fixture
def drivers(database):
    started: list[Driver] = []

    def start() -> Driver:
        driver = Driver(database)
        started.append(driver)
        return driver

    yield start
    for driver in started:
        if driver.process.poll() is None:
            driver.kill()


def state_of(database: Path, user: int = MINA) -> tuple[str | None, dict]:
    engine = make_engine(f"sqlite:///{database}")
    try:
        with Session(engine) as session:
            row = session.get(ConversationState, user)
            return (row.state, dict(row.data)) if row else (None, {})
    finally:
        engine.dispose()


def check_invariants(database: Path, figures=None) -> list[Booking]:
    """Nothing half-written; returns the bookings."""
    engine = make_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        with Session(engine) as session:
            bookings = list(session.exec(sql_select(Booking)))
            keys = [b.request_key for b in bookings]
            assert len(keys) == len(set(keys)), "a request stored twice"
            for booking in bookings:
                events = session.exec(sql_select(BookingEvent).where(BookingEvent.booking_id == booking.id))
                created = [e for e in events if e.from_status is None]
                assert len(created) == 1, f"booking {booking.id} has {len(created)} creation events"
            alerts = [m for m in session.exec(sql_select(OutboxMessage)) if m.chat_id == STAFF]
            missing = len(bookings) - len(alerts)
            if figures is not None:
                figures.records_lost += max(0, missing)
            assert missing == 0, "a booking without its staff alert (or an alert without a booking)"
            return bookings
    finally:
        engine.dispose()


def test_killed_after_the_phone_step_the_request_goes_on_after_a_restart(database, drivers, figures):
    driver = drivers()
    for kind, value in TO_PHONE:
        driver.send(kind, value)
    answer = driver.send("text", "010-1234-5678")
    assert "bk:skip" in answer["buttons"]  # the address is asked next
    driver.kill()
    figures.faults_injected += 1
    assert state_of(database) == ("booking_address", state_of(database)[1])
    assert state_of(database)[1]["phone"] == "010-1234-5678"

    driver = drivers()
    answer = driver.send("text", "101동 202호")  # answers the address question asked before the crash
    assert "bk:skip" in answer["buttons"]  # and the note is asked: the flow went on
    driver.send("button", "bk:skip")
    answer = driver.send("button", "bk:ok", message_id=4001)
    [booking] = check_invariants(database, figures)
    assert (booking.phone, booking.address_detail) == ("010-1234-5678", "101동 202호")
    assert str(booking.id) in "\n".join(answer["texts"])
    driver.stop()


TO_SUMMARY = [*TO_PHONE, ("text", "010-1234-5678"), ("text", "101동 202호"), ("button", "bk:skip")]


def test_killed_at_the_confirm_the_request_is_stored_exactly_once(database, drivers, figures):
    """The process kills itself at [Confirm]: right after the booking row is written, when the
    turn's transaction is about to commit, and just after it committed (the answer lost)."""
    driver = drivers()
    for number, point in enumerate(["after-insert", "before-commit", "after-commit"], start=1):
        message_id = 4000 + number
        for kind, value in TO_SUMMARY:
            driver.send(kind, value)
        driver.send("button", "bk:ok", message_id=message_id, crash=point, answer=False)
        assert driver.died_by_itself(), point
        driver.kill()
        figures.faults_injected += 1

        bookings = check_invariants(database, figures)
        state, data = state_of(database)
        if point == "after-commit":
            assert (len(bookings), state) == (number, "ready"), point
        else:  # the transaction died with the process: nothing of it stays
            assert len(bookings) == number - 1, point
            assert state == "booking_confirm" and data["phone"] == "010-1234-5678", point

        # Mina saw no answer, so she presses [Confirm] again, on the same summary message.
        driver = drivers()
        answer = driver.send("button", "bk:ok", message_id=message_id)
        bookings = check_invariants(database, figures)
        [booking] = [b for b in bookings if b.request_key == f"{MINA}:{message_id}"]
        assert len(bookings) == number, point
        assert str(booking.id) in "\n".join(answer["texts"]), point
        assert state_of(database)[0] == "ready", point
        driver.send("button", "bk:ok", message_id=message_id)  # and once more, for good measure
        assert len(check_invariants(database, figures)) == number, point
    driver.stop()


def test_killed_from_outside_at_any_moment_around_a_confirm(database, drivers, figures):
    """SIGKILL a few milliseconds after [Confirm] was sent: before, during or after the turn;
    whatever survived, pressing again ends with exactly one stored request."""
    driver = drivers()
    for number, delay in enumerate([0.0, 0.004, 0.015], start=1):
        message_id = 5000 + number
        for kind, value in TO_SUMMARY:
            driver.send(kind, value)
        driver.send("button", "bk:ok", message_id=message_id, answer=False)
        time.sleep(delay)
        driver.kill()
        figures.faults_injected += 1
        before = check_invariants(database, figures)
        assert len(before) in (number - 1, number)

        driver = drivers()
        state, _ = state_of(database)
        assert state in ("booking_confirm", "ready"), state
        # Whether or not the confirm survived, pressing it again (no answer was seen) stores
        # the request once.
        driver.send("button", "bk:ok", message_id=message_id)
        driver.send("button", "bk:ok", message_id=message_id)
        after = check_invariants(database, figures)
        assert len(after) == number, f"after a kill at {delay * 1000:.0f} ms"
        assert state_of(database)[0] == "ready"
    driver.stop()
