"""Staff are told when check-ins stall, and when they go out again.

A check-in job that stops finishing (the database refusing its writes, a bug in a tick, a
dispatcher stuck on the network) sends no check-in and, worse, escalates nobody who stopped
answering: the alarm for a resident who fell is silent. The health check says so to a
machine; this says so to the people who answer for the residents, in the chat they already
read. Staff of every district get one message when the check-in job has not finished for
`STALL_AFTER` (or, with a long tick, for as long as the job watch allows it before calling it
late), and one more when it finishes again.

Run by a timed job of its own (`CheckinStallAlarm` is the job's callback), never by the
check-in job it watches. The messages go through the outbox, so they are durable and paced
like every staff alert. A staff member whose language the bot knows (their resident profile)
reads that language; anyone else reads Korean and English.

Once per stall: the alarm remembers, in memory, that it told staff, and only after the outbox
rows were committed (if the database refuses them, the next run tries again). A process that
restarts during a stall forgets it told them: its check-in job starts afresh, and no recovery
message follows the stall message. With several processes (PostgreSQL), each process watches
its own check-in job.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Engine

from bot.core.clock import Clock
from bot.core.texts import Texts
from bot.ops.job_watch import JobWatch
from bot.people.residents import get_resident
from bot.people.staff import list_staff
from bot.sending.outbox import enqueue_message
from bot.store.db import session_scope
from bot.store.models import Language

log = logging.getLogger(__name__)

CHECKIN_JOB = "checkins"
# Staff are told once the check-in job has gone this long without finishing.
STALL_AFTER = timedelta(minutes=10)
# How often the alarm looks: a stall is told at most this much after STALL_AFTER.
WATCHDOG_INTERVAL_SECONDS = 30.0

STALLED = "stalled"
RECOVERED = "recovered"


@cache
def _texts() -> Texts:
    return Texts.load()


def staff_text(kind: str, language: str | None, **values: Any) -> str:
    """The message (`ops.checkins_<kind>` in data/messages) in `language`; in Korean and
    English when the language is not known."""
    texts, key = _texts(), f"ops.checkins_{kind}"
    if language in texts.by_language:
        return texts.get(language, key, **values)
    return "\n\n".join(texts.get(lang, key, **values) for lang in (Language.KO, Language.EN))


class CheckinStallAlarm:
    """The watchdog's timed job: tells staff when the check-in job stalls and when it recovers."""

    def __init__(self, *, engine: Engine, job_watch: JobWatch, clock: Clock,
                 job_name: str = CHECKIN_JOB, stall_after: timedelta = STALL_AFTER):
        self.engine = engine
        self.job_watch = job_watch
        self.clock = clock
        self.job_name = job_name
        self.stall_after = stall_after
        # Set once staff were told of the current stall: when they were told, and since when
        # the job had not finished.
        self.told_at: datetime | None = None
        self.stalled_since: datetime | None = None

    @property
    def stalled(self) -> bool:
        return self.told_at is not None

    async def __call__(self, _context: Any = None) -> None:
        if self.job_name not in self.job_watch.names:
            raise RuntimeError(f"the timed job {self.job_name!r} is not watched; nothing to guard")
        now = self.clock()
        state = self.job_watch.state(self.job_name, now)
        if self.told_at is None:
            if state.unfinished_for >= self.stall_after and state.late:
                minutes = _minutes(state.unfinished_for)
                told = await asyncio.to_thread(self._tell_staff, STALLED, now, minutes)
                self.told_at, self.stalled_since = now, now - state.unfinished_for
                log.warning("check-ins stalled for %s minutes; %s staff members told", minutes, told)
        elif state.last_finished_at is not None and state.last_finished_at > self.told_at:
            assert self.stalled_since is not None
            minutes = _minutes(state.last_finished_at - self.stalled_since)
            told = await asyncio.to_thread(self._tell_staff, RECOVERED, now, minutes)
            self.told_at = self.stalled_since = None
            log.info("check-ins going out again after %s minutes; %s staff members told", minutes, told)

    def _tell_staff(self, kind: str, now: datetime, minutes: int) -> int:
        with session_scope(self.engine) as session:
            members = list_staff(session=session)
            for member in members:
                profile = get_resident(session=session, platform_user_id=member.telegram_id)
                enqueue_message(session=session, chat_id=member.telegram_id, now=now,
                                text=staff_text(kind, profile.language if profile else None,
                                                minutes=minutes))
        return len(members)


def _minutes(span: timedelta) -> int:
    return max(1, round(span.total_seconds() / 60))


__all__ = [
    "CHECKIN_JOB",
    "RECOVERED",
    "STALLED",
    "STALL_AFTER",
    "WATCHDOG_INTERVAL_SECONDS",
    "CheckinStallAlarm",
    "staff_text",
]
