"""One person's updates are applied in order across processes (PostgreSQL advisory lock)."""

import threading

import pytest
from sqlalchemy import text

from bot.core.messages import Incoming, InputKind


@pytest.mark.usefixtures("postgresql_url")
def test_a_turn_waits_while_another_process_holds_the_persons_lock(conversation, engine):
    person_id = 424242
    done = threading.Event()

    def turn():
        conversation.handle(Incoming(person_id, person_id, "철수", InputKind.TEXT, "/help"))
        done.set()

    with engine.connect() as other_process:
        with other_process.begin():
            other_process.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": person_id})
            worker = threading.Thread(target=turn)
            worker.start()
            assert not done.wait(1.0), "the turn ran while another process held the person's lock"
        # The other transaction ended: the lock is released and the turn goes on.
        assert done.wait(10.0)
        worker.join()


@pytest.mark.usefixtures("postgresql_url")
def test_another_persons_turn_does_not_wait(conversation, engine):
    with engine.connect() as other_process:
        with other_process.begin():
            other_process.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": 1})
            reply = conversation.handle(Incoming(2, 2, "영희", InputKind.TEXT, "/help"))
    assert reply.messages
