"""Linking on purpose, from outside: a Telegram resident's code typed on KakaoTalk, through the real
conversation on both sides (Telegram's turns as its adapter makes them, Kakao's through the skill
endpoint), and everything that must be refused, limited, undone or forgotten."""

from __future__ import annotations

import logging
import re
import warnings

import pytest
from sqlmodel import Session, select

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from bot.core.messages import Incoming, InputKind, Reply
from bot.people.identities import Platform, internal_id_for, platform_of
from bot.people.linking import person_for_key
from bot.store.db import session_scope
from bot.store.models import Booking, LinkCode, LinkFailure, OutboxMessage, PlatformIdentity, Resident

from .conftest import HEADERS, add_kakao_resident, kakao_app, make_skill, outputs_text, presses, skill_request

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")

MINA = 5001  # her Telegram id (and private chat)
CODE = re.compile(r"\b(\d{8})\b")


class TelegramPerson:
    """Someone on Telegram, in a private chat, as the Telegram adapter hands turns over."""

    def __init__(self, conversation, user_id: int):
        self.conversation = conversation
        self.user_id = user_id

    def send(self, kind: InputKind, text: str) -> Reply:
        return self.conversation.handle(Incoming(user_id=self.user_id, chat_id=self.user_id, first_name="Mina",
                                                 kind=kind, text=text))

    def say(self, text: str) -> str:
        return "\n".join(m.text for m in self.send(InputKind.TEXT, text).messages)

    def press(self, data: str) -> Reply:
        return self.send(InputKind.BUTTON, data)

    def onboard(self) -> None:
        self.say("/start")
        for data in ("lang:ko", "dist:seocho", "consent:yes", "age:skip", "gender:skip"):
            self.press(data)

    def book(self) -> None:
        for data in ("req:start:seocho.handyman", "bk:date:2025-03-05", "bk:time:morning"):
            self.press(data)
        self.say("010-1234-5678")
        self.say("101동 202호")
        self.press("bk:skip")
        self.press("bk:ok")

    def link_code(self) -> str:
        answer = self.say("/link")
        found = CODE.search(answer)
        assert found, answer
        return found.group(1)


@pytest.fixture
def mina(real_conversation) -> TelegramPerson:
    person = TelegramPerson(real_conversation, MINA)
    person.onboard()
    return person


@pytest.fixture
def kakao(real_conversation, engine, clock):
    skill = make_skill(real_conversation, engine, clock)
    with TestClient(kakao_app(skill)) as client:
        def send(user_key: str, utterance: str = "", *, press: str | None = None) -> dict:
            response = client.post("/kakao/skill", json=skill_request(user_key, utterance, press=press),
                                   headers=HEADERS)
            assert response.status_code == 200, response.text
            return response.json()

        yield send


def identities(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {row.external_key: row.internal_id for row in session.exec(select(PlatformIdentity)).all()}


def rows(engine, model) -> list:
    with Session(engine) as session:
        return list(session.exec(select(model)).all())


def speaker(engine, user_key: str, clock) -> int:
    with session_scope(engine) as session:
        return internal_id_for(session=session, platform=Platform.KAKAO, external_key=user_key, now=clock())


# --- linking, and what it gives -------------------------------------------------------------------


def test_kakao_linked_to_a_telegram_resident_is_her_requests_settings_and_answers(mina, kakao, engine):
    mina.book()
    [booking] = rows(engine, Booking)
    on_telegram = mina.say("/bookings")
    code = mina.link_code()

    answer = kakao("kakao-mina", f"/link {code}")
    assert "연결됐어요" in outputs_text(answer)
    assert identities(engine) == {"kakao-mina": MINA}

    bookings = kakao("kakao-mina", "/bookings")
    assert f"{booking.id}번" in outputs_text(bookings)
    assert on_telegram.splitlines()[1] in outputs_text(bookings)  # the same request, worded the same
    assert f"bk:cancel:{booking.id}" in presses(bookings)  # hers to act on from KakaoTalk
    settings = kakao("kakao-mina", "/settings")
    assert outputs_text(settings) == mina.say("/settings")
    assert len(rows(engine, Resident)) == 1

    # Telegram's chat is told of the link (nobody asked: it goes to her Telegram chat); the
    # answers to what she wrote on KakaoTalk were shown there and queued for nobody.
    queued = rows(engine, OutboxMessage)
    assert [(m.chat_id, "카카오톡" in m.text and "/unlink" in m.text) for m in queued] == [(MINA, True)]


def test_the_link_also_cancels_her_telegram_request_from_kakaotalk(mina, kakao, engine):
    mina.book()
    [booking] = rows(engine, Booking)
    kakao("kakao-mina", f"/link {mina.link_code()}")
    kakao("kakao-mina", "취소", press=f"bk:cancel:{booking.id}")
    kakao("kakao-mina", "네", press=f"bk:cxl:{booking.id}")
    [after] = rows(engine, Booking)
    assert after.status == "cancelled"
    assert "취소" in mina.say("/bookings")


def test_privacy_names_the_linked_messenger_on_both_sides_never_its_key(mina, kakao):
    assert "연결된 메신저" not in mina.say("/privacy")
    kakao("kakao-mina", f"/link {mina.link_code()}")
    on_telegram = mina.say("/privacy")
    assert "연결된 메신저: 카카오톡" in on_telegram and "kakao-mina" not in on_telegram
    on_kakao = outputs_text(kakao("kakao-mina", "/privacy"))
    assert "연결된 메신저: 카카오톡" in on_kakao and "kakao-mina" not in on_kakao


def test_an_english_resident_is_answered_in_english_on_kakaotalk(real_conversation, kakao):
    sam = TelegramPerson(real_conversation, 5002)
    sam.say("/start")
    for data in ("lang:en", "dist:seocho", "consent:yes", "age:skip", "gender:skip"):
        sam.press(data)
    answer = sam.say("/link")
    assert "link code" in answer and "KakaoTalk" in answer
    linked = outputs_text(kakao("kakao-sam", f"/link {CODE.search(answer).group(1)}"))
    assert "Linked!" in linked


# --- refused, with nothing changed ----------------------------------------------------------------


def test_a_kakaotalk_resident_is_refused_and_the_code_still_works_for_a_newcomer(mina, kakao, engine, clock):
    resident_id = add_kakao_resident(engine, user_key="kakao-resident", now=clock())
    code = mina.link_code()
    answer = outputs_text(kakao("kakao-resident", f"/link {code}"))
    assert "이미 가입 정보가 있어서" in answer and "/forget" in answer
    assert speaker(engine, "kakao-resident", clock) == resident_id
    assert len(rows(engine, Resident)) == 2 and rows(engine, LinkFailure) == []

    assert "연결됐어요" in outputs_text(kakao("kakao-new", f"/link {code}"))


@pytest.mark.parametrize("typed", ["00000000", "1234", "코드", "123456789"])
def test_a_wrong_code_changes_nothing(mina, kakao, engine, clock, typed):
    code = mina.link_code()
    typed = typed if typed != code else "99999999"
    answer = outputs_text(kakao("kakao-mina", f"/link {typed}"))
    assert "코드가 맞지 않아요" in answer
    assert platform_of(speaker(engine, "kakao-mina", clock)) is Platform.KAKAO
    assert "연결됐어요" in outputs_text(kakao("kakao-mina", f"/link {code}"))  # hers still works


def test_an_expired_code_changes_nothing(mina, kakao, engine, clock):
    code = mina.link_code()
    clock.advance(10 * 60 + 1)
    assert "시간이 지났거나 이미 쓰였어요" in outputs_text(kakao("kakao-mina", f"/link {code}"))
    assert platform_of(speaker(engine, "kakao-mina", clock)) is Platform.KAKAO


def test_a_code_typed_with_a_space_in_its_last_minute_still_works(mina, kakao, clock):
    code = mina.link_code()
    clock.advance(10 * 60 - 1)
    assert "연결됐어요" in outputs_text(kakao("kakao-mina", f"/link {code[:4]} {code[4:]}"))


def test_a_used_code_does_not_link_a_second_identity(mina, kakao, engine, clock):
    code = mina.link_code()
    kakao("kakao-mina", f"/link {code}")
    assert "시간이 지났거나 이미 쓰였어요" in outputs_text(kakao("kakao-other", f"/link {code}"))
    assert identities(engine)["kakao-mina"] == MINA
    assert platform_of(identities(engine)["kakao-other"]) is Platform.KAKAO


def test_a_newer_code_voids_the_older_one(mina, kakao):
    older = mina.link_code()
    newer = mina.link_code()
    assert "시간이 지났거나 이미 쓰였어요" in outputs_text(kakao("kakao-mina", f"/link {older}"))
    assert "연결됐어요" in outputs_text(kakao("kakao-mina", f"/link {newer}"))


def test_failed_tries_are_limited_per_person_for_15_minutes(mina, kakao, engine, clock):
    code = mina.link_code()
    wrong = "99999999" if code != "99999999" else "88888888"
    for _ in range(5):
        assert "코드가 맞지 않아요" in outputs_text(kakao("guesser", f"/link {wrong}"))
    blocked = outputs_text(kakao("guesser", f"/link {code}"))  # even the right code is not checked
    assert "15분 뒤에" in blocked
    assert platform_of(speaker(engine, "guesser", clock)) is Platform.KAKAO
    assert "연결됐어요" in outputs_text(kakao("someone-else", f"/link {code}"))  # per person

    clock.advance(15 * 60 + 1)
    mina.say("/unlink")
    assert "연결됐어요" in outputs_text(kakao("guesser", f"/link {mina.link_code()}"))


def test_at_most_5_codes_an_hour(mina, clock):
    for _ in range(5):
        mina.link_code()
    assert "한 시간에 5번까지" in mina.say("/link")
    clock.advance(60 * 60 + 1)
    mina.link_code()


def test_the_direction_not_supported_is_refused_kindly(mina, real_conversation, kakao, engine, clock):
    code = mina.link_code()
    on_telegram = TelegramPerson(real_conversation, 5003).say(f"/link {code}")
    assert "카카오톡에서 보내" in on_telegram
    add_kakao_resident(engine, user_key="kakao-resident", now=clock())
    assert "카카오톡을 텔레그램 가입 정보에 연결하는 것만" in outputs_text(kakao("kakao-resident", "/link"))
    assert "텔레그램에서 /link" in outputs_text(kakao("kakao-new", "/link"))  # how it is done
    assert "연결됐어요" in outputs_text(kakao("kakao-mina", f"/link {code}"))


def test_a_second_link_is_refused_until_unlinked(mina, kakao):
    kakao("kakao-mina", f"/link {mina.link_code()}")
    assert "이미 다른 메신저와 연결되어" in mina.say("/link")
    assert "이미 다른 메신저와 연결되어" in outputs_text(kakao("kakao-mina", "/link 12345678"))


# --- undone and forgotten ---------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["telegram", "kakao"])
def test_unlink_makes_the_kakaotalk_identity_a_new_person(mina, kakao, engine, clock, where):
    mina.book()
    kakao("kakao-mina", f"/link {mina.link_code()}")
    said = mina.say("/unlink") if where == "telegram" else outputs_text(kakao("kakao-mina", "/unlink"))
    assert "연결을 끊었어요" in said
    assert platform_of(speaker(engine, "kakao-mina", clock)) is Platform.KAKAO
    assert "시작하기" in outputs_text(kakao("kakao-mina", "/bookings"))  # a newcomer, asked to start
    assert len(rows(engine, Booking)) == 1 and "1번" in mina.say("/bookings")
    assert "연결된 다른 메신저가 없어요" in mina.say("/unlink")


@pytest.mark.parametrize("where", ["telegram", "kakao"])
def test_forget_removes_the_link_codes_and_tries(mina, kakao, engine, clock, where):
    kakao("guesser", "/link 00000001")
    mina.link_code()  # voided by the next one, and kept until the hour is over or /forget
    kakao("kakao-mina", f"/link {mina.link_code()}")
    assert len(rows(engine, LinkCode)) == 2
    if where == "telegram":
        mina.say("/forget")
        mina.press("fg:yes")
    else:
        kakao("kakao-mina", "/forget")
        kakao("kakao-mina", "네", press="fg:yes")
    assert rows(engine, Resident) == []
    assert "kakao-mina" not in identities(engine)
    assert rows(engine, LinkCode) == []
    assert "Which language" in outputs_text(kakao("kakao-mina", "안녕하세요"))  # someone new
    assert platform_of(speaker(engine, "kakao-mina", clock)) is Platform.KAKAO


def test_a_link_to_a_resident_removed_without_forget_is_undone_on_next_contact(mina, kakao, engine, clock):
    kakao("kakao-mina", f"/link {mina.link_code()}")
    with session_scope(engine) as session:  # an operator's hand, not /forget
        session.delete(session.exec(select(Resident)).one())
    with session_scope(engine) as session:
        person = person_for_key(session=session, platform=Platform.KAKAO, external_key="kakao-mina", now=clock())
    assert platform_of(person) is Platform.KAKAO


def test_no_code_and_no_key_reaches_the_logs(mina, kakao, caplog):
    with caplog.at_level(logging.DEBUG):
        code = mina.link_code()
        kakao("kakao-mina", "/link 99999999" if code != "99999999" else "/link 88888888")
        kakao("kakao-mina", f"/link {code}")
        mina.say("/privacy")
        mina.say("/unlink")
    assert caplog.text  # something was logged about it
    assert code not in caplog.text and "kakao-mina" not in caplog.text
