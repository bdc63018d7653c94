"""Privacy: what is stored is shown (/privacy), erased on request (/forget) and after the
retention period, and never written to the logs.

The resident of these tests has a name, phones, addresses, a note, a crisis message, a declined
request with a reason and a request half-written; every table of the store is read to check
what the bot says against what it keeps.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, or_
from sqlmodel import Session, select

from bot.logs import PAYLOAD_LOGGERS, QUIET_LOGGERS, configure_logging
from bot.models import Booking, BookingEvent, BookingStatus, ConversationState, Resident
from bot.privacy import erase_expired_personal_fields
from bot.store import session_scope
from bot.telegram_app import build_application

from .conftest import (
    TOKEN,
    Person,
    make_callback_update,
    make_message_update,
    make_settings,
    rows_containing,
    snapshot,
    tables,
)

MINA = 7_654_321
STAFF = 900
NAME = "Seoyeon-QX"
PHONE_A, PHONE_B, PHONE_DRAFT = "010-3141-5926", "02-555-0199", "010-8888-7777"
ADDRESS_A, ADDRESS_B = "행복아파트 303동 1204호", "희망빌라 2층 QX"
NOTE_A = "무릎 수술 뒤로 혼자 못 걸어요 QX"
REASON_B = "이번 주는 인력이 없어요 QX"
SEARCH = "무릎이 아파서 병원에 같이 갈 사람이 필요해요"
CRISIS = "요즘 너무 외로워서 죽고 싶어요"
PERSONAL = [NAME, PHONE_A, PHONE_A.replace("-", ""), PHONE_B, PHONE_B.replace("-", ""), PHONE_DRAFT,
            PHONE_DRAFT.replace("-", ""), ADDRESS_A, ADDRESS_B, NOTE_A, REASON_B, CRISIS, str(MINA)]


def desk(mina: Person) -> Person:
    return Person(mina.conversation, STAFF, "Officer Kim")


@pytest.fixture
def mina(person, staff_member, engine) -> Person:
    """Mina's whole history: profile, an accepted request with a note, a declined one with a
    reason, a crisis message, and a third request stopped at the address step."""
    staff_member("seocho", telegram_id=STAFF)
    mina = person(NAME, MINA)
    mina.say("/start")
    for data in ("lang:ko", "dist:seocho", "consent:yes", "age:60s", "gender:female"):
        mina.press(data)
    mina.say(SEARCH)
    mina.book(phone=PHONE_A, address=ADDRESS_A, note=NOTE_A)
    mina.book(phone=PHONE_B, address=ADDRESS_B)
    accepted, declined = [b.id for b in all_rows(engine, Booking)]
    desk(mina).press(f"st:acc:{accepted}")
    desk(mina).press(f"st:dec:{declined}")
    desk(mina).say(REASON_B)
    mina.say(CRISIS)
    mina.press("req:start:seocho.handyman")
    mina.press("bk:date:2025-03-06")
    mina.press("bk:time:any")
    mina.say(PHONE_DRAFT)
    return mina


def all_rows(engine: Engine, model) -> list:
    with Session(engine) as session:
        return list(session.exec(select(model)))


def referencing(engine: Engine, resident: Resident) -> dict[str, list[dict]]:
    """Rows of every table that point at the resident: a foreign key to resident.id, or their
    Telegram user or chat id (conversation state, outbox), whatever the table."""
    found: dict[str, list[dict]] = {}
    with engine.connect() as connection:
        for table in tables():
            conditions = [column == resident.id for column in table.columns
                          if any(fk.column.table.name == "resident" for fk in column.foreign_keys)]
            if table.name == "resident":
                conditions.append(table.c.id == resident.id)
            for name in ("platform_user_id", "chat_id"):
                if name in table.c and table.name != "resident":
                    conditions.append(table.c[name] == resident.platform_user_id)
            if table.name == "booking_event":
                mine = select(Booking.id).where(Booking.resident_id == resident.id)
                conditions.append(table.c.booking_id.in_(mine))
            if not conditions:
                continue
            rows = [dict(row._mapping) for row in connection.execute(table.select().where(or_(*conditions)))]
            if rows:
                found[table.name] = rows
    return found


# Tables /privacy accounts for, and the free-text columns whose every value it must show.
SHOWN = {
    "resident": ["first_name"],
    "booking": ["phone", "address_detail", "note", "decline_reason"],
    "booking_event": ["detail"],
    "conversation_state": [],  # checked below: the fields of a request being written
    "outbox_message": [],  # counted ("notifications waiting to be sent"), not quoted
}


def test_privacy_shows_everything_stored_about_the_resident(mina, engine, figures):
    [resident] = [r for r in all_rows(engine, Resident) if r.platform_user_id == MINA]
    stored = referencing(engine, resident)
    reply = mina.say("/privacy")
    figures.inputs_tried += 1
    shown = "\n".join(m.text for m in reply.messages)

    assert set(stored) <= set(SHOWN), f"/privacy does not cover {sorted(set(stored) - set(SHOWN))}"
    missing = []
    for table, columns in SHOWN.items():
        for row in stored.get(table, []):
            missing += [f"{table}.{c} = {row[c]!r}" for c in columns if row.get(c) and str(row[c]) not in shown]
    for booking in stored["booking"]:
        if f"{booking['id']}" not in shown:
            missing.append(f"booking {booking['id']}")
    for state in stored.get("conversation_state", []):
        draft = state["data"] if isinstance(state["data"], dict) else {}
        missing += [f"the request being written: {key} = {draft[key]!r}" for key in ("phone", "address", "note")
                    if draft.get(key) and draft[key] not in shown]
    pending = [m for m in stored.get("outbox_message", []) if m["text"]]
    if pending and str(len(pending)) not in shown:
        missing.append(f"{len(pending)} messages waiting")
    for label in ("60대", "여성", "서초"):
        if label not in shown:
            missing.append(label)
    assert not missing, "/privacy leaves out:\n  " + "\n  ".join(missing)


def test_forget_erases_the_resident_from_every_table(mina, engine, figures):
    booking_count = len(all_rows(engine, Booking))
    mina.say("/forget")
    reply = mina.press("fg:yes")
    figures.inputs_tried += 2
    assert reply.messages

    leftovers = rows_containing(engine, PERSONAL)
    assert not leftovers, "after /forget:\n  " + "\n  ".join(leftovers)
    # What districts count stays, anonymous: the bookings, no longer anyone's.
    bookings = all_rows(engine, Booking)
    assert len(bookings) == booking_count and all(b.resident_id is None for b in bookings)
    assert not [r for r in all_rows(engine, Resident) if r.platform_user_id == MINA]
    assert all(b.status != BookingStatus.REQUESTED for b in bookings)  # open ones were cancelled
    # And the bot no longer knows her: /privacy says nothing is stored.
    assert "없어요" in mina.say("/privacy").messages[0].text


def test_a_second_forget_and_old_buttons_find_nothing_to_erase(mina, engine, figures):
    mina.say("/forget")
    mina.press("fg:yes")
    before = snapshot(engine)
    for action in (lambda: mina.say("/forget"), lambda: mina.press("fg:yes")):
        figures.inputs_tried += 1
        assert action().messages
    after = snapshot(engine)
    assert {name for name in before if before[name] != after[name]} <= {"conversation_state"}
    assert not rows_containing(engine, PERSONAL)


# --- retention ------------------------------------------------------------------------------


def _closed_bookings(engine: Engine) -> list[Booking]:
    return [b for b in all_rows(engine, Booking) if b.closed_at is not None]


def test_closed_bookings_lose_their_personal_fields_after_the_retention_period(mina, engine, clock, settings,
                                                                                figures):
    [accepted] = [b for b in all_rows(engine, Booking) if b.status == BookingStatus.ACCEPTED]
    clock.advance(days=10)  # closed ten days after the decline
    desk(mina).press(f"st:done:{accepted.id}")
    days = settings.booking_retention_days

    def erase_at(moment) -> int:
        with session_scope(engine) as session:
            return erase_expired_personal_fields(session=session, now=moment, retention_days=days)

    closed = _closed_bookings(engine)
    assert len(closed) == 2
    latest_close = max(b.closed_at for b in closed)
    earliest_close = min(b.closed_at for b in closed)
    assert erase_at(earliest_close + timedelta(days=days) - timedelta(seconds=1)) == 0
    assert all(b.phone for b in _closed_bookings(engine))  # not a second early
    assert erase_at(earliest_close + timedelta(days=days, seconds=1)) == 1  # the declined one
    [done] = [b for b in all_rows(engine, Booking) if b.status == BookingStatus.DONE]
    assert done.phone == PHONE_A  # closed ten days later: ten more days
    assert erase_at(latest_close + timedelta(days=days, seconds=1)) == 1
    for booking in _closed_bookings(engine):
        assert (booking.phone, booking.address_detail, booking.note, booking.decline_reason) == (None,) * 4
        assert booking.personal_data_erased_at is not None
    assert all(e.detail is None for e in all_rows(engine, BookingEvent))
    assert erase_at(latest_close + timedelta(days=days + 1)) == 0  # once is enough
    # Still counted, by program, district and status:
    assert {b.status for b in all_rows(engine, Booking)} == {BookingStatus.DONE, BookingStatus.DECLINED}
    figures.inputs_tried += 3


def test_an_open_booking_keeps_its_contact_details_however_old(mina, engine, settings):
    clock_far = max(b.created_at for b in all_rows(engine, Booking)) + timedelta(days=10 * 365)
    with session_scope(engine) as session:
        erase_expired_personal_fields(session=session, now=clock_far, retention_days=settings.booking_retention_days)
    [accepted] = [b for b in all_rows(engine, Booking) if b.status == BookingStatus.ACCEPTED]
    assert (accepted.phone, accepted.address_detail) == (PHONE_A, ADDRESS_A)


async def test_the_running_bot_erases_expired_fields_by_itself(app, mina, engine, clock, settings, figures):
    """The promise made at consent ("erased after N days") is kept by a job of the application,
    not only by a function nobody calls: the retention job erases closed bookings' details and
    forgets conversations (a request half-written) untouched for as long."""
    [outbox] = app.job_queue.get_jobs_by_name("outbox")
    await outbox.callback(type("Context", (), {"bot": app.bot, "job": outbox})())  # texts cleared once sent
    [job] = app.job_queue.get_jobs_by_name("retention")
    clock.advance(days=settings.booking_retention_days + 1)
    await job.callback(type("Context", (), {"bot": app.bot, "job": job})())
    [declined] = [b for b in all_rows(engine, Booking) if b.status == BookingStatus.DECLINED]
    assert (declined.phone, declined.address_detail, declined.decline_reason) == (None, None, None)
    drafts = [s for s in all_rows(engine, ConversationState) if s.platform_user_id == MINA]
    assert drafts == []
    assert not rows_containing(engine, [PHONE_B, ADDRESS_B, REASON_B, PHONE_DRAFT])
    [accepted] = [b for b in all_rows(engine, Booking) if b.status == BookingStatus.ACCEPTED]
    assert accepted.phone == PHONE_A  # open: staff still need it
    figures.inputs_tried += 1


# --- logs -----------------------------------------------------------------------------------


@pytest.fixture
def production_logging() -> Iterator[list[logging.LogRecord]]:
    """The bot's own logging set-up at DEBUG, and every log record created meanwhile, as it was
    created (before any handler's filter could redact it). Restores logging afterwards."""
    names = ["", *QUIET_LOGGERS, *PAYLOAD_LOGGERS, "apscheduler", "bot", "catalog", "sqlalchemy"]
    levels = {name: logging.getLogger(name).level for name in names}
    root = logging.getLogger()
    filters = {handler: list(handler.filters) for handler in root.handlers}
    factory = logging.getLogRecordFactory()
    created: list[tuple[logging.LogRecord, str, tuple]] = []

    def capture(*args, **kwargs) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        arguments = record.args if isinstance(record.args, tuple) else (record.args,)
        created.append((record, record.getMessage(), tuple(repr(a) for a in arguments or ())))
        return record

    configure_logging(make_settings(log_level="DEBUG"))
    root.setLevel(logging.DEBUG)
    logging.setLogRecordFactory(capture)
    try:
        yield created
    finally:
        logging.setLogRecordFactory(factory)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
        for handler, kept in filters.items():
            handler.filters[:] = kept


async def test_a_whole_scenario_logs_no_words_phone_address_or_token(production_logging, settings, conversation,
                                                                     fake_api, engine, clock, staff_member,
                                                                     no_reply_delays, caplog, figures):
    """Onboarding, a search, a crisis message, a request with phone, address and note (its
    confirm answered by an error quoting the token), staff accepting, the outbox, /privacy and
    /forget, all through the Telegram application, which is built after logging is set up (a
    bot logs its URL, token included, when it is built)."""
    caplog.set_level(logging.DEBUG)
    staff_member("seocho", telegram_id=STAFF)
    app = build_application(settings, conversation=conversation, engine=engine, request=fake_api, clock=clock)
    await app.initialize()
    [job] = app.job_queue.get_jobs_by_name("outbox")

    async def send(kind: str, value: str, user_id: int = MINA) -> None:
        figures.inputs_tried += 1
        clock.advance(seconds=3)  # a person's pace: the flood gate stays out of it
        if kind == "press":
            await app.process_update(make_callback_update(value, user_id=user_id, first_name=NAME, bot=app.bot))
        else:
            await app.process_update(make_message_update(value, user_id=user_id, first_name=NAME, bot=app.bot))

    for kind, value in [("say", "/start"), ("press", "lang:ko"), ("press", "dist:seocho"), ("press", "consent:yes"),
                        ("press", "age:60s"), ("press", "gender:female"), ("say", SEARCH), ("say", CRISIS),
                        ("press", "req:start:seocho.handyman"), ("press", "bk:date:2025-03-05"),
                        ("press", "bk:time:morning"), ("say", PHONE_A), ("say", ADDRESS_A), ("say", NOTE_A)]:
        await send(kind, value)
    fake_api.fail("sendMessage", "leaky_error")  # an error whose text quotes the URL and token
    figures.faults_injected += 1
    await send("press", "bk:ok")
    with Session(engine) as session:
        [booking] = session.exec(select(Booking)).all()
    await send("press", f"st:acc:{booking.id}", user_id=STAFF)
    await job.callback(type("Context", (), {"bot": app.bot, "job": job})())
    for kind, value in [("say", "/privacy"), ("say", "/forget"), ("press", "fg:yes")]:
        await send(kind, value)
    await app.shutdown()

    secrets = [TOKEN, TOKEN.split(":")[1], *PERSONAL[:-1], SEARCH]
    leaks = []
    records = production_logging + [(r, r.getMessage(), tuple(repr(a) for a in (r.args or ()))) for r in caplog.records]
    for record, message, arguments in records:
        extra = record.exc_text or (logging.Formatter().formatException(record.exc_info) if record.exc_info else "")
        for secret in secrets:
            if secret in message or any(secret in a for a in arguments) or secret in extra:
                leaks.append(f"{record.name} {record.levelname}: {secret!r} in {message[:120]!r}")
    assert production_logging, "nothing was captured: the capture is broken"
    assert any(r.name.startswith("bot") and r.levelno == logging.DEBUG for r, _, _ in production_logging)
    assert not leaks, "\n".join(leaks[:20])
