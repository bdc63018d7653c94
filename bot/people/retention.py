"""Erasing what the bot keeps only for a while, as residents are told when they agree.

The phone, address, note and decline reason of a booking closed more than the retention period
ago (`bot.people.privacy.erase_expired_personal_fields`), and conversations untouched for as long (a
request left half-written holds the phone typed so far; an onboarding never finished holds a
district). `erase_expired` is one pass; the Telegram application runs `retention_job` every
`RETENTION_INTERVAL`, so neither a restart nor a quiet week skips it for long.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from bot.people.privacy import erase_expired_personal_fields
from bot.people.residents import forget_stale_conversations
from bot.store.db import session_scope

log = logging.getLogger(__name__)

RETENTION_INTERVAL = timedelta(hours=6)
# The first pass runs shortly after start-up, not a whole interval later.
RETENTION_FIRST_RUN = timedelta(minutes=1)


@dataclass(frozen=True)
class RetentionPass:
    bookings_erased: int
    conversations_forgotten: int


def erase_expired(*, engine: Engine, now: datetime, retention_days: int) -> RetentionPass:
    """One pass, in one transaction: what has been kept `retention_days` is erased."""
    with session_scope(engine) as session:
        bookings = erase_expired_personal_fields(session=session, now=now, retention_days=retention_days)
        conversations = forget_stale_conversations(
            session=session, now=now, max_age=timedelta(days=retention_days)
        )
    if bookings or conversations:
        log.info("retention: personal fields of %s bookings erased, %s conversations forgotten",
                 bookings, conversations)
    return RetentionPass(bookings, conversations)


def retention_job(
    *, engine: Engine, clock: Callable[[], datetime], retention_days: int
) -> Callable[[Any], Awaitable[None]]:
    """A job callback (any scheduler's: it ignores its context) running `erase_expired`."""

    async def run(_context: Any) -> None:
        await asyncio.to_thread(erase_expired, engine=engine, now=clock(), retention_days=retention_days)

    return run
