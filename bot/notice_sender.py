"""The notice sender: works through a notice's deliveries over any messenger, within the shared rate.

`NoticeSender.run()` starts the scheduled notices that are due, resumes the running ones, and
sends until nothing is left to send now; the Telegram adapter calls it every few seconds, the
benchmark runs it in a process of its own. Per notice, in a loop:

1. claim a small batch of due deliveries (pending → sending, leased; committed first);
2. send them, a few at a time (`concurrency`), each after `limiter.acquire(Priority.LOW)`:
   checks-ins, staff alerts and replies (`Priority.HIGH`) go ahead of a waiting notice;
3. record every result in one transaction, then edit the staff member's progress message
   when `progress_interval` has passed.

What a send's failure means is in `bot.notices` (the delivery state machine): 429 pauses the
whole limiter for `retry_after` (on PostgreSQL every process's: they share one budget, see
`bot.send_rate`) and the delivery goes again; 403 marks the resident
unreachable and is not retried; 5xx and timeouts come back after a backoff, a bounded number
of times; 400 is recorded as failed with its code.

A crash loses nothing: the next run first releases deliveries whose lease ran out (see
`bot.notices`, "may repeat"), then goes on where the last one stopped. A graceful stop
(`keep_going()` turning False) records the batch in hand before returning, so it leaves
nothing in flight.

Time is injected: `clock` (aware UTC, for the rows) and `sleep` (for waiting on retries);
the limiter has its own monotonic clock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import col, select

from bot.conversation.buttons import Action, button_data
from bot.conversation.messages import Button, Outgoing
from bot.conversation.texts import Texts
from bot.delivery import (
    Clock,
    DeliveryError,
    RateLimited,
    RecipientBlocked,
    RejectedMessage,
    TransientSendError,
    utc_now,
)
from bot.models import Notice, NoticeStatus
from bot.notices import (
    DEFAULT_POLICY,
    ClaimedDelivery,
    DeliveryPolicy,
    DeliveryResult,
    FailureReason,
    NoticeContent,
    NoticeReport,
    Outcome,
    RecordStats,
    claim_deliveries,
    finish_if_done,
    mark_reported,
    notice_report,
    record_results,
    release_expired_claims,
    resident_message,
    set_progress_message,
    start_due_notices,
    unclaim,
    work_left,
)
from bot.send_rate import MessageTransport, Priority, SendRateLimiter, Sleep
from bot.store import session_scope

log = logging.getLogger(__name__)

BATCH_SIZE = 50
CONCURRENCY = 8
PROGRESS_INTERVAL_SECONDS = 3.0
# Longest wait between two looks at the database while a notice waits (retries, a lease).
IDLE_WAIT_SECONDS = 1.0


@dataclass
class SenderStats:
    """What one `run` did, over every notice it touched."""

    notices: int = 0
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    retried: int = 0
    rate_limited: int = 0  # 429 answers received
    vanished: int = 0
    released: int = 0  # deliveries found in flight from a sender that died, sent again
    progress_edits: int = 0

    def add(self, recorded: RecordStats) -> None:
        for name in ("sent", "blocked", "failed", "retried", "vanished"):
            setattr(self, name, getattr(self, name) + getattr(recorded, name))

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


class NoticeSender:
    """Sends notices through `transport` (a `Transport` whose `send` may return a message id)."""

    def __init__(
        self,
        *,
        engine: Engine,
        transport: MessageTransport,
        limiter: SendRateLimiter,
        clock: Clock = utc_now,
        sleep: Sleep = asyncio.sleep,
        texts: Texts | None = None,
        policy: DeliveryPolicy = DEFAULT_POLICY,
        batch_size: int = BATCH_SIZE,
        concurrency: int = CONCURRENCY,
        progress_interval: float = PROGRESS_INTERVAL_SECONDS,
        idle_wait: float = IDLE_WAIT_SECONDS,
    ):
        if batch_size < 1 or concurrency < 1:
            raise ValueError("batch_size and concurrency must be at least 1")
        self.engine = engine
        self.transport = transport
        self.limiter = limiter
        self.clock = clock
        self.sleep = sleep
        self.texts = texts or Texts.load()
        self.policy = policy
        self.batch_size = batch_size
        self.concurrency = concurrency
        self.progress_interval = progress_interval
        self.idle_wait = idle_wait
        self.stats = SenderStats()
        # Deliveries this sender has claimed and not recorded yet: never released by itself.
        self._held: set[int] = set()
        self._db_lock = asyncio.Lock()

    # --- the loop ---------------------------------------------------------------------------
    async def run(self, *, keep_going: Callable[[], bool] = lambda: True) -> SenderStats:
        """Start due notices and send every running one to the end; return when none is left."""
        self.stats = SenderStats()
        self.stats.released += await self._db(
            release_expired_claims, now=self.clock(), lease=self.policy.lease, keep=set(self._held)
        )
        while keep_going():
            notice_ids = await self._db(self._notices_to_work_on)
            if not notice_ids:
                break
            for notice_id in notice_ids:
                if not keep_going():
                    break
                await self.send_notice(notice_id, keep_going=keep_going)
        return self.stats

    def _notices_to_work_on(self, session) -> list[int]:
        now = self.clock()
        start_due_notices(session=session, now=now)
        running = select(Notice.id).where(Notice.status == NoticeStatus.SENDING)
        # Stopped or finished, but not yet reported to the staff member who wrote it.
        unreported = (
            select(Notice.id)
            .where(col(Notice.status).in_([NoticeStatus.FINISHED, NoticeStatus.CANCELLED]))
            .where(col(Notice.reported_at).is_(None), col(Notice.started_at).is_not(None))
        )
        ids = set(session.exec(running).all()) | set(session.exec(unreported).all())
        return sorted(ids)

    async def send_notice(self, notice_id: int, *, keep_going: Callable[[], bool] = lambda: True) -> None:
        """Send one notice until it is done (or `keep_going()` says stop).

        A pipeline of three batches at most: the next batch is claimed and the last one
        recorded while the current one is being sent, so the database never holds the sending
        up (and the rate is kept). Those three batches are what may be in flight at a crash.
        """
        content, status = await self._db(self._content, notice_id=notice_id)
        if content is None:
            return
        self.stats.notices += 1
        progress = _Progress(self, content)
        if status == NoticeStatus.SENDING:
            await progress.open()
        claiming = self._spawn(self._claim(notice_id))
        recording: asyncio.Task | None = None
        try:
            while keep_going():
                batch = await claiming
                claiming = None
                if batch:
                    claiming = self._spawn(self._claim(notice_id))
                    results = await self._send_all(content, batch)
                    if recording is not None:
                        await recording
                    recording = self._spawn(self._record(batch, results))
                    await progress.update()
                    continue
                if recording is not None:  # what is left is known only once all is recorded
                    await recording
                    recording = None
                if not await self._wait_for_work(notice_id):
                    break
                claiming = self._spawn(self._claim(notice_id))
                await progress.update()
            else:
                return  # stopping: the notice goes on at the next run
        finally:
            if recording is not None:
                await recording
            if claiming is not None:  # claimed for a batch that will not be sent now: give back
                unsent = [item.id for item in await claiming]
                await self._db(unclaim, delivery_ids=unsent)
                self._held -= set(unsent)
        finished = await self._db(finish_if_done, notice_id=notice_id, now=self.clock())
        if finished is not None and finished.finished_at is not None:
            await progress.close()

    async def _wait_for_work(self, notice_id: int) -> bool:
        """Wait for retries or a dead sender's lease; False when the notice has nothing left."""
        now = self.clock()
        left = await self._db(work_left, notice_id=notice_id, now=now)
        if left.status != NoticeStatus.SENDING and left.in_flight == 0:
            return False  # stopped (pending rows were cancelled) or finished
        if left.done:
            return False
        if left.due_now:
            return True  # claimable: another sender took the last batch's place
        waits = []
        if left.next_due_at is not None:
            waits.append((left.next_due_at - now).total_seconds())
        if left.in_flight and left.oldest_claim_at is not None:
            expires = left.oldest_claim_at + self.policy.lease
            if expires <= now:
                released = await self._db(
                    release_expired_claims, now=now, lease=self.policy.lease,
                    keep=set(self._held), notice_id=notice_id,
                )
                self.stats.released += released
                if released:
                    return True
                waits.append(self.idle_wait)  # held by this sender after all: look again later
            waits.append((expires - now).total_seconds())
        await self.sleep(min(max(min(waits, default=self.idle_wait), 0.01), self.idle_wait))
        return True

    # --- one batch ------------------------------------------------------------------------
    async def _claim(self, notice_id: int) -> list[ClaimedDelivery]:
        batch = await self._db(claim_deliveries, notice_id=notice_id, now=self.clock(), limit=self.batch_size)
        self._held |= {item.id for item in batch}
        return batch

    async def _send_all(self, content: NoticeContent, batch: list[ClaimedDelivery]) -> list[DeliveryResult]:
        gate = asyncio.Semaphore(self.concurrency)
        return list(await asyncio.gather(*(self._send_one(content, item, gate) for item in batch)))

    async def _record(self, batch: list[ClaimedDelivery], results: list[DeliveryResult]) -> None:
        try:
            recorded = await self._db(record_results, results=results, now=self.clock(), policy=self.policy)
        finally:
            self._held -= {item.id for item in batch}
        self.stats.add(recorded)

    @staticmethod
    def _spawn(coroutine) -> asyncio.Task:
        return asyncio.get_running_loop().create_task(coroutine)

    async def _send_one(self, content: NoticeContent, item: ClaimedDelivery,
                        gate: asyncio.Semaphore) -> DeliveryResult:
        message = resident_message(content, chat_id=item.chat_id, language=item.language, texts=self.texts)
        async with gate:
            await self.limiter.acquire(Priority.LOW, chat_id=item.chat_id)
            try:
                await self.transport.send(message)
            except RateLimited as error:
                self.limiter.pause(error.retry_after)
                self.stats.rate_limited += 1
                log.warning("notice %s: rate limited for %.1f s", content.id, error.retry_after)
                return DeliveryResult(item, Outcome.RATE_LIMITED, error.code)
            except RecipientBlocked as error:
                return DeliveryResult(item, Outcome.BLOCKED, error.code)
            except RejectedMessage as error:
                log.warning("notice %s: delivery %s refused (%s)", content.id, item.id, error.code)
                return DeliveryResult(item, Outcome.REFUSED, error.code)
            except TransientSendError as error:
                return DeliveryResult(item, Outcome.TRANSIENT, error.code)
            except Exception as error:  # a bug in a transport must not lose the delivery
                code = f"unexpected:{type(error).__name__}"
                log.error("notice %s: delivery %s not sent (%s)", content.id, item.id, code)
                return DeliveryResult(item, Outcome.TRANSIENT, code)
        return DeliveryResult(item, Outcome.SENT)

    # --- helpers ----------------------------------------------------------------------------
    def _content(self, session, notice_id: int) -> tuple[NoticeContent | None, str | None]:
        notice = session.get(Notice, notice_id)
        if notice is None:
            return None, None
        return NoticeContent.of(notice), notice.status

    async def _db(self, step: Callable[..., Any], **kwargs: Any) -> Any:
        """Run `step(session=..., **kwargs)` in its own transaction on a worker thread.

        One step at a time: the claim of the next batch and the record of the last one overlap
        the sending, not each other (SQLite has one writer anyway).
        """
        async with self._db_lock:
            return await asyncio.to_thread(self._in_session, step, kwargs)

    def _in_session(self, step: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
        with session_scope(self.engine) as session:
            return step(session=session, **kwargs)

    async def send_staff(self, message: Outgoing) -> int | None:
        """A progress message or report to staff: ahead of notices, errors logged, not raised."""
        await self.limiter.acquire(Priority.HIGH, chat_id=message.chat_id)
        try:
            return await self.transport.send(message)
        except RateLimited as error:
            self.limiter.pause(error.retry_after)
            self.stats.rate_limited += 1
        except DeliveryError as error:
            log.warning("notice progress to chat %s not sent (%s)", message.chat_id, error.code)
        except Exception as error:
            log.error("notice progress to chat %s not sent (unexpected:%s)", message.chat_id,
                      type(error).__name__)
        return None


class _Progress:
    """The staff member's one progress message: posted once, edited, then the final report."""

    def __init__(self, sender: NoticeSender, content: NoticeContent):
        self.sender = sender
        self.content = content
        self.chat_id = content.progress_chat_id
        self.message_id: int | None = None
        self.language = content.progress_language
        self.last_update: datetime | None = None
        self.started = sender.clock()
        self.done_at_start: int | None = None

    def t(self, key: str, **values: object) -> str:
        return self.sender.texts.get(self.language, key, **values)

    async def open(self) -> None:
        if self.chat_id is None:
            return
        self.message_id = await self.sender._db(self._stored_message_id)
        report = await self.sender._db(notice_report, notice_id=self.content.id)
        self.done_at_start = report.delivered + report.blocked + report.failed
        if self.message_id is None:
            sent = await self.sender.send_staff(self._message(report, final=False))
            if sent is not None:
                self.message_id = sent
                await self.sender._db(set_progress_message, notice_id=self.content.id, message_id=sent)
        self.last_update = self.sender.clock()

    def _stored_message_id(self, session) -> int | None:
        notice = session.get(Notice, self.content.id)
        return notice.progress_message_id if notice is not None else None

    async def update(self) -> None:
        if self.chat_id is None or self.message_id is None or self.last_update is None:
            return
        now = self.sender.clock()
        if (now - self.last_update).total_seconds() < self.sender.progress_interval:
            return
        self.last_update = now
        report = await self.sender._db(notice_report, notice_id=self.content.id)
        await self.sender.send_staff(self._message(report, final=False))
        self.sender.stats.progress_edits += 1

    async def close(self) -> None:
        report = await self.sender._db(notice_report, notice_id=self.content.id)
        if self.chat_id is not None:
            if self.message_id is None:
                self.message_id = await self.sender._db(self._stored_message_id)
            await self.sender.send_staff(self._message(report, final=True))
        await self.sender._db(mark_reported, notice_id=self.content.id, now=self.sender.clock())

    def _message(self, report: NoticeReport, *, final: bool) -> Outgoing:
        text = report_text(report, self.sender.texts, self.language) if final else self._progress_text(report)
        buttons: tuple[tuple[Button, ...], ...] = ()
        if not final:
            stop = Button(self.t("notice.button_stop"), button_data(Action.NOTICE_STOP, self.content.id))
            buttons = ((stop,),)
        return Outgoing(self.chat_id, text, buttons, edit_message_id=self.message_id)

    def _progress_text(self, report: NoticeReport) -> str:
        done = report.delivered + report.blocked + report.failed
        return self.t(
            "notice.progress",
            number=report.notice_id,
            sent=report.delivered,
            failed=report.blocked + report.failed,
            remaining=report.remaining,
            eta=self._eta(done, report.remaining),
        )

    def _eta(self, done: int, remaining: int) -> str:
        elapsed = (self.sender.clock() - self.started).total_seconds()
        done_here = done - (self.done_at_start or 0)
        rate = done_here / elapsed if elapsed > 0 and done_here > 0 else self.sender.limiter.rate_per_second
        seconds = remaining / max(rate, 1e-9)
        if seconds < 60:
            return self.t("notice.eta_soon")
        return self.t("notice.eta_minutes", minutes=round(seconds / 60))


def report_text(report: NoticeReport, texts: Texts, language: str) -> str:
    """The final report: delivered, blocked, failed and why (also what /notices shows)."""
    def t(key: str, **values: object) -> str:
        return texts.get(language, key, **values)

    lines = [
        t("notice.report_title", number=report.notice_id,
          outcome=t(f"notice_status.{report.status}")),
        t("notice.report_delivered", count=report.delivered),
        t("notice.report_blocked", count=report.blocked),
        t("notice.report_failed", count=report.failed),
    ]
    for reason in FailureReason:
        count = report.failures.get(str(reason), 0)
        if count:
            lines.append(t(f"notice.why_{reason}", count=count))
    if report.cancelled:
        lines.append(t("notice.report_cancelled", count=report.cancelled))
    return "\n".join(lines)


__all__ = ["NoticeSender", "SenderStats", "report_text"]
