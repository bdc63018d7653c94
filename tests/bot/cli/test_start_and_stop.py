"""The long-running commands at their edges: settings that cannot work are refused at start
(one line on stderr, exit code 2, no traceback); `chat` leaves other people's outbox alone;
a clean stop leaves the SQLite file complete without its WAL."""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.cli.main import main
from bot.cli.startup_checks import BotApiUnavailable, wait_for_bot_api
from bot.store.models import OutboxMessage, Resident

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:AAE-start-test-token"
PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch):
    """Requests to 127.0.0.1 go there, not through a proxy of this machine."""
    for name in PROXIES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def no_long_run_settling(monkeypatch):
    """In-process commands must not freeze the test process's objects (gc.freeze)."""
    monkeypatch.setattr("bot.cli.bot_commands.settle_for_a_long_run", lambda: None)


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def subprocess_env(database_url: str, **more: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in PROXIES and k != "TELEGRAM_BOT_TOKEN" and k != "CATALOG_PATHS"}
    env.update(DATABASE_URL=database_url, PYTHONPATH=str(ROOT), **more)
    return env


def ddokddok(args: list[str], env: dict[str, str], cwd: Path, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot.cli.main", *args], input=stdin, capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=120)


def assert_refused_in_one_line(code: int, stderr: str, *words: str) -> None:
    assert code == 2, stderr
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("ddokddok: ")
    for word in words:
        assert word in lines[0]


# --- settings refused ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CHECKIN_TICK_SECONDS", "inf"),
        ("CHECKIN_TICK_SECONDS", "nan"),
        ("CHECKIN_TICK_SECONDS", "1e-9"),  # would burn a core while idle
        ("CHECKIN_TICK_SECONDS", "86400"),
        ("BOOKING_RETENTION_DAYS", "1000000000"),  # the retention pass would fail on every run
        ("BOOKING_RETENTION_DAYS", "36501"),
        ("FLOOD_WINDOW_SECONDS", "inf"),
        ("FLOOD_MAX_MESSAGES", "1000000000"),
        ("NOTICE_RATE_PER_SECOND", "1e12"),
        ("NOTICE_RATE_PER_SECOND", "0"),
        ("PER_CHAT_INTERVAL_SECONDS", "-inf"),
        ("CHECKIN_REPLY_WINDOW_MINUTES", "99999999"),
        ("CHECKIN_SEND_LIMIT", "0"),
        ("TELEGRAM_START_RETRY_SECONDS", "inf"),
        ("DATABASE_URL", "not a url"),
        ("DATABASE_URL", "mysqlish://somewhere/db"),
        ("CATALOG_PATHS", "[not json"),
    ],
)
def test_a_setting_that_cannot_work_is_refused_in_one_line(command_database, monkeypatch, capsys,
                                                           name, value):
    monkeypatch.setenv(name, value)
    code = main(["chat"])
    assert_refused_in_one_line(code, capsys.readouterr().err, name)


def test_the_database_url_password_is_not_repeated(command_database, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "nonsense://user:s3cret-pw@host/db")
    assert main(["chat"]) == 2
    assert "s3cret-pw" not in capsys.readouterr().err


def test_a_database_that_cannot_be_opened_is_refused_in_one_line(command_database, monkeypatch,
                                                                 tmp_path, capsys):
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a folder")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{(in_the_way / 'bot.sqlite3').as_posix()}")
    assert_refused_in_one_line(main(["chat"]), capsys.readouterr().err, "DATABASE_URL")

    not_a_database = tmp_path / "garbage.sqlite3"
    not_a_database.write_bytes(b"this is no SQLite file " * 100)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{not_a_database.as_posix()}")
    assert_refused_in_one_line(main(["chat"]), capsys.readouterr().err, "DATABASE_URL")


def test_an_unreachable_postgresql_is_refused_in_one_line_without_its_password(
        command_database, monkeypatch, capsys):
    pytest.importorskip("psycopg")
    monkeypatch.setenv("DATABASE_URL", f"postgresql+psycopg://bot:s3cret-pw@127.0.0.1:{closed_port()}/db")
    code, err = main(["staff", "list"]), capsys.readouterr().err
    assert_refused_in_one_line(code, err, "DATABASE_URL")
    assert "s3cret-pw" not in err


def test_a_catalog_without_districts_is_refused_before_the_database_is_made(
        command_database, monkeypatch, tmp_path, capsys):
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    monkeypatch.setenv("CATALOG_PATHS", str(empty))
    assert_refused_in_one_line(main(["chat"]), capsys.readouterr().err, "CATALOG_PATHS", "district")
    assert not (tmp_path / "data").exists()


def test_run_gives_up_on_an_unreachable_bot_api_in_one_line(tmp_path):
    """As a process: no log line, no traceback, only the reason; the window is a setting."""
    database = tmp_path / "bot.sqlite3"
    env = subprocess_env(f"sqlite:///{database.as_posix()}", TELEGRAM_BOT_TOKEN=TOKEN,
                         TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{closed_port()}/bot",
                         TELEGRAM_START_RETRY_SECONDS="1")
    started = time.monotonic()
    result = ddokddok(["run"], env, tmp_path)
    assert_refused_in_one_line(result.returncode, result.stderr, "TELEGRAM_API_BASE_URL", "1 s")
    assert time.monotonic() - started < 30  # start-up (imports, catalog) and one second of tries
    assert TOKEN not in result.stderr and TOKEN not in result.stdout
    assert not database.exists()  # refused before anything was made


# --- waiting for the Bot API -----------------------------------------------------------------


@pytest.fixture
def bot_api() -> Iterator[dict]:
    """A local stand-in answering getMe with `state["status"]` (and ok when 200)."""
    state = {"status": 200, "calls": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            state["calls"] += 1
            status = state["status"]
            body = json.dumps({"ok": status == 200, "result": {"id": 1, "is_bot": True, "first_name": "b"}}
                              if status == 200 else {"ok": False, "error_code": status}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["base_url"] = f"http://127.0.0.1:{server.server_address[1]}/bot"
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_a_bot_api_that_answers_lets_the_bot_start(bot_api):
    wait_for_bot_api(base_url=bot_api["base_url"], token=TOKEN, patience_seconds=0)
    assert bot_api["calls"] == 1


def test_a_refused_token_is_not_waited_for(bot_api):
    bot_api["status"] = 401
    started = time.monotonic()
    with pytest.raises(BotApiUnavailable, match="401") as refused:
        wait_for_bot_api(base_url=bot_api["base_url"], token=TOKEN, patience_seconds=60)
    assert time.monotonic() - started < 5 and bot_api["calls"] == 1
    assert TOKEN not in str(refused.value)


def test_a_failing_bot_api_is_tried_again_with_growing_pauses_until_the_window_ends(bot_api):
    bot_api["status"] = 502
    now = [0.0]
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        now[0] += seconds

    with pytest.raises(BotApiUnavailable, match="HTTP 502"):
        wait_for_bot_api(base_url=bot_api["base_url"], token=TOKEN, patience_seconds=30,
                         clock=lambda: now[0], sleep=sleep)
    assert pauses[:5] == [0.5, 1.0, 2.0, 4.0, 5.0] and max(pauses) == 5.0
    assert sum(pauses) == pytest.approx(30)
    assert bot_api["calls"] == len(pauses) + 1


def test_the_bot_api_coming_up_during_the_window_is_waited_for(bot_api):
    bot_api["status"] = 503
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 3:
            bot_api["status"] = 200

    wait_for_bot_api(base_url=bot_api["base_url"], token=TOKEN, patience_seconds=30,
                     clock=lambda: sum(pauses), sleep=sleep)
    assert bot_api["calls"] == 4


# --- the terminal leaves other people's messages alone ---------------------------------------


def test_chat_on_the_bots_database_leaves_other_peoples_outbox_pending(command_database, monkeypatch,
                                                                       capsys):
    from bot.sending.outbox import enqueue_message
    from bot.store.db import make_engine, session_scope
    from bot.store.migrate import upgrade

    engine = make_engine(command_database)
    upgrade(engine)
    with session_scope(engine) as session:
        for chat_id, text in ((9001, "새 신청: 010-1234-5678, 101동 202호"), (9002, "응답 없음: 방문 필요"),
                              (555, "신청이 수락됐어요")):
            enqueue_message(session=session, chat_id=chat_id, text=text, now=_now())
    monkeypatch.setattr("sys.stdin", io.StringIO("/start\n1\n1\n1\n/help\n"))

    assert main(["chat"]) == 0

    shown = capsys.readouterr().out
    assert "/start" in shown  # the session ran
    for text in ("010-1234-5678", "방문 필요", "수락됐어요"):
        assert text not in shown
    with Session(engine) as session:
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.chat_id != 1)).all()
    engine.dispose()
    assert [(row.chat_id, row.status, row.attempts) for row in rows] == [
        (9001, "pending", 0), (9002, "pending", 0), (555, "pending", 0)]
    assert rows[0].text.startswith("새 신청")


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


# --- a clean stop leaves the main file complete ----------------------------------------------


def test_after_chat_stops_a_copy_of_the_main_file_alone_holds_every_row(tmp_path):
    database = tmp_path / "bot.sqlite3"
    env = subprocess_env(f"sqlite:///{database.as_posix()}")
    result = ddokddok(["chat"], env, tmp_path, stdin="/start\n1\n1\n1\n")  # language, district, consent
    assert result.returncode == 0, result.stderr

    wal = Path(f"{database}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    backup = tmp_path / "backup" / "copy.sqlite3"
    backup.parent.mkdir()
    shutil.copyfile(database, backup)  # what a naive backup does: the main file, nothing else

    from bot.store.db import make_engine

    engine = make_engine(f"sqlite:///{backup.as_posix()}")
    with Session(engine) as session:
        residents = session.exec(select(Resident)).all()
    engine.dispose()
    assert [(r.platform_user_id, r.district) for r in residents] == [(1, "seocho")]


def test_close_store_folds_the_wal_into_the_main_file(tmp_path):
    from bot.app import close_store
    from bot.store.db import make_engine, session_scope
    from bot.store.migrate import upgrade

    database = tmp_path / "bot.sqlite3"
    engine = make_engine(f"sqlite:///{database.as_posix()}")
    upgrade(engine)
    now = _now()
    for user in range(100):
        with session_scope(engine) as session:
            session.add(Resident(platform_user_id=10_000 + user, chat_id=10_000 + user, district="seocho",
                                 consented_at=now, created_at=now, updated_at=now))
    assert Path(f"{database}-wal").stat().st_size > 0  # the rows are in the WAL so far

    close_store(engine)

    wal = Path(f"{database}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    backup = tmp_path / "copy.sqlite3"
    shutil.copyfile(database, backup)
    copy = make_engine(f"sqlite:///{backup.as_posix()}")
    with Session(copy) as session:
        assert len(session.exec(select(Resident)).all()) == 100
    copy.dispose()
