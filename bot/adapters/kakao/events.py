"""Messages a Kakao resident did not ask for (check-ins, updates on their request, notices),
through Kakao's Event API: the outbox, check-in and notice senders' `Transport` for KakaoTalk.

Kakao shows only what the skill answers, so a message is held (`bot.adapters.kakao.held`) and
the event announces its token: Kakao runs the event's block for the resident, the block calls
the skill with the token in `userRequest.params.held`, and the skill answers with the message.

Kakao's answers in the senders' words, as Telegram's are (`bot.adapters.telegram_sending`):
429 is `RateLimited` (the shared send rate pauses everyone, the message goes again); 403, 404
and a 400 about the user (unknown, blocked, left the channel) are `RecipientBlocked` (the
resident is marked unreachable); another 400 is `RejectedMessage`; 5xx, a 401 (a key being
changed) and timeouts are `TransientSendError`, retried by the outbox. Logs carry status codes,
never the key, the botUserKey or the text.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import Engine

from bot.adapters.kakao.held import hold, new_token, release
from bot.adapters.kakao.responses import HELD_KEY
from bot.core.messages import Outgoing
from bot.people.identities import Platform, external_key_of, platform_of
from bot.sending.outbox_sender import (
    DeliveryError,
    RateLimited,
    RecipientBlocked,
    RejectedMessage,
    TransientSendError,
)
from bot.store.db import session_scope

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10.0
DEFAULT_RETRY_AFTER_SECONDS = 1.0
MAX_RETRY_AFTER_SECONDS = 3600.0
# Words of a 400's body that say the user, not the message, is the problem.
USER_PROBLEMS = ("user", "block", "not found", "unsubscribe")


class KakaoEventTransport:
    """Sends one message to a Kakao resident through the Event API, or raises a `DeliveryError`."""

    def __init__(
        self,
        *,
        engine: Engine,
        clock: Callable[[], datetime],
        base_url: str,
        bot_id: str,
        rest_api_key: str,
        event_name: str,
        client: httpx.AsyncClient | None = None,
    ):
        self.engine = engine
        self.clock = clock
        self.url = f"{base_url.rstrip('/')}/v2/bots/{bot_id}/talk"
        self._headers = {"Authorization": f"KakaoAK {rest_api_key}"}
        self.event_name = event_name
        self._client = client
        self._own_client = client is None

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=TIMEOUT_SECONDS)
        return self._client

    async def aclose(self) -> None:
        if self._own_client and self._client is not None:
            await self._client.aclose()
            self._client = None

    async def send(self, message: Outgoing) -> None:
        if platform_of(message.chat_id) is not Platform.KAKAO:
            raise RejectedMessage("kakao:not_a_kakao_chat")
        token = new_token()
        user_key = await asyncio.to_thread(self._hold, message, token)
        if user_key is None:
            raise RecipientBlocked("kakao:unknown_user")
        body = {
            "event": {"name": self.event_name, "data": {HELD_KEY: token}},
            "user": [{"type": "botUserKey", "id": user_key}],
            "params": {HELD_KEY: token},
        }
        try:
            response = await self.client.post(self.url, json=body, headers=self._headers)
        except httpx.TimeoutException:
            await self._release(token)
            raise TransientSendError("kakao:timeout") from None
        except httpx.HTTPError as error:
            await self._release(token)
            raise TransientSendError(f"kakao:{type(error).__name__}") from None
        if response.is_success:
            if _says_failed(response):
                await self._release(token)
                raise RejectedMessage("kakao:event_failed")
            return None
        await self._release(token)
        raise delivery_error(response)

    def _hold(self, message: Outgoing, token: str) -> str | None:
        with session_scope(self.engine) as session:
            user_key = external_key_of(session=session, platform=Platform.KAKAO, internal_id=message.chat_id)
            if user_key is not None:
                hold(session=session, token=token, chat_id=message.chat_id, messages=[message], now=self.clock())
            return user_key

    async def _release(self, token: str) -> None:
        def step() -> None:
            with session_scope(self.engine) as session:
                release(session=session, token=token)

        await asyncio.to_thread(step)


def delivery_error(response: httpx.Response) -> DeliveryError:
    """Sort the Event API's refusal into the outbox sender's vocabulary (codes only)."""
    status = response.status_code
    if status == 429:
        return RateLimited(retry_after_seconds(response), "kakao:429")
    if status in (403, 404, 410):
        return RecipientBlocked(f"kakao:{status}")
    if status == 400:
        if any(word in response.text.lower() for word in USER_PROBLEMS):
            return RecipientBlocked("kakao:400:user")
        return RejectedMessage("kakao:400")
    if status == 401:
        log.error("the Kakao Event API refused the REST API key (KAKAO_REST_API_KEY); messages are kept")
        return TransientSendError("kakao:401")
    if status < 500:
        return RejectedMessage(f"kakao:{status}")
    return TransientSendError(f"kakao:{status}")


def retry_after_seconds(response: httpx.Response) -> float:
    try:
        value = float(response.headers.get("Retry-After", DEFAULT_RETRY_AFTER_SECONDS))
    except ValueError:
        return DEFAULT_RETRY_AFTER_SECONDS
    if not 0 <= value <= MAX_RETRY_AFTER_SECONDS:  # nan fails both
        return DEFAULT_RETRY_AFTER_SECONDS
    return value


def _says_failed(response: httpx.Response) -> bool:
    try:
        body: Any = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and str(body.get("status", "")).upper() == "FAIL"


__all__ = ["KakaoEventTransport", "delivery_error", "retry_after_seconds"]
