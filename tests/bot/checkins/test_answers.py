"""Answers: buttons, free text, forged and foreign round ids, presses racing the send."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from bot.checkins.answers import alert_staff_for_help, open_round_id, record_answer
from bot.checkins.buttons import CheckinAction, checkin_button_data, parse_checkin_press
from bot.checkins.dispatch import dispatch_due
from bot.checkins.policy import InvalidAnswer, NotAllowed, RoundNotFound, RoundNotOpen
from bot.people.privacy import forget_resident
from bot.store.db import session_scope
from bot.store.models import CheckinAnswer, CheckinPlan, CheckinRoundStatus

from .conftest import Ticker, kst, only_round, outbox, planned, rounds_of, staff


def snapshot(engine, person):
    with Session(engine) as session:
        plan = session.exec(select(CheckinPlan).where(CheckinPlan.resident_id == person.id)).one()
    return [r.model_dump() for r in rounds_of(engine, person)], plan.model_dump()


async def sent_round(engine, person, transport):
    await Ticker(engine=engine, send=transport).run_until(kst(3, 9, 30), kst(3, 10))
    return only_round(engine, person)


async def test_buttons_answer_and_tell_the_conversation_what_next(engine, transport):
    person = planned(engine)
    rnd = await sent_round(engine, person, transport)
    with session_scope(engine) as session:
        outcome = record_answer(session=session, resident=person, round_id=rnd.id, answer="hard",
                                now=kst(3, 10, 3))
    assert outcome.answer == CheckinAnswer.HARD and outcome.next_step == "comfort"
    stored = only_round(engine, person)
    assert stored.status == CheckinRoundStatus.ANSWERED and stored.answered_at == kst(3, 10, 3)
    # "help" after "ok" is not lost; a text after a button does not replace it.
    with session_scope(engine) as session:
        record_answer(session=session, resident=person, round_id=rnd.id, answer="help", now=kst(3, 10, 4))
        record_answer(session=session, resident=person, round_id=rnd.id, answer="text", now=kst(3, 10, 5))
    stored = only_round(engine, person)
    assert stored.answer == CheckinAnswer.HELP and stored.answered_at == kst(3, 10, 3)


async def test_free_text_answers_the_latest_open_round(engine, transport):
    person = planned(engine)
    with session_scope(engine) as session:
        assert open_round_id(session=session, resident=person) is None
    rnd = await sent_round(engine, person, transport)
    with session_scope(engine) as session:
        found = open_round_id(session=session, resident=person)
        assert found == rnd.id
        outcome = record_answer(session=session, resident=person, round_id=found, answer="text",
                                now=kst(3, 11))
        assert outcome.next_step == "continue"
        assert open_round_id(session=session, resident=person) is None


async def test_forged_and_foreign_round_ids_are_refused_and_change_nothing(engine, transport):
    mina, jun = planned(engine, name="Mina"), planned(engine, name="Jun")
    await sent_round(engine, mina, transport)
    jun_round = only_round(engine, jun)
    before = snapshot(engine, mina), snapshot(engine, jun)
    cases = [
        (mina, jun_round.id, "ok", NotAllowed),  # another resident's round
        (mina, 999_999, "ok", RoundNotFound),  # forged
        (mina, "1", "ok", RoundNotFound),  # not even an int
        (mina, only_round(engine, mina).id, "maybe", InvalidAnswer),
    ]
    for person, round_id, value, error in cases:
        with pytest.raises(error):
            with session_scope(engine) as session:
                record_answer(session=session, resident=person, round_id=round_id, answer=value,
                              now=kst(3, 10, 30))
    with pytest.raises(NotAllowed):
        with session_scope(engine) as session:
            alert_staff_for_help(session=session, resident=mina, round_id=jun_round.id, now=kst(3, 10, 30))
    assert (snapshot(engine, mina), snapshot(engine, jun)) == before


async def test_a_round_not_sent_yet_cannot_be_answered(engine, transport):
    person = planned(engine)
    await Ticker(engine=engine, send=transport).tick(kst(3, 9, 30))  # materialised, not sent
    rnd = only_round(engine, person)
    with pytest.raises(RoundNotOpen):
        with session_scope(engine) as session:
            record_answer(session=session, resident=person, round_id=rnd.id, answer="ok", now=kst(3, 9, 31))
    assert only_round(engine, person).status == CheckinRoundStatus.SCHEDULED


async def test_a_press_that_beats_the_send_result_stands(engine):
    person = planned(engine)
    await dispatch_due(engine=engine, now=kst(3, 9, 30), send=lambda m: "delivered")

    def answers_at_once(message):
        # The resident presses while Telegram's answer is still on its way back.
        with session_scope(engine) as session:
            record_answer(session=session, resident=person, round_id=message.round_id, answer="ok",
                          now=kst(3, 10))
        return "delivered"

    await dispatch_due(engine=engine, now=kst(3, 10), send=answers_at_once)
    stored = only_round(engine, person)
    assert stored.status == CheckinRoundStatus.ANSWERED and stored.delivery == "delivered"
    assert stored.due_at is None
    report = await dispatch_due(engine=engine, now=kst(3, 12, 1), send=lambda m: "delivered")
    assert report.reminded == 0


def test_button_data_is_short_and_parsed_strictly():
    data = checkin_button_data(CheckinAction.REACHED, 2**62)
    assert len(data.encode()) <= 64
    assert parse_checkin_press("ci:ok:12").action == CheckinAction.OK
    assert parse_checkin_press("ci:cyes:7").target_id == 7
    for bad in ("ci:ok:012", "ci:ok:", "ci:boom:1", "ci:ok:1:2", " ci:ok:1", "bk:ok", "ci:ok:-1", ""):
        assert parse_checkin_press(bad) is None


async def test_forgetting_a_resident_removes_their_checkins(engine, transport):
    person = planned(engine)
    officer = staff(engine)
    await Ticker(engine=engine, send=transport).run_until(kst(3, 9, 30), kst(3, 14),
                                                          step=timedelta(minutes=5))
    assert outbox(engine, officer.telegram_id)
    with session_scope(engine) as session:
        forget_resident(session=session, resident_id=person.id, now=kst(3, 15))
    assert rounds_of(engine, person) == [] and outbox(engine, officer.telegram_id) == []
    with Session(engine) as session:
        assert session.exec(select(CheckinPlan)).all() == []
