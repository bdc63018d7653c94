"""Staff access to the district office's web board: one-time login links and board sessions.

A staff member writes /board to the bot and gets a link holding a random token; opening it
(within `LINK_LIFETIME`, once) starts a session for a working day (`SESSION_LIFETIME`). Only a
hash of each token is stored, so a copy of the database opens no session. A session belongs to
a `StaffMember` row: removing the staff member deletes their links and sessions with them, and
`staff_of_session` reads the row again on every request, so a removed officer is out at once.

Here because both the conversation (which sends the link) and the board (which takes it) use
it; the board's cookies and pages are `bot.board`'s.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.store.models import BoardLoginLink, BoardSecret, BoardSession, StaffMember

log = logging.getLogger(__name__)

LINK_LIFETIME = timedelta(minutes=10)
SESSION_LIFETIME = timedelta(hours=10)  # a working day, with its overtime
MAX_LINKS_PER_HOUR = 5
TOKEN_BYTES = 32
SECRET_NAME = "cookie-signing"


class TooManyLinks(Exception):
    """The staff member asked for `MAX_LINKS_PER_HOUR` links within the last hour already."""

    def __init__(self, staff_id: int | None, retry_after: timedelta):
        self.staff_id = staff_id
        self.retry_after = retry_after
        super().__init__(f"staff member {staff_id} asked for too many board links")


def token_hash(token: str) -> str:
    """What the store keeps of a token: its SHA-256, hex. Tokens are random, so no salt is needed."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue_login_link(*, session: Session, staff: StaffMember, now: datetime) -> str:
    """A new one-time login token for `staff` (its hash stored); `TooManyLinks` past the hour's limit."""
    hour_ago = now - timedelta(hours=1)
    recent = session.execute(
        select(func.count(), func.min(BoardLoginLink.created_at))
        .where(BoardLoginLink.staff_id == staff.id, BoardLoginLink.created_at > hour_ago)
    ).one()
    if recent[0] >= MAX_LINKS_PER_HOUR:
        oldest = recent[1]
        raise TooManyLinks(staff.id, max(timedelta(minutes=1), oldest + timedelta(hours=1) - now))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(BoardLoginLink(staff_id=staff.id, token_hash=token_hash(token), created_at=now,
                               expires_at=now + LINK_LIFETIME))
    session.flush()
    log.info("board login link issued to staff member %s", staff.id)
    return token


def redeem_login_token(*, session: Session, token: str, now: datetime) -> tuple[StaffMember, str] | None:
    """Use a login token: (the staff member, a new session token), or None when the token is
    unknown, expired or already used. Used at most once, even by two requests at the same time:
    the UPDATE that marks it used is the check."""
    if not token or len(token) > 128:
        return None
    link = session.execute(
        select(BoardLoginLink).where(BoardLoginLink.token_hash == token_hash(token))
    ).scalars().first()
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    used = session.execute(
        update(BoardLoginLink)
        .where(BoardLoginLink.id == link.id, BoardLoginLink.used_at.is_(None))
        .values(used_at=now)
    )
    if used.rowcount != 1:
        return None
    staff = session.get(StaffMember, link.staff_id)
    if staff is None:
        return None
    session_token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(BoardSession(staff_id=staff.id, token_hash=token_hash(session_token), created_at=now,
                             expires_at=now + SESSION_LIFETIME))
    session.flush()
    log.info("board session started for staff member %s", staff.id)
    return staff, session_token


def staff_of_session(*, session: Session, session_token: str, now: datetime) -> StaffMember | None:
    """The staff member a live session belongs to, read again now; None when the session is
    unknown, ended or expired, or its staff member was removed."""
    row = session.execute(
        select(StaffMember)
        .join(BoardSession, BoardSession.staff_id == StaffMember.id)
        .where(BoardSession.token_hash == token_hash(session_token),
               BoardSession.ended_at.is_(None), BoardSession.expires_at > now)
    ).scalars().first()
    return row


def end_session(*, session: Session, session_token: str, now: datetime) -> bool:
    """Log out: the session ends now. False when it was not a live session."""
    ended = session.execute(
        update(BoardSession)
        .where(BoardSession.token_hash == token_hash(session_token), BoardSession.ended_at.is_(None))
        .values(ended_at=now)
    )
    return ended.rowcount == 1


def stored_secret(*, session: Session, now: datetime) -> str:
    """The board's cookie-signing key kept in the database, made on first use. Two workers
    starting together agree: the second one's insert fails on the key and it reads the first's."""
    found = session.get(BoardSecret, SECRET_NAME)
    if found is not None:
        return found.value
    value = secrets.token_urlsafe(48)
    try:
        with session.begin_nested():
            session.add(BoardSecret(name=SECRET_NAME, value=value, created_at=now))
    except IntegrityError:
        found = session.get(BoardSecret, SECRET_NAME)
        assert found is not None
        return found.value
    log.info("board cookie-signing key made and stored (BOARD_SECRET_KEY is unset)")
    return value
