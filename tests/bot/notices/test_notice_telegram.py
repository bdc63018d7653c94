"""Notices through the real Telegram adapter: the notice job, photos in, link buttons and
photos out, progress edits; on the recording fake Bot API of tests/bot/adapters."""

from __future__ import annotations

from telegram import Update

from bot.adapters.telegram_sending import TelegramTransport, keyboard
from bot.adapters.telegram_updates import incoming_from_update
from bot.core.messages import Button, InputKind, Outgoing
from bot.notices.authoring import create_notice, start_notice
from bot.sending.send_rate import SendRateLimiter
from bot.store.db import session_scope
from bot.store.models import NoticeStatus

from .conftest import START as NOTICE_START
from adapters.conftest import (  # noqa: F401  (fixtures of the adapter tests)
    BOT_USER,
    START,
    app,
    fake_api,
    make_settings,
    no_reply_delays,
)
from adapters.conftest import clock as clock  # noqa: F401
from adapters.conftest import conversation as conversation  # noqa: F401
from adapters.conftest import settings as settings  # noqa: F401


def test_a_photo_arrives_as_a_photo_with_its_caption_and_largest_size():
    sizes = [{"file_id": f"size-{n}", "file_unique_id": f"u{n}", "width": w, "height": w}
             for n, w in enumerate((90, 320, 1280))]
    update = Update.de_json({"update_id": 1, "message": {
        "message_id": 5, "date": int(START.timestamp()), "chat": {"id": 77, "type": "private"},
        "from": {"id": 77, "is_bot": False, "first_name": "Kim"},
        "photo": sizes, "caption": "쉼터 지도"}}, None)
    incoming = incoming_from_update(update)
    assert (incoming.kind, incoming.text, incoming.photo) == (InputKind.PHOTO, "쉼터 지도", "size-2")


def test_link_buttons_become_url_buttons():
    markup = keyboard(Outgoing(1, "x", ((Button("자세히", url="https://www.seocho.go.kr"),
                                         Button("멈추기", "nt:stop:3")),)))
    link, press = markup.inline_keyboard[0]
    assert (link.url, link.callback_data) == ("https://www.seocho.go.kr", None)
    assert press.callback_data == "nt:stop:3"


async def test_transport_sends_photos_and_returns_message_ids(app, fake_api):
    transport = TelegramTransport(app.bot)
    photo_id = await transport.send(Outgoing(5, "캡션", photo="file-1"))
    [call] = fake_api.called("sendPhoto")
    assert call.params["photo"] == "file-1" and call.params["caption"] == "캡션"
    text_id = await transport.send(Outgoing(5, "글"))
    edited = await transport.send(Outgoing(5, "고친 글", edit_message_id=text_id))
    assert edited == text_id and photo_id != text_id


async def test_the_notice_job_sends_through_the_shared_limiter_and_reports(app, fake_api, engine):
    [job] = app.job_queue.get_jobs_by_name("notices")
    assert job is not None
    handlers = app.bot_data["chat_handlers"]
    limiter = app.bot_data["send_limiter"]
    assert isinstance(limiter, SendRateLimiter) and handlers.notice_sender.limiter is limiter
    from bot.people.residents import register_resident
    from bot.people.staff import add_staff
    with session_scope(engine) as session:
        staff = add_staff(session=session, telegram_id=9100, district="seocho", name="Kim",
                          known_districts={"seocho"}, now=NOTICE_START)
        for user_id in (31, 32, 33):
            register_resident(session=session, platform_user_id=user_id, chat_id=user_id, first_name="주민",
                              language="ko", district="seocho", now=NOTICE_START)
        notice = create_notice(session=session, district="seocho", text="폭염 쉼터 안내", staff=staff,
                               link_url="https://www.seocho.go.kr", now=NOTICE_START)
        start_notice(session=session, notice=notice, now=NOTICE_START)

    await handlers.send_notices()

    to_residents = [c for c in fake_api.called("sendMessage") if c.params["chat_id"] in (31, 32, 33)]
    assert sorted(c.params["chat_id"] for c in to_residents) == [31, 32, 33]
    assert to_residents[0].params["reply_markup"]["inline_keyboard"][0][0]["url"] == "https://www.seocho.go.kr"
    [progress] = [c for c in fake_api.called("sendMessage") if c.params["chat_id"] == 9100]
    assert progress.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == f"nt:stop:{notice.id}"
    report = [c for c in fake_api.called("editMessageText") if c.params["chat_id"] == 9100][-1]
    assert "전달됨 3명" in report.params["text"]
    assert limiter.granted[0] >= 2 and limiter.granted[1] == 3  # staff messages HIGH, residents LOW
    from sqlmodel import Session

    from bot.store.models import Notice
    with Session(engine) as session:
        assert session.get(Notice, notice.id).status == NoticeStatus.FINISHED
