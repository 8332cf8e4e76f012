"""`govcrawl reparse`, `govcrawl export`, `govcrawl db` (registered by govcrawl/cli.py).

    govcrawl db upgrade [--database-url URL]            apply the storage migrations
    govcrawl db current                                 print the schema revision
    govcrawl reparse [--spider S] [--url U]             re-run extraction and parsing over the stored
                                                        raw pages (no network); new versions only
                                                        where the parsed record changed
    govcrawl export {reports,cells,checks,records} --format jsonl|csv [-o FILE]

Every command takes `--database-url` (default: $GOVCRAWL_DATABASE_URL, else sqlite:///govcrawl.db).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from datetime import date, datetime

import sqlalchemy as sa

from govcrawl.storage.db import (
    create_engine_for,
    current_revision,
    display_url,
    get_engine,
    read_connection,
    resolve_database_url,
    upgrade,
)
from govcrawl.storage.repository import Repository, decompress
from govcrawl.storage.schema import cells, checks, report_versions, reports

#: export columns, in order (CSV header and JSON keys)
EXPORT_COLUMNS = {
    "reports": ("report_id", "url", "spider", "agency", "year", "title", "published", "format",
                "source_url", "status", "first_seen", "last_seen", "last_fetched", "version_id",
                "content_hash", "parser_version"),
    "cells": ("url", "version_id", "seq", "table", "row", "col", "value", "raw", "unit"),
    "checks": ("url", "version_id", "seq", "rule", "at", "status", "left", "right"),
}


def _add_database_url(parser) -> None:
    parser.add_argument("--database-url", default=None,
                        help="SQLAlchemy URL (default: $GOVCRAWL_DATABASE_URL, else "
                             "sqlite:///govcrawl.db); postgresql:// uses psycopg 3")


def register(subparsers) -> None:
    p = subparsers.add_parser("db", help="storage database maintenance (migrations)")
    db_sub = p.add_subparsers(dest="db_command", required=True)
    q = db_sub.add_parser("upgrade", help="apply the storage migrations (idempotent)")
    q.add_argument("--revision", default="head")
    _add_database_url(q)
    q.set_defaults(func=cmd_db_upgrade)
    q = db_sub.add_parser("current", help="print the storage schema revision")
    _add_database_url(q)
    q.set_defaults(func=cmd_db_current)

    p = subparsers.add_parser(
        "reparse", help="re-parse the stored raw pages (no network); new versions where changed")
    p.add_argument("--spider", help="only this spider's reports")
    p.add_argument("--url", help="only the report at this URL")
    p.add_argument("--dry-run", action="store_true", help="count changes, write nothing")
    _add_database_url(p)
    p.set_defaults(func=cmd_reparse)

    p = subparsers.add_parser("export", help="export stored reports, cells or checks")
    p.add_argument("what", choices=("reports", "cells", "checks", "records"),
                   help="records: the full current record of each report (jsonl only)")
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    p.add_argument("-o", "--output", help="output file (default: stdout)")
    p.add_argument("--spider", help="only this spider's reports")
    p.add_argument("--status", choices=("active", "missing"), help="only reports with this status")
    p.add_argument("--all-versions", action="store_true",
                   help="cells/checks of every stored version, not only the current one")
    _add_database_url(p)
    p.set_defaults(func=cmd_export)


# --- db ------------------------------------------------------------------------------------------
def cmd_db_upgrade(args) -> int:
    url = resolve_database_url(args.database_url)
    engine = create_engine_for(url)
    try:
        upgrade(engine, args.revision)
        print(f"{display_url(url)}: at revision {current_revision(engine)}")
    finally:
        engine.dispose()
    return 0


def cmd_db_current(args) -> int:
    url = resolve_database_url(args.database_url)
    engine = create_engine_for(url)
    try:
        print(current_revision(engine) or "(empty)")
    finally:
        engine.dispose()
    return 0


# --- reparse -------------------------------------------------------------------------------------
def reparse(engine, *, spider: str | None = None, url: str | None = None,
            dry_run: bool = False, log=None) -> dict[str, int]:
    """Re-run `record_from_bytes` over every current version's stored bytes. Returns counts."""
    from govcrawl.ingest import record_from_bytes
    from govcrawl.storage.repository import public_record, record_hash

    repo = Repository(engine)
    counts = {"reports": 0, "unchanged": 0, "changed": 0, "reverted": 0, "no_raw": 0, "errors": 0}
    for report_id, report_url, version_id in repo.current_versions(spider=spider, url=url):
        counts["reports"] += 1
        version = repo.load_version(version_id)
        raw = decompress(version.raw, version.raw_compression)
        if raw is None:
            counts["no_raw"] += 1
            continue
        try:
            record = record_from_bytes(raw, report_url, content_type=version.content_type,
                                       encoding=version.encoding, hints=version.hints or None)
        except Exception as exc:  # one bad page must not stop a reparse of thousands
            counts["errors"] += 1
            if log:
                log(f"reparse: {report_url}: {type(exc).__name__}: {exc}")
            continue
        if dry_run:
            same = record_hash(public_record(record)) == version.record_hash
            counts["unchanged" if same else "changed"] += 1
            continue
        counts[repo.add_reparsed_version(report_id, version_id, record)] += 1
    return counts


def cmd_reparse(args) -> int:
    engine = get_engine(args.database_url)
    counts = reparse(engine, spider=args.spider, url=args.url, dry_run=args.dry_run,
                     log=lambda m: print(m, file=sys.stderr))
    print("reparse: " + ", ".join(f"{k} {v}" for k, v in counts.items())
          + (" (dry run)" if args.dry_run else ""))
    return 1 if counts["errors"] and counts["errors"] == counts["reports"] else 0


# --- export --------------------------------------------------------------------------------------
def _filters(query, spider: str | None, status: str | None):
    if spider:
        query = query.where(reports.c.spider == spider)
    if status:
        query = query.where(reports.c.status == status)
    return query


def export_rows(engine, what: str, *, spider: str | None = None, status: str | None = None,
                all_versions: bool = False) -> Iterator[dict]:
    """The rows of one export, as dicts of JSON-ready values, in a stable order."""
    v = report_versions
    if what == "reports":
        query = (sa.select(reports.c.id.label("report_id"), reports.c.url, reports.c.spider,
                           reports.c.agency, reports.c.year, reports.c.title, reports.c.published,
                           reports.c.format, reports.c.source_url, reports.c.status,
                           reports.c.first_seen, reports.c.last_seen, reports.c.last_fetched,
                           reports.c.current_version_id.label("version_id"), v.c.content_hash,
                           v.c.parser_version)
                 .select_from(reports.outerjoin(v, v.c.id == reports.c.current_version_id))
                 .order_by(reports.c.id))
    elif what == "records":
        query = (sa.select(v.c.record).select_from(
            reports.join(v, v.c.id == reports.c.current_version_id)).order_by(reports.c.id))
    elif what in ("cells", "checks"):
        table = cells if what == "cells" else checks
        link = (v.c.report_id == reports.c.id) if all_versions else \
            (v.c.id == reports.c.current_version_id)
        columns = [reports.c.url, table.c.version_id] + [table.c[name] for name in
                                                         EXPORT_COLUMNS[what][2:]]
        query = (sa.select(*columns)
                 .select_from(reports.join(v, link).join(table, table.c.version_id == v.c.id))
                 .order_by(reports.c.id, table.c.version_id, table.c.seq))
    else:
        raise ValueError(f"unknown export {what!r}")
    query = _filters(query, spider, status)
    # a read connection: on SQLite an export must not hold the write lock a running crawl needs
    with read_connection(engine) as conn:
        result = conn.execution_options(yield_per=1000).execute(query)
        for row in result:
            if what == "records":
                yield row.record
            else:
                yield {k: _json_value(val) for k, val in row._mapping.items()}


def _json_value(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    # numbers are stored as doubles; a whole number is printed as the int the record had
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
        return int(value)
    return value


def write_export(rows: Iterator[dict], what: str, fmt: str, out) -> int:
    n = 0
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
        return n
    if what == "records":
        raise ValueError("records export is JSON Lines only (nested record)")
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS[what], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if val is None else val for k, val in row.items()})
        n += 1
    return n


def cmd_export(args) -> int:
    if args.what == "records" and args.format != "jsonl":
        raise ValueError("records export is JSON Lines only (nested record)")
    engine = get_engine(args.database_url)
    rows = export_rows(engine, args.what, spider=args.spider, status=args.status,
                       all_versions=args.all_versions)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            n = write_export(rows, args.what, args.format, out)
        print(f"export: {n} {args.what} row(s) -> {args.output}", file=sys.stderr)
    else:
        write_export(rows, args.what, args.format, sys.stdout)
    return 0
