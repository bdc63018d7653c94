"""Settings from the environment and `.env`, and the store they open."""

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.core.settings import Settings
from bot.store.db import create_schema, make_engine, session_scope
from bot.store.models import Booking, Resident

VARIABLES = [
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "DATABASE_URL",
    "BOOKING_RETENTION_DAYS",
    "FLOOD_MAX_MESSAGES",
    "FLOOD_WINDOW_SECONDS",
    "CATALOG_PATHS",
    "LOG_LEVEL",
]
TOKEN = "123456:AAE-very-secret-token"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No developer's real variables, .env or data folder leak into a test."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def test_defaults_without_environment(tmp_path):
    settings = Settings()
    assert settings.telegram_bot_token is None
    assert settings.telegram_api_base_url is None
    assert settings.booking_retention_days == 180
    assert settings.flood_max_messages == 20
    assert settings.flood_window_seconds == 10
    assert settings.catalog_paths is None
    assert settings.log_level == "INFO"
    expected = (tmp_path / "xdg-data" / "ddokddok" / "ddokddok.sqlite3").as_posix()
    assert settings.database_url == f"sqlite:///{expected}"


def test_default_database_lives_under_home_without_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_DATA_HOME")
    expected = (tmp_path / "home" / ".local" / "share" / "ddokddok" / "ddokddok.sqlite3")
    assert Settings().database_url == f"sqlite:///{expected.as_posix()}"


def test_default_database_folder_is_created_when_the_store_is_first_opened(tmp_path):
    folder = tmp_path / "xdg-data" / "ddokddok"
    settings = Settings()
    assert not folder.exists(), "reading settings must not touch the disk"
    engine = make_engine(settings.database_url)
    create_schema(engine)
    engine.dispose()
    assert (folder / "ddokddok.sqlite3").is_file()


def test_environment_variables_are_read_when_settings_are_built(monkeypatch, tmp_path):
    # Set after `bot.core.settings` was imported: nothing is read at import time.
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://localhost:8081/bot")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://bot@localhost/ddokddok")
    monkeypatch.setenv("BOOKING_RETENTION_DAYS", "30")
    monkeypatch.setenv("FLOOD_MAX_MESSAGES", "5")
    monkeypatch.setenv("FLOOD_WINDOW_SECONDS", "2.5")
    monkeypatch.setenv("CATALOG_PATHS", '["data/catalog", "/srv/extra.toml"]')
    monkeypatch.setenv("LOG_LEVEL", "debug")
    settings = Settings()
    assert settings.telegram_bot_token.get_secret_value() == TOKEN
    assert settings.telegram_api_base_url == "http://localhost:8081/bot"
    assert settings.database_url == "postgresql+psycopg://bot@localhost/ddokddok"
    assert settings.booking_retention_days == 30
    assert settings.flood_max_messages == 5
    assert settings.flood_window_seconds == 2.5
    assert settings.catalog_paths == [Path("data/catalog"), Path("/srv/extra.toml")]
    assert settings.log_level == "DEBUG"


def test_catalog_paths_may_be_separated_like_path(monkeypatch):
    monkeypatch.setenv("CATALOG_PATHS", f"data/catalog{os.pathsep}/srv/extra.toml")
    assert Settings().catalog_paths == [Path("data/catalog"), Path("/srv/extra.toml")]


def test_dotenv_file_is_read_and_the_environment_wins(monkeypatch, clean_environment):
    (clean_environment / ".env").write_text(
        f"TELEGRAM_BOT_TOKEN={TOKEN}\nFLOOD_MAX_MESSAGES=7\nLOG_LEVEL=WARNING\n"
        "SOMETHING_ELSE=ignored\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("LOG_LEVEL", "ERROR")
    settings = Settings()
    assert settings.telegram_bot_token.get_secret_value() == TOKEN
    assert settings.flood_max_messages == 7
    assert settings.log_level == "ERROR"


def test_empty_values_mean_the_default(monkeypatch, tmp_path):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    monkeypatch.setenv("DATABASE_URL", "")
    settings = Settings()
    assert settings.telegram_bot_token is None
    assert settings.database_url.endswith("/xdg-data/ddokddok/ddokddok.sqlite3")
    assert Settings(telegram_bot_token="  ").telegram_bot_token is None


def test_the_token_never_shows_in_repr_str_or_json(monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    settings = Settings()
    for shown in (repr(settings), str(settings), settings.model_dump_json(), repr(settings.model_dump())):
        assert TOKEN not in shown
        assert "AAE-very-secret" not in shown


@pytest.mark.parametrize(
    ("name", "value"),
    [("LOG_LEVEL", "LOUD"), ("BOOKING_RETENTION_DAYS", "0"), ("FLOOD_MAX_MESSAGES", "many"),
     ("FLOOD_WINDOW_SECONDS", "-1"), ("CHECKIN_TICK_SECONDS", "inf"), ("CHECKIN_TICK_SECONDS", "nan"),
     ("CHECKIN_TICK_SECONDS", "1e-9"), ("BOOKING_RETENTION_DAYS", "1000000000"),
     ("NOTICE_RATE_PER_SECOND", "inf"), ("DATABASE_URL", "not a url"), ("DATABASE_URL", "nosuchdb://x/y")],
)
def test_invalid_values_are_refused(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()


def test_every_number_has_finite_bounds():
    """A setting without an upper bound is how BOOKING_RETENTION_DAYS=1000000000 got in."""
    for name, field in Settings.model_fields.items():
        if field.annotation not in (int, float):
            continue
        bounds = {type(rule).__name__ for rule in field.metadata}
        assert bounds & {"Ge", "Gt"} and bounds & {"Le", "Lt"}, f"{name} lacks a bound"


def test_the_longest_retention_still_makes_a_date(engine):
    from bot.people.retention import erase_expired

    longest = Settings.model_fields["booking_retention_days"].metadata
    days = next(rule.le for rule in longest if type(rule).__name__ == "Le")
    assert Settings(booking_retention_days=days).booking_retention_days == days
    erase_expired(engine=engine, now=datetime(2025, 3, 3, tzinfo=UTC), retention_days=days)


# --- the store ----------------------------------------------------------------------------

NOW = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)


def _resident(user_id: int) -> Resident:
    return Resident(platform_user_id=user_id, chat_id=user_id, district="seocho",
                    consented_at=NOW, created_at=NOW, updated_at=NOW)


def test_sqlite_file_store_has_wal_and_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{(tmp_path / 'nested' / 'bot.sqlite3').as_posix()}")
    create_schema(engine)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_foreign_keys_are_enforced(engine):
    booking = Booking(program_id="seocho.health119", district="seocho", preferred_date=NOW.date(),
                      resident_id=999, request_key="k", created_at=NOW, updated_at=NOW)
    with pytest.raises(IntegrityError):
        with session_scope(engine) as session:
            session.add(booking)


def test_session_scope_commits_on_success_and_rolls_back_on_error(engine):
    with session_scope(engine) as session:
        session.add(_resident(1))
    with pytest.raises(RuntimeError):
        with session_scope(engine) as session:
            session.add(_resident(2))
            session.flush()
            raise RuntimeError("handler failed")
    with Session(engine) as session:
        assert [r.platform_user_id for r in session.exec(select(Resident))] == [1]


def test_timestamps_come_back_timezone_aware_and_naive_ones_are_refused(engine):
    with session_scope(engine) as session:
        session.add(_resident(1))
    with Session(engine) as session:
        stored = session.exec(select(Resident)).one()
        assert stored.consented_at == NOW
        assert stored.consented_at.tzinfo is not None
    with pytest.raises(Exception, match="naive datetime"):
        with session_scope(engine) as session:
            naive = _resident(2)
            naive.created_at = datetime(2025, 3, 3, 1, 0)
            session.add(naive)
