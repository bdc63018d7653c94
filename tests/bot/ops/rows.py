"""Rows for the metrics tests: outbox messages, check-in rounds and notice deliveries in given states."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import Engine

from bot.people.residents import register_resident
from bot.sending.outbox import enqueue_message
from bot.store.db import session_scope
from bot.store.models import (
    CheckinPlan,
    CheckinRound,
    CheckinRoundStatus,
    Delivery,
    DeliveryStatus,
    Notice,
    NoticeStatus,
    OutboxMessage,
    OutboxStatus,
)

RESIDENT_NAME = "홍길동"
RESIDENT_PHONE = "010-2345-6789"


def add_backlogs(engine: Engine, now: datetime, *, user_id: int = 5150) -> None:
    """What a busy bot holds at `now`:

    - outbox: 2 due (the oldest waiting 120 s), 1 waiting for a retry, 1 sent;
    - check-ins: 3 due and unsent (the oldest 300 s late), 1 scheduled for later, 2 escalated,
      1 visit needed, 1 answered;
    - notices: one being sent (deliveries: 4 pending, 2 sent, 1 blocked), one finished (5 sent).
    """
    with session_scope(engine) as session:
        resident = register_resident(session=session, platform_user_id=user_id, chat_id=user_id,
                                     first_name=RESIDENT_NAME, language="ko", district="seocho", now=now)
        text = f"{RESIDENT_NAME}님 연락처 {RESIDENT_PHONE}"
        enqueue_message(session=session, chat_id=user_id, text=text, now=now - timedelta(seconds=120),
                        resident_id=resident.id)
        enqueue_message(session=session, chat_id=user_id, text=text, now=now, resident_id=resident.id)
        later = enqueue_message(session=session, chat_id=user_id, text=text, now=now, resident_id=resident.id)
        later.next_attempt_at = now + timedelta(minutes=5)
        sent = enqueue_message(session=session, chat_id=user_id, text=text, now=now, resident_id=resident.id)
        sent.status = OutboxStatus.SENT
        session.add_all([later, sent])

        plan = CheckinPlan(resident_id=resident.id, local_time=time(10), created_at=now, updated_at=now)
        session.add(plan)
        session.flush()
        rounds = [
            (CheckinRoundStatus.SCHEDULED, now - timedelta(seconds=300)),
            (CheckinRoundStatus.SCHEDULED, now - timedelta(seconds=60)),
            (CheckinRoundStatus.SCHEDULED, now),
            (CheckinRoundStatus.SCHEDULED, now + timedelta(hours=1)),
            (CheckinRoundStatus.ESCALATED, None),
            (CheckinRoundStatus.ESCALATED, now + timedelta(hours=2)),
            (CheckinRoundStatus.VISIT_NEEDED, None),
            (CheckinRoundStatus.ANSWERED, None),
        ]
        for index, (status, due_at) in enumerate(rounds):
            session.add(CheckinRound(plan_id=plan.id, resident_id=resident.id, status=status, due_at=due_at,
                                     scheduled_for=now - timedelta(days=len(rounds) - index)))

        sending = Notice(district="seocho", text="공지", status=NoticeStatus.SENDING, created_at=now)
        finished = Notice(district="seocho", text="공지", status=NoticeStatus.FINISHED, created_at=now)
        session.add_all([sending, finished])
        session.flush()
        others = []
        for offset in range(12):  # deliveries need residents of their own (one per notice each)
            others.append(register_resident(session=session, platform_user_id=user_id + 1 + offset,
                                            chat_id=user_id + 1 + offset, first_name="", language="ko",
                                            district="seocho", now=now))
        states = [DeliveryStatus.PENDING] * 4 + [DeliveryStatus.SENT] * 2 + [DeliveryStatus.BLOCKED]
        for person, state in zip(others[:len(states)], states, strict=True):
            session.add(Delivery(notice_id=sending.id, resident_id=person.id, chat_id=person.chat_id,
                                 status=state, next_attempt_at=now))
        for person in others[:5]:
            session.add(Delivery(notice_id=finished.id, resident_id=person.id, chat_id=person.chat_id,
                                 status=DeliveryStatus.SENT, next_attempt_at=now))


def pending_outbox(engine: Engine) -> int:
    from sqlmodel import Session, select

    with Session(engine) as session:
        return len(session.exec(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)).all())
