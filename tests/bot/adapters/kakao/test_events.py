"""Messages a Kakao resident did not ask for, through the Event API (a fake on a real socket):
the same outbox, send rate, retries and "unreachable" rules as Telegram."""

from __future__ import annotations

from datetime import time, timedelta

import httpx
import pytest
from sqlmodel import select

from bot.adapters.kakao.channel import TimedJobs
from bot.adapters.kakao.events import KakaoEventTransport
from bot.checkins.plans import start_checkins
from bot.people.identities import Platform
from bot.sending.outbox import enqueue_message
from bot.sending.outbox_sender import drain_outbox
from bot.sending.platform_routes import PlatformRoutes
from bot.sending.send_rate import LimitedTransport, Priority, SendRateLimiter
from bot.store.db import session_scope
from bot.store.models import CheckinRound, OutboxMessage, OutboxStatus, Resident

from ..conftest import make_settings
from .conftest import (
    BOT_ID,
    EVENT_NAME,
    HEADERS,
    REST_API_KEY,
    add_kakao_resident,
    kakao_app,
    make_skill,
    outputs_text,
    presses,
    skill_request,
)


def event_transport(engine, clock, event_api) -> KakaoEventTransport:
    return KakaoEventTransport(engine=engine, clock=clock, base_url=event_api.base_url, bot_id=BOT_ID,
                               rest_api_key=REST_API_KEY, event_name=EVENT_NAME)


async def skill_post(app, body) -> dict:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://kakao") as client:
        response = await client.post("/kakao/skill", json=body, headers=HEADERS)
    assert response.status_code == 200, response.text
    return response.json()


def resident_active(engine, person: int) -> bool:
    with session_scope(engine) as session:
        return session.exec(select(Resident).where(Resident.chat_id == person)).one().active


def only_outbox_row(engine) -> OutboxMessage:
    with session_scope(engine) as session:
        [row] = session.exec(select(OutboxMessage)).all()
        session.expunge(row)
        return row


async def test_a_checkin_reaches_a_kakao_resident_and_their_press_answers_it(
        engine, clock, event_api, real_conversation):
    person = add_kakao_resident(engine, user_key="resident-k", now=clock())
    with session_scope(engine) as session:
        resident = session.exec(select(Resident).where(Resident.chat_id == person)).one()
        start_checkins(session=session, resident=resident, days={0}, at=time(10, 5), now=clock())
    transport = event_transport(engine, clock, event_api)
    jobs = TimedJobs(settings=make_settings(), engine=engine, clock=clock,
                     transport=PlatformRoutes({Platform.KAKAO: transport}),
                     limiter=SendRateLimiter(1000, per_chat_interval=0))
    clock.advance(6 * 60)
    await jobs.dispatch_checkins()
    await transport.aclose()

    [call] = event_api.calls
    assert call.path == f"/v2/bots/{BOT_ID}/talk"
    assert call.authorization == f"KakaoAK {REST_API_KEY}"
    assert call.body["event"]["name"] == EVENT_NAME
    assert call.body["user"] == [{"type": "botUserKey", "id": "resident-k"}]
    token = call.body["params"]["held"]

    # Kakao runs the event's block, which calls the skill with the event's params.
    app = kakao_app(make_skill(real_conversation, engine, clock))
    shown = await skill_post(app, skill_request("resident-k", "", params={"held": token}))
    assert outputs_text(shown).strip()
    answers = presses(shown)
    assert answers and all(data.startswith("ci:") for data in answers)
    await skill_post(app, skill_request("resident-k", "괜찮아요", press=answers[0]))
    with session_scope(engine) as session:
        [checkin_round] = session.exec(select(CheckinRound)).all()
        assert checkin_round.answer is not None


async def test_another_resident_cannot_fetch_a_held_checkin(engine, clock, event_api, conversation):
    person = add_kakao_resident(engine, user_key="owner", now=clock())
    add_kakao_resident(engine, user_key="nosy", now=clock())
    transport = event_transport(engine, clock, event_api)
    from bot.core.messages import Outgoing

    await transport.send(Outgoing(person, "개인적인 안부 메시지"))
    await transport.aclose()
    [token] = event_api.held_tokens()
    app = kakao_app(make_skill(conversation, engine, clock))
    stolen = await skill_post(app, skill_request("nosy", "", params={"held": token}))
    assert "개인적인" not in outputs_text(stolen)
    mine = await skill_post(app, skill_request("owner", "", params={"held": token}))
    assert outputs_text(mine) == "개인적인 안부 메시지"
    assert conversation.received == []  # fetching a held message is no turn


async def test_429_pauses_the_shared_rate_and_the_message_goes_again(engine, clock, event_api):
    person = add_kakao_resident(engine, user_key="k429", now=clock())
    with session_scope(engine) as session:
        enqueue_message(session=session, chat_id=person, text="신청이 접수됐어요", now=clock())
    event_api.fail(429, {"status": "FAIL", "message": "too many requests"}, retry_after=7)
    limiter = SendRateLimiter(1000, per_chat_interval=0)
    transport = LimitedTransport(PlatformRoutes({Platform.KAKAO: event_transport(engine, clock, event_api)}),
                                 limiter, Priority.HIGH, per_chat=True)

    stats = await drain_outbox(engine=engine, transport=transport, clock=clock)
    assert (stats.retried, stats.sent) == (1, 0)
    assert limiter.pauses == 1
    row = only_outbox_row(engine)
    assert row.status == OutboxStatus.PENDING and row.next_attempt_at == clock() + timedelta(seconds=7)

    clock.advance(7)
    limiter = SendRateLimiter(1000, per_chat_interval=0)  # the pause itself is the limiter's test
    transport.limiter = limiter
    stats = await drain_outbox(engine=engine, transport=transport, clock=clock)
    assert stats.sent == 1
    assert len(event_api.calls) == 2
    assert only_outbox_row(engine).status == OutboxStatus.SENT
    assert resident_active(engine, person)


@pytest.mark.parametrize("status, body", [
    (403, {"status": "FAIL", "message": "forbidden"}),
    (400, {"status": "FAIL", "message": "user blocked the channel"}),
    (404, {"status": "FAIL", "message": "not found"}),
])
async def test_a_blocked_or_unknown_user_is_marked_unreachable(engine, clock, event_api, status, body):
    person = add_kakao_resident(engine, user_key="gone", now=clock())
    with session_scope(engine) as session:
        enqueue_message(session=session, chat_id=person, text="안내", now=clock())
    event_api.fail(status, body)
    transport = PlatformRoutes({Platform.KAKAO: event_transport(engine, clock, event_api)})
    stats = await drain_outbox(engine=engine, transport=transport, clock=clock)
    assert stats.dropped == 1
    assert not resident_active(engine, person)


async def test_a_400_about_the_message_drops_it_and_keeps_the_resident(engine, clock, event_api):
    person = add_kakao_resident(engine, user_key="fine", now=clock())
    with session_scope(engine) as session:
        enqueue_message(session=session, chat_id=person, text="안내", now=clock())
    event_api.fail(400, {"status": "FAIL", "message": "invalid event name"})
    stats = await drain_outbox(engine=engine, transport=PlatformRoutes(
        {Platform.KAKAO: event_transport(engine, clock, event_api)}), clock=clock)
    assert stats.dropped == 1
    assert resident_active(engine, person)


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_5xx_is_retried_through_the_outbox(engine, clock, event_api, status):
    person = add_kakao_resident(engine, user_key="later", now=clock())
    with session_scope(engine) as session:
        enqueue_message(session=session, chat_id=person, text="안내", now=clock())
    event_api.fail(status)
    transport = PlatformRoutes({Platform.KAKAO: event_transport(engine, clock, event_api)})
    stats = await drain_outbox(engine=engine, transport=transport, clock=clock)
    assert stats.retried == 1
    clock.advance(60)
    stats = await drain_outbox(engine=engine, transport=transport, clock=clock)
    assert stats.sent == 1 and resident_active(engine, person)


async def test_a_timeout_is_retried_and_logs_hold_no_key(engine, clock, caplog):
    person = add_kakao_resident(engine, user_key="slow-net", now=clock())
    with session_scope(engine) as session:
        enqueue_message(session=session, chat_id=person, text="안내", now=clock())

    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    client = httpx.AsyncClient(transport=httpx.MockTransport(timeout))
    transport = KakaoEventTransport(engine=engine, clock=clock, base_url="https://bot-api.kakao.com", bot_id=BOT_ID,
                                    rest_api_key=REST_API_KEY, event_name=EVENT_NAME, client=client)
    stats = await drain_outbox(engine=engine, transport=PlatformRoutes({Platform.KAKAO: transport}), clock=clock)
    assert stats.retried == 1
    assert REST_API_KEY not in caplog.text and "slow-net" not in caplog.text
    with session_scope(engine) as session:  # the held copy of a message not announced is gone
        from bot.store.models import HeldMessage

        assert session.exec(select(HeldMessage)).all() == []


async def test_the_outbox_sends_each_chat_through_its_own_messenger(engine, clock, event_api):
    person = add_kakao_resident(engine, user_key="kakao-one", now=clock())
    with session_scope(engine) as session:
        enqueue_message(session=session, chat_id=person, text="to kakao", now=clock())
        enqueue_message(session=session, chat_id=9001, text="to telegram staff", now=clock())
    telegram_sent = []

    class TelegramStandIn:
        async def send(self, message):
            telegram_sent.append(message.chat_id)

    transport = PlatformRoutes({Platform.TELEGRAM: TelegramStandIn(),
                                Platform.KAKAO: event_transport(engine, clock, event_api)})
    stats = await drain_outbox(engine=engine, transport=transport, clock=clock)
    assert stats.sent == 2
    assert telegram_sent == [9001]
    assert [call.body["user"][0]["id"] for call in event_api.calls] == ["kakao-one"]


async def test_without_the_event_api_a_kakao_message_waits_and_the_resident_stays(engine, clock):
    person = add_kakao_resident(engine, user_key="waiting", now=clock())
    with session_scope(engine) as session:
        enqueue_message(session=session, chat_id=person, text="안내", now=clock())
    stats = await drain_outbox(engine=engine, transport=PlatformRoutes(), clock=clock)
    assert stats.retried == 1
    assert resident_active(engine, person)


async def test_beside_telegram_the_telegram_jobs_send_kakao_chats_through_the_event_api(
        app, engine, clock, event_api, fake_api):
    person = add_kakao_resident(engine, user_key="both", now=clock())
    with session_scope(engine) as session:
        enqueue_message(session=session, chat_id=person, text="to kakao", now=clock())
        enqueue_message(session=session, chat_id=9001, text="to telegram staff", now=clock())
    chat = app.bot_data["chat_handlers"]
    chat.transport.route(Platform.KAKAO, event_transport(engine, clock, event_api))
    await chat.drain_outbox(None)
    assert [call.body["user"][0]["id"] for call in event_api.calls] == ["both"]
    assert [c.params["chat_id"] for c in fake_api.called("sendMessage")] == [9001]
