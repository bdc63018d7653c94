"""A fake Kakao platform: Kakao i Open Builder calling the skill, and the Event API, on real sockets.

What Kakao would refuse to show is what this fake exists to catch: every skill response it
receives (an answer, a reply POSTed later to a `callbackUrl`, an event block's answer) is checked
against Kakao's skill response rules (`skill_response_problems`), and the answer must come within
Kakao's 5 seconds. A response that breaks a rule fails the test that caused it.

The fake plays three parts, as Kakao does:

- the chat: `say` and `press` POST skill requests to the skill's URL as a fallback block would
  (a pressed quick reply sends its `messageText` as the utterance and its `extra` as
  `action.clientExtra`), each with a one-use `callbackUrl` of the fake's own when `callbacks`
  is on; an answer `useCallback` is followed by waiting for the real one at that URL;
- the Event API (`POST /v2/bots/{botId}/talk` at `base_url`): checks the key, the bot, the
  event's name and the users, answers as Kakao does, or with the next injected fault (a status
  with its body, a blocked user, or a stall longer than the client waits);
- the event block: for an accepted event, it calls the skill for each user as Kakao runs the
  block bound to the event: the event's `params` in `userRequest.params` (where the adapter
  looks for a held message's token, `bot.adapters.kakao.requests`), its `data` in
  `action.params`, nothing typed.

Everything a person was shown, by whichever way, is kept in order (`shown`).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.adapters.http_serving import serving_on_loopback

from .conftest import BOT_ID, EVENT_NAME, REST_API_KEY, SECRET, skill_request

# --- Kakao's rules for a skill response (version 2.0) -----------------------------------------

VERSION = "2.0"
ANSWER_WITHIN_SECONDS = 5.0  # Kakao stops waiting for the skill after 5 seconds
CALLBACK_WITHIN_SECONDS = 60.0  # a callbackUrl is good for one minute, once
MAX_OUTPUTS = 3
MAX_QUICK_REPLIES = 10
MAX_LABEL = 14
MAX_SIMPLE_TEXT = 1000
MAX_TITLE = 50
MAX_DESCRIPTION = 400
MAX_DESCRIPTION_WITH_THUMBNAIL = 230
MAX_CARD_BUTTONS = 3
MAX_LIST_ITEMS = 5
MAX_LIST_BUTTONS = 2
MAX_CAROUSEL_ITEMS = 10
MAX_LIST_CAROUSEL_ITEMS = 5
OUTPUT_KINDS = frozenset({"simpleText", "simpleImage", "textCard", "basicCard", "commerceCard", "listCard",
                          "itemCard", "carousel"})
CAROUSEL_KINDS = frozenset({"textCard", "basicCard", "commerceCard", "listCard", "itemCard"})
BUTTON_ACTIONS = frozenset({"webLink", "message", "block", "phone", "share", "operator", "addChannel"})
QUICK_REPLY_ACTIONS = frozenset({"message", "block"})
# What each action needs besides its label.
ACTION_FIELDS = {"webLink": "webLinkUrl", "message": "messageText", "block": "blockId", "phone": "phoneNumber"}
EVENT_USER_TYPES = frozenset({"botUserKey", "appUserId", "plusfriendUserKey"})
MAX_EVENT_USERS = 100


def skill_response_problems(response: Any, *, may_use_callback: bool = True) -> list[str]:
    """What in `response` Kakao would refuse, one line each (empty when it is a good response).

    `may_use_callback` is False for a body POSTed to a callbackUrl: that is the real answer.
    """
    if not isinstance(response, dict):
        return ["the response is not a JSON object"]
    problems: list[str] = []
    if response.get("version") != VERSION:
        problems.append(f"version is {response.get('version')!r}, not '2.0'")
    if response.get("useCallback") is True:
        if not may_use_callback:
            problems.append("useCallback in a callback's body (it must be the real answer)")
        data = response.get("data")
        if data is not None and not isinstance(data, dict):
            problems.append("useCallback's data is not an object")
        elif isinstance(data, dict) and "text" in data and not isinstance(data["text"], str):
            problems.append("useCallback's data.text is not text")
        if "template" in response:
            problems.append("useCallback with a template (the answer follows at the callbackUrl)")
        return problems
    template = response.get("template")
    if not isinstance(template, dict):
        return [*problems, "no template"]
    outputs = template.get("outputs")
    if not isinstance(outputs, list) or not 1 <= len(outputs) <= MAX_OUTPUTS:
        count = len(outputs) if isinstance(outputs, list) else "no"
        problems.append(f"template.outputs has {count} items (1 to {MAX_OUTPUTS})")
        outputs = outputs if isinstance(outputs, list) else []
    for index, output in enumerate(outputs):
        problems.extend(_output_problems(output, f"outputs[{index}]"))
    quick_replies = template.get("quickReplies", [])
    if not isinstance(quick_replies, list):
        problems.append("quickReplies is not a list")
    else:
        if len(quick_replies) > MAX_QUICK_REPLIES:
            problems.append(f"{len(quick_replies)} quickReplies (at most {MAX_QUICK_REPLIES})")
        for index, reply in enumerate(quick_replies):
            problems.extend(_quick_reply_problems(reply, f"quickReplies[{index}]"))
    return problems


def _output_problems(output: Any, where: str) -> list[str]:
    if not isinstance(output, dict) or len(output) != 1 or next(iter(output)) not in OUTPUT_KINDS:
        keys = sorted(output) if isinstance(output, dict) else type(output).__name__
        return [f"{where} is not exactly one of {sorted(OUTPUT_KINDS)}: {keys}"]
    kind, body = next(iter(output.items()))
    if not isinstance(body, dict):
        return [f"{where}.{kind} is not an object"]
    if kind == "carousel":
        return _carousel_problems(body, f"{where}.carousel")
    return _card_problems(kind, body, f"{where}.{kind}")


def _card_problems(kind: str, body: dict[str, Any], where: str) -> list[str]:
    problems: list[str] = []
    if kind == "simpleText":
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}.text is empty or not text (an empty bubble)")
        elif len(text) > MAX_SIMPLE_TEXT:
            problems.append(f"{where}.text has {len(text)} characters (at most {MAX_SIMPLE_TEXT})")
        return problems
    if kind == "simpleImage":
        if not _is_url(body.get("imageUrl")):
            problems.append(f"{where}.imageUrl is not an http(s) URL")
        if not isinstance(body.get("altText"), str) or not body["altText"]:
            problems.append(f"{where}.altText is missing")
        return problems
    title, description = body.get("title"), body.get("description")
    for name, value in (("title", title), ("description", description)):
        if value is not None and not isinstance(value, str):
            problems.append(f"{where}.{name} is not text")
    if isinstance(title, str) and len(title) > MAX_TITLE:
        problems.append(f"{where}.title has {len(title)} characters (at most {MAX_TITLE})")
    buttons_limit = MAX_CARD_BUTTONS
    if kind == "textCard":
        if not (title or description):
            problems.append(f"{where} has neither title nor description")
        if isinstance(description, str) and len(description) > MAX_DESCRIPTION:
            problems.append(f"{where}.description has {len(description)} characters (at most {MAX_DESCRIPTION})")
    elif kind == "basicCard":
        thumbnail = body.get("thumbnail")
        if not isinstance(thumbnail, dict) or not _is_url(thumbnail.get("imageUrl")):
            problems.append(f"{where}.thumbnail.imageUrl is missing")
        limit = MAX_DESCRIPTION_WITH_THUMBNAIL if thumbnail else MAX_DESCRIPTION
        if isinstance(description, str) and len(description) > limit:
            problems.append(f"{where}.description has {len(description)} characters (at most {limit} "
                            "with a thumbnail)")
    elif kind == "commerceCard":
        thumbnails = body.get("thumbnails")
        if not isinstance(thumbnails, list) or len(thumbnails) != 1 or not isinstance(thumbnails[0], dict) \
                or not _is_url(thumbnails[0].get("imageUrl")):
            problems.append(f"{where}.thumbnails must be one image")
        if not isinstance(body.get("price"), int):
            problems.append(f"{where}.price is not a whole number")
        if not body.get("buttons"):
            problems.append(f"{where} has no button")
    elif kind == "listCard":
        header = body.get("header")
        if not isinstance(header, dict) or not isinstance(header.get("title"), str) or not header["title"]:
            problems.append(f"{where}.header.title is missing")
        items = body.get("items")
        if not isinstance(items, list) or not 1 <= len(items) <= MAX_LIST_ITEMS:
            problems.append(f"{where}.items must be 1 to {MAX_LIST_ITEMS}")
        buttons_limit = MAX_LIST_BUTTONS
    elif kind == "itemCard":
        items = body.get("itemList")
        if not isinstance(items, list) or not items:
            problems.append(f"{where}.itemList is missing")
    buttons = body.get("buttons", [])
    if not isinstance(buttons, list):
        return [*problems, f"{where}.buttons is not a list"]
    if len(buttons) > buttons_limit:
        problems.append(f"{where} has {len(buttons)} buttons (at most {buttons_limit})")
    for index, button in enumerate(buttons):
        problems.extend(_button_problems(button, f"{where}.buttons[{index}]", BUTTON_ACTIONS))
    return problems


def _carousel_problems(body: dict[str, Any], where: str) -> list[str]:
    kind = body.get("type")
    if kind not in CAROUSEL_KINDS:
        return [f"{where}.type {kind!r} is not one of {sorted(CAROUSEL_KINDS)}"]
    items = body.get("items")
    limit = MAX_LIST_CAROUSEL_ITEMS if kind == "listCard" else MAX_CAROUSEL_ITEMS
    if not isinstance(items, list) or not 1 <= len(items) <= limit:
        return [f"{where}.items must be 1 to {limit} {kind}s"]
    problems: list[str] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or OUTPUT_KINDS & set(item):
            problems.append(f"{where}.items[{index}] is not one {kind}")
            continue
        problems.extend(_card_problems(kind, item, f"{where}.items[{index}]"))
    return problems


def _button_problems(button: Any, where: str, actions: frozenset[str]) -> list[str]:
    if not isinstance(button, dict):
        return [f"{where} is not an object"]
    problems: list[str] = []
    label = button.get("label")
    if not isinstance(label, str) or not label.strip():
        problems.append(f"{where}.label is empty")
    elif len(label) > MAX_LABEL:
        problems.append(f"{where}.label {label!r} has {len(label)} characters (at most {MAX_LABEL})")
    action = button.get("action")
    if action not in actions:
        problems.append(f"{where}.action {action!r} is not one of {sorted(actions)}")
        return problems
    needed = ACTION_FIELDS.get(action)
    if needed is not None:
        value = button.get(needed)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where} is a {action} without {needed}")
        elif needed == "webLinkUrl" and not _is_url(value):
            problems.append(f"{where}.webLinkUrl is not an http(s) URL")
    return problems


def _quick_reply_problems(reply: Any, where: str) -> list[str]:
    problems = _button_problems(reply, where, QUICK_REPLY_ACTIONS)
    if isinstance(reply, dict) and "extra" in reply and not isinstance(reply["extra"], dict):
        problems.append(f"{where}.extra is not an object")
    return problems


def _is_url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


class KakaoRefused(AssertionError):
    """Kakao would not show this response (or it came too late, or not at all)."""


# --- what a person saw ------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """One skill response as the person saw it, and how it reached them."""

    response: dict[str, Any]
    via: str  # "answer", "callback" (after useCallback) or "event" (an event block)

    @property
    def outputs(self) -> list[dict[str, Any]]:
        return self.response["template"]["outputs"]

    @property
    def text(self) -> str:
        """Every text shown, joined by newlines (a card's title and description)."""
        texts: list[str] = []
        for output in self.outputs:
            for kind, body in output.items():
                cards = body.get("items", []) if kind == "carousel" else [body]
                for card in cards:
                    texts.extend(str(card[key]) for key in ("text", "title", "description") if card.get(key))
        return "\n".join(texts)

    @property
    def quick_replies(self) -> list[dict[str, Any]]:
        return self.response["template"].get("quickReplies", [])

    @property
    def presses(self) -> list[str]:
        return [reply["extra"]["press"] for reply in self.quick_replies if "press" in reply.get("extra", {})]

    def quick_reply(self, press_prefix: str | None = None, *, label: str | None = None) -> dict[str, Any]:
        """The quick reply whose press starts with `press_prefix` (or whose label is `label`)."""
        for reply in self.quick_replies:
            press = reply.get("extra", {}).get("press", "")
            if (press_prefix is not None and press.startswith(press_prefix)) or reply["label"] == label:
                return reply
        raise AssertionError(f"no quick reply {press_prefix or label!r} in {self.quick_replies}")


# --- the platform -----------------------------------------------------------------------------


@dataclass
class EventCall:
    """One Event API call as received, and what the fake answered."""

    bot_id: str
    authorization: str
    body: Any
    status: int = 0


@dataclass
class _Fault:
    status: int = 0
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    stall_seconds: float = 0.0


class FakeKakaoPlatform:
    """Kakao i Open Builder in front of the skill at `skill_url`; use as `async with`."""

    def __init__(self, *, skill_url: str, secret: str = SECRET, secret_header: str = "X-Skill-Secret",
                 bot_id: str = BOT_ID, rest_api_key: str = REST_API_KEY, event_name: str = EVENT_NAME,
                 callbacks: bool = True, answer_within: float = ANSWER_WITHIN_SECONDS):
        self.skill_url = skill_url
        self.secret = secret
        self.secret_header = secret_header
        self.bot_id = bot_id
        self.rest_api_key = rest_api_key
        self.event_name = event_name
        self.callbacks = callbacks
        self.answer_within = answer_within
        self.base_url = ""
        self.events: list[EventCall] = []
        self.shown: dict[str, list[Shown]] = defaultdict(list)
        self.problems: list[str] = []
        self.blocked: dict[str, int] = {}  # botUserKey → the status an event to them gets
        self._faults: deque[_Fault] = deque()
        self._callbacks: dict[str, asyncio.Future[Any]] = {}
        self._callback_ids = itertools.count(1)
        self._task_ids = itertools.count(1)
        self._blocks: set[asyncio.Task[None]] = set()
        self._client: httpx.AsyncClient | None = None
        self._serving: Any = None

    async def __aenter__(self) -> FakeKakaoPlatform:
        app = Starlette(routes=[
            Route("/v2/bots/{bot_id}/talk", self._talk, methods=["POST"]),
            Route("/callback/{token}", self._callback, methods=["POST"]),
        ])
        self._serving = serving(app)
        self.base_url = await self._serving.__aenter__()
        self._client = httpx.AsyncClient(timeout=self.answer_within * 2)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._blocks:
            await asyncio.gather(*self._blocks, return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()
        await self._serving.__aexit__(*exc_info)

    # --- the chat -----------------------------------------------------------------------------

    async def say(self, user_key: str, utterance: str) -> Shown:
        """`user_key` types `utterance`; what the skill showed them (validated)."""
        return await self._converse(user_key, skill_request(user_key, utterance))

    async def press(self, user_key: str, quick_reply: dict[str, Any]) -> Shown:
        """`user_key` presses `quick_reply` as Kakao sends it: its messageText, its extra."""
        body = skill_request(user_key, quick_reply["messageText"], extra=quick_reply.get("extra"))
        return await self._converse(user_key, body)

    async def post(self, body: bytes | dict[str, Any], *, headers: dict[str, str] | None = None) -> httpx.Response:
        """A raw POST to the skill, no checks: for requests Kakao would never send."""
        headers = {self.secret_header: self.secret} if headers is None else headers
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        return await self.client.post(self.skill_url, content=content,
                                      headers={**headers, "Content-Type": "application/json"})

    async def _converse(self, user_key: str, body: dict[str, Any]) -> Shown:
        token = None
        if self.callbacks:
            token = f"cb-{next(self._callback_ids)}"
            self._callbacks[token] = asyncio.get_running_loop().create_future()
            body["userRequest"]["callbackUrl"] = f"{self.base_url}/callback/{token}"
        try:
            response = await self._call_skill(body, f"answer to {user_key}")
            if response.get("useCallback") is True:
                if token is None:
                    self._refuse(["useCallback without a callbackUrl in the request"])
                try:
                    later = await asyncio.wait_for(asyncio.shield(self._callbacks[token]),
                                                   CALLBACK_WITHIN_SECONDS)
                except TimeoutError:
                    self._refuse(["useCallback, and nothing POSTed to the callbackUrl"])
                self._check(later, "callback", may_use_callback=False)
                shown = Shown(later, "callback")
            else:
                shown = Shown(response, "answer")
        finally:
            if token is not None:
                self._callbacks.pop(token, None)
        self.shown[user_key].append(shown)
        return shown

    async def _call_skill(self, body: dict[str, Any], what: str) -> dict[str, Any]:
        started = time.monotonic()
        response = await self.client.post(self.skill_url, json=body,
                                          headers={self.secret_header: self.secret})
        took = time.monotonic() - started
        if response.status_code != 200:
            self._refuse([f"{what}: HTTP {response.status_code}"])
        if took > self.answer_within:
            self._refuse([f"{what}: answered after {took:.1f} s (Kakao waits {self.answer_within:.0f} s)"])
        try:
            data = response.json()
        except ValueError:
            self._refuse([f"{what}: the body is not JSON"])
        self._check(data, what)
        return data

    def _check(self, response: Any, what: str, *, may_use_callback: bool = True) -> None:
        problems = skill_response_problems(response, may_use_callback=may_use_callback)
        if problems:
            self._refuse([f"{what}: {problem}" for problem in problems])

    def _refuse(self, problems: list[str]) -> None:
        self.problems.extend(problems)
        raise KakaoRefused("; ".join(problems))

    async def _callback(self, request: Request) -> JSONResponse:
        future = self._callbacks.get(request.path_params["token"])
        if future is None or future.done():
            self.problems.append("a POST to a callbackUrl that is unknown or used already")
            return JSONResponse({"status": "FAIL", "message": "invalid callback token"}, status_code=400)
        try:
            future.set_result(json.loads(await request.body()))
        except ValueError:
            future.set_result(None)
        return JSONResponse(self._success())

    # --- the Event API ------------------------------------------------------------------------

    @property
    def client(self) -> httpx.AsyncClient:
        assert self._client is not None, "use the platform as `async with`"
        return self._client

    def fail_next(self, status: int, body: dict[str, Any] | None = None, *, times: int = 1,
                  retry_after: float | None = None) -> None:
        """The next `times` events are refused with `status` (and Retry-After, when given)."""
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        for _ in range(times):
            self._faults.append(_Fault(status, body or {"status": "FAIL", "message": "error"}, headers))

    def stall_next(self, seconds: float) -> None:
        """The next event is answered after `seconds` (longer than the client waits) and not delivered."""
        self._faults.append(_Fault(stall_seconds=seconds))

    def block_user(self, user_key: str, status: int = 400) -> None:
        """`user_key` blocked the channel: events to them are refused with `status`."""
        self.blocked[user_key] = status

    async def settle(self) -> None:
        """Wait for every event block started so far; raise if any response broke a rule."""
        while self._blocks:
            await asyncio.gather(*list(self._blocks), return_exceptions=True)
        if self.problems:
            raise KakaoRefused("; ".join(self.problems))

    def delivered(self) -> list[EventCall]:
        return [call for call in self.events if call.status == 200]

    async def _talk(self, request: Request) -> JSONResponse:
        call = EventCall(request.path_params["bot_id"], request.headers.get("Authorization", ""), None)
        self.events.append(call)
        try:
            call.body = json.loads(await request.body())
        except ValueError:
            return self._answer(call, 400, {"status": "FAIL", "message": "invalid json"}, problem="not JSON")
        if call.authorization != f"KakaoAK {self.rest_api_key}":
            return self._answer(call, 401, {"status": "FAIL", "message": "unauthorized"}, problem="wrong key")
        if call.bot_id != self.bot_id:
            return self._answer(call, 400, {"status": "FAIL", "message": "invalid bot id"}, problem="wrong bot")
        problem = self._event_problem(call.body)
        if problem is not None:
            return self._answer(call, 400, {"status": "FAIL", "message": problem}, problem=problem)
        users = [user["id"] for user in call.body["user"]]
        if self._faults:
            fault = self._faults.popleft()
            if fault.stall_seconds:
                call.status = 504  # what it answers, once the client has given up
                await asyncio.sleep(fault.stall_seconds)
                return self._answer(call, 504, {"status": "FAIL", "message": "timeout"})
            return self._answer(call, fault.status, fault.body, fault.headers)
        blocked = [user for user in users if user in self.blocked]
        if blocked:
            status = self.blocked[blocked[0]]
            message = "user blocked the channel" if status == 400 else "forbidden"
            return self._answer(call, status, {"status": "FAIL", "message": message})
        for user_key in users:
            task = asyncio.create_task(self._event_block(user_key, call.body))
            self._blocks.add(task)
            task.add_done_callback(self._blocks.discard)
        return self._answer(call, 200, self._success())

    def _event_problem(self, body: Any) -> str | None:
        event = body.get("event") if isinstance(body, dict) else None
        if not isinstance(event, dict) or event.get("name") != self.event_name:
            return "event not found"
        if "data" in event and not isinstance(event["data"], dict):
            return "event.data is not an object"
        users = body.get("user")
        if not isinstance(users, list) or not 1 <= len(users) <= MAX_EVENT_USERS:
            return f"user must list 1 to {MAX_EVENT_USERS} users"
        for user in users:
            if not isinstance(user, dict) or user.get("type") not in EVENT_USER_TYPES \
                    or not isinstance(user.get("id"), str) or not user["id"]:
                return "invalid user"
        if "params" in body and not isinstance(body["params"], dict):
            return "params is not an object"
        return None

    def _answer(self, call: EventCall, status: int, body: dict[str, Any], headers: dict[str, str] | None = None,
                *, problem: str | None = None) -> JSONResponse:
        call.status = status
        if problem is not None:
            self.problems.append(f"Event API call refused: {problem}")
        return JSONResponse(body, status_code=status, headers=headers)

    def _success(self) -> dict[str, Any]:
        return {"taskId": f"task-{next(self._task_ids)}", "status": "SUCCESS", "message": "",
                "timestamp": int(time.time() * 1000)}

    async def _event_block(self, user_key: str, event_body: dict[str, Any]) -> None:
        body = skill_request(user_key, "", params={key: str(value) for key, value in
                                                    (event_body.get("params") or {}).items()})
        body["userRequest"]["block"] = {"id": "event-block", "name": self.event_name}
        body["intent"] = {"id": "event-block", "name": self.event_name}
        body["action"]["params"] = dict(event_body["event"].get("data") or {})
        try:
            response = await self._call_skill(body, f"event block for {user_key}")
        except KakaoRefused:
            return  # kept in `problems`, raised by `settle`
        except httpx.HTTPError as error:
            self.problems.append(f"event block for {user_key}: {type(error).__name__}")
            return
        if response.get("useCallback") is True:
            self.problems.append(f"event block for {user_key}: useCallback without a callbackUrl")
            return
        self.shown[user_key].append(Shown(response, "event"))


# `app` on a loopback port of its own, yielding its base URL (shared with `ddokddok bench kakao`).
serving = serving_on_loopback
