"""Over real HTTP: TELEGRAM_API_BASE_URL points the bot at a tiny Bot API server on 127.0.0.1.

Checks what the in-memory fake cannot: the settings reach PTB's HTTP client, the URLs have
PTB's `/bot<token>/<method>` shape, and the outbox delivers at least once through a 5xx.
"""

from __future__ import annotations

from sqlmodel import Session, select

from bot.adapters.telegram import build_application
from bot.core.settings import Settings
from bot.store.models import OutboxMessage, OutboxStatus

from .conftest import STAFF_CHAT, TOKEN, make_message_update
from .http_bot_api import api_server  # noqa: F401 (a fixture)


async def test_settings_base_url_carries_the_bot_to_the_server(
    api_server, monkeypatch, conversation, engine, clock
):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", f"http://127.0.0.1:{api_server.port}/bot")
    settings = Settings(_env_file=None, database_url="sqlite://")
    application = build_application(settings, conversation=conversation, engine=engine, clock=clock)
    await application.initialize()
    try:
        await application.process_update(make_message_update("안녕하세요", user_id=55, bot=application.bot))
    finally:
        await application.shutdown()

    [message] = api_server.sent("sendMessage")
    assert (message["chat_id"], message["text"]) == (55, "you said: 안녕하세요")
    assert message["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "lang:ko"
    prefixes = {prefix for prefix, _, _ in api_server.requests}
    assert prefixes == {f"/bot{TOKEN}"}


async def test_outbox_delivers_at_least_once_through_a_server_error(
    api_server, conversation, engine, clock
):
    settings = Settings(_env_file=None, telegram_bot_token=TOKEN, database_url="sqlite://",
                        telegram_api_base_url=f"http://127.0.0.1:{api_server.port}/bot")
    application = build_application(settings, conversation=conversation, engine=engine, clock=clock)
    [job] = application.job_queue.get_jobs_by_name("outbox")
    context = type("Context", (), {"bot": application.bot})()
    await application.initialize()
    try:
        await application.process_update(make_message_update("alert", user_id=56, bot=application.bot))
        api_server.fail_next["sendMessage"] = 1
        await job.callback(context)  # the alert meets a 502
        with Session(engine) as session:
            assert session.exec(select(OutboxMessage)).one().status == OutboxStatus.PENDING
        clock.advance(60)
        await job.callback(context)
    finally:
        await application.shutdown()

    to_staff = [m for m in api_server.sent("sendMessage") if m["chat_id"] == STAFF_CHAT]
    assert [m["text"] for m in to_staff] == ["새 신청 / new request"] * 2  # refused, then delivered
    with Session(engine) as session:
        assert session.exec(select(OutboxMessage)).one().status == OutboxStatus.SENT
