"""Opting in, changing, pausing, resuming and stopping check-ins."""

from datetime import date, time, timedelta

import pytest

from bot.checkins.plans import get_plan, pause_checkins, resume_checkins, start_checkins, stop_checkins
from bot.checkins.policy import InvalidPlan, NoPlan
from bot.store.db import session_scope
from bot.store.models import CheckinPlanStatus, CheckinRoundStatus

from .conftest import MONDAY_9_KST, kst, only_round, planned, resident, rounds_of


def test_start_gives_the_next_planned_time_and_repeating_changes_nothing(engine):
    person = resident(engine)
    with session_scope(engine) as session:
        view = start_checkins(session=session, resident=person, days={0, 2, 4}, at=time(19, 0, 42),
                              now=MONDAY_9_KST)
    assert view.status == CheckinPlanStatus.ACTIVE
    assert view.days == {0, 2, 4} and view.at == time(19) and view.tz == "Asia/Seoul"
    assert view.next_checkin_at == kst(3, 19)
    assert view.next_checkin_local.hour == 19
    with session_scope(engine) as session:
        again = start_checkins(session=session, resident=person, days={4, 2, 0}, at=time(19),
                               now=MONDAY_9_KST + timedelta(hours=1))
        assert again == view


async def test_changing_the_plan_after_materialising_sends_only_the_new_time(engine, ticker, transport):
    person = planned(engine)  # daily 10:00
    await ticker.tick(kst(3, 9, 30))  # materialises the 10:00 round (one hour ahead)
    assert only_round(engine, person).scheduled_for == kst(3, 10)
    with session_scope(engine) as session:
        view = start_checkins(session=session, resident=person, days={0, 1, 2, 3, 4, 5, 6},
                              at=time(10, 30), now=kst(3, 9, 40))
    assert view.next_checkin_at == kst(3, 10, 30)
    await ticker.run_until(kst(3, 9, 41), kst(3, 11))
    assert [m.scheduled_for for m in transport.of_kind("checkin")] == [kst(3, 10, 30)]


async def test_changing_back_to_a_time_already_materialised_still_sends_it(engine, ticker, transport):
    person = planned(engine)
    await ticker.tick(kst(3, 9, 30))
    with session_scope(engine) as session:
        start_checkins(session=session, resident=person, days={0}, at=time(11), now=kst(3, 9, 31))
        start_checkins(session=session, resident=person, days={0, 1}, at=time(10), now=kst(3, 9, 32))
    await ticker.run_until(kst(3, 9, 33), kst(3, 10, 5))
    assert [m.scheduled_for for m in transport.of_kind("checkin")] == [kst(3, 10)]


def test_invalid_plans_are_refused(engine):
    person = resident(engine)
    with session_scope(engine) as session:
        for kwargs, field_name in [
            ({"days": set(), "at": time(10)}, "days"),
            ({"days": {8}, "at": time(10)}, "days"),
            ({"days": {1}, "at": "10:00"}, "at"),
            ({"days": {1}, "at": time(10, tzinfo=MONDAY_9_KST.tzinfo)}, "at"),
            ({"days": {1}, "at": time(10), "tz": "Seoul/Gangnam"}, "tz"),
        ]:
            with pytest.raises(InvalidPlan) as caught:
                start_checkins(session=session, resident=person, now=MONDAY_9_KST, **kwargs)
            assert caught.value.field_name == field_name
        assert get_plan(session=session, resident=person) is None


async def test_pause_until_sunday_then_it_resumes_by_itself(engine, ticker, transport):
    person = planned(engine, days={0, 2, 4}, at=time(19))  # Mon/Wed/Fri 19:00
    with session_scope(engine) as session:
        view = pause_checkins(session=session, resident=person, until=date(2025, 3, 9),
                              now=MONDAY_9_KST)
    assert view.status == CheckinPlanStatus.PAUSED and view.paused_until == date(2025, 3, 9)
    assert view.next_checkin_at == kst(10, 19)
    await ticker.run_until(kst(3, 9), kst(10, 20), step=timedelta(minutes=30))
    assert [m.scheduled_for for m in transport.of_kind("checkin")] == [kst(10, 19)]
    with session_scope(engine) as session:
        assert get_plan(session=session, resident=person).status == CheckinPlanStatus.ACTIVE


async def test_pausing_closes_the_round_waiting_for_an_answer(engine, ticker, transport):
    person = planned(engine)
    await ticker.run_until(kst(3, 9), kst(3, 10, 5))
    assert only_round(engine, person).status == CheckinRoundStatus.AWAITING
    with session_scope(engine) as session:
        pause_checkins(session=session, resident=person, until=date(2025, 3, 4), now=kst(3, 10, 6))
    await ticker.run_until(kst(3, 10, 7), kst(3, 16), step=timedelta(minutes=5))
    assert only_round(engine, person).status == CheckinRoundStatus.CANCELLED
    assert transport.of_kind("reminder") == [] and ticker.total("escalated") == 0


def test_pause_checks_its_date_and_needs_a_plan(engine):
    person = resident(engine)
    with session_scope(engine) as session:
        with pytest.raises(NoPlan):
            pause_checkins(session=session, resident=person, until=date(2025, 3, 9), now=MONDAY_9_KST)
        start_checkins(session=session, resident=person, days={0}, at=time(10), now=MONDAY_9_KST)
        with pytest.raises(InvalidPlan):
            pause_checkins(session=session, resident=person, until=date(2025, 3, 2), now=MONDAY_9_KST)
        with pytest.raises(InvalidPlan):
            pause_checkins(session=session, resident=person, until=date(2027, 1, 1), now=MONDAY_9_KST)
        # "Until today" skips today's check-in.
        view = pause_checkins(session=session, resident=person, until=date(2025, 3, 3), now=MONDAY_9_KST)
        assert view.next_checkin_at == kst(10, 10)


async def test_resume_ends_the_pause_now(engine, ticker, transport):
    person = planned(engine)
    with session_scope(engine) as session:
        pause_checkins(session=session, resident=person, until=date(2025, 3, 20), now=MONDAY_9_KST)
        view = resume_checkins(session=session, resident=person, now=kst(4, 9))
    assert view.status == CheckinPlanStatus.ACTIVE and view.paused_until is None
    assert view.next_checkin_at == kst(4, 10)
    await ticker.run_until(kst(4, 9), kst(4, 10, 1))
    assert [m.scheduled_for for m in transport.of_kind("checkin")] == [kst(4, 10)]


async def test_stop_removes_what_is_not_sent_and_keeps_the_past(engine, ticker, transport):
    person = planned(engine)
    await ticker.run_until(kst(3, 9), kst(3, 10, 1))
    await ticker.run_until(kst(4, 9), kst(4, 9, 30))  # tomorrow's round is materialised
    assert len(rounds_of(engine, person)) == 2
    with session_scope(engine) as session:
        assert stop_checkins(session=session, resident=person, now=kst(4, 9, 31)) is True
        assert stop_checkins(session=session, resident=person, now=kst(4, 9, 32)) is False
        view = get_plan(session=session, resident=person)
    assert view.status == CheckinPlanStatus.STOPPED and view.next_checkin_at is None
    await ticker.run_until(kst(4, 9, 33), kst(6, 12), step=timedelta(minutes=15))
    assert len(transport.of_kind("checkin")) == 1
    # Yesterday's round stays as a record (closed by the stop, it was waiting for an answer).
    assert [r.status for r in rounds_of(engine, person)] == [CheckinRoundStatus.CANCELLED]
    with session_scope(engine) as session:
        with pytest.raises(NoPlan):
            resume_checkins(session=session, resident=person, now=kst(6, 12))
        # Starting again revives the same plan.
        start_checkins(session=session, resident=person, days={3}, at=time(9), now=kst(6, 12))
        assert get_plan(session=session, resident=person).next_checkin_at == kst(13, 9)


async def test_plans_in_several_zones_each_follow_their_clock(engine, ticker, transport):
    seoul = planned(engine, at=time(10), days={0})  # Monday 10:00 KST = Monday 01:00 UTC
    new_york = planned(engine, at=time(10), days={0}, tz="America/New_York")  # Mon 15:00 UTC
    await ticker.run_until(kst(3, 9), kst(4, 1), step=timedelta(minutes=5))
    by_resident = {m.resident_id: m.scheduled_for for m in transport.of_kind("checkin")}
    assert by_resident == {seoul.id: kst(3, 10), new_york.id: kst(4, 0)}
