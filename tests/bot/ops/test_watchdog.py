"""The check-in watchdog (bot.ops.watchdog): staff of every district told once when check-ins
stall and once when they go out again, through the outbox, in their language."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from bot.ops.job_watch import JobWatch
from bot.ops.watchdog import STALL_AFTER, CheckinStallAlarm, staff_text
from bot.people.residents import register_resident
from bot.people.staff import add_staff
from bot.store.db import session_scope
from bot.store.models import OutboxMessage

from .test_job_watch import START, Clock

KO_STAFF, EN_STAFF, UNKNOWN_STAFF = 801, 802, 803


@pytest.fixture
def staff(engine):
    with session_scope(engine) as session:
        districts = {"seocho", "yongsan", "gwangjin"}
        add_staff(session=session, telegram_id=KO_STAFF, district="seocho", name="Kim",
                  known_districts=districts, now=START)
        add_staff(session=session, telegram_id=EN_STAFF, district="yongsan", name="Lee",
                  known_districts=districts, now=START)
        add_staff(session=session, telegram_id=UNKNOWN_STAFF, district="gwangjin", name="Park",
                  known_districts=districts, now=START)
        # Two of them use the bot as residents too: their language is known.
        register_resident(session=session, platform_user_id=KO_STAFF, chat_id=KO_STAFF, first_name="K",
                          language="ko", district="seocho", now=START)
        register_resident(session=session, platform_user_id=EN_STAFF, chat_id=EN_STAFF, first_name="L",
                          language="en", district="yongsan", now=START)


def outbox(engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))


class Checkins:
    """A check-in job that can be broken and mended."""

    def __init__(self) -> None:
        self.broken = False

    async def __call__(self, _context) -> None:
        if self.broken:
            raise RuntimeError("tick failed")


async def run_for(seconds: int, clock: Clock, checkins, alarm, step: int = 30) -> None:
    for _ in range(seconds // step):
        clock.advance(step)
        try:
            await checkins(None)
        except RuntimeError:
            pass
        await alarm(None)


async def test_staff_are_told_once_of_a_stall_and_once_of_the_recovery(engine, staff):
    clock = Clock()
    watch = JobWatch(clock=clock)
    dispatcher = Checkins()
    checkins = watch.watched("checkins", dispatcher, interval=60)
    alarm = CheckinStallAlarm(engine=engine, job_watch=watch, clock=clock)

    await run_for(30 * 60, clock, checkins, alarm)  # all well
    assert outbox(engine) == []

    dispatcher.broken = True
    await run_for(9 * 60 + 30, clock, checkins, alarm)
    assert outbox(engine) == [] and not alarm.stalled  # not yet ten minutes
    await run_for(30 * 60, clock, checkins, alarm)  # ten minutes, then twenty more
    told = outbox(engine)
    assert sorted(m.chat_id for m in told) == [KO_STAFF, EN_STAFF, UNKNOWN_STAFF]  # every district, once
    texts = {m.chat_id: m.text for m in told}
    assert texts[KO_STAFF] == staff_text("stalled", "ko", minutes=10)
    assert texts[EN_STAFF] == staff_text("stalled", "en", minutes=10)
    assert "10분" in texts[UNKNOWN_STAFF] and "10 minutes" in texts[UNKNOWN_STAFF]  # both languages
    assert all(m.resident_id is None for m in told)

    dispatcher.broken = False
    await run_for(60 * 60, clock, checkins, alarm)
    recovered = outbox(engine)[len(told):]
    assert sorted(m.chat_id for m in recovered) == [KO_STAFF, EN_STAFF, UNKNOWN_STAFF]
    assert {m.chat_id: m.text for m in recovered}[EN_STAFF] == staff_text("recovered", "en", minutes=40)
    assert not alarm.stalled

    dispatcher.broken = True  # a second stall is a second message
    await run_for(11 * 60, clock, checkins, alarm)
    assert len(outbox(engine)) == 9


async def test_a_stall_the_outbox_could_not_take_is_told_on_the_next_run(engine, staff, monkeypatch):
    clock = Clock()
    watch = JobWatch(clock=clock)
    watch.watched("checkins", Checkins(), interval=60)  # never runs
    alarm = CheckinStallAlarm(engine=engine, job_watch=watch, clock=clock)
    clock.advance(60 + STALL_AFTER.total_seconds())

    def refused(**_values):
        raise RuntimeError("database is locked")

    monkeypatch.setattr("bot.ops.watchdog.enqueue_message", refused)
    with pytest.raises(RuntimeError):
        await alarm(None)
    assert not alarm.stalled and outbox(engine) == []
    monkeypatch.undo()
    clock.advance(30)
    await alarm(None)
    assert alarm.stalled and len(outbox(engine)) == 3


async def test_with_a_long_tick_staff_are_told_only_once_the_job_is_late(engine, staff):
    clock = Clock()
    watch = JobWatch(clock=clock, grace=timedelta(seconds=60))
    watch.watched("checkins", Checkins(), interval=600)  # ten-minute ticks: ten minutes is normal
    alarm = CheckinStallAlarm(engine=engine, job_watch=watch, clock=clock)
    clock.advance(600 + 3 * 600 + 60)
    await alarm(None)
    assert outbox(engine) == []
    clock.advance(1)
    await alarm(None)
    assert len(outbox(engine)) == 3


async def test_the_alarm_refuses_to_guard_a_job_that_is_not_watched(engine):
    alarm = CheckinStallAlarm(engine=engine, job_watch=JobWatch(clock=Clock()), clock=Clock())
    with pytest.raises(RuntimeError, match="not watched"):
        await alarm(None)
