"""The outbox sender with a scripted transport: sent, retried, dropped, and nothing lost."""

from __future__ import annotations

import logging
from collections import defaultdict, deque
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from bot.core.messages import Button, Outgoing
from bot.sending.outbox import MAX_ATTEMPTS, enqueue_message
from bot.sending.outbox_sender import (
    BACKOFF_BASE,
    BACKOFF_MAX,
    RateLimited,
    RecipientBlocked,
    RejectedMessage,
    TransientSendError,
    backoff,
    drain_outbox,
)
from bot.store.db import session_scope
from bot.store.models import OutboxMessage, OutboxStatus, Resident

from .conftest import FakeClock, add_resident

SECRET_TEXT = "무릎이 아파요 — private"


class ScriptedTransport:
    """Raises the scripted errors for a chat in order, then sends; records what was sent."""

    def __init__(self) -> None:
        self.sent: list[Outgoing] = []
        self.attempts: list[int] = []
        self.script: dict[int, deque[Exception]] = defaultdict(deque)

    def failing(self, chat_id: int, *errors: Exception) -> ScriptedTransport:
        self.script[chat_id].extend(errors)
        return self

    async def send(self, message: Outgoing) -> None:
        self.attempts.append(message.chat_id)
        if self.script[message.chat_id]:
            raise self.script[message.chat_id].popleft()
        self.sent.append(message)


def enqueue(engine, clock: FakeClock, chat_id: int, text: str = "알림", **kwargs) -> int:
    with session_scope(engine) as session:
        return enqueue_message(session=session, chat_id=chat_id, text=text, now=clock(), **kwargs).id


def stored(engine, message_id: int) -> OutboxMessage:
    with Session(engine) as session:
        return session.get(OutboxMessage, message_id)


async def test_due_messages_are_sent_with_their_buttons_and_marked_sent(engine, clock):
    buttons = [[{"text": "수락", "data": "booking:accept:7"}, {"text": "거절", "data": "booking:decline:7"}]]
    first = enqueue(engine, clock, 10, "첫째", buttons=buttons)
    second = enqueue(engine, clock, 11, "둘째")
    transport = ScriptedTransport()

    stats = await drain_outbox(engine=engine, transport=transport, clock=clock)

    assert (stats.claimed, stats.sent) == (2, 2)
    assert transport.sent == [
        Outgoing(10, "첫째", ((Button("수락", "booking:accept:7"), Button("거절", "booking:decline:7")),)),
        Outgoing(11, "둘째"),
    ]
    for message_id in (first, second):
        message = stored(engine, message_id)
        assert message.status == OutboxStatus.SENT
        assert message.text == ""  # the outbox is not an archive
    assert (await drain_outbox(engine=engine, transport=transport, clock=clock)).claimed == 0


async def test_rate_limited_message_waits_retry_after_and_defers_the_rest(engine, clock):
    first = enqueue(engine, clock, 10)
    second = enqueue(engine, clock, 11)
    transport = ScriptedTransport().failing(10, RateLimited(30))

    stats = await drain_outbox(engine=engine, transport=transport, clock=clock)

    assert (stats.sent, stats.retried) == (0, 2)
    assert transport.attempts == [10]  # the second is not sent into the limit
    assert stored(engine, first).next_attempt_at == clock() + timedelta(seconds=30)
    assert stored(engine, second).next_attempt_at == clock() + timedelta(seconds=30)

    clock.advance(29)
    assert (await drain_outbox(engine=engine, transport=transport, clock=clock)).claimed == 0
    clock.advance(1)
    stats = await drain_outbox(engine=engine, transport=transport, clock=clock)
    assert stats.sent == 2
    assert stored(engine, first).status == OutboxStatus.SENT


async def test_transient_failures_back_off_exponentially(engine, clock):
    message_id = enqueue(engine, clock, 10)
    transport = ScriptedTransport().failing(
        10, TransientSendError("telegram:TimedOut"), TransientSendError("telegram:NetworkError")
    )

    await drain_outbox(engine=engine, transport=transport, clock=clock)
    message = stored(engine, message_id)
    assert message.next_attempt_at == clock() + BACKOFF_BASE
    assert message.last_error == "telegram:TimedOut"

    clock.advance(BACKOFF_BASE.total_seconds())
    await drain_outbox(engine=engine, transport=transport, clock=clock)
    assert stored(engine, message_id).next_attempt_at == clock() + 2 * BACKOFF_BASE

    clock.advance(2 * BACKOFF_BASE.total_seconds())
    stats = await drain_outbox(engine=engine, transport=transport, clock=clock)
    assert stats.sent == 1
    assert stored(engine, message_id).attempts == 3


def test_backoff_doubles_up_to_its_cap():
    assert [backoff(n) for n in (1, 2, 3)] == [BACKOFF_BASE, 2 * BACKOFF_BASE, 4 * BACKOFF_BASE]
    assert backoff(40) == BACKOFF_MAX


async def test_blocked_recipient_is_dropped_and_the_resident_marked_inactive(engine, clock):
    resident = add_resident(engine, user_id=31)
    message_id = enqueue(engine, clock, 31, resident_id=resident.id)
    other = enqueue(engine, clock, 32)
    transport = ScriptedTransport().failing(31, RecipientBlocked("telegram:403"))

    stats = await drain_outbox(engine=engine, transport=transport, clock=clock)

    assert (stats.dropped, stats.sent) == (1, 1)
    assert stored(engine, message_id).status == OutboxStatus.DROPPED
    assert stored(engine, other).status == OutboxStatus.SENT
    with Session(engine) as session:
        assert session.exec(select(Resident).where(Resident.platform_user_id == 31)).one().active is False


async def test_refused_message_is_dropped_but_the_recipient_stays_reachable(engine, clock):
    add_resident(engine, user_id=33)
    message_id = enqueue(engine, clock, 33)
    transport = ScriptedTransport().failing(33, RejectedMessage("telegram:400"))

    stats = await drain_outbox(engine=engine, transport=transport, clock=clock)

    assert stats.dropped == 1
    assert stored(engine, message_id).status == OutboxStatus.DROPPED
    with Session(engine) as session:
        assert session.exec(select(Resident).where(Resident.platform_user_id == 33)).one().active


async def test_a_transport_bug_is_retried_not_lost(engine, clock):
    message_id = enqueue(engine, clock, 10)
    transport = ScriptedTransport().failing(10, KeyError("oops"))

    stats = await drain_outbox(engine=engine, transport=transport, clock=clock)

    assert stats.retried == 1
    assert stored(engine, message_id).last_error == "unexpected:KeyError"


async def test_malformed_stored_buttons_are_dropped(engine, clock):
    message_id = enqueue(engine, clock, 10, buttons=[[{"label": "no data key"}]])
    stats = await drain_outbox(engine=engine, transport=ScriptedTransport(), clock=clock)
    assert stats.dropped == 1
    assert stored(engine, message_id).last_error == "malformed"


async def test_message_deleted_while_sending_is_not_an_error(engine, clock):
    message_id = enqueue(engine, clock, 10)

    class ForgettingTransport(ScriptedTransport):
        async def send(self, message: Outgoing) -> None:
            with session_scope(engine) as session:  # /forget runs while the message is in flight
                session.delete(session.get(OutboxMessage, message_id))
            await super().send(message)

    stats = await drain_outbox(engine=engine, transport=ForgettingTransport(), clock=clock)
    assert (stats.sent, stats.vanished) == (0, 1)


async def test_nothing_is_lost_every_message_ends_sent_dropped_or_failed(engine, clock):
    """A mixed stream of failures: run the sender until the outbox is empty."""
    chats = {
        1: [],  # sent at once
        2: [TransientSendError("5xx"), TransientSendError("timeout")],
        3: [RateLimited(5)],
        4: [RecipientBlocked("telegram:403")],
        5: [TransientSendError("timeout")] * (2 * MAX_ATTEMPTS),  # never gets through
        6: [RateLimited(1), TransientSendError("5xx")],
    }
    ids = {chat: [enqueue(engine, clock, chat, f"m{chat}-{n}") for n in range(2)] for chat in chats}
    transport = ScriptedTransport()
    for chat, errors in chats.items():
        transport.failing(chat, *errors)

    for _ in range(200):
        await drain_outbox(engine=engine, transport=transport, clock=clock, limit=3)
        clock.advance(BACKOFF_MAX.total_seconds())
    statuses = {chat: [stored(engine, i).status for i in message_ids] for chat, message_ids in ids.items()}

    assert statuses[1] == statuses[2] == statuses[3] == statuses[6] == [OutboxStatus.SENT] * 2
    assert statuses[4] == [OutboxStatus.DROPPED, OutboxStatus.SENT]
    assert statuses[5] == [OutboxStatus.FAILED] * 2
    sent_texts = sorted(m.text for m in transport.sent)
    expected = [f"m{chat}-{n}" for chat in (1, 2, 3, 6) for n in range(2)] + ["m4-1"]
    assert sent_texts == sorted(expected)  # each exactly once: this single sender never repeats


async def test_logs_carry_ids_and_codes_never_text(engine, clock, caplog):
    caplog.set_level(logging.DEBUG, logger="bot")
    enqueue(engine, clock, 10, SECRET_TEXT)
    enqueue(engine, clock, 11, SECRET_TEXT)
    enqueue(engine, clock, 12, SECRET_TEXT)
    transport = ScriptedTransport().failing(10, TransientSendError("telegram:TimedOut"))
    transport.failing(11, RecipientBlocked("telegram:403"))

    await drain_outbox(engine=engine, transport=transport, clock=clock)

    assert "telegram:TimedOut" in caplog.text and "telegram:403" in caplog.text
    assert SECRET_TEXT not in caplog.text


@pytest.mark.parametrize("seconds", [-3, 0])
def test_rate_limited_never_waits_a_negative_time(seconds):
    assert RateLimited(seconds).retry_after == 0
