"""`ddokddok bench board`: how fast the board's Today page is for a big district.

10,000 residents of one district (`--size N`), each with a check-in today, on a SQLite file in a
temporary folder: a fifth answered, a fifth waiting, 3% escalated or needing a visit, the rest due
later; a tenth have a trusted contact, a third a phone from a request. A staff member logs in
through a real one-time link, then the Today page and its 30-second fragment are fetched through
the whole HTTP stack (guard, session check, queries, template) `rounds` times each (100; `--quick`
20: the same residents, fewer rounds). Prints the median and p99 of each, and one line of JSON.

The page summarises (four counts), lists everyone who needs a call, and shows one page of 50 of
the day's list: 10,000 rows would be a 5 MB page redrawn every 30 seconds and read by no one.
"""

from __future__ import annotations

import json
import random
import secrets
import statistics
import tempfile
import time as clock
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import insert

from bot.board.auth import SESSION_COOKIE, Signer
from bot.core.settings import Settings
from bot.people.board_access import issue_login_link, redeem_login_token
from bot.store.db import create_schema, make_engine, session_scope
from bot.store.models import (
    Booking,
    CheckinContact,
    CheckinPlan,
    CheckinRound,
    CheckinRoundStatus,
    ContactStatus,
    Resident,
    StaffMember,
)

DISTRICT = "seocho"
NOW = datetime(2025, 3, 3, 5, 0, tzinfo=UTC)  # 14:00 in Seoul
RESIDENTS = 10_000
ROUNDS, QUICK_ROUNDS = 100, 20


def run(*, quick: bool = False, size: int | None = None) -> int:
    from starlette.testclient import TestClient

    from bot.board import build_board_app
    from catalog.loader import load_catalog

    residents = size or RESIDENTS
    rounds = QUICK_ROUNDS if quick else ROUNDS
    with tempfile.TemporaryDirectory(prefix="ddokddok-bench-board-") as scratch:
        url = f"sqlite:///{(Path(scratch) / 'board.sqlite3').as_posix()}"
        engine = make_engine(url)
        create_schema(engine)
        started = clock.perf_counter()
        staff_id = _populate(engine, residents, random.Random(7))
        filled = clock.perf_counter() - started
        key = secrets.token_urlsafe(48)
        settings = Settings(_env_file=None, database_url=url, board_secret_key=key)
        app = build_board_app(engine=engine, catalog=load_catalog(), settings=settings, clock=lambda: NOW)
        with session_scope(engine) as session:
            staff = session.get(StaffMember, staff_id)
            token = issue_login_link(session=session, staff=staff, now=NOW)
            _, session_token = redeem_login_token(session=session, token=token, now=NOW)
        with TestClient(app, base_url="http://127.0.0.1") as client:
            client.cookies.set(SESSION_COOKIE, Signer(key.encode()).sign("session", session_token))
            page = _time(client, "/today", rounds)
            fragment = _time(client, "/today/live", rounds)
            size_kb = len(client.get("/today").content) / 1024
        engine.dispose()
    figures = {"residents": residents, "rounds": rounds, "populate_seconds": round(filled, 2),
               "page_kb": round(size_kb, 1), "today_ms": page, "today_live_ms": fragment}
    print(f"board: Today page for {residents:,} residents with check-ins in one district, {rounds} rounds")
    print(f"  page:     median {page['median']:.1f} ms, p99 {page['p99']:.1f} ms ({size_kb:.0f} KB)")
    print(f"  fragment: median {fragment['median']:.1f} ms, p99 {fragment['p99']:.1f} ms")
    print(json.dumps(figures))
    return 0


def _time(client, path: str, rounds: int) -> dict[str, float]:
    samples = []
    for _ in range(rounds):
        started = clock.perf_counter()
        response = client.get(path)
        samples.append((clock.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    samples.sort()
    return {"median": round(statistics.median(samples), 2),
            "p99": round(samples[min(len(samples) - 1, int(len(samples) * 0.99))], 2),
            "max": round(samples[-1], 2)}


def _populate(engine, residents: int, rng: random.Random) -> int:
    """Residents, plans, today's rounds, contacts and phones, in bulk; the staff member's id."""
    day_start = datetime(2025, 3, 2, 15, 0, tzinfo=UTC)  # 00:00 in Seoul on 3 March
    with engine.begin() as conn:
        staff_id = conn.execute(insert(StaffMember.__table__).values(
            district=DISTRICT, name="Officer Kim", telegram_id=9_000_000, created_at=NOW)).inserted_primary_key[0]
        conn.execute(insert(Resident.__table__), [
            {"first_name": f"R{n}", "language": "ko", "district": DISTRICT, "consented_at": NOW,
             "active": True, "muted_notices": False, "platform_user_id": 100_000 + n,
             "chat_id": 100_000 + n, "created_at": NOW, "updated_at": NOW} for n in range(residents)])
        ids = [row[0] for row in conn.exec_driver_sql(
            "SELECT id FROM resident ORDER BY id")]
        conn.execute(insert(CheckinPlan.__table__), [
            {"resident_id": rid, "weekdays": 0b1111111, "local_time": time(10, 0), "time_zone": "Asia/Seoul",
             "status": "active", "missed_in_row": 0, "created_at": NOW, "updated_at": NOW} for rid in ids])
        plan_of = {row[0]: row[1] for row in conn.exec_driver_sql("SELECT resident_id, id FROM checkin_plan")}
        statuses = ([CheckinRoundStatus.ANSWERED] * 20 + [CheckinRoundStatus.AWAITING] * 15
                    + [CheckinRoundStatus.REMINDED] * 5 + [CheckinRoundStatus.ESCALATED] * 2
                    + [CheckinRoundStatus.VISIT_NEEDED] * 1 + [CheckinRoundStatus.SCHEDULED] * 57)
        rows = []
        for index, rid in enumerate(ids):
            status = rng.choice(statuses)
            at = day_start + timedelta(hours=7, minutes=5 * (index % 168))
            sent = status != CheckinRoundStatus.SCHEDULED
            rows.append({"plan_id": plan_of[rid], "resident_id": rid, "scheduled_for": at, "status": status,
                         "claimed_at": at if sent else None, "sent_at": at if sent else None,
                         "alerted_at": at + timedelta(hours=4) if status in (
                             CheckinRoundStatus.ESCALATED, CheckinRoundStatus.VISIT_NEEDED) else None,
                         "answered_at": at + timedelta(minutes=3) if status == CheckinRoundStatus.ANSWERED else None,
                         "answer": "ok" if status == CheckinRoundStatus.ANSWERED else None,
                         "due_at": None})
        conn.execute(insert(CheckinRound.__table__), rows)
        conn.execute(insert(CheckinContact.__table__), [
            {"resident_id": rid, "contact_resident_id": ids[(i + 1) % len(ids)], "status": ContactStatus.ACCEPTED,
             "invited_at": NOW, "answered_at": NOW} for i, rid in enumerate(ids) if i % 10 == 0])
        conn.execute(insert(Booking.__table__), [
            {"program_id": "seocho.health119", "district": DISTRICT, "preferred_date": NOW.date(),
             "time_window": "any", "phone": f"010{rid:08d}", "share_contact": False, "status": "done",
             "resident_id": rid, "request_key": f"bench-{rid}", "created_at": NOW, "updated_at": NOW}
            for i, rid in enumerate(ids) if i % 3 == 0])
    return staff_id
