"""The fake Kakao platform's own checks: each of Kakao's skill response rules catches what breaks
it, every response shape the adapter makes passes, and the Event API refuses what Kakao would."""

from __future__ import annotations

import httpx
import pytest

from bot.adapters.kakao.responses import render, simple_text, use_callback
from bot.core.messages import Button, Outgoing

from .conftest import BOT_ID, EVENT_NAME, REST_API_KEY
from .fake_platform import FakeKakaoPlatform, skill_response_problems


def answer(*outputs, quick_replies=None) -> dict:
    template = {"outputs": list(outputs)}
    if quick_replies is not None:
        template["quickReplies"] = quick_replies
    return {"version": "2.0", "template": template}


def text(value: str = "안녕하세요") -> dict:
    return {"simpleText": {"text": value}}


def card(**body) -> dict:
    return {"textCard": {"description": "설명", **body}}


def link(label: str = "자세히", **more) -> dict:
    return {"label": label, "action": "webLink", "webLinkUrl": "https://example.org/a", **more}


def quick(label: str = "네", **more) -> dict:
    return {"label": label, "action": "message", "messageText": label, **more}


THUMBNAIL = {"imageUrl": "https://example.org/a.png"}
BROKEN = {
    "version 1.0": {"version": "1.0", "template": {"outputs": [text()]}},
    "no template": {"version": "2.0"},
    "no outputs": answer(),
    "4 outputs": answer(text(), text(), text(), text()),
    "two kinds in one output": answer({**text(), **card()}),
    "an unknown kind": answer({"simpleHtml": {"text": "x"}}),
    "1001 characters": answer(text("가" * 1001)),
    "an empty bubble": answer(text(" ")),
    "a card title of 51": answer(card(title="가" * 51)),
    "a card description of 401": answer(card(description="가" * 401)),
    "a card with nothing to say": answer({"textCard": {"buttons": [link()]}}),
    "a basic card of 231 with its thumbnail": answer({"basicCard": {"thumbnail": THUMBNAIL,
                                                                     "description": "가" * 231}}),
    "a basic card without thumbnail": answer({"basicCard": {"title": "t"}}),
    "4 buttons": answer(card(buttons=[link(), link(), link(), link()])),
    "a label of 15": answer(card(buttons=[link("가" * 15)])),
    "an unknown button action": answer(card(buttons=[{"label": "x", "action": "download"}])),
    "webLink without URL": answer(card(buttons=[{"label": "x", "action": "webLink"}])),
    "webLink to no URL": answer(card(buttons=[link(webLinkUrl="javascript:alert(1)")])),
    "message without messageText": answer(card(buttons=[{"label": "x", "action": "message"}])),
    "block without blockId": answer(card(buttons=[{"label": "x", "action": "block"}])),
    "a carousel of 11": answer({"carousel": {"type": "textCard", "items": [{"description": "x"}] * 11}}),
    "a carousel of simpleText": answer({"carousel": {"type": "simpleText", "items": [{"text": "x"}]}}),
    "a carousel of mixed cards": answer({"carousel": {"type": "textCard", "items": [card()]}}),
    "a list card of 6 items": answer({"listCard": {"header": {"title": "h"}, "items": [{"title": "i"}] * 6}}),
    "11 quick replies": answer(text(), quick_replies=[quick(str(n)) for n in range(11)]),
    "a quick reply label of 15": answer(text(), quick_replies=[quick("가" * 15)]),
    "a quick reply to a web link": answer(text(), quick_replies=[link()]),
    "a quick reply without messageText": answer(text(), quick_replies=[{"label": "네", "action": "message"}]),
    "a quick reply block without blockId": answer(text(), quick_replies=[{"label": "네", "action": "block"}]),
    "useCallback with a template": {"version": "2.0", "useCallback": True, "template": {"outputs": [text()]}},
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_rule_catches_what_breaks_it(name):
    assert skill_response_problems(BROKEN[name]), name


def test_a_callback_s_body_must_be_the_real_answer():
    assert skill_response_problems(use_callback("잠시만요")) == []
    assert skill_response_problems(use_callback("잠시만요"), may_use_callback=False)


GOOD = {
    "texts and quick replies": answer(text(), text("가" * 1000), quick_replies=[quick("가" * 14)] * 10),
    "a text card with 3 links": answer(card(title="가" * 50, buttons=[link(), link(), link()])),
    "a basic card": answer({"basicCard": {"thumbnail": THUMBNAIL, "description": "가" * 230}}),
    "a carousel of 10": answer({"carousel": {"type": "textCard", "items": [{"description": "x"}] * 10}}),
    "every button action": answer(card(buttons=[
        {"label": "전화", "action": "phone", "phoneNumber": "02-123-4567"},
        {"label": "블록", "action": "block", "blockId": "b1"},
        {"label": "공유", "action": "share"}])),
}


@pytest.mark.parametrize("name", sorted(GOOD))
def test_what_kakao_shows_passes(name):
    assert skill_response_problems(GOOD[name]) == []


def test_every_shape_the_adapter_renders_passes():
    chat = 1
    many = [Button(f"선택지 {n}번 길게 쓴 이름이에요", f"x:{n}") for n in range(14)]
    links = [Button(f"링크 {n}", url=f"https://example.org/{n}") for n in range(7)]
    shapes = [
        [Outgoing(chat, "가" * 2500)],
        [Outgoing(chat, f"메시지 {n}") for n in range(5)],
        [Outgoing(chat, "고르세요", tuple((b,) for b in many))],
        [Outgoing(chat, "안내", ((links[0],),))],
        [Outgoing(chat, "가" * 450, tuple((b,) for b in links))],
        [Outgoing(chat, "메뉴", keyboard=("찾기", "내 신청", "도움말"))],
    ]
    for messages in shapes:
        page = render(messages, more_token="t")
        assert skill_response_problems(page.response) == [], messages
    assert skill_response_problems(simple_text("가" * 5000)) == []


async def test_the_event_api_refuses_what_kakao_would():
    async with FakeKakaoPlatform(skill_url="http://127.0.0.1:9/unused") as platform:
        url = f"{platform.base_url}/v2/bots/{BOT_ID}/talk"
        good = {"event": {"name": EVENT_NAME, "data": {}}, "user": [{"type": "botUserKey", "id": "u"}]}
        async with httpx.AsyncClient() as client:
            wrong_key = await client.post(url, json=good, headers={"Authorization": "KakaoAK nope"})
            wrong_event = await client.post(url, json={**good, "event": {"name": "other"}},
                                            headers={"Authorization": f"KakaoAK {REST_API_KEY}"})
            no_users = await client.post(url, json={**good, "user": []},
                                         headers={"Authorization": f"KakaoAK {REST_API_KEY}"})
    assert [r.status_code for r in (wrong_key, wrong_event, no_users)] == [401, 400, 400]
    assert len(platform.problems) == 3
