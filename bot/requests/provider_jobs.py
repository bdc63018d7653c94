"""Jobs: an accepted request delivered by one of the district's providers.

The life of a job (every other move raises `InvalidJobMove`):

    offered ──take──▶ taken ──visit──▶ scheduled ──done──▶ done ──confirm / rate (resident)
       │                │                  │  ▲ visit again
       └──refuse──▶ refused ◀──refuse──────┘      (staff then assign the request again)
    any open job ──request cancelled or closed by staff──▶ withdrawn

Who may move it is checked here against the database, not only in the handlers: staff of the
booking's district assign, to a provider the catalog lists for that program and district; only
members of the job's provider take, refuse, schedule and complete it; only the booking's
resident confirms and rates. A refused move raises before anything is written. Every move is
a step in the booking's history (`BookingEvent.action`), in the same transaction.

Costs are whole KRW and time whole minutes; `bot.requests.yearly_cap` counts done jobs against the yearly cap.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from bot.requests.bookings import (
    NOTE_MAX_LENGTH,
    NotAllowed,
    complete_booking_as_provider,
    district_staff,
    locked_booking,
    record_step,
)
from bot.store.models import (
    OPEN_JOB_STATUSES,
    ActorKind,
    Booking,
    BookingStatus,
    Job,
    JobStatus,
    ProviderMember,
    Resident,
    StaffMember,
)
from catalog import Catalog

log = logging.getLogger(__name__)

# Bounds that catch a typo (an extra zero, minutes typed as hours), not policy.
MAX_MINUTES = 24 * 60 * 7
MAX_MEALS = 1000
MAX_KRW = 100_000_000
MAX_VISIT_DAYS_AHEAD = 90
COMMENT_MAX_LENGTH = 500


class JobError(Exception):
    """Base of the expected failures of job services; the conversation turns them into replies."""


class JobNotFound(JobError, LookupError):
    """No such job, or not one the asker may see (the same answer, so ids reveal nothing)."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        super().__init__(f"no job {job_id}")


class InvalidJobMove(JobError):
    def __init__(self, job_id: int | None, current: str, action: str):
        self.job_id = job_id
        self.current = current
        self.action = action
        super().__init__(f"job {job_id} is {current}: cannot {action}")


class InvalidJobDetails(JobError, ValueError):
    """A value given for a job is unusable; `field_name` says which."""

    def __init__(self, field_name: str, reason: str):
        self.field_name = field_name
        self.reason = reason
        super().__init__(f"{field_name}: {reason}")


@dataclass(frozen=True)
class Delivered:
    """What the provider records having delivered: whole minutes, meals and KRW."""

    minutes: int
    meals: int
    materials_krw: int
    service_krw: int

    def __post_init__(self) -> None:
        for name, value, ceiling in (("minutes", self.minutes, MAX_MINUTES), ("meals", self.meals, MAX_MEALS),
                                     ("materials_krw", self.materials_krw, MAX_KRW),
                                     ("service_krw", self.service_krw, MAX_KRW)):
            # bool is an int in Python; a float is never a cost.
            if not isinstance(value, int) or isinstance(value, bool):
                raise InvalidJobDetails(name, "a whole number")
            if not 0 <= value <= ceiling:
                raise InvalidJobDetails(name, f"between 0 and {ceiling}")


# --- staff ----------------------------------------------------------------------------------


def assign_job(
    *, session: Session, catalog: Catalog, booking_id: int, provider_id: str, staff: StaffMember, now: datetime
) -> Job:
    """Staff of the booking's district give an accepted request to one of its providers."""
    booking = locked_booking(session, booking_id)
    current = district_staff(session, staff, booking, "assign")
    providers = {p.id for p in catalog.providers_for(booking.program_id, booking.district)}
    if provider_id not in providers:
        raise NotAllowed(booking_id, "assign to a provider not listed for it")
    if booking.status != BookingStatus.ACCEPTED:
        raise InvalidJobMove(None, booking.status, "assign")
    if open_job(session=session, booking_id=booking.id) is not None:
        raise InvalidJobMove(None, "assigned", "assign")
    job = Job(booking_id=booking.id, district=booking.district, program_id=booking.program_id,
              provider_id=provider_id, status=JobStatus.OFFERED, assigned_by_staff_id=current.id,
              created_at=now, updated_at=now)
    session.add(job)
    session.flush()
    record_step(session=session, booking=booking, actor_kind=ActorKind.STAFF, actor_id=current.id,
                action="assign", detail=provider_id, now=now)
    log.info("booking %s assigned to provider %s as job %s", booking.id, provider_id, job.id)
    return job


# --- the provider ---------------------------------------------------------------------------


def take_job(*, session: Session, job_id: int, member: ProviderMember, now: datetime) -> Job:
    job, booking = _member_job(session, job_id, member)
    _require(job, {JobStatus.OFFERED}, "take")
    return _step(session, job, booking, member, JobStatus.TAKEN, "take", None, now)


def refuse_job(
    *, session: Session, job_id: int, member: ProviderMember, reason: str | None, now: datetime
) -> Job:
    """The provider cannot do it (before or after taking it); staff assign the request again."""
    job, booking = _member_job(session, job_id, member)
    _require(job, OPEN_JOB_STATUSES, "refuse")
    reason = (reason or "").strip() or None
    if reason is not None and len(reason) > NOTE_MAX_LENGTH:
        raise InvalidJobDetails("reason", f"longer than {NOTE_MAX_LENGTH} characters")
    job.refused_reason = reason
    return _step(session, job, booking, member, JobStatus.REFUSED, "refuse", reason, now)


def schedule_visit(
    *, session: Session, job_id: int, member: ProviderMember, visit_at: datetime, now: datetime
) -> Job:
    job, booking = _member_job(session, job_id, member)
    _require(job, {JobStatus.TAKEN, JobStatus.SCHEDULED}, "visit")
    if visit_at.tzinfo is None:
        raise InvalidJobDetails("visit_at", "needs a time zone")
    if visit_at < now - timedelta(hours=1) or visit_at > now + timedelta(days=MAX_VISIT_DAYS_AHEAD):
        raise InvalidJobDetails("visit_at", f"between now and {MAX_VISIT_DAYS_AHEAD} days ahead")
    job.visit_at = visit_at
    return _step(session, job, booking, member, JobStatus.SCHEDULED, "visit", visit_at.isoformat(), now)


def complete_job(
    *, session: Session, job_id: int, member: ProviderMember, delivered: Delivered, now: datetime
) -> Job:
    """The provider records what was delivered; the request is done."""
    job, booking = _member_job(session, job_id, member)
    _require(job, {JobStatus.TAKEN, JobStatus.SCHEDULED}, "done")
    job.minutes, job.meals = delivered.minutes, delivered.meals
    job.materials_krw, job.service_krw = delivered.materials_krw, delivered.service_krw
    job.done_at = now
    detail = (f"minutes={delivered.minutes} meals={delivered.meals} "
              f"materials_krw={delivered.materials_krw} service_krw={delivered.service_krw}")
    _step(session, job, booking, member, JobStatus.DONE, "done", detail, now)
    complete_booking_as_provider(session=session, booking=booking, member_id=member.id, now=now)
    return job


# --- the resident ---------------------------------------------------------------------------


def confirm_job(*, session: Session, job_id: int, resident: Resident, confirmed: bool, now: datetime) -> Job:
    job, booking = _resident_job(session, job_id, resident)
    _require(job, {JobStatus.DONE}, "confirm")
    if job.confirmed is not None:
        raise InvalidJobMove(job.id, "confirmed", "confirm")
    job.confirmed, job.confirmed_at, job.updated_at = confirmed, now, now
    session.add(job)
    record_step(session=session, booking=booking, actor_kind=ActorKind.RESIDENT, actor_id=resident.id,
                action="confirm", detail="yes" if confirmed else "no", now=now)
    return job


def rate_job(
    *, session: Session, job_id: int, resident: Resident, rating: int, now: datetime, comment: str | None = None
) -> Job:
    """A rating of 1 to 5 (once), and optionally a comment (added later, once)."""
    job, booking = _resident_job(session, job_id, resident)
    _require(job, {JobStatus.DONE}, "rate")
    if job.rating is not None and job.rating != rating:
        raise InvalidJobMove(job.id, "rated", "rate")
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise InvalidJobDetails("rating", "between 1 and 5")
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > COMMENT_MAX_LENGTH:
        raise InvalidJobDetails("comment", f"longer than {COMMENT_MAX_LENGTH} characters")
    if comment is not None and job.rating_comment is not None:
        raise InvalidJobMove(job.id, "commented", "rate")
    first = job.rating is None
    job.rating = rating
    job.rating_comment = comment or job.rating_comment
    job.updated_at = now
    session.add(job)
    if first:
        record_step(session=session, booking=booking, actor_kind=ActorKind.RESIDENT, actor_id=resident.id,
                    action="rate", detail=str(rating), now=now)
    return job


# --- the request ends -----------------------------------------------------------------------


def withdraw_open_jobs(*, session: Session, booking_id: int, now: datetime) -> list[Job]:
    """The request was cancelled, or closed by staff: its open job is off (the provider is told
    by the caller)."""
    jobs = list(session.exec(
        select(Job).where(Job.booking_id == booking_id, col(Job.status).in_(OPEN_JOB_STATUSES))
        .with_for_update()
    ))
    for job in jobs:
        job.status, job.updated_at = JobStatus.WITHDRAWN, now
        session.add(job)
    session.flush()
    return jobs


# --- reading --------------------------------------------------------------------------------


def open_job(*, session: Session, booking_id: int) -> Job | None:
    return session.exec(
        select(Job).where(Job.booking_id == booking_id, col(Job.status).in_(OPEN_JOB_STATUSES))
    ).first()


def latest_job(*, session: Session, booking_id: int) -> Job | None:
    return session.exec(
        select(Job).where(Job.booking_id == booking_id).order_by(col(Job.id).desc())
    ).first()


def get_member_job(*, session: Session, job_id: int, member: ProviderMember) -> Job:
    job = session.get(Job, job_id)
    if job is None or job.provider_id != member.provider_id:
        log.warning("refused job %s to provider member %s", job_id, member.id)
        raise JobNotFound(job_id)
    return job


def list_member_jobs(*, session: Session, member: ProviderMember, open_only: bool = True) -> list[Job]:
    query = select(Job).where(Job.provider_id == member.provider_id).order_by(col(Job.id))
    if open_only:
        query = query.where(col(Job.status).in_(OPEN_JOB_STATUSES))
    return list(session.exec(query))


def members_of(*, session: Session, provider_id: str) -> list[ProviderMember]:
    return list(session.exec(
        select(ProviderMember).where(ProviderMember.provider_id == provider_id).order_by(col(ProviderMember.id))
    ))


def contact_for_provider(job: Job, booking: Booking) -> tuple[str | None, str | None]:
    """The phone and address a provider may see: only while the job is open, and only if the
    resident agreed to share them; (None, None) otherwise."""
    if job.status not in OPEN_JOB_STATUSES or not booking.share_contact:
        return None, None
    if booking.personal_data_erased_at is not None:
        return None, None
    return booking.phone, booking.address_detail


# --- helpers --------------------------------------------------------------------------------


def _locked_job(session: Session, job_id: int) -> Job:
    job = session.exec(
        select(Job).where(Job.id == job_id).with_for_update().execution_options(populate_existing=True)
    ).first()
    if job is None:
        raise JobNotFound(job_id)
    return job


def _member_job(session: Session, job_id: int, member: ProviderMember) -> tuple[Job, Booking]:
    # Re-read the member: someone removed since the turn began is no longer a member.
    current = session.get(ProviderMember, member.id) if member.id is not None else None
    job = _locked_job(session, job_id)
    if current is None or current.telegram_id != member.telegram_id or current.provider_id != job.provider_id:
        log.warning("refused job %s to provider member %s", job_id, member.id)
        raise JobNotFound(job_id)
    return job, locked_booking(session, job.booking_id)


def _resident_job(session: Session, job_id: int, resident: Resident) -> tuple[Job, Booking]:
    job = _locked_job(session, job_id)
    booking = session.get(Booking, job.booking_id)
    if booking is None or resident.id is None or booking.resident_id != resident.id:
        log.warning("refused job %s to resident %s", job_id, resident.id)
        raise JobNotFound(job_id)
    return job, booking


def _require(job: Job, allowed: frozenset[str] | set[str], action: str) -> None:
    if job.status not in allowed:
        raise InvalidJobMove(job.id, job.status, action)


def _step(session, job: Job, booking: Booking, member: ProviderMember, status: JobStatus, action: str,
          detail: str | None, now: datetime) -> Job:
    job.status, job.updated_at = status, now
    session.add(job)
    record_step(session=session, booking=booking, actor_kind=ActorKind.PROVIDER, actor_id=member.id,
                action=action, detail=detail, now=now)
    log.info("job %s %s by provider member %s", job.id, action, member.id)
    return job
