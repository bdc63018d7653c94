"""/metrics and /healthz of the real application after some activity: parsed with
prometheus_client's parser, and never a token, a name or a phone number in them."""

from __future__ import annotations

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.adapters.health_http import operations_for
from bot.adapters.webhook import build_webhook_app

from .conftest import STAFF_CHAT, TOKEN, make_message_update
from ops.rows import RESIDENT_NAME, RESIDENT_PHONE, add_backlogs

pytestmark = pytest.mark.filterwarnings("ignore:Tasks created via `Application.create_task`")


@pytest.fixture
async def client(app, engine):
    web = build_webhook_app(app, engine=engine, secret="s3cret", operations=operations_for(app, engine=engine))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://bot") as client:
        yield client


async def run_job(app, name: str) -> None:
    [job] = app.job_queue.get_jobs_by_name(name)
    await job.callback(type("Context", (), {"bot": app.bot, "job": job, "application": app})())


def families(text: str) -> dict[str, dict[tuple, float]]:
    found: dict[str, dict[tuple, float]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return found


async def test_metrics_after_turns_a_429_and_backlogs(app, engine, clock, fake_api, client):
    for text in ("hello", "alert", "boom"):  # two turns answered, one that fails
        clock.advance(3)
        await app.process_update(make_message_update(text, user_id=61, bot=app.bot))
    fake_api.fail("sendMessage", "rate_limited", retry_after=1)
    await run_job(app, "outbox")  # the staff alert meets a 429: paused, retried later
    add_backlogs(engine, clock())

    response = await client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    seen = families(response.text)
    assert seen["ddokddok_turn_seconds_count"] == {(): 3}
    assert seen["ddokddok_errors_total"][(("cause", "failed"), ("kind", "turn"))] == 1
    assert seen["ddokddok_errors_total"][(("cause", "RateLimited"), ("kind", "send"))] == 1
    assert seen["ddokddok_send_pauses_total"] == {(): 1}
    assert seen["ddokddok_outbox_backlog_messages"] == {(): 4}  # three queued, and the alert to retry
    assert seen["ddokddok_outbox_due_messages"] == {(): 2}
    assert seen["ddokddok_checkin_rounds_due_unsent"] == {(): 3}
    assert seen["ddokddok_checkin_escalations_open"][(("status", "escalated"),)] == 2
    assert seen["ddokddok_notice_deliveries"][(("state", "pending"),)] == 4
    assert seen["ddokddok_database_up"] == {(): 1}
    assert seen["ddokddok_timed_job_late"][(("job", "outbox"),)] == 0
    assert [c.params["chat_id"] for c in fake_api.called("sendMessage")].count(STAFF_CHAT) == 1


async def test_no_token_name_or_phone_in_health_or_metrics(app, engine, clock, client, monkeypatch):
    secret_laden = f"token {TOKEN} for {RESIDENT_NAME} at {RESIDENT_PHONE}"

    async def failing_tick(**_arguments):
        raise RuntimeError(secret_laden)

    monkeypatch.setattr("bot.adapters.telegram_updates.dispatch_due", failing_tick)
    add_backlogs(engine, clock())
    await app.process_update(make_message_update(f"내 번호는 {RESIDENT_PHONE}", user_id=5150,
                                                 first_name=RESIDENT_NAME, bot=app.bot))
    await app.process_update(make_message_update("boom", user_id=5150, first_name=RESIDENT_NAME, bot=app.bot))
    for _ in range(6):
        clock.advance(60)
        with pytest.raises(RuntimeError):
            await run_job(app, "checkins")

    health = await client.get("/healthz")
    assert health.status_code == 503 and "checkins" in health.json()["late_jobs"]
    outputs = [health.text, (await client.get("/metrics")).text, (await client.get("/readyz")).text]
    for output in outputs:
        for secret in (TOKEN, TOKEN.split(":")[1], RESIDENT_NAME, RESIDENT_PHONE, "5150"):
            assert secret not in output
