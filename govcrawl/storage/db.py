"""Database URLs, engines, and applying the Alembic migrations.

`GOVCRAWL_DATABASE_URL` (Scrapy setting, env var, or `--database-url`) defaults to
`sqlite:///govcrawl.db` in the working directory. A plain `postgresql://` (or `postgres://`) URL
is mapped to psycopg 3 (`postgresql+psycopg://`), the driver we pin; SQLAlchemy would otherwise
pick psycopg2, which is not installed.

The migrations are read through `importlib.resources`, so they load from a zipped package too (a
scrapyd egg, a wheel on sys.path): Alembic needs a directory, so a zipped copy is extracted once
per process into a temporary one.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from importlib import resources
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

DEFAULT_DATABASE_URL = "sqlite:///govcrawl.db"
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


_migrations_dir: Path | None = None
_migrations_lock = threading.Lock()  # not _engines_lock: get_engine holds that while upgrading


def migrations_dir() -> Path:
    """A directory holding govcrawl/migrations: the package's own, or, when the package is zipped
    (an egg or a wheel imported from its archive), a copy extracted for this process."""
    global _migrations_dir
    with _migrations_lock:
        if _migrations_dir is None:
            source = resources.files("govcrawl") / "migrations"
            if isinstance(source, Path):
                _migrations_dir = source
            else:
                target = Path(tempfile.mkdtemp(prefix="govcrawl-migrations-"))
                atexit.register(shutil.rmtree, target, ignore_errors=True)
                _copy_tree(source, target / "migrations")
                _migrations_dir = target / "migrations"
        return _migrations_dir


def _copy_tree(source, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        if entry.is_dir():
            if entry.name != "__pycache__":
                _copy_tree(entry, target / entry.name)
        elif entry.name.endswith((".py", ".mako", ".ini")):
            (target / entry.name).write_bytes(entry.read_bytes())


def alembic_config(connection=None, url: str | None = None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the migrations up to `revision` (idempotent; safe with concurrent processes on PG)."""
    from alembic import command

    from govcrawl.storage.views import create_views, drop_views

    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # a transaction-scoped lock: two crawls starting at once must not both create tables
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_UPGRADE_LOCK})
        # the views (govcrawl/storage/views.py) are derived: dropped so that no migration trips on
        # a view naming a table it rebuilds, created again from the code's SQL afterwards
        drop_views(connection)
        command.upgrade(alembic_config(connection), revision)
        create_views(connection)


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


def absolute_sqlite_url(url: str) -> str:
    """A relative SQLite URL made absolute against the working directory (the same file): a
    summary or a log that names the database names it wherever cron ran the command."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/"):
        path = url[len(prefix):]
        if path and not path.startswith(":memory:") and not path.startswith("file:"):
            return prefix + os.path.abspath(path)
    return url


def display_url(url: str) -> str:
    """The URL with any password hidden and a SQLite path made absolute, for logs and summaries."""
    return make_url(normalize_url(absolute_sqlite_url(url))).render_as_string(hide_password=True)
