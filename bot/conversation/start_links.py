"""The link on a district's flyer: `https://t.me/<bot>?start=<payload>`, printed as a QR code.

Scanning it opens the bot with a Start button; pressing it sends `/start <payload>`, and the
payload presets the district (and the language, when the flyer names one), so an older resident
reaches the consent notice with one press instead of three questions. The payload is whatever
the link said, so anyone can send any text as one: it is read strictly, and anything that is not
exactly a district a resident can choose is ignored, never stored.

The payload is `<district>` or `<district>_<language>` ("seocho_ko"): district codes are lower
case letters, digits and "-", so "_" cannot be part of one, and the whole stays within what
Telegram accepts (A-Z a-z 0-9 _ -, at most 64 characters).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from bot.core.settings import BOT_USERNAME
from bot.store.models import Language

MAX_PAYLOAD_LENGTH = 64  # Telegram's limit for a start parameter
TELEGRAM_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")
_PAYLOAD = re.compile(r"(?P<district>[a-z][a-z0-9-]*)(?:_(?P<language>[a-z]{2}))?")


class StartLinkError(ValueError):
    """A flyer's link cannot be made: a district no resident can choose, or a bad bot name."""


@dataclass(frozen=True)
class StartPreset:
    """What a flyer's link chose for the resident."""

    district: str
    language: str | None  # None: the flyer left it to the resident's Telegram language


def payload_for(district: str, language: str | None, districts: Collection[str]) -> str:
    """The start payload presetting `district` (one of `districts`) and, if given, `language`."""
    if district not in districts:
        raise StartLinkError(f"unknown district '{district}'; a resident's district is one of: "
                             f"{', '.join(districts)}")
    if language is not None and language not in set(Language):
        raise StartLinkError(f"unknown language '{language}'; use one of: {', '.join(Language)}")
    payload = district if language is None else f"{district}_{language}"
    if not TELEGRAM_PAYLOAD.fullmatch(payload) or read_payload(payload, districts) is None:
        raise StartLinkError(f"district code '{district}' cannot be put in a link "
                             f"(at most {MAX_PAYLOAD_LENGTH - 3} letters, digits and '-')")
    return payload


def read_payload(payload: str, districts: Collection[str]) -> StartPreset | None:
    """The preset a `/start` payload names, or None for anything else: an old district, a
    forged or garbled text, a language the bot does not speak."""
    if len(payload) > MAX_PAYLOAD_LENGTH or not TELEGRAM_PAYLOAD.fullmatch(payload):
        return None
    found = _PAYLOAD.fullmatch(payload)
    if found is None or found["district"] not in districts:
        return None
    language = found["language"]
    if language is not None and language not in set(Language):
        return None
    return StartPreset(found["district"], language)


def bot_username(name: str) -> str:
    """A bot's username as written in a link (without "@"), or StartLinkError."""
    name = name.strip().removeprefix("@")
    if not BOT_USERNAME.fullmatch(name):
        raise StartLinkError(f"'{name}' is not a bot's username (5-32 letters, digits and _, "
                             "ending in 'bot', e.g. ddokddok_bot)")
    return name


def start_link(bot: str, payload: str) -> str:
    """The link a phone opens: the bot's chat, with a Start button that sends the payload."""
    return f"https://t.me/{bot_username(bot)}?start={payload}"
