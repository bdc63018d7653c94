"""Dates and times as residents give them: a button, or typed as 2025-03-15, 3-15, 3/15,
3월 15일, 모레, 금요일, 다음 주 월요일; times as 9:30, 9시 반, 오후 3시, 3pm.

Residents think in Korean dates (at 08:00 KST it is still "yesterday" in UTC), so "today" is
always today in Korea. The range rules are the booking service's (`bot.requests.bookings`): not in the
past, at most `MAX_DAYS_AHEAD` days ahead.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta

from bot.core.clock import korean_date as korean_today
from bot.requests.bookings import MAX_DAYS_AHEAD

DATE_BUTTON_DAYS = 5  # today, tomorrow and three more days
_FULL = re.compile(r"(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})\s*일?")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*[-./월]\s*(\d{1,2})\s*일?")
_WORDS = {"오늘": 0, "today": 0, "내일": 1, "tomorrow": 1, "모레": 2}
_WEEKDAYS = {name: index for index, names in enumerate((
    ("월", "월요일", "monday", "mon"), ("화", "화요일", "tuesday", "tue"), ("수", "수요일", "wednesday", "wed"),
    ("목", "목요일", "thursday", "thu"), ("금", "금요일", "friday", "fri"), ("토", "토요일", "saturday", "sat"),
    ("일", "일요일", "sunday", "sun"),
)) for name in names}
# "금요일", "금요일에", "이번 주 금요일", "다음 주 월요일", "next monday", "on friday".
_WEEKDAY = re.compile(
    r"(?:이번\s*주|this|(?P<next>다음\s*주|next))?\s*(?:on\s+)?(?P<day>[가-힣a-z]+?)날?(?:에|요|이요|에요)?"
)
# 9:30, 9.30, 9시, 9시 30분, 9시 반, 오후 3시, 저녁 7시, 3pm, 3:30 pm.
_TYPED_TIME = re.compile(
    r"(?P<part>오전|아침|새벽|오후|낮|저녁|밤)?\s*"
    r"(?:(?P<hour>\d{1,2})\s*[:.]\s*(?P<minute>\d{2})"
    r"|(?P<o_clock>\d{1,2})\s*시(?:\s*(?P<minutes>\d{1,2})\s*분|\s*(?P<half>반))?"
    r"|(?P<bare>\d{1,2}))"
    r"\s*(?P<meridiem>am|pm|a\.m\.|p\.m\.)?(?:에|요|쯤|경)?"
)
_AFTERNOON = {"오후", "저녁", "밤", "pm", "p.m."}
_MORNING = {"오전", "아침", "새벽", "am", "a.m."}


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
    return _weekday_date(cleaned, today)


def _weekday_date(cleaned: str, today: date) -> date | None:
    """A day of the week: the next one from today on ("금요일" on a Friday is today), or the
    one in next week (Monday to Sunday) with "다음 주"."""
    match = _WEEKDAY.fullmatch(cleaned)
    if match is None or match["day"] not in _WEEKDAYS:
        return None
    weekday = _WEEKDAYS[match["day"]]
    if match["next"]:
        return today + timedelta(days=7 - today.weekday() + weekday)
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def parse_typed_time(text: str) -> time | None:
    """A wall-clock time typed as 9:30, 09:30, 19:00, 9시, 9시 30분, 9시 반, 오후 3시, 저녁 7시,
    3pm; None otherwise (a bare number says neither morning nor evening)."""
    match = _TYPED_TIME.fullmatch(unicodedata.normalize("NFKC", text).strip().lower())
    if match is None or (match["bare"] is not None and match["meridiem"] is None):
        return None
    hour = int(match["hour"] or match["o_clock"] or match["bare"])
    minute = int(match["minute"] or match["minutes"] or (30 if match["half"] else 0))
    said = {match["part"], match["meridiem"]}
    if said & _AFTERNOON and said & _MORNING or (said - {None} and hour > 12):
        return None  # "오전 3pm", "오후 15시": contradicts itself
    if match["part"] == "밤" and (hour == 12 or hour <= 3):
        hour = 0 if hour == 12 else hour  # 밤 12시 is midnight, 밤 1시 the hour after it
    elif said & _AFTERNOON and hour < 12:
        hour += 12  # 오후 3시, 저녁 7시, 밤 9시, 3pm
    elif match["part"] == "낮" and hour <= 6:
        hour += 12  # 낮 2시
    elif said & _MORNING and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
