"""A flyer's link (`/start seocho_ko`), the messenger's language, and the buttons kept under the
typing field, in the conversation alone (tests/bot/adapters/test_deep_links.py runs them on the
Telegram application)."""

from __future__ import annotations

import itertools
import random

import pytest
from sqlmodel import Session

from bot.conversation.engine import resident_districts
from bot.conversation.start_links import (
    MAX_PAYLOAD_LENGTH,
    StartLinkError,
    StartPreset,
    bot_username,
    payload_for,
    read_payload,
    start_link,
)
from bot.core.messages import Incoming, InputKind, Reply
from bot.store.models import ConversationState

from .conftest import button_data, text

_message_ids = itertools.count(50_000)


@pytest.fixture(scope="module")
def districts(catalog):
    return resident_districts(catalog)


def send(conversation, user_id: int, line: str, language_code: str | None = None,
         kind: InputKind = InputKind.TEXT) -> Reply:
    return conversation.handle(Incoming(user_id=user_id, chat_id=user_id, first_name="Mina", kind=kind,
                                        text=line, message_id=next(_message_ids),
                                        language_code=language_code))


def stored(engine, user_id: int) -> ConversationState | None:
    with Session(engine) as session:
        return session.get(ConversationState, user_id)


def keyboard_of(reply: Reply) -> tuple[str, ...]:
    shown = [m.keyboard for m in reply.messages if m.keyboard]
    assert len(shown) <= 1
    return shown[0] if shown else ()


# --- the payload -----------------------------------------------------------------------------


def test_payload_names_the_district_and_language_within_telegrams_rules(districts):
    for district in districts:
        for language in (None, "ko", "en"):
            payload = payload_for(district, language, districts)
            assert len(payload) <= MAX_PAYLOAD_LENGTH
            assert set(payload) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
            assert read_payload(payload, districts) == StartPreset(district, language)
    assert payload_for("seocho", "ko", districts) == "seocho_ko"
    assert start_link("@ddokddok_bot", "seocho_ko") == "https://t.me/ddokddok_bot?start=seocho_ko"


@pytest.mark.parametrize(
    "payload",
    ["seoul_ko", "gangnam_ko", "SEOCHO_KO", "seocho_fr", "seocho_ko_x", "seocho-ko", "_ko", "seocho_",
     "seocho ko", "서초_ko", "a" * 4000, "seocho_ko" + "x" * 60, "../seocho", "seocho%5Fko"],
)
def test_a_payload_that_is_not_exactly_a_district_is_refused(districts, payload):
    assert read_payload(payload, districts) is None


def test_a_link_cannot_be_made_for_a_place_no_resident_can_choose(districts):
    with pytest.raises(StartLinkError, match="seoul"):
        payload_for("seoul", "ko", districts)  # a city, not where someone lives
    with pytest.raises(StartLinkError, match="fr"):
        payload_for("seocho", "fr", districts)
    long_code = "a" * 70
    with pytest.raises(StartLinkError):
        payload_for(long_code, None, [*districts, long_code])
    for bad in ("me", "ddokddok", "ddokddok bot", "@@ddokddok_bot", "x" * 40 + "bot"):
        with pytest.raises(StartLinkError):
            bot_username(bad)


# --- /start with a payload ----------------------------------------------------------------------


def test_a_flyers_link_goes_straight_to_the_consent_notice(conversation, engine, db):
    reply = send(conversation, 11, "/start seocho_en")
    assert "Seocho-gu, Seoul" in text(reply) and "/privacy" in text(reply)
    assert button_data(reply) == ["consent:yes", "consent:no", "lang:ko"]  # [한국어] to switch
    assert stored(engine, 11).data == {"language": "en", "district": "seocho"}
    assert db.residents() == []  # nothing about the person until they agree
    send(conversation, 11, "consent:yes", kind=InputKind.BUTTON)
    [resident] = db.residents()
    assert (resident.district, resident.language) == ("seocho", "en")


def test_a_link_without_a_language_follows_the_messengers(conversation, engine):
    english = send(conversation, 12, "/start yongsan", language_code="en-GB")
    assert "Yongsan-gu, Seoul" in text(english)
    korean = send(conversation, 13, "/start yongsan", language_code="de")
    assert "서울 용산구" in text(korean)
    assert stored(engine, 13).data == {"language": "ko", "district": "yongsan"}


def test_the_consent_notice_of_a_link_can_be_read_in_the_other_language(conversation, engine, db):
    send(conversation, 14, "/start gwangjin_ko")
    reply = send(conversation, 14, "lang:en", kind=InputKind.BUTTON)
    assert "Gwangjin-gu, Seoul" in text(reply)
    assert button_data(reply) == ["consent:yes", "consent:no", "lang:ko"]
    assert stored(engine, 14).data == {"language": "en", "district": "gwangjin"}
    send(conversation, 14, "consent:yes", kind=InputKind.BUTTON)
    [resident] = db.residents()
    assert (resident.district, resident.language) == ("gwangjin", "en")


def _random_text(seed: int, length: int) -> str:
    chooser = random.Random(seed)
    return "".join(chr(chooser.randrange(0x20, 0x2FFFF)) for _ in range(length))


@pytest.mark.parametrize(
    "payload",
    ["gangnam_ko", "seoul_ko", "seocho_fr", "a" * 4000, _random_text(1, 64), _random_text(2, 3000),
     "seocho_ko\u202egangnam", "seocho\x00_ko"],
)
def test_a_forged_payload_asks_the_usual_questions_and_stores_nothing_of_it(conversation, engine, db, payload):
    reply = send(conversation, 15, f"/start {payload}")
    assert button_data(reply) == ["lang:ko", "lang:en"]
    state = stored(engine, 15)
    assert state is not None and state.state == "choosing_language" and state.data == {}
    assert db.residents() == []


def test_a_forged_payload_is_not_written_to_the_log(conversation, caplog):
    secret = "gangnam_ko_010-1234-5678"
    with caplog.at_level("INFO"):
        send(conversation, 16, f"/start {secret}")
    assert secret not in caplog.text and "1234" not in caplog.text
    assert "not understood" in caplog.text


def test_a_resident_who_scans_another_districts_flyer_keeps_their_choices(person, conversation, db):
    mina = person()
    mina.onboard(district="seocho", language="ko")
    reply = send(conversation, mina.user_id, "/start gwangsan_en")
    assert "광주 광산구" in text(reply) and "서울 서초구" in text(reply)  # the flyer's, and theirs
    assert "nav:setup" in button_data(reply)
    assert "consent:yes" not in button_data(reply)
    [resident] = db.residents()
    assert (resident.district, resident.language) == ("seocho", "ko")


def test_a_resident_who_scans_their_own_districts_flyer_is_welcomed_back(person, conversation, db):
    mina = person("Mina")
    mina.onboard(district="seocho")
    reply = send(conversation, mina.user_id, "/start seocho_en")
    assert "Mina" in text(reply) and "안내문" not in text(reply)
    assert button_data(reply) == ["nav:setup"]
    assert keyboard_of(reply) == ("찾기", "내 신청", "도움말")
    [resident] = db.residents()
    assert resident.language == "ko"


# --- the messenger's language -------------------------------------------------------------------


def test_the_messengers_language_orders_the_language_buttons(conversation):
    assert button_data(send(conversation, 21, "/start", language_code="en")) == ["lang:en", "lang:ko"]
    assert button_data(send(conversation, 22, "/start", language_code="en-US")) == ["lang:en", "lang:ko"]
    assert button_data(send(conversation, 23, "/start", language_code="ko")) == ["lang:ko", "lang:en"]
    assert button_data(send(conversation, 24, "/start", language_code="ja")) == ["lang:ko", "lang:en"]
    assert button_data(send(conversation, 25, "/start")) == ["lang:ko", "lang:en"]
    assert button_data(send(conversation, 26, "안녕하세요", language_code="en-GB"))[:2] == ["lang:en", "lang:ko"]


# --- the buttons under the typing field ---------------------------------------------------------------


def test_the_end_of_onboarding_shows_the_three_buttons_in_the_residents_language(person):
    korean = person().onboard(language="ko")
    assert keyboard_of(korean) == ("찾기", "내 신청", "도움말")
    assert "[찾기]" in text(korean)  # and says they are there
    english = person().onboard(language="en")
    assert keyboard_of(english) == ("Find", "My requests", "Help")


@pytest.mark.parametrize(
    ("pressed", "expected"),
    [("찾기", "어떤 도움이 필요하세요"), ("내 신청", "아직 신청하신 것이 없어요"), ("도움말", "/bookings"),
     ("Find", "어떤 도움이 필요하세요"), ("my requests", "아직 신청하신 것이 없어요"), ("Help", "/bookings")],
)
def test_a_pressed_button_is_understood_as_its_command_in_either_language(person, pressed, expected):
    mina = person()
    mina.onboard(language="ko")
    reply = mina.say(pressed)
    assert expected in text(reply)
    assert "📌" not in text(reply)  # not searched as a need


def test_an_english_residents_buttons_answer_in_english(person):
    mina = person()
    mina.onboard(language="en")
    assert "What help do you need" in text(mina.say("Find"))
    assert "/bookings" in text(mina.say("Help"))
    assert keyboard_of(mina.say("Help")) == ("Find", "My requests", "Help")  # back if closed


def test_a_button_pressed_in_the_middle_of_a_request_leaves_it(person, engine, db):
    mina = person()
    mina.onboard()
    mina.press("req:start:seocho.handyman")
    assert stored(engine, mina.user_id).state == "booking_date"
    reply = mina.say("내 신청")
    assert "아직 신청하신 것이 없어요" in text(reply)
    assert stored(engine, mina.user_id).state == "ready"
    assert db.bookings() == []


def test_a_sentence_with_a_label_in_it_is_a_message_not_a_press(person):
    mina = person()
    mina.onboard()
    reply = mina.say("도움말이 아니라 병원에 같이 갈 사람이 필요해요")
    assert "/forget" not in text(reply)  # not the help text
