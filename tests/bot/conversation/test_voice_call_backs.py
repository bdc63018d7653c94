"""Voice messages in the conversation: kept with a request being written (like photos), the
call-back offered anywhere else, and the answers where neither applies."""

from __future__ import annotations

import itertools

from sqlmodel import Session, select

from bot.core.messages import Incoming, InputKind, Reply, VoiceNote
from bot.requests.call_backs import CALL_BACK_PROGRAM
from bot.store.models import Booking, BookingVoice, ConversationState, OutboxMessage

_voice_message_ids = itertools.count(50_000)


def send_voice(person, file_id: str, seconds: int = 20, size: int | None = 8000) -> Reply:
    return person.conversation.handle(Incoming(
        user_id=person.user_id, chat_id=person.user_id, first_name=person.first_name, kind=InputKind.VOICE,
        message_id=next(_voice_message_ids), voice=VoiceNote(file_id, seconds, size)))


def texts(reply: Reply) -> str:
    return "\n".join(m.text for m in reply.messages)


def buttons(reply: Reply) -> list[str]:
    return [b.data for m in reply.messages for row in m.buttons for b in row]


def offer_of(reply: Reply) -> str:
    [offer] = [data for data in buttons(reply) if data.startswith("cb:ask:")]
    return offer


def stored_voices(engine) -> list[tuple[int, str, int]]:
    with Session(engine) as session:
        rows = session.exec(select(BookingVoice).order_by(BookingVoice.id))
        return [(v.booking_id, v.file_id, v.seconds) for v in rows]


def staff_voices(engine, chat_id: int) -> list[tuple[str, str]]:
    with Session(engine) as session:
        return [(m.voice, m.text) for m in session.exec(
            select(OutboxMessage).where(OutboxMessage.chat_id == chat_id, OutboxMessage.voice != None)  # noqa: E711
            .order_by(OutboxMessage.id))]


def test_voice_notes_while_writing_a_request_go_with_it_through_edit_up_to_the_limit(person, add_staff_member, engine):
    staff = add_staff_member("seocho")
    mina = person()
    mina.onboard()
    mina.press("req:start:seocho.handyman")
    for n in range(3):
        assert f"({n + 1}/3)" in texts(send_voice(mina, f"AwAC-{n}", seconds=10 + n))
    assert "3개까지" in texts(send_voice(mina, "AwAC-fourth"))
    mina.press("bk:date:2025-03-05")
    mina.press("bk:time:morning")
    mina.say("010-1234-5678")
    mina.say("101동 202호")
    summary = mina.press("bk:skip")
    assert "음성 메시지: 3개" in texts(summary)
    mina.press("bk:edit")  # through the steps again: the voice messages stay
    mina.press("bk:date:2025-03-06")
    mina.press("bk:time:afternoon")
    mina.say("010-1234-5678")
    mina.press("bk:skip")
    assert "음성 메시지: 3개" in texts(mina.press("bk:skip"))
    mina.press("bk:ok")

    with Session(engine) as session:
        booking = session.exec(select(Booking)).one()
    assert stored_voices(engine) == [(booking.id, "AwAC-0", 10), (booking.id, "AwAC-1", 11), (booking.id, "AwAC-2", 12)]
    assert staff_voices(engine, staff) == [
        ("AwAC-0", f"신청 {booking.id} 음성 메시지 1/3 (0:10)"),
        ("AwAC-1", f"신청 {booking.id} 음성 메시지 2/3 (0:11)"),
        ("AwAC-2", f"신청 {booking.id} 음성 메시지 3/3 (0:12)")]


def test_a_call_back_carries_the_voice_messages_of_its_offer(person, add_staff_member, engine):
    staff = add_staff_member("seocho")
    mina = person()
    mina.onboard()
    send_voice(mina, "AwAC-first", seconds=8)
    offer = offer_of(send_voice(mina, "AwAC-second", seconds=31))
    asked = mina.press(offer)
    assert "어느 번호로" in texts(asked) and "bk:stop" in buttons(asked)
    sent = mina.say("02-123-4567")
    with Session(engine) as session:
        booking = session.exec(select(Booking)).one()
        assert session.get(ConversationState, mina.user_id).state == "ready"
    assert f"신청 번호는 {booking.id}번" in texts(sent)
    assert booking.program_id == CALL_BACK_PROGRAM and booking.phone == "02-123-4567"
    assert stored_voices(engine) == [(booking.id, "AwAC-first", 8), (booking.id, "AwAC-second", 31)]
    with Session(engine) as session:
        alert = session.exec(select(OutboxMessage).where(OutboxMessage.chat_id == staff,
                                                         OutboxMessage.voice == None)).one()  # noqa: E711
    assert "주민이 전화를 요청했어요" in alert.text and "🔊 음성 메시지 2개" in alert.text
    assert [row[0]["data"] for row in alert.buttons] == [f"st:acc:{booking.id}"]
    assert len(staff_voices(engine, staff)) == 2


def test_an_old_offer_whose_voice_message_is_gone_asks_for_a_call_without_it(person, add_staff_member, engine):
    add_staff_member("seocho")
    mina = person()
    mina.onboard()
    offer = offer_of(send_voice(mina, "AwAC-earlier"))
    mina.say("집수리")  # a search in between replaces what the conversation held
    mina.press(offer)
    mina.say("010-9999-0000")
    with Session(engine) as session:
        assert session.exec(select(Booking)).one().program_id == CALL_BACK_PROGRAM
    assert stored_voices(engine) == []


def test_the_phone_step_can_be_stopped_by_button_or_word_and_nothing_is_sent(person, engine):
    mina = person()
    mina.onboard()
    mina.press(offer_of(send_voice(mina, "AwAC-a")))
    assert "전화 요청은 보내지 않았어요" in texts(mina.press("bk:stop"))
    mina.press(offer_of(send_voice(mina, "AwAC-b")))
    assert "전화 요청은 보내지 않았어요" in texts(mina.say("취소"))
    with Session(engine) as session:
        assert session.exec(select(Booking)).all() == []
        assert session.exec(select(OutboxMessage)).all() == []


def test_a_district_without_staff_still_keeps_the_call_back(person, engine):
    mina = person()
    mina.onboard(district="gwangjin")
    mina.press(offer_of(send_voice(mina, "AwAC-c")))
    reply = mina.say("010-1111-2222")
    assert "129" in texts(reply)
    with Session(engine) as session:
        assert session.exec(select(Booking)).one().district == "gwangjin"


def test_english_speakers_get_the_offer_and_privacy_shows_the_call_back(person, add_staff_member, engine):
    add_staff_member("seocho")
    tom = person("Tom")
    tom.onboard(language="en")
    reply = send_voice(tom, "AwAC-en", seconds=65)
    assert "Shall I ask them to call you?" in texts(reply)
    assert [b.label for m in reply.messages for row in m.buttons for b in row] == ["📞 Please call me"]
    tom.press(offer_of(reply))
    assert "Done! I asked the district office to call you." in texts(tom.say("010-3333-4444"))
    shown = texts(tom.say("/privacy"))
    assert "📞 Call-back request" in shown and "🔊 1 voice message(s)" in shown and "010-3333-4444" in shown
    assert "📞 Call-back request" in texts(tom.say("/bookings"))


def test_staff_who_are_not_residents_hear_that_voice_cannot_be_read(person, add_staff_member):
    kim = person("Kim", user_id=add_staff_member("seocho"))
    reply = send_voice(kim, "AwAC-staff")
    assert "음성" in texts(reply) and not any(d.startswith("cb:ask:") for d in buttons(reply))
