"""Residents (people who agreed to use the bot) and where each person is in a conversation.

A resident row is written only at consent: before that the bot keeps nothing but the
conversation state of the onboarding (language and district choices), keyed by the Telegram
user id, which `forget_stale_conversations` removes if the person never comes back.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import BigInteger, bindparam, cast, insert
from sqlalchemy import select as core_select
from sqlalchemy import update as core_update
from sqlmodel import Session, col, delete, select, update

from bot.store.models import (
    AgeBand,
    ConversationState,
    Gender,
    Language,
    ProviderMember,
    Resident,
    StaffMember,
)

log = logging.getLogger(__name__)

# The state is a handful of choices and ids, not a document; a bigger one is a bug upstream.
MAX_CONVERSATION_DATA_BYTES = 8_192
FIRST_NAME_MAX_LENGTH = 64
LANGUAGES, AGE_BANDS, GENDERS = frozenset(Language), frozenset(AgeBand), frozenset(Gender)


class InvalidProfile(ValueError):
    """A profile value outside its vocabulary (language, age band, gender) or an empty district."""

    def __init__(self, field_name: str, allowed: list[str] | None = None):
        self.field_name = field_name
        self.allowed = allowed or []
        detail = f"; allowed: {', '.join(self.allowed)}" if self.allowed else ""
        super().__init__(f"invalid value for '{field_name}'{detail}")


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


# Distinguishes "leave as it is" from "set to None" (e.g. a resident removing their age band).
UNCHANGED: Final = _Unchanged()


def get_resident(*, session: Session, platform_user_id: int) -> Resident | None:
    return session.exec(
        select(Resident).where(Resident.platform_user_id == platform_user_id)
    ).first()


def language_of(*, session: Session, telegram_id: int) -> str:
    """The language to write to a Telegram user who is not chatting now (staff, a provider's
    member): their resident profile's, if they have one, else Korean."""
    profile = get_resident(session=session, platform_user_id=telegram_id)
    return profile.language if profile is not None else Language.KO


def register_resident(
    *,
    session: Session,
    platform_user_id: int,
    chat_id: int,
    first_name: str,
    language: str,
    district: str,
    now: datetime,
    age_band: str | None | _Unchanged = UNCHANGED,
    gender: str | None | _Unchanged = UNCHANGED,
) -> Resident:
    """Record a resident's consent and what they chose during onboarding.

    Called when the resident presses "agree". Pressing it again (or consenting after the bot
    was blocked and unblocked) updates the same row and the consent time instead of failing;
    an age band or gender given earlier stays unless passed again.
    """
    _check_vocabulary(
        language=language,
        district=district,
        age_band=None if age_band is UNCHANGED else age_band,
        gender=None if gender is UNCHANGED else gender,
    )
    resident = get_resident(session=session, platform_user_id=platform_user_id)
    if resident is None:
        resident = Resident(platform_user_id=platform_user_id, chat_id=chat_id, created_at=now,
                            updated_at=now, consented_at=now, district=district)
        log.info("resident registered (platform user %s)", platform_user_id)
    resident.chat_id = chat_id
    resident.first_name = _short_name(first_name)
    resident.language = language
    resident.district = district
    if age_band is not UNCHANGED:
        resident.age_band = age_band
    if gender is not UNCHANGED:
        resident.gender = gender
    resident.consented_at = now
    resident.active = True
    resident.updated_at = now
    session.add(resident)
    session.flush()
    return resident


def update_resident(
    *,
    session: Session,
    resident: Resident,
    now: datetime,
    chat_id: int | _Unchanged = UNCHANGED,
    first_name: str | _Unchanged = UNCHANGED,
    language: str | _Unchanged = UNCHANGED,
    district: str | _Unchanged = UNCHANGED,
    age_band: str | None | _Unchanged = UNCHANGED,
    gender: str | None | _Unchanged = UNCHANGED,
    active: bool | _Unchanged = UNCHANGED,
    muted_notices: bool | _Unchanged = UNCHANGED,
) -> Resident:
    """Change the given profile fields; the others stay as they are."""
    _check_vocabulary(
        language=None if language is UNCHANGED else language,
        district=None if district is UNCHANGED else district,
        age_band=None if age_band is UNCHANGED else age_band,
        gender=None if gender is UNCHANGED else gender,
    )
    changes: dict[str, Any] = {
        "chat_id": chat_id,
        "first_name": first_name if first_name is UNCHANGED else _short_name(first_name),
        "language": language,
        "district": district,
        "age_band": age_band,
        "gender": gender,
        "active": active,
        "muted_notices": muted_notices,
    }
    for name, value in changes.items():
        if value is not UNCHANGED:
            setattr(resident, name, value)
    resident.updated_at = now
    session.add(resident)
    session.flush()
    return resident


def mark_unreachable(*, session: Session, chat_id: int, now: datetime) -> int:
    """Mark the residents of `chat_id` inactive after Telegram answered 403 (bot blocked).

    Returns how many rows changed. The next message from the resident should set
    `active=True` again through `update_resident`.
    """
    result = session.exec(
        update(Resident)
        .where(col(Resident.chat_id) == chat_id, col(Resident.active).is_(True))
        .values(active=False, updated_at=now)
    )
    if result.rowcount:
        log.info("chat %s marked unreachable", chat_id)
    return result.rowcount


def mark_reachable(*, session: Session, chat_id: int, now: datetime) -> list[Resident]:
    """Mark the residents of `chat_id` active again: Telegram said they let the bot back in
    (unblocked it, or pressed Start again). Returns those that were unreachable, so that what
    was set aside for them (check-ins) can start again; nobody when they already were active.
    """
    residents = list(session.exec(
        select(Resident).where(col(Resident.chat_id) == chat_id, col(Resident.active).is_(False))
    ).all())
    for resident in residents:
        resident.active = True
        resident.updated_at = now
        session.add(resident)
    if residents:
        session.flush()
        log.info("chat %s reachable again", chat_id)
    return residents


def _check_vocabulary(
    *, language: str | None, district: str | None, age_band: str | None, gender: str | None
) -> None:
    if language is not None and language not in LANGUAGES:
        raise InvalidProfile("language", [v.value for v in Language])
    if district is not None and not district.strip():
        raise InvalidProfile("district")
    if age_band is not None and age_band not in AGE_BANDS:
        raise InvalidProfile("age_band", [v.value for v in AgeBand])
    if gender is not None and gender not in GENDERS:
        raise InvalidProfile("gender", [v.value for v in Gender])


def _short_name(first_name: str) -> str:
    return (first_name or "").strip()[:FIRST_NAME_MAX_LENGTH]


# --- conversation state ---------------------------------------------------------------------


@dataclass(frozen=True)
class Conversation:
    """A copy of a stored conversation state; change it by saving a new one."""

    state: str
    data: dict[str, Any] = field(default_factory=dict)
    updated_at: datetime | None = None


def load_conversation(*, session: Session, platform_user_id: int) -> Conversation | None:
    row = session.execute(_LOAD_CONVERSATION, {"user_id": platform_user_id}).first()
    if row is None:
        return None
    return Conversation(state=row.state, data=dict(row.data or {}), updated_at=row.updated_at)


def save_conversation(
    *, session: Session, platform_user_id: int, state: str, data: dict[str, Any], now: datetime
) -> Conversation:
    """Store where the person is now, replacing what was stored before.

    `data` must be JSON (no pickles: a stored state must stay readable by the next version of
    the bot) and small.
    """
    if not state:
        raise ValueError("conversation state must be named")
    encoded = json.dumps(data, ensure_ascii=False)
    if len(encoded.encode("utf-8")) > MAX_CONVERSATION_DATA_BYTES:
        raise ValueError(f"conversation data larger than {MAX_CONVERSATION_DATA_BYTES} bytes")
    # A round trip through JSON stores exactly what a reload will give back (tuples → lists).
    values = {"user_id": platform_user_id, "state": state, "data": json.loads(encoded), "now": now}
    # One UPDATE, an INSERT only for someone with no row yet: no ORM object is loaded to be
    # changed and flushed, which cost more than the write itself on every turn that moves.
    if session.execute(_UPDATE_CONVERSATION, values).rowcount == 0:
        session.execute(_INSERT_CONVERSATION, values)
    return Conversation(state=state, data=json.loads(encoded), updated_at=now)


def conversations_in(*, session: Session, state: str) -> list[ConversationState]:
    """Everyone's stored conversation that is at `state` now (e.g. showing a contact code)."""
    return list(session.exec(select(ConversationState).where(ConversationState.state == state)).all())


def clear_conversation(*, session: Session, platform_user_id: int) -> None:
    session.exec(
        delete(ConversationState).where(col(ConversationState.platform_user_id) == platform_user_id)
    )


def forget_stale_conversations(*, session: Session, now: datetime, max_age: timedelta) -> int:
    """Delete conversations untouched for `max_age`, e.g. onboardings never finished."""
    result = session.exec(
        delete(ConversationState).where(col(ConversationState.updated_at) < now - max_age)
    )
    return result.rowcount


# --- who is speaking --------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """Everything a turn needs to know about who wrote, read in one query (`load_person`)."""

    resident: Resident | None
    staff: StaffMember | None
    provider: ProviderMember | None
    conversation: Conversation | None


def load_person(*, session: Session, platform_user_id: int) -> Person:
    """The resident, staff member and provider member behind a Telegram user id, and where they
    are in the conversation, in one round trip instead of one query each.

    The three rows are ORM objects of the session (a handler may change the resident and flush
    it); the conversation is a copy, like `load_conversation`'s. Each table holds at most one
    row per user id (unique columns), so the outer joins give exactly one row.
    """
    row = session.execute(_LOAD_PERSON, {"user_id": platform_user_id}).one()
    conversation = None
    if row.state is not None:
        conversation = Conversation(state=row.state, data=dict(row.data or {}), updated_at=row.updated_at)
    return Person(resident=row.Resident, staff=row.StaffMember, provider=row.ProviderMember,
                  conversation=conversation)


# Statements built once: building a statement from the model's columns costs more than running
# it on SQLite, and a statement built once is also compiled only once.
_USER_ID = bindparam("user_id", type_=BigInteger)
_CONVERSATION = ConversationState.__table__
_LOAD_CONVERSATION = core_select(_CONVERSATION.c.state, _CONVERSATION.c.data, _CONVERSATION.c.updated_at).where(
    _CONVERSATION.c.platform_user_id == _USER_ID
)
_UPDATE_CONVERSATION = (
    core_update(_CONVERSATION)
    .where(_CONVERSATION.c.platform_user_id == _USER_ID)
    .values(state=bindparam("state"), data=bindparam("data"), updated_at=bindparam("now"))
)
_INSERT_CONVERSATION = insert(_CONVERSATION).values(
    platform_user_id=_USER_ID, state=bindparam("state"), data=bindparam("data"), updated_at=bindparam("now")
)
# A one-row anchor holding the user id, so that a person who is none of the three (or all of
# them) still gives one row. The cast types the parameter for PostgreSQL.
_SPEAKER = core_select(cast(_USER_ID, BigInteger).label("user_id")).subquery("speaker")
_LOAD_PERSON = (
    select(Resident, StaffMember, ProviderMember, _CONVERSATION.c.state, _CONVERSATION.c.data,
           _CONVERSATION.c.updated_at)
    .select_from(_SPEAKER)
    .outerjoin(Resident, col(Resident.platform_user_id) == _SPEAKER.c.user_id)
    .outerjoin(StaffMember, col(StaffMember.telegram_id) == _SPEAKER.c.user_id)
    .outerjoin(ProviderMember, col(ProviderMember.telegram_id) == _SPEAKER.c.user_id)
    .outerjoin(_CONVERSATION, _CONVERSATION.c.platform_user_id == _SPEAKER.c.user_id)
)
