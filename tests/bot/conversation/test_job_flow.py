"""A request delivered by a provider, through the conversation: the resident asks (with a photo
and consent to share contact details), staff accept and give it to a provider, a member refuses,
another provider takes it, sets the visit, records what was delivered; the resident confirms and
rates. Forged presses and /forget on the way."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from bot.core.messages import InputKind
from bot.people.providers import add_member
from bot.store.db import session_scope
from bot.store.models import BookingEvent, BookingPhoto, Job, JobStatus

from .conftest import text

PROGRAM = "seoul.sos.home-repair"
FIRST, SECOND = "yongsan.deobureo-hamkke-architecture", "yongsan.the-plant-coop"
PHONE = "010-2222-3333"
ADDRESS = "한강대로 1길 2, 301호"


@pytest.fixture
def add_provider_member(engine, catalog, clock):
    def add(provider_id: str, telegram_id: int) -> int:
        with session_scope(engine) as session:
            add_member(session=session, catalog=catalog, telegram_id=telegram_id, provider_id=provider_id,
                       name="Member", now=clock())
        return telegram_id
    return add


@pytest.fixture
def loop(person, add_staff_member, add_provider_member, clock):
    resident = person("Mina", user_id=501)
    resident.onboard(district="yongsan")
    staff = person("Officer", user_id=add_staff_member(district="yongsan"))
    first = person("First", user_id=add_provider_member(FIRST, 601))
    second = person("Second", user_id=add_provider_member(SECOND, 602))
    return resident, staff, first, second


def _request_with_photo(resident, share: str = "yes"):
    resident.press(f"req:start:{PROGRAM}")
    resident.press("bk:date:2025-03-05")
    resident.send(InputKind.PHOTO, "")  # no file id: refused politely, nothing kept
    reply = resident.conversation.handle(_photo(resident, "AgACAgFILE-1"))
    assert "1/5" in text(reply)
    resident.press("bk:time:morning")
    resident.say(PHONE)
    resident.say(ADDRESS)
    resident.say("문이 안 닫혀요")
    reply = resident.press(f"bk:share:{share}")
    assert "사진: 1장" in text(reply)
    return resident.press("bk:ok")


def _photo(person, file_id: str):
    from bot.core.messages import Incoming

    return Incoming(user_id=person.user_id, chat_id=person.user_id, first_name=person.first_name,
                    kind=InputKind.PHOTO, text="", message_id=None, photo=file_id)


def _outbox_to(db, chat_id):
    return [m for m in db.outbox(chat_id)]


def _job(engine) -> Job:
    with Session(engine) as session:
        return session.exec(select(Job).order_by(Job.id.desc())).first()


def test_the_whole_loop(loop, db, engine, clock):
    resident, staff, first, second = loop
    _request_with_photo(resident)
    booking = db.bookings()[0]
    assert booking.share_contact is True
    to_staff = _outbox_to(db, staff.user_id)
    assert any(m.photo == "AgACAgFILE-1" for m in to_staff)  # the photo reached staff
    alert = next(m for m in to_staff if m.buttons)
    assert "올해 사용: 0 / 1,580,000원 (0%)" in alert.text

    reply = staff.press(f"st:acc:{booking.id}")
    offered = [b.data for row in reply.messages[-1].buttons for b in row]
    assert f"st:asg:{booking.id}.{FIRST}" in offered and f"st:asg:{booking.id}.{SECOND}" in offered

    staff.press(f"st:asg:{booking.id}.{FIRST}")
    job = _job(engine)
    assert (job.provider_id, job.status) == (FIRST, JobStatus.OFFERED)
    card = next(m for m in _outbox_to(db, first.user_id) if m.buttons)
    assert PHONE.replace("-", "") in card.text.replace("-", "") and ADDRESS in card.text
    assert any(m.photo == "AgACAgFILE-1" for m in _outbox_to(db, first.user_id))
    assert not _outbox_to(db, second.user_id)  # only the assigned provider hears of it

    # The other provider cannot take it, nor can the resident or staff.
    for outsider in (second, resident, staff):
        before = db.snapshot(), _job(engine).status
        reply = outsider.press(f"pv:take:{job.id}")
        assert (db.snapshot(), _job(engine).status) == before
        assert reply.messages

    first.press(f"pv:ref:{job.id}")
    first.say("이번 주는 일정이 꽉 찼어요")
    assert _job(engine).status == JobStatus.REFUSED
    reassign = [m for m in _outbox_to(db, staff.user_id) if "일정이 꽉 찼어요" in m.text]
    assert reassign and any(b["data"] == f"st:asg:{booking.id}.{SECOND}" for row in reassign[0].buttons for b in row)

    staff.press(f"st:asg:{booking.id}.{SECOND}")
    job = _job(engine)
    reply = second.press(f"pv:take:{job.id}")
    assert "맡았어요" in text(reply)
    second.press(f"pv:vis:{job.id}")
    second.press("pv:day:2025-03-05")
    reply = second.press("pv:hr:14")
    assert _job(engine).status == JobStatus.SCHEDULED
    told = [m.text for m in _outbox_to(db, resident.user_id)]
    assert any("14:00" in t and "방문해요" in t for t in told)

    second.press(f"pv:done:{job.id}")
    second.say("1.5")
    second.say("0")
    second.say("15,000원")
    reply = second.say("40000")
    assert "합계: 55,000원" in text(reply)
    second.press("pv:ok")
    job = _job(engine)
    assert (job.status, job.minutes, job.meals, job.materials_krw, job.service_krw) == (
        JobStatus.DONE, 90, 0, 15000, 40000)
    assert db.booking(booking.id).status == "done"

    ask = next(m for m in _outbox_to(db, resident.user_id) if m.buttons)
    assert [b["data"] for b in ask.buttons[0]] == [f"jb:yes:{job.id}", f"jb:no:{job.id}"]
    resident.press(f"jb:yes:{job.id}")
    resident.press(f"jb:rate:{job.id}.4")
    resident.say("친절하셨어요")
    job = _job(engine)
    assert (job.confirmed, job.rating, job.rating_comment) == (True, 4, "친절하셨어요")
    assert any("★★★★" in m.text and "친절하셨어요" in m.text for m in _outbox_to(db, staff.user_id))

    # Closed: the provider's view no longer shows the phone or address.
    reply = second.say("/jobs")
    assert "진행 중인 일" not in text(reply)

    stats = text(staff.say("/stats 2025-03"))
    assert "완료 1건" in stats and "55,000원" in stats and "4.0점(1명)" in stats
    assert "거절 1건" in stats  # the first provider's refusal
    assert "기간은" in text(staff.say("/stats 3월"))
    assert "55,000" not in text(resident.say("/stats 2025-03"))  # not staff: refused

    with Session(engine) as session:
        actions = [e.action for e in session.exec(select(BookingEvent).where(BookingEvent.booking_id == booking.id)
                                                  .order_by(BookingEvent.id))]
    assert actions == [None, None, "assign", "refuse", "assign", "take", "visit", "done", None, "confirm", "rate"]


def test_without_consent_the_provider_sees_no_phone_or_address(loop, db, engine):
    resident, staff, first, _ = loop
    _request_with_photo(resident, share="no")
    booking = db.bookings()[0]
    staff.press(f"st:acc:{booking.id}")
    staff.press(f"st:asg:{booking.id}.{FIRST}")
    card = next(m for m in _outbox_to(db, first.user_id) if m.buttons)
    assert "3333" not in card.text and ADDRESS not in card.text
    assert "동의하지 않았어요" in card.text


def test_staff_of_another_district_cannot_assign(loop, db, engine, person, add_staff_member):
    resident, staff, first, _ = loop
    _request_with_photo(resident)
    booking = db.bookings()[0]
    staff.press(f"st:acc:{booking.id}")
    other = person("Other", user_id=add_staff_member(district="eunpyeong"))
    before = db.snapshot()
    other.press(f"st:asg:{booking.id}.{FIRST}")
    assert db.snapshot() == before and _job(engine) is None
    # A provider the catalog does not list for this program and district: refused too.
    staff.press(f"st:asg:{booking.id}.yongsan.soop-food")
    assert _job(engine) is None


def test_forget_withdraws_the_job_and_erases_photos_and_comments(loop, db, engine):
    resident, staff, first, _ = loop
    _request_with_photo(resident)
    booking = db.bookings()[0]
    staff.press(f"st:acc:{booking.id}")
    staff.press(f"st:asg:{booking.id}.{FIRST}")
    first.press(f"pv:take:{_job(engine).id}")
    resident.say("/forget")
    resident.press("fg:yes")
    assert _job(engine).status == JobStatus.WITHDRAWN
    assert db.all(BookingPhoto) == []
    assert any("취소됐어요" in m.text for m in _outbox_to(db, first.user_id) if m.text)


def test_over_the_cap_staff_must_give_a_reason(loop, db, engine, clock):
    resident, staff, first, _ = loop
    _request_with_photo(resident)
    booking = db.bookings()[0]
    # A done job of 1,580,000 KRW earlier this year, for another request of the same scope.
    with session_scope(engine) as session:
        session.add(Job(booking_id=booking.id, district="yongsan", program_id="seoul.sos.meal",
                        provider_id="yongsan.soop-food", status=JobStatus.DONE, service_krw=1_580_000,
                        materials_krw=0, done_at=clock(), created_at=clock(), updated_at=clock()))
    reply = staff.press(f"st:acc:{booking.id}")
    assert "사유" in text(reply) and db.booking(booking.id).status == "requested"
    staff.say("의료진 요청으로 예외 승인")
    assert db.booking(booking.id).status == "accepted"
    with Session(engine) as session:
        override = session.exec(select(BookingEvent).where(BookingEvent.action == "override")).one()
    assert override.detail == "의료진 요청으로 예외 승인"
