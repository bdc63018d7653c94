"""Polling mode's health listener (bot.adapters.health_http): a real socket, started and stopped
cleanly, answering /healthz, /readyz and /metrics from its own thread; off unless HEALTH_PORT."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette

from bot.adapters.health_http import (
    HealthListener,
    HealthListenerError,
    operations_for,
    operations_routes,
    serving_health,
)

from . import conftest
from .conftest import make_settings

pytestmark = pytest.mark.filterwarnings("ignore:Tasks created via `Application.create_task`")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def refused(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


async def test_the_listener_answers_on_its_port_and_stops_cleanly(app, engine):
    listener = HealthListener(Starlette(routes=operations_routes(operations_for(app, engine=engine))),
                              host="127.0.0.1", port=0)
    listener.start()
    port = listener.port
    try:
        assert port != 0 and listener.running
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            health = await client.get("/healthz")
            assert (health.status_code, health.json()) == (200, {"status": "ok"})
            ready = await client.get("/readyz")  # initialised, not started
            assert (ready.status_code, ready.json()) == (503, {"status": "not ready",
                                                              "waiting_for": ["application"]})
            await app.start()
            try:
                assert (await client.get("/readyz")).json() == {"status": "ready"}
            finally:
                await app.stop()
            assert (await client.get("/readyz")).status_code == 503  # stopping: not ready
            metrics = await client.get("/metrics")
            names = {family.name for family in text_string_to_metric_families(metrics.text)}
            assert {"ddokddok_database_up", "ddokddok_outbox_backlog_messages", "ddokddok_turn_seconds"} <= names
    finally:
        listener.stop()
    assert not listener.running and refused(port)
    assert not [t for t in threading.enumerate() if t.name == "health-listener"]


def test_a_port_that_is_taken_is_one_clear_error(app, engine):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        listener = HealthListener(Starlette(routes=operations_routes(operations_for(app, engine=engine))),
                                  host="127.0.0.1", port=port)
        with pytest.raises(HealthListenerError, match=f"HEALTH_PORT {port}"):
            listener.start()
    with pytest.raises(HealthListenerError, match="HEALTH_HOST"):
        HealthListener(Starlette(), host="no-such-host.invalid", port=0).start()


def test_no_listener_unless_health_port_is_set(app, engine):
    settings = make_settings()
    assert settings.health_port is None and settings.health_host == "127.0.0.1"
    with serving_health(settings, app, engine=engine) as listener:
        assert listener is None


def test_health_port_from_the_settings_serves_while_the_block_runs(app, engine):
    port = free_port()
    settings = make_settings(health_port=port)
    with serving_health(settings, app, engine=engine) as listener:
        assert listener is not None and listener.port == port
        response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
        assert response.status_code == 200
    assert refused(port)
    for bad in (0, 70000, "many"):
        with pytest.raises(ValueError, match="health_port"):
            make_settings(health_port=bad)


def test_run_serves_health_while_polling(tmp_path, monkeypatch):
    """`ddokddok run` with HEALTH_PORT: the listener answers while the bot polls, ready once
    the application runs (catalog and migrations done before), and is gone afterwards."""
    from bot.cli import bot_commands

    port = free_port()
    seen = {}

    @dataclass
    class FakeConversation(conftest.FakeConversation):
        catalog: object = None

    def polling(application) -> None:  # in place of run_polling: look while "polling"
        seen["health"] = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code
        seen["ready"] = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5).json()

    monkeypatch.setattr(bot_commands, "check_bot_api", lambda _settings: None)
    monkeypatch.setattr(bot_commands, "settle_for_a_long_run", lambda: None)  # no gc.freeze in tests
    # The catalog is loaded as in production; the matcher behind the conversation is not needed.
    monkeypatch.setattr(bot_commands, "build_conversation",
                        lambda _settings, engine, catalog: FakeConversation(engine=engine, catalog=catalog))
    monkeypatch.setattr("bot.adapters.telegram.run_polling", polling)
    settings = make_settings(health_port=port,
                             database_url=f"sqlite:///{(tmp_path / 'bot.sqlite3').as_posix()}")
    assert bot_commands.run_bot(None, settings) == 0
    assert seen == {"health": 200, "ready": {"status": "not ready", "waiting_for": ["application"]}}
    assert refused(port)
