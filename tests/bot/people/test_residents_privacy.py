"""Residents, their conversation state, the privacy report, /forget and retention."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session, SQLModel, func, select

from bot.people.privacy import (
    ResidentNotFound,
    erase_expired_personal_fields,
    forget_resident,
    privacy_report,
)
from bot.people.residents import (
    InvalidProfile,
    clear_conversation,
    forget_stale_conversations,
    get_resident,
    load_conversation,
    mark_unreachable,
    register_resident,
    save_conversation,
    update_resident,
)
from bot.requests.bookings import accept_booking, cancel_booking, complete_booking, decline_booking
from bot.sending.outbox import enqueue_message
from bot.store.db import create_schema, make_engine, session_scope
from bot.store.models import Booking, BookingEvent, ConversationState, OutboxMessage, Resident

NOW = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)

# Distinctive values, so that a search of the whole database finds every copy of them.
NAME = "홍길순"
PHONE_TYPED, PHONE = "01098765432", "010-9876-5432"
ADDRESS = "은행나무로 17 303호"
NOTE = "허리가 아파서 병원 동행이 필요해요"
REASON = "홍길순님 이번 달은 정원이 찼어요"
USER_ID = 7_123_456_789


def everything_stored(engine) -> str:
    """Every value of every row of every table, as one string, read past the ORM."""
    values = []
    with Session(engine) as reader:
        for table in SQLModel.metadata.sorted_tables:
            for row in reader.connection().execute(table.select()):
                values.extend(str(v) for v in row)
    return "\n".join(values)


# --- residents --------------------------------------------------------------------------------


def test_consent_creates_the_resident_with_its_time(session, now):
    assert get_resident(session=session, platform_user_id=USER_ID) is None
    resident = register_resident(session=session, platform_user_id=USER_ID, chat_id=USER_ID,
                                 first_name=f"  {NAME} ", language="en", district="eunpyeong",
                                 now=now, age_band="60s", gender="female")
    session.commit()
    session.expire_all()
    stored = get_resident(session=session, platform_user_id=USER_ID)
    assert stored.id == resident.id
    assert (stored.first_name, stored.language, stored.district) == (NAME, "en", "eunpyeong")
    assert (stored.age_band, stored.gender) == ("60s", "female")
    assert stored.consented_at == stored.created_at == stored.updated_at == now
    assert stored.active is True and stored.muted_notices is False


def test_consenting_again_updates_the_same_row(session, now):
    first = register_resident(session=session, platform_user_id=1, chat_id=1, first_name="A",
                              language="ko", district="seocho", now=now, age_band="50s")
    update_resident(session=session, resident=first, now=now, active=False)  # blocked the bot
    again = register_resident(session=session, platform_user_id=1, chat_id=2, first_name="B",
                              language="en", district="yongsan", now=LATER)
    assert again.id == first.id
    assert (again.chat_id, again.first_name, again.district) == (2, "B", "yongsan")
    assert (again.consented_at, again.created_at, again.active) == (LATER, now, True)
    assert again.age_band == "50s"  # not given again, so kept
    assert session.exec(select(func.count()).select_from(Resident)).one() == 1


@pytest.mark.parametrize(
    "bad", [{"language": "fr"}, {"age_band": "30s"}, {"gender": "other"}, {"district": " "}]
)
def test_values_outside_the_vocabulary_are_refused(session, now, bad):
    values = dict(language="ko", district="seocho", age_band=None, gender=None) | bad
    with pytest.raises(InvalidProfile):
        register_resident(session=session, platform_user_id=1, chat_id=1, first_name="A",
                          now=now, **values)
    assert session.exec(select(Resident)).all() == []


def test_update_changes_only_what_is_given(session, make_resident):
    resident = make_resident()
    update_resident(session=session, resident=resident, now=NOW, age_band="70-plus")
    update_resident(session=session, resident=resident, now=LATER, muted_notices=True, language="en")
    session.commit()
    session.expire_all()
    stored = session.get(Resident, resident.id)
    assert (stored.age_band, stored.muted_notices, stored.language) == ("70-plus", True, "en")
    assert stored.district == "seocho" and stored.updated_at == LATER
    update_resident(session=session, resident=stored, now=LATER, age_band=None)
    assert session.get(Resident, resident.id).age_band is None
    with pytest.raises(InvalidProfile):
        update_resident(session=session, resident=stored, now=LATER, gender="x")


def test_a_blocked_chat_makes_the_resident_inactive(session, make_resident):
    resident, other = make_resident(chat_id=555), make_resident(chat_id=556)
    assert mark_unreachable(session=session, chat_id=555, now=LATER) == 1
    assert mark_unreachable(session=session, chat_id=555, now=LATER) == 0
    session.expire_all()
    assert session.get(Resident, resident.id).active is False
    assert session.get(Resident, other.id).active is True


# --- conversation state -----------------------------------------------------------------------


def test_onboarding_state_is_kept_before_any_resident_row_exists(session):
    save_conversation(session=session, platform_user_id=USER_ID, state="choose_district",
                      data={"language": "en"}, now=NOW)
    session.commit()
    assert session.exec(select(Resident)).all() == []
    loaded = load_conversation(session=session, platform_user_id=USER_ID)
    assert (loaded.state, loaded.data, loaded.updated_at) == ("choose_district", {"language": "en"}, NOW)


def test_conversation_state_survives_a_restart(tmp_path):
    url = f"sqlite:///{(tmp_path / 'bot.sqlite3').as_posix()}"
    engine = make_engine(url)
    create_schema(engine)
    with session_scope(engine) as session:
        save_conversation(session=session, platform_user_id=1, state="booking.phone",
                          data={"program": "seocho.health119", "date": "2025-03-05",
                                "window": ("morning",)}, now=NOW)
    engine.dispose()

    restarted = make_engine(url)
    with session_scope(restarted) as session:
        loaded = load_conversation(session=session, platform_user_id=1)
    restarted.dispose()
    assert loaded.state == "booking.phone"
    assert loaded.data == {"program": "seocho.health119", "date": "2025-03-05", "window": ["morning"]}


def test_saving_replaces_and_clearing_removes(session):
    save_conversation(session=session, platform_user_id=1, state="a", data={"x": 1}, now=NOW)
    save_conversation(session=session, platform_user_id=1, state="b", data={}, now=LATER)
    loaded = load_conversation(session=session, platform_user_id=1)
    assert (loaded.state, loaded.data, loaded.updated_at) == ("b", {}, LATER)
    loaded.data["mutated"] = True  # a copy: changing it changes nothing stored
    assert load_conversation(session=session, platform_user_id=1).data == {}
    clear_conversation(session=session, platform_user_id=1)
    assert load_conversation(session=session, platform_user_id=1) is None


def test_conversation_data_must_be_small_json(session):
    with pytest.raises(TypeError):
        save_conversation(session=session, platform_user_id=1, state="a", data={"when": NOW}, now=NOW)
    with pytest.raises(ValueError):
        save_conversation(session=session, platform_user_id=1, state="a", data={"x": "가" * 5000},
                          now=NOW)
    assert load_conversation(session=session, platform_user_id=1) is None


def test_abandoned_conversations_are_forgotten(session):
    save_conversation(session=session, platform_user_id=1, state="consent", data={}, now=NOW)
    save_conversation(session=session, platform_user_id=2, state="consent", data={},
                      now=NOW + timedelta(days=20))
    assert forget_stale_conversations(session=session, now=NOW + timedelta(days=31),
                                      max_age=timedelta(days=30)) == 1
    assert load_conversation(session=session, platform_user_id=1) is None
    assert load_conversation(session=session, platform_user_id=2) is not None


# --- a resident with a full history -----------------------------------------------------------


@pytest.fixture
def hong(session, make_resident, make_staff, make_booking):
    """A resident with an open, an accepted, a declined and a cancelled booking, a
    conversation in progress and queued messages to and about her."""
    resident = make_resident(platform_user_id=USER_ID, chat_id=USER_ID, first_name=NAME,
                             district="eunpyeong")
    staff = make_staff(district="eunpyeong")

    def book(key):
        return make_booking(resident, request_key=f"{USER_ID}:{key}", phone=PHONE_TYPED,
                            address_detail=ADDRESS, note=NOTE, program_id="eunpyeong.neighbour")

    open_booking = book(1)
    accepted = book(2)
    accept_booking(session=session, booking_id=accepted.id, staff=staff, now=NOW)
    declined = book(3)
    decline_booking(session=session, booking_id=declined.id, staff=staff, now=NOW, reason=REASON)
    cancelled = book(4)
    cancel_booking(session=session, booking_id=cancelled.id, resident=resident, now=NOW,
                   reason=f"{NAME} 입원")
    save_conversation(session=session, platform_user_id=USER_ID, state="booking.note",
                      data={"note": NOTE}, now=NOW)
    enqueue_message(session=session, chat_id=staff.telegram_id, resident_id=resident.id,
                    text=f"새 신청: {NAME} {PHONE}", buttons=None, now=NOW)
    enqueue_message(session=session, chat_id=USER_ID, text="신청이 수락되었습니다", buttons=None,
                    now=NOW)
    session.commit()
    return dict(resident=resident, staff=staff, open=open_booking, accepted=accepted,
                declined=declined, cancelled=cancelled)


def test_the_privacy_report_shows_everything_stored(session, hong):
    report = privacy_report(session=session, resident_id=hong["resident"].id)
    assert report.resident.first_name == NAME
    assert report.resident.platform_user_id == USER_ID
    assert report.resident.consented_at == NOW
    assert [b.id for b in report.bookings] == [hong[k].id for k in ("open", "accepted", "declined",
                                                                      "cancelled")]
    assert all((b.phone, b.address_detail, b.note) == (PHONE, ADDRESS, NOTE) for b in report.bookings)
    declined = report.bookings[2]
    assert declined.decline_reason == REASON
    assert [(e.from_status, e.to_status) for e in declined.events] == [(None, "requested"),
                                                                      ("requested", "declined")]
    assert report.conversation.state == "booking.note"
    assert report.conversation.data == {"note": NOTE}
    assert sorted(m.text for m in report.outbox) == sorted([f"새 신청: {NAME} {PHONE}",
                                                            "신청이 수락되었습니다"])
    exported = report.model_dump_json()
    assert PHONE in exported and NAME in exported


def test_no_report_for_someone_unknown(session):
    with pytest.raises(ResidentNotFound):
        privacy_report(session=session, resident_id=12345)


def test_forget_erases_the_resident_from_every_table(engine, session, hong, make_resident,
                                                     make_booking):
    neighbour = make_resident(first_name="이웃", district="eunpyeong")
    neighbours_booking = make_booking(neighbour, phone="010-5555-4444", note="이웃 메모")
    session.commit()
    before = everything_stored(engine)
    for value in (NAME, PHONE, ADDRESS, NOTE, REASON, str(USER_ID)):
        assert value in before  # the search below would otherwise prove nothing

    result = forget_resident(session=session, resident_id=hong["resident"].id, now=LATER)
    session.commit()

    after = everything_stored(engine)
    for value in (NAME, PHONE, ADDRESS, NOTE, REASON, str(USER_ID)):
        assert value not in after, f"{value!r} survived /forget"
    assert result.found is True
    assert sorted(result.anonymised_booking_ids) == sorted(
        hong[k].id for k in ("open", "accepted", "declined", "cancelled"))
    assert {c.booking_id for c in result.cancelled} == {hong["open"].id, hong["accepted"].id}
    assert {c.district for c in result.cancelled} == {"eunpyeong"}

    with Session(engine) as fresh:
        assert fresh.get(Resident, hong["resident"].id) is None
        assert fresh.get(ConversationState, USER_ID) is None
        assert fresh.exec(select(OutboxMessage)).all() == []
        # The anonymous record stays: program, district, status, dates and the status history.
        kept = {b.id: b for b in fresh.exec(select(Booking).where(Booking.resident_id.is_(None)))}
        assert set(kept) == set(result.anonymised_booking_ids)
        assert {b.status for b in kept.values()} == {"cancelled", "declined"}
        assert kept[hong["open"].id].closed_at == LATER
        for booking in kept.values():
            assert booking.program_id == "eunpyeong.neighbour"
            assert booking.district == "eunpyeong"
            assert booking.created_at == NOW
            assert (booking.phone, booking.address_detail, booking.note, booking.decline_reason) == (
                None, None, None, None)
            assert booking.personal_data_erased_at == LATER
        history = fresh.exec(
            select(BookingEvent).where(BookingEvent.booking_id == hong["accepted"].id)
            .order_by(BookingEvent.id)
        ).all()
        assert [(e.from_status, e.to_status, e.actor_kind) for e in history] == [
            (None, "requested", "resident"),
            ("requested", "accepted", "staff"),
            ("accepted", "cancelled", "system"),
        ]
        assert all(e.detail is None for e in history)
        assert all(e.actor_id is None for e in history if e.actor_kind == "resident")
        assert history[1].actor_id == hong["staff"].id
        # Another resident's data is untouched.
        assert fresh.get(Resident, neighbour.id).first_name == "이웃"
        assert fresh.get(Booking, neighbours_booking.id).phone == "010-5555-4444"
        assert fresh.get(Booking, neighbours_booking.id).note == "이웃 메모"


def test_forgetting_twice_is_harmless(session, hong):
    assert forget_resident(session=session, resident_id=hong["resident"].id, now=LATER).found
    assert forget_resident(session=session, resident_id=hong["resident"].id, now=LATER).found is False


def test_a_forgotten_resident_can_start_again(session, hong, make_resident):
    forget_resident(session=session, resident_id=hong["resident"].id, now=LATER)
    session.commit()
    again = make_resident(platform_user_id=USER_ID, chat_id=USER_ID)
    assert again.id is not None
    assert privacy_report(session=session, resident_id=again.id).bookings == []


# --- retention --------------------------------------------------------------------------------


def test_closed_bookings_lose_contact_details_after_the_retention_period(
    engine, session, make_resident, make_staff, make_booking
):
    resident, staff = make_resident(district="seocho"), make_staff(district="seocho")
    done = make_booking(resident, phone="010-1111-2222")
    accept_booking(session=session, booking_id=done.id, staff=staff, now=NOW)
    complete_booking(session=session, booking_id=done.id, staff=staff, now=NOW + timedelta(days=1))
    declined = make_booking(resident, phone="010-3333-4444")
    decline_booking(session=session, booking_id=declined.id, staff=staff, now=NOW, reason=REASON)
    still_open = make_booking(resident, phone="010-5555-6666")
    accept_booking(session=session, booking_id=still_open.id, staff=staff, now=NOW)
    session.commit()

    # 180 days after the decline, but not yet after the completion (closed a day later).
    day_180 = NOW + timedelta(days=180, minutes=1)
    assert erase_expired_personal_fields(session=session, now=day_180, retention_days=180) == 1
    session.commit()
    session.expire_all()
    assert session.get(Booking, declined.id).phone is None
    assert session.get(Booking, declined.id).decline_reason is None
    assert session.get(Booking, done.id).phone == "010-1111-2222"

    day_182 = NOW + timedelta(days=182)
    assert erase_expired_personal_fields(session=session, now=day_182, retention_days=180) == 1
    assert erase_expired_personal_fields(session=session, now=day_182, retention_days=180) == 0
    session.commit()
    session.expire_all()
    for booking_id in (done.id, declined.id):
        booking = session.get(Booking, booking_id)
        assert (booking.phone, booking.address_detail, booking.note) == (None, None, None)
        assert booking.personal_data_erased_at is not None
        assert booking.resident_id == resident.id  # the resident is still here; only details go
    # An accepted booking is open however old it is: staff still need to call.
    assert session.get(Booking, still_open.id).phone == "010-5555-6666"
    session.commit()
    stored = everything_stored(engine)
    assert "010-1111-2222" not in stored and "010-3333-4444" not in stored and REASON not in stored


def test_retention_is_counted_from_closing_not_from_the_request(session, make_resident, make_booking):
    resident = make_resident()
    booking = make_booking(resident)
    cancel_booking(session=session, booking_id=booking.id, resident=resident,
                   now=NOW + timedelta(days=100))
    assert erase_expired_personal_fields(session=session, now=NOW + timedelta(days=200),
                                         retention_days=180) == 0
    assert erase_expired_personal_fields(session=session, now=NOW + timedelta(days=281),
                                         retention_days=180) == 1


def test_foreign_keys_are_on_in_the_test_database(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("only SQLite needs foreign keys switched on")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
