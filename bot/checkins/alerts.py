"""Who is told about a round, and what: staff and contact alerts, the all clear, through the outbox.

Part of the check-in engine; its life cycle and guarantees are in the package doc
(`bot/checkins/__init__.py`)."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, or_, select, update
from sqlmodel import Session

from bot.checkins.policy import (
    ALERT,
    BOOKING,
    CONTACT,
    IN_CHUNK,
    OUTBOX,
    PLAN,
    RESIDENT,
    ROUND,
    STAFF,
    CheckinPolicy,
    Status,
)
from bot.checkins.schedule import (
    DEFAULT_TIME_ZONE,
    local_wall_time,
)
from bot.checkins.wording import display_name, fit_message, text_in, when_text
from bot.sending.outbox import Buttons
from bot.store.models import (
    CheckinAlertKind,
    CheckinAnswer,
    ContactStatus,
    Language,
    OutboxStatus,
    Resident,
    StaffMember,
)

log = logging.getLogger(__name__)

# --- all clear --------------------------------------------------------------------------------


def send_all_clear(
    session: Session,
    resident: Resident,
    now: datetime,
    *,
    answer: CheckinAnswer | None = None,
    by_staff: StaffMember | None = None,
    because: str | None = None,
) -> int:
    """Tell everyone alerted about `resident` (missed / visit needed, not yet cleared) that all
    is well; returns how many messages were queued. `by_staff` is left out (they know).
    `because` ("paused", "stopped"): the resident changed their plan in the bot instead of
    answering, which shows just as well that they are there."""
    conn = session.connection()
    open_ids = [row.id for row in conn.execute(
        select(ROUND.c.id).where(ROUND.c.resident_id == resident.id,
                                 ROUND.c.alerted_at.is_not(None), ROUND.c.all_clear_at.is_(None))
    )]
    if not open_ids:
        return 0
    recipients: dict[int, tuple[str, int | None]] = {}
    for row in conn.execute(
        select(ALERT.c.chat_id, ALERT.c.recipient, ALERT.c.contact_resident_id)
        .where(ALERT.c.round_id.in_(open_ids),
               ALERT.c.kind.in_([CheckinAlertKind.MISSED, CheckinAlertKind.VISIT_NEEDED]))
        .order_by(ALERT.c.id)
    ):
        recipients.setdefault(row.chat_id, (row.recipient, row.contact_resident_id))
    if by_staff is not None:
        recipients.pop(by_staff.telegram_id, None)
    # An officer removed since the alert is told nothing more about the resident.
    still_staff = {row.telegram_id for row in conn.execute(
        select(STAFF.c.telegram_id).where(STAFF.c.telegram_id.in_(
            [chat for chat, (recipient, _) in recipients.items() if recipient == "staff"])))}
    recipients = {chat: value for chat, value in recipients.items()
                  if value[0] != "staff" or chat in still_staff}
    languages = _languages_of_chats(conn, list(recipients))
    outbox, alerts = [], []
    for chat_id, (recipient, contact_resident_id) in recipients.items():
        language = languages.get(chat_id, Language.KO)
        name = display_name(language, resident.first_name)
        if by_staff is not None:
            text = text_in(language, "all_clear.reached", staff=by_staff.name, name=name)
        elif because is not None:
            text = text_in(language, f"all_clear.{because}", name=name)
        else:
            text = text_in(language, "all_clear.answered", name=name,
                      answer=text_in(language, f"answer.{answer or CheckinAnswer.TEXT}"))
        outbox.append(outbox_row(chat_id, resident.id, text, None, now))
        alerts.append(alert_row(open_ids[-1], chat_id, recipient, CheckinAlertKind.ALL_CLEAR, now,
                                 contact_resident_id))
    queue_alerts(conn, outbox, alerts)
    conn.execute(update(ROUND).where(ROUND.c.id.in_(open_ids)).values(all_clear_at=now))
    return len(outbox)


def _languages_of_chats(conn, chat_ids: list[int]) -> dict[int, str]:
    """The language of each chat's person when they are a resident (staff too, when they
    have a resident profile); in a private chat the chat id is the user id."""
    languages: dict[int, str] = {}
    for chunk in chunks(chat_ids):
        for row in conn.execute(
            select(RESIDENT.c.chat_id, RESIDENT.c.platform_user_id, RESIDENT.c.language)
            .where(or_(RESIDENT.c.chat_id.in_(chunk), RESIDENT.c.platform_user_id.in_(chunk)))
        ):
            languages.setdefault(row.chat_id, row.language)
            languages.setdefault(row.platform_user_id, row.language)
    return languages


# --- who to tell, and what ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Person:
    id: int
    chat_id: int
    first_name: str
    language: str
    district: str
    active: bool


@dataclass(frozen=True)
class _Recipient:
    chat_id: int
    language: str
    name: str
    resident_id: int | None = None  # set for a trusted contact


@dataclass
class People:
    """Everything alerts about a batch of residents need, loaded with a few batched queries."""

    residents: dict[int, _Person]
    staff: dict[str, list[_Recipient]]
    contacts: dict[int, _Recipient]  # resident id → their accepted, reachable contact
    phones: dict[int, str]
    history: dict[int, list[tuple[datetime, str, str | None]]]  # newest first
    plans: dict[int, tuple[int, str | None, datetime | None]]  # missed, last answer, when

    @classmethod
    def load(cls, conn, resident_ids: Iterable[int], now: datetime, policy: CheckinPolicy) -> People:
        ids = sorted(set(resident_ids))
        residents: dict[int, _Person] = {}
        contacts: dict[int, _Recipient] = {}
        phones: dict[int, str] = {}
        history: dict[int, list] = defaultdict(list)
        plans: dict[int, tuple] = {}
        since = now - timedelta(days=policy.history_rounds + 1)
        for chunk in chunks(ids):
            for row in conn.execute(select(
                RESIDENT.c.id, RESIDENT.c.chat_id, RESIDENT.c.first_name, RESIDENT.c.language,
                RESIDENT.c.district, RESIDENT.c.active,
            ).where(RESIDENT.c.id.in_(chunk))):
                residents[row.id] = _Person(*row)
            contact = RESIDENT.alias("contact")
            for row in conn.execute(
                select(CONTACT.c.resident_id, contact.c.chat_id, contact.c.language,
                       contact.c.first_name, contact.c.id.label("contact_id"))
                .join(contact, contact.c.id == CONTACT.c.contact_resident_id)
                .where(CONTACT.c.resident_id.in_(chunk),
                       CONTACT.c.status == ContactStatus.ACCEPTED,
                       contact.c.active.is_(True))
            ):
                contacts[row.resident_id] = _Recipient(row.chat_id, row.language, row.first_name,
                                                       row.contact_id)
            for row in conn.execute(
                select(BOOKING.c.resident_id, BOOKING.c.phone)
                .where(BOOKING.c.resident_id.in_(chunk), BOOKING.c.phone.is_not(None))
                .order_by(BOOKING.c.created_at, BOOKING.c.id)
            ):
                phones[row.resident_id] = row.phone  # the latest wins
            for row in conn.execute(
                select(ROUND.c.resident_id, ROUND.c.scheduled_for, ROUND.c.status, ROUND.c.answer)
                .where(ROUND.c.resident_id.in_(chunk), ROUND.c.scheduled_for >= since,
                       ROUND.c.scheduled_for <= now, ROUND.c.status != Status.SCHEDULED)
                .order_by(ROUND.c.scheduled_for.desc())
            ):
                if len(history[row.resident_id]) < policy.history_rounds:
                    history[row.resident_id].append((row.scheduled_for, row.status, row.answer))
            for row in conn.execute(
                select(PLAN.c.resident_id, PLAN.c.missed_in_row, PLAN.c.last_answer,
                       PLAN.c.last_answered_at).where(PLAN.c.resident_id.in_(chunk))
            ):
                plans[row.resident_id] = (row.missed_in_row, row.last_answer, row.last_answered_at)
        districts = sorted({person.district for person in residents.values()})
        members = list(conn.execute(
            select(STAFF.c.telegram_id, STAFF.c.district, STAFF.c.name)
            .where(STAFF.c.district.in_(districts)).order_by(STAFF.c.id)
        )) if districts else []
        languages = _languages_of_chats(conn, [m.telegram_id for m in members])
        staff: dict[str, list[_Recipient]] = defaultdict(list)
        for member in members:
            staff[member.district].append(
                _Recipient(member.telegram_id, languages.get(member.telegram_id, Language.KO), member.name)
            )
        return cls(residents, dict(staff), contacts, phones, dict(history), plans)

    def details(self, language: str, person: _Person) -> dict[str, Any]:
        """The parts every staff text shares: name, district, phone line, history, last answer."""
        missed, last_answer, last_at = self.plans.get(person.id, (0, None, None))
        phone = self.phones.get(person.id)
        return {
            "name": display_name(language, person.first_name),
            "district": person.district,
            "phone": text_in(language, "staff.phone", phone=phone) if phone else "",
            "history": self.history_text(language, person.id),
            "last": (f"{when_text(language, last_at)} · {text_in(language, f'answer.{last_answer}')}"
                     if last_at is not None and last_answer else text_in(language, "none")),
            "count": missed,
        }

    def history_text(self, language: str, resident_id: int) -> str:
        parts = []
        for scheduled_for, status, answer in self.history.get(resident_id, []):
            local = local_wall_time(scheduled_for, DEFAULT_TIME_ZONE)
            day = text_in(language, "day", month=local.month, day=local.day)
            parts.append(f"{day} {_round_label(language, status, answer)}")
        return " · ".join(parts) or text_in(language, "none")


def _round_label(language: str, status: str, answer: str | None) -> str:
    if answer:
        return text_in(language, f"answer.{answer}")
    if status in (Status.ESCALATED, Status.VISIT_NEEDED):
        return text_in(language, "round.missed")
    if status == Status.REACHED:
        return text_in(language, "round.reached")
    if status == Status.SKIPPED:
        return text_in(language, "round.skipped")
    if status == Status.CANCELLED:
        return text_in(language, "round.cancelled")
    return text_in(language, "round.waiting")


def outbox_row(chat_id: int, resident_id: int, text: str, buttons: Buttons | None,
                now: datetime) -> dict[str, Any]:
    # The bulk form of `bot.sending.outbox.enqueue_message` (same columns, same defaults): escalations
    # come in hundreds per tick at a popular check-in time, one flush each would dominate.
    return {"chat_id": chat_id, "resident_id": resident_id, "text": fit_message(text), "buttons": buttons,
            "created_at": now, "attempts": 0, "next_attempt_at": now,
            "status": OutboxStatus.PENDING.value, "last_error": None, "finished_at": None}


def alert_row(round_id: int, chat_id: int, recipient: str, kind: CheckinAlertKind,
               now: datetime, contact_resident_id: int | None = None) -> dict[str, Any]:
    return {"round_id": round_id, "chat_id": chat_id, "recipient": recipient, "kind": kind.value,
            "at": now, "contact_resident_id": contact_resident_id}


def queue_alerts(conn, outbox: list[dict], alerts: list[dict]) -> None:
    if outbox:
        conn.execute(insert(OUTBOX), outbox)
    if alerts:
        conn.execute(insert(ALERT), alerts)


def chunks(items: Sequence[int] | list[int], size: int = IN_CHUNK) -> Iterator[list[int]]:
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]
