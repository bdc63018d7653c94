"""Time arithmetic of check-in plans: which instants a plan "every Mon/Wed/Fri at 19:00, Korea
time" stands for, and which local day an instant falls on.

Pure functions over aware datetimes, no database and no clock: a plan's times are wall-clock
times in the resident's zone (Asia/Seoul unless they live elsewhere), everything stored or
compared is UTC. Korea has no daylight saving time; for zones that do, a wall time that does
not exist on a given day (spring forward) is sent at the same offset as before the gap, i.e.
an hour later on the wall clock, and one that happens twice (fall back) is sent the first time
(`fold=0`): each planned day still gets exactly one check-in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIME_ZONE = "Asia/Seoul"
EVERY_DAY = 0b1111111
# Monday = 0 … Sunday = 6, as `date.weekday()`; labels for logs and messages.
WEEKDAY_NAMES_KO = ("월", "화", "수", "목", "금", "토", "일")
WEEKDAY_NAMES_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class UnknownTimeZone(ValueError):
    def __init__(self, name: str):
        self.name = name
        super().__init__(f"unknown time zone '{name}'")


@lru_cache(maxsize=64)
def zone(name: str) -> tzinfo:
    """The IANA zone `name` (e.g. "Asia/Seoul"); raises `UnknownTimeZone`."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise UnknownTimeZone(name) from error


def weekdays_mask(days: Iterable[int]) -> int:
    """{0, 2, 4} (Mon, Wed, Fri) → 0b0010101; raises ValueError outside 0..6 or when empty."""
    mask = 0
    for day in days:
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
            raise ValueError(f"weekday {day!r} is not 0 (Monday) to 6 (Sunday)")
        mask |= 1 << day
    if not mask:
        raise ValueError("a plan needs at least one weekday")
    return mask


def weekdays_of(mask: int) -> frozenset[int]:
    return frozenset(day for day in range(7) if mask & (1 << day))


def _at(day: date, at: time, tz: tzinfo) -> datetime:
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def next_occurrence(
    *, weekdays: int, at: time, tz: str, after: datetime, inclusive: bool = False
) -> datetime:
    """The first planned instant strictly after `after` (at or after it when `inclusive`), in UTC."""
    if after.tzinfo is None:
        raise ValueError("next_occurrence needs an aware datetime")
    if not weekdays & EVERY_DAY:
        raise ValueError("a plan needs at least one weekday")
    local_zone = zone(tz)
    # Start a day early, so that a DST shift near midnight cannot make the search miss a day;
    # candidates not after `after` are passed over.
    day = after.astimezone(local_zone).date() - timedelta(days=1)
    for _ in range(10):
        if weekdays & (1 << day.weekday()):
            candidate = _at(day, at, local_zone)
            if candidate > after or (inclusive and candidate == after):
                return candidate
        day += timedelta(days=1)
    raise AssertionError("no occurrence within ten days of a plan with a weekday")  # unreachable


def first_occurrence_on_or_after(*, weekdays: int, at: time, tz: str, day: date) -> datetime:
    """The first planned instant on local day `day` or later (e.g. the day after a pause)."""
    local_zone = zone(tz)
    start = datetime.combine(day, time(0, 0), tzinfo=local_zone).astimezone(UTC)
    return next_occurrence(weekdays=weekdays, at=at, tz=tz, after=start, inclusive=True)


def occurrences(
    *, weekdays: int, at: time, tz: str, start: datetime, until: datetime
) -> Iterator[datetime]:
    """Planned instants t with start <= t <= until, in order (`start` should be one of them)."""
    current = next_occurrence(weekdays=weekdays, at=at, tz=tz, after=start, inclusive=True)
    while current <= until:
        yield current
        current = next_occurrence(weekdays=weekdays, at=at, tz=tz, after=current)


def local_day(instant: datetime, tz: str = DEFAULT_TIME_ZONE) -> date:
    """The calendar day `instant` falls on for someone in `tz` (01:00 UTC is 10:00 in Seoul)."""
    return instant.astimezone(zone(tz)).date()


def local_wall_time(instant: datetime, tz: str = DEFAULT_TIME_ZONE) -> datetime:
    return instant.astimezone(zone(tz))
