"""Answers to a check-in (a press or any text), a call for help, and staff marking a round.

Part of the check-in engine; its life cycle and guarantees are in the package doc
(`bot/checkins/__init__.py`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import bindparam, select, update
from sqlmodel import Session

from bot.checkins.alerts import People, alert_row, outbox_row, queue_alerts, send_all_clear
from bot.checkins.plans import saved_id
from bot.checkins.policy import (
    ALERTED_STATUSES,
    DEFAULT_POLICY,
    OPEN_STATUSES,
    PLAN,
    InvalidAnswer,
    NotAllowed,
    RoundNotFound,
    RoundNotOpen,
    Status,
)
from bot.checkins.wording import staff_buttons, text_in
from bot.store.models import (
    CheckinAlertKind,
    CheckinAnswer,
    CheckinRound,
    CheckinRoundStatus,
    Resident,
    StaffMember,
)

log = logging.getLogger(__name__)

# --- answers ----------------------------------------------------------------------------------


class NextStep(StrEnum):
    """What the conversation should do after an answer."""

    THANK = "thank"  # "ok": a warm thank-you
    OFFER_HELP = "offer_help"  # "help": offer the matcher's categories, or alert staff (ci:alert)
    COMFORT = "comfort"  # "hard": a kind word, and the programs for talking to someone
    CONTINUE = "continue"  # free text: the conversation handles the text itself


@dataclass(frozen=True)
class AnswerOutcome:
    round_id: int
    answer: CheckinAnswer
    next_step: NextStep
    already_answered: bool  # the round had an answer before this one
    late: bool  # answered after staff (and the contact) had been alerted
    all_clear_sent: int  # all-clear messages queued for the people who had been alerted


_NEXT_STEP = {
    CheckinAnswer.OK: NextStep.THANK,
    CheckinAnswer.HELP: NextStep.OFFER_HELP,
    CheckinAnswer.HARD: NextStep.COMFORT,
    CheckinAnswer.TEXT: NextStep.CONTINUE,
}


def open_round_id(*, session: Session, resident: Resident) -> int | None:
    """The round a free-text message from `resident` answers: their latest sent round, if it is
    still open. The conversation calls `record_answer(answer="text")` with its id. Asked on
    every typed message, so the statement is built once and reads two columns, not a round."""
    latest = session.execute(_LATEST_SENT_ROUND, {"resident_id": saved_id(resident)}).first()
    return latest.id if latest is not None and latest.status in OPEN_STATUSES else None


_ROUND = CheckinRound.__table__
_LATEST_SENT_ROUND = (
    select(_ROUND.c.id, _ROUND.c.status)
    .where(_ROUND.c.resident_id == bindparam("resident_id"), _ROUND.c.claimed_at.is_not(None))
    .order_by(_ROUND.c.scheduled_for.desc())
    .limit(1)
)


def record_answer(
    *, session: Session, resident: Resident, round_id: int, answer: str, now: datetime
) -> AnswerOutcome:
    """Record `resident`'s answer ("ok", "help", "hard", or "text" for a written reply).

    The round must be the resident's and must have been sent: a forged or foreign round id
    raises `RoundNotFound` / `NotAllowed` / `RoundNotOpen` and changes nothing. Any answer
    resets the missed-in-a-row count, and if anyone had been alerted about this resident
    (this round or an earlier one) without an all clear yet, they get one now.
    A second press on the same round keeps the first answer time; a button answer replaces
    an earlier one (so "help" after "ok" is not lost), a text does not replace a button.
    """
    try:
        given = CheckinAnswer(answer)
    except ValueError as error:
        raise InvalidAnswer(answer) from error
    rnd = _round_for_update(session, round_id)
    if resident.id is None or rnd.resident_id != resident.id:
        raise NotAllowed("check-in round", round_id, "answer")
    if rnd.claimed_at is None:
        raise RoundNotOpen(round_id, rnd.status, "answer")

    already = rnd.answered_at is not None
    late = rnd.alerted_at is not None
    if not already:
        rnd.answered_at = now
    if not already or given != CheckinAnswer.TEXT:
        rnd.answer = given
    if rnd.status != Status.REACHED:
        rnd.status = Status.ANSWERED
    rnd.due_at = None
    session.add(rnd)
    session.execute(
        update(PLAN).where(PLAN.c.id == rnd.plan_id)
        .values(missed_in_row=0, last_answer=rnd.answer, last_answered_at=now, updated_at=now)
    )
    session.flush()
    cleared = send_all_clear(session, resident, now, answer=CheckinAnswer(rnd.answer))
    if late:
        log.info("late check-in answer from resident %s (round %s); %s told", resident.id,
                 round_id, cleared)
    return AnswerOutcome(round_id=round_id, answer=given, next_step=_NEXT_STEP[given],
                         already_answered=already, late=late, all_clear_sent=cleared)


def alert_staff_for_help(*, session: Session, resident: Resident, round_id: int, now: datetime) -> int:
    """The resident answered "help" and chose to have staff contact them: alert the district's
    staff (with the phone of their latest request, if any, and recent check-ins). Returns how
    many were alerted; a second call for the same round alerts no one again (returns 0)."""
    rnd = _round_for_update(session, round_id)
    if resident.id is None or rnd.resident_id != resident.id:
        raise NotAllowed("check-in round", round_id, "ask for help on")
    if rnd.claimed_at is None:
        raise RoundNotOpen(round_id, rnd.status, "ask for help on")
    if rnd.help_alerted_at is not None:
        return 0
    rnd.help_alerted_at = now
    if rnd.answered_at is None:
        rnd.answered_at, rnd.answer, rnd.status, rnd.due_at = now, CheckinAnswer.HELP, Status.ANSWERED, None
    session.add(rnd)
    session.flush()
    conn = session.connection()
    people = People.load(conn, [resident.id], now, DEFAULT_POLICY)
    person = people.residents[resident.id]
    outbox, alerts = [], []
    for member in people.staff.get(person.district, []):
        text = text_in(member.language, "staff.help", **people.details(member.language, person))
        outbox.append(outbox_row(member.chat_id, person.id, text,
                                  staff_buttons(member.language, rnd.id, visit=False), now))
        alerts.append(alert_row(rnd.id, member.chat_id, "staff", CheckinAlertKind.HELP, now))
    queue_alerts(conn, outbox, alerts)
    if not outbox:
        log.warning("no staff in district %s for the help request of resident %s",
                    person.district, resident.id)
    return len(outbox)


def _round_for_update(session: Session, round_id: int) -> CheckinRound:
    if isinstance(round_id, bool) or not isinstance(round_id, int):
        raise RoundNotFound(round_id)
    rnd = session.execute(
        select(CheckinRound).where(CheckinRound.id == round_id).with_for_update()
    ).scalars().first()
    if rnd is None:
        raise RoundNotFound(round_id)
    return rnd


# --- staff ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffActionOutcome:
    round_id: int
    resident_id: int
    status: CheckinRoundStatus
    changed: bool  # False: someone (the resident, another officer) had settled it already
    notified: int  # messages queued for the others concerned


def staff_mark_reached(
    *, session: Session, staff: StaffMember, round_id: int, now: datetime
) -> StaffActionOutcome:
    """Staff of the resident's district reached them: the round (and any other open alert about
    the resident) is settled, the count of missed rounds starts again, and everyone else who
    was alerted (other staff, the contact) is told."""
    rnd, resident = _staff_round(session, staff, round_id, "mark reached")
    if rnd.status in ALERTED_STATUSES:
        rnd.status = Status.REACHED
    elif rnd.help_alerted_at is None or rnd.reached_at is not None:
        return StaffActionOutcome(rnd.id, resident.id, Status(rnd.status), False, 0)
    rnd.reached_at = now
    rnd.handled_by_staff_id = staff.id
    rnd.due_at = None
    session.add(rnd)
    session.execute(update(PLAN).where(PLAN.c.id == rnd.plan_id)
                    .values(missed_in_row=0, updated_at=now))
    session.flush()
    notified = send_all_clear(session, resident, now, by_staff=staff)
    log.info("staff %s reached resident %s (round %s)", staff.id, resident.id, rnd.id)
    return StaffActionOutcome(rnd.id, resident.id, Status(rnd.status), True, notified)


def staff_mark_visit_needed(
    *, session: Session, staff: StaffMember, round_id: int, now: datetime
) -> StaffActionOutcome:
    """Staff of the resident's district could not reach them and someone must go: the round
    becomes `visit_needed` and the district's other staff are told."""
    rnd, resident = _staff_round(session, staff, round_id, "mark visit needed")
    if rnd.status != Status.ESCALATED:
        return StaffActionOutcome(rnd.id, resident.id, Status(rnd.status), False, 0)
    rnd.status = Status.VISIT_NEEDED
    rnd.handled_by_staff_id = staff.id
    session.add(rnd)
    session.flush()
    conn = session.connection()
    people = People.load(conn, [resident.id], now, DEFAULT_POLICY)
    person = people.residents[resident.id]
    outbox, alerts = [], []
    for member in people.staff.get(person.district, []):
        if member.chat_id == staff.telegram_id:
            continue
        text = text_in(member.language, "staff.visit_marked", staff=staff.name,
                  **people.details(member.language, person))
        outbox.append(outbox_row(member.chat_id, person.id, text,
                                  staff_buttons(member.language, rnd.id, visit=False), now))
        alerts.append(alert_row(rnd.id, member.chat_id, "staff", CheckinAlertKind.VISIT_NEEDED, now))
    queue_alerts(conn, outbox, alerts)
    log.info("staff %s marked resident %s as needing a visit (round %s)", staff.id, resident.id, rnd.id)
    return StaffActionOutcome(rnd.id, resident.id, Status(rnd.status), True, len(outbox))


def _staff_round(
    session: Session, staff: StaffMember, round_id: int, action: str
) -> tuple[CheckinRound, Resident]:
    rnd = _round_for_update(session, round_id)
    resident = session.get(Resident, rnd.resident_id)
    if resident is None or staff.id is None or resident.district != staff.district:
        raise NotAllowed("check-in round", round_id, action)
    if rnd.alerted_at is None and rnd.help_alerted_at is None:
        raise RoundNotOpen(round_id, rnd.status, action)  # staff were never shown this round
    return rnd, resident
