"""Residents the bot cannot reach (blocked it): staff told once, the plan set aside until they
write again; and pausing or stopping in the bot clears an alert staff are still acting on."""

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from bot.checkins.dispatch import SendResult
from bot.checkins.plans import pause_checkins, stop_checkins
from bot.checkins.reach import resume_if_reachable
from bot.people.residents import update_resident
from bot.store.db import session_scope
from bot.store.models import (
    CheckinAlert,
    CheckinDelivery,
    CheckinPlan,
    CheckinPlanStatus,
    CheckinRoundStatus,
    Resident,
)

from .conftest import Ticker, button_data, kst, only_round, outbox, planned, rounds_of, staff


def plan_of(engine, person) -> CheckinPlan:
    with Session(engine) as session:
        return session.exec(select(CheckinPlan).where(CheckinPlan.resident_id == person.id)).one()


async def test_a_blocked_resident_is_reported_once_and_their_checkins_set_aside(engine, transport):
    person = planned(engine, name="Mina")
    officer = staff(engine)
    transport.results[person.chat_id] = SendResult.BLOCKED
    ticker = Ticker(engine=engine, send=transport)
    await ticker.run_until(kst(3, 9, 30), kst(3, 14, 1), step=timedelta(minutes=5))
    with Session(engine) as session:
        assert session.get(Resident, person.id).active is False
    stored = only_round(engine, person)
    assert stored.delivery == CheckinDelivery.BLOCKED and stored.status == CheckinRoundStatus.ESCALATED
    assert transport.of_kind("reminder") == []  # nobody to remind
    assert ticker.total("escalated") == 1  # a blocked resident counts as not answered
    [alert] = outbox(engine, officer.telegram_id)
    assert "📵" in alert.text and "Mina" in alert.text and "전화로" in alert.text
    assert button_data(alert) == [f"ci:reached:{stored.id}", f"ci:visit:{stored.id}"]
    plan = plan_of(engine, person)
    assert plan.status == CheckinPlanStatus.UNREACHABLE and plan.next_due_at is None
    # The following days: nothing is made, sent or escalated, and staff hear nothing more.
    await ticker.run_until(kst(4, 9, 30), kst(6, 15), step=timedelta(minutes=15))
    assert len(rounds_of(engine, person)) == 1 and len(transport.of_kind("checkin")) == 1
    assert ticker.total("escalated") == 1 and len(outbox(engine, officer.telegram_id)) == 1


async def test_a_reminder_that_bounces_sets_the_plan_aside_too(engine, transport):
    person = planned(engine)
    officer = staff(engine)
    ticker = Ticker(engine=engine, send=transport)
    await ticker.run_until(kst(3, 9, 30), kst(3, 11, 55), step=timedelta(minutes=5))
    transport.results[person.chat_id] = SendResult.BLOCKED  # blocked after the check-in
    await ticker.run_until(kst(3, 12), kst(3, 14, 0), step=timedelta(minutes=5))
    assert plan_of(engine, person).status == CheckinPlanStatus.UNREACHABLE
    [alert] = outbox(engine, officer.telegram_id)
    assert "📵" in alert.text
    await ticker.run_until(kst(4, 9, 30), kst(4, 15), step=timedelta(minutes=15))
    assert len(rounds_of(engine, person)) == 1 and len(outbox(engine, officer.telegram_id)) == 1


async def test_writing_again_resumes_the_checkins(engine, transport):
    person = planned(engine)
    transport.results[person.chat_id] = SendResult.BLOCKED
    ticker = Ticker(engine=engine, send=transport)
    await ticker.run_until(kst(3, 9, 30), kst(3, 10, 5))
    assert plan_of(engine, person).status == CheckinPlanStatus.UNREACHABLE
    with session_scope(engine) as session:
        mina = session.get(Resident, person.id)
        # Still marked unreachable: nothing to resume yet.
        assert resume_if_reachable(session=session, resident=mina, now=kst(4, 8)) is None
        # The conversation marks a resident who writes again active, then resumes.
        update_resident(session=session, resident=mina, now=kst(4, 8), active=True)
        assert resume_if_reachable(session=session, resident=mina, now=kst(4, 8)) == kst(4, 10)
        assert resume_if_reachable(session=session, resident=mina, now=kst(4, 8)) is None
    del transport.results[person.chat_id]
    await ticker.run_until(kst(4, 9, 30), kst(4, 10))
    assert [m.scheduled_for for m in transport.of_kind("checkin")] == [kst(3, 10), kst(4, 10)]


@pytest.mark.parametrize("how", ["pause", "stop"])
async def test_pausing_or_stopping_clears_an_alert_staff_got(engine, transport, how):
    person = planned(engine, name="Mina")
    officers = [staff(engine), staff(engine, name="Officer Lee")]
    ticker = Ticker(engine=engine, send=transport)
    await ticker.run_until(kst(3, 9, 30), kst(3, 14, 0), step=timedelta(minutes=5))
    assert only_round(engine, person).status == CheckinRoundStatus.ESCALATED
    with session_scope(engine) as session:
        if how == "pause":
            pause_checkins(session=session, resident=person, until=date(2025, 3, 9), now=kst(3, 15))
        else:
            stop_checkins(session=session, resident=person, now=kst(3, 15))
    for member in officers:
        cleared = outbox(engine, member.telegram_id)[-1]
        assert cleared.text.startswith("✅ Mina님께서") and cleared.buttons is None
    with Session(engine) as session:
        kinds = [a.kind for a in session.exec(select(CheckinAlert))]
    assert kinds.count("all_clear") == 2
    assert only_round(engine, person).all_clear_at == kst(3, 15)
    # Said once: pausing again (or stopping after the pause) tells no one again.
    with session_scope(engine) as session:
        stop_checkins(session=session, resident=person, now=kst(3, 16))
    assert all(len(outbox(engine, m.telegram_id)) == 2 for m in officers)
