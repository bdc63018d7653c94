"""`ddokddok serve` with both messengers: the skill's routes beside Telegram's webhook on one app,
and the Telegram handlers' transport sending Kakao chats through the Event API."""

from __future__ import annotations

import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from bot.adapters.telegram import build_application
from bot.adapters.webhook import SECRET_HEADER, build_webhook_app
from bot.cli.bot_commands import kakao_beside_telegram
from bot.people.identities import Platform

from ..conftest import make_message_update, make_settings
from .conftest import HEADERS, SECRET, outputs_text, skill_request

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")
TELEGRAM_SECRET = "telegram-secret_for-tests"


def test_one_app_serves_telegram_updates_and_kakao_skill_requests(real_conversation, engine, fake_api, clock,
                                                                   no_reply_delays):
    settings = make_settings(kakao_skill_secret=SECRET, kakao_bot_id="bot-id", kakao_rest_api_key="rest-key",
                             kakao_event_name="ddokddok_message", kakao_api_base_url="http://127.0.0.1:9")
    application = build_application(settings, conversation=real_conversation, engine=engine,
                                    request=fake_api, clock=clock)
    routes = kakao_beside_telegram(settings, application, conversation=real_conversation, engine=engine)
    assert routes
    transport = application.bot_data["chat_handlers"].transport
    assert transport.serves(Platform.KAKAO) and transport.serves(Platform.TELEGRAM)

    app = build_webhook_app(application, engine=engine, secret=TELEGRAM_SECRET, extra_routes=routes)
    with TestClient(app) as client:
        telegram = client.post("/telegram", json=make_message_update("/start", user_id=7).to_dict(),
                               headers={SECRET_HEADER: TELEGRAM_SECRET})
        assert telegram.status_code == 200
        kakao = client.post(settings.kakao_skill_path, json=skill_request("kakao-user-9", "안녕하세요"),
                            headers=HEADERS)
        assert kakao.status_code == 200
        assert "Which language" in outputs_text(kakao.json())
        assert client.post(settings.kakao_skill_path, json=skill_request("kakao-user-9", "x"),
                           headers={"X-Skill-Secret": "wrong"}).status_code == 403
    assert fake_api.called("sendMessage")  # Telegram's /start was answered


def test_without_kakao_settings_nothing_is_added(real_conversation, engine, fake_api, clock):
    settings = make_settings()
    application = build_application(settings, conversation=real_conversation, engine=engine,
                                    request=fake_api, clock=clock)
    assert kakao_beside_telegram(settings, application, conversation=real_conversation, engine=engine) == []
