"""What a crash or a stall can cost a notice: sends recorded as they happen (so a kill repeats at
most the sender's concurrency), failed records tried again rather than resent, and short leases
that a live sender keeps, through a 429 pause longer than the lease, from another sender.

The process-level kill -9 bar is tests/reliability/test_crash_notice_bar.py.
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy.exc import OperationalError
from sqlmodel import select

import bot.notices.sender as notice_sender
from bot.notices.deliveries import (
    DEFAULT_POLICY,
    DeliveryPolicy,
    DeliveryResult,
    Outcome,
    claim_deliveries,
    record_results,
    release_expired_claims,
)
from bot.notices.sender import BATCH_SIZE, CONCURRENCY, NoticeSender
from bot.sending.outbox_sender import RateLimited
from bot.sending.send_rate import SendRateLimiter
from bot.store.db import create_schema, make_engine, session_scope
from bot.store.models import Delivery, DeliveryStatus, NoticeStatus

from .conftest import FakeTime, FakeTransport
from .test_sender import start


@pytest.fixture
def engine(engine, tmp_path):
    """A SQLite file rather than one shared in-memory connection: here two senders, or a sender
    and a test's look at the rows, use the database at the same time (PostgreSQL when set)."""
    if engine.dialect.name != "sqlite":
        yield engine
        return
    file_engine = make_engine(f"sqlite:///{tmp_path / 'notices.sqlite3'}")
    create_schema(file_engine)
    yield file_engine
    file_engine.dispose()


def test_the_stated_bounds():
    # A crash delays the rest of a notice by seconds, and claims are a few sends per slot.
    assert DEFAULT_POLICY.lease <= timedelta(seconds=15)
    assert DEFAULT_POLICY.renew_every * 3 < DEFAULT_POLICY.lease
    assert BATCH_SIZE <= 2 * CONCURRENCY


def _sent_rows(session, notice_id: int) -> int:
    return session.exec(select(func.count()).select_from(Delivery).where(
        Delivery.notice_id == notice_id, Delivery.status == DeliveryStatus.SENT)).one()


async def test_no_more_than_the_concurrency_is_ever_sent_and_not_recorded(
        engine, add_residents, make_sender, transport, rows):
    chats = add_residents(60)
    notice_id = start(engine)
    concurrency = 4
    sender = make_sender(concurrency=concurrency, batch_size=2 * concurrency)
    unrecorded_at_each_send = []

    async def count_unrecorded(message):
        handed = len(transport.sent) + 1  # this one included (none of them fails)
        recorded = await sender._db(_sent_rows, notice_id=notice_id)
        unrecorded_at_each_send.append(handed - recorded)

    transport.on_send = count_unrecorded
    await sender.run()

    assert sorted(transport.new_messages_to(chats)) == sorted(chats)
    # What a kill at any of these moments could repeat: the sends handed over, not yet recorded.
    assert max(unrecorded_at_each_send) <= concurrency
    assert rows.statuses(notice_id) == {DeliveryStatus.SENT: 60}


async def test_a_failed_record_is_written_again_not_sent_again(
        engine, add_residents, make_sender, transport, rows, monkeypatch):
    chats = add_residents(20)
    notice_id = start(engine)
    failures = iter([True, True, True])

    def record_or_fail(**kwargs):
        if next(failures, False):
            raise OperationalError("UPDATE delivery", {}, sqlite3.OperationalError("database is locked"))
        return record_results(**kwargs)

    monkeypatch.setattr(notice_sender, "record_results", record_or_fail)
    stats = await make_sender().run()

    assert sorted(transport.new_messages_to(chats)) == sorted(chats)  # each once
    assert rows.statuses(notice_id) == {DeliveryStatus.SENT: 20}
    assert stats.sent == 20 and stats.released == 0
    assert rows.notice(notice_id).status == NoticeStatus.FINISHED


async def test_a_delivery_taken_over_during_a_long_pause_is_not_sent_again(
        engine, add_residents, transport, fake_time, rows):
    """A stall past the lease (here a 429 pause under a fake clock, no renewal meanwhile): another
    process released the held rows and sent them; the sender checks before it sends."""
    chats = add_residents(12)
    notice_id = start(engine)
    transport.fail(chats[2], RateLimited(30.0, "telegram:429"), times=1)
    policy = DeliveryPolicy(max_attempts=3, lease=timedelta(seconds=10))
    taken_over: list[int] = []

    async def pause_while_another_sender_takes_over(seconds: float) -> None:
        await fake_time.sleep(seconds)
        if seconds >= policy.lease.total_seconds() and not taken_over:
            now = fake_time.utc()
            with session_scope(engine) as session:
                release_expired_claims(session=session, now=now, lease=policy.lease)
                claimed = claim_deliveries(session=session, notice_id=notice_id, now=now, limit=100)
            with session_scope(engine) as session:
                record_results(session=session, results=[DeliveryResult(item, Outcome.SENT) for item in claimed],
                               now=now, policy=policy)
            taken_over.extend(item.chat_id for item in claimed)

    limiter = SendRateLimiter(30, per_chat_interval=1.0, clock=fake_time.monotonic,
                              sleep=pause_while_another_sender_takes_over)
    sender = NoticeSender(engine=engine, transport=transport, limiter=limiter, clock=fake_time.utc,
                          sleep=fake_time.sleep, policy=policy, batch_size=4, concurrency=1)
    stats = await sender.run()

    assert taken_over, "the other sender found nothing to take over"
    sent_here = transport.new_messages_to(chats)
    assert set(sent_here).isdisjoint(taken_over)
    assert sorted(sent_here + taken_over) == sorted(chats)  # everyone once, by one sender or the other
    assert stats.leases_lost > 0
    assert rows.statuses(notice_id) == {DeliveryStatus.SENT: 12}


async def test_a_live_sender_keeps_its_lease_through_a_429_pause_longer_than_it(engine, add_residents, rows):
    """Two senders (as two processes on PostgreSQL), the real clock, a lease of 0.4 s: the first
    is told to wait 2 s; the second, meanwhile, must not release and send the first's rows."""
    chats = add_residents(16)
    notice_id = start(engine)
    policy = DeliveryPolicy(max_attempts=3, retry_base=timedelta(milliseconds=20), lease=timedelta(seconds=0.4))
    first, second = FakeTransport(FakeTime()), FakeTransport(FakeTime())
    first.fail(chats[1], RateLimited(2.0, "telegram:429"), times=1)

    def sender(transport: FakeTransport) -> NoticeSender:
        return NoticeSender(engine=engine, transport=transport, limiter=SendRateLimiter(1_000, per_chat_interval=0),
                            policy=policy, batch_size=4, concurrency=2, idle_wait=0.05)

    paused, other = sender(first), sender(second)
    running = asyncio.get_running_loop().create_task(paused.run())
    # Wait for the first to meet its 429 (how long that takes depends on the machine), then the
    # second starts while the first is in its pause, holding a claim.
    for _ in range(500):
        if paused.limiter.pauses or running.done():
            break
        await asyncio.sleep(0.01)
    assert paused.limiter.pauses == 1 and rows.statuses(notice_id).get(DeliveryStatus.SENDING)
    other_stats = await other.run()
    paused_stats = await running

    sent = first.new_messages_to(chats) + second.new_messages_to(chats)
    assert sorted(sent) == sorted(chats)  # each resident once
    assert other_stats.released == 0 and paused_stats.leases_lost == 0
    assert len(first.new_messages_to(chats)) >= 2  # what the first held, it sent after its pause
    assert rows.notice(notice_id).status == NoticeStatus.FINISHED
