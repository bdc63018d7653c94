"""The notice sender: works through a notice's deliveries over any messenger, within the shared rate.

`NoticeSender.run()` starts the scheduled notices that are due, resumes the running ones, and
sends until nothing is left to send now; the Telegram adapter calls it every few seconds, the
benchmark runs it in a process of its own. Per notice:

1. claim a small batch of due deliveries (pending → sending, leased; committed first): about
   two sends per slot (`batch_size`), the next claim made while the sends go on;
2. send them, `concurrency` at a time, each after `limiter.acquire(Priority.LOW)`:
   checks-ins, staff alerts and replies (`Priority.HIGH`) go ahead of a waiting notice;
3. record each result as soon as its send returns, in a short write of its own (together with
   whatever else finished while the last write ran); a send slot takes its next delivery only
   once its result is committed. The staff member's progress message is edited when
   `progress_interval` has passed.

What a send's failure means is in `bot.notices.deliveries` (the delivery state machine): 429 pauses the
whole limiter for `retry_after` (on PostgreSQL every process's: they share one budget, see
`bot.sending.send_rate`) and the delivery goes again; 403 marks the resident
unreachable and is not retried; 5xx and timeouts come back after a backoff, a bounded number
of times; 400 is recorded as failed with its code.

A crash loses nothing and repeats little. **A kill repeats at most `concurrency` messages of
each sender killed** (8 by default): those handed to the messenger whose result was not yet
committed, since a slot holds one such message at a time. The rest of the dead sender's
claim was never handed over; it waits for the lease (`DeliveryPolicy.lease`, 10 s) and is
then sent by whoever runs next, so a restart finishes the notice at most a lease and an
`idle_wait` later than the sending itself takes. A result that cannot be written is written
again (a few seconds of tries), not sent again.

Short leases and a live sender: while it holds rows, a sender renews their lease every
`policy.renew_every` (a quarter lease), through a 429 pause (`retry_after` may be 30 s) or a
slow send, so another process on PostgreSQL never takes them over; and a delivery whose lease
was last renewed more than half a lease ago is renewed again just before its send, and not
sent if it is no longer this sender's (it stalled past the lease and the row was released).

A graceful stop (`keep_going()` turning False) lets the sends in hand finish and be recorded
and gives the rest of its claim back, so it leaves nothing in flight.

Time is injected: `clock` (aware UTC, for the rows) and `sleep` (for waiting on retries);
the limiter has its own monotonic clock.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import col, select

from bot.core.buttons import Action, button_data
from bot.core.clock import Clock, utc_now
from bot.core.messages import Button, Outgoing
from bot.core.texts import Texts
from bot.notices.authoring import NoticeContent, resident_message, start_due_notices
from bot.notices.deliveries import (
    DEFAULT_POLICY,
    ClaimedDelivery,
    DeliveryPolicy,
    DeliveryResult,
    Outcome,
    RecordStats,
    claim_deliveries,
    finish_if_done,
    mark_reported,
    record_results,
    release_expired_claims,
    renew_claims,
    set_progress_message,
    unclaim,
    work_left,
)
from bot.notices.report import FailureReason, NoticeReport, notice_report
from bot.sending.outbox_sender import (
    DeliveryError,
    RateLimited,
    RecipientBlocked,
    RejectedMessage,
    TransientSendError,
)
from bot.sending.send_rate import MessageTransport, Priority, SendRateLimiter, Sleep
from bot.store.db import session_scope
from bot.store.models import Notice, NoticeStatus

log = logging.getLogger(__name__)

CONCURRENCY = 8
# Claimed ahead of the sending: enough that a slot never waits for a claim, few enough that a
# kill leaves little to wait out the lease (it was never sent, so it does not repeat).
BATCH_SIZE = 2 * CONCURRENCY
# A write of send results that fails (the database busy or gone for a moment) is tried again
# after 0.1, 0.2, 0.4 … s (at most 2 s apart), this many times in all, before the run gives up.
RECORD_ATTEMPTS = 8
RECORD_RETRY_SECONDS = 0.1
RECORD_RETRY_MAX_SECONDS = 2.0
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
    leases_lost: int = 0  # released while this sender held them (it stalled past the lease)
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
        # Deliveries this sender has claimed and not recorded yet (never released by itself),
        # each with the `claimed_at` it last wrote: its lease, and its proof of ownership.
        self._held: dict[int, datetime] = {}
        # Results waiting for the next write, by delivery id; one write at a time.
        self._unrecorded: dict[int, DeliveryResult] = {}
        self._recording = asyncio.Lock()
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

        Claimed deliveries wait in `queue` and are handed one at a time to `concurrency` send
        slots (`_deliver`); the next claim is made while the slots send, once the queue is down
        to one delivery per slot, so neither the claims nor the records hold the rate up.
        """
        content, status = await self._db(self._content, notice_id=notice_id)
        if content is None:
            return
        self.stats.notices += 1
        progress = _Progress(self, content)
        if status == NoticeStatus.SENDING:
            await progress.open()
        queue: deque[ClaimedDelivery] = deque()
        slots = asyncio.Semaphore(self.concurrency)
        sending: set[asyncio.Task] = set()
        failures: list[BaseException] = []

        def sent(task: asyncio.Task) -> None:
            sending.discard(task)
            if not task.cancelled() and task.exception() is not None:
                failures.append(task.exception())

        stop_renewing = asyncio.Event()
        renewing = self._spawn(self._keep_leases(notice_id, stop_renewing))
        claiming: asyncio.Task | None = self._spawn(self._claim(notice_id))
        drained = False  # the last claim found nothing due
        try:
            while keep_going():
                if failures:
                    raise failures[0]
                if claiming is not None and claiming.done():
                    batch = claiming.result()
                    claiming = None
                    queue.extend(batch)
                    drained = not batch
                if claiming is None and not drained and len(queue) <= self.concurrency:
                    claiming = self._spawn(self._claim(notice_id))
                if queue:
                    await slots.acquire()
                    task = self._spawn(self._deliver(content, queue.popleft(), slots))
                    sending.add(task)
                    task.add_done_callback(sent)
                    await progress.update()
                elif claiming is not None:
                    await asyncio.wait({claiming})
                elif sending:  # what is left is known only once every send is recorded
                    await asyncio.wait(set(sending))
                else:
                    if not await self._wait_for_work(notice_id):
                        break
                    drained = False
                    await progress.update()
            else:
                return  # stopping: the notice goes on at the next run
        finally:
            try:
                if sending:
                    await asyncio.gather(*sending, return_exceptions=True)
                unsent = [item.id for item in queue]
                if claiming is not None:  # claimed for sends that will not be made now: give back
                    unsent += [item.id for item in await _claimed(claiming)]
                unsent = [delivery_id for delivery_id in unsent if delivery_id in self._held]
                if unsent:
                    await self._db(unclaim, delivery_ids=unsent)
                    for delivery_id in unsent:
                        self._held.pop(delivery_id, None)
            finally:
                stop_renewing.set()
                await renewing
        if failures:
            raise failures[0]
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

    # --- claims and leases ------------------------------------------------------------------
    async def _claim(self, notice_id: int) -> list[ClaimedDelivery]:
        now = self.clock()
        batch = await self._db(claim_deliveries, notice_id=notice_id, now=now, limit=self.batch_size)
        for item in batch:
            self._held[item.id] = now
        return batch

    async def _keep_leases(self, notice_id: int, stop: asyncio.Event) -> None:
        """Every `policy.renew_every` until `stop`: renew the lease of every row this sender
        holds, and release the notice's rows whose lease ran out (a sender died), so that they
        go out among the rest as soon as the lease allows rather than after them.

        Timed by the event loop itself, not the injected `sleep`: the lease is a promise to
        other processes in wall-clock time, and the tests' fake sleep moves their fake clock on.
        """
        every = self.policy.renew_every.total_seconds()
        while True:
            try:
                await asyncio.wait_for(stop.wait(), timeout=every)
                return
            except TimeoutError:
                pass
            if self._held:
                await self._renew()
            try:
                self.stats.released += await self._db(
                    release_expired_claims, now=self.clock(), lease=self.policy.lease,
                    keep=set(self._held), notice_id=notice_id,
                )
            except DBAPIError as error:  # `_wait_for_work` releases them at the end anyway
                log.warning("expired notice claims not released (%s)", type(error).__name__)

    async def _renew(self) -> None:
        """Renew every held lease; rows released meanwhile (a stall) are no longer held."""
        claims = dict(self._held)
        now = self.clock()
        try:
            kept = await self._db(renew_claims, claims=claims, now=now)
        except DBAPIError as error:  # the next renewal, or the check before a send, tries again
            log.warning("notice leases not renewed (%s)", type(error).__name__)
            return
        lost = 0
        for delivery_id in claims:
            if delivery_id not in self._held:  # recorded meanwhile
                continue
            if delivery_id in kept:
                self._held[delivery_id] = now
            else:
                del self._held[delivery_id]
                lost += 1
        if lost:
            self.stats.leases_lost += lost
            log.warning("%s notice deliveries were released while this sender held them; "
                        "it leaves them to whoever claimed them", lost)

    async def _still_held(self, item: ClaimedDelivery) -> bool:
        """Whether `item` is still this sender's to send, renewing its lease if it is getting old."""
        claimed_at = self._held.get(item.id)
        if claimed_at is None:
            return False
        if self.clock() - claimed_at > 2 * self.policy.renew_every:
            await self._renew()
        return item.id in self._held

    # --- one delivery -----------------------------------------------------------------------
    async def _deliver(self, content: NoticeContent, item: ClaimedDelivery, slot: asyncio.Semaphore) -> None:
        """Send one delivery and record how it went; only then is its slot free again.

        Holding the slot through the record is the crash bound: at any moment at most
        `concurrency` messages have been handed to the messenger and not yet recorded.
        """
        try:
            result = await self._send_one(content, item)
            if result is not None:
                await self._record(result)
        finally:
            slot.release()

    async def _record(self, result: DeliveryResult) -> None:
        """Record `result` with every other result waiting, in one short write.

        Whoever gets the turn writes all that finished meanwhile, so a write never waits for a
        batch to fill, and the result of a send is committed a write or two after it returned.
        """
        self._unrecorded[result.delivery.id] = result
        async with self._recording:
            if result.delivery.id not in self._unrecorded:
                return  # written by the turn before
            results = list(self._unrecorded.values())
            self._unrecorded.clear()
            try:
                recorded = await self._write_results(results)
            finally:
                for written in results:
                    self._held.pop(written.delivery.id, None)
        self.stats.add(recorded)

    async def _write_results(self, results: list[DeliveryResult]) -> RecordStats:
        """`record_results`, tried again when the database fails: sent is sent, not to be resent."""
        attempt = 1
        while True:
            try:
                return await self._db(record_results, results=results, now=self.clock(), policy=self.policy)
            except DBAPIError as error:
                if attempt >= RECORD_ATTEMPTS:
                    log.error("results of %s notice deliveries not recorded (%s); they may repeat "
                              "after the lease", len(results), type(error).__name__)
                    raise
                log.warning("results of %s notice deliveries not recorded (%s); trying again",
                            len(results), type(error).__name__)
                await self.sleep(min(RECORD_RETRY_SECONDS * 2 ** (attempt - 1), RECORD_RETRY_MAX_SECONDS))
                attempt += 1

    @staticmethod
    def _spawn(coroutine) -> asyncio.Task:
        return asyncio.get_running_loop().create_task(coroutine)

    async def _send_one(self, content: NoticeContent, item: ClaimedDelivery) -> DeliveryResult | None:
        """Send `item` within the rate; None when it is no longer this sender's to send."""
        message = resident_message(content, chat_id=item.chat_id, language=item.language, texts=self.texts)
        if item.id not in self._held:
            return None
        await self.limiter.acquire(Priority.LOW, chat_id=item.chat_id)
        if not await self._still_held(item):  # the wait for a turn may have been a long 429 pause
            return None
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

        One step at a time: claims, records and lease renewals overlap the sending, not each
        other (SQLite has one writer anyway). Each is short: no step waits for a send.
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


async def _claimed(claiming: asyncio.Task) -> list[ClaimedDelivery]:
    """What a claim in progress got; nothing if it failed (its transaction was rolled back)."""
    try:
        return await claiming
    except Exception as error:  # the sender is stopping on an error already; this one is logged
        log.warning("a notice claim failed while the sender stopped (%s)", type(error).__name__)
        return []


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
