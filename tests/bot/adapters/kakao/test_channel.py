"""KakaoTalk alone: `ddokddok serve` with Kakao settings and no Telegram token serves the skill
and runs the timed jobs without python-telegram-bot."""

from __future__ import annotations

import asyncio

import httpx
from sqlmodel import select

from bot.adapters.kakao.channel import build_kakao_app
from bot.cli.main import main
from bot.sending.outbox import enqueue_message
from bot.store.db import session_scope
from bot.store.models import OutboxMessage, OutboxStatus

from ..conftest import make_settings
from .conftest import BOT_ID, EVENT_NAME, HEADERS, REST_API_KEY, SECRET, add_kakao_resident, skill_request


def kakao_settings(event_api, **more):
    return make_settings(telegram_bot_token=None, kakao_skill_secret=SECRET, kakao_bot_id=BOT_ID,
                         kakao_rest_api_key=REST_API_KEY, kakao_event_name=EVENT_NAME,
                         kakao_api_base_url=event_api.base_url, **more)


async def test_the_kakao_app_answers_skills_and_its_timed_jobs_send_the_outbox(engine, clock, conversation,
                                                                              event_api):
    person = add_kakao_resident(engine, user_key="alone", now=clock())
    with session_scope(engine) as session:
        enqueue_message(session=session, chat_id=person, text="신청이 접수됐어요", now=clock())
    app = build_kakao_app(kakao_settings(event_api), conversation=conversation, engine=engine, clock=clock)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://kakao") as client:
            answer = await client.post("/kakao/skill", json=skill_request("alone", "hello"), headers=HEADERS)
            health = await client.get("/healthz")
        for _ in range(100):  # the outbox job runs every second
            if event_api.calls:
                break
            await asyncio.sleep(0.05)
        jobs = app.state.timed_jobs
    assert answer.status_code == 200 and (health.status_code, health.json()) == (200, {"status": "ok"})
    assert [call.body["user"][0]["id"] for call in event_api.calls] == ["alone"]
    with session_scope(engine) as session:
        assert session.exec(select(OutboxMessage)).one().status == OutboxStatus.SENT
    assert jobs.runs["outbox"] >= 1


def test_serve_with_kakao_settings_and_no_token_serves_kakao_alone(command_database, monkeypatch):
    served = {}

    def fake_serve(app, *, host, port):
        served.update(app=app, host=host, port=port)

    monkeypatch.setattr("bot.adapters.kakao.channel.serve_kakao", fake_serve)
    # In-process: no gc.freeze of the test process's objects (other tests count generations).
    monkeypatch.setattr("bot.cli.kakao_commands.settle_for_a_long_run", lambda: None)
    monkeypatch.setenv("KAKAO_SKILL_SECRET", SECRET)
    monkeypatch.setenv("LISTEN_PORT", "8099")
    assert main(["serve"]) == 0
    paths = [route.path for route in served["app"].routes]
    assert {"/kakao/skill", "/healthz", "/readyz", "/metrics"} <= set(paths) and served["port"] == 8099
    # The catalog and the migrations were done before serving; the timed jobs start with it.
    assert served["app"].state.operations.readiness.missing() == ["application"]


def test_serve_without_any_messenger_still_says_what_is_missing(command_database, capsys):
    assert main(["serve"]) == 2
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err
