"""Many residents at once, with the timed jobs writing on their own threads: nothing lost.

The bot as it runs: a SQLite *file* (not the suite's shared in-memory connection, which cannot
show what two connections do to each other), the real `Application` started with its job queue
(outbox, notices, check-ins), updates put on its update queue as polling does. While a notice
goes out to a thousand residents of another district, a hundred residents onboard and search
side by side. Before turns began as writers, SQLite refused some of their writes ("database is
locked": a reader's snapshot cannot be moved forward) and those residents got no answer.

Also here: a slow Bot API answer for one resident holds up only that resident, a reply that
cannot be sent goes to the durable outbox, and a turn the database fails is answered with a
"please send that again".
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import select
from telegram import Bot

from bot.adapters.telegram import build_application
from bot.adapters.telegram_sending import TelegramTransport
from bot.adapters.telegram_updates import TURN_FAILED_NOTICE
from bot.core.messages import Button, Incoming, Outgoing, Reply
from bot.notices.authoring import create_notice, start_notice
from bot.people.residents import register_resident
from bot.sending.outbox_sender import drain_outbox
from bot.store.db import create_schema, make_engine, session_scope
from bot.store.models import OutboxMessage, OutboxStatus

from .conftest import FakeBotApi, make_callback_update, make_message_update

WRITERS = 100
NOTICE_AUDIENCE = 1000
ONBOARDING = ["lang:ko", "dist:seocho", "consent:yes", "age:skip", "gender:skip"]
# Written for this test: what residents ask, and small talk.
SEARCHES = ["보일러가 고장 났어요", "반찬 배달 받을 수 있나요", "오늘 날씨 좋네요", "/help"]


@pytest.fixture
def engine(tmp_path, test_database_url) -> Engine:
    """A SQLite file in WAL mode, as the bot runs it (or the configured PostgreSQL schema)."""
    engine = make_engine(test_database_url or f"sqlite:///{(tmp_path / 'bot.sqlite3').as_posix()}")
    create_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(settings):
    # The test's residents write 10 messages in a row, which the flood gate would slow down;
    # at Telegram's 30 sends a second the test would wait longer and find nothing more (at
    # 200 the notice still goes on for the whole test). Check-ins tick every second.
    return settings.model_copy(update={"flood_max_messages": 50, "checkin_tick_seconds": 1.0,
                                       "notice_rate_per_second": 200})


def seed_notice(engine: Engine, clock) -> None:
    """A running notice to residents of another district: the notice job writes all along."""
    with session_scope(engine) as session:
        for n in range(NOTICE_AUDIENCE):
            register_resident(session=session, platform_user_id=700_000 + n, chat_id=700_000 + n,
                              first_name="Ara", language="ko", district="yongsan", now=clock())
        notice = create_notice(session=session, district="yongsan", text="구청 알림입니다", now=clock())
        start_notice(session=session, notice=notice, now=clock())


async def run_application(application, updates: list[Any], timeout: float = 120.0,
                          when=lambda: True) -> None:
    """Start the bot with its jobs, hand it `updates` as polling would once `when()` holds,
    and wait until all are done."""
    await application.initialize()
    await application.start()
    try:
        async with asyncio.timeout(timeout):
            while not when():
                await asyncio.sleep(0.05)
        for update in updates:
            await application.update_queue.put(update)
        await asyncio.wait_for(application.update_queue.join(), timeout)
    finally:
        await application.stop()
        await application.shutdown()


def replies_per_chat(fake_api: FakeBotApi) -> Counter:
    return Counter(int(call.params["chat_id"]) for call in fake_api.calls
                   if call.method in ("sendMessage", "editMessageText"))


async def test_a_hundred_residents_while_the_jobs_write_lose_nothing(
    settings, conversation, engine, fake_api, clock, no_reply_delays, caplog, figures
):
    seed_notice(engine, clock)
    application = build_application(settings, conversation=conversation, engine=engine,
                                     request=fake_api, clock=clock)
    chat = application.bot_data["chat_handlers"]
    writers = range(10_000, 10_000 + WRITERS)
    updates: list[Any] = []
    # Round by round, every resident one step: their turns interleave as they would live.
    bot = application.bot
    updates += [make_message_update("/start", user_id=user, bot=bot) for user in writers]
    for data in ONBOARDING:
        updates += [make_callback_update(data, user_id=user, bot=bot) for user in writers]
    for text in SEARCHES:
        updates += [make_message_update(text, user_id=user, bot=bot) for user in writers]
    figures.inputs_tried += len(updates)

    def notice_going_out() -> bool:
        return any(int(call.params.get("chat_id", 0)) >= 700_000 for call in fake_api.calls)

    with caplog.at_level(logging.WARNING):
        await run_application(application, updates, when=notice_going_out)

    assert chat.failed_turns == 0
    assert not [r for r in caplog.records if "locked" in r.getMessage() or "failed" in r.getMessage()]
    per_chat = replies_per_chat(fake_api)
    steps = 1 + len(ONBOARDING) + len(SEARCHES)
    unanswered = [user for user in writers if per_chat[user] < steps]
    figures.records_lost += len(unanswered)
    assert unanswered == []
    # The notice went on meanwhile, its job writing while the turns did.
    assert sum(1 for chat_id in per_chat if chat_id >= 700_000) < NOTICE_AUDIENCE


class SlowForOneChat(FakeBotApi):
    """Answers one chat's messages after `delay` seconds (Telegram having a bad moment)."""

    def __init__(self, slow_chat: int, delay: float) -> None:
        super().__init__()
        self.slow_chat = slow_chat
        self.delay = delay
        self.answered_at: dict[int, float] = {}

    async def do_request(self, url, method, request_data=None, **timeouts):
        params = dict(request_data.parameters) if request_data is not None else {}
        if str(params.get("chat_id")) == str(self.slow_chat):
            await asyncio.sleep(self.delay)
        answer = await super().do_request(url, method, request_data, **timeouts)
        if "chat_id" in params:
            self.answered_at.setdefault(int(params["chat_id"]), asyncio.get_running_loop().time())
        return answer


async def test_a_slow_answer_for_one_resident_does_not_hold_up_another(
    settings, conversation, engine, clock, no_reply_delays
):
    fake_api = SlowForOneChat(slow_chat=1, delay=3.0)
    application = build_application(settings, conversation=conversation, engine=engine,
                                     request=fake_api, clock=clock)
    started = asyncio.get_running_loop().time()
    await run_application(application, [make_message_update("/help", user_id=1, bot=application.bot),
                                         make_message_update("/help", user_id=2, bot=application.bot)])
    assert fake_api.answered_at[2] - started < 1.5  # not behind resident 1's 3 s
    assert fake_api.answered_at[1] - started >= 3.0


async def test_one_residents_messages_keep_their_order(settings, conversation, engine, clock,
                                                      no_reply_delays, fake_api):
    """Side by side for different people, but one person's steps in the order they were sent:
    onboarding only works if each press sees the step before it done."""
    application = build_application(settings, conversation=conversation, engine=engine,
                                     request=fake_api, clock=clock)
    bot = application.bot
    updates = [make_message_update("/start", user_id=5, bot=bot)]
    updates += [make_callback_update(data, user_id=5, bot=bot) for data in ONBOARDING]
    updates += [make_message_update("/bookings", user_id=5, bot=bot)]
    await run_application(application, updates)
    with session_scope(engine) as session:
        from bot.store.models import Resident

        resident = session.exec(select(Resident).where(Resident.platform_user_id == 5)).one()
        assert resident.district == "seocho"


async def test_a_reply_that_cannot_be_sent_goes_to_the_outbox(app, fake_api, engine, figures):
    fake_api.fail("sendMessage", "timeout", times=3)  # the first try and both retries
    figures.faults_injected += 3
    await app.process_update(make_message_update("/help", user_id=31))
    with session_scope(engine) as session:
        queued = session.exec(select(OutboxMessage).where(OutboxMessage.chat_id == 31)).all()
    assert [m.status for m in queued] == [OutboxStatus.PENDING]
    assert queued[0].text  # the reply itself, to be sent by the outbox job
    assert app.bot_data["chat_handlers"].replies_to_outbox == 1


class AnswersWithKeyboardAndLink:
    """A conversation whose every reply carries a link button and the typing field's keyboard,
    as the end of onboarding and a notice's "more information" do."""

    def handle(self, incoming: Incoming) -> Reply:
        reply = Reply()
        reply.messages.append(Outgoing(incoming.chat_id, "읽어 보세요",
                                       buttons=((Button("더 알아보기", url="https://example.org/more"),),)))
        reply.messages.append(Outgoing(incoming.chat_id, "아래 버튼을 누르세요", keyboard=("도움말", "내 신청")))
        return reply


async def test_a_reply_waiting_in_the_outbox_keeps_its_link_and_keyboard(settings, engine, fake_api, clock,
                                                                         no_reply_delays):
    application = build_application(settings, conversation=AnswersWithKeyboardAndLink(), engine=engine,
                                    request=fake_api, clock=clock)
    await application.initialize()
    try:
        fake_api.fail("sendMessage", "timeout", times=6)  # both replies: the first try and both retries
        await application.process_update(make_message_update("hello", user_id=32, bot=application.bot))
        assert application.bot_data["chat_handlers"].replies_to_outbox == 2
        bot = Bot(settings.telegram_bot_token.get_secret_value(), request=fake_api)
        await bot.initialize()
        stats = await drain_outbox(engine=engine, transport=TelegramTransport(bot), clock=clock)
        await bot.shutdown()
    finally:
        await application.shutdown()
    assert stats.sent == 2
    link, keyboard = [call.params["reply_markup"] for call in fake_api.called("sendMessage")[-2:]]
    assert link == {"inline_keyboard": [[{"text": "더 알아보기", "url": "https://example.org/more"}]]}
    assert [button["text"] for button in keyboard["keyboard"][0]] == ["도움말", "내 신청"]
    assert keyboard["is_persistent"] is True


class FailingConversation:
    """Fails on the database the first `failures` times, then answers as the real one does."""

    def __init__(self, real, failures: int):
        self.real = real
        self.failures = failures

    def handle(self, incoming):
        if self.failures:
            self.failures -= 1
            raise OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))
        return self.real.handle(incoming)


async def answer_with_failures(settings, conversation, engine, fake_api, clock, failures: int, user_id: int):
    """One /help through a bot whose conversation fails on the database `failures` times first."""
    application = build_application(settings, conversation=FailingConversation(conversation, failures),
                                     engine=engine, request=fake_api, clock=clock)
    await application.initialize()
    await application.process_update(make_message_update("/help", user_id=user_id))
    await application.shutdown()
    return application.bot_data["chat_handlers"]


async def test_a_turn_the_database_failed_once_is_run_again(settings, conversation, engine,
                                                            fake_api, clock, no_reply_delays):
    chat = await answer_with_failures(settings, conversation, engine, fake_api, clock, 1, user_id=41)
    assert chat.failed_turns == 0
    assert TURN_FAILED_NOTICE not in fake_api.sent_texts
    assert fake_api.sent_texts  # the real answer


async def test_a_turn_that_keeps_failing_is_never_silent(settings, conversation, engine,
                                                         fake_api, clock, no_reply_delays):
    chat = await answer_with_failures(settings, conversation, engine, fake_api, clock, 5, user_id=42)
    assert chat.failed_turns == 1
    assert fake_api.sent_texts == [TURN_FAILED_NOTICE]
