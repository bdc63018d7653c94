"""A KakaoTalk resident from the first hello to /forget, over real HTTP, against a fake Kakao
platform that checks every response against Kakao's rules (`fake_platform`).

The skill runs under uvicorn on a port of its own, with the real conversation on a SQLite file;
the platform calls it as Kakao i Open Builder does and plays the Event API and its event block.
Staff stay on Telegram: the real Telegram application on the fake Bot API, whose timed jobs'
steps (outbox, check-ins, notices) send Kakao chats through the Event API, as `ddokddok serve`
does with both messengers.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel, select
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.adapters.flood import FloodGate
from bot.adapters.kakao.events import KakaoEventTransport
from bot.adapters.telegram import build_application
from bot.conversation.engine import Conversation
from bot.core.messages import Incoming, Reply
from bot.people.identities import Platform, platform_of
from bot.people.staff import add_staff
from bot.sending.send_rate import SendRateLimiter
from bot.store.db import create_schema, make_engine, session_scope
from bot.store.models import (
    Booking,
    BookingStatus,
    CheckinPlan,
    CheckinRound,
    Delivery,
    HeldMessage,
    OutboxMessage,
    OutboxStatus,
    PlatformIdentity,
    Resident,
)

from ..conftest import FakeBotApi, make_callback_update, make_message_update, make_settings
from .conftest import BOT_ID, EVENT_NAME, REST_API_KEY, SECRET, kakao_app, make_skill, skill_request
from .fake_platform import FakeKakaoPlatform, KakaoRefused, Shown, serving

STAFF = 9001
MINA = "kakao-mina"
# The Event API client's wait: the fake's stall is longer.
EVENT_TIMEOUT_SECONDS = 0.5


@pytest.fixture
def store(request, tmp_path, test_database_url) -> Iterator[Engine]:
    """A SQLite file (the skill's turns run on worker threads beside the senders), or the
    configured test database's schema for this test."""
    if test_database_url is not None:
        yield request.getfixturevalue("engine")
        return
    engine = make_engine(f"sqlite:///{(tmp_path / 'kakao.sqlite3').as_posix()}")
    create_schema(engine)
    yield engine
    engine.dispose()


@dataclass
class World:
    """Everything the resident's path runs through."""

    platform: FakeKakaoPlatform
    application: object
    fake_api: FakeBotApi
    engine: Engine
    clock: object
    events: KakaoEventTransport

    @property
    def chat(self):
        return self.application.bot_data["chat_handlers"]

    async def deliver(self) -> None:
        """The outbox sender's run, then every event block it started."""
        await self.chat.drain_outbox(None)
        await self.platform.settle()

    async def staff_says(self, text: str) -> None:
        await self.application.process_update(make_message_update(text, user_id=STAFF, first_name="Kim",
                                                                  bot=self.application.bot))

    async def staff_presses(self, data: str) -> None:
        await self.application.process_update(make_callback_update(data, user_id=STAFF, first_name="Kim",
                                                                   bot=self.application.bot))

    def staff_buttons(self) -> list[str]:
        """Every button data sent to the staff member's Telegram chat so far."""
        return [button["callback_data"] for call in self.fake_api.calls
                if call.method in ("sendMessage", "editMessageText") and call.params.get("chat_id") == STAFF
                for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", []) for button in row]


@pytest.fixture
async def world(store, clock, catalog, matcher, fake_api, no_reply_delays) -> AsyncIterator[World]:
    with session_scope(store) as session:
        add_staff(session=session, telegram_id=STAFF, district="seocho", name="Officer Kim",
                  known_districts=catalog.districts, now=clock())
    conversation = Conversation(catalog=catalog, matcher=matcher, engine=store, settings=make_settings(),
                                clock=clock)
    application = build_application(make_settings(), conversation=conversation, engine=store,
                                    request=fake_api, clock=clock,
                                    send_limiter=SendRateLimiter(1000, per_chat_interval=0))
    await application.initialize()
    # The clock stands still: a gate wide enough for one resident's whole path.
    skill = make_skill(conversation, store, clock, flood=FloodGate(max_messages=200, window_seconds=10))
    async with serving(kakao_app(skill)) as skill_url, \
            FakeKakaoPlatform(skill_url=f"{skill_url}/kakao/skill") as platform:
        events = KakaoEventTransport(engine=store, clock=clock, base_url=platform.base_url, bot_id=BOT_ID,
                                     rest_api_key=REST_API_KEY, event_name=EVENT_NAME,
                                     client=httpx.AsyncClient(timeout=EVENT_TIMEOUT_SECONDS))
        application.bot_data["chat_handlers"].transport.route(Platform.KAKAO, events)
        yield World(platform, application, fake_api, store, clock, events)
        await events.client.aclose()
        await skill.aclose()
    await application.shutdown()


def rows(engine: Engine, model) -> list:
    with Session(engine) as session:
        return list(session.exec(select(model)).all())


def snapshot(engine: Engine) -> dict[str, set[str]]:
    """Every row of every table: what a refused request must leave as it was."""
    with engine.connect() as connection:
        return {table.name: {json.dumps(list(row), default=str, sort_keys=True)
                             for row in connection.execute(table.select())}
                for table in SQLModel.metadata.sorted_tables}


async def onboard(platform: FakeKakaoPlatform, user_key: str) -> Shown:
    shown = await platform.say(user_key, "안녕하세요")
    for prefix in ("lang:ko", "dist:seocho", "consent:yes", "age:skip", "gender:skip"):
        shown = await platform.press(user_key, shown.quick_reply(prefix))
    return shown


async def request_handyman(platform: FakeKakaoPlatform, user_key: str) -> Shown:
    shown = await platform.say(user_key, "보일러가 고장나서 너무 추워요")
    shown = await platform.press(user_key, shown.quick_reply("req:start:seocho.handyman"))
    shown = await platform.press(user_key, shown.quick_reply("bk:date:"))
    shown = await platform.press(user_key, shown.quick_reply("bk:time:"))
    shown = await platform.say(user_key, "010-1234-5678")
    shown = await platform.say(user_key, "101동 202호")
    shown = await platform.press(user_key, shown.quick_reply("bk:skip"))
    return await platform.press(user_key, shown.quick_reply("bk:ok"))


async def test_a_kakao_resident_from_hello_to_forget(world: World):
    platform, engine, clock = world.platform, world.engine, world.clock

    # Onboarding and consent.
    shown = await onboard(platform, MINA)
    [resident] = rows(engine, Resident)
    assert (resident.district, resident.language, resident.active) == ("seocho", "ko", True)
    assert platform_of(resident.chat_id) is Platform.KAKAO
    assert "/forget" in shown.text

    # A search, and a request from its answer.
    shown = await request_handyman(platform, MINA)
    [booking] = rows(engine, Booking)
    assert (booking.status, booking.program_id) == (BookingStatus.REQUESTED, "seocho.handyman")
    assert f"{booking.id}" in shown.text

    # Staff hear of it on Telegram and accept it there; the resident is told through the Event API.
    await world.deliver()
    assert f"st:acc:{booking.id}" in world.staff_buttons()
    assert platform.events == []  # nothing for the resident yet
    await world.staff_presses(f"st:acc:{booking.id}")
    assert rows(engine, Booking)[0].status == BookingStatus.ACCEPTED
    await world.deliver()
    [accepted] = platform.delivered()
    assert accepted.body["user"] == [{"type": "botUserKey", "id": MINA}]
    told = platform.shown[MINA][-1]
    assert told.via == "event" and "수락했어요" in told.text and "Officer Kim" in told.text
    assert rows(engine, HeldMessage) == []  # fetched, so forgotten

    # Daily check-ins; the first is asked through the Event API and answered through the skill.
    shown = await platform.say(MINA, "/checkin")
    shown = await platform.press(MINA, shown.quick_reply("ck:days:daily"))
    shown = await platform.press(MINA, shown.quick_reply("ck:time:"))
    [plan] = rows(engine, CheckinPlan)
    assert plan.status == "active" and plan.next_due_at is not None
    clock.advance((plan.next_due_at - clock()).total_seconds() + 60)
    await world.chat.dispatch_checkins()
    await platform.settle()
    asked = platform.shown[MINA][-1]
    assert asked.via == "event" and asked.presses and all(p.startswith("ci:") for p in asked.presses)
    answer = await platform.press(MINA, asked.quick_reply("ci:ok"))
    assert answer.via == "answer" and answer.text.strip()
    [checkin_round] = rows(engine, CheckinRound)
    assert checkin_round.answer == "ok"

    # A notice from the district's staff, written on Telegram, shown on KakaoTalk.
    for step in ("/notice", "단수 안내: 내일 오전 9시부터 물이 나오지 않아요"):
        await world.staff_says(step)
    for data in ("nt:nolink", "nt:aud:all", "nt:send"):
        await world.staff_presses(data)
    await world.chat.send_notices()
    await platform.settle()
    notice = platform.shown[MINA][-1]
    assert notice.via == "event" and "단수 안내" in notice.text
    assert [d.status for d in rows(engine, Delivery)] == ["sent"]

    # /forget: everything about her is gone, and she is a newcomer again.
    shown = await platform.say(MINA, "/forget")
    shown = await platform.press(MINA, shown.quick_reply("fg:yes"))
    assert rows(engine, Resident) == [] and rows(engine, PlatformIdentity) == []
    assert rows(engine, CheckinPlan) == [] and rows(engine, HeldMessage) == []
    [kept] = rows(engine, Booking)  # kept for the district's figures, without her details
    assert (kept.phone, kept.address_detail, kept.note) == (None, None, None)
    again = await platform.say(MINA, "안녕하세요")
    assert "lang:ko" in again.presses

    assert platform.problems == []
    assert {shown.via for shown in platform.shown[MINA]} == {"answer", "event"}


# --- the Event API's refusals, end to end ---------------------------------------------------------


async def told_of_acceptance(world: World) -> int:
    """A resident with a request accepted by staff: the resident's update waits in the outbox."""
    await onboard(world.platform, MINA)
    await request_handyman(world.platform, MINA)
    [booking] = rows(world.engine, Booking)
    await world.staff_presses(f"st:acc:{booking.id}")
    return booking.id


def resident_update(engine: Engine) -> OutboxMessage:
    [row] = [row for row in rows(engine, OutboxMessage) if platform_of(row.chat_id) is Platform.KAKAO]
    return row


async def test_429_then_delivered_on_the_next_run(world: World):
    await told_of_acceptance(world)
    world.platform.fail_next(429, {"status": "FAIL", "message": "too many requests"}, retry_after=1)
    await world.deliver()
    assert resident_update(world.engine).status == OutboxStatus.PENDING
    assert world.platform.shown[MINA][-1].via == "answer"  # nothing shown yet
    world.clock.advance(1)
    await world.deliver()
    assert resident_update(world.engine).status == OutboxStatus.SENT
    assert "수락했어요" in world.platform.shown[MINA][-1].text


@pytest.mark.parametrize("status", [400, 403])
async def test_a_resident_who_blocked_the_channel_is_marked_unreachable(world: World, status):
    await told_of_acceptance(world)
    world.platform.block_user(MINA, status)
    await world.deliver()
    assert resident_update(world.engine).status == OutboxStatus.DROPPED
    assert not rows(world.engine, Resident)[0].active
    assert rows(world.engine, HeldMessage) == []  # the held copy went with the refusal
    assert world.platform.shown[MINA][-1].via == "answer"


async def test_5xx_and_a_timeout_are_retried_and_shown_once(world: World):
    await told_of_acceptance(world)
    world.platform.fail_next(502, {"status": "FAIL", "message": "bad gateway"})
    await world.deliver()
    assert resident_update(world.engine).status == OutboxStatus.PENDING
    world.clock.advance(60)
    world.platform.stall_next(EVENT_TIMEOUT_SECONDS * 3)
    await world.deliver()
    row = resident_update(world.engine)
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 2)
    assert rows(world.engine, HeldMessage) == []
    world.clock.advance(60)
    await world.deliver()
    assert resident_update(world.engine).status == OutboxStatus.SENT
    told = [shown for shown in world.platform.shown[MINA] if shown.via == "event"]
    assert len(told) == 1 and "수락했어요" in told[0].text
    assert [call.status for call in world.platform.events] == [502, 504, 200]


# --- answering later, through the callback ---------------------------------------------------------


class SlowTyping:
    """The real conversation, slower than the skill's deadline for what is typed (not for presses)."""

    def __init__(self, conversation: Conversation, seconds: float):
        self.conversation = conversation
        self.seconds = seconds

    def handle(self, incoming: Incoming) -> Reply:
        if incoming.kind == "text" and not incoming.text.startswith("/"):
            time.sleep(self.seconds)
        return self.conversation.handle(incoming)


async def test_a_slow_search_is_answered_at_the_callback_url_and_checked_there(
        store, clock, catalog, matcher):
    conversation = SlowTyping(Conversation(catalog=catalog, matcher=matcher, engine=store,
                                             settings=make_settings(), clock=clock), seconds=0.3)
    skill = make_skill(conversation, store, clock, deadline_seconds=0.1)
    async with serving(kakao_app(skill)) as url, FakeKakaoPlatform(skill_url=f"{url}/kakao/skill") as platform:
        await onboard(platform, MINA)
        shown = await platform.say(MINA, "보일러가 고장나서 너무 추워요")
        assert shown.via == "callback"
        assert "req:start:seocho.handyman" in shown.presses
        await platform.settle()
    await skill.aclose()
    # The hello and the search came later, each checked at its callbackUrl; the presses in time.
    assert [s.via for s in platform.shown[MINA]] == ["callback", *["answer"] * 5, "callback"]
    assert skill.callbacks_sent == 2


# --- forged requests: refused or answered, nothing changed ---------------------------------------


async def test_forged_requests_change_nothing(world: World):
    platform, engine = world.platform, world.engine
    await onboard(platform, MINA)
    await request_handyman(platform, MINA)
    [booking] = rows(engine, Booking)
    await onboard(platform, "kakao-nosy")
    before = snapshot(engine)

    # Wrong secret: 403, nothing read.
    for headers in ({}, {"X-Skill-Secret": SECRET[:-1]}, {"X-Skill-Secret": SECRET + "!"}):
        response = await platform.post(skill_request(MINA, "/forget"), headers=headers)
        assert response.status_code == 403
    # Malformed JSON and bodies that are no skill request: 400, plain words.
    for body in (b"{not json", b'{"userRequest": {"user": {"id": 7}}}', json.dumps([1, 2]).encode()):
        response = await platform.post(body)
        assert response.status_code == 400 and "Traceback" not in response.text
    # Another resident's request in clientExtra: answered, refused, nothing done.
    for data in (f"bk:cancel:{booking.id}", f"bk:cxl:{booking.id}", f"st:acc:{booking.id}"):
        shown = await platform.press("kakao-nosy", {"label": "취소", "action": "message", "messageText": "취소",
                                                    "extra": {"press": data}})
        assert shown.text.strip()
    # A 10,000-character utterance: a kind refusal, within Kakao's rules.
    shown = await platform.say("kakao-nosy", "가" * 10_000)
    assert "too long" in shown.text

    after = snapshot(engine)
    assert {name: (before[name] ^ after[name]) for name in after if before[name] != after[name]} == {}
    assert platform.problems == []


async def test_a_response_kakao_would_refuse_fails_the_step():
    async def broken(_request):
        return JSONResponse({"version": "2.0", "template": {"outputs": [
            {"simpleText": {"text": "a"}, "textCard": {"description": "b"}}]}})

    async with serving(Starlette(routes=[Route("/skill", broken, methods=["POST"])])) as url, \
            FakeKakaoPlatform(skill_url=f"{url}/skill") as platform:
        with pytest.raises(KakaoRefused, match="not exactly one"):
            await platform.say("k", "hi")
    assert platform.problems
