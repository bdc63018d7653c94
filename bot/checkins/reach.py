"""Check-in plans of residents the bot can no longer reach (they blocked it, or left Telegram).

A check-in that could not be delivered still counts as not answered, so the district's staff
are alerted about that round, with a text saying the bot cannot reach the person any more (so
they phone them). Sending the next day's check-in would only fail again and alert staff again
about the same known fact, every day; so the plan is set aside as `unreachable` (no rounds are
made from it, and the check-ins already made but not sent are dropped) as soon as a check-in or
reminder comes back blocked or finds the resident inactive. When the resident writes to the
bot again they are reachable: the conversation resumes the plan (`resume_if_reachable`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlmodel import Session

from bot.checkins.schedule import next_occurrence
from bot.store.models import CheckinPlan, CheckinPlanStatus, CheckinRound, CheckinRoundStatus, Resident

log = logging.getLogger(__name__)

PLAN = CheckinPlan.__table__
ROUND = CheckinRound.__table__
IN_CHUNK = 500


def set_aside_unreachable(conn, resident_ids: Iterable[int], now: datetime) -> int:
    """Set the active plans of `resident_ids` aside as unreachable; returns how many. Rounds
    already sent go on up their ladder (staff hear about the undeliverable one once)."""
    ids = sorted(set(resident_ids))
    set_aside = 0
    for start in range(0, len(ids), IN_CHUNK):
        chunk = ids[start:start + IN_CHUNK]
        plan_ids = [row.id for row in conn.execute(
            select(PLAN.c.id).where(PLAN.c.resident_id.in_(chunk),
                                    PLAN.c.status == CheckinPlanStatus.ACTIVE.value)
        )]
        if not plan_ids:
            continue
        conn.execute(update(PLAN).where(PLAN.c.id.in_(plan_ids))
                     .values(status=CheckinPlanStatus.UNREACHABLE.value, next_due_at=None,
                             paused_until=None, updated_at=now))
        conn.execute(delete(ROUND).where(ROUND.c.plan_id.in_(plan_ids),
                                         ROUND.c.status == CheckinRoundStatus.SCHEDULED.value))
        set_aside += len(plan_ids)
    if set_aside:
        log.info("check-ins of %s unreachable residents set aside until they write again", set_aside)
    return set_aside


def resume_if_reachable(*, session: Session, resident: Resident, now: datetime) -> datetime | None:
    """The resident wrote to the bot (and is marked active again): resume a plan set aside as
    unreachable. Returns the next check-in (UTC), or None when there was nothing to resume."""
    if resident.id is None or not resident.active:
        return None
    plan = session.execute(
        select(CheckinPlan).where(CheckinPlan.resident_id == resident.id,
                                  CheckinPlan.status == CheckinPlanStatus.UNREACHABLE.value)
        .with_for_update()
    ).scalars().first()
    if plan is None:
        return None
    plan.status = CheckinPlanStatus.ACTIVE
    plan.next_due_at = next_occurrence(weekdays=plan.weekdays, at=plan.local_time,
                                       tz=plan.time_zone, after=now)
    plan.updated_at = now
    session.add(plan)
    session.flush()
    log.info("check-ins of resident %s resumed: reachable again", resident.id)
    return plan.next_due_at
