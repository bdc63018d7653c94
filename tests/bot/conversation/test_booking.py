"""A resident's request from [Request] to [Confirm], their /bookings, and cancelling."""

from __future__ import annotations

import logging
from datetime import date, time

from bot.core.messages import Incoming, InputKind
from bot.store.models import BookingStatus

from .conftest import button_data, text


def test_full_request_stores_a_booking_and_alerts_staff_with_accept_and_decline(person, add_staff_member, db):
    staff = add_staff_member("seocho")
    mina = person("Mina")
    mina.onboard("seocho")
    start = mina.press("req:start:seocho.handyman")
    assert "bk:date:2025-03-03" in button_data(start)  # today in Seoul
    assert "bk:date:2025-03-04" in button_data(start)
    assert "bk:time:morning" in button_data(mina.press("bk:date:2025-03-05"))
    assert "010-1234-5678" in text(mina.press("bk:time:afternoon"))  # the example
    assert "bk:skip" in button_data(mina.say("010 9876 5432"))
    assert "bk:skip" in button_data(mina.say("101동 202호"))
    summary = mina.say("문 앞에서 전화 주세요")
    assert button_data(summary) == ["bk:ok", "bk:edit", "bk:stop"]
    for part in ("서리풀 뚝딱이", "010-9876-5432", "101동 202호", "문 앞에서 전화 주세요", "오후"):
        assert part in text(summary)
    done = mina.press("bk:ok", message_id=777)

    [booking] = db.bookings()
    assert "1번" in text(done) or str(booking.id) in text(done)
    assert (booking.program_id, booking.district, booking.status) == ("seocho.handyman", "seocho", "requested")
    assert booking.preferred_date == date(2025, 3, 5)
    assert (booking.time_window, booking.phone) == ("afternoon", "010-9876-5432")
    assert (booking.address_detail, booking.note) == ("101동 202호", "문 앞에서 전화 주세요")
    assert booking.request_key == f"{mina.user_id}:777"

    [alert] = db.outbox(staff)
    assert "Mina" in alert.text and "010-9876-5432" in alert.text and "서리풀 뚝딱이" in alert.text
    assert [[b["data"] for b in row] for row in alert.buttons] == [[f"st:acc:{booking.id}", f"st:dec:{booking.id}"]]
    assert alert.resident_id is not None


def test_an_invalid_phone_is_asked_again_with_an_example(person, db):
    mina = person()
    mina.onboard("seocho")
    mina.press("req:start:seocho.handyman")
    mina.press("bk:date:2025-03-05")
    mina.press("bk:time:any")
    for wrong in ("1234", "전화 없어요", "1577-1000", "010-123-456"):
        reply = mina.say(wrong)
        assert "010-1234-5678" in text(reply)
        assert "bk:skip" not in button_data(reply)  # still at the phone step
    assert "bk:skip" in button_data(mina.say("+82 10-1234-5678"))
    mina.press("bk:skip")
    mina.press("bk:skip")
    mina.press("bk:ok")
    assert db.bookings()[0].phone == "010-1234-5678"


def test_double_confirm_makes_one_booking_and_says_already_sent(person, add_staff_member, db):
    staff = add_staff_member("seocho")
    mina = person()
    mina.onboard("seocho")
    first = mina.book(confirm_message_id=4242)
    second = mina.press("bk:ok", message_id=4242)
    assert len(db.bookings()) == 1
    assert len(db.outbox(staff)) == 1
    booking = db.bookings()[0]
    assert str(booking.id) in text(first)
    assert "이미 보낸" in text(second) and str(booking.id) in text(second)


def test_confirm_without_a_message_id_still_makes_one_booking(person, db):
    mina = person()
    mina.onboard("seocho")
    mina.press("req:start:seocho.handyman")
    mina.press("bk:date:2025-03-05")
    mina.press("bk:time:any")
    mina.say("01012345678")
    mina.press("bk:skip")
    mina.press("bk:skip")
    press = Incoming(user_id=mina.user_id, chat_id=mina.user_id, first_name="Mina",
                     kind=InputKind.BUTTON, text="bk:ok", message_id=None)
    mina.conversation.handle(press)
    mina.conversation.handle(press)
    assert len(db.bookings()) == 1


def test_a_district_without_staff_still_stores_the_request_and_warns(person, add_staff_member, db, caplog):
    add_staff_member("yongsan")
    mina = person()
    mina.onboard("seocho")
    with caplog.at_level(logging.WARNING):
        reply = mina.book("seocho.health119")
    [booking] = db.bookings()
    assert str(booking.id) in text(reply)
    assert "seocho" in caplog.text and "no staff" in caplog.text
    assert db.outbox() == []


def test_typed_dates_and_times_are_understood(person, db):
    mina = person()
    mina.onboard("seocho")
    mina.press("req:start:seocho.handyman")
    assert "bk:time:morning" in button_data(mina.say("3월 10일"))
    assert "010-1234-5678" in text(mina.say("저녁"))
    mina.say("010-1111-2222")
    mina.press("bk:skip")
    mina.press("bk:skip")
    mina.press("bk:ok")
    booking = db.bookings()[0]
    assert (booking.preferred_date, booking.time_window) == (date(2025, 3, 10), "evening")


def test_a_request_can_be_written_through_without_pressing_a_button(person, add_staff_member, db):
    add_staff_member("seocho")
    mina = person()
    mina.onboard("seocho")
    mina.press("req:start:seocho.handyman")
    mina.say("3월 10일")
    mina.say("오전")
    mina.say("010-1111-2222")
    assert "bk:skip" in button_data(mina.say("건너뛰기"))  # the address: skipped, not "건너뛰기"
    summary = mina.say("없어요")  # the note
    assert "bk:ok" in button_data(summary) and "없어요" not in text(summary)
    again = mina.say("어떻게 하죠")
    assert "버튼" in text(again) and "bk:ok" in button_data(again)
    assert db.bookings() == []
    mina.say("확인")
    [booking] = db.bookings()
    assert (booking.address_detail, booking.note, booking.status) == (None, None, "requested")
    mina.say("확인")  # once more, now that it is sent: no second request
    assert len(db.bookings()) == 1


def test_cancel_or_edit_typed_at_any_step_does_what_the_button_does(person, db):
    mina = person()
    mina.onboard("seocho")
    for steps in ([], ["3월 10일"], ["3월 10일", "오후"], ["3월 10일", "오후", "010-1111-2222"],
                  ["3월 10일", "오후", "010-1111-2222", "101동"]):
        mina.press("req:start:seocho.handyman")
        for answer in steps:
            mina.say(answer)
        assert "보내지 않았어요" in text(mina.say("취소")), steps
    mina.press("req:start:seocho.handyman")
    for answer in ("3월 10일", "오후", "010-1111-2222", "101동", "문 앞에 두세요"):
        mina.say(answer)
    assert "bk:date:2025-03-05" in button_data(mina.say("고치기"))
    assert "보내지 않았어요" in text(mina.say("cancel"))
    assert db.bookings() == []


def test_a_day_of_the_week_and_a_clock_time_are_understood(person, add_staff_member, db):
    # Today in the tests is Monday 2025-03-03 in Seoul.
    add_staff_member("seocho")
    for day, at, expected, shown in (
        ("금요일에", "오후 2시", (date(2025, 3, 7), "afternoon", time(14, 0)), "오후 2시"),
        ("다음 주 월요일", "아침 9시 반", (date(2025, 3, 10), "morning", time(9, 30)), "오전 9시 30분"),
        ("월요일", "7pm", (date(2025, 3, 3), "evening", time(19, 0)), "저녁 7시"),
    ):
        mina = person()
        mina.onboard("seocho")
        mina.press("req:start:seocho.handyman")
        assert "bk:time:morning" in button_data(mina.say(day)), day
        assert "010-1234-5678" in text(mina.say(at)), at
        mina.say("010-1111-2222")
        mina.say("건너뛰기")
        summary = mina.say("건너뛰기")
        assert shown in text(summary)  # the time they wrote, not only its part of the day
        mina.say("확인")
        booking = db.bookings()[-1]
        assert (booking.preferred_date, booking.time_window, booking.preferred_time) == expected
        assert shown in db.outbox()[-1].text  # staff read it too


def test_a_part_of_the_day_typed_as_its_label_or_a_word(person, db):
    mina = person()
    mina.onboard("seocho")
    for typed, window in (("시간 상관없음", "any"), ("오후요.", "afternoon"), ("Any time", "any"), ("아침", "morning"),
                          ("상관없어요", "any"), ("저녁이요", "evening")):
        mina.press("req:start:seocho.handyman")
        mina.say("3월 10일")
        assert "010-1234-5678" in text(mina.say(typed)), typed
        for answer in ("010-1111-2222", "건너뛰기", "건너뛰기", "확인"):
            mina.say(answer)
        assert db.bookings()[-1].time_window == window, typed


def test_typed_answers_with_a_polite_ending_count(person, db):
    mina = person()
    mina.onboard("seocho")
    mina.press("req:start:seocho.handyman")
    mina.say("3월 10일")
    assert "보내지 않았어요" in text(mina.say("취소요"))
    mina.press("req:start:seocho.handyman")
    for answer in ("3월 10일", "오전", "010-1111-2222", "건너뛰기요", "없어요"):
        mina.say(answer)
    mina.say("확인이요")
    [booking] = db.bookings()
    assert (booking.address_detail, booking.note) == (None, None)


def test_a_part_of_the_day_pressed_after_a_typed_time_replaces_it(person, db):
    mina = person()
    mina.onboard("seocho")
    mina.press("req:start:seocho.handyman")
    for answer in ("3월 10일", "오후 2시", "010-1111-2222", "건너뛰기", "건너뛰기"):
        mina.say(answer)
    mina.press("bk:edit")  # back to the start: this time the afternoon is pressed
    mina.press("bk:date:2025-03-10")
    mina.press("bk:time:afternoon")
    mina.say("010-1111-2222")
    mina.press("bk:skip")
    assert "2시" not in text(mina.press("bk:skip"))
    mina.press("bk:ok")
    [booking] = db.bookings()
    assert (booking.time_window, booking.preferred_time) == ("afternoon", None)


def test_a_past_or_unreadable_date_is_asked_again(person, clock):
    mina = person()
    mina.onboard("seocho")
    mina.press("req:start:seocho.handyman")
    assert "지난 날짜" in text(mina.say("2025-03-01"))
    assert "알아보지 못했어요" in text(mina.say("다음에요"))
    assert "지난 날짜" in text(mina.press("bk:date:2025-03-02"))  # a button from an old message
    assert "bk:time:any" in button_data(mina.say("2025-03-03"))


def test_edit_starts_again_and_cancel_stops_without_sending(person, db):
    mina = person()
    mina.onboard("seocho")
    mina.press("req:start:seocho.handyman")
    mina.press("bk:date:2025-03-05")
    mina.press("bk:time:any")
    mina.say("010-1234-5678")
    mina.press("bk:skip")
    mina.press("bk:skip")
    again = mina.press("bk:edit")
    assert "bk:date:2025-03-05" in button_data(again)
    mina.press("bk:date:2025-03-06")
    stopped = mina.press("bk:stop")
    assert "보내지 않았어요" in text(stopped)
    assert db.bookings() == []
    assert "버튼" in text(mina.press("bk:ok"))  # the old summary's button does nothing now
    assert db.bookings() == []


def test_a_request_survives_a_restart(person, make_conversation, db):
    mina = person()
    mina.onboard("seocho")
    mina.press("req:start:seocho.handyman")
    mina.press("bk:date:2025-03-05")
    mina.press("bk:time:morning")
    mina.say("010-1234-5678")

    restarted = person(user_id=mina.user_id, on=make_conversation())
    assert "bk:skip" in button_data(restarted.say("2층"))  # the address step, then the note
    restarted.press("bk:skip")
    restarted.press("bk:ok")
    [booking] = db.bookings()
    assert (booking.phone, booking.address_detail) == ("010-1234-5678", "2층")


def test_only_bookable_programs_of_the_district_can_be_requested(person, catalog, db):
    mina = person()
    mina.onboard("seocho")
    assert not catalog.programs["private.laundrygo"].apply.bookable
    assert "버튼" in text(mina.press("req:start:private.laundrygo"))
    assert "버튼" in text(mina.press("req:start:gwangjin.nutrition"))
    assert db.bookings() == []


def test_bookings_lists_requests_with_cancel_for_open_ones(person, add_staff_member, db):
    staff = add_staff_member("seocho")
    mina = person("Mina")
    mina.onboard("seocho")
    assert "아직" in text(mina.say("/bookings"))
    mina.book()
    [booking] = db.bookings()
    listing = mina.say("/bookings")
    assert "서리풀 뚝딱이" in text(listing) and "접수됨" in text(listing)
    assert button_data(listing) == [f"bk:cancel:{booking.id}"]

    ask = mina.press(f"bk:cancel:{booking.id}")
    assert button_data(ask) == [f"bk:cxl:{booking.id}", "bk:keep"]
    assert db.booking(booking.id).status == BookingStatus.REQUESTED
    mina.press(f"bk:cxl:{booking.id}")
    assert db.booking(booking.id).status == BookingStatus.CANCELLED
    told = [m.text for m in db.outbox(staff)]
    assert len(told) == 2 and str(booking.id) in told[-1]
    assert button_data(mina.say("/bookings")) == []  # closed: nothing to cancel
    again = mina.press(f"bk:cxl:{booking.id}")
    assert "취소됨" in text(again)


def test_a_command_leaves_a_half_made_request(person, db):
    mina = person()
    mina.onboard("seocho")
    mina.press("req:start:seocho.handyman")
    mina.say("/menu")
    reply = mina.say("싱크대 배수구가 막혔어요 고쳐주세요")  # a search again, not a date
    assert "req:start:seocho.handyman" in button_data(reply)


def test_sharing_contact_details_with_a_provider_can_be_answered_by_typing(person, db):
    for answer, shared in (("네", True), ("아니요", False)):
        mina = person()
        mina.onboard("yongsan")
        mina.press("req:start:seoul.sos.home-repair")
        for step in ("3월 10일", "오전", "010-1111-2222", "한강대로 1길", "문이 안 닫혀요"):
            asked = mina.say(step)
        assert "bk:share:yes" in button_data(asked)
        assert "bk:share:yes" in button_data(mina.say("글쎄요"))  # asked again
        assert "bk:ok" in button_data(mina.say(answer))
        mina.say("확인")
        assert [b.share_contact for b in db.bookings() if b.phone == "010-1111-2222"][-1] is shared
