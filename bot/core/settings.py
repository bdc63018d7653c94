"""The bot's settings, read from the environment or a `.env` file.

Built once in `main()` and passed down; nothing reads the environment at import time, so tests
build a `Settings(...)` of their own and two bots in one process cannot see each other's token.
"""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path
from typing import Annotated

import platformdirs
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

APP_NAME = "ddokddok"
# What Telegram accepts as a webhook's secret_token.
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
# What Telegram accepts as a bot's username: 5-32 letters, digits and "_", ending in "bot".
BOT_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{1,28}[Bb][Oo][Tt]")
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
        # inf and nan pass a bare `gt=0`; every number below is finite and has both bounds.
        allow_inf_nan=False,
    )

    # Without a token the bot runs in the terminal console instead of on Telegram.
    telegram_bot_token: SecretStr | None = None
    # A local Bot API server or a test double; None means Telegram's public API.
    telegram_api_base_url: str | None = None
    # The bot's username (without "@"), for the links on flyers (`ddokddok qr`); optional.
    telegram_bot_username: str | None = None
    # How long `run` and `serve` keep trying (with growing pauses) to reach the Bot API at start
    # before giving up: long enough for a local Bot API server or the network to come up.
    telegram_start_retry_seconds: float = Field(default=30, ge=0, le=600)
    database_url: str = Field(default_factory=default_database_url)
    # Closed bookings keep their phone, address and note this long, then they are erased. At
    # most a century: the retention pass subtracts it from today, which must stay a date.
    booking_retention_days: int = Field(default=180, ge=1, le=36_500)
    # More than FLOOD_MAX_MESSAGES from one person within FLOOD_WINDOW_SECONDS are ignored.
    flood_max_messages: int = Field(default=20, ge=1, le=10_000)
    flood_window_seconds: float = Field(default=10, ge=0.1, le=86_400)
    # The bot's whole send rate (Telegram allows about 30 messages a second, 1000 with paid
    # broadcasts), shared by notices, the outbox and check-ins, and the least time between two
    # messages to one chat.
    notice_rate_per_second: float = Field(default=30, ge=0.1, le=1_000)
    per_chat_interval_seconds: float = Field(default=1.0, ge=0, le=3_600)
    # A JSON list or paths separated by os.pathsep (":" on Linux); None: the bundled catalog.
    catalog_paths: Annotated[list[Path] | None, NoDecode] = None
    log_level: str = "INFO"
    # Webhook mode (`ddokddok serve`): Telegram must send this in X-Telegram-Bot-Api-Secret-Token
    # (1-256 of A-Z a-z 0-9 _ -); WEBHOOK_URL, when set, is registered with setWebhook on start
    # (its path is the one served); the HTTP server listens on LISTEN_HOST:LISTEN_PORT.
    telegram_webhook_secret: SecretStr | None = None
    webhook_url: str | None = None
    listen_host: str = "127.0.0.1"
    listen_port: int = Field(default=8080, ge=1, le=65535)
    # Polling mode (`ddokddok run`): /healthz, /readyz and /metrics on HEALTH_HOST:HEALTH_PORT;
    # unset, no listener. Webhook mode serves them beside the webhook, on LISTEN_PORT.
    health_port: int | None = Field(default=None, ge=1, le=65535)
    health_host: str = "127.0.0.1"
    # Wellness check-ins (bot.checkins): how long to wait for an answer before the reminder
    # and again before staff are alerted; escalations in a row before a "visit needed"; how
    # late a check-in may still go out; how long a claimed check-in belongs to its sender;
    # messages per tick; the dispatcher's tick; the zone of plans made in the conversation.
    # The tick is at least a second (shorter only burns a core while idle: asks are due to the
    # minute) and at most ten minutes (well inside the default 30-minute grace period).
    checkin_reply_window_minutes: int = Field(default=120, ge=1, le=7 * 24 * 60)
    checkin_visit_needed_after_missed_rounds: int = Field(default=3, ge=1, le=100)
    checkin_grace_period_minutes: int = Field(default=30, ge=1, le=24 * 60)
    checkin_send_lease_minutes: int = Field(default=1, ge=1, le=24 * 60)
    checkin_send_limit: int = Field(default=1500, ge=1, le=100_000)
    checkin_tick_seconds: float = Field(default=60, ge=1, le=600)
    checkin_default_time_zone: str = "Asia/Seoul"
    # The district office's web board (`ddokddok board`, bot.board): where it listens, the
    # address its one-time login links start with (default http://127.0.0.1:<BOARD_PORT>), and
    # the key that signs its session cookies (unset: one is made at first use and kept in the
    # database, so every worker and restart agrees).
    board_host: str = "127.0.0.1"
    board_port: int = Field(default=8090, ge=1, le=65535)
    board_public_url: str | None = None
    board_secret_key: SecretStr | None = None
    # KakaoTalk (bot.adapters.kakao), beside Telegram or alone: Kakao i Open Builder POSTs skill
    # requests to KAKAO_SKILL_PATH with KAKAO_SKILL_SECRET in the KAKAO_SKILL_SECRET_HEADER
    # header (set it in the skill's headers); messages nobody asked for (check-ins, alerts,
    # notices) go through the Event API at KAKAO_API_BASE_URL with the bot's id, the REST API
    # key and the event whose block calls the skill. The skill runs when its secret is set.
    kakao_skill_secret: SecretStr | None = None
    kakao_skill_secret_header: str = "X-Skill-Secret"
    kakao_skill_path: str = "/kakao/skill"
    kakao_bot_id: str | None = None
    kakao_rest_api_key: SecretStr | None = None
    kakao_event_name: str | None = None
    kakao_api_base_url: str = "https://bot-api.kakao.com"

    @field_validator("kakao_skill_secret", "kakao_bot_id", "kakao_rest_api_key", "kakao_event_name",
                     mode="before")
    @classmethod
    def _blank_kakao_setting_is_unset(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("kakao_skill_path")
    @classmethod
    def _kakao_skill_path_is_a_path(cls, value: str) -> str:
        if not value.startswith("/") or any(char.isspace() for char in value):
            raise ValueError("a path starting with / (e.g. /kakao/skill)")
        return value

    @property
    def kakao_enabled(self) -> bool:
        """Whether the KakaoTalk skill is served (its secret is set)."""
        return self.kakao_skill_secret is not None

    @property
    def kakao_events_enabled(self) -> bool:
        """Whether messages nobody asked for can reach KakaoTalk (the Event API is configured)."""
        return None not in (self.kakao_bot_id, self.kakao_rest_api_key, self.kakao_event_name)

    @field_validator("telegram_bot_token", "telegram_api_base_url", "telegram_webhook_secret",
                     "webhook_url", "board_public_url", "board_secret_key", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # `TELEGRAM_BOT_TOKEN=` in a .env template means "no token", not an empty token.
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url_names_a_database(cls, value: str) -> str:
        # Refused here, with the reason and without the URL (it may hold a password), rather than
        # as SQLAlchemy's traceback when the store is first opened.
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError

        try:
            make_url(value).get_dialect()
        except NoSuchModuleError:  # an ArgumentError too: first
            raise ValueError("unknown kind of database; use sqlite:///path or "
                             "postgresql+psycopg://user:pw@host:5432/db") from None
        except ArgumentError:
            raise ValueError("not a database URL; use sqlite:///path or "
                             "postgresql+psycopg://user:pw@host:5432/db") from None
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
            try:
                return json.loads(text)
            except json.JSONDecodeError:
                raise ValueError(f"a JSON list of paths, or paths separated by '{os.pathsep}'") from None
        return [part for part in text.split(os.pathsep) if part.strip()]

    @field_validator("checkin_default_time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone '{value}'") from error
        return value

    @field_validator("telegram_bot_username", mode="before")
    @classmethod
    def _bot_username(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        name = value.strip().removeprefix("@")
        if not name:
            return None
        if not BOT_USERNAME.fullmatch(name):
            raise ValueError("TELEGRAM_BOT_USERNAME: the bot's username, 5-32 letters, digits and _, "
                             "ending in 'bot' (e.g. ddokddok_bot)")
        return name

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _telegram_secret_alphabet(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("TELEGRAM_WEBHOOK_SECRET: 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in logging.getLevelNamesMapping():
            raise ValueError(f"unknown log level '{value}'; use DEBUG, INFO, WARNING or ERROR")
        return level

    @field_validator("board_public_url")
    @classmethod
    def _board_url_is_http(cls, value: str | None) -> str | None:
        from urllib.parse import urlsplit

        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise ValueError("BOARD_PUBLIC_URL: an http:// or https:// address, without ?query or #fragment")
        return value.strip().rstrip("/")

    @property
    def board_url(self) -> str:
        """The board's address as staff open it: BOARD_PUBLIC_URL, else this machine's port."""
        return self.board_public_url or f"http://127.0.0.1:{self.board_port}"

    @field_validator("board_secret_key")
    @classmethod
    def _board_key_is_long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 32:
            raise ValueError("BOARD_SECRET_KEY: at least 32 characters (or unset: one is made and kept)")
        return value
