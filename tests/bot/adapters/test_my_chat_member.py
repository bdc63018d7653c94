"""A resident blocking the bot is noticed at once (Telegram's my_chat_member update), not at the
next failed send: they are unreachable, their check-ins set aside, their district's staff told
once; letting the bot back in makes them reachable again. Through the real Application."""

from __future__ import annotations

from datetime import time

from sqlmodel import Session, select

from bot.adapters.telegram import ALLOWED_UPDATES
from bot.checkins.plans import start_checkins
from bot.people.residents import mark_unreachable
from bot.people.staff import add_staff
from bot.store.db import session_scope
from bot.store.models import CheckinPlan, CheckinPlanStatus, OutboxMessage, Resident

from .conftest import START, add_resident, make_my_chat_member_update

OFFICER = 8801


def with_checkins(engine, user_id: int) -> Resident:
    resident = add_resident(engine, user_id=user_id)
    with session_scope(engine) as session:
        start_checkins(session=session, resident=resident, days=set(range(7)), at=time(10), now=START)
    return resident


def officer(engine, telegram_id: int = OFFICER) -> None:
    with session_scope(engine) as session:
        add_staff(session=session, telegram_id=telegram_id, district="seocho", name="Officer Kim",
                  known_districts={"seocho"}, now=START)


def resident_of(engine, user_id: int) -> Resident:
    with Session(engine) as session:
        return session.exec(select(Resident).where(Resident.platform_user_id == user_id)).one()


def plan_of(engine, resident: Resident) -> CheckinPlan:
    with Session(engine) as session:
        return session.exec(select(CheckinPlan).where(CheckinPlan.resident_id == resident.id)).one()


def outbox_to(engine, chat_id: int) -> list[str]:
    with Session(engine) as session:
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.chat_id == chat_id)
                            .order_by(OutboxMessage.id)).all()
        return [row.text for row in rows]


def test_the_bot_asks_telegram_for_membership_updates():
    assert "my_chat_member" in ALLOWED_UPDATES
    assert len(ALLOWED_UPDATES) == len(set(ALLOWED_UPDATES))


async def test_blocking_marks_the_resident_unreachable_and_tells_staff_once(app, engine, conversation, fake_api):
    resident = with_checkins(engine, 3101)
    officer(engine)

    await app.process_update(make_my_chat_member_update("kicked", user_id=3101, bot=app.bot))

    assert resident_of(engine, 3101).active is False
    plan = plan_of(engine, resident)
    assert plan.status == CheckinPlanStatus.UNREACHABLE and plan.next_due_at is None
    [alert] = outbox_to(engine, OFFICER)
    assert "📵" in alert and "Mina" in alert and "차단" in alert
    assert conversation.received == []  # not a turn of the conversation
    assert fake_api.called("sendMessage") == []  # staff hear through the outbox, not here

    # The same update again (a retry, a replay): nothing more.
    await app.process_update(make_my_chat_member_update("kicked", user_id=3101, bot=app.bot))
    assert len(outbox_to(engine, OFFICER)) == 1


async def test_letting_the_bot_back_in_makes_them_reachable_and_staff_hear_it_once(app, engine):
    resident = with_checkins(engine, 3102)
    officer(engine)
    await app.process_update(make_my_chat_member_update("kicked", user_id=3102, bot=app.bot))

    await app.process_update(make_my_chat_member_update("member", user_id=3102, bot=app.bot))

    assert resident_of(engine, 3102).active is True
    plan = plan_of(engine, resident)
    assert plan.status == CheckinPlanStatus.ACTIVE and plan.next_due_at is not None
    blocked, back = outbox_to(engine, OFFICER)
    assert "📵" in blocked and "✅" in back and "Mina" in back
    [note] = outbox_to(engine, 3102)  # the resident hears their check-ins are on again
    assert "안부" in note and "/checkin" in note

    await app.process_update(make_my_chat_member_update("member", user_id=3102, bot=app.bot))
    assert len(outbox_to(engine, OFFICER)) == 2 and len(outbox_to(engine, 3102)) == 1


async def test_without_checkins_only_the_resident_is_marked(app, engine):
    add_resident(engine, user_id=3103)
    officer(engine)
    await app.process_update(make_my_chat_member_update("kicked", user_id=3103, bot=app.bot))
    assert resident_of(engine, 3103).active is False
    await app.process_update(make_my_chat_member_update("member", user_id=3103, bot=app.bot))
    assert resident_of(engine, 3103).active is True
    assert outbox_to(engine, OFFICER) == [] and outbox_to(engine, 3103) == []


async def test_a_block_already_known_from_a_failed_send_is_not_reported_again(app, engine):
    with_checkins(engine, 3104)
    officer(engine)
    with session_scope(engine) as session:  # a 403 on a reply got there first
        mark_unreachable(session=session, chat_id=3104, now=START)
    await app.process_update(make_my_chat_member_update("kicked", user_id=3104, bot=app.bot))
    assert outbox_to(engine, OFFICER) == []


async def test_updates_that_are_not_the_residents_own_choice_change_nothing(app, engine):
    with_checkins(engine, 3105)
    officer(engine)
    someone_else = {"id": 999, "is_bot": False, "first_name": "Other"}
    for update in (
        make_my_chat_member_update("kicked", user_id=3105, chat_id=-100500, chat_type="group", bot=app.bot),
        make_my_chat_member_update("kicked", user_id=3105, about_user=someone_else, bot=app.bot),
        make_my_chat_member_update("kicked", user_id=4000, chat_id=3105, bot=app.bot),  # not their chat
    ):
        await app.process_update(update)
    assert resident_of(engine, 3105).active is True
    assert outbox_to(engine, OFFICER) == []


async def test_a_stranger_blocking_the_bot_changes_nothing(app, engine):
    officer(engine)
    await app.process_update(make_my_chat_member_update("kicked", user_id=3106, bot=app.bot))
    await app.process_update(make_my_chat_member_update("member", user_id=3106, bot=app.bot))
    with Session(engine) as session:
        assert session.exec(select(OutboxMessage)).all() == []
