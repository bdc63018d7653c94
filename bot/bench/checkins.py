"""`ddokddok bench checkins`: one simulated day of daily check-ins for many residents.

N residents (100,000; `--quick` 5,000, under a minute; `--size N`) are planned every day, a quarter of them at
10:00 (the time most people pick) and the rest spread over 07:00–21:00 in five-minute steps,
on a SQLite file in a temporary folder. The dispatcher then runs once per simulated minute from
00:00 to 02:00 the next day (Korea time) with an in-memory transport, and residents behave:

- 75% answer within the reply window, 8% after the reminder, 5% only after staff were alerted
  (so an all clear goes out), 8% never, 4% have blocked the bot;
- a quarter of those who never answer had already missed the two days before, so the third
  miss asks for a visit; a tenth of the residents have an accepted trusted contact.

Answers go through `record_answer` as the conversation would call it (not timed as part of the
ticks). What is timed is each `dispatch_due` call: median, p99 and the slowest. Peak memory is
the process's peak RSS (ru_maxrss), bench bookkeeping included. The check at the end compares
what the transport received with the plan: every resident's check-in of the day sent exactly
once (no duplicates, none missing). Ends with one line of JSON holding the same figures.
"""

from __future__ import annotations

import asyncio
import heapq
import json
import logging
import os
import random
import resource
import statistics
import sys
import tempfile
import time as clock
import uuid
from array import array
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, insert, select, text

from bot.checkins.answers import record_answer
from bot.checkins.dispatch import CheckinMessage, SendResult, dispatch_due
from bot.checkins.policy import DEFAULT_SEND_LIMIT, CheckinPolicy
from bot.checkins.schedule import EVERY_DAY, local_day, next_occurrence
from bot.store.db import create_schema, make_engine, session_scope
from bot.store.models import (
    CheckinAlert,
    CheckinContact,
    CheckinPlan,
    CheckinRound,
    ContactStatus,
    Resident,
    StaffMember,
)

DISTRICTS = ("seocho", "yongsan", "eunpyeong", "gwangjin", "gwangsan", "sancheong")
STAFF_PER_DISTRICT = 2
DAY = datetime(2025, 3, 3, tzinfo=UTC).date()  # a Monday
KST = timedelta(hours=9)
START = datetime(2025, 3, 3, tzinfo=UTC) - KST  # 00:00 in Seoul
END = START + timedelta(hours=26)  # 02:00 the next day: the 21:00 round's ladder is over
SETUP_AT = START - timedelta(hours=1)
INSERT_BATCH = 5_000

# Behaviours, by share of residents.
PROMPT, AFTER_REMINDER, AFTER_ALERT, NEVER, BLOCKED = range(5)
SHARES = ((PROMPT, 0.75), (AFTER_REMINDER, 0.08), (AFTER_ALERT, 0.05), (NEVER, 0.08), (BLOCKED, 0.04))
# Minutes after the check-in within which each behaviour answers (reply window 2 h).
ANSWER_MINUTES = {PROMPT: (1, 115), AFTER_REMINDER: (125, 235), AFTER_ALERT: (245, 400)}


def run(*, quick: bool = False, size: int | None = None) -> int:
    residents = size or (5_000 if quick else 100_000)
    logging.getLogger("bot").setLevel(logging.ERROR)  # no per-batch lines in the timing
    figures = asyncio.run(_simulate(residents))
    figures["quick"] = quick
    ok = figures["duplicates"] == 0 and figures["missed"] == 0
    print(f"check-ins: {residents} residents, {figures['ticks']} ticks of one simulated minute")
    print(f"  tick median {figures['tick_median_ms']:.2f} ms, p99 {figures['tick_p99_ms']:.1f} ms, "
          f"slowest {figures['tick_max_ms']:.1f} ms; peak memory {figures['peak_rss_mb']:.0f} MB")
    print(f"  finding and claiming the due check-ins: median {figures['claim_median_ms']:.2f} ms, "
          f"p99 {figures['claim_p99_ms']:.1f} ms, "
          f"slowest {figures['claim_max_ms']:.1f} ms")
    print(f"  slowest tick at {figures['slowest_tick_kst']} KST: {figures['slowest_tick_phases_ms']} ms")
    print(f"  sent {figures['sent']} (delivered {figures['delivered']}, blocked {figures['blocked']}), "
          f"reminded {figures['reminded']}, escalated {figures['escalated']}, "
          f"visit-needed {figures['visit_needed']}, all-clear messages {figures['all_clear']}, "
          f"skipped {figures['skipped']}")
    print(f"  latest check-in {figures['max_late_s'] / 60:.1f} min after its time "
          f"({figures['ticks_at_limit']} ticks at the limit of {figures['limit']})")
    print(f"  duplicates {figures['duplicates']}, missed {figures['missed']}: "
          f"{'every planned check-in sent exactly once' if ok else 'NOT as planned'}")
    print(json.dumps({"benchmark": "checkins", **figures}))
    return 0 if ok else 1


@contextmanager
def _bench_engine(scratch: str):
    """A SQLite file in `scratch`, or, when DDOKDDOK_BENCH_DATABASE_URL names a PostgreSQL
    database, a schema of its own there that is dropped afterwards (nothing else is touched)."""
    url = os.environ.get("DDOKDDOK_BENCH_DATABASE_URL")
    if not url:
        engine = make_engine(f"sqlite:///{(Path(scratch) / 'checkins.sqlite3').as_posix()}")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    schema = f"bench_checkins_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


async def _simulate(residents: int, step: timedelta = timedelta(minutes=1)) -> dict[str, Any]:
    rng = random.Random(20250303)
    policy = CheckinPolicy()
    started = clock.perf_counter()
    with tempfile.TemporaryDirectory() as scratch, _bench_engine(scratch) as engine:
        create_schema(engine)
        first_id, behaviour = _populate(engine, residents, rng)
        setup_s = clock.perf_counter() - started
        world = _World(first_id, behaviour, rng)
        tick_ms: list[float] = []
        claim_ms: list[float] = []
        totals = dict.fromkeys(("sent", "delivered", "blocked", "reminded", "reminders_sent",
                                "escalated", "visit_needed", "skipped", "alerts_queued"), 0)
        max_late = timedelta(0)
        slowest: tuple[float, datetime, dict[str, float]] = (0.0, START, {})
        at_limit = 0
        now = START
        while now <= END:
            world.answer_due(engine, now)
            began = clock.perf_counter()
            report = await dispatch_due(engine=engine, now=now, send=world.send,
                                        policy=policy, limit=DEFAULT_SEND_LIMIT)
            tick_ms.append(1000 * (clock.perf_counter() - began))
            claim_ms.append(1000 * report.seconds.get("claim", 0.0))
            if tick_ms[-1] > slowest[0]:
                slowest = (tick_ms[-1], now, report.seconds)
            for name in totals:
                totals[name] += getattr(report, name)
            if report.max_late_by is not None:
                max_late = max(max_late, report.max_late_by)
            at_limit += report.more_due
            now += step
        world.answer_due(engine, now + timedelta(days=1))
        checked = _check(engine, world, residents)
    tick_ms.sort()
    claim_ms.sort()
    return {
        "residents": residents,
        "ticks": len(tick_ms),
        "limit": DEFAULT_SEND_LIMIT,
        "tick_median_ms": round(statistics.median(tick_ms), 3),
        "tick_p99_ms": round(tick_ms[int(0.99 * (len(tick_ms) - 1))], 3),
        "tick_max_ms": round(tick_ms[-1], 3),
        # Finding and claiming the due check-ins of a tick (`TickReport.seconds["claim"]`).
        "claim_median_ms": round(statistics.median(claim_ms), 3),
        "claim_p99_ms": round(claim_ms[int(0.99 * (len(claim_ms) - 1))], 3),
        "claim_max_ms": round(claim_ms[-1], 3),
        "slowest_tick_kst": (slowest[1] + KST).strftime("%H:%M"),
        "slowest_tick_phases_ms": {k: round(1000 * v, 1) for k, v in slowest[2].items()},
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        **totals,
        "answers": world.answers,
        "max_late_s": max_late.total_seconds(),
        "ticks_at_limit": at_limit,
        **checked,
        "setup_s": round(setup_s, 1),
        "wall_s": round(clock.perf_counter() - started, 1),
    }


class _World:
    """The residents' side: the transport, and the answers they give later."""

    def __init__(self, first_id: int, behaviour: bytearray, rng: random.Random):
        self.first_id = first_id
        self.behaviour = behaviour
        self.rng = rng
        self.checkins_sent = array("B", bytes(len(behaviour)))  # per resident, for the day
        self.pending: list[tuple[datetime, int, int, str]] = []  # (when, resident, round, answer)
        self.answers = 0

    def send(self, message: CheckinMessage) -> SendResult:
        index = message.resident_id - self.first_id
        kind = self.behaviour[index]
        if kind == BLOCKED:
            result = SendResult.BLOCKED
        else:
            result = SendResult.DELIVERED
        if message.kind != "checkin":
            return result
        if local_day(message.scheduled_for) == DAY:
            self.checkins_sent[index] = min(255, self.checkins_sent[index] + 1)
        if kind in ANSWER_MINUTES:
            low, high = ANSWER_MINUTES[kind]
            at = message.scheduled_for + timedelta(minutes=self.rng.randint(low, high))
            answer = self.rng.choices(("ok", "hard", "help"), weights=(85, 10, 5))[0]
            heapq.heappush(self.pending, (at, message.resident_id, message.round_id, answer))
        return result

    def answer_due(self, engine, now: datetime) -> None:
        if not self.pending or self.pending[0][0] > now:
            return
        with session_scope(engine) as session:
            while self.pending and self.pending[0][0] <= now:
                at, resident_id, round_id, answer = heapq.heappop(self.pending)
                resident = session.get(Resident, resident_id)
                record_answer(session=session, resident=resident, round_id=round_id,
                              answer=answer, now=at)
                self.answers += 1


def _populate(engine, residents: int, rng: random.Random) -> tuple[int, bytearray]:
    """Residents, their plans, staff and contacts, inserted in bulk (what `start_checkins`
    would store, with the same arithmetic for the first check-in)."""
    slots = [time(hour, minute) for hour in range(7, 21) for minute in range(0, 60, 5)] + [time(21)]
    population, weights = zip(*SHARES, strict=True)
    behaviour = bytearray(rng.choices(population, weights=weights, k=residents))
    with session_scope(engine) as session:
        conn = session.connection()
        conn.execute(insert(StaffMember.__table__), [
            {"district": district, "name": f"담당자{district}{n}", "telegram_id": 900_000 + i * 10 + n,
             "created_at": SETUP_AT}
            for i, district in enumerate(DISTRICTS) for n in range(STAFF_PER_DISTRICT)
        ])
    first_id = None
    for start in range(0, residents, INSERT_BATCH):
        count = min(INSERT_BATCH, residents - start)
        with session_scope(engine) as session:
            conn = session.connection()
            conn.execute(insert(Resident.__table__), [
                {"platform_user_id": 1_000_000_000 + i, "chat_id": 1_000_000_000 + i,
                 "first_name": f"주민{i}", "language": "en" if i % 10 == 0 else "ko",
                 "district": DISTRICTS[i % len(DISTRICTS)], "consented_at": SETUP_AT,
                 "age_band": None, "gender": None, "active": True, "muted_notices": False,
                 "created_at": SETUP_AT, "updated_at": SETUP_AT}
                for i in range(start, start + count)
            ])
            ids = [row.id for row in conn.execute(
                select(Resident.__table__.c.id).where(Resident.__table__.c.platform_user_id
                                                      >= 1_000_000_000 + start)
                .order_by(Resident.__table__.c.id).limit(count))]
            if first_id is None:
                first_id = ids[0]
            plans = []
            for resident_id in ids:
                index = resident_id - first_id
                at = time(10) if rng.random() < 0.25 else rng.choice(slots)
                already_missed = 2 if behaviour[index] == NEVER and rng.random() < 0.25 else 0
                plans.append({
                    "resident_id": resident_id, "weekdays": EVERY_DAY, "local_time": at,
                    "time_zone": "Asia/Seoul", "status": "active", "paused_until": None,
                    "next_due_at": next_occurrence(weekdays=EVERY_DAY, at=at, tz="Asia/Seoul",
                                                   after=SETUP_AT),
                    "missed_in_row": already_missed, "last_answer": None, "last_answered_at": None,
                    "created_at": SETUP_AT, "updated_at": SETUP_AT,
                })
            conn.execute(insert(CheckinPlan.__table__), plans)
            contacts = [
                {"resident_id": resident_id, "contact_resident_id": ids[(k + 1) % len(ids)],
                 "status": ContactStatus.ACCEPTED.value, "invited_at": SETUP_AT,
                 "answered_at": SETUP_AT}
                for k, resident_id in enumerate(ids) if (resident_id - first_id) % 10 == 3
            ]
            if contacts:
                conn.execute(insert(CheckinContact.__table__), contacts)
    assert first_id is not None
    return first_id, behaviour


def _check(engine, world: _World, residents: int) -> dict[str, int]:
    """Compare the day's deliveries with the plan, from the transport's and the store's sides."""
    sent = world.checkins_sent
    duplicates = sum(1 for n in sent if n > 1)
    missed = sum(1 for n in sent if n == 0)
    rounds = CheckinRound.__table__
    day_start, day_end = START, START + timedelta(days=1)
    with session_scope(engine) as session:
        conn = session.connection()
        in_day = (rounds.c.scheduled_for >= day_start, rounds.c.scheduled_for < day_end)
        claimed = conn.execute(select(func.count()).select_from(rounds)
                               .where(*in_day, rounds.c.claimed_at.is_not(None))).scalar_one()
        stored = conn.execute(select(func.count()).select_from(rounds).where(*in_day)).scalar_one()
        all_clear = conn.execute(select(func.count()).select_from(CheckinAlert.__table__)
                                 .where(CheckinAlert.__table__.c.kind == "all_clear")).scalar_one()
    # The store must agree: one round per resident for the day, each claimed (sent) once.
    duplicates += max(0, stored - residents)
    missed += max(0, residents - claimed)
    return {"duplicates": duplicates, "missed": missed, "rounds_of_the_day": stored,
            "all_clear": all_clear}


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
