"""/privacy shows what is stored; /forget erases it after one question."""

from __future__ import annotations

from sqlmodel import Session

from bot.store.models import BookingStatus, ConversationState

from .conftest import button_data, text


def test_privacy_lists_every_stored_field(person, add_staff_member, settings):
    add_staff_member("seocho")
    mina = person("Mina")
    mina.onboard("seocho", age="60s", gender="female")
    mina.book()
    reply = mina.say("/privacy")
    shown = text(reply)
    for part in ("Mina", "한국어", "서울 서초구", "60대", "여성", "3월 3일", "서리풀 뚝딱이", "010-1234-5678",
                 "101동 202호", f"{settings.booking_retention_days}일", "/forget"):
        assert part in shown


def test_privacy_for_someone_who_never_agreed(person):
    assert "저장된 내 정보가 없어요" in text(person().say("/privacy"))


def test_privacy_does_not_interrupt_a_request(person, db):
    mina = person()
    mina.onboard("seocho")
    mina.press("req:start:seocho.handyman")
    mina.say("/privacy")
    assert "bk:time:any" in button_data(mina.say("2025-03-05"))


def test_forget_asks_first_and_no_keeps_everything(person, db):
    mina = person()
    mina.onboard("seocho")
    ask = mina.say("/forget")
    assert button_data(ask) == ["fg:yes", "fg:no"]
    mina.press("fg:no")
    assert len(db.residents()) == 1


def test_forget_erases_the_resident_and_anonymises_bookings(person, add_staff_member, db, engine):
    staff = add_staff_member("seocho")
    mina = person("Mina")
    mina.onboard("seocho")
    mina.book()
    [booking] = db.bookings()
    mina.say("/forget")
    reply = mina.press("fg:yes")
    assert "/start" in text(reply)
    assert db.residents() == []
    stored = db.booking(booking.id)
    assert stored.status == BookingStatus.CANCELLED
    assert (stored.resident_id, stored.phone, stored.address_detail, stored.note) == (None, None, None, None)
    with Session(engine) as session:
        assert session.get(ConversationState, mina.user_id) is None
    # Staff are told the open request is cancelled, without the resident's name.
    notices = db.outbox(staff)
    assert notices and str(booking.id) in notices[-1].text
    assert all("Mina" not in m.text for m in notices)
    assert "저장된 내 정보가 없어요" in text(mina.say("/privacy"))


def test_forget_for_someone_who_never_agreed(person, db):
    stranger = person()
    stranger.say("/start")
    stranger.press("lang:ko")
    assert "저장된 내 정보가 없어요" in text(stranger.say("/forget"))
    assert db.residents() == []


def test_a_forget_button_pressed_twice_is_harmless(person, db):
    mina = person()
    mina.onboard("seocho")
    mina.say("/forget")
    mina.press("fg:yes")
    assert "버튼" in text(mina.press("fg:yes"))
    assert db.residents() == []
