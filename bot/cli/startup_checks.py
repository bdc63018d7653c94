"""Before `run` and `serve` start: the Bot API answers, or the bot stops with one clear line.

Without this, an unreachable TELEGRAM_API_BASE_URL (or Telegram, or a network not up yet) ended
the bot at once in a long traceback from inside python-telegram-bot. Here `getMe` is asked again
with growing pauses for a while (a local Bot API server or the network may still be coming up),
then the bot gives up; an answer that will not change by waiting (a refused token, a URL that is
not a Bot API) stops it at once. Messages name the base URL, never the token.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

FIRST_PAUSE_SECONDS = 0.5
LONGEST_PAUSE_SECONDS = 5.0
# One getMe may take this long (Telegram answers in well under a second).
ATTEMPT_TIMEOUT_SECONDS = 10.0
_TOKEN_PLACEHOLDERS = ("{token}", "{TOKEN}")  # python-telegram-bot's, in a base URL


class BotApiUnavailable(Exception):
    """The Bot API did not answer `getMe` in time, or refused it; the message says which."""


def wait_for_bot_api(
    *,
    base_url: str,
    token: str,
    patience_seconds: float,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Return once `getMe` succeeds; raise `BotApiUnavailable` when it is refused, or has not
    succeeded after `patience_seconds` (one try when that is 0)."""
    import httpx  # python-telegram-bot's own HTTP client; only `run` and `serve` pay for it

    shown = _shown_url(base_url)
    deadline = clock() + patience_seconds
    pause = FIRST_PAUSE_SECONDS
    tries = 0
    while True:
        tries += 1
        timeout = max(1.0, min(ATTEMPT_TIMEOUT_SECONDS, deadline - clock()))
        try:
            response = httpx.post(_method_url(base_url, token, "getMe"), timeout=timeout)
        except httpx.TransportError as error:  # refused, timed out, name not found, reset
            problem = f"no answer ({type(error).__name__})"
        else:
            if response.status_code == 200 and _is_ok(response):
                return
            if response.status_code < 500 and response.status_code != 429:
                raise BotApiUnavailable(_refusal(shown, response.status_code))
            problem = f"HTTP {response.status_code}"
        remaining = deadline - clock()
        if remaining <= 0:
            raise BotApiUnavailable(
                f"the Bot API at {shown} did not answer getMe within {patience_seconds:g} s "
                f"({tries} tries, last: {problem}); check TELEGRAM_API_BASE_URL and the network "
                f"(TELEGRAM_START_RETRY_SECONDS sets how long to wait)")
        # DEBUG: a refusal at start is one line on stderr (see bot.cli.main), not one per try.
        log.debug("Bot API: %s; trying again in %.1f s", problem, min(pause, remaining))
        sleep(min(pause, remaining))
        pause = min(pause * 2, LONGEST_PAUSE_SECONDS)


def _method_url(base_url: str, token: str, method: str) -> str:
    # As python-telegram-bot builds it: the token appended, or put in place of a placeholder.
    if any(placeholder in base_url for placeholder in _TOKEN_PLACEHOLDERS):
        for placeholder in _TOKEN_PLACEHOLDERS:
            base_url = base_url.replace(placeholder, token)
        return f"{base_url}/{method}"
    return f"{base_url}{token}/{method}"


def _shown_url(base_url: str) -> str:
    for placeholder in _TOKEN_PLACEHOLDERS:
        base_url = base_url.replace(placeholder, "…")
    return base_url


def _is_ok(response) -> bool:
    try:
        return response.json().get("ok") is True
    except (ValueError, AttributeError):  # not JSON, or JSON but not an object
        return False


def _refusal(shown: str, status: int) -> str:
    if status == 401:
        return f"the Bot API at {shown} refused TELEGRAM_BOT_TOKEN (401 Unauthorized); check the token"
    if status == 200:
        return f"{shown} answered getMe, but not as a Bot API does; check TELEGRAM_API_BASE_URL"
    return (f"the Bot API at {shown} answered getMe with HTTP {status}; check TELEGRAM_API_BASE_URL "
            f"(a base URL ending in /bot) and TELEGRAM_BOT_TOKEN")
