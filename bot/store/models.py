"""Every table the bot keeps: residents, their conversation, staff, bookings, and the outbox.

One module so the whole schema reads in one place. Each table follows the SQLModel chain
`XBase` (the fields a person would recognise) → `X(table=True)` (adds keys and bookkeeping);
`bot.people.privacy` reuses the bases to show a resident what is stored about them.

Choices that keep the schema portable between SQLite and PostgreSQL:
- enumerations are stored as short strings, not database ENUM types, so adding a value never
  needs a migration; the `StrEnum`s below are what services validate against;
- Telegram ids are `BIGINT` (user ids exceed 2**31; group chat ids are large negatives);
- every timestamp is timezone-aware UTC in Python (`UtcDateTime`), whatever the database keeps.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Index, LargeBinary, Text, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

# Record ids (booking, check-in round, invitation, notice...) are INTEGER columns: 32 bits on
# PostgreSQL. An id read from button data or a command above this names nothing, and must be
# refused as unknown before a query would fail on it.
MAX_RECORD_ID = 2**31 - 1


class UtcDateTime(TypeDecorator):
    """A timestamp that goes in and comes out as timezone-aware UTC.

    SQLite has no time zones and hands back naive datetimes; PostgreSQL's `timestamptz` hands
    back the session's zone. Both are normalised here, and a naive datetime is refused on the
    way in, because "naive" almost always means someone called `datetime.now()` by mistake.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime given to the store; pass a timezone-aware UTC time")
        value = value.astimezone(UTC)
        # SQLite's DATETIME would silently drop the offset; store the UTC wall time instead.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# --- vocabularies -------------------------------------------------------------------------


class Language(StrEnum):
    KO = "ko"
    EN = "en"


class AgeBand(StrEnum):
    """Bands, not birth dates: enough to tell whether a program's age limit fits."""

    UNDER_40 = "under-40"
    FORTIES = "40s"
    FIFTIES = "50s"
    SIXTIES = "60s"
    SEVENTY_PLUS = "70-plus"


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"


class BookingStatus(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    DONE = "done"


# Closed bookings no longer need the resident's contact details; retention counts from closing.
CLOSED_STATUSES = frozenset({BookingStatus.DONE, BookingStatus.DECLINED, BookingStatus.CANCELLED})
OPEN_STATUSES = frozenset({BookingStatus.REQUESTED, BookingStatus.ACCEPTED})


class TimeWindow(StrEnum):
    """When in the preferred day the resident would like staff to call or come."""

    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"
    ANY = "any"


class ActorKind(StrEnum):
    RESIDENT = "resident"
    STAFF = "staff"
    PROVIDER = "provider"  # a member of the provider delivering the job (bot.requests.provider_jobs)
    SYSTEM = "system"  # the bot itself, e.g. cancelling open requests when a resident leaves


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after too many attempts
    DROPPED = "dropped"  # deliberately not sent, e.g. the person blocked the bot


# --- residents ----------------------------------------------------------------------------


class ResidentBase(SQLModel):
    """What a resident told the bot about themselves, after agreeing that it may remember it."""

    first_name: str = Field(default="", max_length=64)
    language: str = Field(default=Language.KO, max_length=8)
    district: str = Field(max_length=32)
    consented_at: datetime = Field(sa_type=UtcDateTime)
    age_band: str | None = Field(default=None, max_length=16)
    gender: str | None = Field(default=None, max_length=16)
    # False once Telegram said the resident blocked the bot (403); nothing is sent while False.
    active: bool = True
    muted_notices: bool = False


class Resident(ResidentBase, table=True):
    """A person who agreed to use the bot. No row exists before consent."""

    id: int | None = Field(default=None, primary_key=True)
    platform_user_id: int = Field(sa_type=BigInteger, unique=True, index=True)
    chat_id: int = Field(sa_type=BigInteger, index=True)
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class ConversationState(SQLModel, table=True):
    """Where a person is in a conversation, so a restart does not lose a half-made request.

    Keyed by the platform user id rather than the resident row, because onboarding (choosing a
    language and a district, reading the consent text) happens before a resident row may exist.
    Before consent the conversation must keep only choices in `data`, nothing personal.
    """

    __tablename__ = "conversation_state"

    platform_user_id: int = Field(
        sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    state: str = Field(max_length=64)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    updated_at: datetime = Field(sa_type=UtcDateTime)


# --- staff --------------------------------------------------------------------------------


class StaffMemberBase(SQLModel):
    """A district officer who handles the booking requests of one district."""

    district: str = Field(max_length=32, index=True)
    name: str = Field(max_length=64)


class StaffMember(StaffMemberBase, table=True):
    __tablename__ = "staff_member"

    id: int | None = Field(default=None, primary_key=True)
    # In a private chat with the bot, Telegram's chat id equals this user id.
    telegram_id: int = Field(sa_type=BigInteger, unique=True, index=True)
    created_at: datetime = Field(sa_type=UtcDateTime)


# --- bookings -----------------------------------------------------------------------------


class BookingBase(SQLModel):
    """A resident's request for a program, which staff of the resident's district answer."""

    program_id: str = Field(max_length=128)
    district: str = Field(max_length=32, index=True)
    preferred_date: date
    time_window: str = Field(default=TimeWindow.ANY, max_length=16)
    # The clock time the resident wrote ("오후 2시"), inside `time_window`; None when they
    # chose only a part of the day.
    preferred_time: time | None = None
    # Personal fields: cleared by /forget and after the retention period of a closed booking.
    phone: str | None = Field(default=None, max_length=20)
    address_detail: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=500)
    # The resident agreed that the provider sent to them may see the phone and address above.
    share_contact: bool = False
    decline_reason: str | None = Field(default=None, max_length=500)
    status: str = Field(default=BookingStatus.REQUESTED, max_length=16, index=True)


class Booking(BookingBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # Null once the resident used /forget: the booking stays as an anonymous statistic.
    resident_id: int | None = Field(
        default=None, foreign_key="resident.id", ondelete="SET NULL", index=True
    )
    # Chosen by the caller per button press; a second press with the same key finds this row.
    request_key: str = Field(max_length=200, unique=True)
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)
    personal_data_erased_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class BookingEventBase(SQLModel):
    """One step in a booking's life: who moved it from which status to which, and when."""

    at: datetime = Field(sa_type=UtcDateTime)
    actor_kind: str = Field(max_length=16)
    # Resident.id or StaffMember.id depending on actor_kind; None for the system.
    actor_id: int | None = None
    from_status: str | None = Field(default=None, max_length=16)  # None: the booking was created
    to_status: str = Field(max_length=16)
    # What happened when the status stayed the same: a job step ("assign", "take", "refuse",
    # "visit", "done", "confirm", "rate"), a cap "override" or a "photo"; None for a move.
    action: str | None = Field(default=None, max_length=16)
    # Free text (a decline or cancel reason) may name a person, so it is erased with the rest.
    detail: str | None = Field(default=None, sa_type=Text)


class BookingEvent(BookingEventBase, table=True):
    __tablename__ = "booking_event"

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", ondelete="CASCADE", index=True)


# --- outbox -------------------------------------------------------------------------------


class OutboxMessage(SQLModel, table=True):
    """A message to someone other than the person chatting, sent later by the outbox sender.

    Written in the same transaction as the change it reports, so a booking is never accepted
    without the resident being told, nor told without being accepted.
    """

    __tablename__ = "outbox_message"

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_type=BigInteger, index=True)
    # The resident the message is to or about, so /forget can delete it.
    resident_id: int | None = Field(
        default=None, foreign_key="resident.id", ondelete="CASCADE", index=True
    )
    # Cleared once the message is sent, failed or dropped: the outbox is a queue, not an archive.
    text: str = Field(default="", sa_type=Text)
    buttons: list[Any] | None = Field(default=None, sa_type=JSON)
    # The keyboard under the typing field (labels of one row), for a reply that waited here
    # after Telegram did not answer in time (`Outgoing.keyboard`); cleared like the text.
    keyboard: list[Any] | None = Field(default=None, sa_type=JSON)
    # A photo sent with the text as caption: a messenger file id (a resident's photo of what
    # needs repair), or a picture the bot drew (the weekly chart); cleared like the text.
    photo: str | None = Field(default=None, max_length=256)
    photo_png: bytes | None = Field(default=None, sa_type=LargeBinary)
    # A resident's voice message passed on to staff or a provider (a messenger file id), the
    # text its caption; cleared like the text.
    voice: str | None = Field(default=None, max_length=256)
    created_at: datetime = Field(sa_type=UtcDateTime)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UtcDateTime, index=True)
    status: str = Field(default=OutboxStatus.PENDING, max_length=16, index=True)
    last_error: str | None = Field(default=None, max_length=500)
    finished_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


__all__ = [
    "ActorKind",
    "AgeBand",
    "Booking",
    "BookingBase",
    "BookingEvent",
    "BookingEventBase",
    "BookingStatus",
    "CLOSED_STATUSES",
    "ConversationState",
    "Gender",
    "Language",
    "OPEN_STATUSES",
    "OutboxMessage",
    "OutboxStatus",
    "Resident",
    "ResidentBase",
    "StaffMember",
    "StaffMemberBase",
    "TimeWindow",
    "UtcDateTime",
]


# --- check-ins ----------------------------------------------------------------------------
# The wellness check-in engine (`bot.checkins`): a resident's plan, one round per planned
# check-in, the trusted contact, and who was alerted about a round.


class CheckinPlanStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"  # no check-ins up to and including `paused_until`, then active again
    STOPPED = "stopped"
    # A check-in could not be delivered (bot blocked): set aside until the resident writes again.
    UNREACHABLE = "unreachable"


class CheckinRoundStatus(StrEnum):
    """Where one planned check-in is; the state machine is drawn in `bot.checkins`."""

    SCHEDULED = "scheduled"  # materialised from the plan, not sent yet
    SENDING = "sending"  # claimed by a dispatcher; sent at most once from here
    AWAITING = "awaiting"  # handed to the messenger (or could not be), waiting for an answer
    REMINDED = "reminded"  # no answer within the reply window: one reminder went out
    ESCALATED = "escalated"  # no answer after the second window: staff and contact alerted
    VISIT_NEEDED = "visit_needed"  # several missed in a row, or staff said someone must go
    ANSWERED = "answered"
    REACHED = "reached"  # staff reached the resident another way
    SKIPPED = "skipped"  # due while the bot was down for longer than the grace period
    CANCELLED = "cancelled"  # the resident paused, changed or stopped the plan


class CheckinAnswer(StrEnum):
    OK = "ok"
    HELP = "help"
    HARD = "hard"  # "오늘은 좀 힘들어요"
    TEXT = "text"  # wrote something instead of pressing a button


class CheckinDelivery(StrEnum):
    """What became of the check-in message itself."""

    DELIVERED = "delivered"
    BLOCKED = "blocked"  # the resident blocked the bot
    FAILED = "failed"  # a transient failure; the reminder is the second chance
    INACTIVE = "inactive"  # not sent: the resident was already known to be unreachable
    UNKNOWN = "unknown"  # the dispatcher died between claiming and recording the result


class ContactStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REVOKED = "revoked"  # the resident removed the contact or invited someone else


class CheckinAlertKind(StrEnum):
    MISSED = "missed"
    VISIT_NEEDED = "visit_needed"
    HELP = "help"
    ALL_CLEAR = "all_clear"


class CheckinPlanBase(SQLModel):
    """When a resident wants to be asked how they are, in their own time zone."""

    # Bit d set for weekday d (Monday = 0 … Sunday = 6, as `date.weekday()`).
    weekdays: int = Field(default=0b1111111, ge=1, le=0b1111111)
    local_time: time
    time_zone: str = Field(default="Asia/Seoul", max_length=64)
    status: str = Field(default=CheckinPlanStatus.ACTIVE, max_length=16)
    paused_until: date | None = None


class CheckinPlan(CheckinPlanBase, table=True):
    __tablename__ = "checkin_plan"

    id: int | None = Field(default=None, primary_key=True)
    resident_id: int = Field(foreign_key="resident.id", ondelete="CASCADE", unique=True)
    # The next check-in not yet materialised as a round; None when stopped. The dispatcher
    # finds due plans by this column alone.
    next_due_at: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)
    # Rounds escalated without an answer since the last answer (or staff reaching them).
    missed_in_row: int = 0
    last_answer: str | None = Field(default=None, max_length=16)
    last_answered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class CheckinRoundBase(SQLModel):
    """One planned check-in and what became of it."""

    scheduled_for: datetime = Field(sa_type=UtcDateTime)
    status: str = Field(default=CheckinRoundStatus.SCHEDULED, max_length=16)
    delivery: str | None = Field(default=None, max_length=16)
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    reminded_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    alerted_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    answer: str | None = Field(default=None, max_length=16)
    answered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    help_alerted_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    reached_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # When everyone alerted about this round was told the resident is all right.
    all_clear_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class CheckinRound(CheckinRoundBase, table=True):
    __tablename__ = "checkin_round"
    __table_args__ = (
        # Materialising twice (a retry, a second worker) finds the round already there.
        UniqueConstraint("plan_id", "scheduled_for", name="uq_checkin_round_plan_time"),
        # Every dispatcher step is "rounds in status S with due_at <= now".
        Index("ix_checkin_round_status_due", "status", "due_at"),
        Index("ix_checkin_round_resident_time", "resident_id", "scheduled_for"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="checkin_plan.id", ondelete="CASCADE")
    resident_id: int = Field(foreign_key="resident.id", ondelete="CASCADE")
    # When the dispatcher must next look at the round (send, lease end, remind, escalate);
    # None once nothing more is due.
    due_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    handled_by_staff_id: int | None = Field(
        default=None, foreign_key="staff_member.id", ondelete="SET NULL"
    )


class CheckinContact(SQLModel, table=True):
    """A resident's trusted contact: another resident, told only when an escalation happens."""

    __tablename__ = "checkin_contact"

    id: int | None = Field(default=None, primary_key=True)
    # One contact per resident: inviting someone else replaces the row.
    resident_id: int = Field(foreign_key="resident.id", ondelete="CASCADE", unique=True)
    contact_resident_id: int = Field(foreign_key="resident.id", ondelete="CASCADE", index=True)
    status: str = Field(default=ContactStatus.PENDING, max_length=16)
    invited_at: datetime = Field(sa_type=UtcDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class CheckinAlert(SQLModel, table=True):
    """Who was told what about a round, so that an all clear reaches exactly them."""

    __tablename__ = "checkin_alert"

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="checkin_round.id", ondelete="CASCADE", index=True)
    chat_id: int = Field(sa_type=BigInteger)
    recipient: str = Field(max_length=16)  # "staff" or "contact"
    # For a contact: their resident row, so that their /forget removes this trace of them too.
    contact_resident_id: int | None = Field(
        default=None, foreign_key="resident.id", ondelete="CASCADE", index=True
    )
    kind: str = Field(max_length=16)
    at: datetime = Field(sa_type=UtcDateTime)


__all__ += [
    "CheckinAlert",
    "CheckinAlertKind",
    "CheckinAnswer",
    "CheckinContact",
    "CheckinDelivery",
    "CheckinPlan",
    "CheckinPlanBase",
    "CheckinPlanStatus",
    "CheckinRound",
    "CheckinRoundBase",
    "CheckinRoundStatus",
    "ContactStatus",
]


# --- notices ------------------------------------------------------------------------------
# Staff announcements to the residents of their district (`bot.notices.deliveries`, sent by
# `bot.notices.sender`): the notice, and one delivery row per recipient, written before sending.


class NoticeStatus(StrEnum):
    DRAFT = "draft"  # being written in /notice; nobody counted or told yet
    SCHEDULED = "scheduled"  # waits for `send_at`; the audience is counted when it starts
    SENDING = "sending"  # deliveries written; the sender works through them
    FINISHED = "finished"
    CANCELLED = "cancelled"  # stopped by staff: deliveries not yet sent were cancelled


class NoticeAudience(StrEnum):
    ALL = "all"  # every reachable resident of the district who has not muted notices
    CHECKINS = "checkins"  # only those with a check-in plan (active or paused)
    KO = "ko"  # by the language the resident chose
    EN = "en"


class DeliveryStatus(StrEnum):
    """One recipient's copy of a notice; the state machine is drawn in `bot.notices.deliveries`."""

    PENDING = "pending"  # to send (again, after a retry's wait: `next_attempt_at`)
    SENDING = "sending"  # claimed by a sender at `claimed_at`; the only state that may repeat
    SENT = "sent"
    BLOCKED = "blocked"  # 403 or "chat not found": the resident was marked unreachable
    FAILED = "failed"  # refused (400), or still failing after the last retry; see `error`
    CANCELLED = "cancelled"  # the notice was stopped before this one went out


class NoticeBase(SQLModel):
    """What staff wrote and to whom it goes."""

    district: str = Field(max_length=32)
    text: str = Field(sa_type=Text)
    # A Telegram file id of a photo sent with the notice (the text is then its caption).
    photo: str | None = Field(default=None, max_length=256)
    link_label: str | None = Field(default=None, max_length=64)
    link_url: str | None = Field(default=None, max_length=512)
    audience: str = Field(default=NoticeAudience.ALL, max_length=16)
    status: str = Field(default=NoticeStatus.DRAFT, max_length=16)
    send_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # Counted when sending starts (the deliveries written); the three results are kept up to
    # date as deliveries finish, so a progress report needs no count over thousands of rows.
    recipients: int = 0
    delivered: int = 0
    blocked: int = 0
    failed: int = 0


class Notice(NoticeBase, table=True):
    __table_args__ = (
        # The sender's look for work: "scheduled and due", "sending".
        Index("ix_notice_status_send_at", "status", "send_at"),
        Index("ix_notice_district_created", "district", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int | None = Field(default=None, foreign_key="staff_member.id", ondelete="SET NULL")
    # Where the progress message and the final report go (the author's private chat); None for
    # notices made from the command line. The author's language at the time of writing.
    progress_chat_id: int | None = Field(default=None, sa_type=BigInteger)
    progress_message_id: int | None = Field(default=None, sa_type=BigInteger)
    progress_language: str = Field(default=Language.KO, max_length=8)
    created_at: datetime = Field(sa_type=UtcDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    cancelled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    reported_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Delivery(SQLModel, table=True):
    """One notice to one resident: written before anything is sent, then its result."""

    __tablename__ = "notice_delivery"
    __table_args__ = (
        # Materialising an audience twice (a retry, a second sender) finds the rows there.
        UniqueConstraint("notice_id", "resident_id", name="uq_notice_delivery_recipient"),
        # Claiming: "pending rows of notice N due now, in id order"; the lease check: "sending".
        Index("ix_notice_delivery_claim", "notice_id", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id", ondelete="CASCADE")
    # /forget deletes the resident and with them the rows saying what they were sent.
    resident_id: int = Field(foreign_key="resident.id", ondelete="CASCADE", index=True)
    chat_id: int = Field(sa_type=BigInteger)
    language: str = Field(default=Language.KO, max_length=8)
    status: str = Field(default=DeliveryStatus.PENDING, max_length=16)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UtcDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # A short code such as "telegram:400" or "telegram:BadGateway": never a message text.
    error: str | None = Field(default=None, max_length=64)


class SendBudget(SQLModel, table=True):
    """The bot's send rate, shared by every process on PostgreSQL: one token bucket per name.

    Telegram's limit is the bot's, not a process's, so N processes must not each send at the
    full rate. `bot.sending.send_rate.SharedSendBudget` claims a few tokens at a time with one
    UPDATE, refilled from the database's clock. Unused on SQLite (one process by design).
    """

    __tablename__ = "send_budget"

    name: str = Field(primary_key=True, max_length=32)
    # Below zero while claims wait for tokens the bucket has promised them.
    tokens: float = 0.0
    refilled_at: datetime = Field(sa_type=UtcDateTime)
    # A 429 from the messenger stops every process until then.
    paused_until: datetime = Field(sa_type=UtcDateTime)


__all__ += [
    "Delivery",
    "DeliveryStatus",
    "Notice",
    "NoticeAudience",
    "NoticeBase",
    "NoticeStatus",
    "SendBudget",
]


# --- providers and jobs -------------------------------------------------------------------
# A provider (a catalog record: a meal maker, a repair cooperative) delivers an accepted
# request as a job (`bot.requests.provider_jobs`): staff assign it, a member of the provider takes it, agrees a
# visit, records what was delivered; the resident confirms and may rate it.


class JobStatus(StrEnum):
    OFFERED = "offered"  # assigned by staff, waiting for the provider to take it or not
    TAKEN = "taken"  # the provider took it; no visit time agreed yet
    SCHEDULED = "scheduled"  # a visit time is agreed
    DONE = "done"  # the provider recorded what was delivered
    REFUSED = "refused"  # the provider could not take it: staff assign it again
    WITHDRAWN = "withdrawn"  # the request was cancelled or closed while the job was open


OPEN_JOB_STATUSES = frozenset({JobStatus.OFFERED, JobStatus.TAKEN, JobStatus.SCHEDULED})


class ProviderMember(SQLModel, table=True):
    """Someone who answers jobs for one provider of the catalog (`ddokddok provider add`)."""

    __tablename__ = "provider_member"

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_type=BigInteger, unique=True, index=True)
    provider_id: str = Field(max_length=128, index=True)
    name: str = Field(default="", max_length=64)
    created_at: datetime = Field(sa_type=UtcDateTime)


class JobBase(SQLModel):
    """What a provider was asked to do and what they recorded having delivered."""

    provider_id: str = Field(max_length=128, index=True)
    status: str = Field(default=JobStatus.OFFERED, max_length=16)
    refused_reason: str | None = Field(default=None, max_length=500)
    visit_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # What was delivered. Time in minutes and money in whole KRW: integers, never floats, so
    # the claim adds up to the won.
    minutes: int | None = None
    meals: int | None = None
    materials_krw: int | None = None
    service_krw: int | None = None
    done_at: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)
    # The resident's word: True "it was done", False "it was not"; a rating of 1 to 5.
    confirmed: bool | None = None
    confirmed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    rating: int | None = None
    rating_comment: str | None = Field(default=None, max_length=500)


class Job(JobBase, table=True):
    __tablename__ = "job"

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", ondelete="CASCADE", index=True)
    # Copied from the booking so statistics and the claim report read one table.
    district: str = Field(max_length=32, index=True)
    program_id: str = Field(max_length=128)
    assigned_by_staff_id: int | None = Field(
        default=None, foreign_key="staff_member.id", ondelete="SET NULL"
    )
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)

    @property
    def cost_krw(self) -> int:
        """What the job claims from the program: materials and service, in KRW."""
        return (self.materials_krw or 0) + (self.service_krw or 0)


class BookingPhoto(SQLModel, table=True):
    """A photo a resident attached to a request: the messenger's file id, never the bytes."""

    __tablename__ = "booking_photo"

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", ondelete="CASCADE", index=True)
    file_id: str = Field(max_length=256)
    added_at: datetime = Field(sa_type=UtcDateTime)


class BookingVoice(SQLModel, table=True):
    """A voice message a resident attached to a request (or a call-back): the messenger's file
    id and its length, never the sound. Erased with the request's other personal details."""

    __tablename__ = "booking_voice"

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", ondelete="CASCADE", index=True)
    file_id: str = Field(max_length=256)
    seconds: int
    added_at: datetime = Field(sa_type=UtcDateTime)


class WeeklyChart(SQLModel, table=True):
    """One district's weekly chart, made once: the row is the proof it was queued."""

    __tablename__ = "weekly_chart"
    __table_args__ = (UniqueConstraint("district", "week_start", name="uq_weekly_chart_week"),)

    id: int | None = Field(default=None, primary_key=True)
    district: str = Field(max_length=32)
    week_start: date
    created_at: datetime = Field(sa_type=UtcDateTime)


__all__ += [
    "BookingPhoto",
    "BookingVoice",
    "Job",
    "JobBase",
    "JobStatus",
    "OPEN_JOB_STATUSES",
    "ProviderMember",
    "WeeklyChart",
]


# --- the district office's web board ------------------------------------------------------
# Staff log in to the board (`bot.board`) through a one-time link the bot sends on /board
# (`bot.people.board_access`). Only a hash of each link's token and each session's token is
# kept: a copy of the database lets no one in.


class BoardLoginLink(SQLModel, table=True):
    """A one-time login link: valid for minutes, used at most once."""

    __tablename__ = "board_login_link"

    id: int | None = Field(default=None, primary_key=True)
    # Removing the staff member removes their links (and sessions) with them.
    staff_id: int = Field(foreign_key="staff_member.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class BoardSession(SQLModel, table=True):
    """A staff member logged in to the board, for a working day or until they log out."""

    __tablename__ = "board_session"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff_member.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class BoardSecret(SQLModel, table=True):
    """The board's cookie-signing key when BOARD_SECRET_KEY is unset: made once, shared by every
    worker and kept across restarts. Never logged."""

    __tablename__ = "board_secret"

    name: str = Field(primary_key=True, max_length=32)
    value: str = Field(max_length=128)
    created_at: datetime = Field(sa_type=UtcDateTime)


__all__ += ["BoardLoginLink", "BoardSecret", "BoardSession"]


# --- platform identities (a second messenger) ------------------------------------------------


class PlatformIdentity(SQLModel, table=True):
    """Who a person of a messenger other than Telegram is, as the rest of the bot knows them.

    Every table keys people by one integer (`Resident.platform_user_id`, `chat_id`, ...). A
    Telegram user's is their Telegram id (positive) and needs no row here; anyone else gets a
    row mapping (platform, the messenger's key for them) to an integer allocated below every
    id Telegram can give (`bot.people.identities`), so a chat id alone says which messenger
    it belongs to. One person on two messengers is two people unless linked on purpose (a row
    whose `internal_id` is another's): `internal_id` is indexed, not unique, for that.
    """

    __tablename__ = "platform_identity"
    __table_args__ = (UniqueConstraint("platform", "external_key", name="uq_platform_identity_key"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    # Kakao's botUserKey: opaque, per channel; not a name, phone or account.
    external_key: str = Field(max_length=128)
    internal_id: int = Field(sa_type=BigInteger, index=True)
    created_at: datetime = Field(sa_type=UtcDateTime)


class HeldMessage(SQLModel, table=True):
    """Messages held for a messenger that fetches what it shows (KakaoTalk): what the Event API
    announced by token, or the rest of a reply behind "더보기". Deleted once fetched, and after
    a day unfetched (bot.adapters.kakao.held)."""

    __tablename__ = "held_message"

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=64, unique=True)
    chat_id: int = Field(sa_type=BigInteger, index=True)
    # [{"text": ..., "buttons": [[{"text", "data", "url"}]]}], in order.
    messages: list[Any] = Field(sa_type=JSON)
    created_at: datetime = Field(sa_type=UtcDateTime, index=True)


__all__ += ["HeldMessage", "PlatformIdentity"]


# --- linking a second messenger on purpose ---------------------------------------------------


class LinkCode(SQLModel, table=True):
    """A one-time code a resident asks for on their messenger, to be typed on another one so
    that its identity becomes the same resident (bot.people.linking). Only the code's hash is
    kept; valid for minutes, used at most once, and the row dropped an hour after it was made."""

    __tablename__ = "link_code"

    id: int | None = Field(default=None, primary_key=True)
    # Removing the resident removes their codes with them.
    resident_id: int = Field(foreign_key="resident.id", ondelete="CASCADE", index=True)
    code_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(sa_type=UtcDateTime, index=True)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class LinkFailure(SQLModel, table=True):
    """One wrong, expired or reused link code typed by a person (their integer id), counted to
    stop guessing; dropped once it no longer counts."""

    __tablename__ = "link_failure"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(sa_type=BigInteger, index=True)
    at: datetime = Field(sa_type=UtcDateTime, index=True)


__all__ += ["LinkCode", "LinkFailure"]
