"""The real Application from build_application, on a fake Bot API, with a stand-in conversation."""

from __future__ import annotations

import asyncio
import logging
import threading

import pytest
from sqlalchemy import create_engine
from sqlmodel import Session, select
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

from bot.adapters.flood import FLOOD_NOTICE
from bot.adapters.telegram import BOT_COMMANDS, bot_api_base_url, build_application, register_commands
from bot.adapters.telegram_sending import (
    SharedRateLimiter,
    TelegramTransport,
    delivery_error,
    keyboard,
    retry_after_seconds,
)
from bot.adapters.telegram_updates import run_on_event_loop, turn_runner_for
from bot.core.messages import Button, InputKind, Outgoing
from bot.sending.outbox_sender import RateLimited, RecipientBlocked, RejectedMessage, TransientSendError
from bot.store.models import OutboxMessage, OutboxStatus, Resident

from .conftest import (
    STAFF_CHAT,
    TOKEN,
    add_resident,
    make_callback_update,
    make_message_update,
    make_settings,
    make_sticker_update,
)


def keyboard_of(call) -> list[list[tuple[str, str]]]:
    rows = call.params["reply_markup"]["inline_keyboard"]
    return [[(b["text"], b["callback_data"]) for b in row] for row in rows]


def resident_active(engine, user_id: int) -> bool:
    with Session(engine) as session:
        return session.exec(select(Resident).where(Resident.platform_user_id == user_id)).one().active


async def test_text_gets_the_conversations_answer_with_an_inline_keyboard(app, fake_api, conversation):
    await app.process_update(make_message_update("보일러가 고장났어요", user_id=7, bot=app.bot))

    [incoming] = conversation.received
    assert (incoming.kind, incoming.text, incoming.user_id, incoming.chat_id) == (
        InputKind.TEXT, "보일러가 고장났어요", 7, 7
    )
    assert incoming.first_name == "Mina"
    [call] = fake_api.called("sendMessage")
    assert call.params["chat_id"] == 7
    assert call.params["text"] == "you said: 보일러가 고장났어요"
    assert keyboard_of(call) == [[("한국어", "lang:ko"), ("English", "lang:en")]]


def test_a_keyboard_is_sent_as_ptb_would_send_it_and_built_once_per_set_of_buttons():
    rows = ((Button("신청", "req:p1"), Button("더 보기", "more:p1")), (Button("자세히", url="https://a.kr"),))
    sent = keyboard(Outgoing(1, "card", rows))
    plain = InlineKeyboardMarkup([
        [InlineKeyboardButton("신청", callback_data="req:p1"),
         InlineKeyboardButton("더 보기", callback_data="more:p1")],
        [InlineKeyboardButton("자세히", url="https://a.kr")],
    ])
    assert sent.to_dict() == plain.to_dict()
    assert sent == plain
    assert keyboard(Outgoing(2, "the same card to someone else", rows)) is sent
    other = keyboard(Outgoing(1, "card", ((Button("신청", "req:p2"),),)))
    assert other.to_dict()["inline_keyboard"] == [[{"text": "신청", "callback_data": "req:p2"}]]
    assert keyboard(Outgoing(1, "no buttons")) is None


async def test_a_command_is_text_for_the_conversation(app, fake_api, conversation):
    await app.process_update(make_message_update("/start", bot=app.bot))
    assert conversation.received[0].kind is InputKind.TEXT
    assert conversation.received[0].text == "/start"
    assert fake_api.sent_texts == ["you said: /start"]


async def test_button_press_is_answered_and_replied_to(app, fake_api, conversation):
    await app.process_update(make_callback_update("lang:en", message_id=77, user_id=8, bot=app.bot))

    [incoming] = conversation.received
    assert (incoming.kind, incoming.text, incoming.message_id) == (InputKind.BUTTON, "lang:en", 77)
    assert len(fake_api.called("answerCallbackQuery")) == 1
    [edit] = fake_api.called("editMessageText")
    assert (edit.params["chat_id"], edit.params["message_id"], edit.params["text"]) == (8, 77, "pressed lang:en")
    assert [c.params["text"] for c in fake_api.called("sendMessage")] == ["next question"]


async def test_an_edit_telegram_refuses_is_sent_as_a_new_message(app, fake_api):
    fake_api.fail("editMessageText", "bad_request")
    await app.process_update(make_callback_update("lang:ko", bot=app.bot))
    assert [c.params["text"] for c in fake_api.called("sendMessage")] == ["pressed lang:ko", "next question"]


async def test_an_edit_to_the_same_text_is_already_done(app, fake_api):
    fake_api.fail("editMessageText", "not_modified")
    await app.process_update(make_callback_update("lang:ko", bot=app.bot))
    assert [c.params["text"] for c in fake_api.called("sendMessage")] == ["next question"]


async def test_sticker_takes_the_unsupported_path(app, fake_api, conversation):
    await app.process_update(make_sticker_update(user_id=9, bot=app.bot))
    [incoming] = conversation.received
    assert (incoming.kind, incoming.text) == (InputKind.UNSUPPORTED, "")
    assert fake_api.sent_texts == ["글로 써 주세요 / please write in text"]


async def test_group_messages_are_not_answered(app, fake_api, conversation):
    update = make_message_update("hello", user_id=10, chat_id=-100123, chat_type="group", bot=app.bot)
    await app.process_update(update)
    assert conversation.received == []
    assert fake_api.called("sendMessage") == []


async def test_403_while_replying_marks_the_resident_unreachable(app, fake_api, engine):
    add_resident(engine, user_id=11)
    fake_api.fail("sendMessage", "blocked")
    await app.process_update(make_message_update("안녕하세요", user_id=11, bot=app.bot))
    assert resident_active(engine, 11) is False


async def test_chat_not_found_while_replying_marks_the_resident_unreachable(app, fake_api, engine):
    add_resident(engine, user_id=12)
    fake_api.fail("sendMessage", "chat_not_found")
    await app.process_update(make_message_update("안녕하세요", user_id=12, bot=app.bot))
    assert resident_active(engine, 12) is False


async def test_timeouts_are_retried_a_bounded_number_of_times(app, fake_api):
    fake_api.fail("sendMessage", "timeout", times=2)
    await app.process_update(make_message_update("one", bot=app.bot))
    assert len(fake_api.called("sendMessage")) == 3  # two timeouts, then delivered

    fake_api.calls.clear()
    fake_api.fail("sendMessage", "server_error", times=10)
    await app.process_update(make_message_update("two", bot=app.bot))
    assert len(fake_api.called("sendMessage")) == 3  # given up after three attempts


async def test_429_is_retried_by_the_rate_limiter(app, fake_api):
    fake_api.fail("sendMessage", "rate_limited", retry_after=1)
    await app.process_update(make_message_update("hi", bot=app.bot))
    assert fake_api.sent_texts == ["you said: hi", "you said: hi"]  # refused once, then sent


async def test_flood_from_one_person_is_cut_off_after_the_limit(app, fake_api, conversation, clock, settings):
    for number in range(30):  # 30 messages within one second
        await app.process_update(make_message_update(f"m{number}", user_id=21, bot=app.bot))
        clock.advance(1 / 30)
    await app.process_update(make_message_update("hello", user_id=22, bot=app.bot))

    handled = [i.text for i in conversation.received if i.user_id == 21]
    assert handled == [f"m{n}" for n in range(settings.flood_max_messages)]
    to_flooder = [c.params["text"] for c in fake_api.called("sendMessage") if c.params["chat_id"] == 21]
    assert to_flooder.count(FLOOD_NOTICE) == 1
    assert len(to_flooder) == settings.flood_max_messages + 1
    assert [c.params["text"] for c in fake_api.called("sendMessage") if c.params["chat_id"] == 22] == [
        "you said: hello"
    ]

    clock.advance(settings.flood_window_seconds)
    await app.process_update(make_message_update("later", user_id=21, bot=app.bot))
    assert conversation.received[-1].text == "later"


async def test_outbox_job_sends_queued_messages(app, fake_api, conversation, engine):
    await app.process_update(make_message_update("alert", user_id=23, bot=app.bot))
    [job] = app.job_queue.get_jobs_by_name("outbox")

    await job.callback(type("Context", (), {"bot": app.bot})())

    [alert] = [c for c in fake_api.called("sendMessage") if c.params["chat_id"] == STAFF_CHAT]
    assert alert.params["text"] == "새 신청 / new request"
    assert keyboard_of(alert) == [[("수락", "booking:accept:1")]]
    with Session(engine) as session:
        assert session.exec(select(OutboxMessage)).one().status == OutboxStatus.SENT


async def test_command_menu_is_registered_and_a_failure_is_ignored(app, fake_api):
    await register_commands(app)
    calls = fake_api.called("setMyCommands")
    assert len(calls) == len(BOT_COMMANDS)
    for call in calls:  # the same commands in every language; staff's and providers' are theirs alone
        names = [c["command"] for c in call.params["commands"]]
        assert names == ["start", "find", "menu", "bookings", "checkin", "privacy", "forget",
                         "help", "settings", "link"]

    fake_api.fail("setMyCommands", "server_error", times=len(BOT_COMMANDS))
    await register_commands(app)  # does not raise


async def test_failing_update_logs_its_id_and_type_never_the_token(app, fake_api, caplog):
    caplog.set_level(logging.DEBUG)
    update = make_message_update("boom", bot=app.bot)  # the conversation raises, token in the text
    await app.process_update(update)
    fake_api.fail("sendMessage", "leaky_error", times=3)  # Telegram's error quotes the URL
    await app.process_update(make_message_update("hello", bot=app.bot))

    assert f"update {update.update_id} failed: RuntimeError" in caplog.text
    assert TOKEN not in caplog.text
    assert TOKEN.split(":")[1] not in caplog.text


async def test_without_a_token_there_is_no_telegram_bot(conversation, engine):
    with pytest.raises(ValueError, match="TELEGRAM_BOT_TOKEN"):
        build_application(make_settings(telegram_bot_token=None), conversation=conversation, engine=engine)


@pytest.mark.parametrize(
    "configured, expected",
    [
        (None, "https://api.telegram.org/bot"),
        ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/bot"),
        ("http://127.0.0.1:8081/bot/", "http://127.0.0.1:8081/bot"),
        ("http://127.0.0.1:8081", "http://127.0.0.1:8081/bot"),
        ("http://proxy/tg/bot{token}/x", "http://proxy/tg/bot{token}/x"),
    ],
)
def test_base_url_follows_ptb_bot_semantics(configured, expected):
    assert bot_api_base_url(configured) == expected


async def test_base_url_from_settings_reaches_the_bot(conversation, engine, fake_api):
    settings = make_settings(telegram_api_base_url="http://127.0.0.1:8081/bot")
    application = build_application(settings, conversation=conversation, engine=engine, request=fake_api)
    assert application.bot.base_url == f"http://127.0.0.1:8081/bot{TOKEN}"
    # PTB's limiter keeps retrying 429s for replies, behind the bot's shared send rate.
    limiter = application.bot.rate_limiter
    assert isinstance(limiter, SharedRateLimiter) and isinstance(limiter.inner, AIORateLimiter)
    assert limiter.shared is application.bot_data["send_limiter"]


def test_turns_run_on_the_event_loop_for_sqlite_and_on_a_thread_for_a_server():
    assert turn_runner_for(create_engine("sqlite://")) is run_on_event_loop
    server = create_engine("postgresql+psycopg://bot@db.invalid/ddokddok")  # never connected
    assert turn_runner_for(server) is asyncio.to_thread


async def test_a_turn_runs_where_the_database_says(app, fake_api, conversation, engine):
    handled_on = []
    handle = conversation.handle
    conversation.handle = lambda incoming: handled_on.append(threading.get_ident()) or handle(incoming)
    await app.process_update(make_message_update("hello"))
    on_the_loop = handled_on == [threading.get_ident()]
    assert on_the_loop == (engine.dialect.name == "sqlite") and len(handled_on) == 1
    assert fake_api.called("sendMessage")


# --- the outbox's Telegram transport ---------------------------------------------------------


@pytest.mark.parametrize(
    "failure, expected",
    [
        ("blocked", RecipientBlocked),
        ("deactivated", RecipientBlocked),
        ("chat_not_found", RecipientBlocked),
        ("rate_limited", RateLimited),
        ("server_error", TransientSendError),
        ("timeout", TransientSendError),
        ("bad_request", RejectedMessage),
    ],
)
async def test_transport_maps_telegram_errors(fake_api, failure, expected):
    bot = Bot(TOKEN, request=fake_api)  # no rate limiter: the 429 reaches the transport
    await bot.initialize()
    fake_api.fail("sendMessage", failure, retry_after=7)
    with pytest.raises(expected) as caught:
        await TelegramTransport(bot).send(Outgoing(5, "hi"))
    assert TOKEN not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    if expected is RateLimited:
        assert caught.value.retry_after == 7
    await bot.shutdown()


def test_delivery_error_codes_carry_no_text():
    assert delivery_error(RetryAfter(3)).code == "telegram:429"
    assert retry_after_seconds(RetryAfter(3)) == 3.0
