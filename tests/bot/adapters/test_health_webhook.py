"""Webhook mode serves /healthz, /readyz and /metrics beside the webhook (bot.adapters.webhook)."""

from __future__ import annotations

import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from bot.adapters.telegram import build_application
from bot.adapters.webhook import build_webhook_app
from bot.ops.health import CATALOG, Readiness

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")


@pytest.fixture
def application(settings, conversation, engine, fake_api, clock, no_reply_delays):
    return build_application(settings, conversation=conversation, engine=engine, request=fake_api, clock=clock)


def test_ready_while_the_app_runs_and_not_before(application, engine):
    web = build_webhook_app(application, engine=engine, secret="s3cret")
    client = TestClient(web)  # no lifespan yet: the application is not started
    assert client.get("/readyz").json() == {"status": "not ready", "waiting_for": ["application"]}
    with TestClient(web) as running:
        assert (running.get("/readyz").status_code, running.get("/readyz").json()) == (200, {"status": "ready"})
        assert running.get("/healthz").json() == {"status": "ok"}
        assert "ddokddok_database_up 1.0" in running.get("/metrics").text
    assert client.get("/readyz").status_code == 503  # stopped


def test_serve_passes_the_start_up_steps_on(application, engine, monkeypatch):
    """`ddokddok serve` hands the steps it did to the app: one not done keeps it not ready."""
    import uvicorn

    from bot.adapters import webhook

    served = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **_options: served.setdefault("app", app))
    webhook.serve(application, engine=engine, secret="s3cret", webhook_url=None, host="127.0.0.1",
                  port=8080, readiness=Readiness(done=(CATALOG,)))
    with TestClient(served["app"]) as client:
        assert client.get("/readyz").json() == {"status": "not ready", "waiting_for": ["migrations"]}
