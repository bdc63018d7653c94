"""What a notice did: delivered, blocked, failed and why (the staff's report and /notices)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import Session, select

from bot.store.models import (
    Delivery,
    DeliveryStatus,
    Notice,
)

if TYPE_CHECKING:
    pass

from bot.notices.authoring import NoticeNotFound

log = logging.getLogger(__name__)

# --- reports --------------------------------------------------------------------------------


class FailureReason(StrEnum):
    REFUSED = "refused"  # Telegram refused the message itself (400)
    UNAVAILABLE = "unavailable"  # Telegram did not answer or failed, every attempt
    OTHER = "other"


def failure_reason(code: str | None) -> FailureReason:
    if not code:
        return FailureReason.OTHER
    if code.startswith("telegram:400") or code == "telegram:chat_migrated":
        return FailureReason.REFUSED
    if code.startswith("unexpected:"):
        return FailureReason.OTHER
    return FailureReason.UNAVAILABLE


@dataclass(frozen=True)
class NoticeReport:
    """Where a notice is: the counters, what is left, and why deliveries failed."""

    notice_id: int
    district: str
    status: str
    audience: str
    text: str
    created_at: datetime
    send_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    recipients: int
    delivered: int
    blocked: int
    failed: int
    pending: int
    in_flight: int
    cancelled: int
    failures: dict[str, int] = field(default_factory=dict)  # FailureReason → count

    @property
    def remaining(self) -> int:
        return self.pending + self.in_flight


def notice_report(*, session: Session, notice_id: int) -> NoticeReport:
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise NoticeNotFound(notice_id)
    by_status = dict(session.exec(
        select(Delivery.status, func.count()).where(Delivery.notice_id == notice_id).group_by(Delivery.status)
    ).all())
    failures: dict[str, int] = {}
    for code, count in session.exec(
        select(Delivery.error, func.count())
        .where(Delivery.notice_id == notice_id, Delivery.status == DeliveryStatus.FAILED)
        .group_by(Delivery.error)
    ).all():
        reason = str(failure_reason(code))
        failures[reason] = failures.get(reason, 0) + count
    return NoticeReport(
        notice_id=notice_id,
        district=notice.district,
        status=notice.status,
        audience=notice.audience,
        text=notice.text,
        created_at=notice.created_at,
        send_at=notice.send_at,
        started_at=notice.started_at,
        finished_at=notice.finished_at,
        recipients=notice.recipients,
        delivered=notice.delivered,
        blocked=notice.blocked,
        failed=notice.failed,
        pending=by_status.get(DeliveryStatus.PENDING, 0),
        in_flight=by_status.get(DeliveryStatus.SENDING, 0),
        cancelled=by_status.get(DeliveryStatus.CANCELLED, 0),
        failures=failures,
    )
