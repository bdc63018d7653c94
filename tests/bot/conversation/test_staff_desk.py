"""Staff accept, decline (with or without a reason), /queue and /done; others are refused."""

from __future__ import annotations

import logging

import pytest

from bot.store.models import BookingStatus

from .conftest import button_data, text


@pytest.fixture
def requested(person, add_staff_member, db):
    """A seocho resident's open request and a seocho staff member (as a Person)."""
    staff_id = add_staff_member("seocho", name="Officer Kim")
    mina = person("Mina")
    mina.onboard("seocho")
    mina.book()
    [booking] = db.bookings()
    return mina, person("Kim", user_id=staff_id), booking


def test_accept_tells_the_resident_at_once(requested, db):
    mina, kim, booking = requested
    reply = kim.press(f"st:acc:{booking.id}")
    assert db.booking(booking.id).status == BookingStatus.ACCEPTED
    assert str(booking.id) in text(reply)
    assert button_data(reply) == [f"st:done:{booking.id}"]
    [told] = db.outbox(mina.user_id)
    assert "수락" in told.text and "Officer Kim" in told.text and "서리풀 뚝딱이" in told.text


def test_accepting_twice_says_it_is_already_accepted(requested, db):
    _, kim, booking = requested
    kim.press(f"st:acc:{booking.id}")
    again = kim.press(f"st:acc:{booking.id}")
    assert "수락됨" in text(again)
    assert len(db.outbox(requested[0].user_id)) == 1


def test_decline_asks_for_a_reason_and_passes_it_on(requested, db):
    mina, kim, booking = requested
    ask = kim.press(f"st:dec:{booking.id}")
    assert button_data(ask) == [f"st:nor:{booking.id}"]
    assert db.booking(booking.id).status == BookingStatus.REQUESTED
    kim.say("이번 달 예산이 모두 소진됐어요")
    stored = db.booking(booking.id)
    assert (stored.status, stored.decline_reason) == (BookingStatus.DECLINED, "이번 달 예산이 모두 소진됐어요")
    [told] = db.outbox(mina.user_id)
    assert "이번 달 예산이 모두 소진됐어요" in told.text


def test_decline_without_a_reason(requested, db):
    mina, kim, booking = requested
    kim.press(f"st:dec:{booking.id}")
    kim.press(f"st:nor:{booking.id}")
    assert db.booking(booking.id).status == BookingStatus.DECLINED
    assert db.booking(booking.id).decline_reason is None
    [told] = db.outbox(mina.user_id)
    assert "어렵다고" in told.text
    # The next text from staff is not taken as a reason any more.
    assert "/queue" in text(kim.say("감사합니다"))


def test_queue_lists_open_requests_oldest_first_with_their_buttons(requested, person, clock, db):
    mina, kim, first = requested
    clock.advance(minutes=5)
    jun = person("Jun")
    jun.onboard("seocho")
    jun.book("seocho.health119")
    second = max(db.bookings(), key=lambda b: b.id)
    kim.press(f"st:acc:{first.id}")
    reply = kim.say("/queue")
    cards = reply.messages[1:]
    assert [c.text.splitlines()[0] for c in cards] == [f"#{first.id} (수락됨)", f"#{second.id} (접수됨)"]
    assert button_data(cards[0]) == [f"st:done:{first.id}"]
    assert button_data(cards[1]) == [f"st:acc:{second.id}", f"st:dec:{second.id}"]
    assert "Jun" in cards[1].text and "010-1234-5678" in cards[1].text


def test_queue_is_empty_when_nothing_is_open(person, add_staff_member):
    kim = person("Kim", user_id=add_staff_member("gwangjin"))
    assert "없어요" in text(kim.say("/queue"))


def test_done_marks_the_help_given_and_tells_the_resident(requested, db):
    mina, kim, booking = requested
    kim.press(f"st:acc:{booking.id}")
    reply = kim.say(f"/done {booking.id}")
    assert str(booking.id) in text(reply)
    assert db.booking(booking.id).status == BookingStatus.DONE
    assert "끝났다고" in db.outbox(mina.user_id)[-1].text


def test_done_needs_a_number_and_an_accepted_request(requested, db):
    _, kim, booking = requested
    assert "/done 17" in text(kim.say("/done"))
    assert "/done 17" in text(kim.say("/done abc"))
    assert "접수됨" in text(kim.say(f"/done {booking.id}"))  # not accepted yet
    assert "찾을 수 없어요" in text(kim.say("/done 99999"))
    assert db.booking(booking.id).status == BookingStatus.REQUESTED


def test_staff_of_another_district_see_not_found_and_change_nothing(requested, person, add_staff_member, db, caplog):
    _, _, booking = requested
    lee = person("Lee", user_id=add_staff_member("yongsan"))
    before = db.snapshot()
    with caplog.at_level(logging.WARNING):
        for action in ("st:acc", "st:dec", "st:nor", "st:done"):
            assert "찾을 수 없어요" in text(lee.press(f"{action}:{booking.id}"))
        assert "찾을 수 없어요" in text(lee.say(f"/done {booking.id}"))
    assert db.snapshot() == before
    assert "refused" in caplog.text
    assert f"#{booking.id}" not in text(lee.say("/queue"))


def test_non_staff_queue_and_done_are_refused_and_logged(requested, person, db, caplog):
    mina, _, booking = requested
    before = db.snapshot()
    with caplog.at_level(logging.WARNING):
        assert "담당자만" in text(mina.say("/queue"))
        assert "담당자만" in text(mina.say(f"/done {booking.id}"))
        stranger = person("Stranger")
        assert "담당자만" in text(stranger.say("/queue"))
    assert db.snapshot() == before
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) >= 3
    assert "Mina" not in caplog.text and "010-" not in caplog.text


def test_a_resident_pressing_staff_buttons_is_refused(requested, db, caplog):
    mina, _, booking = requested
    before = db.snapshot()
    with caplog.at_level(logging.WARNING):
        for action in ("st:acc", "st:dec", "st:nor", "st:done"):
            assert "담당자만" in text(mina.press(f"{action}:{booking.id}"))
    assert db.snapshot() == before
    assert str(mina.user_id) in caplog.text


def test_a_removed_staff_member_can_no_longer_act(requested, engine, db):
    from bot.people.staff import remove_staff
    from bot.store.db import session_scope

    _, kim, booking = requested
    kim.press(f"st:dec:{booking.id}")
    with session_scope(engine) as session:
        remove_staff(session=session, telegram_id=kim.user_id)
    kim.say("사유입니다")
    assert db.booking(booking.id).status == BookingStatus.REQUESTED
    assert "담당자만" in text(kim.press(f"st:acc:{booking.id}"))


def test_staff_help_mentions_queue_and_done(person, add_staff_member):
    kim = person("Kim", user_id=add_staff_member("seocho"))
    reply = kim.say("/help")
    assert "/queue" in text(reply) and "/done" in text(reply)


def test_staff_who_is_also_a_resident_can_search_and_answer(requested, db):
    _, kim, booking = requested
    kim.onboard("seocho", language="en")
    assert "req:start:seocho.handyman" in button_data(kim.say("싱크대 배수구가 막혔어요 고쳐주세요"))
    reply = kim.press(f"st:acc:{booking.id}")
    assert "accepted" in text(reply)  # staff texts in their own resident language
    assert db.booking(booking.id).status == BookingStatus.ACCEPTED
