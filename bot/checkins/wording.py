"""What check-ins say, in the resident's or staff member's language.

Part of the check-in engine; its life cycle and guarantees are in the package doc
(`bot/checkins/__init__.py`)."""

from __future__ import annotations

import logging
from datetime import datetime
from functools import cache

from bot.checkins.buttons import CheckinAction, checkin_button_data
from bot.checkins.schedule import (
    DEFAULT_TIME_ZONE,
    local_wall_time,
)
from bot.sending.outbox import MAX_TEXT_LENGTH, Buttons
from bot.store.models import (
    Language,
)

log = logging.getLogger(__name__)

# --- texts ------------------------------------------------------------------------------------
# In data/messages/<language>.toml, table [checkins] (key "staff.missed" here is
# "checkins.staff_missed" there), loaded once; same tone rules: short, plain, 해요체.


@cache
def _texts():
    from bot.core.texts import Texts  # the package's __init__ imports nothing

    return Texts.load()


_WEEKDAYS = {"ko": "월화수목금토일", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def language_of(language: str | None) -> str:
    return language if language in _texts().by_language else Language.KO.value


def text_in(language: str | None, key: str, **values: object) -> str:
    return _texts().get(language_of(language), "checkins." + key.replace(".", "_"), **values)


def display_name(language: str, first_name: str | None) -> str:
    return (first_name or "").strip() or text_in(language, "no_name")


def when_text(language: str, instant: datetime) -> str:
    local = local_wall_time(instant, DEFAULT_TIME_ZONE)
    language = language_of(language)
    month = _MONTHS_EN[local.month - 1] if language == Language.EN else local.month
    return text_in(language, "when", month=month, day=local.day,
              weekday=_WEEKDAYS[language][local.weekday()], hhmm=local.strftime("%H:%M"))


def greeting(language: str, first_name: str | None) -> str:
    name = (first_name or "").strip()
    return text_in(language, "hello.named", name=name) if name else text_in(language, "hello")


def checkin_buttons(language: str, round_id: int) -> Buttons:
    """The three answers, one per row (big targets for older thumbs)."""
    ok, help_, hard = (text_in(language, key) for key in ("button.ok", "button.help", "button.hard"))
    # Formatted directly (not through checkin_button_data): built 1,500 times a busy tick.
    return [
        [{"text": ok, "data": f"ci:ok:{round_id}"}],
        [{"text": help_, "data": f"ci:help:{round_id}"}],
        [{"text": hard, "data": f"ci:hard:{round_id}"}],
    ]


def staff_buttons(language: str, round_id: int, *, visit: bool = True) -> Buttons:
    row = [{"text": text_in(language, "button.reached"),
            "data": checkin_button_data(CheckinAction.REACHED, round_id)}]
    if visit:
        row.append({"text": text_in(language, "button.visit"),
                    "data": checkin_button_data(CheckinAction.VISIT, round_id)})
    return [row]


def fit_message(text: str) -> str:
    return text if len(text) <= MAX_TEXT_LENGTH else text[: MAX_TEXT_LENGTH - 1] + "…"
