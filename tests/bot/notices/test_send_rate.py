"""The shared send rate: priorities first, the rate held, 429 pauses everyone, one chat spaced."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.messages import Outgoing
from bot.sending.outbox_sender import RateLimited
from bot.sending.send_rate import DEFAULT_HEADROOM, LimitedTransport, Priority, SendRateLimiter

from .conftest import FakeTime


def make_limiter(time: FakeTime, rate: float = 10, **options) -> SendRateLimiter:
    return SendRateLimiter(rate, clock=time.monotonic, sleep=time.sleep, **options)


async def test_waiting_high_priority_goes_before_waiting_low_priority(fake_time):
    limiter = make_limiter(fake_time, rate=1, burst_seconds=0)
    await limiter.acquire(Priority.LOW)  # the one token there is
    order: list[str] = []

    async def take(name: str, priority: Priority) -> None:
        await limiter.acquire(priority)
        order.append(name)

    # Notices queue first; a check-in and then a reply arrive while they wait.
    tasks = [asyncio.create_task(take(f"notice{i}", Priority.LOW)) for i in range(3)]
    await asyncio.sleep(0)
    tasks += [asyncio.create_task(take("checkin", Priority.HIGH)),
              asyncio.create_task(take("reply", Priority.REPLY))]
    await asyncio.gather(*tasks)
    assert order == ["reply", "checkin", "notice0", "notice1", "notice2"]
    assert limiter.granted == {Priority.REPLY: 1, Priority.HIGH: 1, Priority.LOW: 4}


async def test_the_rate_is_held_over_many_messages(fake_time):
    limiter = make_limiter(fake_time, rate=10, per_chat_interval=0)
    grants: list[float] = []

    async def take() -> None:
        await limiter.acquire(Priority.LOW)
        grants.append(fake_time.monotonic())

    await asyncio.gather(*(take() for _ in range(101)))
    assert len(grants) == 101
    # 101 messages paced at 3 % under 10 a second: the last goes out after 10.3 s, not before
    # (less the timer tolerance the second one is granted early by).
    assert grants[-1] == pytest.approx(100 / (10 * (1 - DEFAULT_HEADROOM)) - 0.05, abs=0.06)
    for start in grants:
        in_one_second = [t for t in grants if start <= t <= start + 1.0]
        assert len(in_one_second) <= 10  # never more than the rate in any second


async def test_a_lone_sender_is_not_held_back(fake_time):
    limiter = make_limiter(fake_time, rate=10)
    await limiter.acquire()
    fake_time.advance(5)
    await limiter.acquire()
    assert fake_time.slept == []


async def test_pause_stops_every_sender_for_retry_after(fake_time):
    limiter = make_limiter(fake_time, rate=100)
    await limiter.acquire()
    limiter.pause(3.0)
    await limiter.acquire(Priority.HIGH)
    assert fake_time.monotonic() >= 3.0
    assert limiter.pauses == 1


async def test_one_chat_gets_at_most_one_message_per_interval(fake_time):
    limiter = make_limiter(fake_time, rate=100, per_chat_interval=1.0)
    times: list[float] = []
    for _ in range(3):
        await limiter.acquire(chat_id=42)
        times.append(fake_time.monotonic())
    await limiter.acquire(chat_id=43)  # another chat is not held up by chat 42's spacing
    assert times[1] - times[0] >= 1.0 and times[2] - times[1] >= 1.0
    assert fake_time.monotonic() - times[2] < 0.1


async def test_a_cancelled_wait_gives_its_turn_to_the_next(fake_time):
    limiter = make_limiter(fake_time, rate=1, burst_seconds=0, headroom=0)
    await limiter.acquire()
    first = asyncio.create_task(limiter.acquire())
    second = asyncio.create_task(limiter.acquire())
    await asyncio.sleep(0)
    first.cancel()
    await second
    assert limiter.granted[Priority.LOW] == 2
    assert fake_time.monotonic() == pytest.approx(1.0)


class _RateLimitedOnce:
    def __init__(self):
        self.calls = 0

    async def send(self, message: Outgoing) -> int:
        self.calls += 1
        if self.calls == 1:
            raise RateLimited(4.0, "telegram:429")
        return 1


async def test_limited_transport_pauses_the_shared_limiter_on_429(fake_time):
    limiter = make_limiter(fake_time, rate=100)
    transport = LimitedTransport(_RateLimitedOnce(), limiter, Priority.HIGH)
    with pytest.raises(RateLimited):
        await transport.send(Outgoing(1, "hi"))
    assert await transport.send(Outgoing(1, "hi")) == 1
    assert fake_time.monotonic() >= 4.0


def test_nonsense_rates_are_refused():
    with pytest.raises(ValueError):
        SendRateLimiter(0)
    with pytest.raises(ValueError):
        SendRateLimiter(10, per_chat_interval=-1)
    with pytest.raises(ValueError):
        SendRateLimiter(10, headroom=1)
