"""`ddokddok bench workers`: several worker processes on one PostgreSQL database.

Three worker processes (`python -m bot.bench.workers --worker …`) share one PostgreSQL schema
of their own. Two phases, each with one worker killed with SIGKILL midway:

1. check-ins: N residents whose check-in is due now; every worker runs the product's
   `dispatch_due` until nothing is due. After the kill, a survivor runs one more tick past the
   send lease, which recovers what the dead worker had claimed.
2. a notice to the same N residents; every worker runs the product's `NoticeSender` until the
   notice is finished (the dead worker's claims come back after the lease), each with the
   product's limiter for PostgreSQL (`send_limiter_for`) at `NOTICE_RATE_PER_SECOND`.

The "send" is a fake that appends the round id / chat id to the worker's own file (flushed per
message, so what a killed worker sent is known), with the machine's monotonic time for the
notice. Printed, per phase: sent, duplicates, missed, in flight at the kill, wall time and
rate; for the notice also the rate all workers achieved together (the most sends in any one
second, and sends per second from the first send to the last) against the limit; then one
JSON line.

Guarantees checked (see bot.checkins and bot.notices.deliveries for the state machines):
- check-ins are sent at most once: duplicates must be 0; a round the dead worker had claimed
  ends as delivery "unknown" (sent or not: the reminder is the second chance), so
  missed = rounds neither sent nor recorded unknown, must be 0;
- notice deliveries are sent at least once: missed must be 0; duplicates may only be chats
  the killed worker had in flight (a claim that expired after the kill);
- the send rate holds across processes: in no one second do the workers together send more
  than the limit plus the shared budget's burst allowance.

The database comes from DDOKDDOK_BENCH_DATABASE_URL (or DATABASE_URL when it is PostgreSQL);
without a reachable PostgreSQL the benchmark says why and exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from urllib.parse import quote

WORKERS = 3
DEFAULT_SIZE = 10_000
QUICK_SIZE = 2_000
# 10:00 in Seoul on Monday 3 March 2025: every plan is due then.
DUE_AT = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)
CHECKIN_LIMIT = 250  # per tick and worker: small, so the workers interleave
NOTICE_LEASE_SECONDS = 5.0
# The notice phase's send limit for all workers together (the product's default is 30/s;
# higher here so that 10,000 messages take half a minute, not six).
NOTICE_RATE_PER_SECOND = 300.0
WAIT_CAP_SECONDS = 600.0
FIRST_CHAT = 2_000_000_000


def database_url_from_environment() -> str | None:
    url = os.environ.get("DDOKDDOK_BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL")
    return url if url and url.startswith("postgresql") else None


def postgresql_problem(url: str) -> str | None:
    from sqlalchemy import text

    from bot.store.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means "cannot run here"
        return f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error) else ''}"
    finally:
        engine.dispose()
    return None


def run(*, quick: bool = False, size: int | None = None) -> int:
    url = database_url_from_environment()
    if url is None:
        print("bench workers: skipped, no PostgreSQL configured (set DDOKDDOK_BENCH_DATABASE_URL="
              "postgresql+psycopg://user@host:5432/db; SQLite has a single writer)")
        print(json.dumps({"benchmark": "workers", "skipped": "no PostgreSQL configured"}))
        return 0
    problem = postgresql_problem(url)
    if problem is not None:
        print(f"bench workers: skipped, PostgreSQL not reachable ({problem})")
        print(json.dumps({"benchmark": "workers", "skipped": "PostgreSQL not reachable"}))
        return 0
    residents = size or (QUICK_SIZE if quick else DEFAULT_SIZE)
    figures = run_workers(url, residents=residents)
    _print(figures)
    print(json.dumps({"benchmark": "workers", **figures}))
    return 0 if figures["ok"] else 1


# --- the parent -----------------------------------------------------------------------------


def run_workers(base_url: str, *, residents: int, workers: int = WORKERS, kill_one: bool = True) -> dict[str, Any]:
    """Both phases in a schema of their own (dropped afterwards); returns the figures."""
    from sqlalchemy import create_engine, text

    schema = f"bench_workers_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base_url else "?"
    url = f"{base_url}{separator}options={quote(f'-csearch_path={schema}')}"
    try:
        with tempfile.TemporaryDirectory(prefix="ddokddok-workers-") as scratch:
            started = time.perf_counter()
            notice_id = _seed(url, residents)
            setup_s = time.perf_counter() - started
            checkins = _phase("checkins", url, Path(scratch), workers=workers, residents=residents,
                              kill_one=kill_one)
            checkins.pop("killed_logged")
            checkins.update(_checkin_outcome(url, checkins.pop("logged")))
            notices = _phase("notices", url, Path(scratch), workers=workers, residents=residents,
                             kill_one=kill_one)
            notices.update(_notice_outcome(url, notice_id, notices.pop("logged"),
                                           notices.pop("killed_logged"), residents))
            notices.update(_notice_rate(url, notices.pop("sent_at"), notices.pop("workers_sent_at")))
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    ok = (checkins["duplicates"] == 0 and checkins["missed"] == 0
          and notices["missed"] == 0 and notices["unexplained_duplicates"] == 0
          and notices["rate_held"])
    return {"residents": residents, "workers": workers, "setup_s": round(setup_s, 1),
            "checkins": checkins, "notice": notices, "ok": ok}


def insert_residents(conn, count: int, *, first_chat: int, now: datetime) -> list[int]:
    """`count` consenting residents of seocho with chats first_chat, first_chat + 1, …, inserted
    in one statement (the services would take minutes for 10,000); returns every resident id."""
    from sqlalchemy import insert, select

    from bot.store.models import Resident

    conn.execute(insert(Resident.__table__), [
        {"platform_user_id": first_chat + i, "chat_id": first_chat + i, "first_name": f"주민{i}",
         "language": "ko", "district": "seocho", "consented_at": now, "active": True,
         "muted_notices": False, "created_at": now, "updated_at": now}
        for i in range(count)
    ])
    return list(conn.execute(select(Resident.__table__.c.id)).scalars())


def _seed(url: str, residents: int) -> int:
    """Residents with a check-in due at DUE_AT, and a notice to all of them, started."""
    from sqlalchemy import insert

    from bot.notices.authoring import create_notice, start_notice
    from bot.store.db import make_engine, session_scope
    from bot.store.migrate import upgrade
    from bot.store.models import CheckinPlan

    engine = make_engine(url)
    upgrade(engine)
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        conn = session.connection()
        ids = insert_residents(conn, residents, first_chat=FIRST_CHAT, now=now)
        conn.execute(insert(CheckinPlan.__table__), [
            {"resident_id": resident_id, "weekdays": 0b1111111, "local_time": clock_time(10),
             "time_zone": "Asia/Seoul", "status": "active", "paused_until": None,
             "next_due_at": DUE_AT, "missed_in_row": 0, "created_at": now, "updated_at": now}
            for resident_id in ids
        ])
        notice = create_notice(session=session, district="seocho", now=now,
                               text="폭염 쉼터 운영 안내 / Cooling centre open", known_districts={"seocho"})
        start_notice(session=session, notice=notice, now=now)
        notice_id = notice.id
    engine.dispose()
    return notice_id


def _start(phase: str, url: str, log: Path, *, shift_seconds: float = 0.0) -> subprocess.Popen:
    command = [sys.executable, "-m", "bot.bench.workers", "--worker", phase, "--database-url", url,
               "--log", str(log), "--shift-seconds", str(shift_seconds)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text().split("\n")[:-1]  # the last, unterminated piece may be partial
    except FileNotFoundError:
        return []


def _phase(phase: str, url: str, scratch: Path, *, workers: int, residents: int, kill_one: bool) -> dict[str, Any]:
    logs = [scratch / f"{phase}-{n}.log" for n in range(workers)]
    started = time.perf_counter()
    children = [_start(phase, url, log) for log in logs]
    killed_logged: list[str] = []
    if kill_one:
        # Kill worker 0 once it has sent a share of its part.
        target = max(1, residents // (workers * 3))
        deadline = time.monotonic() + WAIT_CAP_SECONDS
        while time.monotonic() < deadline and children[0].poll() is None:
            if len(_lines(logs[0])) >= target:
                break
            time.sleep(0.005)
        children[0].send_signal(signal.SIGKILL)
        children[0].wait(timeout=30)
        killed_logged = _lines(logs[0])
    for child in children[1:] if kill_one else children:
        _finish(child)
    if kill_one:
        # One more pass after the dead worker's claims expired: what the service does next tick.
        shift = (11 * 60) if phase == "checkins" else NOTICE_LEASE_SECONDS + 1
        if phase == "notices":
            time.sleep(NOTICE_LEASE_SECONDS + 1)
        _finish(_start(phase, url, scratch / f"{phase}-recovery.log", shift_seconds=shift))
    wall = time.perf_counter() - started
    logged = [line for path in sorted(scratch.glob(f"{phase}-*.log")) for line in _lines(path)]
    workers_logged = [line for path in logs for line in _lines(path)]
    for child in children:
        for stream in (child.stdout, child.stderr):
            if stream:
                stream.close()
    figures = {"wall_s": round(wall, 2), "sends_per_s": round(len(logged) / wall, 1) if wall else 0.0,
               "killed_after": len(killed_logged), "killed_logged": [_sent_to(line) for line in killed_logged],
               "logged": [_sent_to(line) for line in logged]}
    if phase == "notices":
        figures["sent_at"] = [_sent_at(line) for line in logged]
        figures["workers_sent_at"] = [_sent_at(line) for line in workers_logged]
    return figures


def _sent_to(line: str) -> str:
    """The round id or chat id of a log line ("<id>" or "<id> <monotonic seconds>")."""
    return line.split(" ", 1)[0]


def _sent_at(line: str) -> float:
    return float(line.split(" ", 1)[1])


def _finish(child: subprocess.Popen) -> None:
    try:
        out, err = child.communicate(timeout=WAIT_CAP_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise RuntimeError("a worker did not finish in time") from None
    if child.returncode != 0:
        raise RuntimeError(f"a worker failed ({child.returncode}):\n{err[-3000:]}")


def _checkin_outcome(url: str, logged: list[str]) -> dict[str, Any]:
    from sqlalchemy import func, select

    from bot.store.db import make_engine
    from bot.store.models import CheckinRound

    sent = Counter(int(line) for line in logged)
    engine = make_engine(url)
    with engine.connect() as connection:
        rounds = connection.execute(select(CheckinRound.id, CheckinRound.status, CheckinRound.delivery)).all()
        plans_with_round = connection.execute(select(func.count()).select_from(
            select(CheckinRound.plan_id).group_by(CheckinRound.plan_id).subquery())).scalar_one()
    engine.dispose()
    unknown = {r.id for r in rounds if r.delivery == "unknown"}
    unsent_states = {r.id for r in rounds if r.status in ("scheduled", "sending")}
    missed = [r.id for r in rounds if r.id not in sent and r.id not in unknown] + sorted(unsent_states)
    return {"rounds": len(rounds), "plans_with_a_round": plans_with_round, "sent": sum(sent.values()),
            "duplicates": sum(n - 1 for n in sent.values() if n > 1), "missed": len(set(missed)),
            "in_flight_at_kill_unknown": len(unknown),
            "in_flight_sent_before_kill": len(unknown & set(sent))}


def max_in_any_second(stamps: list[float]) -> int:
    """The most sends in any window of one second (monotonic seconds, in any order)."""
    ordered = sorted(stamps)
    most, first = 0, 0
    for last, at in enumerate(ordered):
        while at - ordered[first] >= 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


def _notice_rate(url: str, sent_at: list[float], workers_sent_at: list[float]) -> dict[str, Any]:
    """The rate all workers achieved together, against the limit they share.

    The most in any one second counts every send (the recovery pass included); sends per
    second are those of the three workers, from their first send to their last (the recovery
    pass comes after the lease wait, which is no sending time).
    """
    from bot.sending.send_rate import send_limiter_for
    from bot.store.db import make_engine

    engine = make_engine(url)
    allowance = send_limiter_for(engine, NOTICE_RATE_PER_SECOND).budget.burst_allowance
    engine.dispose()
    span = max(workers_sent_at) - min(workers_sent_at) if len(workers_sent_at) > 1 else 0.0
    most = max_in_any_second(sent_at)
    return {"rate_limit_per_s": NOTICE_RATE_PER_SECOND, "burst_allowance": round(allowance, 1),
            "max_in_any_second": most,
            "workers_sends_per_s": round(len(workers_sent_at) / span, 1) if span else 0.0,
            "rate_held": most <= NOTICE_RATE_PER_SECOND + allowance}


def _notice_outcome(url: str, notice_id: int, logged: list[str], killed_logged: list[str],
                    residents: int) -> dict[str, Any]:
    from sqlmodel import Session

    from bot.notices.report import notice_report
    from bot.store.db import make_engine

    sent = Counter(int(line) for line in logged)
    killed = {int(line) for line in killed_logged}
    engine = make_engine(url)
    with Session(engine) as session:
        report = notice_report(session=session, notice_id=notice_id)
    engine.dispose()
    duplicates = {chat for chat, n in sent.items() if n > 1}
    audience = set(range(FIRST_CHAT, FIRST_CHAT + residents))
    return {"recipients": report.recipients, "delivered": report.delivered, "status": report.status,
            "sent": sum(sent.values()), "missed": len(audience - set(sent)) + report.remaining,
            "duplicates": len(duplicates), "unexplained_duplicates": len(duplicates - killed)}


def _print(f: dict[str, Any]) -> None:
    c, n = f["checkins"], f["notice"]
    print(f"{f['workers']} worker processes on one PostgreSQL, {f['residents']} residents "
          f"(setup {f['setup_s']} s); one worker SIGKILLed midway in each phase")
    print(f"  check-ins: {c['rounds']} rounds, sent {c['sent']} in {c['wall_s']} s "
          f"({c['sends_per_s']}/s with a fake send); duplicates {c['duplicates']}, missed {c['missed']}; "
          f"in flight at the kill {c['in_flight_at_kill_unknown']} (recorded 'unknown', "
          f"{c['in_flight_sent_before_kill']} of them had been sent)")
    print(f"  notice: {n['recipients']} recipients, delivered {n['delivered']} ({n['status']}), "
          f"sent {n['sent']} in {n['wall_s']} s ({n['sends_per_s']}/s, includes a {NOTICE_LEASE_SECONDS:.0f} s "
          f"lease wait); missed {n['missed']}, repeated {n['duplicates']} "
          f"(all in flight at the kill: {'yes' if n['unexplained_duplicates'] == 0 else 'NO'})")
    print(f"  notice send rate, all workers together: at most {n['max_in_any_second']} in any one second, "
          f"{n['workers_sends_per_s']}/s from the first send to the last; limit {n['rate_limit_per_s']:.0f}/s "
          f"+ burst allowance {n['burst_allowance']} ({'held' if n['rate_held'] else 'NOT HELD'})")
    print(f"  {'OK' if f['ok'] else 'FAILED'}: no check-in twice, none missed; every notice delivery sent; "
          f"the shared send rate held")


# --- a worker process -----------------------------------------------------------------------


class _Log:
    def __init__(self, path: str):
        self.file = open(path, "a", buffering=1, encoding="ascii")  # noqa: SIM115 - lives with the process

    def write(self, value: int, *, timed: bool = False) -> None:
        self.file.write(f"{value} {time.monotonic():.6f}\n" if timed else f"{value}\n")
        self.file.flush()


async def _work_checkins(url: str, log: _Log, shift: timedelta) -> None:
    from bot.checkins.dispatch import SendResult, dispatch_due
    from bot.store.db import make_engine

    engine = make_engine(url)

    def send(message) -> SendResult:
        log.write(message.round_id)
        return SendResult.DELIVERED

    now = DUE_AT + shift
    while True:
        report = await dispatch_due(engine=engine, now=now, send=send, limit=CHECKIN_LIMIT)
        if not (report.more_due or report.materialised or report.sent or report.recovered):
            break
    engine.dispose()


class _FakeTransport:
    def __init__(self, log: _Log):
        self.log = log
        self.ids = iter(range(1, 10**9))

    async def send(self, message) -> int:
        self.log.write(message.chat_id, timed=True)
        return next(self.ids)


async def _work_notices(url: str, log: _Log, shift: timedelta) -> None:
    from bot.core.clock import utc_now
    from bot.notices.deliveries import DeliveryPolicy
    from bot.notices.sender import NoticeSender
    from bot.sending.send_rate import send_limiter_for
    from bot.store.db import make_engine

    engine = make_engine(url)
    sender = NoticeSender(engine=engine, transport=_FakeTransport(log),
                          limiter=send_limiter_for(engine, NOTICE_RATE_PER_SECOND),
                          clock=lambda: utc_now() + shift, idle_wait=0.05,
                          policy=DeliveryPolicy(lease=timedelta(seconds=NOTICE_LEASE_SECONDS)))
    await sender.run()
    engine.dispose()


def _worker_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", choices=["checkins", "notices"], required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--shift-seconds", type=float, default=0.0)
    args = parser.parse_args(argv)
    log = _Log(args.log)
    shift = timedelta(seconds=args.shift_seconds)
    work = _work_checkins if args.worker == "checkins" else _work_notices
    asyncio.run(work(args.database_url, log, shift))
    return 0


if __name__ == "__main__":
    sys.exit(_worker_main(sys.argv[1:]))
