"""Fault injection through the fake Bot API and the real `Application`: nothing anyone did is lost.

Telegram fails in the ways it does (429 with retry_after, 403 blocked, 400 chat not found, 5xx,
timeouts, connection resets) while the bot answers a resident, while a resident confirms a
request (answering the button press, sending the reply, alerting staff through the outbox), and
while the outbox delivers. After each: the booking row exists once; every outbox row ends sent,
stays pending for a retry, or is dropped only because its recipient is unreachable (and a
resident who is unreachable is marked inactive); a staff alert that could not be delivered is
visible in the outbox and the booking stays in the district's /queue.
"""

from __future__ import annotations

import logging
import random
from collections import defaultdict, deque
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select
from telegram import Bot

from bot.adapters.telegram_sending import TelegramTransport
from bot.sending.outbox import MAX_ATTEMPTS
from bot.sending.outbox_sender import backoff, drain_outbox
from bot.store.models import Booking, BookingStatus, OutboxMessage, OutboxStatus, Resident

from .conftest import TOKEN, ApiCall, FakeBotApi, Person, make_callback_update, make_message_update

STAFF = 900
MINA = 1
CONFIRM_MESSAGE = 555
TRANSIENT = ["server_error", "timeout", "reset"]
UNREACHABLE = ["blocked", "chat_not_found"]
FAULTS = ["rate_limited", *UNREACHABLE, *TRANSIENT]


class FaultyBotApi(FakeBotApi):
    """The adapter tests' fake Bot API, plus connection resets: the transport itself raises, as
    httpx does when the peer drops the connection (PTB wraps it in a NetworkError)."""

    def __init__(self) -> None:
        super().__init__()
        self._resets: dict[str, deque[bool]] = defaultdict(deque)
        self.injected = 0
        self.delivered = 0  # messages Telegram accepted (sent or edited)

    def fail(self, method: str, kind: str, *, times: int = 1, **details: Any) -> None:
        self.injected += times
        if kind == "reset":
            self._resets[method].extend([True] * times)
        else:
            super().fail(method, kind, times=times, **details)

    async def do_request(self, url: str, method: str, request_data=None, **timeouts: Any):
        api_method = url.rsplit("/", 1)[-1]
        if self._resets[api_method]:
            self._resets[api_method].popleft()
            self.calls.append(_call(api_method, request_data))
            raise ConnectionResetError(104, "Connection reset by peer")
        status, body = await super().do_request(url, method, request_data, **timeouts)
        if status == 200 and api_method in ("sendMessage", "editMessageText"):
            self.delivered += 1
        return status, body


def _call(api_method: str, request_data) -> ApiCall:
    return ApiCall(api_method, dict(request_data.parameters) if request_data is not None else {})


@pytest.fixture
def fake_api(figures) -> FaultyBotApi:
    api = FaultyBotApi()
    yield api
    figures.faults_injected += api.injected


def inject(api: FaultyBotApi, method: str, kind: str, *, times: int = 1, retry_after: int = 1) -> None:
    """The next `times` calls of `method` fail as `kind`. An unreachable chat fails once
    (nothing retries a 403: later calls are other messages, which would fail for real), and so
    does a 429 (PTB's limiter waits retry_after + 0.1 s in real time before trying again)."""
    once = kind in UNREACHABLE or kind == "rate_limited"
    api.fail(method, kind, times=1 if once else times, retry_after=retry_after)


@pytest.fixture
def mina_at_the_summary(person, staff_member) -> Person:
    staff_member("seocho", telegram_id=STAFF)
    mina = person("Mina", MINA)
    mina.onboard("seocho")
    mina.press("req:start:seocho.handyman")
    mina.press("bk:date:2025-03-05")
    mina.press("bk:time:morning")
    mina.say("010-1234-5678")
    mina.say("101동 202호")
    mina.press("bk:skip")
    return mina


def rows(engine, model) -> list:
    with Session(engine) as session:
        return list(session.exec(select(model).order_by(model.id)))


def resident_active(engine, user_id: int) -> bool:
    with Session(engine) as session:
        return session.exec(select(Resident).where(Resident.platform_user_id == user_id)).one().active


def outbox_for(engine, chat_id: int) -> list[OutboxMessage]:
    return [m for m in rows(engine, OutboxMessage) if m.chat_id == chat_id]


def lost(engine, *, bookings: int, staff_alerts: int) -> int:
    """Records that should exist and do not: missing bookings, staff alerts neither sent, nor
    pending, nor failed visibly (dropped alerts to staff who blocked the bot count as visible)."""
    missing = max(0, bookings - len(rows(engine, Booking)))
    alerts = [m for m in outbox_for(engine, STAFF) if m.status in set(OutboxStatus)]
    return missing + max(0, staff_alerts - len(alerts))


async def run_outbox_job(app) -> None:
    [job] = app.job_queue.get_jobs_by_name("outbox")
    await job.callback(type("Context", (), {"bot": app.bot, "job": job})())


def check_nothing_lost(engine, figures, **expected: int) -> None:
    missing = lost(engine, **expected)
    figures.records_lost += missing
    assert missing == 0


# --- while answering the person chatting ----------------------------------------------------


@pytest.mark.parametrize("fault", FAULTS)
async def test_a_failing_reply_loses_nothing_the_resident_typed(app, fake_api, engine, person, fault, figures):
    mina = person("Mina", MINA)
    mina.onboard("seocho")
    mina.press("req:start:seocho.handyman")
    mina.press("bk:date:2025-03-05")
    mina.press("bk:time:morning")
    inject(fake_api, "sendMessage", fault, times=3)
    await app.process_update(make_message_update("010-1234-5678", user_id=MINA, bot=app.bot))
    figures.inputs_tried += 1

    # Blocked or gone: marked unreachable, so the outbox stops writing to them.
    assert resident_active(engine, MINA) is (fault not in UNREACHABLE)
    # The phone was taken whatever happened to the answer: the next step is the address.
    await app.process_update(make_message_update("101동 202호", user_id=MINA, bot=app.bot))
    assert "bk:skip" in [b["callback_data"] for row in fake_api.calls[-1].params["reply_markup"]["inline_keyboard"]
                         for b in row]
    assert resident_active(engine, MINA) is True  # writing again makes them reachable again


@pytest.mark.parametrize("fault", FAULTS)
async def test_confirming_while_the_reply_fails_stores_the_request_once(app, fake_api, engine,
                                                                        mina_at_the_summary, fault, figures):
    inject(fake_api, "sendMessage", fault, times=3)
    press = make_callback_update("bk:ok", message_id=CONFIRM_MESSAGE, user_id=MINA, bot=app.bot)
    await app.process_update(press)
    figures.inputs_tried += 1

    [booking] = rows(engine, Booking)
    assert booking.request_key == f"{MINA}:{CONFIRM_MESSAGE}"
    [alert] = outbox_for(engine, STAFF)
    assert alert.status == OutboxStatus.PENDING and alert.resident_id is not None

    # No answer seen, so the resident presses again: "already sent", still one request.
    fake_api.calls.clear()
    await app.process_update(make_callback_update("bk:ok", message_id=CONFIRM_MESSAGE, user_id=MINA,
                                                  bot=app.bot))
    assert len(rows(engine, Booking)) == 1
    assert any(str(booking.id) in text for text in fake_api.sent_texts)

    await run_outbox_job(app)
    assert [m.status for m in outbox_for(engine, STAFF)] == [OutboxStatus.SENT]
    check_nothing_lost(engine, figures, bookings=1, staff_alerts=1)


@pytest.mark.parametrize("fault", FAULTS)
async def test_a_failing_button_answer_does_not_swallow_the_press(app, fake_api, engine, mina_at_the_summary,
                                                                  fault, figures):
    """answerCallbackQuery only stops the spinner; its failure must not cost the confirm."""
    inject(fake_api, "answerCallbackQuery", fault, times=4)
    await app.process_update(make_callback_update("bk:ok", message_id=CONFIRM_MESSAGE, user_id=MINA,
                                                  bot=app.bot))
    figures.inputs_tried += 1
    assert len(rows(engine, Booking)) == 1
    assert fake_api.called("sendMessage"), "the resident was not answered"
    check_nothing_lost(engine, figures, bookings=1, staff_alerts=1)


@pytest.mark.parametrize("fault", FAULTS)
async def test_a_staff_press_while_telegram_fails_is_kept_and_the_resident_told(
        app, fake_api, engine, mina_at_the_summary, fault, figures):
    mina_at_the_summary.press("bk:ok", message_id=CONFIRM_MESSAGE)
    [booking] = rows(engine, Booking)
    for method in ("answerCallbackQuery", "sendMessage"):
        inject(fake_api, method, fault, times=3)
    await app.process_update(make_callback_update(f"st:acc:{booking.id}", user_id=STAFF, bot=app.bot))
    figures.inputs_tried += 1

    assert rows(engine, Booking)[0].status == BookingStatus.ACCEPTED
    [told] = outbox_for(engine, MINA)
    assert told.status == OutboxStatus.PENDING
    fake_api.calls.clear()
    await run_outbox_job(app)
    assert [m.status for m in outbox_for(engine, MINA)] == [OutboxStatus.SENT]


# --- while the outbox delivers --------------------------------------------------------------


@pytest.fixture
async def bare_bot(fake_api):
    """A Bot without PTB's rate limiter, so a 429 reaches the outbox sender itself."""
    bot = Bot(TOKEN, request=fake_api)
    await bot.initialize()
    yield bot
    await bot.shutdown()


@pytest.mark.parametrize("fault", FAULTS)
async def test_a_staff_alert_that_cannot_be_delivered_stays_visible(engine, fake_api, bare_bot, clock,
                                                                   mina_at_the_summary, staff_member, fault,
                                                                   figures):
    mina_at_the_summary.press("bk:ok", message_id=CONFIRM_MESSAGE)
    inject(fake_api, "sendMessage", fault)
    stats = await drain_outbox(engine=engine, transport=TelegramTransport(bare_bot), clock=clock)
    [alert] = outbox_for(engine, STAFF)
    [booking] = rows(engine, Booking)

    if fault in UNREACHABLE:
        # The staff member blocked the bot: given up on, with the reason kept for operators;
        # the request itself waits in the district's queue.
        assert (stats.dropped, alert.status) == (1, OutboxStatus.DROPPED)
        assert alert.last_error.startswith("telegram:")
        queue = Person(mina_at_the_summary.conversation, STAFF, "Officer Kim").say("/queue")
        assert f"{booking.id}" in "\n".join(m.text for m in queue.messages)
    else:
        assert (stats.retried, alert.status) == (1, OutboxStatus.PENDING)
        wait = timedelta(seconds=1) if fault == "rate_limited" else backoff(1)
        assert alert.next_attempt_at == clock() + wait
        assert alert.text and alert.last_error.startswith("telegram:")
        clock.advance(seconds=wait.total_seconds())
        stats = await drain_outbox(engine=engine, transport=TelegramTransport(bare_bot), clock=clock)
        assert stats.sent == 1 and outbox_for(engine, STAFF)[0].status == OutboxStatus.SENT
    assert booking.status == BookingStatus.REQUESTED
    check_nothing_lost(engine, figures, bookings=1, staff_alerts=1)


async def test_an_alert_failing_every_time_ends_failed_and_says_so(engine, fake_api, bare_bot, clock,
                                                                   mina_at_the_summary, caplog, figures):
    mina_at_the_summary.press("bk:ok", message_id=CONFIRM_MESSAGE)
    kinds = TRANSIENT * MAX_ATTEMPTS
    for kind in kinds[:MAX_ATTEMPTS]:
        inject(fake_api, "sendMessage", kind)
    with caplog.at_level(logging.WARNING):
        for _ in range(MAX_ATTEMPTS):
            await drain_outbox(engine=engine, transport=TelegramTransport(bare_bot), clock=clock)
            clock.advance(minutes=16)
    [alert] = outbox_for(engine, STAFF)
    assert (alert.status, alert.attempts) == (OutboxStatus.FAILED, MAX_ATTEMPTS)
    assert f"outbox message {alert.id} failed after {MAX_ATTEMPTS} attempts" in caplog.text
    assert len(rows(engine, Booking)) == 1
    check_nothing_lost(engine, figures, bookings=1, staff_alerts=1)


@pytest.mark.parametrize("fault", FAULTS)
async def test_the_outbox_job_of_the_application_under_faults(app, fake_api, engine, clock,
                                                              mina_at_the_summary, fault, figures):
    """Through the application's own outbox job and bot: the news of an accepted request."""
    mina = mina_at_the_summary
    mina.press("bk:ok", message_id=CONFIRM_MESSAGE)
    await run_outbox_job(app)  # the alert reaches staff
    [booking] = rows(engine, Booking)
    Person(mina.conversation, STAFF, "Officer Kim").press(f"st:acc:{booking.id}")
    assert [m.status for m in outbox_for(engine, MINA)] == [OutboxStatus.PENDING]

    inject(fake_api, "sendMessage", fault)
    await run_outbox_job(app)
    [news] = outbox_for(engine, MINA)
    if fault in UNREACHABLE:
        assert news.status == OutboxStatus.DROPPED
        assert resident_active(engine, MINA) is False  # dropped only because Mina is unreachable
    else:
        # A 429 may be waited out by the bot's own limiter (sent now) or deferred by the outbox
        # for retry_after; anything else is retried after the back-off. Never dropped.
        assert news.status in (OutboxStatus.SENT, OutboxStatus.PENDING)
        clock.advance(seconds=backoff(1).total_seconds())
        await run_outbox_job(app)
        assert outbox_for(engine, MINA)[0].status == OutboxStatus.SENT
        assert resident_active(engine, MINA) is True
    check_nothing_lost(engine, figures, bookings=1, staff_alerts=1)


# --- everything failing now and then --------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
async def test_a_whole_request_under_random_faults_loses_nothing(app, fake_api, engine, clock, person,
                                                                 staff_member, seed, figures):
    """A third of all sendMessage and answerCallbackQuery calls fail, in any of the ways above.
    Mina does each step once, whatever she sees, and staff press [Accept] once: every update
    is still acted upon, and the outbox delivers both messages in the end."""
    chance = random.Random(seed)
    staff_member("seocho", telegram_id=STAFF)
    person("Mina", MINA).onboard("seocho")
    original = fake_api.do_request

    async def flaky(url, method, request_data=None, **timeouts):
        api_method = url.rsplit("/", 1)[-1]
        if api_method in ("sendMessage", "answerCallbackQuery") and chance.random() < 1 / 3:
            inject(fake_api, api_method, chance.choice(FAULTS), retry_after=0)
        return await original(url, method, request_data, **timeouts)

    fake_api.do_request = flaky
    steps = [("press", "req:start:seocho.handyman"), ("press", "bk:date:2025-03-05"),
             ("press", "bk:time:morning"), ("say", "010-1234-5678"), ("say", "101동 202호"),
             ("press", "bk:skip"), ("press", "bk:ok")]
    for kind, value in steps:
        await app.process_update(
            make_callback_update(value, message_id=CONFIRM_MESSAGE, user_id=MINA, bot=app.bot)
            if kind == "press" else make_message_update(value, user_id=MINA, bot=app.bot))
        figures.inputs_tried += 1
        clock.advance(seconds=3)  # not a flood
    [booking] = rows(engine, Booking)
    assert (booking.phone, booking.address_detail) == ("010-1234-5678", "101동 202호")
    await drain_until_done(app, clock)
    # Sent, or (a 403 drew for it) dropped with the reason kept: never silently gone.
    [alert] = outbox_for(engine, STAFF)
    assert alert.status == OutboxStatus.SENT or (alert.status, alert.last_error[:9]) == (
        OutboxStatus.DROPPED, "telegram:")

    await app.process_update(make_callback_update(f"st:acc:{booking.id}", user_id=STAFF, bot=app.bot))
    figures.inputs_tried += 1
    assert rows(engine, Booking)[0].status == BookingStatus.ACCEPTED
    await drain_until_done(app, clock)
    # Mina may have been marked unreachable by a 403 meanwhile: then her news is dropped, as
    # for anyone who blocked the bot; otherwise it is delivered.
    [news] = outbox_for(engine, MINA)
    assert news.status == (OutboxStatus.SENT if resident_active(engine, MINA) else OutboxStatus.DROPPED)
    check_nothing_lost(engine, figures, bookings=1, staff_alerts=1)


async def drain_until_done(app, clock, rounds: int = 12) -> None:
    for _ in range(rounds):
        await run_outbox_job(app)
        clock.advance(minutes=16)  # past any back-off
