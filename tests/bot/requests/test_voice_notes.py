"""Voice notes kept with a request, call-backs as requests, and both erased like the request's
other personal details (retention, /forget), and shown to the resident by the privacy report."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from bot.core.messages import VoiceNote
from bot.people.phones import InvalidPhone
from bot.people.privacy import erase_expired_personal_fields, forget_resident, privacy_report
from bot.requests.bookings import InvalidBookingDetails, accept_booking, cancel_booking, complete_booking
from bot.requests.call_backs import CALL_BACK_PROGRAM, create_call_back, is_call_back
from bot.requests.voice_notes import (
    MAX_VOICE_NOTES,
    MAX_VOICE_SECONDS,
    VoiceProblem,
    as_draft,
    count_voice_notes,
    duration_text,
    from_drafts,
    voice_notes_of,
    voice_problem,
)
from bot.store.models import Booking, BookingStatus, BookingVoice, TimeWindow
from catalog import load_catalog
from catalog.schema import PROGRAM_ID_PATTERN

NOW = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)  # 10:00 in Seoul
LEAK = VoiceNote("AwACAgQ-leak", 42, 9000)
DOOR = VoiceNote("AwACAgQ-door", 5)


def voices(session: Session) -> list[tuple[int, str, int]]:
    return [(v.booking_id, v.file_id, v.seconds) for v in session.exec(select(BookingVoice).order_by(BookingVoice.id))]


@pytest.mark.parametrize(("voice", "problem"), [
    (VoiceNote("AwAC-ok", 1), None),
    (VoiceNote("AwAC-ok", MAX_VOICE_SECONDS, 1), None),
    (VoiceNote("AwAC-empty", 0), VoiceProblem.EMPTY),
    (VoiceNote("AwAC-empty", 12, 0), VoiceProblem.EMPTY),
    (VoiceNote("AwAC-negative", -3), VoiceProblem.EMPTY),
    (VoiceNote("AwAC-long", MAX_VOICE_SECONDS + 1), VoiceProblem.TOO_LONG),
    (VoiceNote("AwAC-long", 11 * 60), VoiceProblem.TOO_LONG),
    (VoiceNote("", 10), VoiceProblem.UNREADABLE),
    (VoiceNote("x" * 257, 10), VoiceProblem.UNREADABLE),
    (None, VoiceProblem.UNREADABLE),
])
def test_which_voice_notes_can_be_kept(voice, problem):
    assert voice_problem(voice) is problem


def test_drafts_keep_only_the_id_and_length_and_drop_what_is_malformed():
    assert as_draft(LEAK) == {"file_id": "AwACAgQ-leak", "seconds": 42}
    drafts = [as_draft(LEAK), {"file_id": "AwAC-x", "seconds": 0}, "junk", {"seconds": 3}, as_draft(DOOR)]
    assert from_drafts(drafts) == [VoiceNote("AwACAgQ-leak", 42), DOOR]
    assert [duration_text(s) for s in (0, 9, 42, 185, 600)] == ["0:00", "0:09", "0:42", "3:05", "10:00"]


def test_a_request_keeps_its_voice_notes_in_order(session, make_resident, make_booking):
    resident = make_resident()
    booking = make_booking(resident, voice_notes=[LEAK, DOOR])
    assert [(v.file_id, v.seconds) for v in voice_notes_of(session=session, booking_id=booking.id)] == [
        ("AwACAgQ-leak", 42), ("AwACAgQ-door", 5)]
    assert count_voice_notes(session=session, booking_id=booking.id) == 2
    # Idempotent: the same request key again adds nothing.
    again = make_booking(resident, request_key=booking.request_key, voice_notes=[LEAK, DOOR])
    assert again.id == booking.id and count_voice_notes(session=session, booking_id=booking.id) == 2


@pytest.mark.parametrize("notes", [
    [LEAK] * (MAX_VOICE_NOTES + 1),
    [VoiceNote("AwAC-empty", 0)],
    [VoiceNote("AwAC-long", MAX_VOICE_SECONDS + 1)],
])
def test_unusable_voice_notes_are_refused_with_nothing_stored(session, make_resident, make_booking, notes):
    resident = make_resident()
    with pytest.raises(InvalidBookingDetails) as refused:
        make_booking(resident, voice_notes=notes)
    assert refused.value.field_name == "voice_notes"
    assert session.exec(select(func.count()).select_from(Booking)).one() == 0
    assert voices(session) == []


def test_a_call_back_is_a_request_for_today_at_any_time_with_only_a_phone(session, make_resident, make_staff):
    resident = make_resident(district="yongsan")
    later_that_evening = datetime(2025, 3, 3, 14, 30, tzinfo=UTC)  # 23:30 in Seoul, still the 3rd there
    booking = create_call_back(session=session, resident=resident, phone="010 2222 3333", request_key="7:cbab12",
                               now=later_that_evening, voice_notes=[LEAK])
    assert (booking.program_id, booking.district, booking.preferred_date, booking.time_window, booking.phone,
            booking.address_detail, booking.note, booking.status) == (
        CALL_BACK_PROGRAM, "yongsan", date(2025, 3, 3), TimeWindow.ANY, "010-2222-3333", None, None,
        BookingStatus.REQUESTED)
    assert voices(session) == [(booking.id, "AwACAgQ-leak", 42)]
    again = create_call_back(session=session, resident=resident, phone="010 2222 3333", request_key="7:cbab12",
                             now=later_that_evening)
    assert again.id == booking.id
    with pytest.raises(InvalidPhone):
        create_call_back(session=session, resident=resident, phone="1577-1000", request_key="7:cbff00", now=NOW)
    # Staff accept and close it like any request; a resident may cancel theirs.
    staff = make_staff(district="yongsan")
    accept_booking(session=session, booking_id=booking.id, staff=staff, now=NOW)
    assert complete_booking(session=session, booking_id=booking.id, staff=staff, now=NOW).status == BookingStatus.DONE
    second = create_call_back(session=session, resident=resident, phone="02-123-4567", request_key="7:cbcd34", now=NOW)
    assert cancel_booking(session=session, booking_id=second.id, resident=resident,
                          now=NOW).status == BookingStatus.CANCELLED


def test_the_call_back_id_can_never_name_a_catalog_program():
    assert is_call_back(CALL_BACK_PROGRAM) and not is_call_back("seocho.handyman") and not is_call_back(None)
    assert re.fullmatch(PROGRAM_ID_PATTERN, CALL_BACK_PROGRAM) is None
    assert CALL_BACK_PROGRAM not in load_catalog().programs


def test_retention_erases_the_voice_notes_of_closed_requests_only(session, make_resident, make_booking, make_staff):
    resident = make_resident()
    staff = make_staff()
    closed = make_booking(resident, voice_notes=[LEAK])
    still_open = make_booking(resident, voice_notes=[DOOR])
    accept_booking(session=session, booking_id=closed.id, staff=staff, now=NOW)
    complete_booking(session=session, booking_id=closed.id, staff=staff, now=NOW)

    assert erase_expired_personal_fields(session=session, now=NOW + timedelta(days=89), retention_days=90) == 0
    assert len(voices(session)) == 2
    assert erase_expired_personal_fields(session=session, now=NOW + timedelta(days=91), retention_days=90) == 1
    assert voices(session) == [(still_open.id, "AwACAgQ-door", 5)]


def test_the_privacy_report_lists_voice_notes_and_forget_erases_them(session, make_resident, make_booking):
    resident = make_resident()
    other = make_resident()
    mine = make_booking(resident, voice_notes=[LEAK])
    theirs = make_booking(other, voice_notes=[DOOR])
    report = privacy_report(session=session, resident_id=resident.id)
    assert [b.voice_notes for b in report.bookings] == [[("AwACAgQ-leak", 42)]]

    assert forget_resident(session=session, resident_id=resident.id, now=NOW).found
    assert voices(session) == [(theirs.id, "AwACAgQ-door", 5)]
    assert session.get(Booking, mine.id).resident_id is None  # the request stays, anonymous
