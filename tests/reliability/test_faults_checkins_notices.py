"""Fault injection while check-ins go out and while a notice is broadcast, through the real
`Application`'s own jobs on the fake Bot API of test_faults.py.

Telegram fails as it does (429 with retry_after, 403 blocked, 400 chat not found, 400 refused,
5xx, timeouts, connection resets) for one resident's message in the middle of a batch.

Check-ins are sent at most once (bot.checkins): a check-in that fails is not sent again, it
counts as not answered, the reminder is the second chance (none to someone who blocked the
bot), and the district's staff are alerted a window later, told when the check-in could not be
delivered. Notices are sent at least once (bot.notices.deliveries): a 429 or a transient error is tried
again, a 403 or "chat not found" is recorded blocked (the resident marked unreachable), a
refused message failed, and the staff member who sent the notice gets a final report with
those counts. Nobody else's message is held up or lost, and nobody gets a message twice.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from bot.core.texts import Texts
from bot.notices.deliveries import DEFAULT_POLICY
from bot.store.models import (
    CheckinDelivery,
    CheckinRound,
    CheckinRoundStatus,
    Delivery,
    DeliveryStatus,
    Notice,
    NoticeStatus,
    OutboxMessage,
    OutboxStatus,
    Resident,
)

from .conftest import Person
from .test_authorisation_checkins_notices import plan_checkins, write_notice
from .test_faults import FAULTS, TRANSIENT, UNREACHABLE, FaultyBotApi, run_outbox_job

STAFF = 900
RESIDENTS = [11, 12, 13, 14, 15]
TARGET = 13  # the resident whose message fails, in the middle of the batch


class TargetedBotApi(FaultyBotApi):
    """Faults aimed at one chat's next message, and a record of what Telegram accepted per chat."""

    def __init__(self) -> None:
        super().__init__()
        self._aimed: dict[int, list[tuple[str, int]]] = {}
        self.accepted: Counter[int] = Counter()  # chat id -> messages sent (not edits)

    def aim(self, chat_id: int, kind: str, *, times: int = 1, retry_after: int = 1) -> None:
        self._aimed.setdefault(chat_id, []).extend([(kind, retry_after)] * times)

    async def do_request(self, url: str, method: str, request_data=None, **timeouts):
        api_method = url.rsplit("/", 1)[-1]
        chat_id = request_data.parameters.get("chat_id") if request_data is not None else None
        if api_method in ("sendMessage", "sendPhoto") and self._aimed.get(chat_id):
            kind, retry_after = self._aimed[chat_id].pop(0)
            self.fail(api_method, kind, retry_after=retry_after)
        status, body = await super().do_request(url, method, request_data, **timeouts)
        if status == 200 and api_method in ("sendMessage", "sendPhoto"):
            self.accepted[chat_id] += 1
        return status, body


@pytest.fixture
def fake_api(figures) -> TargetedBotApi:
    api = TargetedBotApi()
    yield api
    figures.faults_injected += api.injected


@pytest.fixture
def district(person, staff_member) -> dict[int, Person]:
    staff_member("seocho", telegram_id=STAFF)
    people = {}
    for user_id in RESIDENTS:
        people[user_id] = person(f"Resident{user_id}", user_id)
        people[user_id].onboard("seocho")
    return people


def rows(engine, model) -> list:
    with Session(engine) as session:
        return list(session.exec(select(model).order_by(model.id)))


def active(engine, user_id: int) -> bool:
    with Session(engine) as session:
        return session.exec(select(Resident).where(Resident.platform_user_id == user_id)).one().active


def checkin_calls(api: TargetedBotApi, chat_id: int) -> int:
    """Messages with check-in answer buttons the bot tried to send to `chat_id` (failed included)."""
    count = 0
    for call in api.called("sendMessage"):
        markup = call.params.get("reply_markup") or {"inline_keyboard": []}
        data = [b.get("callback_data", "") for row in markup["inline_keyboard"] for b in row]
        if call.params["chat_id"] == chat_id and any(d.startswith("ci:ok:") for d in data):
            count += 1
    return count


# --- check-ins --------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", [*FAULTS, "bad_request"])
async def test_a_checkin_that_cannot_be_delivered_counts_as_unanswered_and_reaches_staff(
        app, fake_api, engine, clock, district, fault, figures):
    handlers = app.bot_data["chat_handlers"]
    for resident in district.values():
        plan_checkins(resident, at="1400")
    fake_api.aim(TARGET, fault)
    clock.advance(hours=4)  # 14:00 in Seoul: the check-ins go out
    await handlers.dispatch_checkins(None)
    figures.inputs_tried += len(RESIDENTS)

    by_chat = {r.resident_id: r for r in rows(engine, CheckinRound)}
    residents = {r.platform_user_id: r.id for r in rows(engine, Resident)}
    target = by_chat[residents[TARGET]]
    expected = CheckinDelivery.BLOCKED if fault in UNREACHABLE else CheckinDelivery.FAILED
    assert target.delivery == expected and target.status == CheckinRoundStatus.AWAITING
    assert active(engine, TARGET) is (fault not in UNREACHABLE)
    for user_id in RESIDENTS:  # the others were not held up
        if user_id != TARGET:
            assert by_chat[residents[user_id]].delivery == CheckinDelivery.DELIVERED

    # Two windows without an answer: a reminder (not to someone who blocked the bot), then staff.
    for _ in range(2):
        clock.advance(hours=2)
        await handlers.dispatch_checkins(None)
    await run_outbox_job(app)
    # At most once: one check-in per resident, and one reminder unless they blocked the bot.
    assert checkin_calls(fake_api, TARGET) == (1 if fault in UNREACHABLE else 2)
    assert all(checkin_calls(fake_api, user_id) == 2 for user_id in RESIDENTS if user_id != TARGET)

    target = [r for r in rows(engine, CheckinRound) if r.id == target.id][0]
    assert target.status == CheckinRoundStatus.ESCALATED
    alerts = [m for m in rows(engine, OutboxMessage) if m.chat_id == STAFF]
    assert len(alerts) == len(RESIDENTS) and all(m.status == OutboxStatus.SENT for m in alerts)
    to_staff = [c.params for c in fake_api.called("sendMessage") if c.params["chat_id"] == STAFF]
    assert [p for p in to_staff if f"ci:reached:{target.id}" in str(p.get("reply_markup"))]
    staff_saw = [p["text"] for p in to_staff]
    # Someone who blocked the bot: staff are told once that the bot cannot reach them (their
    # check-ins are set aside until they write again), so staff phone them instead.
    unreachable_note = Texts.load().get("ko", "checkins.staff_unreachable", name="", district="", when="", last="",
                                        phone="", history="").splitlines()[0].strip()
    assert sum(unreachable_note in text for text in staff_saw) == (1 if fault in UNREACHABLE else 0)
    lost = sum(1 for r in rows(engine, CheckinRound) if r.status != CheckinRoundStatus.ESCALATED)
    figures.records_lost += lost
    assert lost == 0


@pytest.mark.parametrize("seed", range(3))
async def test_checkins_under_random_faults_reach_everyone_once_or_reach_staff(app, fake_api, engine, clock,
                                                                              district, seed, figures):
    """A third of all check-in messages fail, in any way. Some residents answer [괜찮아요] if
    their message arrived. Every round ends answered or escalated to staff; no check-in twice."""
    chance = random.Random(seed)
    handlers = app.bot_data["chat_handlers"]
    for resident in district.values():
        plan_checkins(resident, at="1400")
    for user_id in RESIDENTS:
        for _ in range(2):  # the check-in and the reminder
            if chance.random() < 1 / 3:
                fake_api.aim(user_id, chance.choice(FAULTS), retry_after=0)
    answering = {user_id for user_id in RESIDENTS if chance.random() < 0.5}
    clock.advance(hours=4)
    await handlers.dispatch_checkins(None)
    delivered = {r.resident_id: r for r in rows(engine, CheckinRound)}
    residents = {r.platform_user_id: r.id for r in rows(engine, Resident)}
    for user_id in answering:
        rnd = delivered[residents[user_id]]
        if rnd.delivery == CheckinDelivery.DELIVERED:
            district[user_id].press(f"ci:ok:{rnd.id}")
    figures.inputs_tried += len(RESIDENTS)
    for _ in range(2):
        clock.advance(hours=2)
        await handlers.dispatch_checkins(None)
    for _ in range(6):
        await run_outbox_job(app)
        clock.advance(minutes=16)

    final = rows(engine, CheckinRound)
    assert len(final) == len(RESIDENTS)
    alerts = {m.resident_id: m for m in rows(engine, OutboxMessage) if m.chat_id == STAFF}
    lost = 0
    for rnd in final:
        if rnd.status == CheckinRoundStatus.ANSWERED:
            continue
        # Unanswered: escalated, and the staff alert sent (or visibly given up on).
        if rnd.status != CheckinRoundStatus.ESCALATED or rnd.resident_id not in alerts:
            lost += 1
    figures.records_lost += lost
    assert lost == 0
    for user_id in RESIDENTS:
        assert checkin_calls(fake_api, user_id) <= 2  # the check-in and at most one reminder


# --- notices ----------------------------------------------------------------------------------


def advancing_sleep(clock):
    """The notice sender's sleep: moves the test's clock instead of waiting."""

    async def sleep(seconds: float) -> None:
        clock.advance(seconds=max(seconds, 0.01))
        await asyncio.sleep(0)

    return sleep


async def broadcast(app, clock, desk: Person, text: str = "단수 안내: 내일 오전 9시부터 12시까지") -> Notice:
    number = write_notice(desk, text)
    handlers = app.bot_data["chat_handlers"]
    handlers.notice_sender.sleep = advancing_sleep(clock)
    await asyncio.wait_for(handlers.send_notices(), timeout=60)
    with Session(handlers.engine) as session:
        return session.get(Notice, number)


def report_to_staff(api: TargetedBotApi) -> str:
    texts = [c.params["text"] for c in api.calls
             if c.method in ("sendMessage", "editMessageText") and c.params.get("chat_id") == STAFF]
    return texts[-1]


@pytest.mark.parametrize("fault", [*FAULTS, "bad_request"])
async def test_a_notice_broadcast_under_a_fault_reaches_everyone_else_and_reports_the_rest(
        app, fake_api, engine, clock, district, fault, figures):
    desk = Person(district[RESIDENTS[0]].conversation, STAFF, "Officer Kim")
    fake_api.aim(TARGET, fault)
    notice = await broadcast(app, clock, desk)
    figures.inputs_tried += len(RESIDENTS)

    deliveries = {d.chat_id: d for d in rows(engine, Delivery)}
    assert sorted(deliveries) == RESIDENTS and notice.recipients == len(RESIDENTS)
    assert notice.status == NoticeStatus.FINISHED and notice.reported_at is not None
    texts = Texts.load()
    report = report_to_staff(fake_api)
    if fault in UNREACHABLE:
        assert deliveries[TARGET].status == DeliveryStatus.BLOCKED and not active(engine, TARGET)
        assert (notice.delivered, notice.blocked, notice.failed) == (len(RESIDENTS) - 1, 1, 0)
        assert texts.get("ko", "notice.report_blocked", count=1) in report
    elif fault == "bad_request":
        assert deliveries[TARGET].status == DeliveryStatus.FAILED
        assert (notice.delivered, notice.blocked, notice.failed) == (len(RESIDENTS) - 1, 0, 1)
        assert texts.get("ko", "notice.report_failed", count=1) in report
        assert texts.get("ko", "notice.why_refused", count=1) in report
    else:  # tried again: delivered in the end
        assert deliveries[TARGET].status == DeliveryStatus.SENT
        assert (notice.delivered, notice.blocked, notice.failed) == (len(RESIDENTS), 0, 0)
        assert texts.get("ko", "notice.report_delivered", count=len(RESIDENTS)) in report
    # At least once, and here exactly once: no resident got the notice twice.
    assert all(fake_api.accepted[user_id] <= 1 for user_id in RESIDENTS), fake_api.accepted
    missing = sum(1 for d in deliveries.values()
                  if d.status not in (DeliveryStatus.SENT, DeliveryStatus.BLOCKED, DeliveryStatus.FAILED))
    figures.records_lost += missing
    assert missing == 0


@pytest.mark.parametrize("fault", TRANSIENT)
async def test_a_chat_failing_every_attempt_ends_failed_and_the_staff_member_is_told_why(
        app, fake_api, engine, clock, district, fault, figures):
    desk = Person(district[RESIDENTS[0]].conversation, STAFF, "Officer Kim")
    fake_api.aim(TARGET, fault, times=DEFAULT_POLICY.max_attempts)
    notice = await broadcast(app, clock, desk)
    figures.inputs_tried += len(RESIDENTS)
    [target] = [d for d in rows(engine, Delivery) if d.chat_id == TARGET]
    assert (target.status, target.attempts) == (DeliveryStatus.FAILED, DEFAULT_POLICY.max_attempts)
    assert (notice.delivered, notice.failed) == (len(RESIDENTS) - 1, 1)
    texts = Texts.load()
    report = report_to_staff(fake_api)
    assert texts.get("ko", "notice.report_failed", count=1) in report
    assert texts.get("ko", "notice.why_unavailable", count=1) in report
    assert active(engine, TARGET)  # a failing Telegram is not the resident blocking the bot


@pytest.mark.parametrize("seed", range(3))
async def test_a_notice_under_random_faults_ends_with_every_recipient_accounted_for(
        app, fake_api, engine, clock, district, seed, figures):
    chance = random.Random(seed)
    desk = Person(district[RESIDENTS[0]].conversation, STAFF, "Officer Kim")
    for user_id in RESIDENTS:
        for _ in range(chance.randint(0, 3)):
            fake_api.aim(user_id, chance.choice(FAULTS), retry_after=0)
    notice = await broadcast(app, clock, desk)
    figures.inputs_tried += len(RESIDENTS)
    deliveries = rows(engine, Delivery)
    assert notice.status == NoticeStatus.FINISHED
    ended = Counter(d.status for d in deliveries)
    assert ended[DeliveryStatus.SENT] == notice.delivered
    assert ended[DeliveryStatus.BLOCKED] == notice.blocked
    assert ended[DeliveryStatus.FAILED] == notice.failed
    missing = len(RESIDENTS) - (notice.delivered + notice.blocked + notice.failed)
    figures.records_lost += missing
    assert missing == 0
    assert all(fake_api.accepted[user_id] <= 1 for user_id in RESIDENTS)
    report = report_to_staff(fake_api)
    assert Texts.load().get("ko", "notice.report_delivered", count=notice.delivered) in report
    assert clock() - notice.started_at < timedelta(hours=1)
