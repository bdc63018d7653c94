"""Logging for the bot: the level from settings, and the bot token never written out.

The token is part of every Bot API URL (`.../bot<TOKEN>/sendMessage`), and httpx logs each
request's URL at INFO; an HTTP library's error may quote the URL too. So httpx is kept at
WARNING, and every record that reaches our handlers has the token replaced first.

What residents write must not reach the logs either. python-telegram-bot logs every Bot API
call's parameters and result at DEBUG (message texts: phones, addresses, a crisis message)
and the URL with the token when a bot is built, so its loggers stay at INFO or above even when
the bot runs at DEBUG.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.core.settings import Settings

REDACTED = "<redacted>"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Libraries whose INFO lines would carry URLs with the token in them.
QUIET_LOGGERS = ("httpx", "httpcore", "alembic")  # alembic: bot.store.migrate logs what it changed
# Libraries whose DEBUG lines carry message texts (and the token): never below INFO.
PAYLOAD_LOGGERS = ("telegram",)


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


class RedactSecrets(logging.Filter):
    """A handler filter that replaces secrets in a record's message and traceback."""

    def __init__(self, secrets: Iterable[str]):
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        record.msg, record.args = redact(message, self.secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True


def configure_logging(settings: Settings) -> None:
    """Log to stderr at `settings.log_level`, with the bot token redacted everywhere."""
    logging.basicConfig(level=settings.log_level, format=LOG_FORMAT)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(settings.log_level)))
    for name in PAYLOAD_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLevelName(settings.log_level)))
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    if token:
        scrubber = RedactSecrets([token])
        for handler in logging.getLogger().handlers:
            handler.addFilter(scrubber)
