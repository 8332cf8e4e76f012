"""Database URLs, engines, and applying the Alembic migrations.

`GOVCRAWL_DATABASE_URL` (Scrapy setting, env var, or `--database-url`) defaults to
`sqlite:///govcrawl.db` in the working directory. A plain `postgresql://` (or `postgres://`) URL
is mapped to psycopg 3 (`postgresql+psycopg://`), the driver we pin; SQLAlchemy would otherwise
pick psycopg2, which is not installed.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

DEFAULT_DATABASE_URL = "sqlite:///govcrawl.db"
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
#: arbitrary constant key of the PostgreSQL advisory lock that serialises concurrent upgrades
_PG_UPGRADE_LOCK = 0x60C4A71

_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def resolve_database_url(url: str | None = None) -> str:
    """The URL to use: the given one, else $GOVCRAWL_DATABASE_URL, else the SQLite default."""
    return url or os.environ.get("GOVCRAWL_DATABASE_URL") or DEFAULT_DATABASE_URL


def normalize_url(url: str) -> str:
    """Map bare PostgreSQL URLs to the psycopg 3 driver; leave anything explicit alone."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _sqlite_pragmas(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    # WAL: readers (the conditional-request middleware) never block the writer, and a killed
    # process leaves the last committed state; busy_timeout: concurrent crawls wait, not fail
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_engine_for(url: str | None = None, **kwargs) -> Engine:
    """A new engine for `url` (not migrated, not cached)."""
    url = normalize_url(resolve_database_url(url))
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = sa.create_engine(url, **kwargs)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling defers BEGIN until the first write, so a transaction
        # that reads then writes can hit "database is locked" without waiting: begin explicitly
        sa.event.listen(engine, "connect", _disable_pysqlite_begin)
        sa.event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return sa.create_engine(url, **kwargs)


def _disable_pysqlite_begin(dbapi_connection, _record):
    dbapi_connection.isolation_level = None


def _sqlite_begin_immediate(conn):
    # IMMEDIATE takes the write lock up front (waiting busy_timeout for it), so two writers never
    # deadlock upgrading a read lock; read-only connections (`readonly(conn)`) begin deferred so
    # lookups never queue behind writers (WAL readers see the last commit)
    if conn.get_execution_options().get("govcrawl_readonly"):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def read_connection(engine: Engine):
    """A connection for reads only (on SQLite it does not take the write lock)."""
    return engine.connect().execution_options(govcrawl_readonly=True)


def alembic_config(connection=None, url: str | None = None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the migrations up to `revision` (idempotent; safe with concurrent processes on PG)."""
    from alembic import command

    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # a transaction-scoped lock: two crawls starting at once must not both create tables
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_UPGRADE_LOCK})
        command.upgrade(alembic_config(connection), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"version_table": "govcrawl_alembic_version"})
        return context.get_current_revision()


def get_engine(url: str | None = None, *, migrate: bool = True) -> Engine:
    """The process-wide engine for `url`, migrated to the newest schema on first use."""
    url = normalize_url(resolve_database_url(url))
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            engine = create_engine_for(url)
            if migrate:
                upgrade(engine)
            _engines[url] = engine
        return engine


def dispose_engine(url: str | None = None) -> None:
    url = normalize_url(resolve_database_url(url))
    with _engines_lock:
        engine = _engines.pop(url, None)
    if engine is not None:
        engine.dispose()


def dispose_engines() -> None:
    with _engines_lock:
        engines = list(_engines.values())
        _engines.clear()
    for engine in engines:
        engine.dispose()


def display_url(url: str) -> str:
    """The URL with any password hidden, for logs and summaries."""
    return make_url(normalize_url(url)).render_as_string(hide_password=True)
