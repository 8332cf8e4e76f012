"""A SQLite copy of a govcrawl database, for readers that open SQLite files only (Datasette).

    snapshot_to_sqlite(source_url, path) -> {table: rows copied}

The copy is a govcrawl database like any other: created by the migrations (so the views of
govcrawl/storage/views.py exist), then filled table by table in dependency order, in batches,
from one read transaction of the source (a consistent state, even while a crawl writes to it).
The raw fetched pages (`report_versions.raw`, most of the database's size) are left out: the
records, cells, checks and runs are what a reader browses; `raw_size` still says how large each
page was. A file already at `path` is replaced.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from govcrawl.storage.db import dispose_engine, get_engine
from govcrawl.storage.schema import metadata

#: columns not copied: table -> column names
LEFT_OUT = {"report_versions": ("raw", "raw_compression")}
BATCH = 1000


def snapshot_to_sqlite(source_url: str, path: Path | str) -> dict[str, int]:
    path = Path(path)
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    target_url = f"sqlite:///{path}"
    source, target = get_engine(source_url), get_engine(target_url)
    copied: dict[str, int] = {}
    try:
        with source.connect() as reader, target.begin() as writer:
            if source.dialect.name == "postgresql":
                reader.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            for table in metadata.sorted_tables:
                columns = [c for c in table.c if c.name not in LEFT_OUT.get(table.name, ())]
                rows = reader.execution_options(yield_per=BATCH).execute(
                    sa.select(*columns).order_by(*table.primary_key.columns))
                n = 0
                for batch in rows.partitions(BATCH):
                    writer.execute(table.insert(), [dict(row._mapping) for row in batch])
                    n += len(batch)
                copied[table.name] = n
    finally:
        dispose_engine(target_url)
    return copied
