"""The store's schema migrations (Alembic), run from code: `upgrade(...)`, `current(...)`.

The Alembic environment ships inside the package (`bot/store/migrations/`), configured here rather
than by an alembic.ini, so `ddokddok db upgrade` and the bot's own start work from an
installed wheel. Every process that opens the store calls `upgrade`; on PostgreSQL a
transaction-scoped advisory lock makes several processes starting together take turns.

A database made by `SQLModel.metadata.create_all` has no `alembic_version`: one that matches
today's models exactly (the benchmarks and tests make them so) is stamped at head; any other
(made before migrations existed) has the tables of revision 0001, is stamped there and
upgraded from there, so its rows are kept. Future revisions must be
written to upgrade a populated database (add nullable columns or give defaults, move data in
the revision itself) and come with a test in tests/bot/store/test_migrations.py that fills the
previous revision with rows, upgrades, and checks the rows.

Adding a revision: change bot/store/models.py, then
    python -m bot.store.migrate revision "what changed"
which autogenerates a file in bot/store/migrations/versions/ to review by hand.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text
from sqlmodel import SQLModel

import bot.store.models  # noqa: F401  (registers every table on SQLModel.metadata)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The revision whose tables a pre-migration `create_all` database already has.
BASELINE_REVISION = "0001"
# Any number, the same in every process: the key of PostgreSQL's advisory lock for upgrades.
_ADVISORY_LOCK_KEY = 0x646B646B  # "dkdk"

log = logging.getLogger(__name__)


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _engine(engine_or_url: Engine | str) -> tuple[Engine, bool]:
    if isinstance(engine_or_url, Engine):
        return engine_or_url, False
    from bot.store.db import make_engine

    return make_engine(engine_or_url), True


def upgrade(engine_or_url: Engine | str, revision: str = "head") -> str | None:
    """Bring the database up to `revision`; returns the revision it is at afterwards."""
    engine, owned = _engine(engine_or_url)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY})
            config = alembic_config(connection)
            before = MigrationContext.configure(connection).get_current_revision()
            if before is None and _made_by_create_all(connection):
                stamp = "head" if not _differences(connection) else BASELINE_REVISION
                log.info("database made by create_all: stamped at revision %s", stamp)
                command.stamp(config, stamp)
            command.upgrade(config, revision)
        after = current(engine)
        if after != before:
            log.info("database schema upgraded from %s to %s", before or "empty", after)
        return after
    finally:
        if owned:
            engine.dispose()


def current(engine_or_url: Engine | str) -> str | None:
    """The revision the database is at; None for a database without migrations."""
    engine, owned = _engine(engine_or_url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        if owned:
            engine.dispose()


def differences(engine: Engine) -> list:
    """What autogenerate finds between the database and the models: [] when they agree."""
    with engine.connect() as connection:
        return _differences(connection)


def _differences(connection: Connection) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, SQLModel.metadata)


def _made_by_create_all(connection: Connection) -> bool:
    """Tables of the models but no migration history: a database from before migrations."""
    names = set(inspect(connection).get_table_names())
    if "alembic_version" in names:
        return False
    return "resident" in names and "notice_delivery" in names


def _revision(message: str) -> None:  # pragma: no cover - a developer's tool
    """Autogenerate a new revision against a scratch SQLite database at head."""
    import tempfile

    from bot.store.db import make_engine

    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{scratch}/scratch.sqlite3")
        upgrade(engine)
        with engine.begin() as connection:
            config = alembic_config(connection)
            command.revision(config, message=message, autogenerate=True)
        engine.dispose()


if __name__ == "__main__":  # pragma: no cover
    if len(sys.argv) == 3 and sys.argv[1] == "revision":
        _revision(sys.argv[2])
    else:
        sys.exit("usage: python -m bot.store.migrate revision 'what changed'")
