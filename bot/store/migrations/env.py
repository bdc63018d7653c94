"""Alembic's environment for the bot's store, configured by `bot.store.migrate` (no alembic.ini).

`bot.store.migrate` hands over a live connection in `config.attributes["connection"]`; the models'
metadata (`SQLModel.metadata`, every table registered by `bot.store.models`) is what autogenerate
compares against. SQLite cannot ALTER most things, so batch mode is on for it.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import bot.store.models  # noqa: F401  (registers every table on SQLModel.metadata)

target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():  # pragma: no cover - `bot.store.migrate` always passes a connection
    raise RuntimeError("ddokddok's migrations run online only, through bot.store.migrate")
run_migrations_online()
