"""Check-in plans of residents the bot can no longer reach (they blocked it, or left Telegram).

A check-in that could not be delivered still counts as not answered, so the district's staff
are alerted about that round, with a text saying the bot cannot reach the person any more (so
they phone them). Sending the next day's check-in would only fail again and alert staff again
about the same known fact, every day; so the plan is set aside as `unreachable` (no rounds are
made from it, and the check-ins already made but not sent are dropped) as soon as a check-in or
reminder comes back blocked or finds the resident inactive. When the resident writes to the
bot again they are reachable: the conversation resumes the plan (`resume_if_reachable`).

Telegram also says so itself, at once, when a resident blocks or unblocks the bot
(`set_aside_blocked`, `resume_unblocked`): the plan is set aside (or resumed) the same way, and
the district's staff hear of it once, without waiting for a check-in to bounce.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlmodel import Session

from bot.checkins.alerts import People, outbox_row, queue_alerts
from bot.checkins.policy import CheckinPolicy
from bot.checkins.schedule import next_occurrence
from bot.checkins.wording import text_in, when_text
from bot.people.residents import mark_reachable, mark_unreachable
from bot.store.models import CheckinPlan, CheckinPlanStatus, CheckinRound, CheckinRoundStatus, Resident

log = logging.getLogger(__name__)

PLAN = CheckinPlan.__table__
ROUND = CheckinRound.__table__
RESIDENT = Resident.__table__
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


def set_aside_blocked(*, session: Session, chat_id: int, now: datetime,
                      policy: CheckinPolicy | None = None) -> int:
    """Telegram said the resident of `chat_id` blocked the bot: they are unreachable now, their
    active check-ins are set aside (`set_aside_unreachable`), and their district's staff are
    told once, through the outbox. Returns how many staff messages were queued.

    Told once: only the change that sets an active plan aside tells anyone. The same update
    again, or one about a resident already known to be unreachable (whose staff hear through
    the escalation of the check-in that bounced), finds nothing active and changes nothing.
    """
    conn = session.connection()
    resident_ids = list(conn.execute(
        select(RESIDENT.c.id).where(RESIDENT.c.chat_id == chat_id, RESIDENT.c.active.is_(True))
    ).scalars())
    if not resident_ids or not mark_unreachable(session=session, chat_id=chat_id, now=now):
        return 0
    planned = list(conn.execute(
        select(PLAN.c.resident_id).where(PLAN.c.resident_id.in_(resident_ids),
                                         PLAN.c.status == CheckinPlanStatus.ACTIVE.value)
    ).scalars())
    if not planned or not set_aside_unreachable(conn, planned, now):
        return 0
    return _tell_staff(conn, planned, now, policy or CheckinPolicy(), "staff.blocked")


def resume_unblocked(*, session: Session, chat_id: int, now: datetime,
                     policy: CheckinPolicy | None = None) -> int:
    """Telegram said the resident of `chat_id` let the bot back in (unblocked it, or pressed
    Start): they are reachable, check-ins set aside as unreachable start again, the resident is
    told when the next one comes, and staff are told it is over. Returns how many staff messages
    were queued.

    Staff hear of every plan set aside as unreachable (here when Telegram reports the block, or
    through the escalation of the check-in that bounced), so a resumed plan is exactly the case
    where they were told. A resident who was never marked unreachable changes nothing.
    """
    resumed: list[tuple[Resident, datetime]] = []
    for resident in mark_reachable(session=session, chat_id=chat_id, now=now):
        next_due = resume_if_reachable(session=session, resident=resident, now=now)
        if next_due is not None:
            resumed.append((resident, next_due))
    if not resumed:
        return 0
    conn = session.connection()
    # The conversation's welcome back would have said this on their next message; they may send
    # none (unblocking sends nothing), so the note goes now, through the outbox.
    queue_alerts(conn, [
        outbox_row(resident.chat_id, resident.id,
                   text_in(resident.language, "resumed_unblocked",
                           next=when_text(resident.language, next_due)), None, now)
        for resident, next_due in resumed
    ], [])
    return _tell_staff(conn, [resident.id for resident, _ in resumed], now, policy or CheckinPolicy(),
                       "staff.unblocked")


def _tell_staff(conn, resident_ids: list[int], now: datetime, policy: CheckinPolicy, key: str) -> int:
    """Queue `key` (a check-in text about one resident) for each officer of their district."""
    people = People.load(conn, resident_ids, now, policy)
    outbox = []
    for person in people.residents.values():
        staff = people.staff.get(person.district, [])
        if not staff:
            log.warning("no staff in district %s to tell that a resident's check-ins changed", person.district)
        for member in staff:
            text = text_in(member.language, key, when=when_text(member.language, now),
                           **people.details(member.language, person))
            outbox.append(outbox_row(member.chat_id, person.id, text, None, now))
    queue_alerts(conn, outbox, [])
    return len(outbox)
