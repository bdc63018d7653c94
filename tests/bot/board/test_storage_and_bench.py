"""The board's tables arrive by migration 0007 on a database with rows, its settings are checked,
and its benchmark runs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError
from sqlalchemy import inspect

from bot.bench.board import run as bench_board
from bot.core.settings import Settings
from bot.people.board_access import issue_login_link, redeem_login_token
from bot.people.residents import register_resident
from bot.people.staff import add_staff, remove_staff
from bot.store.db import make_engine, session_scope
from bot.store.migrate import current, differences, head_revision, upgrade

NOW = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)


def test_migration_0007_adds_the_board_tables_and_keeps_rows(tmp_path):
    engine = make_engine(f"sqlite:///{(tmp_path / 'm.sqlite3').as_posix()}")
    upgrade(engine, "0006")
    with session_scope(engine) as session:
        register_resident(session=session, platform_user_id=1, chat_id=1, first_name="R", language="ko",
                          district="seocho", now=NOW)
        add_staff(session=session, telegram_id=2, district="seocho", name="Kim", known_districts={"seocho"}, now=NOW)
    upgrade(engine)
    assert current(engine) == head_revision()
    assert {"board_login_link", "board_session", "board_secret"} <= set(inspect(engine).get_table_names())
    assert differences(engine) == []
    with session_scope(engine) as session:
        from bot.people.staff import get_staff

        staff = get_staff(session=session, telegram_id=2)
        token = issue_login_link(session=session, staff=staff, now=NOW)
        assert redeem_login_token(session=session, token=token, now=NOW) is not None
        # Removing the staff member removes their links and sessions with them (foreign keys).
        remove_staff(session=session, telegram_id=2)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM board_session").scalar() == 0
        assert connection.exec_driver_sql("SELECT count(*) FROM board_login_link").scalar() == 0
    engine.dispose()


def test_board_settings():
    settings = Settings(_env_file=None, board_port=9100)
    assert settings.board_url == "http://127.0.0.1:9100" and settings.board_host == "127.0.0.1"
    assert Settings(_env_file=None, board_public_url="https://office.example.org/board/").board_url == \
        "https://office.example.org/board"
    with pytest.raises(ValidationError):
        Settings(_env_file=None, board_public_url="javascript:alert(1)")
    with pytest.raises(ValidationError):
        Settings(_env_file=None, board_secret_key="short")
    assert Settings(_env_file=None, board_secret_key="").board_secret_key is None


def test_bench_board_runs(capsys):
    assert bench_board(quick=True, size=300) == 0
    out = capsys.readouterr().out
    assert "median" in out and '"residents": 300' in out
