"""The skill endpoint from outside: Kakao's requests in, skill responses out, the real conversation."""

from __future__ import annotations

import json
import logging
import threading
import time

import pytest
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from bot.core.messages import Incoming, Reply
from bot.people.identities import Platform, platform_of
from bot.store.db import session_scope
from bot.store.models import Booking, BookingStatus, Resident

from .conftest import (
    HEADERS,
    SECRET,
    add_kakao_resident,
    kakao_app,
    make_skill,
    outputs_text,
    presses,
    skill_request,
)


@pytest.fixture
def real_client(real_conversation, engine, clock):
    skill = make_skill(real_conversation, engine, clock)
    with TestClient(kakao_app(skill)) as client:
        yield client


def post(client: TestClient, body, headers=HEADERS):
    response = client.post("/kakao/skill", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_resident_onboards_and_searches_through_skill_requests(real_client, engine):
    answer = post(real_client, skill_request("kakao-user-1", "안녕하세요"))
    assert "lang:ko" in presses(answer)
    for wanted in ("lang:ko", "dist:seocho", "consent:yes"):
        assert wanted in presses(answer), f"{wanted} not offered: {presses(answer)}"
        label = next(r["messageText"] for r in answer["template"]["quickReplies"]
                     if r.get("extra", {}).get("press") == wanted)
        answer = post(real_client, skill_request("kakao-user-1", label, press=wanted))

    with Session(engine) as session:
        resident = session.exec(select(Resident)).one()
    assert (resident.district, resident.language, resident.active) == ("seocho", "ko", True)
    assert platform_of(resident.platform_user_id) is Platform.KAKAO
    assert resident.chat_id == resident.platform_user_id

    answer = post(real_client, skill_request("kakao-user-1", "보일러가 고장나서 너무 추워요"))
    assert outputs_text(answer).strip()
    assert len(answer["template"]["outputs"]) <= 3
    assert len(answer["template"].get("quickReplies", [])) <= 10
    assert all(len(reply["label"]) <= 14 for reply in answer["template"].get("quickReplies", []))
    assert presses(answer), "a search offers something to press"


def test_a_forged_client_extra_on_another_residents_booking_is_refused(real_client, engine, make_booking,
                                                                        make_resident, session):
    victim = make_resident()  # a Telegram resident with a request
    booking_id = make_booking(victim).id
    now = victim.created_at
    session.commit()
    session.close()
    add_kakao_resident(engine, user_key="attacker", now=now)
    for data in (f"bk:cancel:{booking_id}", f"bk:cxl:{booking_id}"):
        answer = post(real_client, skill_request("attacker", "취소", press=data))
        assert "찾을 수 없어요" in outputs_text(answer)
    with session_scope(engine) as check:
        assert check.get(Booking, booking_id).status == BookingStatus.REQUESTED


def test_the_speaker_is_always_the_request_s_user_whatever_else_it_says(conversation, engine, clock):
    skill = make_skill(conversation, engine, clock)
    body = skill_request("kakao-a", "hello", extra={"user_id": 7001, "chat_id": 7001})
    body["userRequest"]["user"]["properties"]["plusfriendUserKey"] = "someone-else"
    with TestClient(kakao_app(skill)) as client:
        post(client, body)
        post(client, skill_request("kakao-b", "hello"))
    first, second = conversation.received
    assert first.user_id == first.chat_id and platform_of(first.user_id) is Platform.KAKAO
    assert second.user_id != first.user_id


@pytest.mark.parametrize("headers", [{}, {"X-Skill-Secret": "wrong"}, {"X-Skill-Secret": SECRET + "x"}])
def test_a_wrong_or_missing_secret_is_403_and_nothing_runs(conversation, engine, clock, headers):
    skill = make_skill(conversation, engine, clock)
    with TestClient(kakao_app(skill)) as client:
        response = client.post("/kakao/skill", json=skill_request("k", "hello"), headers=headers)
    assert response.status_code == 403
    assert conversation.received == []


@pytest.mark.parametrize("body", [
    b"not json", b"\xff\xfe\x00garbage", b"[]", b"{}", json.dumps({"userRequest": {}}).encode(),
    json.dumps({"userRequest": {"user": {"id": 5}}}).encode(),
    json.dumps({"userRequest": {"user": {"id": "x" * 500}}}).encode(),
    b"{" * 100_000,
])
def test_a_body_that_is_no_skill_request_is_400_without_a_traceback(conversation, engine, clock, body, caplog):
    skill = make_skill(conversation, engine, clock)
    with caplog.at_level(logging.DEBUG), TestClient(kakao_app(skill)) as client:
        response = client.post("/kakao/skill", content=body, headers=HEADERS)
    assert response.status_code == 400
    assert conversation.received == []
    assert "Traceback" not in caplog.text


def test_a_4000_character_utterance_reaches_the_conversation_and_longer_is_refused_kindly(conversation, engine,
                                                                                       clock):
    skill = make_skill(conversation, engine, clock)
    with TestClient(kakao_app(skill)) as client:
        answer = post(client, skill_request("k", "가" * 4000))
        too_long = post(client, skill_request("k", "가" * 5000))
    assert len(conversation.received) == 1
    assert outputs_text(answer).startswith("you said:")
    assert all(len(o["simpleText"]["text"]) <= 1000 for o in answer["template"]["outputs"])
    assert "too long" in outputs_text(too_long)


def test_a_failed_turn_is_answered_and_its_text_never_logged(conversation, engine, clock, caplog):
    skill = make_skill(conversation, engine, clock)
    with caplog.at_level(logging.DEBUG), TestClient(kakao_app(skill)) as client:
        answer = post(client, skill_request("private-key-123", "boom"))
    assert "please send that again" in outputs_text(answer)
    assert "RuntimeError" in caplog.text
    for secret in ("TEST-token", "private-key-123", SECRET):
        assert secret not in caplog.text


def test_the_rest_of_a_long_reply_is_shown_by_more_and_only_to_its_owner(engine, clock):
    class Chatty:
        def handle(self, incoming: Incoming) -> Reply:
            reply = Reply()
            for n in range(5):
                reply.say(incoming.chat_id, f"part {n}")
            return reply

    skill = make_skill(Chatty(), engine, clock)
    with TestClient(kakao_app(skill)) as client:
        first = post(client, skill_request("owner", "hi"))
        [more] = first["template"]["quickReplies"]
        token = more["extra"]["held"]
        stolen = post(client, skill_request("someone-else", "더보기", extra={"held": token}))
        rest = post(client, skill_request("owner", "더보기", extra={"held": token}))
        again = post(client, skill_request("owner", "더보기", extra={"held": token}))
    assert outputs_text(first) == "part 0\npart 1\npart 2"
    assert "nothing more" in outputs_text(stolen)
    assert outputs_text(rest) == "part 3\npart 4"
    assert "nothing more" in outputs_text(again)


def test_a_slow_turn_answers_use_callback_and_posts_the_reply_later(engine, clock):
    release = threading.Event()

    class Slow:
        def handle(self, incoming: Incoming) -> Reply:
            release.wait(5)
            return Reply().say(incoming.chat_id, "finally")

    received: list[dict] = []
    arrived = threading.Event()

    async def callback(request: Request) -> JSONResponse:
        received.append(await request.json())
        arrived.set()
        return JSONResponse({"taskId": "1", "status": "SUCCESS"})

    kakao_callbacks = TestClient(Starlette(routes=[Route("/cb", callback, methods=["POST"])]))
    import httpx

    transport = httpx.ASGITransport(app=kakao_callbacks.app)
    skill = make_skill(Slow(), engine, clock, deadline_seconds=0.2,
                       client=httpx.AsyncClient(transport=transport))
    with TestClient(kakao_app(skill)) as client:
        started = time.monotonic()
        answer = post(client, skill_request("slow", "hi", callback_url="http://localhost/cb"))
        assert time.monotonic() - started < 3
        assert answer["useCallback"] is True and answer["version"] == "2.0"
        release.set()
        assert arrived.wait(5)
    assert outputs_text(received[0]) == "finally"


def test_a_callback_to_a_host_that_is_not_kakao_is_never_made(engine, clock):
    class Slowish:
        def handle(self, incoming: Incoming) -> Reply:
            time.sleep(0.4)
            return Reply().say(incoming.chat_id, "done")

    skill = make_skill(Slowish(), engine, clock, deadline_seconds=0.1)
    with TestClient(kakao_app(skill)) as client:
        answer = post(client, skill_request("k", "hi", callback_url="https://evil.example/steal"))
    assert outputs_text(answer) == "done"  # answered late, in the request itself
