"""Opening the database and running units of work against it.

SQLite is the default (one file in the user's data folder); a PostgreSQL URL
(`postgresql+psycopg://…`) works too, so nothing here or in the services uses SQLite-only SQL.
The schema comes from the migrations in `bot.store.migrate`. SQLite gets the settings a bot that
writes from several handlers needs: WAL (readers do not block the writer), foreign keys
(off by default in SQLite), a busy timeout, and real transactions (see `_use_sqlite_transactions`).

One rule for database work on SQLite: a unit of work that may write begins as a writer
(`BEGIN IMMEDIATE`). A turn reads before it writes; begun as a reader, its write fails at once
with "database is locked" whenever another connection (a timed job on its thread) committed in
between, because WAL cannot move a reader's snapshot forward and the busy timeout does not apply
to that case. Begun as a writer, it waits (up to the busy timeout) for the other writer to
finish instead, so no code path depends on the jobs never overlapping a turn. Work that only
reads says so (`read_scope`) and stays a plain reader that never waits.

Inside one process, writers on SQLite also take turns on a lock (`_writer_lock`): SQLite's own
wait polls with sleeps of up to 100 ms, so a turn queued behind the notice sender's short
writes would lose most of its time sleeping; the lock hands over at once. The busy timeout
still orders writers of different processes (a command run beside the bot).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

import bot.store.models  # noqa: F401  (registers every table on SQLModel.metadata)

SQLITE_BUSY_TIMEOUT_SECONDS = 15
# An execution option: connections of `engine.execution_options(**{READ_ONLY: True})` begin as
# plain readers on SQLite (see `read_scope`).
READ_ONLY = "ddokddok_read_only"


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
        # machinery (events, result set-up) costs more than BEGIN itself. A writer from the
        # start unless the work said it only reads (the module doc says why).
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.connection.driver_connection.execute("BEGIN" if read_only else "BEGIN IMMEDIATE")


def create_schema(engine: Engine) -> None:
    """Create every missing table (existing tables are left as they are).

    For throwaway databases (tests, benchmarks): the bot's own store is created and upgraded by
    the migrations (`bot.store.migrate.upgrade`), which also recognise a database made by this.
    """
    SQLModel.metadata.create_all(engine)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work that may write: commits when the block ends, rolls back if it raises.

    On SQLite it holds the write lock from its first statement to its end, so keep it short and
    never await the network inside it. Objects stay readable after the commit
    (`expire_on_commit=False`), so a handler can render a booking it has just saved without
    another query.
    """
    with _writer_lock(engine), _scope(engine) as session:
        yield session


_writer_locks: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()
_writer_locks_guard = threading.Lock()


def _writer_lock(engine: Engine):
    """SQLite's writers of this process, one at a time (see the module doc); none elsewhere.

    Re-entrant so that a unit of work opened inside another on the same thread fails on
    SQLite's busy timeout with an error, as it would without the lock, instead of hanging.
    """
    if engine.dialect.name != "sqlite":
        return nullcontext()
    with _writer_locks_guard:
        lock = _writer_locks.get(engine)
        if lock is None:
            lock = _writer_locks[engine] = threading.RLock()
    return lock


@contextmanager
def read_scope(engine: Engine) -> Iterator[Session]:
    """A unit of work that only reads (reports, lists): never waits for a writer on SQLite.

    A write inside it may fail with "database is locked" when another connection wrote
    meanwhile: use `session_scope` for anything that may write.
    """
    with _scope(engine.execution_options(**{READ_ONLY: True})) as session:
        yield session


@contextmanager
def _scope(bind: Engine) -> Iterator[Session]:
    session = Session(bind, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
