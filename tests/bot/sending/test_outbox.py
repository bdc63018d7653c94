from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from bot.sending.outbox import (
    CLAIM_LEASE,
    claim_due_messages,
    enqueue_message,
    mark_dropped,
    mark_retry,
    mark_sent,
)
from bot.store.models import OutboxMessage

NOW = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)
BUTTONS = [[{"text": "수락", "data": "booking:accept:1"}, {"text": "거절", "data": "booking:decline:1"}]]


def enqueue(session, text="새 신청이 있습니다", chat_id=777, now=NOW, buttons=None):
    return enqueue_message(session=session, chat_id=chat_id, text=text, buttons=buttons, now=now)


def test_a_queued_message_keeps_its_text_and_buttons_until_sent(engine, session):
    message = enqueue(session, buttons=BUTTONS)
    session.commit()
    with Session(engine) as fresh:
        stored = fresh.get(OutboxMessage, message.id)
        assert (stored.chat_id, stored.text, stored.buttons) == (777, "새 신청이 있습니다", BUTTONS)
        assert (stored.status, stored.attempts, stored.next_attempt_at) == ("pending", 0, NOW)
        assert stored.created_at == NOW


def test_buttons_must_be_json(session):
    with pytest.raises(TypeError):
        enqueue(session, buttons=[[{"text": "x", "data": {1, 2}}]])
    with pytest.raises(ValueError):
        enqueue(session, text="")
    assert session.exec(select(OutboxMessage)).all() == []


def test_due_messages_are_claimed_oldest_first_up_to_the_limit(session):
    first = enqueue(session, text="one", now=NOW - timedelta(minutes=2))
    second = enqueue(session, text="two", now=NOW - timedelta(minutes=1))
    third = enqueue(session, text="three", now=NOW)
    enqueue(session, text="later", now=NOW + timedelta(seconds=1))  # not due yet
    claimed = claim_due_messages(session=session, now=NOW, limit=2)
    assert [m.id for m in claimed] == [first.id, second.id]
    assert all(m.attempts == 1 for m in claimed)
    assert [m.id for m in claim_due_messages(session=session, now=NOW, limit=10)] == [third.id]


def test_a_claimed_message_is_not_claimed_again_until_its_lease_runs_out(session):
    message = enqueue(session)
    assert claim_due_messages(session=session, now=NOW, limit=10) == [message]
    assert claim_due_messages(session=session, now=NOW + CLAIM_LEASE - timedelta(seconds=1),
                              limit=10) == []
    # The sender died without marking it: it comes back, and the attempt is counted.
    again = claim_due_messages(session=session, now=NOW + CLAIM_LEASE, limit=10)
    assert again == [message] and message.attempts == 2


def test_a_sent_message_is_finished_and_its_text_cleared(session):
    message = enqueue(session, buttons=BUTTONS)
    claim_due_messages(session=session, now=NOW, limit=1)
    mark_sent(session=session, message_id=message.id, now=NOW + timedelta(seconds=1))
    session.commit()
    session.expire_all()
    stored = session.get(OutboxMessage, message.id)
    assert stored.status == "sent"
    assert stored.finished_at == NOW + timedelta(seconds=1)
    assert (stored.text, stored.buttons) == ("", None)
    assert claim_due_messages(session=session, now=NOW + timedelta(days=1), limit=10) == []


def test_a_retry_waits_for_its_delay_and_gives_up_after_max_attempts(session):
    message = enqueue(session)
    claim_due_messages(session=session, now=NOW, limit=1)
    mark_retry(session=session, message_id=message.id, now=NOW, delay=timedelta(seconds=30),
               error="RetryAfter", max_attempts=2)
    assert (message.status, message.last_error) == ("pending", "RetryAfter")
    assert claim_due_messages(session=session, now=NOW + timedelta(seconds=29), limit=1) == []
    assert claim_due_messages(session=session, now=NOW + timedelta(seconds=30), limit=1) == [message]
    mark_retry(session=session, message_id=message.id, now=NOW + timedelta(seconds=31),
               delay=timedelta(seconds=30), error="TimedOut", max_attempts=2)
    assert (message.status, message.attempts, message.text) == ("failed", 2, "")
    assert message.last_error == "TimedOut"
    assert claim_due_messages(session=session, now=NOW + timedelta(days=1), limit=10) == []


def test_a_message_to_someone_who_blocked_the_bot_is_dropped(session):
    message = enqueue(session)
    claim_due_messages(session=session, now=NOW, limit=1)
    mark_dropped(session=session, message_id=message.id, reason="Forbidden (403)", now=NOW)
    assert (message.status, message.last_error, message.text) == ("dropped", "Forbidden (403)", "")
    # A late mark from a slow second sender does not resurrect it.
    assert mark_sent(session=session, message_id=message.id, now=NOW) is None
    assert message.status == "dropped"


def test_marking_a_message_that_was_deleted_meanwhile_is_harmless(session):
    assert mark_sent(session=session, message_id=999, now=NOW) is None
    assert mark_retry(session=session, message_id=999, now=NOW, delay=timedelta(seconds=1),
                      error="x") is None
    assert mark_dropped(session=session, message_id=999, reason="x", now=NOW) is None


def test_stored_buttons_keep_links_and_drop_empty_rows():
    """The one form every adapter queues buttons in: a press carries its data, a link its URL."""
    from bot.core.messages import Button
    from bot.sending.outbox import stored_buttons
    from bot.sending.outbox_sender import outgoing_from_outbox
    from bot.store.models import OutboxMessage

    rows = ((Button("수락", data="booking:accept:1"),), (), (Button("더 알아보기", url="https://example.org/a"),))
    stored = stored_buttons(rows)
    assert stored == [[{"text": "수락", "data": "booking:accept:1"}],
                      [{"text": "더 알아보기", "url": "https://example.org/a"}]]
    assert stored_buttons(()) is None
    back = outgoing_from_outbox(OutboxMessage(chat_id=1, text="t", buttons=stored))
    assert back.buttons == tuple(row for row in rows if row)
