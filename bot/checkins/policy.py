"""Check-ins' shared ground: the tables, the limits and waits (`CheckinPolicy`), and the errors.

Part of the check-in engine; its life cycle and guarantees are in the package doc
(`bot/checkins/__init__.py`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.core.settings import Settings
from bot.store.models import (
    Booking,
    CheckinAlert,
    CheckinContact,
    CheckinPlan,
    CheckinRound,
    CheckinRoundStatus,
    OutboxMessage,
    Resident,
    StaffMember,
)

log = logging.getLogger(__name__)

PLAN = CheckinPlan.__table__
ROUND = CheckinRound.__table__
ALERT = CheckinAlert.__table__
CONTACT = CheckinContact.__table__
OUTBOX = OutboxMessage.__table__
RESIDENT = Resident.__table__
STAFF = StaffMember.__table__
BOOKING = Booking.__table__

Status = CheckinRoundStatus

# About what Telegram lets one bot send in a minute (~30 messages a second), for one-minute ticks.
DEFAULT_SEND_LIMIT = 1500
# Rows per transaction when materialising plans, and ids per IN (...) list.
BATCH = 1000
IN_CHUNK = 500
# Check-ins claimed per transaction: a crash leaves at most this many claimed, all but the one
# in flight still due once the lease is over; more would only wait longer after a crash.
CLAIM_BATCH = 25
# A hand-off or result that fails to commit (the database busy past its timeout) is tried again
# after these pauses, in seconds; a round handed off is never sent again, whatever happens here.
RECORD_RETRY_PAUSES = (0.05, 0.5)
MAX_PAUSE_DAYS = 366

# Rounds that a resident's answer (a press, or any text) can still close.
OPEN_STATUSES = frozenset(
    {Status.SENDING, Status.AWAITING, Status.REMINDED, Status.ESCALATED, Status.VISIT_NEEDED}
)
ALERTED_STATUSES = frozenset({Status.ESCALATED, Status.VISIT_NEEDED})


@dataclass(frozen=True)
class CheckinPolicy:
    """How long the engine waits at each step. Built from `Settings` (`from_settings`)."""

    reply_window: timedelta = timedelta(hours=2)
    visit_needed_after_missed_rounds: int = 3
    grace_period: timedelta = timedelta(minutes=30)
    # How long a claimed round belongs to the dispatcher sending it (see the module doc); longer
    # than sending one tick's batch takes (1,500 messages at 30 a second: under a minute).
    send_lease: timedelta = timedelta(minutes=1)
    # Plans are turned into rounds this far ahead, so a crowd due at 10:00 is materialised over
    # the hour before, a few thousand rows a tick, instead of in the 10:00 tick.
    materialise_ahead: timedelta = timedelta(hours=1)
    # How many past check-ins a staff alert lists.
    history_rounds: int = 7

    def __post_init__(self) -> None:
        for name in ("reply_window", "grace_period", "send_lease"):
            if getattr(self, name) <= timedelta(0):
                raise ValueError(f"CheckinPolicy.{name} must be positive")
        if self.materialise_ahead < timedelta(0):
            raise ValueError("CheckinPolicy.materialise_ahead cannot be negative")
        if self.visit_needed_after_missed_rounds < 1 or self.history_rounds < 1:
            raise ValueError("CheckinPolicy counts must be at least 1")


    @classmethod
    def from_settings(cls, settings: Settings) -> CheckinPolicy:
        """The waits and counts an operator set (`CHECKIN_*`)."""
        return cls(
            reply_window=timedelta(minutes=settings.checkin_reply_window_minutes),
            visit_needed_after_missed_rounds=settings.checkin_visit_needed_after_missed_rounds,
            grace_period=timedelta(minutes=settings.checkin_grace_period_minutes),
            send_lease=timedelta(minutes=settings.checkin_send_lease_minutes),
        )


DEFAULT_POLICY = CheckinPolicy()


# --- errors -----------------------------------------------------------------------------------


class CheckinError(Exception):
    """Base of the expected failures of check-in services; the edge turns them into replies."""


class InvalidPlan(CheckinError, ValueError):
    def __init__(self, field_name: str, reason: str):
        self.field_name = field_name
        self.reason = reason
        super().__init__(f"{field_name}: {reason}")


class NoPlan(CheckinError, LookupError):
    """The resident has no active or paused check-in plan."""

    def __init__(self, resident_id: int | None):
        self.resident_id = resident_id
        super().__init__(f"resident {resident_id} has no check-in plan")


class RoundNotFound(CheckinError, LookupError):
    def __init__(self, round_id: int):
        self.round_id = round_id
        super().__init__(f"no check-in round {round_id}")


class NotAllowed(CheckinError, PermissionError):
    """Someone acted on a round or invitation that is not theirs (forged button data, another
    resident's round, staff of another district, an invitation meant for someone else)."""

    def __init__(self, what: str, target_id: int | None, action: str):
        self.what = what
        self.target_id = target_id
        self.action = action
        super().__init__(f"not allowed to {action} {what} {target_id}")


class RoundNotOpen(CheckinError):
    """The round was never sent (so no one could have pressed its buttons) or is not in a state
    that allows the action."""

    def __init__(self, round_id: int, status: str, action: str):
        self.round_id = round_id
        self.status = status
        self.action = action
        super().__init__(f"cannot {action} check-in round {round_id} in status {status}")


class InvalidAnswer(CheckinError, ValueError):
    def __init__(self, answer: object):
        self.answer = answer
        super().__init__(f"unknown check-in answer {answer!r}")


class InvalidInvitation(CheckinError, ValueError):
    """`reason`: "self" (inviting oneself), "unreachable" (the contact blocked the bot)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(f"cannot invite this contact: {reason}")


class InvitationNotFound(CheckinError, LookupError):
    def __init__(self, invitation_id: int):
        self.invitation_id = invitation_id
        super().__init__(f"no invitation {invitation_id}")


class InvitationClosed(CheckinError):
    def __init__(self, invitation_id: int, status: str):
        self.invitation_id = invitation_id
        self.status = status
        super().__init__(f"invitation {invitation_id} is {status}")
