"""The one composition root: settings → store → catalog and matcher → conversation → adapters and jobs.

Every long-running entry point (`ddokddok run`, `serve`, `chat`, the benchmarks) is put together
here, in this order, from the `Settings` that `main()` built once; the Telegram adapter's
`build_application` then registers the handlers and the timed jobs. What can be refused is
refused before anything starts (a catalog without districts, a database or a Bot API that does
not answer), each as one `StartupError` line. Heavy imports (the store, Telegram, the matcher)
happen in the functions that need them, so the catalog's own commands stay quick to start.
"""

from __future__ import annotations

import gc
import logging
from typing import TYPE_CHECKING

from bot.core.settings import Settings
from catalog.loader import load_catalog

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from bot.core.clock import Clock
    from catalog import Catalog

log = logging.getLogger(__name__)


class StartupError(Exception):
    """A setting that cannot work, found at start: printed as one line, exit code 2."""


def open_store(settings: Settings) -> Engine:
    """The database of `settings`, migrated to the newest schema (created on first use).

    A database that does not answer (no server at the address, a folder that cannot be made, a
    file that is not a database) is a `CommandError` naming DATABASE_URL, its password hidden.
    """
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError

    from bot.store.db import make_engine
    from bot.store.migrate import upgrade

    shown = make_url(settings.database_url).render_as_string(hide_password=True)
    try:
        engine = make_engine(settings.database_url)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except DBAPIError as error:
        reason = (str(error.orig).strip().splitlines() or [type(error.orig).__name__])[0]
        raise StartupError(f"cannot open the database {shown} (DATABASE_URL): {reason}") from None
    except OSError as error:  # the SQLite file's folder cannot be created
        reason = error.strerror or str(error)
        raise StartupError(f"cannot open the database {shown} (DATABASE_URL): {reason}") from None
    upgrade(engine)
    return engine


def close_store(engine: Engine) -> None:
    """Fold SQLite's write-ahead log into the database file, then close every connection.

    In WAL mode the latest writes sit in the `-wal` file beside the database until a checkpoint
    copies them in, so a backup that copied only the main file after a stop lost 20 of 100
    residents. SQLite checkpoints by itself when its last connection closes, but a long-running
    command never closed its connections (start-up's objects are frozen, see
    `settle_for_a_long_run`). TRUNCATE also empties the `-wal` file. A failure is logged, never
    raised: the bot is stopping and its data is safe in the WAL either way.
    """
    try:
        if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
            engine.dispose()  # this process's idle connections, so none holds an old snapshot
            connection = engine.raw_connection()  # no BEGIN: a checkpoint cannot run in one
            try:
                busy, _, _ = connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                connection.close()
            if busy:
                log.warning("the database's WAL file is still in use by another process; it is "
                            "folded into the database when that one stops")
    except Exception as error:  # noqa: BLE001 (see the docstring)
        log.warning("could not checkpoint the database on stop (%s)", type(error).__name__)
    finally:
        engine.dispose()


def catalog_for_residents(settings: Settings) -> Catalog:
    """The catalog of `settings`, refused when it has no district: the first question a resident
    is asked is their district, and it would have no answer to press."""
    catalog = load_catalog(settings.catalog_paths)
    if not catalog.districts:
        raise StartupError("the catalog (CATALOG_PATHS) has no district: residents could not choose "
                           "theirs; add one, or unset CATALOG_PATHS for the bundled catalog")
    return catalog


def check_bot_api(settings: Settings) -> None:
    """Wait for the Bot API to answer, for up to TELEGRAM_START_RETRY_SECONDS (bot.cli.startup_checks)."""
    from bot.adapters.telegram import bot_api_base_url
    from bot.cli.startup_checks import wait_for_bot_api

    assert settings.telegram_bot_token is not None
    wait_for_bot_api(base_url=bot_api_base_url(settings.telegram_api_base_url),
                     token=settings.telegram_bot_token.get_secret_value(),
                     patience_seconds=settings.telegram_start_retry_seconds)


def build_conversation(settings: Settings, engine: Engine, *, clock: Clock | None = None,
                       catalog: Catalog | None = None):
    """The conversation over the catalog of `settings` (catalog and matcher built once, the
    learned tiers' files read when the matcher is built), ready for its first message."""
    from bot.conversation.engine import Conversation
    from bot.core.clock import utc_now
    from catalog.matcher import Matcher

    catalog = catalog if catalog is not None else catalog_for_residents(settings)
    return Conversation(
        catalog=catalog, matcher=Matcher(catalog), engine=engine, settings=settings, clock=clock or utc_now
    )


def settle_for_a_long_run() -> None:
    """Leave what start-up built out of the cycle collector's later full collections.

    The catalog, the matcher's index and the application live as long as the process, and a
    full collection walks every one of their objects (about 80 ms with the bundled catalog,
    220 ms with 5,000 programs), in the middle of whichever message is being answered, again
    and again over a long run. Frozen once, after start-up's own garbage is freed, they are
    never walked again; what the bot makes later is collected as usual.
    """
    gc.collect()
    gc.freeze()
