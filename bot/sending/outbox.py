"""Messages to people other than the one chatting: staff alerts, "your request was accepted".

A service enqueues a message in the same transaction as the change it reports; a sender
(elsewhere) claims due messages, sends them, and marks each sent, to be retried, or dropped.
Delivery is at least once: a sender that dies between sending and `mark_sent` leaves the
message to be claimed again when its lease runs out.

Texts are cleared once a message is finished (sent, failed or dropped), so the outbox never
becomes an archive of what residents asked for.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from bot.core.messages import Button
from bot.store.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

# How long a claimed message belongs to the sender that claimed it before another may: what a
# crash delays the messages claimed but not yet sent by. The sender gives back what it has not
# sent by half the lease (`give_back`), so a live sender's messages never outlive it.
CLAIM_LEASE = timedelta(seconds=30)
MAX_ATTEMPTS = 8
# Telegram's limit for one message.
MAX_TEXT_LENGTH = 4096
ERROR_MAX_LENGTH = 500

# Buttons: rows of buttons, each a dict such as {"text": "수락", "data": "booking:accept:12"},
# or {"text": "더 알아보기", "url": "https://…"} for a link; the adapter that sends the message
# decides how a dict becomes a Telegram button.
Buttons = list[list[dict[str, Any]]]


def stored_buttons(rows: tuple[tuple[Button, ...], ...]) -> Buttons | None:
    """An `Outgoing`'s buttons in the outbox's form (links included); None when there are none."""
    stored = [[{"text": b.label, "url": b.url} if b.url else {"text": b.label, "data": b.data} for b in row]
              for row in rows]
    return [row for row in stored if row] or None


def enqueue_message(
    *,
    session: Session,
    chat_id: int,
    text: str,
    now: datetime,
    buttons: Buttons | None = None,
    resident_id: int | None = None,
    photo: str | None = None,
    photo_png: bytes | None = None,
    voice: str | None = None,
    keyboard: Sequence[str] = (),
) -> OutboxMessage:
    """Queue `text` for `chat_id`, due at once.

    `resident_id` is the resident the message is to or about (a staff alert about a resident's
    request included), so that /forget can delete it before it is sent. With `photo` (a
    messenger file id) or `photo_png` (a picture the bot drew) the text is the photo's caption;
    with `voice` (a messenger file id of a resident's voice message), the voice's caption.
    `keyboard` is the row of labels under the typing field (`Outgoing.keyboard`).
    """
    if sum(item is not None for item in (photo, photo_png, voice)) > 1:
        raise ValueError("an outbox message carries one photo or one voice at most")
    if not text or len(text) > MAX_TEXT_LENGTH:
        raise ValueError(f"an outbox text has 1 to {MAX_TEXT_LENGTH} characters")
    if buttons is not None:
        json.dumps(buttons)  # fail here, not in the sender, on something JSON cannot store
    message = OutboxMessage(
        chat_id=chat_id,
        resident_id=resident_id,
        text=text,
        buttons=buttons,
        photo=photo,
        photo_png=photo_png,
        voice=voice,
        keyboard=list(keyboard) or None,
        created_at=now,
        next_attempt_at=now,
        status=OutboxStatus.PENDING,
    )
    session.add(message)
    session.flush()
    log.debug("outbox message %s queued for chat %s", message.id, chat_id)
    return message


def claim_due_messages(
    *, session: Session, now: datetime, limit: int, lease: timedelta = CLAIM_LEASE
) -> list[OutboxMessage]:
    """Pending messages due at `now`, oldest first, leased to the caller for `lease`.

    Claiming counts an attempt and moves `next_attempt_at` to the end of the lease, so that a
    second sender does not send the same message meanwhile; commit the claim before sending.
    """
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING)
        .where(col(OutboxMessage.next_attempt_at) <= now)
        .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
        .limit(limit)
        # PostgreSQL: concurrent senders skip each other's rows instead of waiting on them.
        .with_for_update(skip_locked=True)
    )
    claimed = list(session.exec(query))
    for message in claimed:
        message.attempts += 1
        message.next_attempt_at = now + lease
        session.add(message)
    session.flush()
    return claimed


def give_back(*, session: Session, message_ids: list[int], now: datetime) -> int:
    """Make claimed messages due again at once, their claim not counted as an attempt.

    For a sender that claimed more than it could send within the lease (a long rate-limit
    pause): another sender may take them now, and none will send them twice.
    """
    given = 0
    for message_id in message_ids:
        message = _pending(session, message_id)
        if message is None:
            continue
        message.next_attempt_at = now
        message.attempts = max(0, message.attempts - 1)
        session.add(message)
        given += 1
    session.flush()
    return given


def mark_sent(*, session: Session, message_id: int, now: datetime) -> OutboxMessage | None:
    """Record delivery. Returns None when the message was deleted or finished meanwhile."""
    message = _pending(session, message_id)
    if message is None:
        return None
    _finish(message, OutboxStatus.SENT, now, error=None)
    session.add(message)
    session.flush()
    return message


def mark_retry(
    *,
    session: Session,
    message_id: int,
    now: datetime,
    delay: timedelta,
    error: str,
    max_attempts: int = MAX_ATTEMPTS,
) -> OutboxMessage | None:
    """Try again after `delay` (e.g. Telegram's retry_after), or give up after `max_attempts`.

    `error` is kept for operators: pass the error's type and code, never the message text.
    Returns None when the message was deleted or finished meanwhile.
    """
    message = _pending(session, message_id)
    if message is None:
        return None
    if message.attempts >= max_attempts:
        _finish(message, OutboxStatus.FAILED, now, error=error)
        log.warning("outbox message %s failed after %s attempts", message.id, message.attempts)
    else:
        message.next_attempt_at = now + delay
        message.last_error = _short(error)
    session.add(message)
    session.flush()
    return message


def mark_dropped(
    *, session: Session, message_id: int, reason: str, now: datetime
) -> OutboxMessage | None:
    """Give up on a message on purpose, e.g. the person blocked the bot (403).

    Returns None when the message was deleted or finished meanwhile.
    """
    message = _pending(session, message_id)
    if message is None:
        return None
    _finish(message, OutboxStatus.DROPPED, now, error=reason)
    session.add(message)
    session.flush()
    log.info("outbox message %s dropped", message.id)
    return message


def _pending(session: Session, message_id: int) -> OutboxMessage | None:
    # A message may vanish while being sent (/forget deletes it) or be finished already (a
    # second sender after the lease ran out); either way there is nothing left to record.
    message = session.get(OutboxMessage, message_id)
    if message is None or message.status != OutboxStatus.PENDING:
        return None
    return message


def _finish(message: OutboxMessage, status: OutboxStatus, now: datetime, *, error: str | None) -> None:
    message.status = status
    message.finished_at = now
    message.last_error = _short(error) if error else message.last_error
    message.text = ""
    message.buttons = None
    message.keyboard = None
    message.photo = None
    message.photo_png = None
    message.voice = None


def _short(error: str) -> str:
    return error[:ERROR_MAX_LENGTH]
