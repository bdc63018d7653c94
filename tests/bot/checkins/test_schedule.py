"""Plan arithmetic: weekdays, wall times, zones, midnight and daylight saving."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.checkins.schedule import (
    UnknownTimeZone,
    first_occurrence_on_or_after,
    local_day,
    next_occurrence,
    occurrences,
    weekdays_mask,
    weekdays_of,
)

from .conftest import kst

DAILY = 0b1111111
MON_WED_FRI = weekdays_mask({0, 2, 4})


def test_weekday_masks_round_trip_and_refuse_nonsense():
    assert weekdays_mask({0, 2, 4}) == 0b10101
    assert weekdays_of(0b10101) == {0, 2, 4}
    for bad in (set(), {7}, {-1}, {True}, {"1"}):
        with pytest.raises(ValueError):
            weekdays_mask(bad)


def test_daily_ten_oclock_korea_is_one_oclock_utc():
    # Monday 09:00 KST → the same day 10:00 KST.
    assert next_occurrence(weekdays=DAILY, at=time(10), tz="Asia/Seoul",
                           after=kst(3, 9)) == datetime(2025, 3, 3, 1, 0, tzinfo=UTC)
    # At exactly 10:00 the next one is tomorrow, unless inclusive.
    assert next_occurrence(weekdays=DAILY, at=time(10), tz="Asia/Seoul", after=kst(3, 10)) == kst(4, 10)
    assert next_occurrence(weekdays=DAILY, at=time(10), tz="Asia/Seoul", after=kst(3, 10),
                           inclusive=True) == kst(3, 10)


def test_mon_wed_fri_evening_skips_the_weekend():
    friday_night = kst(7, 20)
    assert next_occurrence(weekdays=MON_WED_FRI, at=time(19), tz="Asia/Seoul",
                           after=friday_night) == kst(10, 19)
    listed = list(occurrences(weekdays=MON_WED_FRI, at=time(19), tz="Asia/Seoul",
                              start=kst(3, 0), until=kst(9, 23, 59)))
    assert listed == [kst(3, 19), kst(5, 19), kst(7, 19)]


def test_weekday_is_the_korean_one_not_the_utc_one():
    # Tuesdays 08:00 KST is Monday 23:00 UTC: at Monday 22:30 UTC (Tuesday 07:30 in Seoul)
    # the next check-in is half an hour away, although in UTC it is still Monday.
    tuesdays = weekdays_mask({1})
    now = datetime(2025, 3, 3, 22, 30, tzinfo=UTC)
    due = next_occurrence(weekdays=tuesdays, at=time(8), tz="Asia/Seoul", after=now)
    assert due == datetime(2025, 3, 3, 23, 0, tzinfo=UTC)
    assert due.weekday() == 0 and local_day(due) == date(2025, 3, 4)


def test_just_after_midnight_in_seoul():
    # 00:30 KST daily is 15:30 UTC the day before.
    due = next_occurrence(weekdays=DAILY, at=time(0, 30), tz="Asia/Seoul", after=kst(3, 23))
    assert due == kst(4, 0, 30) == datetime(2025, 3, 3, 15, 30, tzinfo=UTC)


def test_other_zones_follow_their_own_clock_and_dst():
    # New York springs forward on 9 March 2025 (02:00 → 03:00): 02:30 does not exist that day;
    # the check-in still happens once, an hour later on the wall clock, and every day once.
    start = datetime(2025, 3, 7, 12, tzinfo=UTC)
    listed = list(occurrences(weekdays=DAILY, at=time(2, 30), tz="America/New_York",
                              start=start, until=start + timedelta(days=4)))
    assert [local_day(t, "America/New_York") for t in listed] == [
        date(2025, 3, 8), date(2025, 3, 9), date(2025, 3, 10), date(2025, 3, 11)]
    assert listed[0] == datetime(2025, 3, 8, 7, 30, tzinfo=UTC)  # EST, UTC-5
    assert listed[2] == datetime(2025, 3, 10, 6, 30, tzinfo=UTC)  # EDT, UTC-4
    # Ten in the morning in London is 10:00 UTC in winter.
    assert next_occurrence(weekdays=DAILY, at=time(10), tz="Europe/London",
                           after=start) == datetime(2025, 3, 8, 10, tzinfo=UTC)


def test_first_occurrence_after_a_pause():
    # Paused until Sunday 9 March: the Mon/Wed/Fri plan starts again on Monday 10 March.
    assert first_occurrence_on_or_after(weekdays=MON_WED_FRI, at=time(19), tz="Asia/Seoul",
                                        day=date(2025, 3, 10)) == kst(10, 19)


def test_unknown_zone_is_a_typed_error():
    with pytest.raises(UnknownTimeZone):
        next_occurrence(weekdays=DAILY, at=time(10), tz="Mars/Olympus", after=kst(3, 9))
