"""Storage for downstream databases and incremental runs (SQLAlchemy Core + Alembic).

- schema.py      the tables (reports, report_versions, cells, checks, attachments, crawl_runs,
                 crawl_failures, pages), identical on SQLite and PostgreSQL
- db.py          GOVCRAWL_DATABASE_URL, engines, migrations applied on first connect
- repository.py  one-transaction writes of a report; marking seen / missing; reparse versions
- crawl.py       a crawl's run row, counts and failures (shared by pipeline and middleware)
- middleware.py  ConditionalRequestMiddleware (If-None-Match / If-Modified-Since, 304 -> seen)
- commands.py    `govcrawl reparse`, `govcrawl export`, `govcrawl db upgrade`
"""

from govcrawl.storage.db import (  # noqa: F401
    DEFAULT_DATABASE_URL,
    dispose_engines,
    get_engine,
    normalize_url,
    resolve_database_url,
    upgrade,
)
from govcrawl.storage.repository import Repository  # noqa: F401
