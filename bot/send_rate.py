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

Time is injected (`clock` gives monotonic seconds, `sleep` waits), so tests move a fake clock
instead of sleeping.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Awaitable, Callable
from enum import IntEnum
from typing import Protocol

from bot.conversation.messages import Outgoing
from bot.delivery import RateLimited, Transport

MonotonicClock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

# The timer's lateness a grant may make up for; see the module's docstring.
DEFAULT_BURST_SECONDS = 0.05
# Per-chat reservations older than this many intervals are forgotten (they no longer delay).
_FORGET_CHATS_AFTER = 1024


class Priority(IntEnum):
    """Lower value first: replies, check-ins and the outbox before notices."""

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
        self._next_grant = clock()  # theoretical time of the next grant (GCRA's TAT)
        self._paused_until = float("-inf")
        self._waiters: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._pump: asyncio.Task[None] | None = None
        self._chat_next: dict[int, float] = {}
        self._prune_at = _FORGET_CHATS_AFTER
        self.granted = {Priority.HIGH: 0, Priority.LOW: 0}
        self.pauses = 0

    # --- the public face ---------------------------------------------------------------
    async def acquire(self, priority: Priority = Priority.LOW, *, chat_id: int | None = None) -> None:
        """Wait for this message's turn. Cancelling the wait gives the turn back."""
        if chat_id is not None and self.per_chat_interval > 0:
            await self._wait_for_chat(chat_id)
        if not self._waiters and self._wait_time(self._clock()) <= 0:
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
            wait = self._wait_time(self._clock())
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


class MessageTransport(Protocol):
    """A `bot.delivery.Transport` that may also return the id of the message it sent."""

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
    "LimitedTransport",
    "MessageTransport",
    "MonotonicClock",
    "Priority",
    "SendRateLimiter",
    "Sleep",
]
