"""One send rate for the whole bot: evenly paced, by priority, shared by every sender, and
slowed by the messenger's 429s.

Telegram lets a bot send about 30 messages a second in all and about one a second to one chat.
Notices (thousands of messages), check-ins and the outbox all draw on that same budget, so
they share one `SendRateLimiter`: each message first `await limiter.acquire(priority)`.
Waiting senders are served by priority, then in arrival order, so a reply, a check-in or a
staff alert (`Priority.HIGH`) overtakes a notice (`Priority.LOW`) that is still waiting; a
notice never makes a resident's answer late by more than one token.

The messenger's limit may be counted as a token bucket (which forgives a short burst) or as
N sends in any sliding second (which does not: N+1 sends within one second is a 429, and every
429 pauses the whole bot), and Telegram does not say which. So sends are paced evenly, in a way
both accept:

- A GCRA ("virtual scheduling"): the theoretical time of the next send moves `1/rate` on with
  each grant, and a grant is allowed up to `burst_seconds`, at most one interval, before it.
  The small tolerance absorbs the event loop waking a little late (at 300 messages a second
  one token is 3.3 ms, about a timer's jitter), or the pace would fall behind with every late
  timer; held to one interval, it lets two sends go together, never a burst.
- The pace is `1 - headroom` (3 %) under the configured rate: sends spaced at exactly a sliding
  window's N a second reach it through network jitter, some closer together than they left,
  and trip it now and then.
- A sliding window over the grants themselves: never more than the pace's N (the pace divided
  by `1 - headroom`, the configured rate until a 429 teaches otherwise) in any
  `1 / (1 - headroom)` seconds, nor more than the pace (rounded up) in any one second.
  Evenly paced sends just fill it, so it never slows them; it stops catching up after a late
  timer from becoming a burst that, a few milliseconds of jitter later, a sliding second at
  the messenger would count as N+1. (Measured against a sliding window of 100 a second: the
  busiest seconds the messenger saw held 97–99 sends.)

When the messenger answers 429 anyway, `pause(retry_after)` stops every sender that uses this
limiter, not only the one that was told: the limit is the bot's, not the chat's. And the
limiter learns from it (AIMD): the pace drops by `SLOW_DOWN`, then creeps back up, by
`CREEP_PER_SECOND` of the configured rate each second, to a ceiling `CEILING_MARGIN` under what
the messenger refused (after a whole second of sending, the sends of that second less the one
refused: a sliding window's N exactly; after less, the slowed pace). The ceiling holds for
`REMEMBER_SECONDS`, longer than a notice to ten thousand takes: creeping on past it would buy
a 429 and a paused bot every few seconds for the last few per cent. Only a 429 met while busy
(at least half the pace sent in the last second) slows down, and only one per pause (the
sends already on their way when the first 429 came are answered 429 too): a 429 for one chat
at a quiet time says nothing about the overall pace.

Several processes on PostgreSQL share one rate through `SharedSendBudget`: a token bucket in
one database row (`bot.store.models.SendBudget`) that each process's limiter draws from, a few
tokens per round trip, before it grants a turn; a 429 pauses the bucket for every process.
Each process claims at its own learned pace, and one that finds the bucket paused by another
process's 429 learns from it as if it had been told itself.
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
from collections import deque
from collections.abc import Awaitable, Callable
from enum import IntEnum
from typing import Protocol

from sqlalchemy import Engine, text

from bot.core.messages import Outgoing
from bot.sending.outbox_sender import DeliveryError, RateLimited, Transport

log = logging.getLogger(__name__)

MonotonicClock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

# The timer's lateness a grant may make up for; see the module's docstring.
DEFAULT_BURST_SECONDS = 0.05
# How far under the configured rate sends are paced: room for network jitter (see above).
DEFAULT_HEADROOM = 0.03
# The second in which the messenger presumably counts sends.
_MESSENGER_SECONDS = 1.0
# After a 429: the pace is multiplied by this, ...
SLOW_DOWN = 0.85
# ... creeps back up by this share of the configured rate each second, ...
CREEP_PER_SECOND = 0.05
# ... to this share of what the messenger refused, held for this long without another 429.
CEILING_MARGIN = 0.97
REMEMBER_SECONDS = 600.0
# A pace the messenger took for this long before its first 429 is only stepped down by this.
_HELD_LONG_SECONDS = 10.0
_STEP_AFTER_LONG_HOLD = 0.01
# A 429 counts as a verdict on the pace only with at least this share of it sent in the last
# second (or since sending began, judged over this long at least: one send is not "busy").
_BUSY_SHARE = 0.5
_BUSY_SECONDS_AT_LEAST = 0.2
# However many 429s, the pace stays at least this share of the configured rate.
_LOWEST_SHARE = 0.1
# Another process's pause is news only if it ends this much later than the pause known here.
_PAUSE_NEWS_SECONDS = 0.25
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
    messages overall (paced a little under it, and under what the messenger's 429s taught),
    and at most one per `per_chat_interval` seconds to the same chat."""

    def __init__(
        self,
        rate_per_second: float,
        *,
        per_chat_interval: float = 1.0,
        burst_seconds: float = DEFAULT_BURST_SECONDS,
        headroom: float = DEFAULT_HEADROOM,
        clock: MonotonicClock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        budget: SharedSendBudget | None = None,
    ):
        if rate_per_second <= 0:
            raise ValueError("rate_per_second must be positive")
        if per_chat_interval < 0 or burst_seconds < 0:
            raise ValueError("per_chat_interval and burst_seconds cannot be negative")
        if not 0 <= headroom < 1:
            raise ValueError("headroom is a share of the rate, from 0 to below 1")
        self.rate_per_second = float(rate_per_second)
        self.per_chat_interval = float(per_chat_interval)
        self._tolerance = max(float(burst_seconds), 0.0)
        self._clock = clock
        self._sleep = sleep
        self.budget = budget
        self._next_grant = clock()  # theoretical time of the next grant (GCRA's TAT)
        self._recent_grants: deque[float] = deque()  # within the last window, oldest first
        self._window = _MESSENGER_SECONDS / (1.0 - headroom)
        # The pace: the target until a 429 teaches otherwise (see `pace_at`).
        self._target = self.rate_per_second * (1.0 - headroom)
        self._lowest = self.rate_per_second * _LOWEST_SHARE
        self._ceiling = self._target
        self._ceiling_until = float("-inf")
        self._slowed_to = self._target
        self._creep_from = float("-inf")
        self._sending_since = float("inf")  # the start of the current stretch of sending
        self.slowdowns = 0
        self._paused_until = float("-inf")
        self._waiters: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._pump: asyncio.Task[None] | None = None
        self._chat_next: dict[int, float] = {}
        self._prune_at = _FORGET_CHATS_AFTER
        self.granted = {priority: 0 for priority in Priority}
        self.pauses = 0
        # Sends through a `LimitedTransport` the messenger did not take, by error class (for
        # operators: bot.ops.metrics); a plain dict, copied whole when read from another thread.
        self.send_errors: dict[str, int] = {}
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
        """Send nothing for `seconds` (the messenger's retry_after), then resume, slower
        (see the module's docstring)."""
        if seconds <= 0:
            return
        self._stop_until(self._clock() + seconds)
        self.pauses += 1
        if self.budget is not None:  # every other process stops too
            task = asyncio.get_running_loop().create_task(self.budget.pause(seconds))
            self._budget_pauses.add(task)
            task.add_done_callback(self._budget_pauses.discard)

    def pace_at(self, now: float | None = None) -> float:
        """Messages a second this limiter grants at `now` (default: the clock's now)."""
        now = self._clock() if now is None else now
        if now >= self._ceiling_until:  # the lesson is forgotten: creep on to the target
            return min(self._target, self._ceiling + CREEP_PER_SECOND * self.rate_per_second
                       * (now - max(self._ceiling_until, self._creep_from)))
        creep = CREEP_PER_SECOND * self.rate_per_second * max(0.0, now - self._creep_from)
        return min(self._ceiling, self._slowed_to + creep)

    @property
    def waiting(self) -> int:
        return sum(1 for _, _, future in self._waiters if not future.done())

    # --- learning from a 429 ------------------------------------------------------------
    def _stop_until(self, until: float) -> None:
        now = self._clock()
        # A 429 while paused answers a send that left before the first one: the same lesson.
        already_paused = now < self._paused_until
        if not already_paused:
            self._slow_down(now, resume_at=until)
        self._paused_until = max(self._paused_until, until)
        # After the pause, no burst of the tokens that "accumulated" while paused: one send
        # when it ends, the next an interval later.
        self._next_grant = max(self._next_grant, self._paused_until + self._tolerance)

    def _slow_down(self, now: float, *, resume_at: float) -> None:
        pace = self.pace_at(now)
        if not self._sent_in_window(now):
            return
        sent_last_second = sum(1 for at in self._recent_grants if at > now - _MESSENGER_SECONDS)
        # Busy: sending at half the pace or more since sending began (after a pause, say).
        sending_for = min(_MESSENGER_SECONDS, now - max(self._paused_until, self._recent_grants[0]))
        if sent_last_second < _BUSY_SHARE * pace * max(sending_for, _BUSY_SECONDS_AT_LEAST):
            return  # not the overall pace's fault (one chat's limit, say): the pause suffices
        slowed = max(self._lowest, pace * SLOW_DOWN)
        held_for = now - max(self._paused_until, self._sending_since)
        if held_for >= _HELD_LONG_SECONDS:
            # The messenger took this pace for many seconds: nearly right, and the 429 more
            # likely a few sends bunched on their way there. A small step down, not a lesson.
            ceiling = pace * (1.0 - _STEP_AFTER_LONG_HOLD)
        else:
            # Else what the messenger refused: the sends of its last second less the one it
            # refused (a sliding window's N exactly; a bucket's rate and some of its burst).
            # After less than a second of sending, a bucket's burst may not be spent yet and
            # the count says less: no lower than the usual decrease then.
            floor = pace * _BUSY_SHARE if sending_for >= _MESSENGER_SECONDS else slowed
            ceiling = CEILING_MARGIN * min(pace, max(floor, sent_last_second - 1))
        self._ceiling = max(self._lowest, ceiling)
        self._ceiling_until = resume_at + REMEMBER_SECONDS
        self._slowed_to = min(slowed, self._ceiling)
        self._creep_from = resume_at
        self.slowdowns += 1
        log.info("429 at %.1f messages/s: pausing, then %.1f/s, creeping back up to %.1f/s",
                 pace, self._slowed_to, self._ceiling)

    def _learn_of_pause(self, until: float) -> None:
        """Another process met a 429 (the shared budget is paused): stop and slow down too."""
        if until > self._paused_until + _PAUSE_NEWS_SECONDS:
            self._stop_until(until)

    # --- the pace -----------------------------------------------------------------------
    def _sent_in_window(self, now: float) -> int:
        recent = self._recent_grants
        while recent and recent[0] <= now - self._window:
            recent.popleft()
        return len(recent)

    def _wait_time(self, now: float) -> float:
        """Seconds until the next grant is allowed (0 or less: now)."""
        pace = self.pace_at(now)
        tolerance = min(self._tolerance, 1.0 / pace)
        wait = max(self._paused_until - now, self._next_grant - tolerance - now)
        # Rounded so that float error in pace × window (97 × 1/0.97) does not add a send.
        most_in_window = max(1, math.ceil(pace * self._window - 1e-6))
        recent = self._recent_grants
        if self._sent_in_window(now) >= most_in_window:  # until the oldest that counts leaves
            wait = max(wait, recent[-most_in_window] + self._window - now)
        # And the pace in any one second, so that the tolerance's early grants do not use up
        # the window's room for jitter.
        most_in_second = max(1, math.ceil(pace * _MESSENGER_SECONDS - 1e-6))
        older = 0
        while older < len(recent) and recent[older] <= now - _MESSENGER_SECONDS:
            older += 1
        if len(recent) - older >= most_in_second:
            wait = max(wait, recent[-most_in_second] + _MESSENGER_SECONDS - now)
        return wait

    def _grant(self, priority: Priority | int) -> None:
        now = self._clock()
        self._next_grant = max(self._next_grant, now) + 1.0 / self.pace_at(now)
        if not self._recent_grants or now - self._recent_grants[-1] > _MESSENGER_SECONDS:
            self._sending_since = now  # after a quiet second: a new stretch of sending
        self._recent_grants.append(now)
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
                    wait = await self.budget.claim(self._clock, rate=self.pace_at(now))
                    self._learn_of_pause(self.budget.paused_until)
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
        # Until when (this process's clock) the last claim found the bucket paused by a 429.
        self.paused_until = float("-inf")
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

    async def claim(self, clock: MonotonicClock, *, rate: float | None = None) -> float:
        """Claim a batch from the database; returns the seconds until its first token is usable.

        `rate` is the claiming limiter's pace (at most `rate_per_second`): the bucket refills
        at it for the time since the last claim, so a process that learned from a 429 claims
        slower. The database's answer is counted from the time after the round trip for when
        the tokens become usable (no earlier than the bucket said) and from the time before it
        for when they expire (no later).
        """
        rate = self.rate_per_second if rate is None else min(float(rate), self.rate_per_second)
        asked_at = clock()
        try:
            tokens, paused_for = await asyncio.to_thread(self._claim_in_database, rate)
        except Exception as error:  # noqa: BLE001 - no budget, no sending: wait and ask again
            log.warning("send budget not available (%s); asking again in %.0f s",
                        type(error).__name__, _BUDGET_RETRY_SECONDS)
            return _BUDGET_RETRY_SECONDS
        self.round_trips += 1
        if self._tokens:
            self.expired += self._tokens
        balance_before = tokens + self.batch
        wait = paused_for + max(0.0, 1.0 - balance_before) / rate
        answered_at = clock()
        if paused_for > 0:
            self.paused_until = max(self.paused_until, answered_at + paused_for)
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

    def _claim_in_database(self, rate: float) -> tuple[float, float]:
        values = {"name": self.name, "rate": rate, "capacity": float(self.capacity),
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
        except DeliveryError as error:
            errors = self.limiter.send_errors
            errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1
            if isinstance(error, RateLimited):
                self.limiter.pause(error.retry_after)
            raise


__all__ = [
    "DEFAULT_BURST_SECONDS",
    "DEFAULT_CLAIM_SECONDS",
    "DEFAULT_HEADROOM",
    "LimitedTransport",
    "MessageTransport",
    "MonotonicClock",
    "Priority",
    "SendRateLimiter",
    "SharedSendBudget",
    "Sleep",
    "send_limiter_for",
]
