"""Test-wide configuration: database fixtures, and the Hypothesis profile.

The same storage tests run on SQLite and on the real PostgreSQL.

`database_url` is parametrized over both backends. For PostgreSQL a throwaway database
`govcrawl_test_<random>` is created on 127.0.0.1:5432 (user postgres) and dropped afterwards. If
PostgreSQL cannot be reached the PG cases are skipped, unless $CI is set: under CI a missing
PostgreSQL is a failure, not a skip.
"""

from __future__ import annotations

import os
import uuid

import pytest
from hypothesis import settings as hypothesis_settings

# Under CI, property tests draw the same examples every run, so a landing never hangs on a newly
# drawn counter-example; locally every run explores new ones.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

PG_ADMIN_URL = os.environ.get("GOVCRAWL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def _pg_admin_connect():
    import psycopg

    return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)


def _pg_unavailable(exc: Exception):
    message = f"PostgreSQL at {PG_ADMIN_URL} unreachable: {exc}"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI is set: PostgreSQL is required)")
    pytest.skip(message)


@pytest.fixture
def pg_database_url():
    """A fresh, empty PostgreSQL database URL; the database is dropped after the test."""
    try:
        admin = _pg_admin_connect()
    except Exception as exc:  # psycopg.OperationalError and friends
        _pg_unavailable(exc)
    name = f"govcrawl_test_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    url = f"{base}/{name}"
    try:
        yield url
    finally:
        from govcrawl.storage.db import dispose_engine

        dispose_engine(url)
        with _pg_admin_connect() as admin:
            # FORCE: a crawl subprocess killed mid-test may still hold a backend for a moment
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_database_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'govcrawl-test.db'}"
    yield url
    from govcrawl.storage.db import dispose_engine

    dispose_engine(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request):
    """The same test on both backends: `sqlite:///<tmp>` and a throwaway PostgreSQL database."""
    name = "pg_database_url" if request.param == "postgresql" else "sqlite_database_url"
    return request.getfixturevalue(name)


@pytest.fixture
def engine(database_url):
    """A migrated engine on `database_url`."""
    from govcrawl.storage.db import get_engine

    return get_engine(database_url)


@pytest.fixture
def repo(engine):
    from govcrawl.storage.repository import Repository

    return Repository(engine)
