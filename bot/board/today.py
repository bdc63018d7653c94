"""The Today page's figures: a district's check-ins of the Korean day, counted and listed.

A big district has 10,000 check-ins a day, more than a person can read or a browser should
draw every 30 seconds. So the page is a summary and two short lists: the four counts (one
grouped query), everyone who needs a call now (escalated or visit needed, from any day, and
today's calls for help: the list staff act on), and one page (`PAGE_SIZE`) of the day's list,
filtered by its colour. Names, phones and trusted contacts are read only for the rows shown,
with the check-in engine's own loader (`bot.checkins.alerts.People`), so the page costs the
same for 100 residents as for 10,000, apart from the counting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from sqlalchemy import and_, func, or_, select
from sqlmodel import Session

from bot.checkins.alerts import People
from bot.checkins.policy import DEFAULT_POLICY, ROUND
from bot.core.clock import KOREA, korean_date
from bot.requests.bookings import latest_phone
from bot.store.models import CheckinRoundStatus as Status
from bot.store.models import Resident

PAGE_SIZE = 50
CALL_LIST_LIMIT = 500  # more than this needing a call at once is a disaster plan, not a page
RESIDENT = Resident.__table__


class Light(StrEnum):
    """The colour of a check-in, as staff read it at a glance."""

    RED = "escalated"  # nobody answered, or they asked for help: call now
    AMBER = "waiting"  # asked, no answer yet
    GREEN = "answered"  # answered, or staff reached them
    GREY = "due"  # later today


LIGHT_OF: dict[str, Light] = {
    Status.SCHEDULED: Light.GREY,
    Status.SENDING: Light.AMBER,
    Status.AWAITING: Light.AMBER,
    Status.REMINDED: Light.AMBER,
    Status.ESCALATED: Light.RED,
    Status.VISIT_NEEDED: Light.RED,
    Status.ANSWERED: Light.GREEN,
    Status.REACHED: Light.GREEN,
}
STATUSES_OF: dict[Light, list[str]] = {
    light: [str(status) for status, of in LIGHT_OF.items() if of is light] for light in Light
}


@dataclass(frozen=True)
class RoundRow:
    round_id: int
    resident_id: int
    scheduled_for: datetime
    status: str
    light: Light
    name: str
    phone: str | None
    contact_name: str | None
    contact_phone: str | None
    missed_in_row: int
    last_answer: str | None
    help_asked: bool
    can_mark_visit: bool


@dataclass(frozen=True)
class TodayView:
    day: datetime  # the Korean day's first instant
    counts: dict[Light, int]
    call_list: list[RoundRow]
    rows: list[RoundRow]
    light: Light | None  # the list's filter; None: every colour
    total: int  # rows in the filtered list
    page: int
    pages: int


def day_bounds(now: datetime) -> tuple[datetime, datetime]:
    start = datetime.combine(korean_date(now), time(0), tzinfo=KOREA)
    return start, start + timedelta(days=1)


def _district_rounds(district: str, start: datetime, end: datetime):
    return (RESIDENT.c.district == district, ROUND.c.scheduled_for >= start, ROUND.c.scheduled_for < end)


def today_view(*, session: Session, district: str, now: datetime, light: Light | None = None,
               page: int = 1) -> TodayView:
    start, end = day_bounds(now)
    conn = session.connection()
    counts = {each: 0 for each in Light}
    for status, count in conn.execute(
        select(ROUND.c.status, func.count()).select_from(ROUND.join(RESIDENT, ROUND.c.resident_id == RESIDENT.c.id))
        .where(*_district_rounds(district, start, end)).group_by(ROUND.c.status)
    ):
        if status in LIGHT_OF:
            counts[LIGHT_OF[status]] += count

    call_rows = list(conn.execute(
        select(ROUND.c.id, ROUND.c.resident_id, ROUND.c.scheduled_for, ROUND.c.status,
               ROUND.c.help_alerted_at, ROUND.c.reached_at)
        .select_from(ROUND.join(RESIDENT, ROUND.c.resident_id == RESIDENT.c.id))
        .where(RESIDENT.c.district == district,
               or_(ROUND.c.status.in_(STATUSES_OF[Light.RED]),
                   and_(ROUND.c.scheduled_for >= start, ROUND.c.help_alerted_at.is_not(None),
                        ROUND.c.reached_at.is_(None))))
        .order_by(ROUND.c.scheduled_for, ROUND.c.id).limit(CALL_LIST_LIMIT)
    ))

    statuses = STATUSES_OF[light] if light is not None else list(LIGHT_OF)
    total = sum(counts[each] for each in Light) if light is None else counts[light]
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    list_rows = list(conn.execute(
        select(ROUND.c.id, ROUND.c.resident_id, ROUND.c.scheduled_for, ROUND.c.status,
               ROUND.c.help_alerted_at, ROUND.c.reached_at)
        .select_from(ROUND.join(RESIDENT, ROUND.c.resident_id == RESIDENT.c.id))
        .where(*_district_rounds(district, start, end), ROUND.c.status.in_(statuses))
        .order_by(ROUND.c.scheduled_for, ROUND.c.id)
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ))
    people = People.load(conn, [row.resident_id for row in (*call_rows, *list_rows)], now, DEFAULT_POLICY)
    contact_phones: dict[int, str | None] = {}

    def as_row(row) -> RoundRow:
        person = people.residents.get(row.resident_id)
        contact = people.contacts.get(row.resident_id)
        if contact is not None and contact.resident_id not in contact_phones:
            contact_phones[contact.resident_id] = latest_phone(session=session, resident_id=contact.resident_id)
        missed, last_answer, _ = people.plans.get(row.resident_id, (0, None, None))
        help_asked = row.help_alerted_at is not None and row.reached_at is None
        return RoundRow(
            round_id=row.id, resident_id=row.resident_id, scheduled_for=row.scheduled_for,
            status=row.status, light=Light.RED if help_asked else LIGHT_OF.get(row.status, Light.GREY),
            name=(person.first_name if person else "") or "", phone=people.phones.get(row.resident_id),
            contact_name=contact.name if contact else None,
            contact_phone=contact_phones.get(contact.resident_id) if contact else None,
            missed_in_row=missed, last_answer=last_answer, help_asked=help_asked,
            can_mark_visit=row.status == Status.ESCALATED,
        )

    return TodayView(day=start, counts=counts, call_list=[as_row(r) for r in call_rows],
                     rows=[as_row(r) for r in list_rows], light=light, total=total, page=page,
                     pages=pages)
