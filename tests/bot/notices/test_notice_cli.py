"""`ddokddok notice send|list` against a SQLite file named by DATABASE_URL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from bot.cli.main import main
from bot.core.clock import KOREA
from bot.people.residents import register_resident
from bot.store.db import create_schema, make_engine, session_scope
from bot.store.models import Notice, NoticeStatus


@pytest.fixture
def text_file(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text("폭염 쉼터를 운영합니다.\n구민회관 1층, 오전 9시~오후 6시\n", encoding="utf-8")
    return path


def notices(url: str) -> list[Notice]:
    engine = make_engine(url)
    create_schema(engine)
    try:
        with Session(engine) as session:
            return list(session.exec(select(Notice).order_by(Notice.id)).all())
    finally:
        engine.dispose()


def test_send_at_schedules_the_notice_in_korea_time(command_database, text_file, capsys):
    assert main(["notice", "send", "--district", "seocho", "--text-file", str(text_file),
                 "--at", "2099-01-01T00:00", "--audience", "ko"]) == 2  # beyond 90 days: refused
    assert "--at" in capsys.readouterr().err
    later = (datetime.now(KOREA) + timedelta(days=10)).replace(hour=9, minute=30, second=0,
                                                              microsecond=0, tzinfo=None)
    assert main(["notice", "send", "--district", "seocho", "--text-file", str(text_file),
                 "--at", later.isoformat(), "--audience", "ko"]) == 0
    out = capsys.readouterr().out
    assert "scheduled" in out and later.strftime("%Y-%m-%d 09:30 KST") in out
    [notice] = notices(command_database)
    assert notice.status == NoticeStatus.SCHEDULED and notice.audience == "ko"
    assert notice.send_at == later.replace(tzinfo=KOREA).astimezone(UTC)
    assert notice.text.startswith("폭염 쉼터를 운영합니다.") and notice.staff_id is None


def test_send_without_at_is_due_now_and_counts_the_audience(command_database, text_file, capsys):
    engine = make_engine(command_database)
    create_schema(engine)
    with session_scope(engine) as session:
        for user_id in (1, 2):
            register_resident(session=session, platform_user_id=user_id, chat_id=user_id, first_name="주민",
                              language="ko", district="seocho", now=datetime.now(UTC))
    engine.dispose()
    assert main(["notice", "send", "--district", "seocho", "--text-file", str(text_file)]) == 0
    assert "2 residents now" in capsys.readouterr().out
    [notice] = notices(command_database)
    assert notice.status == NoticeStatus.SCHEDULED
    assert abs((notice.send_at - datetime.now(UTC)).total_seconds()) < 60

    assert main(["notice", "list"]) == 0
    listing = capsys.readouterr().out
    assert "seocho" in listing and "scheduled" in listing


@pytest.mark.parametrize(
    "extra, complaint",
    [
        (["--district", "gangnam"], "unknown district 'gangnam'"),
        (["--district", "seocho", "--at", "tomorrow"], "--at"),
        (["--district", "seocho", "--link", "not a link"], "--link"),
    ],
)
def test_bad_arguments_are_clear_errors(command_database, text_file, capsys, extra, complaint):
    assert main(["notice", "send", "--text-file", str(text_file), *extra]) == 2
    assert complaint in capsys.readouterr().err
    assert notices(command_database) == []


def test_an_unreadable_text_file_is_a_clear_error(command_database, tmp_path, capsys):
    assert main(["notice", "send", "--district", "seocho", "--text-file", str(tmp_path / "missing.txt")]) == 2
    assert "cannot read" in capsys.readouterr().err
