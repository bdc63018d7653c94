"""The escalation ladder: reminder, staff and contact alert, visit needed, all clear, staff."""

from datetime import time, timedelta

import pytest
from sqlmodel import Session, select

from bot.checkins.answers import (
    NextStep,
    alert_staff_for_help,
    record_answer,
    staff_mark_reached,
    staff_mark_visit_needed,
)
from bot.checkins.plans import accept_invitation, invite_contact
from bot.checkins.policy import CheckinPolicy, NotAllowed
from bot.requests.bookings import create_booking
from bot.store.db import session_scope
from bot.store.models import CheckinAlert, CheckinPlan, CheckinRound, CheckinRoundStatus

from .conftest import (
    Ticker,
    button_data,
    kst,
    only_round,
    outbox,
    planned,
    resident,
    rounds_of,
    staff,
)


def answer(engine, person, round_id, value, now):
    with session_scope(engine) as session:
        return record_answer(session=session, resident=person, round_id=round_id, answer=value, now=now)


def with_contact(engine, person, *, name="Sujin", language="ko"):
    contact = resident(engine, name=name, language=language, district="yongsan")
    with session_scope(engine) as session:
        invitation = invite_contact(session=session, resident=person, contact_resident=contact,
                                    now=kst(3, 8))
        accept_invitation(session=session, contact_resident=contact, invitation_id=invitation.id,
                          now=kst(3, 8))
    return contact


def alerts_of(engine) -> list[CheckinAlert]:
    with Session(engine) as session:
        return list(session.exec(select(CheckinAlert).order_by(CheckinAlert.id)))


async def test_reminder_after_one_window_and_alert_after_the_second(engine, transport):
    person = planned(engine, name="Mina")
    officer = staff(engine)
    colleague = staff(engine, name="Officer Lee")
    elsewhere = staff(engine, district="yongsan")
    contact = with_contact(engine, person)
    ticker = Ticker(engine=engine, send=transport)
    await ticker.run_until(kst(3, 9, 30), kst(3, 11, 59))
    assert transport.of_kind("reminder") == []
    await ticker.tick(kst(3, 12, 0))
    [reminder] = transport.of_kind("reminder")
    assert reminder.resident_id == person.id
    assert only_round(engine, person).status == CheckinRoundStatus.REMINDED
    await ticker.run_until(kst(3, 12, 1), kst(3, 13, 59))
    assert outbox(engine, officer.telegram_id) == []
    report = await ticker.tick(kst(3, 14, 0))
    assert report.escalated == 1 and report.alerts_queued == 3
    round_id = only_round(engine, person).id
    for member in (officer, colleague):
        [alert] = outbox(engine, member.telegram_id)
        assert "Mina" in alert.text and "3/3 무응답" in alert.text
        assert button_data(alert) == [f"ci:reached:{round_id}", f"ci:visit:{round_id}"]
        assert [b["text"] for row in alert.buttons for b in row] == ["연락됐어요", "방문 필요"]
    assert outbox(engine, elsewhere.telegram_id) == []
    contact_messages = outbox(engine, contact.chat_id)
    assert "Mina" in contact_messages[-1].text and contact_messages[-1].buttons is None
    assert only_round(engine, person).status == CheckinRoundStatus.ESCALATED
    # Nothing more happens to this round by itself.
    await ticker.run_until(kst(3, 14, 1), kst(3, 20), step=timedelta(minutes=10))
    assert ticker.total("escalated") == 1 and len(transport.of_kind("reminder")) == 1


async def test_an_answer_in_time_alerts_no_one(engine, transport):
    person = planned(engine)
    officer = staff(engine)
    ticker = Ticker(engine=engine, send=transport)
    await ticker.run_until(kst(3, 9, 30), kst(3, 10, 30))
    outcome = answer(engine, person, only_round(engine, person).id, "ok", kst(3, 10, 31))
    assert outcome.next_step == NextStep.THANK and not outcome.late and outcome.all_clear_sent == 0
    await ticker.run_until(kst(3, 10, 31), kst(3, 15), step=timedelta(minutes=5))
    assert transport.of_kind("reminder") == [] and outbox(engine, officer.telegram_id) == []
    assert only_round(engine, person).status == CheckinRoundStatus.ANSWERED


async def test_an_answer_after_the_reminder_stops_the_ladder(engine, transport):
    person = planned(engine)
    officer = staff(engine)
    ticker = Ticker(engine=engine, send=transport)
    await ticker.run_until(kst(3, 9, 30), kst(3, 12, 30), step=timedelta(minutes=5))
    answer(engine, person, only_round(engine, person).id, "hard", kst(3, 12, 31))
    await ticker.run_until(kst(3, 12, 35), kst(3, 16), step=timedelta(minutes=5))
    assert outbox(engine, officer.telegram_id) == [] and ticker.total("escalated") == 0


async def test_a_late_answer_sends_the_all_clear_to_everyone_alerted(engine, transport):
    person = planned(engine, name="Mina")
    officers = [staff(engine), staff(engine)]
    contact = with_contact(engine, person, language="en")
    ticker = Ticker(engine=engine, send=transport)
    await ticker.run_until(kst(3, 9, 30), kst(3, 14, 0), step=timedelta(minutes=5))
    round_id = only_round(engine, person).id
    outcome = answer(engine, person, round_id, "ok", kst(3, 15))
    assert outcome.late and outcome.all_clear_sent == 3
    for member in officers:
        assert outbox(engine, member.telegram_id)[-1].text.startswith("✅ Mina님께서")
    assert outbox(engine, contact.chat_id)[-1].text.startswith("✅ Mina has answered")
    # Pressing again tells no one again.
    again = answer(engine, person, round_id, "ok", kst(3, 15, 1))
    assert again.already_answered and again.all_clear_sent == 0
    assert [a.kind for a in alerts_of(engine)].count("all_clear") == 3


async def test_three_missed_rounds_in_a_row_ask_for_a_visit(engine, transport):
    person = planned(engine)
    officer = staff(engine)
    ticker = Ticker(engine=engine, send=transport)
    for day in (3, 4):
        await ticker.run_until(kst(day, 9, 30), kst(day, 14, 0), step=timedelta(minutes=5))
    assert ticker.total("visit_needed") == 0
    second = outbox(engine, officer.telegram_id)[-1]
    assert "2번 연속" in second.text
    await ticker.run_until(kst(5, 9, 30), kst(5, 14, 0), step=timedelta(minutes=5))
    assert ticker.total("visit_needed") == 1 and ticker.total("escalated") == 3
    third = rounds_of(engine, person)[-1]
    assert third.status == CheckinRoundStatus.VISIT_NEEDED
    visit = outbox(engine, officer.telegram_id)[-1]
    assert "방문이 필요해요" in visit.text and "3번 연속" in visit.text
    assert button_data(visit) == [f"ci:reached:{third.id}"]
    assert [a.kind for a in alerts_of(engine)] == ["missed", "missed", "visit_needed"]


async def test_an_answer_starts_the_count_again(engine, transport):
    person = planned(engine)
    staff(engine)
    ticker = Ticker(engine=engine, send=transport, policy=CheckinPolicy(visit_needed_after_missed_rounds=2))
    await ticker.run_until(kst(3, 9, 30), kst(3, 14, 0), step=timedelta(minutes=5))
    await ticker.run_until(kst(4, 9, 30), kst(4, 10, 30), step=timedelta(minutes=5))
    answer(engine, person, rounds_of(engine, person)[-1].id, "ok", kst(4, 10, 31))
    await ticker.run_until(kst(5, 9, 30), kst(5, 14, 0), step=timedelta(minutes=5))
    assert ticker.total("escalated") == 2 and ticker.total("visit_needed") == 0
    with Session(engine) as session:
        assert session.exec(select(CheckinPlan)).one().missed_in_row == 1


async def test_staff_of_another_district_cannot_act_on_the_alert(engine, transport):
    person = planned(engine)
    staff(engine)
    stranger = staff(engine, district="yongsan")
    ticker = Ticker(engine=engine, send=transport)
    await ticker.run_until(kst(3, 9, 30), kst(3, 14, 0), step=timedelta(minutes=5))
    before = only_round(engine, person)
    for action in (staff_mark_reached, staff_mark_visit_needed):
        with pytest.raises(NotAllowed):
            with session_scope(engine) as session:
                action(session=session, staff=stranger, round_id=before.id, now=kst(3, 15))
    assert only_round(engine, person) == before


async def test_staff_reached_them_settles_it_and_tells_the_others(engine, transport):
    person = planned(engine)
    officer, colleague = staff(engine, name="Kim"), staff(engine, name="Lee")
    contact = with_contact(engine, person)
    ticker = Ticker(engine=engine, send=transport)
    await ticker.run_until(kst(3, 9, 30), kst(3, 14, 0), step=timedelta(minutes=5))
    round_id = only_round(engine, person).id
    with session_scope(engine) as session:
        outcome = staff_mark_reached(session=session, staff=officer, round_id=round_id, now=kst(3, 15))
    assert outcome.changed and outcome.status == CheckinRoundStatus.REACHED and outcome.notified == 2
    assert "Kim" in outbox(engine, colleague.telegram_id)[-1].text
    assert "Kim" in outbox(engine, contact.chat_id)[-1].text
    assert len(outbox(engine, officer.telegram_id)) == 1  # only the alert itself
    stored = only_round(engine, person)
    assert stored.status == CheckinRoundStatus.REACHED and stored.handled_by_staff_id == officer.id
    # A second press, by anyone of the district, changes nothing.
    with session_scope(engine) as session:
        again = staff_mark_reached(session=session, staff=colleague, round_id=round_id, now=kst(3, 16))
    assert not again.changed
    # The resident answering afterwards tells no one again.
    assert answer(engine, person, round_id, "ok", kst(3, 17)).all_clear_sent == 0


async def test_staff_visit_needed_tells_the_district(engine, transport):
    person = planned(engine)
    officer, colleague = staff(engine, name="Kim"), staff(engine, name="Lee")
    ticker = Ticker(engine=engine, send=transport)
    await ticker.run_until(kst(3, 9, 30), kst(3, 14, 0), step=timedelta(minutes=5))
    round_id = only_round(engine, person).id
    with session_scope(engine) as session:
        outcome = staff_mark_visit_needed(session=session, staff=officer, round_id=round_id, now=kst(3, 15))
    assert outcome.changed and outcome.notified == 1
    assert only_round(engine, person).status == CheckinRoundStatus.VISIT_NEEDED
    note = outbox(engine, colleague.telegram_id)[-1]
    assert "Kim" in note.text and button_data(note) == [f"ci:reached:{round_id}"]
    # The resident answers at last: everyone alerted hears it.
    assert answer(engine, person, round_id, "text", kst(3, 18)).all_clear_sent == 2


async def test_help_offers_choices_and_alerts_staff_only_when_asked(engine, transport):
    person = planned(engine, name="Mina")
    officer = staff(engine)
    with session_scope(engine) as session:
        create_booking(session=session, resident=person, program_id="seocho.health119",
                       preferred_date=kst(5, 12).date(), time_window="morning",
                       phone="01012345678", request_key="k-1", now=kst(3, 9))
    ticker = Ticker(engine=engine, send=transport)
    await ticker.run_until(kst(3, 9, 30), kst(3, 10, 1))
    round_id = only_round(engine, person).id
    outcome = answer(engine, person, round_id, "help", kst(3, 10, 5))
    assert outcome.next_step == NextStep.OFFER_HELP
    assert outbox(engine, officer.telegram_id) == []
    with session_scope(engine) as session:
        assert alert_staff_for_help(session=session, resident=person, round_id=round_id,
                                    now=kst(3, 10, 6)) == 1
        assert alert_staff_for_help(session=session, resident=person, round_id=round_id,
                                    now=kst(3, 10, 7)) == 0
    [alert] = outbox(engine, officer.telegram_id)
    assert "도움이 필요해요" in alert.text and "010-1234-5678" in alert.text
    assert button_data(alert) == [f"ci:reached:{round_id}"]
    with session_scope(engine) as session:
        taken = staff_mark_reached(session=session, staff=officer, round_id=round_id, now=kst(3, 11))
    assert taken.changed and taken.status == CheckinRoundStatus.ANSWERED


async def test_staff_read_alerts_in_their_own_language(engine, transport):
    person = planned(engine, name="Mina")
    english_officer = staff(engine)
    from bot.people.residents import register_resident
    with session_scope(engine) as session:  # the officer also uses the bot, in English
        register_resident(session=session, platform_user_id=english_officer.telegram_id,
                          chat_id=english_officer.telegram_id, first_name="Jay", language="en",
                          district="seocho", now=kst(3, 8))
    ticker = Ticker(engine=engine, send=transport)
    await ticker.run_until(kst(3, 9, 30), kst(3, 14, 0), step=timedelta(minutes=5))
    [alert] = outbox(engine, english_officer.telegram_id)
    assert alert.text.startswith("⚠️ No answer") and "Mon 3 Mar 10:00" in alert.text
    assert [b["text"] for row in alert.buttons for b in row] == ["Reached them", "Visit needed"]
    assert transport.sent[0].text.startswith("Mina님") and rounds_of(engine, person)


async def test_english_residents_get_english_buttons(engine, transport):
    planned(engine, name="Tom", language="en", at=time(10))
    ticker = Ticker(engine=engine, send=transport)
    await ticker.run_until(kst(3, 9, 30), kst(3, 10))
    [message] = transport.sent
    assert message.text.startswith("Hello Tom!")
    assert [row[0]["text"] for row in message.buttons] == ["I'm fine 😊", "I need help", "Today is hard"]
    assert [row[0]["data"] for row in message.buttons] == [
        f"ci:ok:{message.round_id}", f"ci:help:{message.round_id}", f"ci:hard:{message.round_id}"]


async def test_an_unanswered_round_of_yesterday_is_cleared_by_todays_answer(engine, transport):
    person = planned(engine)
    officer = staff(engine)
    ticker = Ticker(engine=engine, send=transport)
    await ticker.run_until(kst(3, 9, 30), kst(3, 14, 0), step=timedelta(minutes=5))
    await ticker.run_until(kst(4, 9, 30), kst(4, 10, 0), step=timedelta(minutes=5))
    yesterday, today = rounds_of(engine, person)
    outcome = answer(engine, person, today.id, "ok", kst(4, 10, 5))
    assert not outcome.late and outcome.all_clear_sent == 1
    assert outbox(engine, officer.telegram_id)[-1].text.startswith("✅")
    with Session(engine) as session:
        assert session.get(CheckinRound, yesterday.id).all_clear_at == kst(4, 10, 5)


async def test_people_who_left_are_not_told_the_all_clear(engine, transport):
    from bot.people.privacy import forget_resident
    from bot.people.staff import remove_staff

    person = planned(engine, name="Mina")
    leaving, staying = staff(engine), staff(engine)
    contact = with_contact(engine, person)
    ticker = Ticker(engine=engine, send=transport)
    await ticker.run_until(kst(3, 9, 30), kst(3, 14, 0), step=timedelta(minutes=5))
    assert {a.chat_id for a in alerts_of(engine)} == {leaving.telegram_id, staying.telegram_id,
                                                     contact.chat_id}
    with session_scope(engine) as session:
        remove_staff(session=session, telegram_id=leaving.telegram_id)
        forget_resident(session=session, resident_id=contact.id, now=kst(3, 14, 30))
    # No trace of the contact remains in the alerts (their chat id is personal data).
    assert contact.chat_id not in {a.chat_id for a in alerts_of(engine)}
    outcome = answer(engine, person, only_round(engine, person).id, "ok", kst(3, 15))
    assert outcome.all_clear_sent == 1
    assert outbox(engine, staying.telegram_id)[-1].text.startswith("✅")
    assert len(outbox(engine, leaving.telegram_id)) == 1  # the alert only
