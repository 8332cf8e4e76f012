"""Storage: write throughput and database size, the record stored compressed (0004) against the
JSON record of revisions 0001-0003, on SQLite and PostgreSQL, as a table with ratios.

    .venv/bin/python bench/bench_storage.py [--reports 300] [--pg URL]

The reports are real records: the fixture mirrors' detail pages (fixtures/sites/**) parsed once,
repeated with their cell values changed per report (so that every report's record and cells
differ, as a site's reports do). Each report is one transaction (report row, version with the
compressed raw page, cells, checks, attachments), as in a crawl. Three passes per layout: new
reports, the same reports again (unchanged: no new rows), changed reports (a second version each).

Two layouts, each in a database of its own, measured in the same run:
- `json`: a database at revision 0003 written as govcrawl did before 0004: the record as JSON
  (JSONB on PostgreSQL), encoded four times per report (a JSON round trip to plain values, the
  hash's canonical text, the column's JSON);
- `zlib`: the current schema and Repository: the canonical text encoded once, hashed and stored
  zlib-compressed.
Sizes: the whole database (SQLite: the file after a WAL checkpoint; PostgreSQL:
pg_database_size) and the stored records alone. PostgreSQL runs in throwaway databases
`govcrawl_bench_<random>`, dropped afterwards; it is skipped if it cannot connect. No timing is
asserted anywhere: this prints numbers for people.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from govcrawl import PROJECT_ROOT
from govcrawl.ingest import record_from_bytes, sniff_kind
from govcrawl.items import FetchedPage
from govcrawl.record import content_hash
from govcrawl.storage import repository
from govcrawl.storage.db import create_engine_for, upgrade
from govcrawl.storage.repository import Repository, parser_version
from govcrawl.storage.schema import RecordJSON

SITES = PROJECT_ROOT / "fixtures" / "sites"
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
#: report_versions as it was up to revision 0003: the record a JSON document
LEGACY_VERSIONS = sa.Table(
    "report_versions", sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True), sa.Column("report_id", sa.Integer),
    sa.Column("content_hash", sa.String(64)), sa.Column("record_hash", sa.String(64)),
    sa.Column("raw", sa.LargeBinary), sa.Column("raw_compression", sa.Text),
    sa.Column("raw_size", sa.Integer), sa.Column("content_type", sa.Text),
    sa.Column("encoding", sa.Text), sa.Column("hints", _JSON), sa.Column("record", _JSON),
    sa.Column("parser_version", sa.Text), sa.Column("first_seen", sa.DateTime(timezone=True)),
    sa.Column("last_seen", sa.DateTime(timezone=True)),
)


def legacy_public_record(record: dict) -> dict:
    """public_record before 0004: a JSON round trip."""
    clean = {k: v for k, v in record.items() if not str(k).startswith("_")}
    return repository._finite(json.loads(json.dumps(clean, ensure_ascii=False, default=str)))


class LegacyRepository(Repository):
    """Writes versions as govcrawl did up to revision 0003: the record as a JSON document."""

    def _insert_version(self, conn, report_id, public, *, rhash, chash, raw, raw_size, content_type,
                        encoding, hints, first_seen, last_seen, encoded=None):
        version_id = conn.execute(LEGACY_VERSIONS.insert().values(
            report_id=report_id, content_hash=chash, record_hash=rhash, raw=raw,
            raw_compression="zlib" if raw is not None else None, raw_size=raw_size,
            content_type=content_type, encoding=encoding, hints=hints, record=public,
            parser_version=parser_version(), first_seen=first_seen, last_seen=last_seen,
        ).returning(LEGACY_VERSIONS.c.id)).scalar_one()
        self._insert_cells(conn, version_id, public.get("cells") or [])
        self._insert_checks(conn, version_id, public.get("checks") or [])
        self._insert_attachments(conn, version_id, public.get("attachments") or [])
        return version_id


@contextlib.contextmanager
def legacy_encoding():
    """The pre-0004 record encoding: the JSON round trip, and no compressed form (the JSON column
    encodes the record itself)."""
    saved = repository.public_record, RecordJSON.encode
    repository.public_record = legacy_public_record
    RecordJSON.encode = staticmethod(lambda canonical: canonical)  # type: ignore[method-assign]
    try:
        yield
    finally:
        repository.public_record, RecordJSON.encode = saved[0], staticmethod(saved[1])  # type: ignore[method-assign]


def base_records() -> list[tuple[dict, bytes, str]]:
    """(record, page bytes, content type) of every report page of the mirrors."""
    out = []
    for path in sorted(SITES.rglob("*")):
        if not path.is_file() or path.name.endswith(".http.json") or path.name == "robots.txt":
            continue
        data = path.read_bytes()
        kind = sniff_kind(data[:4096], None, path.name)
        text = str(path.relative_to(SITES))
        if kind != "html" or not ("/t20" in text or "/t19" in text or "/art/" in text or "/c/" in text):
            continue
        record = record_from_bytes(data, "http://" + text)
        if record.get("is_report"):
            out.append((record, data, "text/html; charset=utf-8"))
    return out


def make(bases, i: int, version: int = 0):
    record, data, content_type = bases[i % len(bases)]
    rnd = random.Random(i * 1000 + version)
    record = copy.deepcopy(record)
    url = f"http://www.bench.gov.cn/zwgk/ndbg/{i // 100}/t2020_{i}.html"
    record["url"] = url
    for cell in record.get("cells") or []:
        if isinstance(cell.get("value"), int):
            cell["value"] = rnd.randint(0, 500)
            cell["raw"] = str(cell["value"])
    body = data + f"<!-- {i} {version} -->".encode()
    record["content_hash"] = content_hash(body)
    return record, FetchedPage(url=url, body=body, content_type=content_type, encoding="utf-8",
                               etag=f'"{i}-{version}"')


def sizes(engine) -> tuple[int, int]:
    """(database bytes, stored record bytes)."""
    if engine.dialect.name == "sqlite":
        import sqlite3

        path = engine.url.database
        engine.dispose()
        with contextlib.closing(sqlite3.connect(path)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            records = conn.execute("SELECT sum(length(record)) FROM report_versions").fetchone()[0]
        return os.path.getsize(path), int(records or 0)
    with engine.connect() as conn:
        records = conn.execute(sa.text("SELECT sum(pg_column_size(record)) FROM report_versions")).scalar()
        database = conn.execute(sa.text("SELECT pg_database_size(current_database())")).scalar()
    return int(database or 0), int(records or 0)


def bench(url: str, layout: str, bases, n_reports: int) -> tuple[list[tuple], tuple[int, int]]:
    engine = create_engine_for(url)
    legacy = layout == "json"
    upgrade(engine, "0003" if legacy else "head")
    repo = LegacyRepository(engine) if legacy else Repository(engine)
    rows = []
    for label, version in (("new", 0), ("unchanged", 0), ("changed", 1)):
        items = [make(bases, i, version) for i in range(n_reports)]
        run = repo.start_run("bench")
        with legacy_encoding() if legacy else contextlib.nullcontext():
            start = time.perf_counter()
            for record, page in items:
                repo.save_record(record, page, spider="bench", run_id=run)
            elapsed = time.perf_counter() - start
        rows.append((label, elapsed, n_reports / elapsed))
    size = sizes(engine)
    engine.dispose()
    return rows, size


def run_backend(name: str, make_url, bases, n_reports: int) -> dict[str, tuple]:
    results = {}
    for layout in ("json", "zlib"):
        with make_url() as url:
            results[layout] = bench(url, layout, bases, n_reports)
    return results


@contextlib.contextmanager
def sqlite_url(tmp: str):
    path = Path(tmp, f"bench-{uuid.uuid4().hex[:8]}.db")
    yield f"sqlite:///{path}"


@contextlib.contextmanager
def pg_url(admin_url: str):
    import psycopg

    name = f"govcrawl_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{admin_url.rsplit('/', 1)[0]}/{name}"
    finally:
        from govcrawl.storage.db import dispose_engine

        dispose_engine(f"{admin_url.rsplit('/', 1)[0]}/{name}")
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--pg", default=os.environ.get(
        "GOVCRAWL_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args()
    bases = base_records()
    cells = sum(len(r.get("cells") or ()) for r, _, _ in bases) / len(bases)
    record_json = sum(len(json.dumps(repository.public_record(r), ensure_ascii=False).encode())
                      for r, _, _ in bases) / len(bases)
    backends: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        backends["sqlite"] = run_backend("sqlite", lambda: sqlite_url(tmp), bases, args.reports)
    try:
        import psycopg

        psycopg.connect(args.pg, connect_timeout=5).close()
    except Exception as exc:
        print(f"(PostgreSQL skipped: {exc})", file=sys.stderr)
    else:
        backends["postgresql"] = run_backend("postgresql", lambda: pg_url(args.pg), bases, args.reports)

    print(f"storage: {args.reports} reports ({len(bases)} real records repeated: {cells:.0f} cells, "
          f"{record_json / 1024:.1f} KiB of record JSON each), one transaction per report")
    header = (f"{'backend':<11}{'pass':<11}{'json rep/s':>11}{'zlib rep/s':>11}{'ratio':>7}")
    print(header)
    print("-" * len(header))
    for backend, results in backends.items():
        (json_rows, _), (zlib_rows, _) = results["json"], results["zlib"]
        for (label, _, json_rps), (_, _, zlib_rps) in zip(json_rows, zlib_rows):
            print(f"{backend:<11}{label:<11}{json_rps:>11.1f}{zlib_rps:>11.1f}{zlib_rps / json_rps:>7.2f}")
    print()
    header = (f"{'backend':<11}{'size':<10}{'json MiB':>10}{'zlib MiB':>10}{'ratio':>7}"
              f"{'per version json/zlib KiB':>28}")
    print(header)
    print("-" * len(header))
    versions = 2 * args.reports
    for backend, results in backends.items():
        (json_db, json_rec), (zlib_db, zlib_rec) = results["json"][1], results["zlib"][1]
        print(f"{backend:<11}{'database':<10}{json_db / 2**20:>10.1f}{zlib_db / 2**20:>10.1f}"
              f"{zlib_db / json_db:>7.2f}{json_db / versions / 1024:>15.1f} / {zlib_db / versions / 1024:.1f}")
        print(f"{backend:<11}{'records':<10}{json_rec / 2**20:>10.1f}{zlib_rec / 2**20:>10.1f}"
              f"{zlib_rec / json_rec:>7.2f}{json_rec / versions / 1024:>15.1f} / {zlib_rec / versions / 1024:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
