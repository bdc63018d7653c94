"""One send rate for the whole bot: a token bucket with priorities, shared by every sender.

Telegram lets a bot send about 30 messages a second in all and about one a second to one chat.
Notices (thousands of messages), check-ins and the outbox all draw on that same budget, so
they share one `SendRateLimiter`: each message first `await limiter.acquire(priority)`.
Waiting senders are served by priority, then in arrival order, so a reply, a check-in or a
staff alert (`Priority.HIGH`) overtakes a notice (`Priority.LOW`) that is still waiting; a
notice never makes a resident's answer late by more than one token.

The bucket is a GCRA ("virtual scheduling"): the theoretical time of the next send moves
`1/rate` on with each grant, and a grant is allowed up to `burst_seconds` before it. The small
tolerance absorbs the event loop waking a little late (at 300 messages a second one token is
3.3 ms, about a timer's jitter) without letting a burst above the rate through.

When the messenger answers 429 anyway, `pause(retry_after)` stops every sender that uses this
limiter, not only the one that was told: the limit is the bot's, not the chat's.

Several processes on PostgreSQL share one rate through `SharedSendBudget`: a token bucket in
one database row (`bot.store.models.SendBudget`) that each process's limiter draws from, a few
tokens per round trip, before it grants a turn; a 429 pauses the bucket for every process.
`send_limiter_for(engine, …)` picks it by the engine's dialect; SQLite (one process by design)
keeps the limiter alone. Per-chat spacing and priorities stay per process: one chat's messages
are sent by whichever process claimed them, and the budget is what the processes share.

Time is injected (`clock` gives monotonic seconds, `sleep` waits), so tests move a fake clock
instead of sleeping.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import math
import time
from collections.abc import Awaitable, Callable
from enum import IntEnum
from typing import Protocol

from sqlalchemy import Engine, text

from bot.core.messages import Outgoing
from bot.sending.outbox_sender import RateLimited, Transport

log = logging.getLogger(__name__)

MonotonicClock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

# The timer's lateness a grant may make up for; see the module's docstring.
DEFAULT_BURST_SECONDS = 0.05
# Per-chat reservations older than this many intervals are forgotten (they no longer delay).
_FORGET_CHATS_AFTER = 1024
# The shared budget hands out this many seconds of the rate per round trip (at least 1 token).
DEFAULT_CLAIM_SECONDS = 0.05
# How long to wait before asking again when the database does not answer.
_BUDGET_RETRY_SECONDS = 1.0


class Priority(IntEnum):
    """Lower value first: replies, then check-ins and the outbox, then notices.

    Replies come before check-ins: a tick may hand over a thousand asks at once, and a
    resident who is writing to the bot must not wait behind them.
    """

    REPLY = -1
    HIGH = 0
    LOW = 1


class SendRateLimiter:
    """`await acquire(priority, chat_id=...)` before each message; at most `rate_per_second`
    messages overall, and at most one per `per_chat_interval` seconds to the same chat."""

    def __init__(
        self,
        rate_per_second: float,
        *,
        per_chat_interval: float = 1.0,
        burst_seconds: float = DEFAULT_BURST_SECONDS,
        clock: MonotonicClock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        budget: SharedSendBudget | None = None,
    ):
        if rate_per_second <= 0:
            raise ValueError("rate_per_second must be positive")
        if per_chat_interval < 0 or burst_seconds < 0:
            raise ValueError("per_chat_interval and burst_seconds cannot be negative")
        self.rate_per_second = float(rate_per_second)
        self.per_chat_interval = float(per_chat_interval)
        self._interval = 1.0 / self.rate_per_second
        self._tolerance = max(float(burst_seconds), 0.0)
        self._clock = clock
        self._sleep = sleep
        self.budget = budget
        self._next_grant = clock()  # theoretical time of the next grant (GCRA's TAT)
        self._paused_until = float("-inf")
        self._waiters: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._pump: asyncio.Task[None] | None = None
        self._chat_next: dict[int, float] = {}
        self._prune_at = _FORGET_CHATS_AFTER
        self.granted = {priority: 0 for priority in Priority}
        self.pauses = 0
        self._budget_pauses: set[asyncio.Task[None]] = set()

    # --- the public face ---------------------------------------------------------------
    async def acquire(self, priority: Priority = Priority.LOW, *, chat_id: int | None = None) -> None:
        """Wait for this message's turn. Cancelling the wait gives the turn back."""
        if chat_id is not None and self.per_chat_interval > 0:
            await self._wait_for_chat(chat_id)
        now = self._clock()
        if not self._waiters and self._wait_time(now) <= 0 and (self.budget is None or self.budget.take(now)):
            self._grant(priority)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (int(priority), next(self._order), future))
        self._ensure_pump()
        # Cancelled while waiting: the future is cancelled and the pump skips it. Cancelled
        # after the grant: the token is spent, as if the message had been sent.
        await future

    def pause(self, seconds: float) -> None:
        """Send nothing for `seconds` (the messenger's retry_after), then resume at the rate."""
        if seconds <= 0:
            return
        now = self._clock()
        self._paused_until = max(self._paused_until, now + seconds)
        # After the pause, no burst of the tokens that "accumulated" while paused.
        self._next_grant = max(self._next_grant, self._paused_until)
        self.pauses += 1
        if self.budget is not None:  # every other process stops too
            task = asyncio.get_running_loop().create_task(self.budget.pause(seconds))
            self._budget_pauses.add(task)
            task.add_done_callback(self._budget_pauses.discard)

    @property
    def waiting(self) -> int:
        return sum(1 for _, _, future in self._waiters if not future.done())

    # --- the bucket ---------------------------------------------------------------------
    def _wait_time(self, now: float) -> float:
        """Seconds until the next grant is allowed (0 or less: now)."""
        return max(self._paused_until - now, self._next_grant - self._tolerance - now)

    def _grant(self, priority: Priority | int) -> None:
        now = self._clock()
        self._next_grant = max(self._next_grant, now) + self._interval
        self.granted[Priority(priority)] += 1

    def _ensure_pump(self) -> None:
        if self._pump is None or self._pump.done():
            self._pump = asyncio.get_running_loop().create_task(self._serve_waiters())

    async def _serve_waiters(self) -> None:
        while self._waiters:
            if self._waiters[0][2].done():  # cancelled while waiting
                heapq.heappop(self._waiters)
                continue
            now = self._clock()
            wait = self._wait_time(now)
            if wait > 0:
                await self._sleep(wait)
                continue
            if self.budget is not None and not self.budget.take(now):  # claim, or wait for a claim
                wait = self.budget.until_usable(now)
                if wait is None:
                    wait = await self.budget.claim(self._clock)
                if wait > 0:
                    await self._sleep(wait)
                continue
            priority, _, future = heapq.heappop(self._waiters)
            self._grant(priority)
            future.set_result(None)

    # --- one chat -----------------------------------------------------------------------
    async def _wait_for_chat(self, chat_id: int) -> None:
        now = self._clock()
        start = max(now, self._chat_next.get(chat_id, now))
        # Reserve the slot before waiting, so two senders to one chat line up, not collide.
        self._chat_next[chat_id] = start + self.per_chat_interval
        if len(self._chat_next) > self._prune_at:
            self._forget_old_chats(now)
        if start > now:
            await self._sleep(start - now)

    def _forget_old_chats(self, now: float) -> None:
        self._chat_next = {chat: at for chat, at in self._chat_next.items() if at > now}
        self._prune_at = max(_FORGET_CHATS_AFTER, 2 * len(self._chat_next))


class SharedSendBudget:
    """One send rate for every process on PostgreSQL: a token bucket in a `send_budget` row.

    `claim` takes a batch of tokens (`claim_seconds` of the rate) in one UPDATE, so the
    database is asked a few times a second, not once a message. The bucket refills from
    elapsed database time (`clock_timestamp()`), so the processes' clocks never enter into it,
    and holds at most `capacity` tokens. A claim always gets its batch, but the balance may go
    below zero: the answer says how long the process waits before the first token is its to
    use (the bucket's time to refill to one token); the local limiter spaces the rest at the
    rate. So no process asks again and again for tokens that are not there, and processes are
    served in the order they asked. Tokens kept in the process expire `hold_seconds` after they
    became usable: one saved up and sent later would make a burst the bucket never allowed.

    Over any one second the processes together send at most `rate_per_second` plus
    `burst_allowance`. Every process must be given the same rate; it is not stored in the row.
    """

    def __init__(self, engine: Engine, rate_per_second: float, *, name: str = "bot",
                 claim_seconds: float = DEFAULT_CLAIM_SECONDS, burst_seconds: float = DEFAULT_BURST_SECONDS):
        if rate_per_second <= 0 or claim_seconds <= 0:
            raise ValueError("rate_per_second and claim_seconds must be positive")
        self.engine = engine
        self.name = name
        self.rate_per_second = float(rate_per_second)
        self.batch = max(1, math.ceil(self.rate_per_second * claim_seconds))
        self.capacity = self.batch
        self.burst_seconds = max(float(burst_seconds), 0.0)
        # Long enough for the local limiter to space out one batch, with its own tolerance.
        self.hold_seconds = self.batch / self.rate_per_second + self.burst_seconds
        self._tokens = 0
        self._usable_from = float("-inf")
        self._expires_at = float("-inf")
        self.round_trips = 0
        self.expired = 0

    @property
    def burst_allowance(self) -> float:
        """Messages above the rate that all processes together may send in one second.

        A token is sent between its time in the bucket less the local limiter's tolerance and
        its expiry, so one second's sends are tokens of `1 + hold_seconds + burst_seconds`
        seconds of the bucket: the rate times that, plus a full bucket.
        """
        return self.capacity + self.rate_per_second * (self.hold_seconds + self.burst_seconds)

    def take(self, now: float) -> bool:
        """Use one token claimed before, if one is held and usable now."""
        if self._tokens and now >= self._expires_at:
            self.expired += self._tokens
            self._tokens = 0
        if not self._tokens or now < self._usable_from:
            return False
        self._tokens -= 1
        return True

    def until_usable(self, now: float) -> float | None:
        """Seconds until the tokens held may be used; None when none are held."""
        if not self._tokens or now >= self._expires_at:
            return None
        return max(0.0, self._usable_from - now)

    async def claim(self, clock: MonotonicClock) -> float:
        """Claim a batch from the database; returns the seconds until its first token is usable.

        The database's answer is counted from the time after the round trip for when the
        tokens become usable (no earlier than the bucket said) and from the time before it
        for when they expire (no later).
        """
        asked_at = clock()
        try:
            tokens, paused_for = await asyncio.to_thread(self._claim_in_database)
        except Exception as error:  # noqa: BLE001 - no budget, no sending: wait and ask again
            log.warning("send budget not available (%s); asking again in %.0f s",
                        type(error).__name__, _BUDGET_RETRY_SECONDS)
            return _BUDGET_RETRY_SECONDS
        self.round_trips += 1
        if self._tokens:
            self.expired += self._tokens
        balance_before = tokens + self.batch
        wait = paused_for + max(0.0, 1.0 - balance_before) / self.rate_per_second
        answered_at = clock()
        self._tokens = self.batch
        self._usable_from = answered_at + wait
        self._expires_at = asked_at + wait + self.hold_seconds
        return wait

    async def pause(self, seconds: float) -> None:
        """The messenger said 429: no process gets a usable token for `seconds`."""
        try:
            await asyncio.to_thread(self._pause_in_database, seconds)
        except Exception as error:  # noqa: BLE001 - this process has paused itself anyway
            log.warning("send budget not paused (%s)", type(error).__name__)

    # --- the SQL ------------------------------------------------------------------------
    # One UPDATE refills (from the database's clock; not while paused) and takes the batch.
    # Under READ COMMITTED a concurrent claim waits for the row lock, then re-evaluates on the
    # row as the other claim left it, so no token is handed out twice. The claim's time is
    # read once; after a wait for the lock it may be a little earlier than the other claim's,
    # which only counts less refill (GREATEST keeps the bucket's time moving forward).
    _CLAIM = text("""
        UPDATE send_budget
        SET tokens = LEAST(:capacity, tokens + :rate * GREATEST(0, EXTRACT(EPOCH FROM
                         (c.claim_time - GREATEST(refilled_at, paused_until)))::float8)) - :want,
            refilled_at = GREATEST(refilled_at, c.claim_time)
        FROM (SELECT clock_timestamp() AS claim_time) AS c
        WHERE name = :name
        RETURNING tokens,
                  GREATEST(0, EXTRACT(EPOCH FROM (paused_until - c.claim_time))::float8) AS paused_for
    """)
    _CREATE = text("""
        INSERT INTO send_budget (name, tokens, refilled_at, paused_until)
        VALUES (:name, 0, clock_timestamp(), clock_timestamp())
        ON CONFLICT (name) DO NOTHING
    """)
    _PAUSE = text("""
        UPDATE send_budget
        SET tokens = LEAST(tokens, 0),
            paused_until = GREATEST(paused_until, clock_timestamp() + make_interval(secs => :seconds))
        WHERE name = :name
    """)

    def _claim_in_database(self) -> tuple[float, float]:
        values = {"name": self.name, "rate": self.rate_per_second, "capacity": float(self.capacity),
                  "want": self.batch}
        with self.engine.begin() as connection:
            row = connection.execute(self._CLAIM, values).one_or_none()
            if row is None:  # the first claim ever: the bucket starts empty
                connection.execute(self._CREATE, {"name": self.name})
                row = connection.execute(self._CLAIM, values).one()
        return float(row.tokens), float(row.paused_for)

    def _pause_in_database(self, seconds: float) -> None:
        with self.engine.begin() as connection:
            connection.execute(self._PAUSE, {"name": self.name, "seconds": float(seconds)})


def send_limiter_for(engine: Engine, rate_per_second: float, *, per_chat_interval: float = 1.0,
                     **options) -> SendRateLimiter:
    """The bot's limiter for `engine`: on PostgreSQL, drawing on the budget every process shares.

    SQLite has one process by design (one writer), so its limiter alone is the whole rate.
    """
    budget = None
    if engine.dialect.name == "postgresql":
        budget = SharedSendBudget(engine, rate_per_second,
                                  burst_seconds=options.get("burst_seconds", DEFAULT_BURST_SECONDS))
    return SendRateLimiter(rate_per_second, per_chat_interval=per_chat_interval, budget=budget, **options)


class MessageTransport(Protocol):
    """A `bot.sending.outbox_sender.Transport` that may also return the id of the message it sent."""

    async def send(self, message: Outgoing) -> int | None: ...


class LimitedTransport:
    """A `Transport` that waits for the shared limiter before each message.

    For the outbox sender and the check-in sender (`Priority.HIGH`): a 429 they meet pauses the
    limiter for everyone, and is passed on so that the caller defers its own message as before.
    """

    def __init__(self, transport: Transport | MessageTransport, limiter: SendRateLimiter,
                 priority: Priority = Priority.HIGH, *, per_chat: bool = False):
        self.transport = transport
        self.limiter = limiter
        self.priority = priority
        self.per_chat = per_chat

    async def send(self, message: Outgoing) -> int | None:
        await self.limiter.acquire(self.priority, chat_id=message.chat_id if self.per_chat else None)
        try:
            return await self.transport.send(message)
        except RateLimited as error:
            self.limiter.pause(error.retry_after)
            raise


__all__ = [
    "DEFAULT_BURST_SECONDS",
    "DEFAULT_CLAIM_SECONDS",
    "LimitedTransport",
    "MessageTransport",
    "MonotonicClock",
    "Priority",
    "SendRateLimiter",
    "SharedSendBudget",
    "Sleep",
    "send_limiter_for",
]
