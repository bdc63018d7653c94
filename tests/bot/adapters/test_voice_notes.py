"""Voice messages through the real Telegram application and conversation, on a fake Bot API:
kept with a request and played to staff and the provider (sendVoice with the resident's file
id), a call-back offered outside a request, and unusable recordings refused with nothing kept.
Each person acts by pressing the buttons they were actually sent."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select
from telegram import Update

from bot.adapters.telegram_sending import TelegramTransport
from bot.adapters.telegram_updates import incoming_from_update
from bot.core.messages import InputKind, Outgoing
from bot.people.providers import add_member
from bot.people.staff import add_staff
from bot.requests.call_backs import CALL_BACK_PROGRAM
from bot.sending.outbox import enqueue_message
from bot.sending.outbox_sender import drain_outbox, outgoing_from_outbox
from bot.store.db import session_scope
from bot.store.models import (
    Booking,
    BookingStatus,
    BookingVoice,
    ConversationState,
    OutboxMessage,
    OutboxStatus,
)

from .conftest import (
    _message,
    _update_ids,
    make_callback_update,
    make_message_update,
    make_voice_update,
)

RESIDENT, STAFF, MEMBER = 7401, 7501, 7601
PROVIDER = "yongsan.the-plant-coop"


def buttons_sent_to(fake_api, chat_id: int) -> list[str]:
    found = []
    for call in fake_api.calls:
        markup = call.params.get("reply_markup")
        if call.params.get("chat_id") == chat_id and markup:
            found += [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row
                      if "callback_data" in b]
    return found


def texts_to(fake_api, chat_id: int) -> list[str]:
    return [c.params.get("text") or c.params.get("caption") or "" for c in fake_api.calls
            if c.params.get("chat_id") == chat_id]


def voices_to(fake_api, chat_id: int) -> list[tuple[str, str]]:
    return [(c.params["voice"], c.params.get("caption", "")) for c in fake_api.called("sendVoice")
            if c.params["chat_id"] == chat_id]


@pytest.fixture
def people(real_app, fake_api, engine, catalog, clock):
    """say / press / voice / deliver for the people of these tests; staff of Yongsan and a
    member of a provider there are registered."""
    with session_scope(engine) as session:
        add_staff(session=session, telegram_id=STAFF, district="yongsan", name="Kim",
                  known_districts=catalog.districts, now=clock())
        add_member(session=session, catalog=catalog, telegram_id=MEMBER, provider_id=PROVIDER, name="Lee",
                   now=clock())
    bot = real_app.bot

    class People:
        since = 0  # the first Bot API call of the last thing someone did

        def answer_to(self, user: int) -> str:
            """Everything the bot sent `user` in answer to the last thing someone did."""
            return "\n".join(c.params.get("text") or c.params.get("caption") or "" for c in fake_api.calls[self.since:]
                             if c.params.get("chat_id") == user)

        async def _act(self, update) -> None:
            # People act a few seconds apart, as people do (the flood limit allows 5 in 10 s).
            clock.advance(3)
            self.since = len(fake_api.calls)
            await real_app.process_update(update)

        async def say(self, user: int, text: str) -> None:
            await self._act(make_message_update(text, user_id=user, bot=bot))

        async def press(self, user: int, data: str) -> None:
            assert data in buttons_sent_to(fake_api, user), f"{data} was never offered to {user}"
            await self._act(make_callback_update(data, user_id=user, bot=bot))

        async def voice(self, user: int, file_id: str, *, seconds: int, size: int | None = 4096) -> None:
            await self._act(make_voice_update(file_id, seconds=seconds, size=size, user_id=user, bot=bot))

        async def deliver(self) -> None:
            await drain_outbox(engine=engine, transport=TelegramTransport(bot), clock=clock)

        async def onboard(self, user: int) -> None:
            await self.say(user, "/start")
            for data in ("lang:ko", "dist:yongsan", "consent:yes", "age:skip", "gender:skip"):
                await self.press(user, data)

    return People()


def stored_voices(engine) -> list[tuple[int, str, int]]:
    with Session(engine) as session:
        return [(v.booking_id, v.file_id, v.seconds)
                for v in session.exec(select(BookingVoice).order_by(BookingVoice.id))]


async def test_a_voice_note_is_kept_with_a_request_and_played_to_staff_and_the_provider(people, fake_api, engine):
    await people.onboard(RESIDENT)
    await people.say(RESIDENT, "/find 집수리")
    await people.press(RESIDENT, "req:start:seoul.sos.home-repair")
    await people.voice(RESIDENT, "AwACAgQ-leak", seconds=42)
    assert "음성 메시지를 신청에 담았어요 (1/3)" in people.answer_to(RESIDENT)
    await people.press(RESIDENT, next(d for d in buttons_sent_to(fake_api, RESIDENT) if d.startswith("bk:date:")))
    await people.press(RESIDENT, "bk:time:afternoon")
    await people.say(RESIDENT, "010-5555-6666")
    await people.press(RESIDENT, "bk:skip")
    await people.press(RESIDENT, "bk:skip")
    await people.press(RESIDENT, "bk:share:yes")
    assert "음성 메시지: 1개" in people.answer_to(RESIDENT)  # the summary counts it
    await people.press(RESIDENT, "bk:ok")
    with Session(engine) as session:
        booking = session.exec(select(Booking)).one()
    assert stored_voices(engine) == [(booking.id, "AwACAgQ-leak", 42)]  # the file id and length only
    await people.deliver()

    # Staff read the request (with the voice counted) and get the voice message itself.
    assert any("🔊 음성 메시지 1개" in text for text in texts_to(fake_api, STAFF))
    assert voices_to(fake_api, STAFF) == [("AwACAgQ-leak", f"신청 {booking.id} 음성 메시지 1/1 (0:42)")]

    # The provider given the job gets it too, with the job card and its buttons.
    await people.press(STAFF, f"st:acc:{booking.id}")
    await people.press(STAFF, f"st:asg:{booking.id}.{PROVIDER}")
    await people.deliver()
    [(file_id, caption)] = voices_to(fake_api, MEMBER)
    assert file_id == "AwACAgQ-leak" and "음성 메시지 1/1 (0:42)" in caption
    assert any("🔊 음성 메시지 1개" in text for text in texts_to(fake_api, MEMBER))


async def test_the_provider_hears_no_voice_note_without_the_residents_consent_to_share(people, fake_api, engine):
    await people.onboard(RESIDENT)
    await people.say(RESIDENT, "/find 집수리")
    await people.press(RESIDENT, "req:start:seoul.sos.home-repair")
    await people.voice(RESIDENT, "AwACAgQ-private", seconds=20)
    await people.press(RESIDENT, next(d for d in buttons_sent_to(fake_api, RESIDENT) if d.startswith("bk:date:")))
    await people.press(RESIDENT, "bk:time:afternoon")
    await people.say(RESIDENT, "010-5555-6666")
    await people.press(RESIDENT, "bk:skip")
    await people.press(RESIDENT, "bk:skip")
    await people.press(RESIDENT, "bk:share:no")
    await people.press(RESIDENT, "bk:ok")
    with Session(engine) as session:
        booking = session.exec(select(Booking)).one()
    await people.deliver()
    assert [file_id for file_id, _ in voices_to(fake_api, STAFF)] == ["AwACAgQ-private"]  # staff always
    await people.press(STAFF, f"st:acc:{booking.id}")
    await people.press(STAFF, f"st:asg:{booking.id}.{PROVIDER}")
    await people.deliver()
    assert texts_to(fake_api, MEMBER)  # the job reached the provider
    assert voices_to(fake_api, MEMBER) == []
    assert not any("음성 메시지" in text for text in texts_to(fake_api, MEMBER))


async def test_a_voice_note_outside_a_request_offers_a_call_back_that_reaches_staff(people, fake_api, engine):
    await people.onboard(RESIDENT)
    await people.voice(RESIDENT, "AwACAgQ-call-me", seconds=15)
    assert "전화를 부탁드릴까요?" in people.answer_to(RESIDENT)
    [offer] = [d for d in buttons_sent_to(fake_api, RESIDENT) if d.startswith("cb:ask:")]
    assert stored_voices(engine) == []  # only in the conversation, until a call-back is asked for

    await people.press(RESIDENT, offer)
    assert "어느 번호로 전화하면" in people.answer_to(RESIDENT)
    await people.say(RESIDENT, "1577-1000")  # not a number staff can call a resident back on
    assert "전화번호를 확인해 주세요" in people.answer_to(RESIDENT)
    await people.say(RESIDENT, "010 2222 3333")
    with Session(engine) as session:
        booking = session.exec(select(Booking)).one()
    assert (booking.program_id, booking.phone, booking.status, booking.district) == (
        CALL_BACK_PROGRAM, "010-2222-3333", BookingStatus.REQUESTED, "yongsan")
    assert f"신청 번호는 {booking.id}번" in people.answer_to(RESIDENT)

    await people.deliver()
    alert = next(text for text in texts_to(fake_api, STAFF) if "전화를 요청했어요" in text)
    assert "📞 전화 요청" in alert and "010-2222-3333" in alert
    assert voices_to(fake_api, STAFF) == [("AwACAgQ-call-me", f"신청 {booking.id} 음성 메시지 1/1 (0:15)")]
    # Staff answer it like any request: accept (the resident is told), then done.
    assert not any(d.startswith("st:asg:") for d in buttons_sent_to(fake_api, STAFF))
    await people.press(STAFF, f"st:acc:{booking.id}")
    await people.press(STAFF, f"st:done:{booking.id}")
    await people.deliver()
    with Session(engine) as session:
        assert session.get(Booking, booking.id).status == BookingStatus.DONE
    assert any("전화 요청" in text and "수락" in text for text in texts_to(fake_api, RESIDENT))
    await people.say(RESIDENT, "/bookings")
    assert "📞 전화 요청" in people.answer_to(RESIDENT)


@pytest.mark.parametrize(("seconds", "size", "answer"), [
    (0, 4096, "비어 있어요"),
    (5, 0, "비어 있어요"),
    (11 * 60, 900_000, "10분보다 길어요"),
])
async def test_empty_and_over_long_voice_notes_are_refused_with_nothing_kept(people, fake_api, engine, seconds,
                                                                          size, answer):
    await people.onboard(RESIDENT)
    await people.voice(RESIDENT, "AwACAgQ-bad-outside", seconds=seconds, size=size)
    assert answer in people.answer_to(RESIDENT)
    assert not any(d.startswith("cb:ask:") for d in buttons_sent_to(fake_api, RESIDENT))

    await people.say(RESIDENT, "/find 집수리")
    await people.press(RESIDENT, "req:start:seoul.sos.home-repair")
    await people.voice(RESIDENT, "AwACAgQ-bad-in-request", seconds=seconds, size=size)
    assert answer in people.answer_to(RESIDENT)
    with Session(engine) as session:
        state = session.get(ConversationState, RESIDENT)
        assert "voices" not in state.data
        assert session.exec(select(BookingVoice)).all() == []
        assert all(m.voice is None for m in session.exec(select(OutboxMessage)))
    assert fake_api.called("sendVoice") == []


async def test_a_voice_note_where_something_else_is_asked_gets_a_clear_answer(people, fake_api, engine):
    # A stranger is asked to start first (their district, their consent), with the button.
    await people.voice(RESIDENT, "AwACAgQ-hello", seconds=4)
    assert "먼저 사시는 구를 알려 주세요" in people.answer_to(RESIDENT)
    assert buttons_sent_to(fake_api, RESIDENT) == ["nav:setup"]
    await people.onboard(RESIDENT)
    # Setting up check-ins: a voice message cannot answer the days asked.
    await people.say(RESIDENT, "/checkin")
    await people.voice(RESIDENT, "AwACAgQ-days", seconds=4)
    assert "지금 단계에서는 음성 메시지를 받을 수 없어요" in people.answer_to(RESIDENT)
    # The phone step of a call-back wants the number in writing; /cancel stops it.
    await people.say(RESIDENT, "/cancel")
    await people.voice(RESIDENT, "AwACAgQ-call", seconds=4)
    await people.press(RESIDENT, next(d for d in buttons_sent_to(fake_api, RESIDENT) if d.startswith("cb:ask:")))
    await people.voice(RESIDENT, "AwACAgQ-my-number", seconds=6)
    assert "전화번호를 숫자로 적어 주세요" in people.answer_to(RESIDENT)
    await people.say(RESIDENT, "/cancel")
    assert "전화 요청은 보내지 않았어요" in people.answer_to(RESIDENT)
    with Session(engine) as session:
        assert session.exec(select(Booking)).all() == []
    await people.deliver()
    assert fake_api.called("sendVoice") == []


def test_an_audio_file_is_not_a_voice_note_and_a_voice_note_may_come_without_its_size():
    audio = {"file_id": "CQACAgQ-song", "file_unique_id": "song", "duration": 180, "mime_type": "audio/mpeg"}
    update = make_message_update("x")
    message = _message(RESIDENT, None, "Mina", audio=audio)
    as_audio = Update.de_json({"update_id": next(_update_ids), "message": message}, None)
    assert incoming_from_update(as_audio).kind is InputKind.UNSUPPORTED
    voice = incoming_from_update(make_voice_update("AwACAgQ-x", seconds=7, size=None, user_id=RESIDENT))
    assert (voice.kind, voice.voice.file_id, voice.voice.seconds, voice.voice.size) == (
        InputKind.VOICE, "AwACAgQ-x", 7, None)
    assert incoming_from_update(update).voice is None


async def test_the_outbox_sends_a_voice_with_its_caption_and_then_forgets_the_file_id(app, fake_api, engine, clock):
    with session_scope(engine) as session:
        enqueue_message(session=session, chat_id=STAFF, voice="AwACAgQ-queued", text="신청 3 음성 메시지 1/1 (0:09)",
                        now=clock())
        with pytest.raises(ValueError):
            enqueue_message(session=session, chat_id=STAFF, voice="AwACAgQ-x", photo="AgAC-x", text="both", now=clock())
    stats = await drain_outbox(engine=engine, transport=TelegramTransport(app.bot), clock=clock)
    assert stats.sent == 1
    [call] = fake_api.called("sendVoice")
    assert (call.params["chat_id"], call.params["voice"], call.params["caption"]) == (
        STAFF, "AwACAgQ-queued", "신청 3 음성 메시지 1/1 (0:09)")
    with Session(engine) as session:
        [message] = session.exec(select(OutboxMessage)).all()
        assert (message.status, message.voice, message.text) == (OutboxStatus.SENT, None, "")
        assert outgoing_from_outbox(message) == Outgoing(chat_id=STAFF, text="")
