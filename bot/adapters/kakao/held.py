"""Messages held for KakaoTalk to fetch: Kakao shows only what the skill answers, so a message
announced through the Event API, or the rest of a reply behind "더보기", waits here under an
unguessable token until the skill is asked for it.

A held message is given only to the chat it is for (the token alone is not enough: a forged
request naming someone else's token gets nothing), once: fetching deletes it. What nobody
fetches is deleted after `HELD_FOR` (it holds what the bot said, which may be personal).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from bot.core.messages import Button, Outgoing
from bot.store.models import HeldMessage

HELD_FOR = timedelta(days=1)
MAX_TOKEN_LENGTH = 64


def new_token() -> str:
    return secrets.token_urlsafe(24)


def hold(*, session: Session, token: str, chat_id: int, messages: list[Outgoing], now: datetime) -> None:
    """Keep `messages` for `chat_id` under `token` (from `new_token`); what expired unfetched
    is deleted on the way (an indexed range: no timed job needed for it)."""
    forget_expired(session=session, now=now)
    session.add(HeldMessage(token=token, chat_id=chat_id, messages=[_as_dict(m) for m in messages],
                            created_at=now))


def take(*, session: Session, token: str, chat_id: int, now: datetime) -> list[Outgoing] | None:
    """The messages held under `token` for `chat_id`, deleted as they are given; None when
    there are none for this chat (fetched already, expired, someone else's, or made up)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    held = session.exec(select(HeldMessage).where(col(HeldMessage.token) == token)).first()
    if held is None or held.chat_id != chat_id:
        return None
    session.delete(held)
    if held.created_at < now - HELD_FOR:
        return None
    try:
        return [_as_outgoing(chat_id, item) for item in held.messages]
    except (KeyError, TypeError, ValueError):
        return None


def release(*, session: Session, token: str) -> None:
    """Forget what was held under `token` (its announcement failed: it is sent again anew)."""
    session.exec(delete(HeldMessage).where(col(HeldMessage.token) == token))


def forget_expired(*, session: Session, now: datetime) -> int:
    """Delete what was held longer than HELD_FOR; returns how many."""
    result = session.exec(delete(HeldMessage).where(col(HeldMessage.created_at) < now - HELD_FOR))
    return result.rowcount or 0


def _as_dict(message: Outgoing) -> dict[str, Any]:
    return {
        "text": message.text,
        "buttons": [[{"text": b.label, "data": b.data, "url": b.url} for b in row] for row in message.buttons],
        "keyboard": list(message.keyboard),
    }


def _as_outgoing(chat_id: int, item: dict[str, Any]) -> Outgoing:
    buttons = tuple(
        tuple(Button(label=str(b["text"]), data=str(b.get("data") or ""), url=b.get("url")) for b in row)
        for row in item.get("buttons") or ()
    )
    keyboard = tuple(str(label) for label in item.get("keyboard") or ())
    return Outgoing(chat_id, str(item["text"]), buttons, keyboard=keyboard)


__all__ = ["HELD_FOR", "forget_expired", "hold", "new_token", "release", "take"]
