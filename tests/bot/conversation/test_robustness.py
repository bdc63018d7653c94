"""Whatever a person sends, the bot answers briefly and politely and never raises."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bot.core.messages import InputKind

from .conftest import button_data, text


@pytest.fixture
def mina(person):
    resident = person("Mina")
    resident.onboard("seocho")
    return resident


def test_a_4000_character_message_is_answered(mina):
    reply = mina.say("싱크대 배수구가 막혔어요 고쳐주세요 " + "가" * 4000)
    assert "앞부분만" in text(reply)
    assert "req:start:seocho.handyman" in button_data(reply)
    assert all(len(m.text) <= 4096 for m in reply.messages)


def test_a_long_message_with_a_crisis_at_the_end_is_still_a_crisis(mina):
    reply = mina.say("오늘은 " * 600 + "그냥 죽고 싶다")
    assert reply.messages[0].text.startswith("📞 109")


def test_emoji_only_asks_for_words(mina):
    reply = mina.say("😀😀🙏")
    assert len(reply.messages) == 1 and "글" in text(reply)


def test_control_characters_are_ignored(mina):
    reply = mina.say("\x00싱크대\u200b 배수구가\x07 막혔어요\u202e 고쳐주세요\x1b")
    assert "req:start:seocho.handyman" in button_data(reply)
    assert "글자를 찾지 못했어요" in text(mina.say("\x00\x01\x02"))


def test_unsupported_input_gets_a_short_answer(mina, person):
    assert "글로 써 주시겠어요" in text(mina.send(InputKind.UNSUPPORTED, ""))
    assert "글로 써 주시겠어요" in text(person().send(InputKind.UNSUPPORTED, ""))


def test_unknown_and_odd_commands(mina):
    assert "/help" in text(mina.say("/frobnicate"))
    assert "/help" in text(mina.say("/"))
    assert "/menu" in text(mina.say("/help@ddokddok_bot"))
    assert "cat:repairs" in button_data(mina.say("/MENU"))


def test_an_empty_message(mina):
    assert len(mina.say("").messages) == 1
    assert len(mina.say("   \n ").messages) == 1


def test_cancel_with_nothing_to_cancel(mina):
    assert "없어요" in text(mina.say("/cancel"))


def test_a_resident_whose_district_left_the_catalog_is_told(person, db, engine):
    from sqlmodel import select

    from bot.store.db import session_scope
    from bot.store.models import Resident

    mina = person()
    mina.onboard("seocho")
    with session_scope(engine) as session:
        resident = session.exec(select(Resident)).one()
        resident.district = "atlantis"
        session.add(resident)
    assert "/start" in text(mina.say("싱크대가 막혔어요"))
    assert "/start" in text(mina.say("/menu"))


def test_a_naive_clock_is_a_programming_error(make_conversation, person):
    from datetime import datetime

    conversation = make_conversation(clock=lambda: datetime(2025, 3, 3, 10, 0))
    with pytest.raises(ValueError):
        person(on=conversation).say("/start")


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(list(InputKind)), data=st.text(max_size=300))
def test_no_input_makes_the_conversation_raise(mina, kind, data):
    reply = mina.send(kind, data)
    assert 1 <= len(reply.messages) <= 5
    for message in reply.messages:
        assert message.text.strip() and len(message.text) <= 4096
