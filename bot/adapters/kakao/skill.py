"""The KakaoTalk skill endpoint: a skill request in, the conversation's turn, a skill response out.

Kakao i Open Builder POSTs each thing a resident does (typed text, a quick reply pressed, an
Event API block fetching a held message) to `KAKAO_SKILL_PATH` and waits 5 seconds for the
answer. The same conversation as on Telegram answers: the request becomes an `Incoming` (the
person is always `userRequest.user.id`, as a Kakao identity of their own, see
`bot.people.identities`), and the `Reply` becomes a skill response (`bot.adapters.kakao.responses`).
An identity linked on purpose to a Telegram resident (`bot.people.linking`) speaks as that
resident: user and chat id are the resident's, so every table keeps working; the reply's
messages to that chat are shown here, where the person wrote, while messages nobody asked for
keep going to the resident's Telegram chat.

- Refused with 403, and nothing read or run, unless the secret header (KAKAO_SKILL_SECRET_HEADER)
  equals KAKAO_SKILL_SECRET; 400 for a body that is not a skill request.
- One person's requests are answered in order, different people's side by side; the turn runs
  on a worker thread, so the event loop stays free to answer in time.
- A turn slower than `deadline_seconds` (3.5 s) with a `callbackUrl` in the request is answered
  "useCallback" at once and its reply POSTed to the callback URL when ready (only to Kakao's
  hosts); without one, the reply goes when ready. A reply the callback cannot deliver goes to
  the outbox, which sends it through the Event API.
- A failed turn is answered "please send that again", never with a traceback; logs carry the
  exception's type, never what was typed, the botUserKey or the secret.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.adapters.flood import FLOOD_NOTICE, FloodGate, Verdict
from bot.adapters.kakao.held import hold, new_token, take
from bot.adapters.kakao.requests import BadSkillRequest, SkillRequest, parse_skill_request
from bot.adapters.kakao.responses import render, simple_text, use_callback
from bot.adapters.request_bodies import UPDATE_MAX_BYTES, BodyRefused, read_body
from bot.core.messages import MAX_TEXT_LENGTH, Incoming, InputKind, Outgoing, Reply
from bot.people.identities import Platform
from bot.people.linking import person_for_key
from bot.sending.outbox import enqueue_message, stored_buttons
from bot.store.db import session_scope

log = logging.getLogger(__name__)

DEFAULT_SECRET_HEADER = "X-Skill-Secret"
DEFAULT_PATH = "/kakao/skill"
# Kakao waits 5 s; what is not ready by then is sent through the callback.
DEADLINE_SECONDS = 3.5
CALLBACK_TIMEOUT_SECONDS = 10.0
# Callbacks go to Kakao only (a host of these, or below them), over https; a loopback address
# is allowed over http for a local test of the whole loop.
CALLBACK_HOSTS: tuple[str, ...] = ("kakao.com",)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
# A turn the database failed is run once more (its changes were one transaction, undone).
TURN_ATTEMPTS = 2

TURN_FAILED_NOTICE = "잠시 후 다시 보내 주세요 / please send that again in a moment"
TOO_LONG_NOTICE = f"메시지가 너무 길어요. {MAX_TEXT_LENGTH}자 안으로 보내 주세요 / that message is too long"
NOTHING_HELD_NOTICE = "더 보여 드릴 내용이 없어요 / there is nothing more to show"
WAIT_NOTICE = "잠시만 기다려 주세요 / one moment, please"

Conversation = Callable[[Incoming], Reply]


@dataclass
class Answer:
    """What one request is answered with, and the messages it shows (for the outbox, when a
    callback cannot deliver them)."""

    response: dict[str, Any]
    chat_id: int | None = None
    messages: list[Outgoing] = field(default_factory=list)


class KakaoSkill:
    """The skill endpoint over one conversation and store; `routes()` for any Starlette app."""

    def __init__(
        self,
        *,
        conversation: Any,  # a `ConversationPort`: `handle(incoming) -> Reply`
        engine: Engine,
        clock: Callable[[], datetime],
        secret: str,
        flood: FloodGate,
        secret_header: str = DEFAULT_SECRET_HEADER,
        deadline_seconds: float = DEADLINE_SECONDS,
        callback_hosts: Sequence[str] = CALLBACK_HOSTS,
        client: httpx.AsyncClient | None = None,
    ):
        if not secret:
            raise ValueError("the Kakao skill needs KAKAO_SKILL_SECRET")
        self.conversation = conversation
        self.engine = engine
        self.clock = clock
        self._secret = secret.encode()
        self.secret_header = secret_header
        self.flood = flood
        self.deadline_seconds = deadline_seconds
        self.callback_hosts = tuple(host.lower() for host in callback_hosts)
        self._client = client
        self._own_client = client is None
        self._people: dict[int, tuple[asyncio.Lock, int]] = {}
        self._callbacks: set[asyncio.Task] = set()
        # For operators: turns answered "please send that again", replies sent by callback.
        self.failed_turns = 0
        self.callbacks_sent = 0

    def routes(self, path: str = DEFAULT_PATH) -> list[Route]:
        return [Route(path, self.handle, methods=["POST"])]

    async def aclose(self) -> None:
        """Let the callbacks in flight finish, then close the HTTP client."""
        if self._callbacks:
            await asyncio.gather(*self._callbacks, return_exceptions=True)
        if self._own_client and self._client is not None:
            await self._client.aclose()
            self._client = None

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=CALLBACK_TIMEOUT_SECONDS)
        return self._client

    # --- one request -------------------------------------------------------------------------

    async def handle(self, request: Request) -> Response:
        given = request.headers.get(self.secret_header, "").encode()
        if not hmac.compare_digest(given, self._secret):
            return Response(status_code=403)
        try:
            parsed = parse_skill_request(await read_body(request, max_bytes=UPDATE_MAX_BYTES))
        except (BadSkillRequest, BodyRefused) as error:
            log.info("kakao skill request refused: %s", error)
            return PlainTextResponse("not a skill request", status_code=400)
        person = await asyncio.to_thread(self._person, parsed.user_key)
        job = asyncio.create_task(self._answer(parsed, person))
        done, _ = await asyncio.wait({job}, timeout=self.deadline_seconds)
        if job in done:
            return JSONResponse(job.result().response)
        if parsed.callback_url is not None and self._may_call_back(parsed.callback_url):
            task = asyncio.create_task(self._call_back(job, parsed.callback_url))
            self._callbacks.add(task)
            task.add_done_callback(self._callbacks.discard)
            return JSONResponse(use_callback(WAIT_NOTICE))
        return JSONResponse((await job).response)

    def _person(self, user_key: str) -> int:
        with session_scope(self.engine) as session:
            return person_for_key(session=session, platform=Platform.KAKAO, external_key=user_key,
                                  now=self.clock())

    async def _answer(self, parsed: SkillRequest, person: int) -> Answer:
        async with self._turn_of(person):
            if parsed.held_token is not None:
                return await asyncio.to_thread(self._held_answer, parsed.held_token, person)
            if self.flood.check(person, self.clock().timestamp()) is not Verdict.ALLOW:
                return Answer(simple_text(FLOOD_NOTICE))
            if len(parsed.utterance) > MAX_TEXT_LENGTH and parsed.press is None:
                return Answer(simple_text(TOO_LONG_NOTICE))
            incoming = incoming_from_request(parsed, person)
            try:
                reply = await self._run_turn(incoming)
            except Exception as error:  # never a traceback to Kakao; the log says where, not what
                self.failed_turns += 1
                log.error("kakao turn failed: %s at %s", type(error).__name__, _where(error))
                return Answer(simple_text(TURN_FAILED_NOTICE))
            return await asyncio.to_thread(self._reply_answer, reply.messages, person)

    async def _run_turn(self, incoming: Incoming) -> Reply:
        for attempt in range(1, TURN_ATTEMPTS + 1):
            try:
                return await asyncio.to_thread(self.conversation.handle, incoming)
            except OperationalError as error:
                if attempt == TURN_ATTEMPTS:
                    raise
                log.warning("kakao turn failed on the database (%s); running it again",
                            type(error.orig).__name__)
        raise AssertionError("unreachable")

    def _reply_answer(self, messages: list[Outgoing], person: int) -> Answer:
        """The person's messages as a response (what does not fit held behind "더보기"); any
        message of the reply for someone else goes to the outbox."""
        own = [message for message in messages if message.chat_id == person]
        others = [message for message in messages if message.chat_id != person]
        token = new_token()
        page = render(own, more_token=token)
        if page.rest or others:
            with session_scope(self.engine) as session:
                if page.rest:
                    hold(session=session, token=token, chat_id=person, messages=page.rest, now=self.clock())
                for message in others:
                    enqueue_message(session=session, chat_id=message.chat_id, text=message.text,
                                    now=self.clock(), buttons=stored_buttons(message.buttons))
        return Answer(page.response, person, own)

    def _held_answer(self, token: str, person: int) -> Answer:
        with session_scope(self.engine) as session:
            messages = take(session=session, token=token, chat_id=person, now=self.clock())
        if messages is None:
            return Answer(simple_text(NOTHING_HELD_NOTICE))
        return self._reply_answer(messages, person)

    # --- answering later -----------------------------------------------------------------------

    def _may_call_back(self, url: str) -> bool:
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
        except ValueError:
            return False
        if host in LOOPBACK_HOSTS:
            return parts.scheme in ("http", "https")
        return parts.scheme == "https" and any(host == allowed or host.endswith("." + allowed)
                                               for allowed in self.callback_hosts)

    async def _call_back(self, job: asyncio.Task, url: str) -> None:
        answer = await job
        try:
            response = await self.client.post(url, json=answer.response)
            delivered = response.is_success
            problem = f"HTTP {response.status_code}"
        except httpx.HTTPError as error:
            delivered, problem = False, type(error).__name__
        if delivered:
            self.callbacks_sent += 1
            return
        log.warning("kakao callback not delivered (%s); the reply goes to the outbox", problem)
        if answer.chat_id is not None and answer.messages:
            await asyncio.to_thread(self._to_outbox, answer.messages)

    def _to_outbox(self, messages: list[Outgoing]) -> None:
        with session_scope(self.engine) as session:
            for message in messages:
                enqueue_message(session=session, chat_id=message.chat_id, text=message.text,
                                now=self.clock(), buttons=stored_buttons(message.buttons))

    # --- one person at a time ----------------------------------------------------------------

    def _turn_of(self, person: int) -> _PersonTurn:
        return _PersonTurn(self._people, person)


class _PersonTurn:
    """One person's requests in order (an asyncio lock per person, forgotten when idle)."""

    def __init__(self, people: dict[int, tuple[asyncio.Lock, int]], person: int):
        self.people = people
        self.person = person

    async def __aenter__(self) -> None:
        lock, waiting = self.people.get(self.person) or (asyncio.Lock(), 0)
        self.people[self.person] = (lock, waiting + 1)
        await lock.acquire()

    async def __aexit__(self, *exc_info: object) -> None:
        lock, waiting = self.people[self.person]
        lock.release()
        if waiting == 1:
            del self.people[self.person]
        else:
            self.people[self.person] = (lock, waiting - 1)


def incoming_from_request(parsed: SkillRequest, person: int) -> Incoming:
    """The conversation's view of a skill request: a press when a quick reply carried data,
    else typed text (nothing typed: something the bot cannot read, a photo or an emoticon)."""
    if parsed.press is not None:
        kind, text = InputKind.BUTTON, parsed.press
    elif parsed.utterance.strip():
        kind, text = InputKind.TEXT, parsed.utterance
    else:
        kind, text = InputKind.UNSUPPORTED, ""
    return Incoming(user_id=person, chat_id=person, first_name="", kind=kind, text=text)


def _where(error: BaseException) -> str:
    """Where an exception was raised (file, line, function): never its text, which may quote
    what a resident typed."""
    frames = traceback.extract_tb(error.__traceback__)
    return " <- ".join(f"{f.filename}:{f.lineno} {f.name}" for f in reversed(frames[-5:])) or "?"


__all__ = ["DEADLINE_SECONDS", "KakaoSkill", "incoming_from_request"]
