"""District staff: who may answer the booking requests of which district.

A staff member belongs to exactly one district and sees only that district's requests; the
booking services check this themselves, so a bug in a handler cannot show or change another
district's bookings.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime

from sqlmodel import Session, col, select

from bot.store.models import StaffMember
from catalog.loader import UnknownDistrictError

log = logging.getLogger(__name__)


class StaffAlreadyRegistered(ValueError):
    """The Telegram account is already staff (of the district named); remove it first to move it.

    Moving someone to another district changes which residents' phone numbers they see, so it
    is never done as a side effect of "add".
    """

    def __init__(self, telegram_id: int, district: str):
        self.telegram_id = telegram_id
        self.district = district
        super().__init__(f"telegram id {telegram_id} is already staff of '{district}'")


def add_staff(
    *,
    session: Session,
    telegram_id: int,
    district: str,
    name: str,
    known_districts: Collection[str],
    now: datetime,
) -> StaffMember:
    """Register a staff member of `district` (one of `known_districts`, e.g. `catalog.districts`)."""
    if district not in known_districts:
        raise UnknownDistrictError(district, sorted(known_districts))
    name = name.strip()
    if not name:
        raise ValueError("a staff member needs a name residents' requests can be signed with")
    existing = get_staff(session=session, telegram_id=telegram_id)
    if existing is not None:
        raise StaffAlreadyRegistered(telegram_id, existing.district)
    member = StaffMember(telegram_id=telegram_id, district=district, name=name[:64], created_at=now)
    session.add(member)
    session.flush()
    log.info("staff member %s added to district %s", member.id, district)
    return member


def get_staff(*, session: Session, telegram_id: int) -> StaffMember | None:
    """The staff member behind a Telegram account, or None for everyone else."""
    return session.exec(select(StaffMember).where(StaffMember.telegram_id == telegram_id)).first()


def list_staff(*, session: Session, district: str | None = None) -> list[StaffMember]:
    """Staff of `district` (everyone when None), in the order they were added."""
    query = select(StaffMember).order_by(col(StaffMember.id))
    if district is not None:
        query = query.where(StaffMember.district == district)
    return list(session.exec(query).all())


def remove_staff(*, session: Session, telegram_id: int) -> bool:
    """Remove a staff member; their past decisions stay in the booking history. False if unknown."""
    member = get_staff(session=session, telegram_id=telegram_id)
    if member is None:
        return False
    session.delete(member)
    session.flush()
    log.info("staff member %s removed from district %s", member.id, member.district)
    return True
