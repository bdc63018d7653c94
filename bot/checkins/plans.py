"""A resident's plan (days, time, zone; paused, resumed, stopped) and their trusted contact.

Part of the check-in engine; its life cycle and guarantees are in the package doc
(`bot/checkins/__init__.py`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, select, update
from sqlmodel import Session

from bot.checkins.alerts import send_all_clear
from bot.checkins.buttons import CheckinAction, checkin_button_data
from bot.checkins.policy import (
    MAX_PAUSE_DAYS,
    ROUND,
    InvalidInvitation,
    InvalidPlan,
    InvitationClosed,
    InvitationNotFound,
    NoPlan,
    NotAllowed,
    Status,
)
from bot.checkins.schedule import (
    DEFAULT_TIME_ZONE,
    UnknownTimeZone,
    first_occurrence_on_or_after,
    local_day,
    local_wall_time,
    next_occurrence,
    weekdays_mask,
    weekdays_of,
    zone,
)
from bot.checkins.wording import display_name, fit_message, text_in
from bot.sending.outbox import enqueue_message
from bot.store.models import (
    CheckinContact,
    CheckinPlan,
    CheckinPlanStatus,
    ContactStatus,
    Resident,
)

log = logging.getLogger(__name__)

# --- plans ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanView:
    """A resident's plan as the conversation shows it."""

    days: frozenset[int]  # Monday = 0 … Sunday = 6
    at: time
    tz: str
    status: CheckinPlanStatus
    paused_until: date | None
    next_checkin_at: datetime | None  # UTC; None when stopped
    missed_in_row: int

    @property
    def next_checkin_local(self) -> datetime | None:
        return None if self.next_checkin_at is None else local_wall_time(self.next_checkin_at, self.tz)


def start_checkins(
    *,
    session: Session,
    resident: Resident,
    days: set[int] | frozenset[int],
    at: time,
    now: datetime,
    tz: str = DEFAULT_TIME_ZONE,
) -> PlanView:
    """Start check-ins on `days` (0 = Monday) at local time `at` in `tz`, or change the plan.

    The first check-in is the next planned time strictly after `now`. Changing a plan drops
    the check-ins materialised but not sent yet and closes (cancelled) a sent one still
    waiting for an answer: the resident is talking to the bot, which is answer enough.
    Calling it again with the same plan changes nothing.
    """
    saved_id(resident)
    try:
        mask = weekdays_mask(days)
    except (TypeError, ValueError) as error:
        raise InvalidPlan("days", str(error)) from error
    if not isinstance(at, time) or at.tzinfo is not None:
        raise InvalidPlan("at", "a local wall-clock time without time zone (use tz)")
    at = at.replace(second=0, microsecond=0)
    try:
        zone(tz)
    except UnknownTimeZone as error:
        raise InvalidPlan("tz", str(error)) from error

    plan = _plan_of(session, resident.id, for_update=True)
    if plan is None:
        plan = CheckinPlan(resident_id=resident.id, local_time=at, created_at=now, updated_at=now)
    elif (plan.status == CheckinPlanStatus.ACTIVE and plan.weekdays == mask
          and plan.local_time == at and plan.time_zone == tz):
        return _view(session, plan)
    else:
        _close_pending_rounds(session, plan.id, now)
    plan.weekdays = mask
    plan.local_time = at
    plan.time_zone = tz
    plan.status = CheckinPlanStatus.ACTIVE
    plan.paused_until = None
    plan.missed_in_row = 0
    plan.next_due_at = next_occurrence(weekdays=mask, at=at, tz=tz, after=now)
    plan.updated_at = now
    session.add(plan)
    session.flush()
    log.info("check-ins planned for resident %s (weekdays %s at %s %s)",
             resident.id, sorted(weekdays_of(mask)), at.strftime("%H:%M"), tz)
    return _view(session, plan)


def pause_checkins(*, session: Session, resident: Resident, until: date, now: datetime) -> PlanView:
    """No check-ins up to and including local day `until` ("travelling until Sunday": the next
    one is on the first planned day after Sunday); then they resume by themselves."""
    plan = _live_plan(session, resident)
    today = local_day(now, plan.time_zone)
    if until < today:
        raise InvalidPlan("until", "in the past")
    if until > today + timedelta(days=MAX_PAUSE_DAYS):
        raise InvalidPlan("until", f"more than {MAX_PAUSE_DAYS} days ahead")
    _close_pending_rounds(session, plan.id, now)
    send_all_clear(session, resident, now, because="paused")
    plan.status = CheckinPlanStatus.PAUSED
    plan.paused_until = until
    plan.next_due_at = first_occurrence_on_or_after(
        weekdays=plan.weekdays, at=plan.local_time, tz=plan.time_zone, day=until + timedelta(days=1)
    )
    plan.updated_at = now
    session.add(plan)
    session.flush()
    log.info("check-ins of resident %s paused until %s", resident.id, until)
    return _view(session, plan)


def resume_checkins(*, session: Session, resident: Resident, now: datetime) -> PlanView:
    """End a pause (or the wait for an unreachable resident to write) now; the next check-in
    is the next planned time after `now`."""
    plan = _live_plan(session, resident)
    if plan.status in (CheckinPlanStatus.PAUSED, CheckinPlanStatus.UNREACHABLE):
        _close_pending_rounds(session, plan.id, now)
        plan.status = CheckinPlanStatus.ACTIVE
        plan.paused_until = None
        plan.next_due_at = next_occurrence(
            weekdays=plan.weekdays, at=plan.local_time, tz=plan.time_zone, after=now
        )
        plan.updated_at = now
        session.add(plan)
        session.flush()
        log.info("check-ins of resident %s resumed", resident.id)
    return _view(session, plan)


def stop_checkins(*, session: Session, resident: Resident, now: datetime) -> bool:
    """Stop check-ins; False when there was nothing to stop. Past rounds stay as a record."""
    plan = _plan_of(session, saved_id(resident), for_update=True)
    if plan is None or plan.status == CheckinPlanStatus.STOPPED:
        return False
    _close_pending_rounds(session, plan.id, now)
    send_all_clear(session, resident, now, because="stopped")
    plan.status = CheckinPlanStatus.STOPPED
    plan.paused_until = None
    plan.next_due_at = None
    plan.updated_at = now
    session.add(plan)
    session.flush()
    log.info("check-ins of resident %s stopped", resident.id)
    return True


def get_plan(*, session: Session, resident: Resident) -> PlanView | None:
    """The resident's plan (stopped plans included, with status STOPPED), or None."""
    plan = _plan_of(session, saved_id(resident))
    return None if plan is None else _view(session, plan)


def saved_id(resident: Resident) -> int:
    if resident.id is None:
        raise InvalidPlan("resident", "the resident has not been saved")
    return resident.id


def _plan_of(session: Session, resident_id: int, *, for_update: bool = False) -> CheckinPlan | None:
    query = select(CheckinPlan).where(CheckinPlan.resident_id == resident_id)
    if for_update:
        query = query.with_for_update()
    return session.execute(query).scalars().first()


def _live_plan(session: Session, resident: Resident) -> CheckinPlan:
    plan = _plan_of(session, saved_id(resident), for_update=True)
    if plan is None or plan.status == CheckinPlanStatus.STOPPED:
        raise NoPlan(resident.id)
    return plan


def _close_pending_rounds(session: Session, plan_id: int, now: datetime) -> None:
    # Rounds materialised but not claimed carry no information: delete them, so that the new
    # schedule can materialise the same instant again (unique plan_id + scheduled_for).
    session.execute(delete(ROUND).where(ROUND.c.plan_id == plan_id,
                                        ROUND.c.status == Status.SCHEDULED))
    session.execute(
        update(ROUND)
        .where(ROUND.c.plan_id == plan_id,
               ROUND.c.status.in_([Status.AWAITING, Status.REMINDED]))
        .values(status=Status.CANCELLED, due_at=None)
    )


def _view(session: Session, plan: CheckinPlan) -> PlanView:
    upcoming = session.execute(
        select(ROUND.c.scheduled_for)
        .where(ROUND.c.plan_id == plan.id, ROUND.c.status == Status.SCHEDULED)
        .order_by(ROUND.c.scheduled_for)
        .limit(1)
    ).scalar()
    candidates = [t for t in (upcoming, plan.next_due_at) if t is not None]
    return PlanView(
        days=weekdays_of(plan.weekdays),
        at=plan.local_time,
        tz=plan.time_zone,
        status=CheckinPlanStatus(plan.status),
        paused_until=plan.paused_until,
        next_checkin_at=min(candidates) if candidates else None,
        missed_in_row=plan.missed_in_row,
    )


# --- the trusted contact ----------------------------------------------------------------------


def invite_contact(
    *, session: Session, resident: Resident, contact_resident: Resident, now: datetime
) -> CheckinContact:
    """Ask `contact_resident` (someone who has started the bot) to be told when `resident`
    stops answering. Replaces an earlier contact; inviting the same person again changes
    nothing. The invitation goes to the contact through the outbox, with accept/decline buttons.
    """
    saved_id(resident)
    if contact_resident.id is None or contact_resident.id == resident.id:
        raise InvalidInvitation("self")
    if not contact_resident.active:
        raise InvalidInvitation("unreachable")
    row = session.execute(
        select(CheckinContact).where(CheckinContact.resident_id == resident.id).with_for_update()
    ).scalars().first()
    if (row is not None and row.contact_resident_id == contact_resident.id
            and row.status in (ContactStatus.PENDING, ContactStatus.ACCEPTED)):
        return row
    if row is None:
        row = CheckinContact(resident_id=resident.id, contact_resident_id=contact_resident.id,
                             invited_at=now)
    row.contact_resident_id = contact_resident.id
    row.status = ContactStatus.PENDING
    row.invited_at = now
    row.answered_at = None
    session.add(row)
    session.flush()
    language = contact_resident.language
    enqueue_message(
        session=session,
        chat_id=contact_resident.chat_id,
        text=fit_message(text_in(language, "invite", name=display_name(language, resident.first_name),
                     contact=display_name(language, contact_resident.first_name))),
        buttons=[[
            {"text": text_in(language, "button.accept"),
             "data": checkin_button_data(CheckinAction.ACCEPT_CONTACT, row.id)},
            {"text": text_in(language, "button.decline"),
             "data": checkin_button_data(CheckinAction.DECLINE_CONTACT, row.id)},
        ]],
        resident_id=resident.id,
        now=now,
    )
    log.info("resident %s invited resident %s as check-in contact", resident.id, contact_resident.id)
    return row


def accept_invitation(
    *, session: Session, contact_resident: Resident, invitation_id: int, now: datetime
) -> CheckinContact:
    """The invited person accepts; only they may. Accepting twice changes nothing."""
    return _answer_invitation(session, contact_resident, invitation_id, now, ContactStatus.ACCEPTED)


def decline_invitation(
    *, session: Session, contact_resident: Resident, invitation_id: int, now: datetime
) -> CheckinContact:
    """The invited person declines (or, having accepted, steps back); only they may."""
    return _answer_invitation(session, contact_resident, invitation_id, now, ContactStatus.DECLINED)


def remove_contact(*, session: Session, resident: Resident, now: datetime) -> bool:
    row = get_contact(session=session, resident=resident)
    if row is None or row.status in (ContactStatus.DECLINED, ContactStatus.REVOKED):
        return False
    row.status = ContactStatus.REVOKED
    row.answered_at = now
    session.add(row)
    session.flush()
    return True


def get_contact(*, session: Session, resident: Resident) -> CheckinContact | None:
    return session.execute(
        select(CheckinContact).where(CheckinContact.resident_id == saved_id(resident))
    ).scalars().first()


def _answer_invitation(
    session: Session, contact_resident: Resident, invitation_id: int, now: datetime,
    target: ContactStatus,
) -> CheckinContact:
    row = session.execute(
        select(CheckinContact).where(CheckinContact.id == invitation_id).with_for_update()
    ).scalars().first()
    if row is None:
        raise InvitationNotFound(invitation_id)
    if contact_resident.id is None or row.contact_resident_id != contact_resident.id:
        raise NotAllowed("invitation", invitation_id, f"set to {target}")
    if row.status == target:
        return row
    allowed = {ContactStatus.PENDING} | (
        {ContactStatus.ACCEPTED} if target == ContactStatus.DECLINED else set()
    )
    if row.status not in allowed:
        raise InvitationClosed(invitation_id, row.status)
    row.status = target
    row.answered_at = now
    session.add(row)
    session.flush()
    resident = session.get(Resident, row.resident_id)
    if resident is not None:
        key = "invite.accepted" if target == ContactStatus.ACCEPTED else "invite.declined"
        # Filed under the contact it names, as the invitation is filed under the inviter: /forget
        # of either deletes it (the recipient's by chat, the one named by resident id).
        enqueue_message(session=session, chat_id=resident.chat_id, resident_id=contact_resident.id, now=now,
                        text=text_in(resident.language, key,
                                contact=display_name(resident.language, contact_resident.first_name)))
    log.info("check-in invitation %s %s", invitation_id, target)
    return row
