"""Per-provider figures of a district (`bot.reports.job_stats`) and the /stats answer built from them."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from bot.people.providers import add_member
from bot.reports import job_stats
from bot.reports.job_stats import MESSAGE_LIMIT, district_stats, stats_message
from bot.requests.bookings import accept_booking
from bot.requests.provider_jobs import Delivered, assign_job, complete_job, rate_job, take_job
from bot.store.models import JobStatus

from .conftest import CARE_PROVIDER, DISTRICT, MEALS_PROVIDER, kst

OCTOBER = (kst(2026, 10, 1), kst(2026, 11, 1))


def _meals_month(make_job):
    """Three meal jobs done in October (known figures), and two done just outside it."""
    make_job(requested_at=kst(2026, 10, 1, 9), done_at=kst(2026, 10, 2, 9), minutes=30, meals=10,
             materials_krw=1_000, service_krw=20_000, rating=5)
    make_job(requested_at=kst(2026, 10, 10, 12), done_at=kst(2026, 10, 13, 12), minutes=45, meals=20,
             materials_krw=0, service_krw=15_000, rating=4)
    make_job(requested_at=kst(2026, 10, 31, 21, 30), done_at=kst(2026, 10, 31, 23, 30), minutes=60, meals=5,
             materials_krw=2_500, service_krw=0)
    make_job(requested_at=kst(2026, 10, 31, 22), done_at=kst(2026, 11, 1, 0, 10), minutes=99, meals=99,
             materials_krw=99, service_krw=99, rating=1)
    make_job(requested_at=kst(2026, 9, 30, 8), done_at=kst(2026, 9, 30, 23, 59), minutes=99, meals=99,
             materials_krw=99, service_krw=99, rating=1)


def test_done_jobs_are_summed_per_provider_and_program_within_the_period(session, make_job):
    _meals_month(make_job)
    [meals] = district_stats(session, DISTRICT, *OCTOBER)
    assert (meals.provider_id, meals.program_id) == (MEALS_PROVIDER, "gwangjin.nutrition")
    assert (meals.jobs_done, meals.meals, meals.minutes) == (3, 35, 135)
    assert meals.cost_krw == 38_500 and isinstance(meals.cost_krw, int)
    assert meals.hours == Decimal("2.3")  # 135 minutes, shown with one decimal
    assert (meals.rating_sum, meals.rating_count, meals.average_rating) == (9, 2, Decimal("4.5"))
    # Waits of 1 day, 3 days and 2 hours: the median is the day.
    assert meals.median_wait == timedelta(days=1)


def test_refused_in_the_period_and_open_now_are_counted(session, make_job):
    make_job(CARE_PROVIDER, requested_at=kst(2026, 10, 5), status=JobStatus.REFUSED, updated_at=kst(2026, 10, 6))
    make_job(CARE_PROVIDER, requested_at=kst(2026, 9, 5), status=JobStatus.REFUSED, updated_at=kst(2026, 9, 6))
    make_job(CARE_PROVIDER, requested_at=kst(2026, 8, 5), status=JobStatus.OFFERED)
    make_job(CARE_PROVIDER, requested_at=kst(2026, 10, 20), status=JobStatus.SCHEDULED)
    make_job(CARE_PROVIDER, requested_at=kst(2026, 10, 21), status=JobStatus.WITHDRAWN)
    [care] = district_stats(session, DISTRICT, *OCTOBER)
    assert (care.jobs_done, care.refused, care.open_now) == (0, 1, 2)
    assert care.average_rating is None and care.median_wait is None


def test_another_districts_jobs_are_not_counted(session, make_job):
    make_job("yongsan.soop-food", district="yongsan", requested_at=kst(2026, 10, 2),
             done_at=kst(2026, 10, 3), meals=7)
    assert district_stats(session, DISTRICT, *OCTOBER) == []
    assert district_stats(session, "yongsan", *OCTOBER)[0].meals == 7


def test_a_job_through_the_job_services_is_counted_as_recorded(session, catalog, make_resident, make_booking,
                                                              make_staff):
    requested = kst(2026, 10, 5, 9)
    resident = make_resident(district=DISTRICT, now=requested)
    booking = make_booking(resident, program_id="gwangjin.nutrition", preferred_date=requested.date(),
                           now=requested)
    staff = make_staff(district=DISTRICT)
    accept_booking(session=session, booking_id=booking.id, staff=staff, now=requested + timedelta(hours=1))
    job = assign_job(session=session, catalog=catalog, booking_id=booking.id, provider_id=MEALS_PROVIDER,
                     staff=staff, now=requested + timedelta(hours=2))
    member = add_member(session=session, catalog=catalog, telegram_id=777, provider_id=MEALS_PROVIDER,
                        name="조리사", now=requested)
    take_job(session=session, job_id=job.id, member=member, now=requested + timedelta(hours=3))
    complete_job(session=session, job_id=job.id, member=member, now=requested + timedelta(hours=26),
                 delivered=Delivered(minutes=40, meals=14, materials_krw=3_000, service_krw=12_000))
    rate_job(session=session, job_id=job.id, resident=resident, rating=3, now=requested + timedelta(days=2))
    [stats] = district_stats(session, DISTRICT, *OCTOBER)
    assert (stats.jobs_done, stats.meals, stats.minutes, stats.cost_krw) == (1, 14, 40, 15_000)
    assert stats.average_rating == Decimal("3.0") and stats.median_wait == timedelta(hours=26)


def test_the_stats_message_in_both_languages(session, catalog, texts, make_job):
    _meals_month(make_job)
    make_job(CARE_PROVIDER, requested_at=kst(2026, 10, 5), status=JobStatus.OFFERED)
    korean = stats_message(session, catalog, texts, DISTRICT, "ko", *OCTOBER)
    assert "서울 광진구" in korean and "2026-10-01 ~ 2026-10-31" in korean
    assert korean.index("복지유니온") < korean.index("사회적협동조합 도우누리")
    assert "완료 3건" in korean and "38,500원" in korean and "4.5점(2명)" in korean and "1일 0시간" in korean
    assert "합계: 완료 3건" in korean and "진행 중 1건" in korean
    english = stats_message(session, catalog, texts, DISTRICT, "en", *OCTOBER)
    assert "Welfare Union" in english and "KRW 38,500" in english and "4.5 of 5 (rated 2×)" in english
    assert "2026-10-01 to 2026-10-31" in english and "Total: 3 done" in english


def test_an_empty_period_says_so(session, catalog, texts):
    assert "없어요" in stats_message(session, catalog, texts, DISTRICT, "ko", *OCTOBER)


def test_a_long_answer_fits_one_message_and_says_how_many_more(session, catalog, texts, make_job):
    providers = [f"{DISTRICT}.provider-with-a-rather-long-name-{index:03d}" for index in range(60)]
    for provider_id in providers:
        make_job(provider_id, requested_at=kst(2026, 10, 3), done_at=kst(2026, 10, 4), meals=2,
                 service_krw=1_000)
    text = stats_message(session, catalog, texts, DISTRICT, "en", *OCTOBER)
    assert len(text) <= MESSAGE_LIMIT
    shown = sum(provider_id in text for provider_id in providers)
    assert 0 < shown < len(providers)
    assert f"…and {len(providers) - shown} more providers" in text
    # The total still counts every provider, shown or not.
    assert "Total: 60 done · 120 meals" in text and "KRW 60,000" in text
    assert re.search(r"more providers\n\nTotal", text)


@pytest.mark.parametrize("wait, korean, english", [
    (timedelta(days=2, hours=5, minutes=59), "2일 5시간", "2 d 5 h"),
    (timedelta(hours=2, minutes=30), "2시간 30분", "2 h 30 min"),
    (timedelta(minutes=45, seconds=59), "45분", "45 min"),
])
def test_waits_read_in_days_hours_or_minutes(texts, wait, korean, english):
    assert job_stats._duration(wait, "ko", texts) == korean
    assert job_stats._duration(wait, "en", texts) == english
