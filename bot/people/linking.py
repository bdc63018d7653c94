"""Linking a second messenger on purpose: one resident, reachable from KakaoTalk and Telegram.

A person is a platform identity; a resident who uses both messengers stays one resident only if
they link them. The resident asks for a one-time code where they are registered (`issue_code`)
and types it on the other messenger, as someone with no resident record there
(`redeem_code`): that identity's `internal_id` then names the resident, so every table, keyed
by the resident's id, keeps working, and the identity's own id is set aside. `unlink` points
it back at its own id, where nothing is stored: the identity is a new person again.

Supported direction: a KakaoTalk identity joins a Telegram resident. The skill resolves a
botUserKey to its row's `internal_id` on every request (`person_for_key`); a Telegram update is
keyed by the Telegram user id with no lookup, so a Telegram user cannot (yet) join a KakaoTalk
resident, and a KakaoTalk resident is told so when asking for a code.

Against guessing: 8 random digits (`secrets`), only their SHA-256 kept, valid 10 minutes, used
once, a resident's older codes void once a new one is made, at most 5 codes a resident an hour,
and at most 5 wrong, expired or reused codes a person in 15 minutes (the 6th try is not even
checked). Codes never reach a log.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, func, select, update

from bot.people.identities import (
    Platform,
    identities_linked_to,
    identity_of_own_id,
    internal_id_for,
    is_linked,
    own_id_of,
    platform_of,
)
from bot.people.residents import get_resident
from bot.store.models import LinkCode, LinkFailure, PlatformIdentity, Resident

CODE_DIGITS = 8
CODE_LIFETIME = timedelta(minutes=10)
CODES_PER_HOUR = 5
CODE_WINDOW = timedelta(hours=1)
FAILED_TRIES_ALLOWED = 5
FAILED_TRIES_WINDOW = timedelta(minutes=15)
# Messengers whose identities can join a resident of another one (their rows are allocated ids).
JOINING_PLATFORMS = frozenset({Platform.KAKAO})


class LinkRefused(Exception):
    """An expected refusal: the conversation words it; nothing was linked."""


class NotLinkable(LinkRefused):
    """The resident's messenger cannot be joined by another (a KakaoTalk resident), or the
    speaker's messenger cannot join (a Telegram user)."""


class AlreadyLinked(LinkRefused):
    """The resident already has another messenger linked (one at a time: /unlink first)."""


class AlreadyResident(LinkRefused):
    """The speaker already is a resident on this messenger."""


class TooManyCodes(LinkRefused):
    """`CODES_PER_HOUR` codes were made for this resident in the last hour."""


class TooManyTries(LinkRefused):
    """`FAILED_TRIES_ALLOWED` failed codes in `FAILED_TRIES_WINDOW`: the code is not checked."""


class WrongCode(LinkRefused):
    """No code like this was ever made (or it was typed wrong)."""


class CodeNoLongerValid(LinkRefused):
    """The code existed but has expired, was used, or was replaced by a newer one."""


@dataclass(frozen=True)
class LinkedMessenger:
    platform: Platform
    since: datetime  # when the identity first wrote, not when it was linked


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def normalise_code(typed: str) -> str | None:
    """The code's digits as typed ("1234 5678", "1234-5678", full-width digits), or None when it
    cannot be a code."""
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", typed) if ch not in " -\t\n")
    if len(digits) == CODE_DIGITS and digits.isascii() and digits.isdigit():
        return digits
    return None


def issue_code(*, session: Session, resident: Resident, now: datetime) -> str:
    """A new one-time code for `resident`; only its hash is stored. Their older codes stop
    working. Raises `NotLinkable`, `AlreadyLinked` or `TooManyCodes`."""
    if platform_of(resident.platform_user_id) in JOINING_PLATFORMS:
        raise NotLinkable("only a Telegram resident can be joined")
    if identities_linked_to(session=session, internal_id=resident.platform_user_id):
        raise AlreadyLinked("another messenger is linked already")
    _drop_old_rows(session, now)
    made = session.exec(
        select(func.count()).select_from(LinkCode)
        .where(col(LinkCode.resident_id) == resident.id, col(LinkCode.created_at) > now - CODE_WINDOW)
    ).one()
    if made >= CODES_PER_HOUR:
        raise TooManyCodes("too many codes this hour")
    session.exec(
        update(LinkCode)
        .where(col(LinkCode.resident_id) == resident.id, col(LinkCode.used_at).is_(None),
               col(LinkCode.expires_at) > now)
        .values(expires_at=now)
    )
    while True:  # two live codes sharing digits would be ambiguous; with 10**8 it is rare
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        if session.exec(select(LinkCode.id).where(col(LinkCode.code_hash) == hash_code(code))).first() is None:
            break
    assert resident.id is not None
    session.add(LinkCode(resident_id=resident.id, code_hash=hash_code(code), created_at=now,
                         expires_at=now + CODE_LIFETIME))
    session.flush()
    return code


def redeem_code(*, session: Session, person_id: int, typed: str, now: datetime) -> Resident:
    """Join the speaker `person_id` (an identity of a messenger other than Telegram, not a
    resident) to the resident whose code `typed` is; returns that resident.

    A wrong, expired or reused code is recorded as a failed try before `WrongCode` or
    `CodeNoLongerValid` is raised, so the caller must not roll it back. Raises `AlreadyResident`,
    `NotLinkable`, `TooManyTries` and `AlreadyLinked` with nothing changed.
    """
    if get_resident(session=session, platform_user_id=person_id) is not None:
        raise AlreadyResident("the speaker is a resident here")
    identity = identity_of_own_id(session=session, internal_id=person_id)
    if identity is None or identity.platform not in JOINING_PLATFORMS:
        raise NotLinkable("this messenger cannot join a resident")
    _drop_old_rows(session, now)
    failures = session.exec(
        select(func.count()).select_from(LinkFailure).where(col(LinkFailure.person_id) == person_id)
    ).one()
    if failures >= FAILED_TRIES_ALLOWED:
        raise TooManyTries("too many failed codes")
    code = normalise_code(typed)
    # Locked (PostgreSQL; SQLite has one writer at a time): two people typing one code at the
    # same moment cannot both be linked.
    row = None if code is None else session.exec(
        select(LinkCode).where(col(LinkCode.code_hash) == hash_code(code)).with_for_update()
    ).first()
    if row is None:
        _record_failure(session, person_id, now)
        raise WrongCode("no such code")
    resident = session.get(Resident, row.resident_id)
    if row.used_at is not None or row.expires_at <= now or resident is None:
        _record_failure(session, person_id, now)
        raise CodeNoLongerValid("expired or used")
    if identities_linked_to(session=session, internal_id=resident.platform_user_id):
        raise AlreadyLinked("another messenger is linked already")
    row.used_at = now
    identity.internal_id = resident.platform_user_id
    session.add_all([row, identity])
    session.flush()
    return resident


def unlink(*, session: Session, resident: Resident) -> int:
    """Every identity linked to `resident` speaks as itself again (a new person, nothing stored
    under its own id); returns how many."""
    linked = identities_linked_to(session=session, internal_id=resident.platform_user_id)
    for identity in linked:
        identity.internal_id = own_id_of(identity)
        session.add(identity)
    session.flush()
    return len(linked)


def linked_messengers(*, session: Session, resident: Resident) -> list[LinkedMessenger]:
    """The other messengers `resident` can be reached from, for /privacy (never their keys)."""
    return [LinkedMessenger(Platform(identity.platform), identity.created_at)
            for identity in identities_linked_to(session=session, internal_id=resident.platform_user_id)]


def person_for_key(*, session: Session, platform: Platform, external_key: str, now: datetime) -> int:
    """Who speaks when `external_key` writes on `platform`: the resident it is linked to, or the
    identity's own id (allocated on first sight).

    A link to a resident who is no longer there (removed by an operator rather than /forget,
    which removes the links) is undone here: the identity must never start a new resident under
    a Telegram user's id.
    """
    person = internal_id_for(session=session, platform=platform, external_key=external_key, now=now)
    if platform_of(person) is Platform.TELEGRAM and get_resident(session=session, platform_user_id=person) is None:
        identity = session.exec(
            select(PlatformIdentity).where(col(PlatformIdentity.platform) == platform,
                                           col(PlatformIdentity.external_key) == external_key)
        ).one()
        if is_linked(identity):
            identity.internal_id = own_id_of(identity)
            session.add(identity)
            session.flush()
            person = identity.internal_id
    return person


def forget_links_of(*, session: Session, resident: Resident) -> None:
    """Codes and failed tries of a resident being forgotten (their identities go with the rest)."""
    session.exec(delete(LinkCode).where(col(LinkCode.resident_id) == resident.id))
    session.exec(delete(LinkFailure).where(col(LinkFailure.person_id) == resident.platform_user_id))


def _record_failure(session: Session, person_id: int, now: datetime) -> None:
    session.add(LinkFailure(person_id=person_id, at=now))
    session.flush()


def _drop_old_rows(session: Session, now: datetime) -> None:
    """Codes older than the hour they count in (expired long before), failed tries older than
    their window: nothing of either is kept longer than it is needed."""
    session.exec(delete(LinkCode).where(col(LinkCode.created_at) <= now - CODE_WINDOW))
    session.exec(delete(LinkFailure).where(col(LinkFailure.at) <= now - FAILED_TRIES_WINDOW))


__all__ = [
    "CODE_DIGITS",
    "CODE_LIFETIME",
    "CODES_PER_HOUR",
    "FAILED_TRIES_ALLOWED",
    "FAILED_TRIES_WINDOW",
    "AlreadyLinked",
    "AlreadyResident",
    "CodeNoLongerValid",
    "LinkRefused",
    "LinkedMessenger",
    "NotLinkable",
    "TooManyCodes",
    "TooManyTries",
    "WrongCode",
    "forget_links_of",
    "issue_code",
    "linked_messengers",
    "normalise_code",
    "person_for_key",
    "redeem_code",
    "unlink",
]
