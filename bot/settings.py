"""The bot's settings, read from the environment or a `.env` file.

Built once in `main()` and passed down; nothing reads the environment at import time, so tests
build a `Settings(...)` of their own and two bots in one process cannot see each other's token.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Annotated

import platformdirs
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

APP_NAME = "ddokddok"
DATABASE_FILE_NAME = "ddokddok.sqlite3"


def default_database_url() -> str:
    """A SQLite file in the user's data folder (created by the store when it is first opened)."""
    path = Path(platformdirs.user_data_dir(APP_NAME)) / DATABASE_FILE_NAME
    return f"sqlite:///{path.as_posix()}"


class Settings(BaseSettings):
    """Every knob of the bot. Environment variables win over `.env`, which wins over defaults."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",  # a shared .env may hold other tools' variables
        env_ignore_empty=True,  # `DATABASE_URL=` in a template means "use the default"
        case_sensitive=False,
    )

    # Without a token the bot runs in the terminal console instead of on Telegram.
    telegram_bot_token: SecretStr | None = None
    # A local Bot API server or a test double; None means Telegram's public API.
    telegram_api_base_url: str | None = None
    database_url: str = Field(default_factory=default_database_url)
    # Closed bookings keep their phone, address and note this long, then they are erased.
    booking_retention_days: int = Field(default=180, ge=1)
    # More than FLOOD_MAX_MESSAGES from one person within FLOOD_WINDOW_SECONDS are ignored.
    flood_max_messages: int = Field(default=20, ge=1)
    flood_window_seconds: float = Field(default=10, gt=0)
    # The bot's whole send rate (Telegram allows about 30 messages a second), shared by notices,
    # the outbox and check-ins, and the least time between two messages to one chat.
    notice_rate_per_second: float = Field(default=30, gt=0)
    per_chat_interval_seconds: float = Field(default=1.0, ge=0)
    # A JSON list or paths separated by os.pathsep (":" on Linux); None: the bundled catalog.
    catalog_paths: Annotated[list[Path] | None, NoDecode] = None
    log_level: str = "INFO"

    @field_validator("telegram_bot_token", "telegram_api_base_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # `TELEGRAM_BOT_TOKEN=` in a .env template means "no token", not an empty token.
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("catalog_paths", mode="before")
    @classmethod
    def _split_paths(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        text = value.strip()
        if not text:
            return None
        if text.startswith("["):
            return json.loads(text)
        return [part for part in text.split(os.pathsep) if part.strip()]

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in logging.getLevelNamesMapping():
            raise ValueError(f"unknown log level '{value}'; use DEBUG, INFO, WARNING or ERROR")
        return level
