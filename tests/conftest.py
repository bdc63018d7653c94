"""Suite-wide settings: caches and data of the product go to a temporary folder, never $HOME.

The test database is chosen here, in one place: in-memory SQLite by default, or the database
of `DDOKDDOK_TEST_DATABASE_URL`, e.g.

    DDOKDDOK_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test pytest

On PostgreSQL every test gets a schema of its own (`CREATE SCHEMA t_…`, reached through the
connection's `search_path`), dropped afterwards: tests are isolated and can run against a
database that holds other things. When that server cannot be reached, every test that needs
the database is skipped with the reason, except under CI (`CI=true`), where the run fails.
"""

from __future__ import annotations

import functools
import os
import tempfile
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest

_scratch = tempfile.mkdtemp(prefix="ddokddok-tests-")
os.environ.setdefault("DDOKDDOK_CACHE_DIR", os.path.join(_scratch, "cache"))

TEST_DATABASE_URL = os.environ.get("DDOKDDOK_TEST_DATABASE_URL") or None
_unreachable: str | None = None


def is_postgresql(url: str | None) -> bool:
    return bool(url) and url.startswith("postgresql")


def postgresql_problem(url: str) -> str | None:
    """None when `url` answers, else why not (one line)."""
    try:
        import psycopg
        from sqlalchemy.engine import make_url

        parsed = make_url(url).set(drivername="postgresql")
        with psycopg.connect(parsed.render_as_string(hide_password=False), connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 - any failure means "not usable here"
        return f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error) else ''}"
    return None


def pytest_configure(config) -> None:
    global _unreachable
    if not is_postgresql(TEST_DATABASE_URL):
        return
    problem = postgresql_problem(TEST_DATABASE_URL)
    if problem is None:
        return
    message = f"PostgreSQL test database {TEST_DATABASE_URL} is not reachable ({problem})"
    if os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(message + "; under CI=true the PostgreSQL run must not be skipped")
    _unreachable = message


def pytest_report_header(config) -> str:
    if _unreachable:
        return f"test database: SKIPPING database tests: {_unreachable}"
    return f"test database: {TEST_DATABASE_URL or 'in-memory SQLite (set DDOKDDOK_TEST_DATABASE_URL for PostgreSQL)'}"


@pytest.fixture
def test_database_url() -> Iterator[str | None]:
    """An isolated database URL for one test (PostgreSQL: a fresh schema), or None for SQLite."""
    if TEST_DATABASE_URL is None:
        yield None
        return
    if _unreachable:
        pytest.skip(_unreachable)
    if not is_postgresql(TEST_DATABASE_URL):
        yield TEST_DATABASE_URL
        return
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in TEST_DATABASE_URL else "?"
    try:
        yield f"{TEST_DATABASE_URL}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as connection:
            # A connection the test leaked may still lock a table: better a schema left behind
            # (named t_…, harmless) than a teardown that hangs.
            connection.execute(text("SET lock_timeout = '10s'"))
            try:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            except Exception as error:  # noqa: BLE001
                import warnings

                warnings.warn(f"could not drop test schema {schema}: {error}", stacklevel=1)
        admin.dispose()


@pytest.fixture
def postgresql_url() -> str:
    """The configured PostgreSQL server (for tests that make schemas of their own), or skip."""
    if not is_postgresql(TEST_DATABASE_URL):
        pytest.skip("needs PostgreSQL: set DDOKDDOK_TEST_DATABASE_URL=postgresql+psycopg://…")
    if _unreachable:
        pytest.skip(_unreachable)
    return TEST_DATABASE_URL


@pytest.fixture
def engine(test_database_url):
    """The store for one test: in-memory SQLite (one shared connection, `StaticPool`, with the
    pragmas and events of production), or the test's own schema of the configured database."""
    from bot.store.db import create_schema, make_engine

    engine = make_engine(test_database_url or "sqlite://")
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.exec_driver_sql(_postgresql_tables_script())
    else:
        create_schema(engine)
    yield engine
    engine.dispose()


@functools.cache
def _postgresql_tables_script() -> str:
    """Every table and index of the models as one DDL script, compiled once per run: in a
    fresh schema, one round trip instead of `create_all`'s lookup and statement per table
    (0.10 s a test instead of 0.18 s on PostgreSQL, some 750 times a run)."""
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateIndex, CreateTable
    from sqlmodel import SQLModel

    import bot.store.models  # noqa: F401  (registers every table)

    dialect = postgresql.dialect()
    statements = []
    for table in SQLModel.metadata.sorted_tables:
        statements.append(str(CreateTable(table).compile(dialect=dialect)))
        statements.extend(str(CreateIndex(index).compile(dialect=dialect)) for index in table.indexes)
    return ";\n".join(statements)
