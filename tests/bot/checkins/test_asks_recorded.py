"""Check-in asks are recorded where they are sent, so a crash loses none (issue 15, item 7).

Each ask is handed off (committed) just before `send`, and its result is committed with the
next hand-off; claims are taken `CLAIM_BATCH` at a time. A claimed ask never handed off is
still due; only the one in flight can become "unknown", and the alerts about it say so. The
process-level kill is in tests/reliability/test_crash_checkin_asks.py.
"""

import asyncio
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from bot.checkins import dispatch as checkins
from bot.checkins.dispatch import SendResult, dispatch_due
from bot.checkins.plans import accept_invitation, invite_contact, stop_checkins
from bot.checkins.policy import DEFAULT_POLICY
from bot.people.residents import register_resident
from bot.store.db import session_scope
from bot.store.models import CheckinDelivery, CheckinRound, CheckinRoundStatus

from .conftest import Ticker, kst, only_round, outbox, planned, resident, rounds_of, staff

Status = CheckinRoundStatus


class Crash(BaseException):
    """The process dying: not an error `dispatch_due` may catch."""


def all_rounds(engine) -> list[CheckinRound]:
    with Session(engine) as session:
        return list(session.exec(select(CheckinRound).order_by(CheckinRound.id)).all())


async def test_each_ask_is_recorded_before_the_next_is_handed_off(engine):
    people = [planned(engine) for _ in range(5)]
    seen: list[tuple[int, list[tuple[int, str, str | None, bool]]]] = []

    def send(message):
        seen.append((message.round_id, [(r.id, r.status, r.delivery, r.sent_at is not None)
                                        for r in all_rounds(engine)]))
        return SendResult.DELIVERED

    await dispatch_due(engine=engine, now=kst(3, 10), send=send)
    assert len(seen) == len(people)
    for position, (round_id, state) in enumerate(seen):
        done = {earlier for earlier, _ in seen[:position]}
        for row_id, status, delivery, handed_off in state:
            if row_id in done:  # sent before: recorded
                assert (status, delivery, handed_off) == (Status.AWAITING, CheckinDelivery.DELIVERED, True)
            elif row_id == round_id:  # the one going out now: handed off, no result yet
                assert (status, delivery, handed_off) == (Status.SENDING, None, True)
            else:  # not yet: claimed, not handed off
                assert (status, handed_off) == (Status.SENDING, False)


async def test_a_cancelled_tick_gives_back_the_asks_it_never_handed_off(engine, transport):
    people = [planned(engine) for _ in range(30)]
    reached: list[int] = []
    third_out = asyncio.Event()

    async def hangs_on_the_third(message):
        reached.append(message.round_id)
        if len(reached) == 3:
            third_out.set()
            await asyncio.Event().wait()  # in flight when the tick is cancelled
        return SendResult.DELIVERED

    tick = asyncio.create_task(dispatch_due(engine=engine, now=kst(3, 10), send=hangs_on_the_third))
    await third_out.wait()
    tick.cancel()
    with pytest.raises(asyncio.CancelledError):
        await tick
    statuses = Counter(r.status for r in all_rounds(engine))
    # Two recorded, one in flight; the rest of the batch given back at once (no lease to wait).
    assert statuses == {Status.AWAITING: 2, Status.SENDING: 1, Status.SCHEDULED: 27}

    ticker = Ticker(engine=engine, send=transport)
    report = await ticker.tick(kst(3, 10, 1))
    assert report.sent == 27 and report.max_late_by == timedelta(minutes=1)
    await ticker.run_until(kst(3, 10, 2), kst(3, 12, 15), step=timedelta(minutes=5))
    asked = Counter(m.round_id for m in transport.of_kind("checkin")) + Counter(reached)
    assert len(asked) == len(people) and set(asked.values()) == {1}
    unknown = [r.id for r in all_rounds(engine) if r.delivery == CheckinDelivery.UNKNOWN]
    assert unknown == [reached[2]]
    # Every resident's first message was the check-in; the reminders came two hours later.
    first = {}
    for message in [*(("checkin", rid) for rid in reached),
                    *((m.kind, m.round_id) for m in transport.sent)]:
        first.setdefault(message[1], message[0])
    assert set(first.values()) == {"checkin"}


async def test_after_the_lease_asks_never_handed_off_are_due_again_or_dropped(engine, transport):
    kept, stopped, late = planned(engine), planned(engine), planned(engine)
    await Ticker(engine=engine, send=transport).tick(kst(3, 9, 30))  # materialised
    # Claimed by a tick that then died before handing anything off (as a SIGKILL leaves it).
    checkins._claim_checkins(engine, kst(3, 10), DEFAULT_POLICY, 10)
    late_round = only_round(engine, late).id
    with session_scope(engine) as session:
        stop_checkins(session=session, resident=stopped, now=kst(3, 10, 1))
        # This one was already 29.5 minutes late when it was claimed.
        session.execute(update(CheckinRound).where(CheckinRound.id == late_round)
                        .values(scheduled_for=kst(3, 9, 30) + timedelta(seconds=30)))
    ticker = Ticker(engine=engine, send=transport)
    await ticker.tick(kst(3, 10) + timedelta(seconds=50))
    assert transport.sent == []  # still leased
    report = await ticker.tick(kst(3, 10, 1))
    assert (report.recovered, report.requeued) == (0, 3)
    assert [m.resident_id for m in transport.of_kind("checkin")] == [kept.id]
    assert only_round(engine, kept).delivery == CheckinDelivery.DELIVERED
    assert rounds_of(engine, stopped) == []  # the plan was stopped: nothing to ask
    assert only_round(engine, late).status == Status.SKIPPED  # past the grace period: no alarm


async def test_a_write_refused_once_is_retried_and_sends_nothing_twice(engine, transport, monkeypatch):
    people = [planned(engine) for _ in range(4)]
    real = checkins._record_sends
    refusals = iter([True])

    def refused_once(conn, results):
        if results.rows and next(refusals, False):
            raise OperationalError("UPDATE", {}, Exception("database is locked"))
        real(conn, results)

    monkeypatch.setattr(checkins, "_record_sends", refused_once)
    monkeypatch.setattr(checkins, "sleep", lambda seconds: None)
    ticker = Ticker(engine=engine, send=transport)
    await ticker.run_until(kst(3, 10), kst(3, 10, 30))
    assert sorted(transport.per_round().values()) == [1] * len(people)
    assert all(only_round(engine, p).delivery == CheckinDelivery.DELIVERED for p in people)


async def test_alerts_about_an_ask_that_may_not_have_arrived_say_so(engine, transport):
    english_staff = staff(engine)
    with session_scope(engine) as session:  # a staff member's language is their resident profile's
        register_resident(session=session, platform_user_id=english_staff.telegram_id,
                          chat_id=english_staff.telegram_id, first_name="Officer", language="en",
                          district="seocho", now=kst(3, 9))
    korean_staff = staff(engine)
    lost, answered_never = planned(engine, name="Mina"), planned(engine, name="Jun")
    contact = resident(engine, language="en", name="Sam")
    with session_scope(engine) as session:
        invitation = invite_contact(session=session, resident=lost, contact_resident=contact, now=kst(3, 9))
        accept_invitation(session=session, contact_resident=contact, invitation_id=invitation.id, now=kst(3, 9))

    def dies_with_mina_in_flight(message):
        if message.resident_id == lost.id:
            raise Crash()
        return SendResult.DELIVERED

    with pytest.raises(Crash):
        await Ticker(engine=engine, send=dies_with_mina_in_flight).run_until(kst(3, 9, 30), kst(3, 10))
    await Ticker(engine=engine, send=transport).run_until(kst(3, 10, 1), kst(3, 14, 30),
                                                          step=timedelta(minutes=5))
    assert only_round(engine, lost).delivery == CheckinDelivery.UNKNOWN
    assert only_round(engine, lost).status == only_round(engine, answered_never).status == Status.ESCALATED

    def alert(chat_id, about):
        [message] = [m for m in outbox(engine, chat_id)
                     if m.resident_id == about.id and m.created_at > kst(3, 10)]
        return message.text

    assert "may not have reached them" in alert(english_staff.telegram_id, lost)
    assert "전해지지 않았을 수 있어요" in alert(korean_staff.telegram_id, lost)
    assert "may not have reached them" in alert(contact.chat_id, lost)
    assert "may not have reached" not in alert(english_staff.telegram_id, answered_never)
    assert "전해지지 않았을" not in alert(korean_staff.telegram_id, answered_never)
