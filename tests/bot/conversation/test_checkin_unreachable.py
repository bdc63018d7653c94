"""A resident whose check-ins were set aside (the bot could not reach them) writes again: the
conversation resumes them and says so. Driven through `Conversation.handle`."""

import asyncio

from sqlmodel import Session, select

from bot.checkins.dispatch import SendResult, dispatch_due
from bot.store.models import CheckinPlan, CheckinPlanStatus, Resident

from .conftest import text


def plan_and_resident(engine, user_id: int) -> tuple[CheckinPlan, Resident]:
    with Session(engine) as session:
        resident = session.exec(select(Resident).where(Resident.platform_user_id == user_id)).one()
        plan = session.exec(select(CheckinPlan).where(CheckinPlan.resident_id == resident.id)).one()
        return plan, resident


def _set_aside(person, engine, clock):
    mina = person()
    mina.onboard()
    mina.say("/checkin")
    mina.press("ck:days:daily")
    mina.press("ck:time:1000")  # it is Monday 10:00: the first check-in is Tuesday 10:00
    clock.advance(hours=23, minutes=30)
    blocked = lambda message: SendResult.BLOCKED  # noqa: E731
    asyncio.run(dispatch_due(engine=engine, now=clock(), send=blocked))
    clock.advance(minutes=30)
    asyncio.run(dispatch_due(engine=engine, now=clock(), send=blocked))
    plan, resident = plan_and_resident(engine, mina.user_id)
    assert plan.status == CheckinPlanStatus.UNREACHABLE and not resident.active
    return mina


def test_writing_to_the_bot_again_resumes_checkins_set_aside(person, engine, clock):
    mina = _set_aside(person, engine, clock)
    clock.advance(days=1)  # Wednesday 10:00: nothing was sent, they write
    reply = mina.say("안녕하세요")
    assert "다시 시작할게요" in text(reply) and "/checkin" in text(reply)
    plan, resident = plan_and_resident(engine, mina.user_id)
    assert plan.status == CheckinPlanStatus.ACTIVE and resident.active
    assert "다시 시작할게요" not in text(mina.say("/checkin"))  # said once


def test_any_command_or_button_resumes_them_too(person, engine, clock):
    mina = _set_aside(person, engine, clock)
    clock.advance(days=1)
    reply = mina.say("/menu")
    assert "다시 시작할게요" in text(reply)
    plan, resident = plan_and_resident(engine, mina.user_id)
    assert plan.status == CheckinPlanStatus.ACTIVE and resident.active
