"""`govcrawl db`, `reparse`, `export`, `runs`, `failures` (registered by govcrawl/cli.py).

    govcrawl db upgrade [--database-url URL]            apply the storage migrations
    govcrawl db current                                 print the schema revision
    govcrawl reparse [--spider S] [--url U]             re-run extraction and parsing over the stored
                                                        raw pages (no network); new versions only
                                                        where the parsed record changed
    govcrawl export WHAT --format jsonl|csv [-o FILE] [--bom] [filters]
        WHAT: reports, cells, checks, records (jsonl), measures, wide (one row per report, one
        column per measure: docs/measures.md), or all (with --datapackage)
        filters: --spider, --status, --year Y, --since DATE (new or changed since), --agency
        NAME|KEY, --region CODE (520400: 安顺市 and everything in it)
        --datapackage DIR: write DIR/WHAT.csv and describe it in DIR/datapackage.json
    govcrawl runs [-n N] [--spider S] [--plot FILE.png]  the last runs and their counts
    govcrawl failures [--last | --run ID] [--spider S]  the failed and blocked pages of a run

Every command takes `--database-url` (default: $GOVCRAWL_DATABASE_URL, else sqlite:///govcrawl.db).
"""

from __future__ import annotations

import csv
import json
import os
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

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
from govcrawl.storage.schema import cells, checks, crawl_failures, crawl_runs, report_versions, reports
from govcrawl.storage.views import MEASURES

#: the report identity every row-level export carries, after its own columns (appended, so CSV
#: readers that go by position keep working)
IDENTITY = (("report_id", "integer", "reports.id"),
            ("agency", "string", "the agency as the report names it"),
            ("agency_key", "string", "one key per agency: <region_code>:<canonical body>"),
            ("region_code", "string", "6-digit division code (GB/T 2260); a region is a prefix"),
            ("year", "integer", "the year the report covers"),
            ("format", "string", "statistics (pre-2019), 2019, 2021 or none"))

#: export -> ((column, Table Schema type, description), ...), in order (CSV header, JSON keys,
#: datapackage.json fields)
EXPORT_FIELDS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "reports": (
        ("report_id", "integer", "reports.id"),
        ("url", "string", "the page the report was read from"),
        ("spider", "string", "the spider that stored it"),
        ("agency", "string", "the agency as the report names it"),
        ("year", "integer", "the year the report covers"),
        ("title", "string", "the report's title"),
        ("published", "date", "publication date (page meta, else the signature)"),
        ("format", "string", "statistics (pre-2019), 2019, 2021 or none"),
        ("source_url", "string", "the detail page that linked an attachment-only report"),
        ("status", "string", "active, or missing (gone from its site)"),
        ("first_seen", "datetime", "first seen by a crawl (UTC)"),
        ("last_seen", "datetime", "last seen by a crawl (UTC)"),
        ("last_fetched", "datetime", "last downloaded (UTC)"),
        ("version_id", "integer", "the current version (report_versions.id)"),
        ("content_hash", "string", "sha256 of the fetched bytes"),
        ("parser_version", "string", "govcrawl version that parsed the current version"),
        ("agency_key", "string", "one key per agency: <region_code>:<canonical body>"),
        ("region_code", "string", "6-digit division code (GB/T 2260); a region is a prefix"),
        ("agency_level", "string", "province, prefecture, county, township, <level>-department, ..."),
    ),
    "cells": (
        ("url", "string", "the report's URL"),
        ("version_id", "integer", "report_versions.id"),
        ("seq", "integer", "position in the record's cells"),
        ("table", "string", "statistics, active, applications, review_litigation"),
        ("row", "string", "row code (docs/report-schema.md)"),
        ("col", "string", "column code (docs/report-schema.md)"),
        ("value", "number", "the number printed; empty for a blank or placeholder cell"),
        ("raw", "string", "the cell as printed"),
        ("unit", "string", "unit printed in the cell, row or header"),
    ) + IDENTITY,
    "checks": (
        ("url", "string", "the report's URL"),
        ("version_id", "integer", "report_versions.id"),
        ("seq", "integer", "position in the record's checks"),
        ("rule", "string", "identity checked (docs/report-schema.md, Checks)"),
        ("at", "string", "the column or row it was checked at"),
        ("status", "string", "pass, fail, or unknown (a row it needs is missing)"),
        ("left", "number", "value of the left side"),
        ("right", "number", "value of the right side"),
    ) + IDENTITY,
    "measures": IDENTITY + (
        ("measure", "string", "cross-format measure (docs/measures.md)"),
        ("value", "number", "sum of the measure's cells as printed"),
    ),
    "wide": IDENTITY + (
        ("url", "string", "the report's URL"),
        ("published", "date", "publication date"),
    ) + tuple((m, "number", f"measure {m} (docs/measures.md)") for m in MEASURES),
}
EXPORT_COLUMNS = {what: tuple(f[0] for f in fields) for what, fields in EXPORT_FIELDS.items()}
#: what `export all` writes
ALL_CSV = ("reports", "cells", "checks", "measures", "wide")

measures_view = sa.table("report_measures", sa.column("report_id"), sa.column("measure"),
                         sa.column("value"))


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

    p = subparsers.add_parser("export", help="export stored reports, cells, checks, measures")
    p.add_argument("what", choices=("reports", "cells", "checks", "records", "measures", "wide",
                                    "all"),
                   help="records: the full current record of each report (jsonl only); measures: "
                        "docs/measures.md, long; wide: one row per report, one column per "
                        "measure; all: every CSV export (with --datapackage)")
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    p.add_argument("-o", "--output", help="output file (default: stdout)")
    p.add_argument("--bom", action="store_true",
                   help="start CSV with a UTF-8 byte order mark (Excel on Chinese Windows reads "
                        "BOM-less CSV as GBK)")
    p.add_argument("--datapackage", metavar="DIR",
                   help="write DIR/WHAT.csv and describe it in DIR/datapackage.json (Frictionless)")
    add_report_filters(p)
    p.add_argument("--all-versions", action="store_true",
                   help="cells/checks of every stored version, not only the current one")
    _add_database_url(p)
    p.set_defaults(func=cmd_export)

    p = subparsers.add_parser("runs", help="the last crawl runs: when, how they ended, counts")
    p.add_argument("-n", "--last", type=int, default=20, metavar="N", help="how many (20)")
    p.add_argument("--spider", help="only this spider's runs")
    p.add_argument("--format", choices=("table", "csv", "jsonl"), default="table")
    p.add_argument("--plot", metavar="FILE.png",
                   help="also draw reports and failures per night (matplotlib) into FILE.png")
    _add_database_url(p)
    p.set_defaults(func=cmd_runs)

    p = subparsers.add_parser("failures", help="the failed and blocked pages of a run")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--last", action="store_true",
                       help="the last run of each spider and scope (the default)")
    which.add_argument("--run", type=int, metavar="ID", help="this run (govcrawl runs)")
    p.add_argument("--spider", help="only this spider's runs")
    p.add_argument("--format", choices=("table", "csv", "jsonl"), default="table")
    _add_database_url(p)
    p.set_defaults(func=cmd_failures)


def add_report_filters(parser) -> None:
    """--spider --status --year --since --agency --region (shared with `govcrawl scorecard`)."""
    parser.add_argument("--spider", help="only this spider's reports")
    parser.add_argument("--status", choices=("active", "missing"), help="only reports with this status")
    parser.add_argument("--year", type=int, help="only reports on this year")
    parser.add_argument("--since", type=_since,
                        help="only reports new or changed since this date (YYYY-MM-DD, UTC) or "
                             "time (ISO 8601): their current version was first seen then or later")
    parser.add_argument("--agency", help="only this agency: its agency_key, or part of its name")
    parser.add_argument("--region", help="only this region and what it contains: a division code "
                                         "(520400 is 安顺市 with its counties) or a code prefix")


def _since(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--since {text!r}: not a date (YYYY-MM-DD) or ISO time") from None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def region_prefix(code: str) -> str:
    """The code prefix of a division and everything in it: 520400 -> 5204 (安顺市), 520000 -> 52
    (贵州省), 520402 -> 520402; a shorter input is taken as a prefix already."""
    code = code.strip()
    if not code.isdigit():
        raise ValueError(f"--region {code!r}: not a division code (digits, e.g. 520400)")
    while len(code) > 2 and len(code) % 2 == 0 and code.endswith("00"):
        code = code[:-2]
    return code


@dataclass(frozen=True)
class ReportFilter:
    spider: str | None = None
    status: str | None = None
    year: int | None = None
    since: datetime | None = None
    agency: str | None = None
    region: str | None = None

    @classmethod
    def from_args(cls, args) -> ReportFilter:
        return cls(**{k: getattr(args, k, None) for k in
                      ("spider", "status", "year", "since", "agency", "region")})

    def apply(self, query, version=None):
        """`query` (selecting from `reports`, joined to `version` when `since` is set) filtered."""
        r = reports.c
        if self.spider:
            query = query.where(r.spider == self.spider)
        if self.status:
            query = query.where(r.status == self.status)
        if self.year is not None:
            query = query.where(r.year == self.year)
        if self.agency:
            query = query.where(sa.or_(r.agency_key == self.agency,
                                       r.agency.contains(self.agency, autoescape=True)))
        if self.region:
            query = query.where(r.region_code.startswith(region_prefix(self.region),
                                                         autoescape=True))
        if self.since is not None:
            version = version if version is not None else report_versions
            query = query.where(version.c.first_seen >= self.since)
        return query


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
def export_rows(engine, what: str, *, spider: str | None = None, status: str | None = None,
                all_versions: bool = False, where: ReportFilter | None = None) -> Iterator[dict]:
    """The rows of one export, as dicts of JSON-ready values, in a stable order."""
    where = where or ReportFilter(spider=spider, status=status)
    if what == "wide":
        yield from _wide_rows(engine, where)
        return
    v = report_versions
    current = reports.join(v, v.c.id == reports.c.current_version_id)
    identity = [reports.c.id.label("report_id"), reports.c.agency, reports.c.agency_key,
                reports.c.region_code, reports.c.year, reports.c.format]
    if what == "reports":
        query = (sa.select(reports.c.id.label("report_id"), reports.c.url, reports.c.spider,
                           reports.c.agency, reports.c.year, reports.c.title, reports.c.published,
                           reports.c.format, reports.c.source_url, reports.c.status,
                           reports.c.first_seen, reports.c.last_seen, reports.c.last_fetched,
                           reports.c.current_version_id.label("version_id"), v.c.content_hash,
                           v.c.parser_version, reports.c.agency_key, reports.c.region_code,
                           reports.c.agency_level)
                 .select_from(reports.outerjoin(v, v.c.id == reports.c.current_version_id))
                 .order_by(reports.c.id))
    elif what == "records":
        query = sa.select(v.c.record).select_from(current).order_by(reports.c.id)
    elif what in ("cells", "checks"):
        table = cells if what == "cells" else checks
        link = (v.c.report_id == reports.c.id) if all_versions else \
            (v.c.id == reports.c.current_version_id)
        own = [table.c[name] for name in EXPORT_COLUMNS[what][2:-len(IDENTITY)]]
        query = (sa.select(reports.c.url, table.c.version_id, *own, *identity)
                 .select_from(reports.join(v, link).join(table, table.c.version_id == v.c.id))
                 .order_by(reports.c.id, table.c.version_id, table.c.seq))
    elif what == "measures":
        m = measures_view
        query = (sa.select(*identity, m.c.measure, m.c.value)
                 .select_from(current.join(m, m.c.report_id == reports.c.id))
                 .order_by(reports.c.id, m.c.measure))
    else:
        raise ValueError(f"unknown export {what!r}")
    query = where.apply(query, v)
    # a read connection: on SQLite an export must not hold the write lock a running crawl needs
    with read_connection(engine) as conn:
        result = conn.execution_options(yield_per=1000).execute(query)
        for row in result:
            if what == "records":
                yield row.record
            else:
                yield {k: _json_value(val) for k, val in row._mapping.items()}


def _wide_rows(engine, where: ReportFilter) -> Iterator[dict]:
    """One row per report (with a current version), one column per measure (blank: not printed)."""
    v, m = report_versions, measures_view
    query = (sa.select(reports.c.id.label("report_id"), reports.c.agency, reports.c.agency_key,
                       reports.c.region_code, reports.c.year, reports.c.format, reports.c.url,
                       reports.c.published, m.c.measure, m.c.value)
             .select_from(reports.join(v, v.c.id == reports.c.current_version_id)
                          .outerjoin(m, m.c.report_id == reports.c.id))
             .order_by(reports.c.id))
    query = where.apply(query, v)
    row: dict | None = None
    with read_connection(engine) as conn:
        for r in conn.execution_options(yield_per=1000).execute(query):
            if row is None or row["report_id"] != r.report_id:
                if row is not None:
                    yield row
                row = {k: _json_value(getattr(r, k)) for k in EXPORT_COLUMNS["wide"][:8]}
                row.update(dict.fromkeys(MEASURES))
            if r.measure in MEASURES:
                row[r.measure] = _json_value(r.value)
    if row is not None:
        yield row


def _json_value(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):  # the views' NUMERIC on PostgreSQL
        return int(value) if value == value.to_integral_value() else float(value)
    # numbers are stored as doubles; a whole number is printed as the int the record had
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
        return int(value)
    return value


def write_export(rows: Iterable[dict], what: str, fmt: str, out) -> int:
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


def _open_output(path: str, bom: bool):
    # utf-8-sig writes the BOM once at the start; newline="" lets the csv module end the lines
    return open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="")


def cmd_export(args) -> int:
    if args.what == "records" and (args.format != "jsonl" or args.datapackage):
        raise ValueError("records export is JSON Lines only (nested record)")
    if args.what == "all" and not args.datapackage:
        raise ValueError("export all writes several files: give --datapackage DIR")
    engine = get_engine(args.database_url)
    where = ReportFilter.from_args(args)
    if args.datapackage:
        directory = Path(args.datapackage)
        directory.mkdir(parents=True, exist_ok=True)
        for what in ALL_CSV if args.what == "all" else (args.what,):
            path = directory / f"{what}.csv"
            with _open_output(str(path), args.bom) as out:
                n = write_export(export_rows(engine, what, where=where,
                                             all_versions=args.all_versions), what, "csv", out)
            update_datapackage(directory, what, bom=args.bom, rows=n, where=where)
            print(f"export: {n} {what} row(s) -> {path}", file=sys.stderr)
        print(f"export: described in {directory / 'datapackage.json'}", file=sys.stderr)
        return 0
    rows = export_rows(engine, args.what, where=where, all_versions=args.all_versions)
    if args.output:
        with _open_output(args.output, args.bom and args.format == "csv") as out:
            n = write_export(rows, args.what, args.format, out)
        print(f"export: {n} {args.what} row(s) -> {args.output}", file=sys.stderr)
    else:
        if args.bom and args.format == "csv":
            sys.stdout.write("\ufeff")
        write_export(rows, args.what, args.format, sys.stdout)
    return 0


#: what each CSV export holds, for datapackage.json
EXPORT_TITLES = {
    "reports": "One row per report URL (its current version)",
    "cells": "Every statistics cell of each report's current version, as printed",
    "checks": "Every accounting identity checked, with both sides",
    "measures": "Cross-format measures per report (docs/measures.md), long format",
    "wide": "One row per report, one column per cross-format measure (docs/measures.md)",
}


def datapackage_resource(what: str, *, bom: bool = False, rows: int | None = None,
                         where: ReportFilter | None = None) -> dict:
    """The Frictionless Tabular Data Resource describing `WHAT.csv` as `govcrawl export` writes it."""
    resource = {
        "name": what,
        "path": f"{what}.csv",
        "profile": "tabular-data-resource",
        "title": EXPORT_TITLES[what],
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig" if bom else "utf-8",
        "dialect": {"delimiter": ",", "doubleQuote": True, "lineTerminator": "\n",
                    "quoteChar": '"', "header": True},
        "schema": {
            "fields": [{"name": name, "type": kind, "description": text}
                       for name, kind, text in EXPORT_FIELDS[what]],
            # blank cells and absent values are written as empty fields
            "missingValues": [""],
        },
    }
    if rows is not None:
        resource["govcrawl:rows"] = rows
    filters = {k: (v.isoformat() if isinstance(v, datetime) else v)
               for k, v in vars(where or ReportFilter()).items() if v is not None}
    if filters:
        resource["govcrawl:filters"] = filters
    return resource


def update_datapackage(directory: Path, what: str, **kwargs) -> dict:
    """Add (or replace) the resource of `what` in DIRECTORY/datapackage.json."""
    path = directory / "datapackage.json"
    package = json.loads(path.read_text("utf-8")) if path.exists() else {}
    package.update({
        "profile": "tabular-data-package",
        "name": "govcrawl-export",
        "title": "政府信息公开工作年度报告: reports, cells, checks and measures exported by govcrawl",
        "description": "Records of Chinese government information-disclosure annual reports "
                       "(docs/report-schema.md); measures: docs/measures.md.",
        "created": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
    })
    resources = [r for r in package.get("resources", []) if r.get("name") != what]
    resources.append(datapackage_resource(what, **kwargs))
    package["resources"] = sorted(resources, key=lambda r: ALL_CSV.index(r["name"])
                                  if r["name"] in ALL_CSV else len(ALL_CSV))
    path.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return package


# --- runs and failures ---------------------------------------------------------------------------
RUN_COLUMNS = ("id", "spider", "scope", "started", "finished", "reason", "new", "changed",
               "unchanged", "missing", "failed", "blocked")


def last_runs(engine, n: int = 20, spider: str | None = None) -> list[dict]:
    """The last `n` runs, newest first."""
    r = crawl_runs.c
    query = (sa.select(r.id, r.spider, r.scope, r.started, r.finished,
                       r.finish_reason.label("reason"), r.new, r.changed, r.unchanged, r.missing,
                       r.failed, r.blocked).order_by(r.id.desc()).limit(n))
    if spider:
        query = query.where(r.spider == spider)
    with read_connection(engine) as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def last_run_failures(engine, *, run_id: int | None = None, spider: str | None = None) -> list[dict]:
    """Runs with their failures: run `run_id`, else the last run of each (spider, scope)."""
    r, f = crawl_runs.c, crawl_failures.c
    if run_id is not None:
        selected = sa.select(r.id).where(r.id == run_id)
    else:
        selected = sa.select(sa.func.max(r.id)).group_by(r.spider, r.scope)
        if spider:
            selected = selected.where(r.spider == spider)
    with read_connection(engine) as conn:
        runs = conn.execute(sa.select(r.id, r.spider, r.scope, r.started, r.finished,
                                      r.finish_reason.label("reason"))
                            .where(r.id.in_(selected)).order_by(r.spider, r.scope)).all()
        out = []
        for run in runs:
            failures = conn.execute(sa.select(f.url, f.kind, f.reason, f.at)
                                    .where(f.run_id == run.id).order_by(f.id)).all()
            out.append({**run._mapping, "failures": [dict(x._mapping) for x in failures]})
    if run_id is not None and not out:
        raise ValueError(f"no run {run_id}")
    return out


def cmd_runs(args) -> int:
    engine = get_engine(args.database_url)
    runs = last_runs(engine, args.last, args.spider)
    rows = [{k: _cell(run[k]) for k in RUN_COLUMNS} for run in runs]
    emit_rows(rows, RUN_COLUMNS, args.format, sys.stdout)
    if args.plot:
        plot_runs(runs, args.plot)
        print(f"runs: plot of {len(runs)} run(s) -> {args.plot}", file=sys.stderr)
    return 0


def cmd_failures(args) -> int:
    engine = get_engine(args.database_url)
    runs = last_run_failures(engine, run_id=args.run, spider=args.spider)
    if args.format != "table":
        rows = [{"run_id": run["id"], "spider": run["spider"], "scope": run["scope"],
                 "url": f["url"], "kind": f["kind"], "reason": f["reason"] or "",
                 "at": _cell(f["at"])} for run in runs for f in run["failures"]]
        emit_rows(rows, ("run_id", "spider", "scope", "url", "kind", "reason", "at"), args.format,
                  sys.stdout)
        return 0
    if not runs:
        print("no runs")
    for run in runs:
        ended = f"{_cell(run['finished'])} ({run['reason']})" if run["finished"] else "not finished"
        print(f"run {run['id']} {run['spider']} [{run['scope']}] started {_cell(run['started'])}, "
              f"{ended}: {len(run['failures'])} failed or blocked page(s)")
        if run["failures"]:
            emit_rows([{"kind": f["kind"], "url": f["url"], "reason": f["reason"] or ""}
                       for f in run["failures"]], ("kind", "url", "reason"), "table", sys.stdout,
                      indent="  ")
    return 0


def _cell(value):
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    return "" if value is None else value


def display_width(text: str) -> int:
    """Columns a terminal gives `text`: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def emit_rows(rows: list[dict], columns: Iterable[str], fmt: str, out, indent: str = "") -> None:
    """Rows as an aligned text table, CSV, or JSON Lines."""
    columns = list(columns)
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False,
                                 default=str) + "\n")
        return
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([["" if row.get(c) is None else row.get(c) for c in columns] for row in rows])
        return
    text = [[str("" if row.get(c) is None else row.get(c)) for c in columns] for row in rows]
    widths = [max([display_width(c)] + [display_width(r[i]) for r in text])
              for i, c in enumerate(columns)]
    for line in [columns] + text:
        cells_ = [cell + " " * (widths[i] - display_width(cell)) for i, cell in enumerate(line)]
        out.write(indent + "  ".join(cells_).rstrip() + "\n")


def plot_runs(runs: list[dict], path: str) -> None:
    """Reports seen per night (new, changed, unchanged) above pages failed per night (failed,
    blocked) and reports gone missing; one bar per calendar day (UTC) the runs started on."""
    os.environ.setdefault("MPLBACKEND", "Agg")  # no display on a server
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    nights: dict[date, dict[str, int]] = {}
    for run in runs:
        day = run["started"].astimezone(timezone.utc).date()
        counts = nights.setdefault(day, dict.fromkeys(
            ("new", "changed", "unchanged", "missing", "failed", "blocked", "runs"), 0))
        for k in counts:
            counts[k] += 1 if k == "runs" else int(run[k] or 0)
    days = sorted(nights)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 6), sharex=True,
                                      gridspec_kw={"height_ratios": [3, 2]})
    x = range(len(days))
    base = [0] * len(days)
    for key, color in (("unchanged", "#9bb7d4"), ("changed", "#f0a53a"), ("new", "#3a8f3a")):
        values = [nights[d][key] for d in days]
        top.bar(x, values, bottom=base, color=color, label=key)
        base = [b + v for b, v in zip(base, values)]
    top.set_ylabel("reports seen")
    top.set_title("govcrawl runs per night (UTC)")
    top.legend(loc="upper left", fontsize="small")
    failed = [nights[d]["failed"] for d in days]
    blocked = [nights[d]["blocked"] for d in days]
    bottom.bar(x, failed, color="#c0392b", label="failed pages")
    bottom.bar(x, blocked, bottom=failed, color="#7f1d1d", label="blocked pages")
    bottom.plot(list(x), [nights[d]["missing"] for d in days], color="black", marker="o",
                label="reports gone missing")
    # headroom above the tallest bar for the legends; whole numbers on the axes (counts)
    from matplotlib.ticker import MaxNLocator

    top.set_ylim(0, max(base + [1]) * 1.3)
    bottom.set_ylim(0, max([f + b for f, b in zip(failed, blocked)]
                           + [nights[d]["missing"] for d in days] + [1]) * 1.4)
    for axis in (top, bottom):
        axis.yaxis.set_major_locator(MaxNLocator(integer=True))
    bottom.set_ylabel("pages / reports")
    bottom.legend(loc="upper left", fontsize="small")
    bottom.set_xticks(list(x))
    bottom.set_xticklabels([d.isoformat() for d in days], rotation=45, ha="right", fontsize="small")
    if not days:
        top.text(0.5, 0.5, "no runs", ha="center", va="center", transform=top.transAxes)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
