"""The outbox sender: sends queued messages (staff alerts, resident updates) through any messenger.

Messenger-agnostic: an adapter supplies a `Transport` that raises the typed errors below, and
`drain_outbox` turns each outcome into the outbox's bookkeeping. Delivery is at least once: a
message is marked sent only after the transport returned, so a crash in between sends it again
once its lease runs out. Logs carry outbox ids, chat ids and error codes, never message text.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from bot.core.clock import Clock
from bot.core.messages import Button, Outgoing
from bot.people.residents import mark_unreachable
from bot.sending.outbox import CLAIM_LEASE, claim_due_messages, give_back, mark_dropped, mark_retry, mark_sent
from bot.store.db import session_scope
from bot.store.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

# Transient failures wait 5 s, 10 s, 20 s, ... up to 15 minutes; the outbox gives up after its
# MAX_ATTEMPTS, so a message to a chat that never comes back does not stay pending for ever.
BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_MAX = timedelta(minutes=15)
# Recording a send's result is tried this many times, these seconds apart, before the sender
# gives up on recording it (the message is then sent again once its lease runs out).
RECORD_ATTEMPTS = 3
RECORD_RETRY_SECONDS = 0.5


# --- what a transport may raise -------------------------------------------------------------


class DeliveryError(Exception):
    """A message could not be sent. `code` is short and safe to log (no text, no token)."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


class RecipientBlocked(DeliveryError):
    """The recipient cannot be reached at all: blocked the bot, deactivated, chat not found."""


class RateLimited(DeliveryError):
    """The messenger asked to wait `retry_after` seconds before sending again."""

    def __init__(self, retry_after: float, code: str = "rate_limited"):
        self.retry_after = max(0.0, float(retry_after))
        super().__init__(code)


class TransientSendError(DeliveryError):
    """A failure worth retrying later: a 5xx answer, a timeout, the network."""


class RejectedMessage(DeliveryError):
    """The messenger refused this message itself (e.g. a 400 other than "chat not found").

    Sending it again would be refused again, so it is dropped; the recipient stays reachable.
    """


class Transport(Protocol):
    """Sends one message now, or raises one of the `DeliveryError`s above."""

    async def send(self, message: Outgoing) -> None: ...


# --- the sender -----------------------------------------------------------------------------


@dataclass
class DeliveryStats:
    """What one `drain_outbox` did, message by message."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0  # will be tried again (a transient failure, or deferred by a rate limit)
    dropped: int = 0  # given up on purpose: recipient blocked, message refused
    failed: int = 0  # given up after the outbox's maximum attempts
    vanished: int = 0  # deleted (/forget) or finished by another sender meanwhile


@dataclass(frozen=True)
class _Claimed:
    id: int
    chat_id: int
    message: Outgoing | None  # None when the stored message cannot be turned into an Outgoing
    attempts: int


async def drain_outbox(
    *, engine: Engine, transport: Transport, clock: Clock, limit: int = 50
) -> DeliveryStats:
    """Claim up to `limit` due messages, send each, and record how each went.

    The claim is committed before anything is sent (a lease: no other sender takes the same
    messages meanwhile), and each result is recorded as soon as the send returns, so a crash
    repeats at most the one message in flight. When the messenger rate-limits us, the rest of
    the batch is deferred by the same wait rather than sent into the limit. What is still
    unsent when half the lease has passed (a long pause of the shared rate) is given back.
    """
    stats = DeliveryStats()
    batch = await asyncio.to_thread(_claim, engine, clock(), limit)
    claimed_at = time.monotonic()
    stats.claimed = len(batch)
    for index, item in enumerate(batch):
        if time.monotonic() - claimed_at > CLAIM_LEASE.total_seconds() / 2:
            rest = [later.id for later in batch[index:]]
            await asyncio.to_thread(_in_session, engine, _give_back, rest, clock())
            log.info("outbox: %s claimed messages given back unsent (the lease is half over)", len(rest))
            break
        if item.message is None:
            log.error("outbox message %s is malformed; dropped", item.id)
            await _record(engine, stats, _drop, item, clock(), "malformed")
            continue
        try:
            await transport.send(item.message)
        except RateLimited as error:
            log.warning("outbox message %s rate limited for %.1f s", item.id, error.retry_after)
            delay = timedelta(seconds=error.retry_after)
            for later in batch[index:]:
                await _record(engine, stats, _retry, later, clock(), error.code, delay)
            break
        except RecipientBlocked as error:
            log.info("outbox message %s dropped: chat %s unreachable (%s)", item.id, item.chat_id, error.code)
            await _record(engine, stats, _drop_unreachable, item, clock(), error.code)
        except RejectedMessage as error:
            log.warning("outbox message %s refused by the messenger (%s)", item.id, error.code)
            await _record(engine, stats, _drop, item, clock(), error.code)
        except TransientSendError as error:
            log.warning("outbox message %s not sent (%s), attempt %s", item.id, error.code, item.attempts)
            await _record(engine, stats, _retry, item, clock(), error.code, backoff(item.attempts))
        except Exception as error:  # a bug in a transport must not lose the message
            code = f"unexpected:{type(error).__name__}"
            log.error("outbox message %s not sent (%s)", item.id, code)
            await _record(engine, stats, _retry, item, clock(), code, backoff(item.attempts))
        else:
            await _record(engine, stats, _sent, item, clock())
    if stats.claimed:
        log.debug("outbox drained: %s", stats)
    return stats


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: doubling from BACKOFF_BASE, capped."""
    exponent = max(0, attempts - 1)
    if exponent > 16:  # 5 s * 2**16 is far past the cap already
        return BACKOFF_MAX
    return min(BACKOFF_BASE * (2**exponent), BACKOFF_MAX)


def outgoing_from_outbox(message: OutboxMessage) -> Outgoing:
    """The outbox stores buttons as rows of {"text": ..., "data": ...} or {"text": ..., "url": ...}
    dicts (see bot.sending.outbox), and the typing field's keyboard as a list of labels."""
    rows = tuple(
        tuple(Button(label=str(button["text"]), data=str(button.get("data", "")),
                     url=str(button["url"]) if button.get("url") else None) for button in row)
        for row in (message.buttons or ())
    )
    photo = message.photo if message.photo is not None else message.photo_png
    return Outgoing(chat_id=message.chat_id, text=message.text, buttons=rows, photo=photo, voice=message.voice,
                    keyboard=tuple(str(label) for label in message.keyboard or ()))


# --- database steps (run on a worker thread: the store is synchronous) ----------------------


def _claim(engine: Engine, now: datetime, limit: int) -> list[_Claimed]:
    with session_scope(engine) as session:
        return [_snapshot(m) for m in claim_due_messages(session=session, now=now, limit=limit)]


def _snapshot(message: OutboxMessage) -> _Claimed:
    try:
        outgoing: Outgoing | None = outgoing_from_outbox(message)
    except (KeyError, TypeError, ValueError):
        outgoing = None
    assert message.id is not None
    return _Claimed(id=message.id, chat_id=message.chat_id, message=outgoing, attempts=message.attempts)


async def _record(engine: Engine, stats: DeliveryStats, step: Callable[..., Any], *args: Any) -> None:
    """Record one message's outcome; a database refusal is retried, not a reason to stop.

    Given up after RECORD_ATTEMPTS, the message stays claimed and is sent again once its lease
    runs out (at least once), and the rest of the batch goes on.
    """
    for attempt in range(1, RECORD_ATTEMPTS + 1):
        try:
            outcome = await asyncio.to_thread(_in_session, engine, step, *args)
        except OperationalError as error:
            log.warning("outbox: recording a result failed (%s), attempt %s",
                        type(error.orig).__name__, attempt)
            if attempt < RECORD_ATTEMPTS:
                await asyncio.sleep(RECORD_RETRY_SECONDS)
            continue
        setattr(stats, outcome, getattr(stats, outcome) + 1)
        return


def _in_session(engine: Engine, step: Callable[..., str], *args: Any) -> str:
    with session_scope(engine) as session:
        return step(session, *args)


def _give_back(session, message_ids: list[int], now: datetime) -> int:
    return give_back(session=session, message_ids=message_ids, now=now)


def _sent(session, item: _Claimed, now: datetime) -> str:
    return "sent" if mark_sent(session=session, message_id=item.id, now=now) else "vanished"


def _retry(session, item: _Claimed, now: datetime, error: str, delay: timedelta) -> str:
    message = mark_retry(session=session, message_id=item.id, now=now, delay=delay, error=error)
    if message is None:
        return "vanished"
    return "failed" if message.status == OutboxStatus.FAILED else "retried"


def _drop(session, item: _Claimed, now: datetime, reason: str) -> str:
    message = mark_dropped(session=session, message_id=item.id, reason=reason, now=now)
    return "dropped" if message else "vanished"


def _drop_unreachable(session, item: _Claimed, now: datetime, reason: str) -> str:
    mark_unreachable(session=session, chat_id=item.chat_id, now=now)
    return _drop(session, item, now, reason)


__all__ = [
    "BACKOFF_BASE",
    "BACKOFF_MAX",
    "DeliveryError",
    "DeliveryStats",
    "RateLimited",
    "RecipientBlocked",
    "RejectedMessage",
    "TransientSendError",
    "Transport",
    "backoff",
    "drain_outbox",
    "outgoing_from_outbox",
]
