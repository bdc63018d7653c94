"""Danger now: only the hotlines, at once; the district's staff alerted with the resident's words."""

from __future__ import annotations

import logging

from bot.core.messages import InputKind

from .conftest import button_data, text

CRISIS = "요즘 너무 힘들어서 그냥 다 끝내고 싶어요"


def test_crisis_is_answered_only_with_hotlines_numbers_first(person, add_staff_member):
    add_staff_member("seocho")
    mina = person()
    mina.onboard("seocho")
    reply = mina.say(CRISIS)
    assert len(reply.messages) == 1
    message = reply.messages[0]
    assert message.urgent
    assert message.buttons == ()  # no menu, no cards
    lines = message.text.splitlines()
    assert lines[0].startswith("📞 109")
    assert "📌" not in message.text
    assert "담당자에게도 알렸어요" in message.text


def test_crisis_alerts_every_staff_member_of_the_district_with_name_and_text(person, add_staff_member, db):
    kim, lee = add_staff_member("seocho"), add_staff_member("seocho")
    other = add_staff_member("yongsan")
    mina = person("Mina")
    mina.onboard("seocho")
    mina.say(CRISIS)
    for staff_chat in (kim, lee):
        [alert] = db.outbox(staff_chat)
        assert "Mina" in alert.text and CRISIS in alert.text
        assert alert.resident_id is not None  # deleted with the resident on /forget
    assert db.outbox(other) == []


def test_the_crisis_text_is_never_logged(person, add_staff_member, caplog):
    add_staff_member("seocho")
    mina = person()
    mina.onboard("seocho")
    with caplog.at_level(logging.DEBUG):
        mina.say(CRISIS)
    assert CRISIS not in caplog.text
    assert "끝내고" not in caplog.text


def test_english_resident_gets_english_hotline_names(person):
    sam = person("Sam")
    sam.onboard("gwangsan", language="en")
    reply = sam.say("I can't breathe, chest pain")
    assert reply.messages[0].text.startswith("📞 119")
    assert "ambulance" in reply.messages[0].text.lower()


def test_someone_without_a_district_still_gets_hotlines_and_no_alert(person, add_staff_member, db):
    add_staff_member("seocho")
    stranger = person()
    reply = stranger.say("그냥 죽고 싶다")
    assert reply.messages[0].text.startswith("📞 109")
    assert button_data(reply) == []
    assert db.outbox() == []
    # Also in the middle of onboarding, before consent.
    stranger.say("/start")
    stranger.press("lang:ko")
    stranger.press("dist:seocho")
    assert stranger.say("그냥 죽고 싶다").messages[0].text.startswith("📞 109")
    assert db.outbox() == [] and db.residents() == []


def test_a_crisis_in_the_middle_of_a_request_keeps_the_request_going(person, add_staff_member, db):
    add_staff_member("seocho")
    mina = person()
    mina.onboard("seocho")
    mina.press("req:start:seocho.handyman")
    mina.press("bk:date:2025-03-05")
    mina.press("bk:time:morning")
    reply = mina.say("살기 싫어요")
    assert reply.messages[0].text.startswith("📞 109")
    assert "주소" in text(mina.say("010-1234-5678"))  # the phone step goes on


def test_colloquial_exaggeration_is_not_a_crisis(person, add_staff_member, db):
    add_staff_member("seocho")
    mina = person()
    mina.onboard("seocho")
    reply = mina.say("배고파 죽겠어요 도시락 받고 싶어요")
    assert not reply.messages[0].urgent
    assert db.outbox() == []


def test_crisis_via_find_command(person, add_staff_member, db):
    staff = add_staff_member("seocho")
    mina = person()
    mina.onboard("seocho")
    assert mina.say("/find 그냥 죽고 싶다").messages[0].text.startswith("📞 109")
    assert len(db.outbox(staff)) == 1


def test_no_staff_in_the_district_still_answers_hotlines(person, db):
    mina = person()
    mina.onboard("sancheong")
    reply = mina.send(InputKind.TEXT, "불이 났어요")
    assert reply.messages[0].text.startswith("📞 119")
    assert "담당자에게도 알렸어요" not in text(reply)


def test_a_stranger_writing_english_gets_english_hotlines(person):
    reply = person().say("I want to end my life")
    assert reply.messages[0].text.startswith("📞 109")
    assert "Suicide prevention" in reply.messages[0].text


def test_asking_about_crisis_help_gets_the_numbers_and_the_programs(person, add_staff_member, db):
    """A concern (matching.md): not danger now, so no alarm, but the lines to call come first."""
    kim = add_staff_member("seocho")
    mina = person()
    mina.onboard("seocho")
    reply = mina.say("이웃이 가정폭력을 당하는 것 같은데 어디서 상담 받을 수 있나요")
    first = reply.messages[0]
    assert not first.urgent
    assert "📞 1366" in first.text
    # The programs too: as cards, or as a choice between them.
    assert any("📌" in m.text or m.buttons for m in reply.messages[1:])
    assert db.outbox(kim) == []  # nobody is in danger now: no alarm
