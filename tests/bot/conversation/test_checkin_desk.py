"""/checkin and the answers to a check-in, driven through `Conversation.handle`."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, time

from sqlmodel import Session, select

from bot.checkins.dispatch import dispatch_due
from bot.conversation.dates import parse_typed_time
from bot.store.db import session_scope
from bot.store.models import (
    CheckinAnswer,
    CheckinPlan,
    CheckinPlanStatus,
    CheckinRound,
    CheckinRoundStatus,
)

from .conftest import button_data, text
from checkins.fakes import FakeTransport


def plan_of(db, resident_id: int) -> CheckinPlan | None:
    with Session(db.engine) as session:
        return session.exec(select(CheckinPlan).where(CheckinPlan.resident_id == resident_id)).first()


def rounds(db) -> list[CheckinRound]:
    with Session(db.engine) as session:
        return list(session.exec(select(CheckinRound).order_by(CheckinRound.id)).all())


def resident_id(db, user_id: int) -> int:
    return next(r.id for r in db.residents() if r.platform_user_id == user_id)


def planned(person, preset: str = "daily", at: str = "1000"):
    person.onboard()
    offer = person.say("/checkin")
    assert f"ck:days:{preset}" in button_data(offer)
    asked = person.press(f"ck:days:{preset}")
    assert f"ck:time:{at}" in button_data(asked)
    return person.press(f"ck:time:{at}")


def dispatch(db, clock, **delta):
    """Move the clock and run the dispatcher once; returns what it sent."""
    clock.advance(**delta)
    sent = FakeTransport()
    asyncio.run(dispatch_due(engine=db.engine, now=clock(), send=sent))
    return sent.sent


def test_checkin_starts_a_plan_with_the_chosen_days_and_time(person, db):
    mina = person()
    reply = planned(mina, "mwf", "1900")
    assert "19:00" in text(reply) and "월·수·금" in text(reply)
    plan = plan_of(db, resident_id(db, mina.user_id))
    assert plan.weekdays == 0b0010101 and plan.local_time == time(19, 0)
    assert plan.status == CheckinPlanStatus.ACTIVE and plan.time_zone == "Asia/Seoul"
    shown = mina.say("/checkin")
    assert "19:00" in text(shown)
    assert {"ck:change", "ck:pausing", "ck:stop"} <= set(button_data(shown))


def test_a_typed_time_is_read_and_a_wrong_one_asked_again(person, db):
    mina = person()
    mina.onboard()
    mina.say("/checkin")
    mina.press("ck:days:weekend")
    again = mina.say("25:99")
    assert "ck:time:0900" in button_data(again)
    assert plan_of(db, resident_id(db, mina.user_id)) is None
    mina.say("8:30")
    plan = plan_of(db, resident_id(db, mina.user_id))
    assert plan.local_time == time(8, 30) and plan.weekdays == 0b1100000
    assert parse_typed_time("9시 30분") == time(9, 30) and parse_typed_time("9시") == time(9, 0)
    assert parse_typed_time("hello") is None


def test_times_are_read_as_people_write_them():
    written = {"9시 반": time(9, 30), "오후 3시": time(15, 0), "저녁 7시 10분": time(19, 10),
               "아침 8시": time(8, 0), "밤 12시": time(0, 0), "낮 2시": time(14, 0), "3pm": time(15, 0),
               "10:15 am": time(10, 15), "12am": time(0, 0)}
    assert {typed: parse_typed_time(typed) for typed in written} == written
    for unclear in ("9", "오후 15시", "오전 3pm", "9시 70분", "내일 아침"):
        assert parse_typed_time(unclear) is None, unclear


def test_days_and_time_can_be_typed_instead_of_pressed(person, db):
    for typed, weekdays in (("매일", 0b1111111), ("평일", 0b0011111), ("월수금", 0b0010101),
                            ("on weekdays", 0b0011111)):
        mina = person()
        mina.onboard()
        mina.say("/checkin")
        asked = mina.say(typed)
        assert "ck:time:0900" in button_data(asked), typed
        mina.say("오후 2시")
        plan = plan_of(db, resident_id(db, mina.user_id))
        assert (plan.weekdays, plan.local_time) == (weekdays, time(14, 0)), typed


def test_anything_else_typed_at_the_days_question_is_searched(person, db):
    mina = person()
    mina.onboard()
    mina.say("/checkin")
    reply = mina.say("보일러가 고장났어요")
    assert "ck:time:0900" not in button_data(reply)
    assert plan_of(db, resident_id(db, mina.user_id)) is None


def test_pause_resume_and_stop(person, db, clock):
    mina = person()
    planned(mina)
    rid = resident_id(db, mina.user_id)
    asked = mina.press("ck:pausing")
    assert {"ck:pause:3", "ck:pause:7"} <= set(button_data(asked))
    mina.press("ck:pause:7")
    plan = plan_of(db, rid)
    assert plan.status == CheckinPlanStatus.PAUSED and plan.paused_until == date(2025, 3, 10)
    shown = mina.say("/checkin")
    assert "ck:resume" in button_data(shown)
    mina.press("ck:resume")
    assert plan_of(db, rid).status == CheckinPlanStatus.ACTIVE
    mina.press("ck:pausing")
    mina.say("3월 20일")
    assert plan_of(db, rid).paused_until == date(2025, 3, 20)
    mina.press("ck:stop")
    assert plan_of(db, rid).status == CheckinPlanStatus.STOPPED
    assert "ck:days:daily" in button_data(mina.say("/checkin"))  # offered again


def test_a_dispatched_checkin_answered_with_ok(person, db, clock):
    mina = person()
    planned(mina, at="1400")  # 10:00 in Seoul now: the first one is today at 14:00
    sent = dispatch(db, clock, hours=4)
    [message] = sent
    assert message.chat_id == mina.user_id
    assert [b["data"] for row in message.buttons for b in row] == [
        f"ci:ok:{message.round_id}", f"ci:help:{message.round_id}", f"ci:hard:{message.round_id}"]
    reply = mina.press(f"ci:ok:{message.round_id}")
    assert "고마워요" in text(reply)
    [rnd] = rounds(db)
    assert rnd.status == CheckinRoundStatus.ANSWERED and rnd.answer == CheckinAnswer.OK


def test_help_offers_support_and_alerts_staff_on_request(person, db, clock, add_staff_member):
    officer = add_staff_member("seocho")
    mina = person()
    planned(mina, at="1400")
    [message] = dispatch(db, clock, hours=4)
    offer = mina.press(f"ci:help:{message.round_id}")
    assert button_data(offer) == ["nav:menu", f"ci:alert:{message.round_id}"]
    assert db.outbox(officer) == []
    mina.press(f"ci:alert:{message.round_id}")
    [alert] = db.outbox(officer)
    assert "Mina" in alert.text
    again = mina.press(f"ci:alert:{message.round_id}")
    assert len(db.outbox(officer)) == 1 and "이미" in text(again)
    menu = mina.press("nav:menu")
    assert any(data.startswith("cat:") for data in button_data(menu))


def test_hard_day_gets_comfort_and_the_same_options(person, db, clock):
    mina = person()
    planned(mina, at="1400")
    [message] = dispatch(db, clock, hours=4)
    reply = mina.press(f"ci:hard:{message.round_id}")
    assert button_data(reply) == ["nav:menu", f"ci:alert:{message.round_id}"]
    assert rounds(db)[0].answer == CheckinAnswer.HARD


def test_free_text_answers_the_open_checkin_and_is_then_searched(person, db, clock):
    mina = person()
    planned(mina, at="1400")
    dispatch(db, clock, hours=4)
    reply = mina.say("싱크대가 막혔어요")
    [rnd] = rounds(db)
    assert rnd.status == CheckinRoundStatus.ANSWERED and rnd.answer == CheckinAnswer.TEXT
    assert len(reply.messages) > 1  # the thank-you, then the search answer as usual
    assert "고마워요" in reply.messages[0].text


def test_a_crisis_text_answers_the_checkin_and_still_alerts_staff(person, db, clock, add_staff_member):
    officer = add_staff_member("seocho")
    mina = person()
    planned(mina, at="1400")
    dispatch(db, clock, hours=4)
    mina.say("그냥 죽고 싶다")
    assert rounds(db)[0].status == CheckinRoundStatus.ANSWERED
    assert len(db.outbox(officer)) == 1


def test_a_forged_press_on_another_residents_round_is_refused(person, db, clock, caplog):
    mina, jun = person(), person("Jun")
    planned(mina, at="1400")
    jun.onboard()
    [message] = dispatch(db, clock, hours=4)
    before = [r.model_dump() for r in rounds(db)], len(db.outbox())
    with caplog.at_level(logging.WARNING, logger="bot.conversation"):
        reply = jun.press(f"ci:ok:{message.round_id}")
        jun.press(f"ci:alert:{message.round_id}")
    assert "찾을 수 없어요" in text(reply)
    assert ([r.model_dump() for r in rounds(db)], len(db.outbox())) == before
    assert any("refused" in r.getMessage() for r in caplog.records)
    assert "찾을 수 없어요" in text(jun.press("ci:ok:999999"))
    assert "찾을 수 없어요" in text(person("Stranger").press(f"ci:ok:{message.round_id}"))


def test_staff_of_another_district_cannot_mark_reached(person, db, clock, add_staff_member, caplog):
    local = add_staff_member("seocho")
    other = add_staff_member("yongsan", name="Officer Lee")
    mina = person()
    planned(mina, at="1400")
    [message] = dispatch(db, clock, hours=4)
    mina.press(f"ci:help:{message.round_id}")
    mina.press(f"ci:alert:{message.round_id}")
    before = [r.model_dump() for r in rounds(db)]
    with caplog.at_level(logging.WARNING, logger="bot.conversation"):
        refused = person("Lee", user_id=other).press(f"ci:reached:{message.round_id}")
        person("Nobody").press(f"ci:reached:{message.round_id}")
    assert "찾을 수 없어요" in text(refused)
    assert [r.model_dump() for r in rounds(db)] == before
    assert sum("refused" in r.getMessage() for r in caplog.records) == 2
    assert all("Mina" not in r.getMessage() for r in caplog.records)
    done = person("Kim", user_id=local).press(f"ci:reached:{message.round_id}")
    assert "연락됐다고" in text(done)
    assert rounds(db)[0].reached_at is not None


def test_staff_marks_an_escalated_round_visit_needed(person, db, clock, add_staff_member):
    officer = add_staff_member("seocho")
    mina = person()
    planned(mina, at="1400")
    [message] = dispatch(db, clock, hours=4)
    dispatch(db, clock, hours=2)  # the reminder
    dispatch(db, clock, hours=2)  # escalated: staff alerted with [reached] [visit]
    [alert] = db.outbox(officer)
    assert f"ci:visit:{message.round_id}" in [b["data"] for row in alert.buttons for b in row]
    person("Kim", user_id=officer).press(f"ci:visit:{message.round_id}")
    assert rounds(db)[0].status == CheckinRoundStatus.VISIT_NEEDED


def test_privacy_shows_the_plan_rounds_and_answers_and_forget_erases_them(person, db, clock):
    from bot.checkins.plans import invite_contact
    from bot.people.privacy import privacy_report
    from bot.store.models import CheckinAlert, CheckinContact, Resident

    mina, jun = person(), person("Jun")
    planned(mina, at="1400")
    jun.onboard()
    [message] = dispatch(db, clock, hours=4)
    mina.press(f"ci:ok:{message.round_id}")
    my_id, jun_id = resident_id(db, mina.user_id), resident_id(db, jun.user_id)
    with session_scope(db.engine) as session:
        me, other = session.get(Resident, my_id), session.get(Resident, jun_id)
        invite_contact(session=session, resident=me, contact_resident=other, now=clock())
    shown = text(mina.say("/privacy"))
    assert "매일 14:00" in shown and "괜찮아요" in shown and "Jun" in shown
    assert "Mina" in text(jun.say("/privacy"))  # the contact sees whom they were asked by
    with Session(db.engine) as session:
        report = privacy_report(session=session, resident_id=my_id)
    assert report.checkin_plan.weekdays == list(range(7)) and report.checkin_plan.local_time == "14:00"
    [rnd] = report.checkin_rounds
    assert rnd.answer == "ok" and rnd.answered_at == clock() and rnd.sent_at is not None
    assert [(c.role, c.status) for c in report.checkin_contacts] == [("my_contact", "pending")]
    assert report.model_dump(mode="json")["checkin_rounds"][0]["answer"] == "ok"

    mina.say("/forget")
    mina.press("fg:yes")
    assert db.all(CheckinPlan) == [] and db.all(CheckinRound) == []
    assert db.all(CheckinContact) == [] and db.all(CheckinAlert) == []
    assert [r.platform_user_id for r in db.residents()] == [jun.user_id]


def test_only_the_invited_contact_can_accept_the_invitation(person, db, clock):
    from bot.checkins.plans import invite_contact
    from bot.store.models import CheckinContact, ContactStatus, Resident

    mina, jun, eve = person(), person("Jun"), person("Eve")
    for someone in (mina, jun, eve):
        someone.onboard()
    my_id, jun_id = resident_id(db, mina.user_id), resident_id(db, jun.user_id)
    with session_scope(db.engine) as session:
        row = invite_contact(session=session, resident=session.get(Resident, my_id),
                             contact_resident=session.get(Resident, jun_id), now=clock())
        invitation = row.id
    [invite] = db.outbox(jun.user_id)
    assert [b["data"] for r in invite.buttons for b in r] == [f"ci:cyes:{invitation}", f"ci:cno:{invitation}"]
    assert "찾을 수 없어요" in text(eve.press(f"ci:cyes:{invitation}"))
    assert db.all(CheckinContact)[0].status == ContactStatus.PENDING
    jun.press(f"ci:cyes:{invitation}")
    assert db.all(CheckinContact)[0].status == ContactStatus.ACCEPTED
    assert len(db.outbox(mina.user_id)) == 1  # "Jun is now your check-in contact"


def test_a_trusted_contact_is_invited_with_the_code_they_give(person, db, clock):
    import re as regex

    from bot.store.models import CheckinContact, ContactStatus

    mina, jun, eve = person(), person("Jun"), person("Eve")
    planned(mina)
    jun.onboard()
    eve.onboard()
    shown = mina.say("/checkin")
    assert {"ck:invite", "ck:code"} <= set(button_data(shown))
    code_reply = jun.say("/checkin")
    assert "ck:code" in button_data(code_reply)
    code = regex.search(r"\b[A-Z2-9]{6}\b", text(jun.press("ck:code")))[0]
    mina.press("ck:invite")
    assert "찾지 못했어요" in text(mina.say("ZZZZZZ"))
    assert db.all(CheckinContact) == []
    invited = mina.say(code.lower())
    assert "Jun" in text(invited)
    [row] = db.all(CheckinContact)
    assert row.status == ContactStatus.PENDING
    [invitation] = db.outbox(jun.user_id)
    assert [b["data"] for r in invitation.buttons for b in r] == [f"ci:cyes:{row.id}", f"ci:cno:{row.id}"]
    # The code is used up: Eve cannot use it to invite Jun as well.
    eve.say("/checkin")
    eve.press("ck:days:daily")
    eve.press("ck:time:0900")
    eve.press("ck:invite")
    assert "찾지 못했어요" in text(eve.say(code))
    jun.press(f"ci:cyes:{row.id}")
    assert db.all(CheckinContact)[0].status == ContactStatus.ACCEPTED
    assert "Jun" in text(mina.say("/checkin"))


def test_an_expired_code_is_not_found(person, db, clock):
    import re as regex

    mina, jun = person(), person("Jun")
    planned(mina)
    jun.onboard()
    jun.say("/checkin")
    code = regex.search(r"\b[A-Z2-9]{6}\b", text(jun.press("ck:code")))[0]
    clock.advance(minutes=31)
    mina.press("ck:invite")
    assert "찾지 못했어요" in text(mina.say(code))


def test_typing_a_need_instead_of_choosing_days_searches_as_usual(person, db):
    mina = person()
    mina.onboard()
    mina.say("/checkin")
    reply = mina.say("싱크대가 막혔어요")
    assert not any(data.startswith("ck:") for data in button_data(reply))
    assert plan_of(db, resident_id(db, mina.user_id)) is None
    mina.say("/checkin")
    mina.press("ck:days:daily")
    assert "멈췄어요" in text(mina.say("/cancel"))
    assert "이 버튼은" in text(mina.press("ck:time:0900"))  # the step was left: an old button
