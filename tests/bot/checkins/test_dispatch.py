"""The dispatcher: materialising, claiming at most once, sending every due round, downtime,
crashes, two workers, restarts and midnight."""

import asyncio
from collections import Counter
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.checkins.dispatch import SendResult, dispatch_due
from bot.checkins.policy import DEFAULT_POLICY, CheckinPolicy
from bot.checkins.schedule import local_day
from bot.store.db import create_schema, make_engine, session_scope
from bot.store.models import CheckinDelivery, CheckinRound, CheckinRoundStatus

from .conftest import (
    MONDAY_9_KST,
    Ticker,
    kst,
    only_round,
    planned,
    rounds_of,
)


class Crash(BaseException):
    """The process dying: not an error `dispatch_due` may catch."""


def round_count(engine) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(CheckinRound)).scalar_one()


async def test_materialising_twice_writes_one_round(engine, ticker, transport):
    person = planned(engine)
    await ticker.tick(kst(3, 9, 30))
    await ticker.tick(kst(3, 9, 30))
    await ticker.tick(kst(3, 9, 31))
    assert only_round(engine, person).scheduled_for == kst(3, 10)
    assert ticker.total("materialised") == 1


def test_the_database_refuses_a_second_round_for_the_same_plan_and_time(engine):
    person = planned(engine)
    with session_scope(engine) as session:
        plan_id = session.execute(select(CheckinRound.__table__.c.id)).all()  # none yet
        assert plan_id == []
    row = {"resident_id": person.id, "scheduled_for": kst(3, 10), "status": "scheduled",
           "due_at": kst(3, 10)}
    with session_scope(engine) as session:
        from bot.store.models import CheckinPlan
        row["plan_id"] = session.execute(select(CheckinPlan.id)).scalar_one()
        session.execute(insert(CheckinRound.__table__), [row])
    with pytest.raises(IntegrityError):
        with session_scope(engine) as session:
            session.execute(insert(CheckinRound.__table__), [row])


async def test_every_due_round_is_sent_once_and_on_time(engine, ticker, transport):
    people = [planned(engine, at=time(7 + i % 14, (i * 7) % 60), now=kst(3, 5)) for i in range(40)]
    await ticker.run_until(kst(3, 6), kst(3, 21))
    per_round = transport.per_round()
    assert sorted(m.resident_id for m in transport.of_kind("checkin")) == sorted(p.id for p in people)
    assert set(per_round.values()) == {1}
    assert all(report.max_late_by in (None, timedelta(0)) for _, report in ticker.reports)
    assert ticker.total("skipped") == 0


async def test_a_crowd_at_ten_is_spread_over_the_next_ticks(engine, transport):
    people = [planned(engine) for _ in range(25)]
    ticker = Ticker(engine=engine, send=transport, limit=10)
    await ticker.run_until(kst(3, 9), kst(3, 9, 59))
    first = await ticker.tick(kst(3, 10))
    second = await ticker.tick(kst(3, 10, 1))
    third = await ticker.tick(kst(3, 10, 2))
    fourth = await ticker.tick(kst(3, 10, 3))
    assert (first.sent, second.sent, third.sent, fourth.sent) == (10, 10, 5, 0)
    assert first.more_due and second.more_due and not third.more_due
    assert first.last_late_by == timedelta(0)
    assert third.last_late_by == third.max_late_by == timedelta(minutes=2)
    assert len(transport.per_round()) == len(people) and set(transport.per_round().values()) == {1}


async def test_a_crash_after_claiming_never_sends_the_round_again(engine, transport):
    person = planned(engine)
    calls = []

    def dies(message):
        calls.append(message)
        raise Crash()  # dies with the message in flight

    with pytest.raises(Crash):
        await dispatch_due(engine=engine, now=kst(3, 10), send=dies)
    assert only_round(engine, person).status == CheckinRoundStatus.SENDING
    ticker = Ticker(engine=engine, send=transport)
    # A second dispatcher (or the restarted one) runs over the same due set: nothing to send.
    await ticker.tick(kst(3, 10) + DEFAULT_POLICY.send_lease - timedelta(seconds=1))
    assert transport.sent == [] and only_round(engine, person).status == CheckinRoundStatus.SENDING
    # Once the lease is over the round counts as sent with an unknown result ...
    report = await ticker.tick(kst(3, 10) + DEFAULT_POLICY.send_lease)
    assert report.recovered == 1 and transport.sent == []
    stored = only_round(engine, person)
    assert stored.status == CheckinRoundStatus.AWAITING
    assert stored.delivery == CheckinDelivery.UNKNOWN and stored.sent_at == kst(3, 10)
    # ... and the ladder goes on from the claim: the reminder is the second chance.
    await ticker.run_until(kst(3, 10, 11), kst(3, 12))
    assert [m.kind for m in transport.sent] == ["reminder"]
    assert len(calls) == 1


async def test_a_crash_after_the_send_returned_does_not_send_twice(engine, transport):
    people = [planned(engine) for _ in range(3)]
    delivered = []

    def dies_on_the_second(message):
        delivered.append(message.round_id)
        if len(delivered) == 2:
            raise Crash()  # this one reached Telegram, then the process died
        return SendResult.DELIVERED

    with pytest.raises(Crash):
        await dispatch_due(engine=engine, now=kst(3, 10), send=dies_on_the_second)
    # What was sent before the crash was recorded; the one in flight is still "sending"; the
    # third never reached `send`, so it was given back at once (the crash was seen in-process).
    statuses = Counter(only_round(engine, p).status for p in people)
    assert statuses == {CheckinRoundStatus.AWAITING: 1, CheckinRoundStatus.SENDING: 1,
                        CheckinRoundStatus.SCHEDULED: 1}
    ticker = Ticker(engine=engine, send=transport)
    await ticker.run_until(kst(3, 10, 1), kst(3, 10, 30))
    # The third is sent by the next tick, once; the one in flight never again.
    [third] = [p for p in people if only_round(engine, p).id not in delivered]
    assert [m.resident_id for m in transport.of_kind("checkin")] == [third.id]
    assert Counter(delivered)[delivered[1]] == 1
    assert all(only_round(engine, p).status == CheckinRoundStatus.AWAITING for p in people)
    in_flight = next(r for p in people if (r := only_round(engine, p)).id == delivered[1])
    assert in_flight.delivery == CheckinDelivery.UNKNOWN


async def test_two_dispatchers_on_one_database_send_each_round_once(engine, file_url, test_database_url):
    # Two engines (two connection pools, as two processes would have) on one database: the
    # test database when one is configured (PostgreSQL: SKIP LOCKED), else a SQLite file.
    url = test_database_url or file_url
    first_engine, second_engine = make_engine(url), make_engine(url)
    create_schema(first_engine)
    people = [planned(first_engine) for _ in range(30)]
    seen: list[int] = []

    async def slow_send(message):
        await asyncio.sleep(0)  # let the other dispatcher run meanwhile
        seen.append(message.round_id)
        return SendResult.DELIVERED

    try:
        await dispatch_due(engine=first_engine, now=kst(3, 9, 30), send=slow_send)
        reports = await asyncio.gather(
            dispatch_due(engine=first_engine, now=kst(3, 10), send=slow_send, limit=20),
            dispatch_due(engine=second_engine, now=kst(3, 10), send=slow_send, limit=20),
        )
        await dispatch_due(engine=second_engine, now=kst(3, 10, 1), send=slow_send, limit=20)
    finally:
        first_engine.dispose()
        second_engine.dispose()
    assert len(seen) == len(people) == len(set(seen))
    assert sum(r.sent for r in reports) >= 20


async def test_after_downtime_recent_rounds_go_late_and_older_ones_are_skipped(engine, transport):
    on_time = planned(engine, at=time(10, 0))
    recent = planned(engine, at=time(10, 20))
    later = planned(engine, at=time(11, 0))
    ticker = Ticker(engine=engine, send=transport)
    await ticker.run_until(kst(3, 9, 0), kst(3, 9, 50))  # materialises 10:00 and 10:20 ahead
    # Down from 09:51 until 10:40.
    report = await ticker.tick(kst(3, 10, 40))
    assert report.skipped == 1 and report.sent == 1
    assert report.last_late_by == timedelta(minutes=20)
    assert only_round(engine, on_time).status == CheckinRoundStatus.SKIPPED
    assert only_round(engine, recent).status == CheckinRoundStatus.AWAITING
    await ticker.run_until(kst(3, 10, 41), kst(3, 11, 1))
    assert [m.resident_id for m in transport.of_kind("checkin")] == [recent.id, later.id]
    # A skipped round is our fault, not the resident's: no reminder, no alarm.
    await ticker.run_until(kst(3, 11, 2), kst(3, 16), step=timedelta(minutes=5))
    assert {m.resident_id for m in transport.of_kind("reminder")} == {recent.id, later.id}


async def test_a_long_downtime_records_each_missed_day_as_skipped_and_sprays_nothing(engine, transport):
    person = planned(engine, at=time(10, 0))
    ticker = Ticker(engine=engine, send=transport, policy=CheckinPolicy(materialise_ahead=timedelta(0)))
    # Down from Monday 09:00 until Thursday 10:15: Mon, Tue, Wed were missed, Thu is in grace.
    report = await ticker.tick(kst(6, 10, 15))
    assert report.materialised == 4 and report.skipped == 3 and report.sent == 1
    assert [r.status for r in rounds_of(engine, person)] == [CheckinRoundStatus.SKIPPED] * 3 + [
        CheckinRoundStatus.AWAITING]
    assert [m.scheduled_for for m in transport.sent] == [kst(6, 10)]


async def test_a_restart_on_the_same_file_neither_loses_nor_repeats(file_url, transport):
    engine = make_engine(file_url)
    create_schema(engine)
    people = [planned(engine, at=time(10, minute)) for minute in (0, 10, 20)]
    ticker = Ticker(engine=engine, send=transport)
    await ticker.run_until(kst(3, 9, 0), kst(3, 10, 5))
    engine.dispose()  # the process stops ...

    engine = make_engine(file_url)  # ... and starts again with nothing in memory
    ticker = Ticker(engine=engine, send=transport)
    try:
        await ticker.run_until(kst(3, 10, 5), kst(4, 10, 30), step=timedelta(minutes=5))
    finally:
        engine.dispose()
    per_day = Counter((m.resident_id, local_day(m.scheduled_for)) for m in transport.of_kind("checkin"))
    assert set(per_day.values()) == {1}
    assert len(per_day) == 2 * len(people)
    # The 10:00 round's reminder came from the restarted process, once.
    assert Counter(m.round_id for m in transport.of_kind("reminder")).most_common(1)[0][1] == 1


async def test_across_midnight_in_korea(engine, ticker, transport):
    early = planned(engine, at=time(0, 30))  # 15:30 UTC the day before
    morning = planned(engine, at=time(8, 0))  # 23:00 UTC the day before
    # From Monday 23:00 KST (14:00 UTC) to Tuesday 09:00 KST (00:00 UTC).
    await ticker.run_until(kst(3, 23), kst(4, 9), step=timedelta(minutes=10))
    sent = {m.resident_id: m.scheduled_for for m in transport.of_kind("checkin")}
    assert sent == {early.id: datetime(2025, 3, 3, 15, 30, tzinfo=UTC),
                    morning.id: datetime(2025, 3, 3, 23, 0, tzinfo=UTC)}
    assert {local_day(t) for t in sent.values()} == {kst(4, 12).date()}


async def test_async_and_failing_sends(engine):
    ok, broken = planned(engine), planned(engine)

    async def send(message):
        if message.resident_id == broken.id:
            raise ConnectionError("network down")
        return "delivered"

    ticker = Ticker(engine=engine, send=send)
    await ticker.run_until(kst(3, 9, 30), kst(3, 10))
    assert only_round(engine, ok).delivery == CheckinDelivery.DELIVERED
    assert only_round(engine, broken).delivery == CheckinDelivery.FAILED
    assert ticker.total("failed") == 1 and ticker.total("delivered") == 1


async def test_dispatch_refuses_a_naive_clock(engine, transport):
    with pytest.raises(ValueError):
        await dispatch_due(engine=engine, now=datetime(2025, 3, 3, 10), send=transport)
    assert round_count(engine) == 0 and MONDAY_9_KST.tzinfo is UTC
