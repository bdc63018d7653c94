"""Privacy: what is stored is shown (/privacy), erased on request (/forget) and after the
retention period, and never written to the logs.

The resident of these tests has a name, phones, addresses, notes, a crisis message, a declined
request with a reason, a request delivered by a provider (a photo, a rating with a comment),
check-ins answered and missed, trusted contacts both ways, a notice received and a request
half-written; every table of the store is read to check what the bot says against what it keeps.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, or_
from sqlmodel import Session, select

from bot.adapters.telegram import build_application
from bot.checkins.dispatch import SendResult, dispatch_due
from bot.core.logs import PAYLOAD_LOGGERS, QUIET_LOGGERS, configure_logging
from bot.core.messages import Incoming, InputKind
from bot.notices.sender import NoticeSender
from bot.people.privacy import erase_expired_personal_fields
from bot.people.providers import add_member
from bot.sending.send_rate import SendRateLimiter
from bot.store.db import session_scope
from bot.store.models import (
    Booking,
    BookingEvent,
    BookingPhoto,
    BookingStatus,
    CheckinAlert,
    CheckinContact,
    CheckinRound,
    ContactStatus,
    ConversationState,
    Job,
    JobStatus,
    Resident,
)

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

MINA, JUN, HANA, STAFF, MEMBER = 7_654_321, 7_654_322, 7_654_323, 900, 601
NAME = "Seoyeon-QX"
PHONE_A, PHONE_B, PHONE_C, PHONE_DRAFT = "010-3141-5926", "02-555-0199", "010-2718-2818", "010-8888-7777"
ADDRESS_A, ADDRESS_B, ADDRESS_C = "행복아파트 303동 1204호", "희망빌라 2층 QX", "한강대로 1길 2, 301호 QX"
NOTE_A, NOTE_C = "무릎 수술 뒤로 혼자 못 걸어요 QX", "욕실 문이 안 닫혀요 QX"
REASON_B = "이번 주는 인력이 없어요 QX"
PHOTO = "AgACAgQX-photo-of-the-bathroom"
COMMENT = "고쳐 주셔서 고마워요, 303동 경비실에 맡겨 주세요 QX"
CHECKIN_WORDS = "오늘은 허리가 좀 아파요 QX"
SEARCH = "무릎이 아파서 병원에 같이 갈 사람이 필요해요"
CRISIS = "요즘 너무 외로워서 죽고 싶어요"
# No provider delivers PROGRAM in Yongsan (staff do); REPAIR is given to PROVIDER.
PROGRAM, REPAIR, PROVIDER = "seoul.sos.short-stay", "seoul.sos.home-repair", "yongsan.the-plant-coop"
PERSONAL = [NAME, PHONE_A, PHONE_A.replace("-", ""), PHONE_B, PHONE_B.replace("-", ""), PHONE_C,
            PHONE_C.replace("-", ""), PHONE_DRAFT, PHONE_DRAFT.replace("-", ""), ADDRESS_A, ADDRESS_B, ADDRESS_C,
            NOTE_A, NOTE_C, REASON_B, PHOTO, COMMENT, CHECKIN_WORDS, CRISIS, str(MINA)]
_CODE = re.compile(r"\b[A-HJ-NP-Z2-9]{6}\b")


def desk(mina: Person) -> Person:
    return Person(mina.conversation, STAFF, "Officer Kim")


class _Delivered:
    """The check-in dispatcher's messenger: every message reaches its person."""

    def __init__(self):
        self.messages = []

    def __call__(self, message) -> SendResult:
        self.messages.append(message)
        return SendResult.DELIVERED


class _NoticeMessenger:
    """The notice sender's messenger: every notice reaches its person."""

    def __init__(self):
        self.chats: list[int] = []
        self._ids = itertools.count(800)

    async def send(self, message) -> int:
        self.chats.append(message.chat_id)
        return message.edit_message_id or next(self._ids)


def _dispatch(engine: Engine, clock, **delta) -> dict[int, int]:
    """Move the clock, run the check-in dispatcher once; {resident id: round id} of the check-ins sent."""
    clock.advance(**delta)
    sent = _Delivered()
    asyncio.run(dispatch_due(engine=engine, now=clock(), send=sent))
    return {m.resident_id: m.round_id for m in sent.messages if m.round_id is not None}


def _code_of(someone: Person) -> str:
    return _CODE.search(" ".join(m.text for m in someone.press("ck:code").messages)).group(0)


def _onboard(someone: Person, age: str = "age:skip", gender: str = "gender:skip") -> None:
    someone.say("/start")
    for data in ("lang:ko", "dist:yongsan", "consent:yes", age, gender):
        someone.press(data)


@pytest.fixture
def mina(person, staff_member, engine, catalog, clock) -> Person:
    """Mina's whole history, in Yongsan: profile, an accepted request with a note, a declined one
    with a reason, a crisis message, a home repair delivered by a provider (with a photo, her
    consent to share her contact details, her confirmation, rating and comment), daily check-ins
    (one answered with a button, one in words, one missed, escalated to staff and to Hana and
    settled by her next press), Hana as her trusted contact and she as Jun's (alerted when he
    missed one), a notice delivered to her, and a fourth request stopped at the address step."""
    staff_member("yongsan", telegram_id=STAFF)
    with session_scope(engine) as session:
        add_member(session=session, catalog=catalog, telegram_id=MEMBER, provider_id=PROVIDER, name="Lee",
                   now=clock())
    mina, jun, hana = person(NAME, MINA), person("Junho", JUN), person("Hana", HANA)
    member = person("Lee", MEMBER)
    _onboard(mina, "age:60s", "gender:female")
    _onboard(jun)
    _onboard(hana)
    office = desk(mina)
    mina.say(SEARCH)
    mina.book(program_id=PROGRAM, phone=PHONE_A, address=ADDRESS_A, note=NOTE_A)
    mina.book(program_id=PROGRAM, phone=PHONE_B, address=ADDRESS_B)
    accepted, declined = [b.id for b in all_rows(engine, Booking)]
    office.press(f"st:acc:{accepted}")
    office.press(f"st:dec:{declined}")
    office.say(REASON_B)
    mina.say(CRISIS)

    # A home repair: a photo while writing, contact details shared, delivered, confirmed, rated.
    mina.press(f"req:start:{REPAIR}")
    mina.press("bk:date:2025-03-05")
    mina.conversation.handle(Incoming(user_id=MINA, chat_id=MINA, first_name=NAME, kind=InputKind.PHOTO,
                                      text="", message_id=None, photo=PHOTO))
    mina.press("bk:time:morning")
    mina.say(PHONE_C)
    mina.say(ADDRESS_C)
    mina.say(NOTE_C)
    mina.press("bk:share:yes")
    mina.press("bk:ok")
    repair = max(b.id for b in all_rows(engine, Booking))
    office.press(f"st:acc:{repair}")
    office.press(f"st:asg:{repair}.{PROVIDER}")
    [job] = [j.id for j in all_rows(engine, Job)]
    member.press(f"pv:take:{job}")
    member.press(f"pv:done:{job}")
    for typed in ("2", "0", "15000", "40000"):
        member.say(typed)
    member.press("pv:ok")
    mina.press(f"jb:yes:{job}")
    mina.press(f"jb:rate:{job}.5")
    mina.say(COMMENT)

    # Daily check-ins at 14:00 (10:00 now), and trusted contacts: Hana is Mina's, Mina is Jun's.
    for someone in (mina, jun):
        someone.say("/checkin")
        someone.press("ck:days:daily")
        someone.press("ck:time:1400")

    # Trusted contacts: Hana is Mina's, Mina is Jun's.
    for asker, contact in ((mina, hana), (jun, mina)):
        code = _code_of(contact)
        asker.press("ck:invite")
        asker.say(code)
        [invitation] = [c.id for c in all_rows(engine, CheckinContact) if c.status == ContactStatus.PENDING]
        contact.press(f"ci:cyes:{invitation}")
    # The check-ins: answered, missed by Jun (Mina alerted), answered in words, missed.
    ids = {r.platform_user_id: r.id for r in all_rows(engine, Resident)}
    first = _dispatch(engine, clock, hours=4)
    mina.press(f"ci:ok:{first[ids[MINA]]}")
    _dispatch(engine, clock, hours=2)  # Jun reminded
    _dispatch(engine, clock, hours=2)  # Jun escalated: staff and Mina alerted
    second = _dispatch(engine, clock, hours=20)
    mina.say(CHECKIN_WORDS)
    jun.press(f"ci:ok:{second[ids[JUN]]}")
    _dispatch(engine, clock, hours=24)
    _dispatch(engine, clock, hours=2)  # Mina reminded
    _dispatch(engine, clock, hours=2)  # Mina escalated: staff and Hana alerted

    # A notice from the district, delivered to the three residents.
    for step in ("/notice", "단수 안내: 내일 오전 9시부터 QX"):
        office.say(step)
    for data in ("nt:nolink", "nt:aud:all", "nt:send"):
        office.press(data)
    messenger = _NoticeMessenger()
    sender = NoticeSender(engine=engine, transport=messenger, limiter=SendRateLimiter(1_000_000, per_chat_interval=0),
                          clock=clock)
    asyncio.run(sender.run())
    assert MINA in messenger.chats

    mina.press(f"req:start:{PROGRAM}")  # also a sign of life: the missed check-in is settled
    mina.press("bk:date:2025-03-06")
    mina.press("bk:time:any")
    mina.say(PHONE_DRAFT)

    # The scenario did what it says.
    mine = [r for r in all_rows(engine, CheckinRound) if r.resident_id == ids[MINA]]
    assert [(r.answer, r.alerted_at is not None) for r in mine] == [("ok", False), ("text", False), ("text", True)]
    assert {(a.recipient, a.chat_id) for a in all_rows(engine, CheckinAlert) if a.round_id == mine[-1].id} == {
        ("staff", STAFF), ("contact", HANA)}
    assert any(a.chat_id == MINA and a.kind == "missed" for a in all_rows(engine, CheckinAlert))
    assert [(j.status, j.confirmed, j.rating, j.rating_comment) for j in all_rows(engine, Job)] == [
        (JobStatus.DONE, True, 5, COMMENT)]
    assert [p.file_id for p in all_rows(engine, BookingPhoto)] == [PHOTO]
    return mina


def all_rows(engine: Engine, model) -> list:
    with Session(engine) as session:
        return list(session.exec(select(model)))


def referencing(engine: Engine, resident: Resident) -> dict[str, list[dict]]:
    """Rows of every table that point at the resident: a foreign key to resident.id, their
    Telegram user or chat id (conversation state, outbox, alerts), or one of her bookings or
    check-ins, whatever the table."""
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
            if "booking_id" in table.c:  # history, jobs, photos: through her bookings
                mine = select(Booking.id).where(Booking.resident_id == resident.id)
                conditions.append(table.c.booking_id.in_(mine))
            if "round_id" in table.c:  # who was alerted about her check-ins
                mine = select(CheckinRound.id).where(CheckinRound.resident_id == resident.id)
                conditions.append(table.c.round_id.in_(mine))
            if not conditions:
                continue
            rows = [dict(row._mapping) for row in connection.execute(table.select().where(or_(*conditions)))]
            if rows:
                found[table.name] = rows
    return found


# Tables /privacy accounts for, and the free-text columns whose every value it must show.
# The others are shown or counted as checked in the test below.
SHOWN = {
    "resident": ["first_name"],
    "booking": ["phone", "address_detail", "note", "decline_reason"],
    "booking_event": ["detail"],  # of FREE_TEXT_ACTIONS: job steps' details are ids and figures
    "booking_photo": [],  # counted per request ("📷 사진 1장"): a file id means nothing to a person
    "job": ["rating_comment"],  # with her rating; amounts and times are the provider's claim
    "conversation_state": [],  # the fields of a request being written
    "outbox_message": [],  # counted ("notifications waiting to be sent"), not quoted
    "checkin_plan": [],  # its days and time
    "checkin_round": [],  # counted, each with its time and answer
    "checkin_contact": [],  # the other person's first name, both ways
    "checkin_alert": [],  # counted: alerts about her check-ins, and to her as a contact
    "notice_delivery": [],  # counted
}
# History entries whose detail is words someone wrote about her request: a decline reason (no
# action), a provider's refusal, staff's reason to go over the yearly cap.
FREE_TEXT_ACTIONS = {None, "refuse", "override"}


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
            if table == "booking_event" and row["action"] not in FREE_TEXT_ACTIONS:
                continue
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
    photos = len(stored["booking_photo"])
    rounds = len(stored["checkin_round"])
    about_her = [a for a in stored["checkin_alert"] if a["contact_resident_id"] != resident.id]
    to_her = [a for a in stored["checkin_alert"] if a["contact_resident_id"] == resident.id]
    others = {c["contact_resident_id"] if c["resident_id"] == resident.id else c["resident_id"]
              for c in stored["checkin_contact"]}
    names = [r.first_name for r in all_rows(engine, Resident) if r.id in others]
    expected = [f"사진 {photos}장", "★★★★★", "매일 14:00", f"최근 안부 {rounds}번", "괜찮아요", "메시지로 답함",
                f"받은 구청 알림: {len(stored['notice_delivery'])}건",
                f"담당자·연락처에게 보낸 알림: {len(about_her)}건",
                f"연락처로서 받은 안부 알림: {len(to_her)}건", *names, "60대", "여성", "용산"]
    missing += [label for label in expected if label not in shown]
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
    assert len(closed) == 3
    latest_close = max(b.closed_at for b in closed)
    earliest_close = min(b.closed_at for b in closed)
    assert erase_at(earliest_close + timedelta(days=days) - timedelta(seconds=1)) == 0
    assert all(b.phone for b in _closed_bookings(engine))  # not a second early
    assert erase_at(earliest_close + timedelta(days=days, seconds=1)) == 2  # the declined one, the repair
    [done] = [b for b in all_rows(engine, Booking) if b.status == BookingStatus.DONE and b.phone]
    assert done.phone == PHONE_A  # closed ten days later: ten more days
    # The repair's photo and comment went with it; its rating and amounts stay, for the counts.
    assert all_rows(engine, BookingPhoto) == []
    assert [(j.rating, j.rating_comment, j.service_krw) for j in all_rows(engine, Job)] == [(5, None, 40000)]
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


def leaked(secrets: list[str], captured: list[tuple], records: list[logging.LogRecord]) -> list[str]:
    """Where any of `secrets` shows in a log record: its message, its arguments or its traceback.
    `captured` comes from `production_logging`, `records` from pytest's caplog."""
    leaks = []
    every = captured + [(r, r.getMessage(), tuple(repr(a) for a in (r.args or ()))) for r in records]
    for record, message, arguments in every:
        extra = record.exc_text or (logging.Formatter().formatException(record.exc_info) if record.exc_info else "")
        for secret in secrets:
            if secret in message or any(secret in a for a in arguments) or secret in extra:
                leaks.append(f"{record.name} {record.levelname}: {secret!r} in {message[:120]!r}")
    return leaks


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
    leaks = leaked(secrets, production_logging, caplog.records)
    assert production_logging, "nothing was captured: the capture is broken"
    assert any(r.name.startswith("bot") and r.levelno == logging.DEBUG for r, _, _ in production_logging)
    assert not leaks, "\n".join(leaks[:20])
