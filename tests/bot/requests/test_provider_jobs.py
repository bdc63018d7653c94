"""The job and cap services (bot.requests.provider_jobs, bot.requests.yearly_cap,
bot.people.providers) without the conversation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from bot.people.providers import ProviderMemberError, add_member, list_members, remove_member
from bot.people.residents import register_resident
from bot.people.staff import add_staff
from bot.requests.bookings import NotAllowed, accept_booking, cancel_booking, create_booking
from bot.requests.provider_jobs import (
    Delivered,
    InvalidJobDetails,
    InvalidJobMove,
    JobNotFound,
    assign_job,
    complete_job,
    confirm_job,
    contact_for_provider,
    rate_job,
    refuse_job,
    schedule_visit,
    take_job,
    withdraw_open_jobs,
)
from bot.requests.yearly_cap import CapReached, accept_request, yearly_use
from bot.store.models import BookingEvent, JobStatus
from catalog import load_catalog

NOW = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)
PROGRAM = "seoul.sos.home-repair"
PROVIDER = "yongsan.the-plant-coop"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture
def world(session, catalog):
    resident = register_resident(session=session, platform_user_id=11, chat_id=11, first_name="Mina",
                                 language="ko", district="yongsan", now=NOW)
    staff = add_staff(session=session, telegram_id=21, district="yongsan", name="Kim",
                      known_districts=catalog.districts, now=NOW)
    member = add_member(session=session, catalog=catalog, telegram_id=31, provider_id=PROVIDER, name="Lee", now=NOW)
    other = add_member(session=session, catalog=catalog, telegram_id=32, provider_id="yongsan.soop-food",
                       name="Park", now=NOW)
    return resident, staff, member, other


def _accepted_booking(session, resident, staff, key="k1", share=True, program=PROGRAM):
    booking = create_booking(session=session, resident=resident, program_id=program,
                             preferred_date=date(2025, 3, 5), time_window="morning", phone="01012345678",
                             address_detail="101호", request_key=key, share_contact=share, now=NOW)
    return accept_booking(session=session, booking_id=booking.id, staff=staff, now=NOW)


def _done_job(session, catalog, resident, staff, member, key, service_krw, at=NOW):
    booking = _accepted_booking(session, resident, staff, key=key)
    job = assign_job(session=session, catalog=catalog, booking_id=booking.id, provider_id=PROVIDER, staff=staff, now=at)
    take_job(session=session, job_id=job.id, member=member, now=at)
    return complete_job(session=session, job_id=job.id, member=member, now=at,
                        delivered=Delivered(minutes=60, meals=0, materials_krw=0, service_krw=service_krw))


def test_a_member_of_another_provider_cannot_touch_the_job(session, catalog, world):
    resident, staff, member, other = world
    booking = _accepted_booking(session, resident, staff)
    job = assign_job(session=session, catalog=catalog, booking_id=booking.id, provider_id=PROVIDER, staff=staff,
                     now=NOW)
    for move in (lambda: take_job(session=session, job_id=job.id, member=other, now=NOW),
                 lambda: refuse_job(session=session, job_id=job.id, member=other, reason=None, now=NOW)):
        with pytest.raises(JobNotFound):
            move()
    assert job.status == JobStatus.OFFERED


def test_assigning_needs_district_staff_a_listed_provider_and_an_accepted_request(session, catalog, world):
    resident, staff, member, _ = world
    other_staff = add_staff(session=session, telegram_id=22, district="eunpyeong", name="Choi",
                            known_districts=catalog.districts, now=NOW)
    booking = _accepted_booking(session, resident, staff)
    with pytest.raises(NotAllowed):
        assign_job(session=session, catalog=catalog, booking_id=booking.id, provider_id=PROVIDER, staff=other_staff,
                   now=NOW)
    with pytest.raises(NotAllowed):  # a meal maker is not listed for home repairs
        assign_job(session=session, catalog=catalog, booking_id=booking.id, provider_id="yongsan.soop-food",
                   staff=staff, now=NOW)
    assign_job(session=session, catalog=catalog, booking_id=booking.id, provider_id=PROVIDER, staff=staff, now=NOW)
    with pytest.raises(InvalidJobMove):  # one open job per request
        assign_job(session=session, catalog=catalog, booking_id=booking.id, provider_id=PROVIDER, staff=staff, now=NOW)


def test_amounts_are_whole_numbers_within_bounds():
    with pytest.raises(InvalidJobDetails):
        Delivered(minutes=60, meals=0, materials_krw=1500.5, service_krw=0)
    with pytest.raises(InvalidJobDetails):
        Delivered(minutes=True, meals=0, materials_krw=0, service_krw=0)
    with pytest.raises(InvalidJobDetails):
        Delivered(minutes=60, meals=-1, materials_krw=0, service_krw=0)


def test_the_job_moves_in_order_and_each_step_is_in_the_history(session, catalog, world):
    resident, staff, member, _ = world
    booking = _accepted_booking(session, resident, staff)
    job = assign_job(session=session, catalog=catalog, booking_id=booking.id, provider_id=PROVIDER, staff=staff,
                     now=NOW)
    with pytest.raises(InvalidJobMove):  # a visit before taking it
        schedule_visit(session=session, job_id=job.id, member=member, visit_at=NOW + timedelta(days=1), now=NOW)
    take_job(session=session, job_id=job.id, member=member, now=NOW)
    schedule_visit(session=session, job_id=job.id, member=member, visit_at=NOW + timedelta(days=1), now=NOW)
    assert contact_for_provider(job, booking) == ("010-1234-5678", "101호")
    complete_job(session=session, job_id=job.id, member=member, now=NOW,
                 delivered=Delivered(minutes=90, meals=2, materials_krw=12000, service_krw=30000))
    assert booking.status == "done" and job.cost_krw == 42000
    assert contact_for_provider(job, booking) == (None, None)  # closed: no more contact details
    confirm_job(session=session, job_id=job.id, resident=resident, confirmed=True, now=NOW)
    with pytest.raises(InvalidJobMove):
        confirm_job(session=session, job_id=job.id, resident=resident, confirmed=False, now=NOW)
    rate_job(session=session, job_id=job.id, resident=resident, rating=5, now=NOW)
    with pytest.raises(InvalidJobMove):
        rate_job(session=session, job_id=job.id, resident=resident, rating=1, now=NOW)
    events = session.exec(select(BookingEvent).where(BookingEvent.booking_id == booking.id)
                          .order_by(BookingEvent.id)).all()
    assert [(e.actor_kind, e.action) for e in events] == [
        ("resident", None), ("staff", None), ("staff", "assign"), ("provider", "take"), ("provider", "visit"),
        ("provider", "done"), ("provider", None), ("resident", "confirm"), ("resident", "rate")]


def test_only_the_resident_of_the_request_confirms_it(session, catalog, world):
    resident, staff, member, _ = world
    job = _done_job(session, catalog, resident, staff, member, "k1", 1000)
    stranger = register_resident(session=session, platform_user_id=12, chat_id=12, first_name="X",
                                 language="ko", district="yongsan", now=NOW)
    with pytest.raises(JobNotFound):
        confirm_job(session=session, job_id=job.id, resident=stranger, confirmed=True, now=NOW)


def test_no_contact_details_without_consent(session, catalog, world):
    resident, staff, _, _ = world
    booking = _accepted_booking(session, resident, staff, share=False)
    job = assign_job(session=session, catalog=catalog, booking_id=booking.id, provider_id=PROVIDER, staff=staff,
                     now=NOW)
    assert contact_for_provider(job, booking) == (None, None)


def test_cancelling_the_request_withdraws_its_job(session, catalog, world):
    resident, staff, member, _ = world
    booking = _accepted_booking(session, resident, staff)
    job = assign_job(session=session, catalog=catalog, booking_id=booking.id, provider_id=PROVIDER, staff=staff,
                     now=NOW)
    cancel_booking(session=session, booking_id=booking.id, resident=resident, now=NOW)
    assert [j.id for j in withdraw_open_jobs(session=session, booking_id=booking.id, now=NOW)] == [job.id]
    with pytest.raises(InvalidJobMove):
        take_job(session=session, job_id=job.id, member=member, now=NOW)


def test_the_cap_counts_done_jobs_of_the_scope_in_the_korean_year(session, catalog, world):
    resident, staff, member, _ = world
    _done_job(session, catalog, resident, staff, member, "a", 1_000_000)
    # 23:30 on 31 December in Korea is still last year.
    _done_job(session, catalog, resident, staff, member, "b", 500_000, at=datetime(2024, 12, 31, 14, 30, tzinfo=UTC))
    use = yearly_use(session=session, catalog=catalog, resident_id=resident.id, program_id="seoul.sos.meal", at=NOW)
    assert (use.used_krw, use.cap_krw, use.percent, use.warn, use.reached) == (1_000_000, 1_580_000, 63, False, False)
    _done_job(session, catalog, resident, staff, member, "c", 300_000)
    use = yearly_use(session=session, catalog=catalog, resident_id=resident.id, program_id=PROGRAM, at=NOW)
    assert (use.percent, use.warn) == (82, True)
    uncapped = next(p.id for p in catalog.programs.values() if p.cost.yearly_cap_krw is None)
    assert yearly_use(session=session, catalog=catalog, resident_id=resident.id, program_id=uncapped, at=NOW) is None


def test_accepting_over_the_cap_needs_a_reason_which_is_recorded(session, catalog, world):
    resident, staff, member, _ = world
    _done_job(session, catalog, resident, staff, member, "a", 1_580_000)
    booking = create_booking(session=session, resident=resident, program_id=PROGRAM, preferred_date=date(2025, 3, 5),
                             time_window="any", phone="01012345678", request_key="new", now=NOW)
    with pytest.raises(CapReached):
        accept_request(session=session, catalog=catalog, booking_id=booking.id, staff=staff, now=NOW)
    assert booking.status == "requested"
    accept_request(session=session, catalog=catalog, booking_id=booking.id, staff=staff, now=NOW,
                   override_reason="긴급 수리")
    override = session.exec(select(BookingEvent).where(BookingEvent.action == "override")).one()
    assert (override.detail, override.actor_id, booking.status) == ("긴급 수리", staff.id, "accepted")


def test_provider_members(session, catalog):
    member = add_member(session=session, catalog=catalog, telegram_id=77, provider_id=PROVIDER, name="A", now=NOW)
    with pytest.raises(ProviderMemberError):
        add_member(session=session, catalog=catalog, telegram_id=77, provider_id=PROVIDER, name="B", now=NOW)
    with pytest.raises(ProviderMemberError):
        add_member(session=session, catalog=catalog, telegram_id=78, provider_id="nowhere.none", name="C", now=NOW)
    assert [m.id for m in list_members(session=session, provider_id=PROVIDER)] == [member.id]
    assert remove_member(session=session, telegram_id=77) and not remove_member(session=session, telegram_id=77)


def test_retention_and_the_privacy_report_reach_photos_jobs_and_comments(session, catalog, world):
    from bot.people.privacy import erase_expired_personal_fields, privacy_report
    from bot.store.models import BookingPhoto

    resident, staff, member, _ = world
    booking = create_booking(session=session, resident=resident, program_id=PROGRAM, preferred_date=date(2025, 3, 5),
                             time_window="any", phone="01012345678", request_key="p", photo_ids=["file-1"], now=NOW)
    accept_booking(session=session, booking_id=booking.id, staff=staff, now=NOW)
    job = assign_job(session=session, catalog=catalog, booking_id=booking.id, provider_id=PROVIDER, staff=staff,
                     now=NOW)
    take_job(session=session, job_id=job.id, member=member, now=NOW)
    complete_job(session=session, job_id=job.id, member=member, now=NOW,
                 delivered=Delivered(minutes=30, meals=0, materials_krw=0, service_krw=10000))
    rate_job(session=session, job_id=job.id, resident=resident, rating=3, comment="늦었어요", now=NOW)
    record = privacy_report(session=session, resident_id=resident.id).bookings[0]
    assert record.photos == ["file-1"] and record.jobs[0].rating_comment == "늦었어요"

    assert erase_expired_personal_fields(session=session, now=NOW + timedelta(days=91), retention_days=90) == 1
    session.refresh(job)
    assert session.exec(select(BookingPhoto)).all() == []
    assert (job.rating, job.rating_comment, job.service_krw) == (3, None, 10000)
