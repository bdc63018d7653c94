"""The schema's migrations (bot.store.migrate) agree with the models and keep a database's rows.

Run on the test database of tests/conftest.py (SQLite by default, PostgreSQL with
DDOKDDOK_TEST_DATABASE_URL), and always on a SQLite file.

For every future revision: add a test here that builds the previous revision
(`upgrade(engine, "<previous>")`), fills it with rows, upgrades to head and checks the rows
(and any data the revision moves) are there.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import MetaData, func, insert, inspect, select, text
from sqlmodel import SQLModel

from bot.cli.main import main
from bot.people.residents import register_resident
from bot.requests.bookings import create_booking
from bot.store.db import create_schema, make_engine, session_scope
from bot.store.migrate import BASELINE_REVISION, current, differences, head_revision, upgrade
from bot.store.models import Booking, BookingEvent, BookingVoice, OutboxMessage, Resident

NOW = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)


@pytest.fixture
def empty_engine(test_database_url, tmp_path):
    """An empty database: the test's own PostgreSQL schema, or a SQLite file."""
    engine = make_engine(test_database_url or f"sqlite:///{(tmp_path / 'm.sqlite3').as_posix()}")
    yield engine
    engine.dispose()


@pytest.fixture(params=["test-database", "sqlite-file"])
def any_empty_engine(request, test_database_url, tmp_path):
    if request.param == "test-database" and test_database_url is None:
        url = "sqlite://"
    elif request.param == "test-database":
        url = test_database_url
    else:
        url = f"sqlite:///{(tmp_path / 'm.sqlite3').as_posix()}"
    engine = make_engine(url)
    yield engine
    engine.dispose()


def _populate(engine) -> None:
    with session_scope(engine) as session:
        for n in range(3):
            resident = register_resident(session=session, platform_user_id=7000 + n, chat_id=7000 + n,
                                         first_name=f"R{n}", language="ko", district="seocho", now=NOW)
            create_booking(session=session, resident=resident, program_id="seocho.health119",
                           preferred_date=date(2025, 3, 5), time_window="morning", phone="01012345678",
                           address_detail=None, note=None, request_key=f"k{n}", now=NOW)


def _populate_at_baseline(engine) -> None:
    """Rows as the first release wrote them: plain inserts into the baseline's own tables
    (today's models have columns the baseline does not)."""
    tables = MetaData()
    tables.reflect(engine, only=["resident", "booking", "booking_event"])
    naive = NOW.replace(tzinfo=None)
    with engine.begin() as connection:
        for n in range(3):
            resident_id = connection.execute(insert(tables.tables["resident"]).values(
                first_name=f"R{n}", language="ko", district="seocho", consented_at=naive,
                active=True, muted_notices=False, platform_user_id=7000 + n, chat_id=7000 + n,
                created_at=naive, updated_at=naive)).inserted_primary_key[0]
            booking_id = connection.execute(insert(tables.tables["booking"]).values(
                program_id="seocho.health119", district="seocho", preferred_date=date(2025, 3, 5),
                time_window="morning", phone="01012345678", status="requested",
                resident_id=resident_id, request_key=f"k{n}", created_at=naive,
                updated_at=naive)).inserted_primary_key[0]
            connection.execute(insert(tables.tables["booking_event"]).values(
                booking_id=booking_id, at=naive, actor_kind="resident", actor_id=resident_id,
                to_status="requested"))


def _counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {model.__tablename__: connection.execute(select(func.count()).select_from(model)).scalar_one()
                for model in (Resident, Booking, BookingEvent)}


def test_migrations_build_exactly_the_models_schema(any_empty_engine):
    assert current(any_empty_engine) is None
    assert upgrade(any_empty_engine) == head_revision()
    assert differences(any_empty_engine) == []
    tables = set(inspect(any_empty_engine).get_table_names())
    assert {t.name for t in SQLModel.metadata.sorted_tables} | {"alembic_version"} == tables


def test_upgrading_twice_changes_nothing(empty_engine):
    upgrade(empty_engine)
    _populate(empty_engine)
    before = _counts(empty_engine)
    assert upgrade(empty_engine) == head_revision()
    assert _counts(empty_engine) == before


def test_a_database_made_by_create_all_is_stamped_and_keeps_its_rows(empty_engine):
    # A store from before migrations: the first release's create_all (the baseline's tables),
    # rows, no alembic_version.
    upgrade(empty_engine, BASELINE_REVISION)
    with empty_engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))
    _populate_at_baseline(empty_engine)
    before = _counts(empty_engine)
    assert before == {"resident": 3, "booking": 3, "booking_event": 3}
    assert current(empty_engine) is None

    assert upgrade(empty_engine) == head_revision()
    assert _counts(empty_engine) == before
    assert differences(empty_engine) == []
    with session_scope(empty_engine) as session:
        assert sorted(r.first_name for r in session.exec(select(Resident)).scalars()) == ["R0", "R1", "R2"]


def test_upgrade_from_the_initial_revision_keeps_rows(empty_engine):
    upgrade(empty_engine, BASELINE_REVISION)
    _populate_at_baseline(empty_engine)
    before = _counts(empty_engine)
    upgrade(empty_engine)
    assert current(empty_engine) == head_revision()
    assert _counts(empty_engine) == before


def test_db_commands(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{(tmp_path / 'cli.sqlite3').as_posix()}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert main(["db", "current"]) == 0
    assert capsys.readouterr().out.startswith("none")
    assert main(["db", "upgrade"]) == 0
    assert f"at revision {head_revision()}" in capsys.readouterr().out
    assert main(["db", "current"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_a_database_made_by_todays_create_all_is_stamped_at_head(empty_engine):
    # Benchmarks and tests build the store with create_all; a command run on it later upgrades.
    create_schema(empty_engine)
    _populate(empty_engine)
    before = _counts(empty_engine)
    assert upgrade(empty_engine) == head_revision()
    assert _counts(empty_engine) == before
    assert differences(empty_engine) == []


def test_upgrade_to_0005_keeps_bookings_with_no_clock_time(empty_engine):
    # 0005 adds a booking's preferred clock time: earlier requests asked only a part of the day.
    upgrade(empty_engine, "0004")
    _populate_at_baseline(empty_engine)
    before = _counts(empty_engine)
    assert upgrade(empty_engine, "0005") == "0005"
    assert _counts(empty_engine) == before
    with empty_engine.connect() as connection:
        rows = connection.execute(text("SELECT time_window, preferred_time FROM booking")).all()
    assert [tuple(row) for row in rows] == [("morning", None)] * 3


def test_upgrade_to_0006_keeps_requests_and_queued_messages_without_voice(empty_engine):
    # 0006 adds the voice messages of a request and an outbox message's voice: earlier
    # requests and messages have none, and a request can be given one afterwards.
    upgrade(empty_engine, "0005")
    _populate_at_baseline(empty_engine)
    naive = NOW.replace(tzinfo=None)
    with empty_engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO outbox_message (chat_id, text, created_at, attempts, next_attempt_at, status)"
            " VALUES (9001, 'queued before 0006', :at, 0, :at, 'pending')"), {"at": naive})
    before = _counts(empty_engine)
    assert upgrade(empty_engine, "0006") == "0006"
    assert _counts(empty_engine) == before
    with empty_engine.connect() as connection:
        rows = connection.execute(text("SELECT text, voice FROM outbox_message")).all()
        assert rows == [("queued before 0006", None)]
        assert connection.execute(text("SELECT count(*) FROM booking_voice")).scalar_one() == 0
    assert upgrade(empty_engine) == head_revision()
    assert differences(empty_engine) == []
    with session_scope(empty_engine) as session:
        [message] = session.exec(select(OutboxMessage)).scalars()
        assert (message.text, message.voice) == ("queued before 0006", None)
        booking = session.exec(select(Booking).order_by(Booking.id)).scalars().first()
        assert session.exec(select(BookingVoice)).scalars().all() == []
        session.add(BookingVoice(booking_id=booking.id, file_id="AwACAgQ-voice", seconds=42, added_at=NOW))
    with session_scope(empty_engine) as session:
        [voice] = session.exec(select(BookingVoice)).scalars()
        assert (voice.file_id, voice.seconds, voice.added_at) == ("AwACAgQ-voice", 42, NOW)
