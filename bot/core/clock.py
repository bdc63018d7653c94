"""Time as the bot keeps it: aware UTC in the database, Korea's calendar for what people count.

Residents and staff count days, weeks and months in Korea (at 08:00 there it is still
"yesterday" in UTC), so every date a person sees or a report counts goes through here. The
clock itself is a parameter wherever time matters (`Clock`), so tests move time instead of
sleeping.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

# Korea has had no daylight saving time since 1988, so a fixed offset needs no tz database.
KOREA = timezone(timedelta(hours=9), "KST")

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real clock: now, aware, in UTC."""
    return datetime.now(UTC)


def korean_date(moment: datetime) -> date:
    """The day it is in Korea at `moment`."""
    return moment.astimezone(KOREA).date()


def korea_time(moment: datetime) -> datetime:
    """`moment` as a Korean wall-clock time."""
    return moment.astimezone(KOREA)
