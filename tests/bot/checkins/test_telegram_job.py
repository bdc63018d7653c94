"""The check-in job of the real Telegram application, on the fake Bot API."""

from __future__ import annotations

import logging
from datetime import time, timedelta

from sqlmodel import Session, select

from bot.adapters.telegram import build_application
from bot.checkins.plans import start_checkins
from bot.store.db import session_scope
from bot.store.models import CheckinDelivery, CheckinRound, Resident

# tests/bot is on the path (the test folders are packages under it), as for `.conftest` imports.
from adapters.conftest import (
    START,
    FakeBotApi,
    FakeClock,
    FakeConversation,
    add_resident,
    make_settings,
)


async def _app(engine, fake_api, clock):
    settings = make_settings(checkin_tick_seconds=30)
    application = build_application(settings, conversation=FakeConversation(engine=engine, clock=clock),
                                     engine=engine, request=fake_api, clock=clock)
    await application.initialize()
    return application


def _plan(engine, user_id: int) -> None:
    resident = add_resident(engine, user_id=user_id)
    with session_scope(engine) as session:
        start_checkins(session=session, resident=resident, days=set(range(7)), at=time(10, 30),
                       now=START)


async def test_the_job_sends_a_checkin_with_its_three_buttons(engine, caplog):
    fake_api, clock = FakeBotApi(), FakeClock()
    application = await _app(engine, fake_api, clock)
    try:
        _plan(engine, 31)
        [job] = application.job_queue.get_jobs_by_name("checkins")
        assert job.trigger.interval == timedelta(seconds=30)
        clock.advance(30 * 60)  # 10:30 in Seoul
        with caplog.at_level(logging.INFO, logger="bot.adapters.telegram_updates"):
            await job.callback(type("Context", (), {"bot": application.bot})())
        [call] = [c for c in fake_api.called("sendMessage") if c.params["chat_id"] == 31]
        rows = call.params["reply_markup"]["inline_keyboard"]
        with Session(engine) as session:
            rnd = session.exec(select(CheckinRound)).one()
        assert [[b["callback_data"] for b in row] for row in rows] == [
            [f"ci:ok:{rnd.id}"], [f"ci:help:{rnd.id}"], [f"ci:hard:{rnd.id}"]]
        assert rnd.delivery == CheckinDelivery.DELIVERED and rnd.sent_at == clock()
        assert any("check-ins:" in r.getMessage() and "'delivered': 1" in r.getMessage()
                   for r in caplog.records)
        assert application.bot_data["send_limiter"].granted  # drew on the shared send rate
    finally:
        await application.shutdown()


async def test_a_resident_who_blocked_the_bot_is_marked_inactive(engine):
    fake_api, clock = FakeBotApi(), FakeClock()
    application = await _app(engine, fake_api, clock)
    try:
        _plan(engine, 32)
        fake_api.fail("sendMessage", "blocked")
        clock.advance(30 * 60)
        await application.bot_data["chat_handlers"].dispatch_checkins(None)
        with Session(engine) as session:
            assert session.exec(select(CheckinRound)).one().delivery == CheckinDelivery.BLOCKED
            assert session.exec(select(Resident)).one().active is False
    finally:
        await application.shutdown()


async def test_a_server_error_counts_as_failed_not_blocked(engine):
    fake_api, clock = FakeBotApi(), FakeClock()
    application = await _app(engine, fake_api, clock)
    try:
        _plan(engine, 33)
        fake_api.fail("sendMessage", "server_error")
        clock.advance(30 * 60)
        await application.bot_data["chat_handlers"].dispatch_checkins(None)
        with Session(engine) as session:
            assert session.exec(select(CheckinRound)).one().delivery == CheckinDelivery.FAILED
            assert session.exec(select(Resident)).one().active is True
    finally:
        await application.shutdown()
