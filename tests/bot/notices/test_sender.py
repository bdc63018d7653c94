"""The notice sender over a fake transport and a fake clock: results, retries, 429, crashes,
progress messages, stopping."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from bot.notices.authoring import cancel_notice, count_audience, create_notice, schedule_notice, start_notice
from bot.notices.deliveries import claim_deliveries
from bot.notices.report import notice_report
from bot.people.privacy import forget_resident
from bot.sending.outbox_sender import RateLimited, RecipientBlocked, RejectedMessage, TransientSendError
from bot.sending.send_rate import Priority
from bot.store.db import session_scope
from bot.store.models import DeliveryStatus, NoticeStatus

from .conftest import POLICY, START


def start(engine, *, staff=None, district="seocho", audience="all", text="폭염 쉼터 운영 안내",
          link_url=None) -> int:
    """A notice started now (deliveries written); returns its id."""
    with session_scope(engine) as session:
        notice = create_notice(session=session, district=district, text=text, audience=audience,
                               staff=staff, link_url=link_url, now=START)
        start_notice(session=session, notice=notice, now=START)
        return notice.id


async def test_every_recipient_gets_the_notice_once(engine, add_residents, make_sender, transport, rows):
    chats = add_residents(25)
    add_residents(3, district="yongsan")
    with Session(engine) as session:
        preview = count_audience(session=session, district="seocho", audience="all")
    notice_id = start(engine, link_url="https://www.seocho.go.kr")

    stats = await make_sender().run()

    assert sorted(transport.new_messages_to(chats)) == sorted(chats)
    assert len(transport.sent) == preview == 25  # no progress chat: only residents were sent to
    message = transport.sent[0].message
    assert "폭염 쉼터 운영 안내" in message.text and "/settings" in message.text
    assert message.buttons[0][0].url == "https://www.seocho.go.kr"
    notice = rows.notice(notice_id)
    assert (notice.status, notice.delivered, notice.blocked, notice.failed) == (NoticeStatus.FINISHED, 25, 0, 0)
    assert rows.statuses(notice_id) == {DeliveryStatus.SENT: 25}
    assert stats.sent == 25 and stats.notices == 1


async def test_the_send_rate_is_held(engine, add_residents, make_sender, transport, limiter):
    add_residents(60)
    start(engine)
    await make_sender().run()
    times = [s.at for s in transport.sent]
    # 60 messages at 30 a second take about 2 seconds, never more than 32 in any second: the
    # rate, and what the limiter's timer tolerance (0.05 s, 1.5 messages) lets through at the
    # start (sends at 0, 0, 0.017, then every 1/30 s). Sends now happen when they are granted;
    # they used to be seen a timer tick later, which hid the second send at 0.
    assert times[-1] - times[0] == pytest.approx(59 / 30, abs=0.1)
    assert max(sum(1 for t in times if s <= t < s + 1.0 - 1e-6) for s in times) <= 32
    assert limiter.granted[Priority.LOW] == 60


async def test_403_marks_the_resident_unreachable_and_is_not_retried(
        engine, add_residents, make_sender, transport, rows):
    good, blocked = add_residents(2)
    transport.fail(blocked, RecipientBlocked("telegram:403"), times=None)
    notice_id = start(engine)

    await make_sender().run()

    assert transport.attempts[blocked] == 1
    assert rows.resident(blocked).active is False
    assert rows.resident(good).active is True
    notice = rows.notice(notice_id)
    assert (notice.delivered, notice.blocked, notice.failed) == (1, 1, 0)
    # Unreachable residents are no longer counted for the next notice.
    with Session(engine) as session:
        assert count_audience(session=session, district="seocho", audience="all") == 1


async def test_5xx_is_retried_with_backoff_then_failed(engine, add_residents, make_sender, transport,
                                                      rows, fake_time):
    flaky, down, fine = add_residents(3)
    transport.fail(flaky, TransientSendError("telegram:BadGateway"), times=1)
    transport.fail(down, TransientSendError("telegram:TimedOut"), times=None)
    notice_id = start(engine)

    await make_sender().run()

    assert transport.attempts[flaky] == 2 and len(transport.to(flaky)) == 1
    assert transport.attempts[down] == POLICY.max_attempts  # bounded
    assert transport.attempts[fine] == 1
    assert fake_time.monotonic() >= 2 + 4  # backoff 2 s, then 4 s, before the last attempt
    report = _report(engine, notice_id)
    assert (report.delivered, report.blocked, report.failed) == (2, 0, 1)
    assert report.failures == {"unavailable": 1}
    [failed] = [d for d in rows.deliveries(notice_id) if d.status == DeliveryStatus.FAILED]
    assert failed.error == "telegram:TimedOut"


async def test_400_is_recorded_as_failed_at_once(engine, add_residents, make_sender, transport, rows):
    refused, _ = add_residents(2)
    transport.fail(refused, RejectedMessage("telegram:400"), times=None)
    notice_id = start(engine)
    await make_sender().run()
    assert transport.attempts[refused] == 1
    assert _report(engine, notice_id).failures == {"refused": 1}
    assert rows.resident(refused).active is True


async def test_429_pauses_the_whole_sender_for_retry_after(engine, add_residents, make_sender, transport,
                                                          limiter, fake_time, rows):
    chats = add_residents(6)
    transport.fail(chats[2], RateLimited(5.0, "telegram:429"), times=1)
    notice_id = start(engine)

    stats = await make_sender(concurrency=1).run()

    assert stats.rate_limited == 1 and limiter.pauses == 1
    assert sorted(transport.new_messages_to(chats)) == sorted(chats)  # the 429'd one went again
    after_429 = [s.at for s in transport.sent if s.message.chat_id in chats[2:]]
    before_429 = max(s.at for s in transport.sent if s.message.chat_id in chats[:2])
    assert min(after_429) - before_429 >= 5.0  # nobody was sent to during retry_after
    # A 429 is not the delivery's fault: it does not use up an attempt.
    retried = next(d for d in rows.deliveries(notice_id) if d.chat_id == chats[2])
    assert retried.attempts == 1 and retried.status == DeliveryStatus.SENT


async def test_after_a_crash_nobody_is_skipped_and_only_the_in_flight_repeat(
        engine, add_residents, make_sender, transport, fake_time, rows):
    chats = add_residents(30)
    notice_id = start(engine)
    # A sender claimed a batch and died: its rows are left in `sending`, some perhaps sent.
    with session_scope(engine) as session:
        in_flight = claim_deliveries(session=session, notice_id=notice_id, now=fake_time.utc(), limit=7)
    assert len(in_flight) == 7
    already_sent = {item.chat_id for item in in_flight[:3]}  # these reached Telegram before the crash

    sender = make_sender()
    stats = await sender.run()

    assert stats.released == 7
    assert fake_time.utc() >= START + POLICY.lease  # released only once the lease ran out
    sent_to = transport.new_messages_to(chats)
    assert sorted(set(sent_to)) == sorted(chats)  # nobody skipped
    assert len(sent_to) == 30  # and each once in this run...
    repeated = already_sent & set(sent_to)
    assert repeated <= {item.chat_id for item in in_flight}  # ...so repeats are in-flight ones only
    assert rows.statuses(notice_id) == {DeliveryStatus.SENT: 30}
    assert rows.notice(notice_id).status == NoticeStatus.FINISHED


async def test_a_stopped_run_leaves_nothing_in_flight_and_the_next_run_finishes(
        engine, add_residents, make_sender, transport, rows):
    chats = add_residents(30)
    notice_id = start(engine)

    # Asked before each send: stops with a claim in hand and sends still in flight.
    await make_sender(batch_size=10).run(keep_going=lambda: len(transport.sent) < 5)

    statuses = rows.statuses(notice_id)
    assert DeliveryStatus.SENDING not in statuses
    assert 0 < statuses.get(DeliveryStatus.SENT, 0) < 30
    await make_sender().run()
    assert sorted(transport.new_messages_to(chats)) == sorted(chats)
    assert rows.notice(notice_id).status == NoticeStatus.FINISHED


async def test_progress_message_is_posted_once_edited_and_ends_with_the_report(
        engine, add_residents, make_sender, transport, fake_time, staff_member, rows):
    staff = staff_member()
    blocked, *others = add_residents(40)
    transport.fail(blocked, RecipientBlocked("telegram:403"), times=None)
    transport.on_send = lambda message: fake_time.advance(0.2)  # each send takes a while
    notice_id = start(engine, staff=staff)

    stats = await make_sender(progress_interval=3.0).run()

    to_staff = transport.to(staff.telegram_id)
    first, *edits = to_staff
    assert first.edit_message_id is None and f"#{notice_id}" in first.text
    assert [b.data for row in first.buttons for b in row] == [f"nt:stop:{notice_id}"]
    assert len(edits) >= 2 and stats.progress_edits == len(edits) - 1
    progress_id = rows.notice(notice_id).progress_message_id
    assert {e.edit_message_id for e in edits} == {progress_id}
    assert any("남음" in e.text for e in edits[:-1])
    final = edits[-1]
    assert final.buttons == ()  # the report: no [Stop] any more
    assert "전달됨 39명" in final.text and "차단 1명" in final.text
    assert rows.notice(notice_id).reported_at is not None


async def test_stopping_a_running_notice_cancels_what_is_not_sent(
        engine, add_residents, make_sender, transport, staff_member, rows):
    staff = staff_member()
    chats = add_residents(30)
    notice_id = start(engine, staff=staff)
    sent = []
    sender = make_sender(batch_size=10, concurrency=1)

    async def stop_after_ten(message):
        if message.chat_id in chats:
            sent.append(message.chat_id)
            if len(sent) == 10:  # staff press [Stop] (through the sender's turn at the database:
                # the in-memory test database has a single connection)
                await sender._db(cancel_notice, notice_id=notice_id, staff=staff, now=START)

    transport.on_send = stop_after_ten
    await sender.run()

    statuses = rows.statuses(notice_id)
    # The batch already claimed when [Stop] came still goes out (one batch: here 10), no more.
    assert statuses == {DeliveryStatus.SENT: 20, DeliveryStatus.CANCELLED: 10}
    assert len(sent) == 20
    notice = rows.notice(notice_id)
    assert notice.status == NoticeStatus.CANCELLED and notice.finished_at is not None
    assert "멈춤" in transport.to(staff.telegram_id)[-1].text


async def test_a_resident_who_left_meanwhile_is_not_sent_to(engine, add_residents, make_sender,
                                                            transport, rows):
    chats = add_residents(3)
    notice_id = start(engine)
    leaving = rows.resident(chats[0]).id
    with session_scope(engine) as session:  # /forget deletes the resident and their delivery
        forget_resident(session=session, resident_id=leaving, now=START)
    assert len(rows.deliveries(notice_id)) == 2
    await make_sender().run()
    assert sorted(transport.new_messages_to(chats)) == sorted(chats[1:])
    assert rows.notice(notice_id).status == NoticeStatus.FINISHED


async def test_scheduled_notices_wait_for_their_time(engine, add_residents, make_sender, transport,
                                                     fake_time):
    chats = add_residents(2)
    with session_scope(engine) as session:
        notice = create_notice(session=session, district="seocho", text="안내", now=START)
        schedule_notice(session=session, notice=notice, send_at=START + timedelta(minutes=30), now=START)
    await make_sender().run()
    assert transport.sent == []
    fake_time.advance(30 * 60)
    await make_sender().run()
    assert sorted(transport.new_messages_to(chats)) == sorted(chats)


def _report(engine, notice_id):
    with Session(engine) as session:
        return notice_report(session=session, notice_id=notice_id)
