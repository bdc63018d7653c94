"""One turn of the conversation: who is speaking, where they are, and what the bot answers.

A `Turn` is built by `Conversation.handle` for each `Incoming` inside one database transaction
and handed to the handlers; what they change in `state` and `data` is saved when they return.
`Tools` are what every handler may use and that outlive a turn (catalog, matcher, texts).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlmodel import Session

from bot.conversation.states import ONBOARDING, State
from bot.core.buttons import ProgramRefs
from bot.core.messages import MAX_TEXT_LENGTH, Button, Incoming, Outgoing, Reply
from bot.core.settings import Settings
from bot.core.texts import DEFAULT_LANGUAGE, Texts
from bot.requests.call_backs import is_call_back
from bot.store.models import Language, ProviderMember, Resident, StaffMember
from catalog import Catalog, Matcher

log = logging.getLogger("bot.conversation")

Rows = Sequence[Sequence[Button]]
# Asked on every text a turn renders: a set built once, not one per call.
LANGUAGES = frozenset(Language)


@dataclass(frozen=True)
class Tools:
    catalog: Catalog
    matcher: Matcher
    texts: Texts
    settings: Settings
    refs: ProgramRefs
    # Districts a resident can choose: every catalog district that is not a city of others.
    resident_districts: tuple[str, ...]


@dataclass
class Turn:
    incoming: Incoming
    session: Session
    now: datetime
    tools: Tools
    state: State
    data: dict[str, Any]
    resident: Resident | None
    staff: StaffMember | None
    reply: Reply = field(default_factory=Reply)
    # Set when the person's data was erased this turn: there is no state left to save.
    forgotten: bool = False
    # (state, data) as loaded at the start of the turn, None when nothing was stored: a turn
    # that ends where it began writes nothing.
    stored: tuple[str, dict] | None = None
    # Set when a typed message answered the resident's open check-in this turn.
    checkin_answered: bool = False
    # A member of a provider that delivers jobs (bot.requests.provider_jobs), or None.
    provider: ProviderMember | None = None
    # What the person typed, cleaned once for the whole turn (`engine.clean_text`); "" for a press.
    text: str = ""

    # --- who and in which language ------------------------------------------------------
    @property
    def user_id(self) -> int:
        return self.incoming.user_id

    @property
    def language(self) -> str:
        chosen = self.data.get("language") if self.state in ONBOARDING else None
        if chosen in LANGUAGES:
            return chosen
        if self.resident is not None:
            return self.resident.language
        return DEFAULT_LANGUAGE

    @property
    def resting_state(self) -> State:
        """Where a person waits between requests: READY for a resident, NEW for anyone else."""
        return State.READY if self.resident is not None else State.NEW

    def t(self, key: str, **values: object) -> str:
        return self.tools.texts.get(self.language, key, **values)

    def t_in(self, language: str, key: str, **values: object) -> str:
        return self.tools.texts.get(language, key, **values)

    # --- answering -------------------------------------------------------------------------
    def say(self, text: str, buttons: Rows = (), *, urgent: bool = False) -> None:
        rows = tuple(tuple(row) for row in buttons if row)
        self.reply.messages.append(
            Outgoing(self.incoming.chat_id, fit_message(text), rows, urgent=urgent)
        )

    def go(self, state: State, data: dict[str, Any] | None = None) -> None:
        """Move to `state`, replacing the stored data (none unless given)."""
        self.state = state
        self.data = dict(data or {})

    # --- shared wording ------------------------------------------------------------------
    def district_name(self, code: str, language: str | None = None) -> str:
        district = self.tools.catalog.districts.get(code)
        return district.name.get(language or self.language) if district else code

    def program_name(self, program_id: str, language: str | None = None) -> str:
        if is_call_back(program_id):  # a request to be phoned, not a catalog program
            return self.t_in(language or self.language, "call_back.program")
        program = self.tools.catalog.programs.get(program_id)
        return program.name.get(language or self.language) if program else program_id

    def window_text(self, window: str, at: time | str | None = None, language: str | None = None) -> str:
        """A request's part of the day, with the clock time the resident wrote if any."""
        language = language or self.language
        label = self.t_in(language, f"window.{window}")
        if at is None:
            return label
        at = at if isinstance(at, time) else time.fromisoformat(at)
        key = "booking.time_at_minutes" if at.minute else "booking.time_at"  # "오후 2시", "오후 2시 30분"
        return self.t_in(language, key, window=label, hour12=at.hour % 12 or 12, minute=at.minute)

    def date_text(self, day: date, language: str | None = None) -> str:
        language = language or self.language
        return self.t_in(
            language,
            "date.format",
            year=day.year,
            month=self.t_in(language, f"month.{day.month}"),
            day=day.day,
            weekday=self.t_in(language, f"weekday.{day.weekday()}"),
        )


def fit_message(text: str, limit: int = MAX_TEXT_LENGTH) -> str:
    """Cut a text to one messenger message; catalog texts are long only by mistake."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def short(text: str | None, limit: int) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
