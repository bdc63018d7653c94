"""Preferred dates as residents give them: a button, or typed as 2025-03-15, 3-15, 3/15, 3월 15일.

Residents think in Korean dates (at 08:00 KST it is still "yesterday" in UTC), so "today" is
always today in Korea. The range rules are the booking service's (`bot.bookings`): not in the
past, at most `MAX_DAYS_AHEAD` days ahead.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

from bot.bookings import MAX_DAYS_AHEAD
from bot.bookings import korean_date as korean_today

DATE_BUTTON_DAYS = 5  # today, tomorrow and three more days
_FULL = re.compile(r"(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})\s*일?")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*[-./월]\s*(\d{1,2})\s*일?")
_WORDS = {"오늘": 0, "today": 0, "내일": 1, "tomorrow": 1, "모레": 2}


def date_choices(now: datetime) -> list[date]:
    today = korean_today(now)
    return [today + timedelta(days=n) for n in range(DATE_BUTTON_DAYS)]


def in_booking_range(day: date, now: datetime) -> bool:
    today = korean_today(now)
    return today <= day <= today + timedelta(days=MAX_DAYS_AHEAD)


def parse_typed_date(text: str, now: datetime) -> date | None:
    """The date a resident typed, or None when it is not a date (range is checked separately).

    A month and day without a year mean the next such day: "1-5" typed in December is January.
    """
    cleaned = unicodedata.normalize("NFKC", text).strip().lower().rstrip(".!?")
    today = korean_today(now)
    if cleaned in _WORDS:
        return today + timedelta(days=_WORDS[cleaned])
    if (match := _FULL.fullmatch(cleaned)) is not None:
        return _date(int(match[1]), int(match[2]), int(match[3]))
    if (match := _MONTH_DAY.fullmatch(cleaned)) is not None:
        day = _date(today.year, int(match[1]), int(match[2]))
        if day is not None and day < today:
            day = _date(today.year + 1, int(match[1]), int(match[2]))
        return day
    return None


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
