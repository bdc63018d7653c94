"""A person is a platform identity: which messenger a chat id belongs to, and the ids of people
on messengers other than Telegram.

Every table keys people by one integer. A Telegram user's is their Telegram id, as always. A
KakaoTalk user (their channel's botUserKey) gets an integer allocated at or below
`KAKAO_IDS_START`, -(2**53) - 1 downwards: Telegram's ids have at most 52 significant bits
(positive for people, negative down to about -2 * 10**12 for groups), so no Telegram id can
ever fall there, and `platform_of(chat_id)` needs nothing but the number. An allocated id is
never reused; a row's `internal_id` may be set to another person's on purpose (linking, see
`bot.people.linking`), and only then are two identities one resident: the identity then speaks
as that person, and its own id (`own_id_of`, computed from the row's id) is set aside until
it is unlinked.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.store.models import MAX_RECORD_ID, PlatformIdentity

# The highest id a KakaoTalk person can have; the next ones count down from it.
KAKAO_IDS_START = -(2**53) - 1
# Kakao's botUserKey is an opaque string of a few dozen characters; anything longer is refused.
MAX_EXTERNAL_KEY_LENGTH = 128
# The row's id until its own id is known; never a real person's (Telegram ids start at 1) and
# never seen by another transaction (the row is completed before its transaction commits).
_UNALLOCATED = 0


class Platform(StrEnum):
    TELEGRAM = "telegram"
    KAKAO = "kakao"


def platform_of(chat_id: int) -> Platform:
    """The messenger a chat id (or user id) belongs to, by its range alone."""
    return Platform.KAKAO if chat_id <= KAKAO_IDS_START else Platform.TELEGRAM


def internal_id_for(*, session: Session, platform: Platform, external_key: str, now: datetime) -> int:
    """The integer id of `external_key` on `platform`, allocated on first sight.

    Two first requests of one person at the same moment both try to insert; the second one's
    unique key fails, and it reads the first one's row instead.
    """
    if platform is Platform.TELEGRAM:
        raise ValueError("a Telegram user's id is their Telegram id")
    if not external_key or len(external_key) > MAX_EXTERNAL_KEY_LENGTH:
        raise ValueError("an external key of 1-128 characters")
    known = _identity(session, platform, external_key)
    if known is not None:
        return known.internal_id
    try:
        with session.begin_nested():
            identity = PlatformIdentity(platform=platform, external_key=external_key,
                                        internal_id=_UNALLOCATED, created_at=now)
            session.add(identity)
            session.flush()
            assert identity.id is not None
            identity.internal_id = own_id_of(identity)
            session.flush()
    except IntegrityError:
        known = _identity(session, platform, external_key)
        if known is None:
            raise
        return known.internal_id
    return identity.internal_id


def external_key_of(*, session: Session, platform: Platform, internal_id: int) -> str | None:
    """The messenger's key for the person `internal_id` on `platform`, None when they have none."""
    return session.exec(
        select(PlatformIdentity.external_key)
        .where(col(PlatformIdentity.platform) == platform, col(PlatformIdentity.internal_id) == internal_id)
        .order_by(col(PlatformIdentity.id))
        .limit(1)
    ).first()


def own_id_of(identity: PlatformIdentity) -> int:
    """The id `identity` was allocated, whatever person its `internal_id` names now: linking
    points `internal_id` at another resident, unlinking points it back here."""
    if identity.id is None:
        raise ValueError("an identity not yet stored has no id of its own")
    return KAKAO_IDS_START - (identity.id - 1)


def is_linked(identity: PlatformIdentity) -> bool:
    """True when the identity speaks as another person (a resident of another messenger)."""
    return identity.internal_id != own_id_of(identity)


def identity_of_own_id(*, session: Session, internal_id: int) -> PlatformIdentity | None:
    """The identity that was allocated `internal_id` and still speaks as it; None for a Telegram
    user, an unknown id, or an identity linked to someone else."""
    row_id = KAKAO_IDS_START - internal_id + 1
    if platform_of(internal_id) is Platform.TELEGRAM or not 1 <= row_id <= MAX_RECORD_ID:
        return None
    identity = session.get(PlatformIdentity, row_id)
    return identity if identity is not None and identity.internal_id == internal_id else None


def identities_linked_to(*, session: Session, internal_id: int) -> list[PlatformIdentity]:
    """The identities of other messengers that speak as the person `internal_id`, oldest first."""
    rows = session.exec(
        select(PlatformIdentity).where(col(PlatformIdentity.internal_id) == internal_id)
        .order_by(col(PlatformIdentity.id))
    ).all()
    return [row for row in rows if is_linked(row)]


def _identity(session: Session, platform: Platform, external_key: str) -> PlatformIdentity | None:
    return session.exec(
        select(PlatformIdentity).where(col(PlatformIdentity.platform) == platform,
                                       col(PlatformIdentity.external_key) == external_key)
    ).first()


__all__ = [
    "KAKAO_IDS_START",
    "MAX_EXTERNAL_KEY_LENGTH",
    "Platform",
    "external_key_of",
    "identities_linked_to",
    "identity_of_own_id",
    "internal_id_for",
    "is_linked",
    "own_id_of",
    "platform_of",
]
