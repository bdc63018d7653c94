"""The token is redacted from whatever reaches the bot's log handlers, tracebacks included."""

from __future__ import annotations

import io
import logging

import pytest

from bot.core.logs import REDACTED, RedactSecrets, configure_logging

from .conftest import TOKEN, make_settings


@pytest.fixture
def captured() -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets([TOKEN]))
    logger = logging.getLogger("test.redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def test_message_arguments_and_traceback_are_redacted(captured):
    logger, stream = captured
    logger.info("POST https://api.telegram.org/bot%s/getUpdates", TOKEN)
    try:
        raise ConnectionError(f"cannot reach https://api.telegram.org/bot{TOKEN}/sendMessage")
    except ConnectionError:
        logger.exception("polling failed")
    text = stream.getvalue()
    assert TOKEN not in text
    assert text.count(REDACTED) == 2
    assert "ConnectionError" in text and "polling failed" in text


def test_configure_logging_quiets_httpx_and_filters_root_handlers(monkeypatch):
    root = logging.getLogger()
    handler = logging.StreamHandler(io.StringIO())
    monkeypatch.setattr(root, "handlers", [handler])
    configure_logging(make_settings(log_level="DEBUG"))
    assert logging.getLogger("httpx").level == logging.WARNING
    assert any(isinstance(f, RedactSecrets) for f in handler.filters)
