"""Who is at the board: signed session cookies, CSRF tokens, and the brake on guessed login codes.

The session cookie holds a random session token and its HMAC (the signing key is
BOARD_SECRET_KEY, or one kept in the database: `bot.people.board_access.stored_secret`). The
signature turns away a forged cookie without a query; the database decides the rest on every
request (`staff_of_session`): the session is live and its staff member still exists, so a
removed officer is out at their next click. Each form carries a CSRF token derived from the
session token (so nothing more is stored), checked on every POST; the login form, before any
session, is protected the same way by a short-lived signed nonce cookie (double submit).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from bot.core.settings import Settings
from bot.people.board_access import SESSION_LIFETIME, staff_of_session, stored_secret
from bot.store.db import read_scope, session_scope
from bot.store.models import StaffMember

SESSION_COOKIE = "board_session"
LOGIN_COOKIE = "board_login"
FLASH_COOKIE = "board_flash"
LOGIN_NONCE_SECONDS = 15 * 60
# Failed login codes from one address: at most this many within the window, then 429.
MAX_FAILED_TRIES = 10
FAILED_TRIES_WINDOW_SECONDS = 15 * 60


@dataclass(frozen=True)
class Visitor:
    """The staff member behind a request, read from the database for this request."""

    staff: StaffMember
    session_token: str
    csrf_token: str


class Signer:
    """HMAC-SHA256 over a purpose and a value, so a token made for one use fits no other."""

    def __init__(self, key: bytes):
        self._key = key

    def mac(self, purpose: str, value: str) -> str:
        digest = hmac.new(self._key, f"{purpose}\x00{value}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def sign(self, purpose: str, value: str) -> str:
        return f"{value}.{self.mac(purpose, value)}"

    def unsign(self, purpose: str, signed: str | None) -> str | None:
        if not signed or "." not in signed or len(signed) > 4096:
            return None
        value, _, given = signed.rpartition(".")
        return value if hmac.compare_digest(given, self.mac(purpose, value)) else None

    def matches(self, purpose: str, value: str, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(given, self.mac(purpose, value))


class FailedTries:
    """Failed login codes per client address in a sliding window (this process's memory: a
    guesser spread over several workers still meets 2**256 possible codes)."""

    def __init__(self, limit: int = MAX_FAILED_TRIES, window_seconds: float = FAILED_TRIES_WINDOW_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic):
        self._limit, self._window, self._monotonic = limit, window_seconds, monotonic
        self._tries: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, address: str) -> deque[float]:
        tries = self._tries.setdefault(address, deque())
        horizon = self._monotonic() - self._window
        while tries and tries[0] < horizon:
            tries.popleft()
        return tries

    def blocked(self, address: str) -> bool:
        with self._lock:
            return len(self._recent(address)) >= self._limit

    def record(self, address: str) -> None:
        with self._lock:
            self._recent(address).append(self._monotonic())
            if len(self._tries) > 10_000:  # forget the quiet ones, so memory stays bounded
                for key in [k for k, v in self._tries.items() if not v][:5_000]:
                    del self._tries[key]


class BoardAuth:
    """Cookies and CSRF for one board app; the signing key is resolved once, at first use."""

    def __init__(self, *, engine: Engine, settings: Settings, clock: Callable[[], datetime]):
        self._engine = engine
        self._settings = settings
        self._clock = clock
        self._signer: Signer | None = None
        self._lock = threading.Lock()
        self.failed_tries = FailedTries()
        self.secure_cookies = settings.board_url.startswith("https://")

    @property
    def signer(self) -> Signer:
        with self._lock:
            if self._signer is None:
                configured = self._settings.board_secret_key
                if configured is not None:
                    key = configured.get_secret_value()
                else:
                    with session_scope(self._engine) as session:
                        key = stored_secret(session=session, now=self._clock())
                self._signer = Signer(key.encode())
            return self._signer

    # --- sessions ---------------------------------------------------------------------------
    def session_cookie(self, session_token: str) -> str:
        return self.signer.sign("session", session_token)

    def visitor(self, cookie: str | None) -> Visitor | None:
        """The staff member of a live session, or None (no cookie, forged, ended, removed)."""
        token = self.signer.unsign("session", cookie)
        if token is None:
            return None
        with read_scope(self._engine) as session:
            staff = staff_of_session(session=session, session_token=token, now=self._clock())
        if staff is None:
            return None
        return Visitor(staff=staff, session_token=token, csrf_token=self.signer.mac("csrf", token))

    def csrf_ok(self, visitor: Visitor, given: str | None) -> bool:
        return self.signer.matches("csrf", visitor.session_token, given)

    # --- the login form -------------------------------------------------------------------
    def new_login_nonce(self) -> tuple[str, str]:
        """(cookie value, form token) for one login form."""
        nonce = f"{secrets.token_urlsafe(16)}-{int(time.time())}"
        return self.signer.sign("login-nonce", nonce), self.signer.mac("login-csrf", nonce)

    def login_form_ok(self, cookie: str | None, given: str | None) -> bool:
        nonce = self.signer.unsign("login-nonce", cookie)
        if nonce is None:
            return False
        try:
            issued = int(nonce.rpartition("-")[2])
        except ValueError:
            return False
        if time.time() - issued > LOGIN_NONCE_SECONDS:
            return False
        return self.signer.matches("login-csrf", nonce, given)

    # --- one-time messages after a redirect ----------------------------------------------------
    def flash_cookie(self, text: str) -> str:
        encoded = base64.urlsafe_b64encode(text[:1500].encode()).decode()
        return self.signer.sign("flash", encoded)

    def flash_text(self, cookie: str | None) -> str | None:
        encoded = self.signer.unsign("flash", cookie)
        if encoded is None:
            return None
        try:
            return base64.urlsafe_b64decode(encoded.encode()).decode()
        except (ValueError, UnicodeDecodeError):
            return None


SESSION_MAX_AGE = int(SESSION_LIFETIME.total_seconds())
