"""What a resident has used of a program's yearly cap, and accepting a request against it.

Programs with `cost.yearly_cap_krw` cap what one person may use in a calendar year (Korean
time); programs naming the same `cost.cap_scope` share one cap (Dolbom SOS's services). The use
is the sum of done jobs' materials and service costs, in whole KRW. Staff are warned from
`WARN_AT_PERCENT`; at or over the cap a request is accepted only with a reason, recorded in
its history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.core.clock import KOREA
from bot.requests.bookings import NotAllowed, accept_booking, record_step
from bot.store.models import ActorKind, Booking, Job, JobStatus, StaffMember
from catalog import Catalog
from catalog.schema import Program

WARN_AT_PERCENT = 80
OVERRIDE_REASON_MAX_LENGTH = 500


@dataclass(frozen=True)
class CapUse:
    used_krw: int
    cap_krw: int

    @property
    def percent(self) -> int:
        """Whole percent used, rounded down (79.9% is not yet a warning)."""
        return self.used_krw * 100 // self.cap_krw if self.cap_krw else 100

    @property
    def warn(self) -> bool:
        return self.percent >= WARN_AT_PERCENT

    @property
    def reached(self) -> bool:
        return self.used_krw >= self.cap_krw


class CapReached(Exception):
    """Accepting needs a reason: the resident has used the whole yearly cap."""

    def __init__(self, booking_id: int, use: CapUse):
        self.booking_id = booking_id
        self.use = use
        super().__init__(f"booking {booking_id}: yearly cap reached")


def programs_sharing_cap(catalog: Catalog, program: Program) -> list[str]:
    if program.cost.cap_scope is None:
        return [program.id]
    return [p.id for p in catalog.programs.values() if p.cost.cap_scope == program.cost.cap_scope]


def yearly_use(
    *, session: Session, catalog: Catalog, resident_id: int | None, program_id: str, at: datetime
) -> CapUse | None:
    """The resident's use of the cap that `program_id` counts against, in `at`'s year; None
    when the program has no cap (or the resident is gone)."""
    program = catalog.programs.get(program_id)
    if program is None or program.cost.yearly_cap_krw is None or resident_id is None:
        return None
    year = at.astimezone(KOREA).year
    start = datetime(year, 1, 1, tzinfo=KOREA)
    end = datetime(year + 1, 1, 1, tzinfo=KOREA)
    used = session.exec(
        select(func.coalesce(func.sum(func.coalesce(Job.materials_krw, 0) + func.coalesce(Job.service_krw, 0)), 0))
        .join(Booking, col(Booking.id) == Job.booking_id)
        .where(Booking.resident_id == resident_id, Job.status == JobStatus.DONE,
               col(Job.program_id).in_(programs_sharing_cap(catalog, program)),
               col(Job.done_at) >= start, col(Job.done_at) < end)
    ).one()
    return CapUse(used_krw=int(used), cap_krw=program.cost.yearly_cap_krw)


def accept_request(
    *,
    session: Session,
    catalog: Catalog,
    booking_id: int,
    staff: StaffMember,
    now: datetime,
    override_reason: str | None = None,
) -> tuple[Booking, CapUse | None]:
    """Accept, checking the cap first: at or over it, a reason is required (`CapReached`)."""
    booking = session.get(Booking, booking_id)
    if booking is None or booking.district != staff.district:
        # The booking services give the precise answer (not found, or not allowed).
        return accept_booking(session=session, booking_id=booking_id, staff=staff, now=now), None
    use = yearly_use(session=session, catalog=catalog, resident_id=booking.resident_id,
                     program_id=booking.program_id, at=now)
    reason = (override_reason or "").strip() or None
    if use is not None and use.reached and reason is None:
        raise CapReached(booking_id, use)
    if reason is not None and len(reason) > OVERRIDE_REASON_MAX_LENGTH:
        raise NotAllowed(booking_id, "override with an over-long reason")
    booking = accept_booking(session=session, booking_id=booking_id, staff=staff, now=now)
    if use is not None and use.reached:
        record_step(session=session, booking=booking, actor_kind=ActorKind.STAFF, actor_id=staff.id,
                    action="override", detail=reason, now=now)
    return booking, use
