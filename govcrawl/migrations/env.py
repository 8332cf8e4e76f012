"""Alembic environment for govcrawl's storage schema.

Run programmatically by govcrawl.storage.db.upgrade (on first connect, and `govcrawl db upgrade`),
which passes an open connection in `config.attributes["connection"]`. The version table is
`govcrawl_alembic_version` so a downstream database can keep its own Alembic history next to ours.
"""

from alembic import context

from govcrawl.storage.schema import metadata

VERSION_TABLE = "govcrawl_alembic_version"

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from govcrawl.storage.db import create_engine_for

        engine = create_engine_for(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as connection:
            _run(connection)
        engine.dispose()
        return
    _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        # SQLite cannot ALTER most things: batch mode recreates tables for later migrations
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("govcrawl migrations run online only (govcrawl db upgrade)")
run_migrations_online()
