"""Button data is untrusted: forged, garbled, outdated or over-long presses change nothing."""

from __future__ import annotations

import logging

import pytest

from bot.store.models import BookingStatus

from .conftest import text


@pytest.fixture
def two_residents(person, add_staff_member, db):
    add_staff_member("seocho")
    mina, jun = person("Mina"), person("Jun")
    mina.onboard("seocho")
    jun.onboard("seocho")
    mina.book()
    [booking] = db.bookings()
    return mina, jun, booking


def test_cancelling_another_residents_booking_is_refused(two_residents, db, caplog):
    _, jun, booking = two_residents
    before = db.snapshot()
    with caplog.at_level(logging.WARNING):
        first = jun.press(f"bk:cancel:{booking.id}")
        second = jun.press(f"bk:cxl:{booking.id}")
    assert "찾을 수 없어요" in text(first) and "찾을 수 없어요" in text(second)
    assert db.snapshot() == before
    assert db.booking(booking.id).status == BookingStatus.REQUESTED
    assert "refused" in caplog.text and str(jun.user_id) in caplog.text


def test_a_non_resident_cannot_cancel_a_booking(two_residents, person, db, caplog):
    _, _, booking = two_residents
    before = db.snapshot()
    with caplog.at_level(logging.WARNING):
        reply = person("Nobody").press(f"bk:cxl:{booking.id}")
    assert "버튼" in text(reply)
    assert db.snapshot() == before
    assert "refused" in caplog.text


@pytest.mark.parametrize(
    "data",
    [
        "",
        "garbage",
        "st:acc",
        "st:acc:",
        "st:acc:abc",
        "st:acc:-1",
        "st:acc:0",
        "st:acc:007",
        "st:acc:1:2",
        "st:acc:1 ",
        "bk:cancel:99999999999999999999",
        "lang:fr",
        "dist:../../etc",
        "dist:SEOCHO",
        "cat:weapons",
        "prog:more:no.such.program",
        "prog:more:#zzzzzzzzzzzz",
        "req:start:seocho.handyman;drop table booking",
        "bk:date:2025-02-30",
        "bk:date:25-3-5",
        "bk:time:midnight",
        "age:12",
        "gender:other",
        "fg:maybe",
        "consent:yes:please",
        "st:acc:1" + "0" * 80,
        "x" * 5000,
        "\x00\x01st:acc:1",
        "🙂:🙂",
    ],
)
def test_garbage_button_data_gets_a_polite_answer_and_changes_nothing(two_residents, data, db):
    mina, _, _ = two_residents
    before = db.snapshot()
    reply = mina.press(data)
    assert len(reply.messages) == 1
    assert "버튼" in text(reply) or "찾을 수 없어요" in text(reply)
    assert db.snapshot() == before


def test_booking_step_buttons_out_of_turn_do_nothing(two_residents, db):
    mina, _, _ = two_residents
    before = db.snapshot()
    for data in ("bk:date:2025-03-05", "bk:time:morning", "bk:skip", "bk:ok", "bk:edit", "bk:stop",
                 "fg:yes", "age:60s", "gender:male"):
        assert "버튼" in text(mina.press(data))
    assert db.snapshot() == before
    assert len(db.residents()) == 2


def test_a_forged_confirm_key_of_another_resident_does_not_leak_their_booking(two_residents, db):
    mina, jun, booking = two_residents
    key_message = int(booking.request_key.split(":")[1])
    jun.press("req:start:seocho.handyman")
    jun.press("bk:date:2025-03-05")
    jun.press("bk:time:any")
    jun.say("010-5555-6666")
    jun.press("bk:skip")
    jun.press("bk:skip")
    reply = jun.press("bk:ok", message_id=key_message)  # same message id, different user: own key
    assert "이미 보낸" not in text(reply)
    assert len(db.bookings()) == 2
    assert db.booking(booking.id).phone == "010-1234-5678"
