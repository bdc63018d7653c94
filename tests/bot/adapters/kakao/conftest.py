"""Fakes for the KakaoTalk adapter: skill requests as Kakao i Open Builder sends them, an Event
API that records every call on a real socket (uvicorn on an ephemeral port), and a Kakao
resident registered the way the skill registers one."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.adapters.flood import FloodGate
from bot.adapters.http_serving import serving_on_loopback
from bot.adapters.kakao.skill import KakaoSkill
from bot.people.identities import Platform, internal_id_for
from bot.people.residents import register_resident
from bot.store.db import session_scope

SECRET = "skill-secret-that-must-never-be-logged"
REST_API_KEY = "rest-api-key-that-must-never-be-logged"
BOT_ID = "bot-0001"
EVENT_NAME = "ddokddok_message"


def skill_request(user_key: str, utterance: str = "", *, press: str | None = None,
                  extra: dict[str, Any] | None = None, params: dict[str, Any] | None = None,
                  callback_url: str | None = None) -> dict[str, Any]:
    """A skill request as Kakao sends it (the parts the adapter reads, and some it does not)."""
    client_extra = dict(extra or {})
    if press is not None:
        client_extra["press"] = press
    user_request: dict[str, Any] = {
        "timezone": "Asia/Seoul",
        "utterance": utterance,
        "lang": "ko",
        "params": {"surface": "Kakaotalk.plusfriend", **(params or {})},
        "block": {"id": "block-1", "name": "폴백 블록"},
        "user": {"id": user_key, "type": "botUserKey",
                 "properties": {"plusfriendUserKey": f"pf-{user_key}", "isFriend": True}},
    }
    if callback_url is not None:
        user_request["callbackUrl"] = callback_url
    return {
        "intent": {"id": "intent-1", "name": "폴백 블록"},
        "userRequest": user_request,
        "bot": {"id": BOT_ID, "name": "똑똑"},
        "action": {"id": "action-1", "name": "skill", "params": {}, "detailParams": {},
                   "clientExtra": client_extra},
    }


def make_skill(conversation, engine: Engine, clock, **overrides: Any) -> KakaoSkill:
    values: dict[str, Any] = {
        "conversation": conversation, "engine": engine, "clock": clock, "secret": SECRET,
        "flood": FloodGate(max_messages=20, window_seconds=10),
    }
    values.update(overrides)
    return KakaoSkill(**values)


def kakao_app(skill: KakaoSkill) -> Starlette:
    return Starlette(routes=skill.routes())


HEADERS = {"X-Skill-Secret": SECRET}


def outputs_text(response: dict[str, Any]) -> str:
    """Every text a skill response shows, joined by newlines."""
    texts = []
    for output in response["template"]["outputs"]:
        if "simpleText" in output:
            texts.append(output["simpleText"]["text"])
        elif "textCard" in output:
            texts.append(output["textCard"].get("description", ""))
    return "\n".join(texts)


def presses(response: dict[str, Any]) -> list[str]:
    """The press data the response's quick replies carry back."""
    return [reply["extra"]["press"] for reply in response["template"].get("quickReplies", [])
            if "press" in reply.get("extra", {})]


def add_kakao_resident(engine: Engine, *, user_key: str, now: datetime, district: str = "seocho") -> int:
    """A Kakao resident, registered under the id the skill allocates: returns the id."""
    with session_scope(engine) as session:
        person = internal_id_for(session=session, platform=Platform.KAKAO, external_key=user_key, now=now)
        register_resident(session=session, platform_user_id=person, chat_id=person, first_name="",
                          language="ko", district=district, now=now)
    return person


# --- the Event API on a real socket --------------------------------------------------------------


@dataclass
class EventCall:
    path: str
    authorization: str
    body: dict[str, Any]


@dataclass
class FakeEventApi:
    """Kakao's Event API: records each POST, answers 200 SUCCESS, or the next canned failure
    (`fail(status, body, retry_after=...)`)."""

    calls: list[EventCall] = field(default_factory=list)
    failures: deque[tuple[int, dict[str, Any], dict[str, str]]] = field(default_factory=deque)
    base_url: str = ""

    def fail(self, status: int, body: dict[str, Any] | None = None, *, times: int = 1,
             retry_after: float | None = None) -> None:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        for _ in range(times):
            self.failures.append((status, body or {"status": "FAIL"}, headers))

    async def talk(self, request: Request) -> JSONResponse:
        self.calls.append(EventCall(request.url.path, request.headers.get("Authorization", ""),
                                    json.loads(await request.body())))
        if self.failures:
            status, body, headers = self.failures.popleft()
            return JSONResponse(body, status_code=status, headers=headers)
        return JSONResponse({"taskId": f"task-{len(self.calls)}", "status": "SUCCESS", "message": "",
                             "timestamp": 1741000000})

    def held_tokens(self) -> list[str]:
        return [call.body["event"]["data"]["held"] for call in self.calls]


@pytest.fixture
async def event_api() -> AsyncIterator[FakeEventApi]:
    fake = FakeEventApi()
    app = Starlette(routes=[Route("/v2/bots/{bot_id}/talk", fake.talk, methods=["POST"])])
    async with serving_on_loopback(app) as base_url:
        fake.base_url = base_url
        yield fake
