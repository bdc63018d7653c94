"""When the Monday chart goes out: only on a Monday from 09:00 Korean time, catching up later
that Monday but never on another weekday (a Saturday 01:15 chart was seen after a restart).

The hourly job runs with a clock the test moves, as the Telegram application runs it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from bot.reports import weekly_chart
from bot.store.models import OutboxMessage, WeeklyChart

from .conftest import DISTRICT, kst


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _charts(engine) -> list[tuple[str, str]]:
    # A session of its own, closed at once: the tests' store is one shared connection, and the
    # job's next transaction must not find this read's still open.
    with Session(engine) as reader:
        return [(chart.district, chart.week_start.isoformat())
                for chart in reader.exec(select(WeeklyChart).order_by(WeeklyChart.id))]


def _outbox_size(engine) -> int:
    with Session(engine) as reader:
        return len(reader.exec(select(OutboxMessage.id)).all())


async def test_the_hourly_job_sends_only_on_monday_from_nine_korean_time(engine, session, catalog, make_staff):
    make_staff(district=DISTRICT, name="Officer Lee")
    session.commit()
    # Tuesday 00:15 KST, 27 October 2026: the bot starts mid-week, well after that Monday 09:00.
    clock = Clock(kst(2026, 10, 27, 0, 15))
    run = weekly_chart.weekly_chart_job(engine=engine, catalog=catalog, clock=clock)
    seen_at: list[datetime] = []
    # Hourly, for a week and a half: through Saturday 01:15 (the catching-up seen before) and
    # Sunday, to Monday 2 November: nothing until 09:15 that Monday, then once.
    while clock.now <= kst(2026, 11, 5, 0, 15):
        before = len(_charts(engine))
        await run(None)
        if len(_charts(engine)) > before:
            seen_at.append(clock.now)
        clock.now += timedelta(hours=1)
    assert seen_at == [kst(2026, 11, 2, 9, 15)]
    assert _charts(engine) == [(DISTRICT, "2026-11-02")]
    assert _outbox_size(engine) == 1


async def test_a_monday_missed_at_nine_is_caught_up_that_monday_only(engine, session, catalog, make_staff):
    make_staff(district=DISTRICT)
    session.commit()
    clock = Clock(kst(2026, 11, 2, 8, 59))  # Monday
    run = weekly_chart.weekly_chart_job(engine=engine, catalog=catalog, clock=clock)
    await run(None)
    assert _charts(engine) == []
    clock.now = kst(2026, 11, 2, 23, 59)  # down from 09:00, back just before midnight
    await run(None)
    assert _charts(engine) == [(DISTRICT, "2026-11-02")]

    # The next Monday, the bot is down all day: Tuesday to Sunday send nothing for that week.
    for day in range(10, 16):
        for hour in (0, 1, 9, 12, 23):
            clock.now = kst(2026, 11, day, hour, 15)
            await run(None)
    assert _charts(engine) == [(DISTRICT, "2026-11-02")]
    clock.now = kst(2026, 11, 16, 9, 0)  # the Monday after: its own chart, on time
    await run(None)
    assert _charts(engine) == [(DISTRICT, "2026-11-02"), (DISTRICT, "2026-11-16")]


def test_monday_nine_is_korean_time_not_utc(session, catalog, texts, make_staff):
    make_staff(district=DISTRICT)
    # Monday 09:00 UTC is 18:00 KST Monday: due. Sunday 23:30 UTC is Monday 08:30 KST: not yet;
    # Monday 16:00 UTC is already Tuesday 01:00 KST: too late for that week.
    assert weekly_chart.queue_weekly_charts(session, catalog, kst(2026, 11, 2, 8, 30), texts) == 0
    assert weekly_chart.queue_weekly_charts(session, catalog, kst(2026, 11, 3, 1, 0), texts) == 0
    assert weekly_chart.queue_weekly_charts(session, catalog, kst(2026, 11, 2, 18, 0), texts) == 1
