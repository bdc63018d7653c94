"""Pacing that a messenger accepts however it counts, and learning from its 429s (bot.sending.send_rate).

A messenger may count sends as a token bucket (a short burst forgiven) or as N in any sliding
second (not forgiven); the limiter must keep both content without knowing which, and settle
just under a limit lower than the one it was configured with. Everything runs on the fake
clock: the messengers below see the fake time of each send.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque

import pytest

from bot.sending.send_rate import REMEMBER_SECONDS, Priority, SendRateLimiter

from .conftest import FakeTime


class SlidingWindowMessenger:
    """At most `limit` sends in any second; beyond that 429 with retry_after (whole seconds)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.accepted: deque[float] = deque()
        self.accepted_times: list[float] = []
        self.refused_times: list[float] = []

    def send(self, now: float) -> float | None:
        """None when accepted, else the retry_after it answers."""
        while self.accepted and self.accepted[0] <= now - 1.0:
            self.accepted.popleft()
        if len(self.accepted) >= self.limit:
            self.refused_times.append(now)
            return float(max(1, math.ceil(self.accepted[0] + 1.0 - now)))
        self.accepted.append(now)
        self.accepted_times.append(now)
        return None


class TokenBucketMessenger(SlidingWindowMessenger):
    """`limit` a second refilled continuously into a bucket of `burst_seconds` of it."""

    def __init__(self, limit: int, burst_seconds: float = 0.2):
        super().__init__(limit)
        self.capacity = max(1.0, limit * burst_seconds)
        self.tokens = self.capacity
        self.refilled_at = 0.0

    def send(self, now: float) -> float | None:
        self.tokens = min(self.capacity, self.tokens + (now - self.refilled_at) * self.limit)
        self.refilled_at = now
        if self.tokens < 1.0:
            self.refused_times.append(now)
            return 1.0
        self.tokens -= 1.0
        self.accepted_times.append(now)
        return None


def make_limiter(fake_time: FakeTime, rate: float) -> SendRateLimiter:
    return SendRateLimiter(rate, per_chat_interval=0, clock=fake_time.monotonic, sleep=fake_time.sleep)


async def send_flat_out(limiter: SendRateLimiter, messenger: SlidingWindowMessenger, fake_time: FakeTime,
                        seconds: float) -> None:
    """A notice as fast as the limiter lets it go, each 429 pausing the limiter as the sender does."""
    while fake_time.monotonic() < seconds:
        await limiter.acquire(Priority.LOW)
        retry_after = messenger.send(fake_time.monotonic())
        if retry_after is not None:
            limiter.pause(retry_after)


def most_in_any_second(times: list[float]) -> int:
    """The most sends within any closed one-second span: what a sliding window may count."""
    ordered = sorted(times)
    most, first = 0, 0
    for last, at in enumerate(ordered):
        while ordered[first] < at - 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


def sent_between(times: list[float], start: float, end: float) -> int:
    return sum(1 for at in times if start <= at < end)


@pytest.mark.parametrize("messenger", [SlidingWindowMessenger(30), TokenBucketMessenger(30)],
                         ids=["sliding window", "token bucket"])
async def test_paced_at_the_limit_no_429_and_most_of_the_limit_whatever_its_shape(fake_time, messenger):
    limiter = make_limiter(fake_time, rate=30)
    await send_flat_out(limiter, messenger, fake_time, seconds=30)
    assert messenger.refused_times == []
    assert most_in_any_second(messenger.accepted_times) <= 30  # never a burst a window counts
    times = messenger.accepted_times
    assert (len(times) - 1) / (times[-1] - times[0]) >= 0.95 * 30


async def test_grants_never_exceed_the_rate_in_any_sliding_second(fake_time):
    # Many senders at once, each granted as soon as the limiter allows: the grants themselves,
    # the first second's included, stay within 30 in every second.
    limiter = make_limiter(fake_time, rate=30)
    grants: list[float] = []

    async def take() -> None:
        await limiter.acquire(Priority.LOW)
        grants.append(fake_time.monotonic())

    await asyncio.gather(*(take() for _ in range(300)))
    assert most_in_any_second(grants) <= 30
    assert grants[-1] < 300 / 30 / 0.95  # and the rate is used


async def test_a_lower_limit_than_configured_is_learned_with_one_429_after_the_first_second(fake_time):
    # Configured for Telegram's 30, the messenger enforces 25 in any sliding second.
    messenger = SlidingWindowMessenger(25)
    limiter = make_limiter(fake_time, rate=30)
    await send_flat_out(limiter, messenger, fake_time, seconds=60)
    first = messenger.accepted_times[0]
    assert messenger.refused_times and messenger.refused_times[0] < first + 1.0  # learned at once
    assert len([at for at in messenger.refused_times if at >= first + 1.0]) <= 1
    assert limiter.pace_at() <= 25
    # Settled just under it: after the lesson, at least 0.93 of the limit each ten seconds.
    for start in range(10, 60, 10):
        assert sent_between(messenger.accepted_times, start, start + 10) >= 0.93 * 25 * 10


async def test_after_a_429_the_pace_drops_then_creeps_back_up(fake_time):
    messenger = SlidingWindowMessenger(1_000)  # never refuses: the 429 below is the only one
    limiter = make_limiter(fake_time, rate=100)
    await send_flat_out(limiter, messenger, fake_time, seconds=3)
    before = sent_between(messenger.accepted_times, 2, 3)
    paused_at = fake_time.monotonic()
    limiter.pause(1.0)  # the messenger said 429, retry after 1 s
    resumed = paused_at + 1.0
    await send_flat_out(limiter, messenger, fake_time, seconds=resumed + 10)
    just_after = sent_between(messenger.accepted_times, resumed, resumed + 1)
    later = sent_between(messenger.accepted_times, resumed + 9, resumed + 10)
    assert not [at for at in messenger.accepted_times if paused_at < at < resumed]  # the pause
    assert just_after <= 0.9 * before  # multiplicative decrease (0.85)
    assert later > just_after  # additive increase ...
    assert later >= 0.9 * before  # ... up to just under where the 429 came
    assert limiter.slowdowns == 1


async def test_a_429_after_a_long_steady_stretch_steps_down_only_a_little(fake_time):
    # The messenger took 97 a second for 20 s, then refused once (sends bunched on the way):
    # the pace drops and recovers as always, but to 1 % under what held, not 3 %.
    messenger = SlidingWindowMessenger(1_000)
    limiter = make_limiter(fake_time, rate=100)
    await send_flat_out(limiter, messenger, fake_time, seconds=20)
    limiter.pause(1.0)
    assert limiter.pace_at() == pytest.approx(0.85 * 97)
    assert limiter.pace_at(fake_time.monotonic() + 10) == pytest.approx(0.99 * 97)


async def test_sends_already_on_their_way_answered_429_slow_down_once(fake_time):
    limiter = make_limiter(fake_time, rate=100)
    await send_flat_out(limiter, SlidingWindowMessenger(1_000), fake_time, seconds=2)
    for _ in range(5):  # five sends in flight when the first 429 came, all refused
        limiter.pause(1.0)
    assert limiter.slowdowns == 1 and limiter.pauses == 5
    assert limiter.pace_at() == pytest.approx(0.85 * 97, rel=0.01)


async def test_a_429_at_a_quiet_time_pauses_but_does_not_slow_down(fake_time):
    limiter = make_limiter(fake_time, rate=30)
    await limiter.acquire(Priority.HIGH)  # one message, to a chat with limits of its own
    limiter.pause(2.0)
    await limiter.acquire(Priority.HIGH)
    assert fake_time.monotonic() >= 2.0
    assert limiter.slowdowns == 0 and limiter.pace_at() == pytest.approx(30 * 0.97)


async def test_the_lesson_is_forgotten_after_a_while(fake_time):
    limiter = make_limiter(fake_time, rate=30)
    await send_flat_out(limiter, SlidingWindowMessenger(25), fake_time, seconds=5)
    learned = limiter.pace_at()
    assert learned <= 25
    assert limiter.pace_at(fake_time.monotonic() + REMEMBER_SECONDS / 2) == pytest.approx(learned)
    assert limiter.pace_at(fake_time.monotonic() + REMEMBER_SECONDS + 60) == pytest.approx(30 * 0.97)


async def test_replies_go_first_while_slowed_down(fake_time):
    limiter = make_limiter(fake_time, rate=30)
    await send_flat_out(limiter, SlidingWindowMessenger(25), fake_time, seconds=3)
    limiter.pause(1.0)  # a notice's 429: the bot waits, notices queue up, then a resident writes
    order: list[str] = []

    async def take(name: str, priority: Priority) -> None:
        await limiter.acquire(priority)
        order.append(name)

    tasks = [asyncio.create_task(take(f"notice{i}", Priority.LOW)) for i in range(5)]
    await asyncio.sleep(0)
    tasks += [asyncio.create_task(take("checkin", Priority.HIGH)),
              asyncio.create_task(take("reply", Priority.REPLY))]
    await asyncio.gather(*tasks)
    assert order[:2] == ["reply", "checkin"]


class _PausedByAnotherProcess:
    """A shared budget whose claim finds the bucket paused for `paused_for` s by another's 429."""

    def __init__(self, fake_time: FakeTime, paused_for: float):
        self.fake_time = fake_time
        self.paused_for = paused_for
        self.paused_until = float("-inf")
        self.tokens = 0

    def take(self, now: float) -> bool:
        if self.tokens:
            self.tokens -= 1
            return True
        return False

    def until_usable(self, now: float) -> float | None:
        return None

    async def claim(self, clock, *, rate: float | None = None) -> float:
        self.tokens = 1_000
        wait, self.paused_for = self.paused_for, 0.0
        if wait:
            self.paused_until = clock() + wait
        return wait


async def test_a_pause_found_in_the_shared_budget_is_learned_from_too(fake_time):
    budget = _PausedByAnotherProcess(fake_time, paused_for=0.0)
    limiter = SendRateLimiter(30, per_chat_interval=0, clock=fake_time.monotonic, sleep=fake_time.sleep,
                              budget=budget)
    for _ in range(40):  # busy: a second and more at the pace
        await limiter.acquire(Priority.LOW)
    budget.tokens, budget.paused_for = 0, 1.0  # the next claim finds another process's 429
    started = fake_time.monotonic()
    await limiter.acquire(Priority.LOW)
    assert fake_time.monotonic() - started >= 1.0
    assert limiter.slowdowns == 1
