"""Opening the database and running units of work against it.

SQLite is the default (one file in the user's data folder); a PostgreSQL URL
(`postgresql+psycopg://…`) works too, so nothing here or in the services uses SQLite-only SQL.
The schema comes from the migrations in `bot.migrate`. SQLite gets the settings a bot that
writes from several handlers needs: WAL (readers do not block the writer), foreign keys
(off by default in SQLite), a busy timeout, and real transactions (see `_use_sqlite_transactions`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

import bot.models  # noqa: F401  (registers every table on SQLModel.metadata)

SQLITE_BUSY_TIMEOUT_SECONDS = 15


def make_engine(database_url: str, *, echo: bool = False) -> Engine:
    """An engine for `database_url`; for a SQLite file, its folder is created on first use.

    An in-memory SQLite URL (`sqlite://`) gets a `StaticPool`, so every session of the engine
    sees the same database: that is what the tests use.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, echo=echo, pool_pre_ping=True)

    in_memory = url.database in (None, "", ":memory:")
    if in_memory:
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False},
            poolclass=StaticPool,
        )
    else:
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            # The bot's handlers and the outbox sender may run on different threads.
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
        )
    _use_sqlite_transactions(engine, wal=not in_memory)
    return engine


def _use_sqlite_transactions(engine: Engine, *, wal: bool) -> None:
    """Switch on foreign keys and WAL, and let SQLAlchemy emit BEGIN itself.

    Python's sqlite3 module (before 3.12's `autocommit`) does not begin a transaction for
    SELECT or SAVEPOINT, which breaks the savepoint that makes booking creation idempotent;
    this is SQLAlchemy's documented recipe for that.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            if wal:
                cursor.execute("PRAGMA journal_mode=WAL")
                # In WAL mode NORMAL never corrupts the database and survives the bot crashing;
                # only a power cut or OS crash may lose the last commits. It saves an fsync
                # per message, most of the cost of a turn.
                cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        # Straight to the driver: every unit of work begins here, and SQLAlchemy's statement
        # machinery (events, result set-up) costs more than BEGIN itself.
        connection.connection.driver_connection.execute("BEGIN")


def create_schema(engine: Engine) -> None:
    """Create every missing table (existing tables are left as they are).

    For throwaway databases (tests, benchmarks): the bot's own store is created and upgraded by
    the migrations (`bot.migrate.upgrade`), which also recognise a database made by this.
    """
    SQLModel.metadata.create_all(engine)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commits when the block ends, rolls back if it raises.

    Objects stay readable after the commit (`expire_on_commit=False`), so a handler can render
    a booking it has just saved without another query.
    """
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
