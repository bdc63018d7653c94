"""Booking requests: creation, idempotency, the state machine, and who may move a booking."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, func, select

import bot.requests.bookings as bookings
from bot.people.phones import InvalidPhone
from bot.people.residents import update_resident
from bot.people.staff import remove_staff
from bot.requests.bookings import (
    ALLOWED_TRANSITIONS,
    BookingNotFound,
    InvalidBookingDetails,
    InvalidTransition,
    NotAllowed,
    accept_booking,
    cancel_booking,
    complete_booking,
    decline_booking,
    get_district_booking,
    get_resident_booking,
    list_booking_events,
    list_district_bookings,
    list_resident_bookings,
)
from bot.store.models import Booking, BookingEvent, BookingStatus

NOW = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)  # the conftest's clock: 10:00 in Seoul
LATER = NOW + timedelta(hours=2)


def count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def snapshot(session: Session, booking_id: int):
    """Everything a refused call must leave as it was."""
    session.expire_all()
    booking = session.get(Booking, booking_id)
    events = session.exec(
        select(BookingEvent.to_status).where(BookingEvent.booking_id == booking_id)
    ).all()
    return (booking.status, booking.updated_at, booking.closed_at, booking.decline_reason,
            tuple(events))


# --- creating -----------------------------------------------------------------------------


def test_a_new_request_is_stored_with_a_normalised_phone_and_one_history_row(
    session, make_resident
):
    resident = make_resident(district="yongsan")
    booking = bookings.create_booking(
        session=session, resident=resident, program_id="seoul.sos.care",
        preferred_date=date(2025, 3, 4), time_window="afternoon", phone="+82 10 9876 5432",
        address_detail="  한남동 12-3  ", note="", request_key="tg:1:77", now=NOW,
    )
    session.commit()
    session.expire_all()
    stored = session.get(Booking, booking.id)
    assert stored.status == BookingStatus.REQUESTED
    assert stored.district == "yongsan"  # the resident's district decides who answers
    assert stored.program_id == "seoul.sos.care"
    assert stored.phone == "010-9876-5432"
    assert stored.address_detail == "한남동 12-3"
    assert stored.note is None
    assert stored.resident_id == resident.id
    assert stored.created_at == NOW and stored.closed_at is None
    [event] = list_booking_events(session=session, booking=stored)
    assert (event.from_status, event.to_status) == (None, "requested")
    assert (event.actor_kind, event.actor_id, event.at) == ("resident", resident.id, NOW)


def test_the_same_request_key_twice_gives_the_same_booking(session, make_resident, make_booking):
    resident = make_resident()
    first = make_booking(resident, request_key="tap-1")
    # The second tap arrives with different details (e.g. an edited message): still no new row.
    second = make_booking(resident, request_key="tap-1", phone="02-123-4567", now=LATER)
    assert second.id == first.id
    assert second.phone == "010-1234-5678"
    # The key is looked up before the details are checked: a retried update is never refused.
    assert make_booking(resident, request_key="tap-1", phone="not a phone").id == first.id
    assert count(session, Booking) == 1
    assert count(session, BookingEvent) == 1
    third = make_booking(resident, request_key="tap-2")
    assert third.id != first.id and count(session, Booking) == 2


def test_a_lost_race_on_the_request_key_returns_the_winner_and_keeps_other_work(
    session, make_resident, make_booking, monkeypatch
):
    resident = make_resident()
    winner = make_booking(resident, request_key="tap-1")
    session.commit()
    # Another worker inserted between our look-up and our insert: the look-up saw nothing.
    real_lookup = bookings._booking_by_key
    calls = []

    def first_lookup_misses(session, key):
        calls.append(key)
        return None if len(calls) == 1 else real_lookup(session, key)

    monkeypatch.setattr(bookings, "_booking_by_key", first_lookup_misses)
    update_resident(session=session, resident=resident, now=LATER, first_name="Mina Park")
    again = make_booking(resident, request_key="tap-1", now=LATER)
    session.commit()
    assert again.id == winner.id
    assert len(calls) == 2
    assert count(session, Booking) == 1
    session.expire_all()
    # The savepoint undid only the failed insert, not the caller's earlier change.
    assert session.get(type(resident), resident.id).first_name == "Mina Park"


def test_another_residents_request_key_is_not_handed_out(session, make_resident, make_booking):
    mina, jun = make_resident(), make_resident()
    make_booking(mina, request_key="shared")
    with pytest.raises(NotAllowed):
        make_booking(jun, request_key="shared")
    assert count(session, Booking) == 1


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"phone": "010-1234"}, InvalidPhone),
        ({"phone": ""}, InvalidPhone),
        ({"time_window": "midnight"}, InvalidBookingDetails),
        ({"preferred_time": "14:00"}, InvalidBookingDetails),  # a time object, read from the resident's words
        # 01:00 UTC on 3 March is 10:00 on 3 March in Seoul: 2 March is past.
        ({"preferred_date": date(2025, 3, 2)}, InvalidBookingDetails),
        ({"preferred_date": date(2026, 3, 4)}, InvalidBookingDetails),
        ({"note": "가" * 501}, InvalidBookingDetails),
        ({"address_detail": "가" * 201}, InvalidBookingDetails),
        ({"program_id": " "}, InvalidBookingDetails),
        ({"request_key": ""}, InvalidBookingDetails),
    ],
)
def test_unusable_details_are_refused_and_nothing_is_stored(
    session, make_resident, make_booking, changes, error
):
    resident = make_resident()
    with pytest.raises(error):
        make_booking(resident, **changes)
    assert count(session, Booking) == 0
    assert count(session, BookingEvent) == 0


def test_today_in_korea_is_bookable_although_utc_is_still_yesterday(session, make_resident, make_booking):
    # 16:30 UTC on 2 March is 01:30 on 3 March in Seoul.
    late_evening_utc = datetime(2025, 3, 2, 16, 30, tzinfo=UTC)
    booking = make_booking(make_resident(), preferred_date=date(2025, 3, 3), now=late_evening_utc)
    assert booking.preferred_date == date(2025, 3, 3)


# --- the state machine ----------------------------------------------------------------------

# How each status is reached from "requested", and which call each target status needs.
PATHS = {
    "requested": [],
    "accepted": ["accepted"],
    "declined": ["declined"],
    "cancelled": ["cancelled"],
    "done": ["accepted", "done"],
    "accepted-then-cancelled": ["accepted", "cancelled"],
}


def move(session, booking, target, *, resident, staff, now=LATER):
    if target == "accepted":
        return accept_booking(session=session, booking_id=booking.id, staff=staff, now=now)
    if target == "declined":
        return decline_booking(session=session, booking_id=booking.id, staff=staff, now=now,
                               reason="정원이 찼습니다")
    if target == "done":
        return complete_booking(session=session, booking_id=booking.id, staff=staff, now=now)
    if target == "cancelled":
        return cancel_booking(session=session, booking_id=booking.id, resident=resident, now=now)
    raise AssertionError(target)


ALLOWED = {
    ("requested", "accepted"), ("requested", "declined"), ("requested", "cancelled"),
    ("accepted", "done"), ("accepted", "cancelled"),
}


def test_the_transition_table_is_the_one_in_the_issue():
    table = {(str(a), str(b)) for a, targets in ALLOWED_TRANSITIONS.items() for b in targets}
    assert table == ALLOWED


@pytest.mark.parametrize("start", list(PATHS))
@pytest.mark.parametrize("target", ["accepted", "declined", "cancelled", "done"])
def test_every_move_from_every_status(session, make_resident, make_staff, make_booking, start, target):
    resident, staff = make_resident(), make_staff()
    booking = make_booking(resident)
    for step in PATHS[start]:
        move(session, booking, step, resident=resident, staff=staff, now=NOW + timedelta(minutes=1))
    current = session.get(Booking, booking.id).status
    before = snapshot(session, booking.id)

    if (current, target) in ALLOWED:
        moved = move(session, booking, target, resident=resident, staff=staff)
        session.commit()
        session.expire_all()
        stored = session.get(Booking, booking.id)
        assert stored.status == target == moved.status
        assert stored.updated_at == LATER
        assert stored.closed_at == (LATER if target in ("declined", "cancelled", "done") else None)
        events = list_booking_events(session=session, booking=stored)
        assert len(events) == len(before[-1]) + 1
        last = events[-1]
        assert (last.from_status, last.to_status, last.at) == (current, target, LATER)
        if target == "cancelled":
            assert (last.actor_kind, last.actor_id) == ("resident", resident.id)
        else:
            assert (last.actor_kind, last.actor_id) == ("staff", staff.id)
    else:
        with pytest.raises(InvalidTransition) as caught:
            move(session, booking, target, resident=resident, staff=staff)
        assert (caught.value.current, caught.value.target) == (current, target)
        session.commit()
        assert snapshot(session, booking.id) == before


def test_a_decline_reason_is_kept_on_the_booking_and_in_the_history(
    session, make_resident, make_staff, make_booking
):
    resident, staff = make_resident(), make_staff()
    booking = make_booking(resident)
    decline_booking(session=session, booking_id=booking.id, staff=staff, now=LATER,
                    reason=" 이번 달 정원이 찼습니다 ")
    stored = session.get(Booking, booking.id)
    assert stored.decline_reason == "이번 달 정원이 찼습니다"
    assert list_booking_events(session=session, booking=stored)[-1].detail == "이번 달 정원이 찼습니다"


# --- who may move a booking -------------------------------------------------------------------


@pytest.mark.parametrize("action", ["accepted", "declined", "done"])
def test_staff_of_another_district_may_not_touch_a_booking(
    session, make_resident, make_staff, make_booking, action
):
    resident = make_resident(district="seocho")
    own, other = make_staff(district="seocho"), make_staff(district="yongsan")
    booking = make_booking(resident)
    if action == "done":
        accept_booking(session=session, booking_id=booking.id, staff=own, now=NOW)
    session.commit()
    before = snapshot(session, booking.id)
    with pytest.raises(NotAllowed):
        move(session, booking, action, resident=resident, staff=other)
    session.commit()
    assert snapshot(session, booking.id) == before


def test_city_wide_staff_are_not_district_staff(session, make_resident, make_staff, make_booking):
    booking = make_booking(make_resident(district="seocho"))
    seoul = make_staff(district="seoul")
    with pytest.raises(NotAllowed):
        accept_booking(session=session, booking_id=booking.id, staff=seoul, now=LATER)


def test_a_resident_may_not_cancel_someone_elses_booking(
    session, make_resident, make_booking
):
    owner, stranger = make_resident(), make_resident()
    booking = make_booking(owner)
    session.commit()
    before = snapshot(session, booking.id)
    with pytest.raises(NotAllowed):
        cancel_booking(session=session, booking_id=booking.id, resident=stranger, now=LATER)
    session.commit()
    assert snapshot(session, booking.id) == before


def test_removed_staff_lose_their_rights_at_once(session, make_resident, make_staff, make_booking):
    booking = make_booking(make_resident())
    staff = make_staff()
    remove_staff(session=session, telegram_id=staff.telegram_id)
    with pytest.raises(NotAllowed):
        accept_booking(session=session, booking_id=booking.id, staff=staff, now=LATER)
    assert session.get(Booking, booking.id).status == "requested"


def test_the_wrong_actor_is_told_not_allowed_even_when_the_move_is_impossible(
    session, make_resident, make_staff, make_booking
):
    # Refusing by state first would tell a stranger what state another district's booking is in.
    resident = make_resident()
    booking = make_booking(resident)
    cancel_booking(session=session, booking_id=booking.id, resident=resident, now=LATER)
    with pytest.raises(NotAllowed):
        accept_booking(session=session, booking_id=booking.id, staff=make_staff(district="yongsan"),
                       now=LATER)
    with pytest.raises(NotAllowed):
        cancel_booking(session=session, booking_id=booking.id, resident=make_resident(), now=LATER)


def test_an_unknown_booking_is_reported_as_such(session, make_resident, make_staff):
    with pytest.raises(BookingNotFound):
        accept_booking(session=session, booking_id=4242, staff=make_staff(), now=LATER)
    with pytest.raises(BookingNotFound):
        cancel_booking(session=session, booking_id=4242, resident=make_resident(), now=LATER)


# --- reading ----------------------------------------------------------------------------------


def test_staff_see_only_their_districts_bookings(session, make_resident, make_staff, make_booking):
    seocho_booking = make_booking(make_resident(district="seocho"))
    yongsan_booking = make_booking(make_resident(district="yongsan"))
    seocho_staff, yongsan_staff = make_staff(district="seocho"), make_staff(district="yongsan")

    assert [b.id for b in list_district_bookings(session=session, staff=seocho_staff)] == [
        seocho_booking.id
    ]
    assert get_district_booking(session=session, booking_id=seocho_booking.id,
                                staff=seocho_staff).id == seocho_booking.id
    with pytest.raises(NotAllowed):
        get_district_booking(session=session, booking_id=yongsan_booking.id, staff=seocho_staff)
    accept_booking(session=session, booking_id=yongsan_booking.id, staff=yongsan_staff, now=LATER)
    assert list_district_bookings(session=session, staff=yongsan_staff, statuses=["requested"]) == []


def test_residents_see_only_their_own_bookings_newest_first(session, make_resident, make_booking):
    mina, jun = make_resident(), make_resident()
    older = make_booking(mina)
    newer = make_booking(mina, now=LATER)
    theirs = make_booking(jun)
    assert [b.id for b in list_resident_bookings(session=session, resident=mina)] == [newer.id, older.id]
    assert get_resident_booking(session=session, booking_id=older.id, resident=mina).id == older.id
    with pytest.raises(NotAllowed):
        get_resident_booking(session=session, booking_id=theirs.id, resident=mina)
