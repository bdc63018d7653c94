"""Webhook mode (bot.adapters.webhook): the secret header, processing, the health check, setWebhook."""

from __future__ import annotations

import asyncio
import socket
import time
import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from bot.adapters.request_bodies import UPDATE_MAX_BYTES
from bot.adapters.telegram import build_application
from bot.adapters.webhook import DEFAULT_PATH, SECRET_HEADER, build_webhook_app, webhook_path

from .conftest import FakeConversation, make_message_update, make_settings

SECRET = "s3cret_token-for-tests"
# Starlette 1.x would like `httpx2` for its TestClient; httpx still works.
pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")


@pytest.fixture
def make_client(settings, conversation, engine, fake_api, clock, no_reply_delays):
    def make(webhook_url: str | None = None) -> TestClient:
        application = build_application(settings, conversation=conversation, engine=engine,
                                        request=fake_api, clock=clock)
        return TestClient(build_webhook_app(application, engine=engine, secret=SECRET,
                                            webhook_url=webhook_url, allowed_updates=["message"]))
    return make


def update_json(text: str, user_id: int = 7) -> dict:
    return make_message_update(text, user_id=user_id).to_dict()


def test_an_update_with_the_right_secret_is_processed(make_client, fake_api, conversation):
    with make_client() as client:
        response = client.post(DEFAULT_PATH, json=update_json("hello"), headers={SECRET_HEADER: SECRET})
    assert response.status_code == 200
    assert [i.text for i in conversation.received] == ["hello"]
    assert [c.params["text"] for c in fake_api.called("sendMessage")] == ["you said: hello"]


@pytest.mark.parametrize("headers", [{}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: SECRET + "x"}])
def test_a_wrong_or_missing_secret_is_refused_and_not_processed(make_client, fake_api, conversation, headers):
    with make_client() as client:
        response = client.post(DEFAULT_PATH, json=update_json("forged"), headers=headers)
    assert response.status_code == 403
    assert conversation.received == []
    assert fake_api.called("sendMessage") == []


def test_a_body_that_is_not_an_update_is_a_bad_request(make_client, conversation):
    with make_client() as client:
        response = client.post(DEFAULT_PATH, content=b"not json", headers={SECRET_HEADER: SECRET})
    assert response.status_code == 400
    assert conversation.received == []


def test_healthz_answers_ok_while_the_database_answers(make_client, engine, monkeypatch):
    with make_client() as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        monkeypatch.setattr("bot.adapters.webhook.database_reachable", lambda _engine: False)
        response = client.get("/healthz")
    assert response.status_code == 503


def test_set_webhook_with_the_secret_on_start_and_serve_its_path(make_client, fake_api, conversation):
    url = "https://bot.example.org/hooks/ddokddok"
    with make_client(url) as client:
        [call] = fake_api.called("setWebhook")
        assert call.params["url"] == url
        assert call.params["secret_token"] == SECRET
        assert client.post(DEFAULT_PATH, json=update_json("x"), headers={SECRET_HEADER: SECRET}).status_code == 404
        answer = client.post("/hooks/ddokddok", json=update_json("hi"), headers={SECRET_HEADER: SECRET})
        assert answer.status_code == 200
    assert [i.text for i in conversation.received] == ["hi"]


def test_webhook_path():
    assert webhook_path(None) == "/telegram"
    assert webhook_path("https://h.example/") == "/telegram"
    assert webhook_path("https://h.example/a/b") == "/a/b"


def test_serve_refuses_to_start_without_a_secret(tmp_path):
    # Through the handler, not main(): main() configures the process's logging.
    from bot.cli.bot_commands import CommandError, run_serve

    settings = make_settings(database_url=f"sqlite:///{(tmp_path / 'b.sqlite3').as_posix()}")
    with pytest.raises(CommandError, match="TELEGRAM_WEBHOOK_SECRET"):
        run_serve(None, settings)


class SlowConversation(FakeConversation):
    """Takes a while to answer: the update is still being handled when the server is told to stop."""

    started: bool = False

    def handle(self, incoming):
        self.started = True
        time.sleep(1.0)
        return super().handle(incoming)


async def test_stopping_the_server_lets_an_update_in_flight_finish(settings, engine, fake_api, clock,
                                                                     no_reply_delays):
    import httpx
    import uvicorn

    conversation = SlowConversation(engine=engine, clock=clock)
    # The turn on a worker thread, as on PostgreSQL (the webhook's scale-out database), so
    # the server can be told to stop while the turn is under way.
    application = build_application(settings, conversation=conversation, engine=engine,
                                    request=fake_api, clock=clock, run_turn=asyncio.to_thread)
    app = build_webhook_app(application, engine=engine, secret=SECRET)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on"))
    serving = asyncio.create_task(server.serve())
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        for _ in range(200):
            if server.started:
                break
            await asyncio.sleep(0.02)
        posting = asyncio.create_task(client.post(DEFAULT_PATH, json=update_json("slow"),
                                                  headers={SECRET_HEADER: SECRET}, timeout=10))
        for _ in range(200):  # until the update reached the conversation
            if conversation.started:
                break
            await asyncio.sleep(0.01)
        assert conversation.started and not conversation.received  # in flight
        server.should_exit = True  # what SIGTERM does
        response = await posting
    await asyncio.wait_for(serving, timeout=10)
    assert response.status_code == 200
    assert [c.params["text"] for c in fake_api.called("sendMessage")] == ["you said: slow"]
    assert not application.running


def test_the_webhook_settings():
    settings = make_settings(telegram_webhook_secret="A-z_09", webhook_url=" ", listen_port=9000)
    assert settings.telegram_webhook_secret.get_secret_value() == "A-z_09"
    assert settings.webhook_url is None and settings.listen_host == "127.0.0.1"
    for bad in ("has space", "x" * 257, "ünï"):
        with pytest.raises(ValueError, match="TELEGRAM_WEBHOOK_SECRET"):
            make_settings(telegram_webhook_secret=bad)


def test_the_menus_and_descriptions_are_set_in_webhook_mode_too(make_client, fake_api):
    """PTB runs post_init only inside run_polling/run_webhook; the webhook's lifespan runs it."""
    with make_client():
        assert fake_api.called("setMyCommands")
        assert fake_api.called("setMyDescription")


def test_an_update_over_the_ceiling_is_refused_unread(make_client, conversation):
    too_big = b'{"update_id": 1, "pad": "' + b"x" * UPDATE_MAX_BYTES + b'"}'
    with make_client() as client:
        response = client.post(DEFAULT_PATH, content=too_big, headers={SECRET_HEADER: SECRET})
    assert response.status_code == 400
    assert conversation.received == []
