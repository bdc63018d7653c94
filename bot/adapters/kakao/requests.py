"""A Kakao i Open Builder skill request, read defensively: what the adapter uses of it, or
`BadSkillRequest` naming what is wrong (never quoting it: it may hold what a resident typed).

Who is speaking is always `userRequest.user.id` (the channel's botUserKey). Nothing else in the
request names a person: a press's data (`action.clientExtra.press`) is checked by the
conversation against the database as a Telegram press is, and a held message's token
(`clientExtra.held`, or `userRequest.params.held` when the Event API's block calls the skill)
is given only to the chat it was held for.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.adapters.kakao.responses import HELD_KEY, PRESS_KEY
from bot.core.messages import MAX_BUTTON_DATA_BYTES
from bot.people.identities import MAX_EXTERNAL_KEY_LENGTH

# Kakao's requests are a few kilobytes; anything far larger is not one.
MAX_BODY_BYTES = 64 * 1024


class BadSkillRequest(ValueError):
    """The body is not a skill request this adapter can answer."""


@dataclass(frozen=True)
class SkillRequest:
    user_key: str  # userRequest.user.id: the botUserKey
    utterance: str
    press: str | None = None  # a press's data, as on a Telegram button
    held_token: str | None = None  # a held message to show (더보기, or an Event API block)
    callback_url: str | None = None


def parse_skill_request(body: bytes) -> SkillRequest:
    if len(body) > MAX_BODY_BYTES:
        raise BadSkillRequest("body too large")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise BadSkillRequest("not JSON") from None
    user_request = _object(data, "userRequest")
    user = _object(user_request, "user")
    user_key = user.get("id")
    if not isinstance(user_key, str) or not user_key.strip() or len(user_key) > MAX_EXTERNAL_KEY_LENGTH:
        raise BadSkillRequest("userRequest.user.id missing or malformed")
    utterance = user_request.get("utterance", "")
    if not isinstance(utterance, str):
        raise BadSkillRequest("userRequest.utterance is not text")
    action = _object_or_empty(data, "action")
    extra = _object_or_empty(action, "clientExtra")
    params = _object_or_empty(user_request, "params")
    callback_url = user_request.get("callbackUrl")
    return SkillRequest(
        user_key=user_key,
        utterance=utterance,
        press=_press(extra.get(PRESS_KEY)),
        held_token=_token(extra.get(HELD_KEY)) or _token(params.get(HELD_KEY)),
        callback_url=callback_url if isinstance(callback_url, str) and callback_url else None,
    )


def _object(data: Any, key: str) -> dict[str, Any]:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, dict):
        raise BadSkillRequest(f"{key} missing")
    return value


def _object_or_empty(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _press(value: Any) -> str | None:
    """A press's data as a Telegram button carries it: text of at most 64 bytes."""
    if isinstance(value, str) and value and len(value.encode()) <= MAX_BUTTON_DATA_BYTES:
        return value
    return None


def _token(value: Any) -> str | None:
    return value if isinstance(value, str) and 0 < len(value) <= 64 else None


__all__ = ["BadSkillRequest", "MAX_BODY_BYTES", "SkillRequest", "parse_skill_request"]
