"""A person is a platform identity: which messenger a chat id belongs to, and the ids of people
on messengers other than Telegram.

Every table keys people by one integer. A Telegram user's is their Telegram id, as always. A
KakaoTalk user (their channel's botUserKey) gets an integer allocated at or below
`KAKAO_IDS_START`, -(2**53) - 1 downwards: Telegram's ids have at most 52 significant bits
(positive for people, negative down to about -2 * 10**12 for groups), so no Telegram id can
ever fall there, and `platform_of(chat_id)` needs nothing but the number. An allocated id is
never reused; a row's `internal_id` may be set to another person's on purpose (linking), and
only then are two identities one resident.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.store.models import PlatformIdentity

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
            identity.internal_id = KAKAO_IDS_START - (identity.id - 1)
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
    "internal_id_for",
    "platform_of",
]
