"""Faults over real HTTP while check-ins go out and while a notice is broadcast.

The application talks to a small Bot API server on 127.0.0.1 (TELEGRAM_API_BASE_URL), through
PTB's own HTTP client, and the server fails one resident's message in the middle of a batch the
way Telegram does: 429 with retry_after, 403 blocked, 400 chat not found, 400 refused, 502, or
a dropped connection. The in-memory fake of test_faults_checkins_notices.py covers the same
cases in more detail; this checks they hold when the errors arrive as HTTP answers.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.adapters.telegram import build_application
from bot.store.models import (
    CheckinDelivery,
    CheckinRound,
    CheckinRoundStatus,
    Delivery,
    DeliveryStatus,
    NoticeStatus,
    Resident,
)

from .conftest import TOKEN, Person
from .test_authorisation_checkins_notices import plan_checkins
from .test_faults_checkins_notices import (  # noqa: F401 (district: a fixture)
    RESIDENTS,
    STAFF,
    TARGET,
    active,
    broadcast,
    district,
    rows,
)
from adapters.http_bot_api import ANSWERS, api_server  # noqa: F401 (api_server: a fixture)

FAULTS = [*ANSWERS, "reset"]
UNREACHABLE = {"blocked", "chat_not_found"}


@pytest.fixture
def counted_server(api_server, figures):
    yield api_server
    figures.faults_injected += api_server.injected


@pytest.fixture
async def http_app(settings, conversation, engine, clock, counted_server, no_reply_delays):
    over_http = settings.model_copy(update={"telegram_api_base_url": f"http://127.0.0.1:{counted_server.port}/bot"})
    assert over_http.telegram_bot_token.get_secret_value() == TOKEN
    application = build_application(over_http, conversation=conversation, engine=engine, clock=clock)
    await application.initialize()
    yield application
    await application.shutdown()


@pytest.mark.parametrize("fault", FAULTS)
async def test_a_checkin_failing_over_http_is_sent_once_and_reaches_staff(
        http_app, api_server, engine, clock, district, fault, figures):
    handlers = http_app.bot_data["chat_handlers"]
    for resident in district.values():
        plan_checkins(resident, at="1400")
    api_server.aim(TARGET, fault)
    clock.advance(hours=4)  # 14:00 in Seoul
    await handlers.dispatch_checkins(None)
    figures.inputs_tried += len(RESIDENTS)

    residents = {r.platform_user_id: r.id for r in rows(engine, Resident)}
    by_resident = {r.resident_id: r for r in rows(engine, CheckinRound)}
    target = by_resident[residents[TARGET]]
    expected = {CheckinDelivery.BLOCKED} if fault in UNREACHABLE else {CheckinDelivery.FAILED, CheckinDelivery.UNKNOWN}
    assert target.delivery in expected, target.delivery
    assert active(engine, TARGET) is (fault not in UNREACHABLE)
    assert all(by_resident[residents[u]].delivery == CheckinDelivery.DELIVERED for u in RESIDENTS if u != TARGET)

    for _ in range(2):  # two reply windows without an answer: a reminder, then staff
        clock.advance(hours=2)
        await handlers.dispatch_checkins(None)
    target = [r for r in rows(engine, CheckinRound) if r.id == target.id][0]
    assert target.status == CheckinRoundStatus.ESCALATED
    lost = sum(1 for r in rows(engine, CheckinRound) if r.status != CheckinRoundStatus.ESCALATED)
    figures.records_lost += lost
    assert lost == 0
    assert all(count <= 2 for chat, count in api_server.accepted.items() if chat in RESIDENTS)  # once + reminder


@pytest.mark.parametrize("fault", FAULTS)
async def test_a_notice_over_http_reaches_everyone_else_and_accounts_for_the_target(
        http_app, api_server, engine, clock, district, fault, figures):
    desk = Person(district[RESIDENTS[0]].conversation, STAFF, "Officer Kim")
    api_server.aim(TARGET, fault)
    notice = await asyncio.wait_for(broadcast(http_app, clock, desk), timeout=60)
    figures.inputs_tried += len(RESIDENTS)

    deliveries = {d.chat_id: d for d in rows(engine, Delivery)}
    assert sorted(deliveries) == RESIDENTS and notice.status == NoticeStatus.FINISHED
    if fault in UNREACHABLE:
        assert deliveries[TARGET].status == DeliveryStatus.BLOCKED and not active(engine, TARGET)
    elif fault == "bad_request":
        assert deliveries[TARGET].status == DeliveryStatus.FAILED
    else:  # tried again and delivered
        assert deliveries[TARGET].status == DeliveryStatus.SENT
    assert all(d.status == DeliveryStatus.SENT for chat, d in deliveries.items() if chat != TARGET)
    assert all(api_server.accepted[u] <= 1 for u in RESIDENTS), api_server.accepted
    assert notice.reported_at is not None and api_server.accepted[STAFF] >= 1  # the report reached staff
    missing = sum(1 for d in deliveries.values()
                  if d.status not in (DeliveryStatus.SENT, DeliveryStatus.BLOCKED, DeliveryStatus.FAILED))
    figures.records_lost += missing
    assert missing == 0

