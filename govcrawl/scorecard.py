"""`govcrawl scorecard`: per agency and year, was the report published by the legal deadline, does it
have the sections and tables its layout requires, how many identities pass; `--coverage`: the
agency x year matrix, with the years missing between an agency's first and last report.

    govcrawl scorecard [--region CODE] [--year Y] [--agency A] [--format table|csv|jsonl]
    govcrawl scorecard --coverage [--region CODE] [--format table|csv]

The rules, with their sources, are in docs/scorecard.md; the per-report part is the `scorecard`
view (govcrawl/storage/views.py), which Datasette shows. This module adds what the view cannot
compute in one SQL text for both databases: the level of agencies whose `agency_level` is unknown
(from the name, `govcrawl.agencies`), the sections (read from the stored record's JSON), and one
row per agency and year.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from govcrawl.agencies import identify
from govcrawl.storage.commands import ReportFilter, _json_value, add_report_filters, emit_rows
from govcrawl.storage.db import get_engine, read_connection
from govcrawl.storage.schema import report_versions, reports

#: (label, pattern a heading must match), per layout family. 2019/2021: 条例 (2019) 第五十条 and
#: the 60号/30号 formats' six parts; statistics: 条例 (2008) 第三十二条's six items
REQUIRED_SECTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "new": (
        ("总体情况", r"总体情况|概述|基本情况"),
        ("主动公开", r"主动公开"),
        ("收到和处理申请", r"申请"),
        ("复议诉讼", r"复议|诉讼"),
        ("问题及改进", r"问题|不足"),
        ("其他需要报告的事项", r"其他需要报告|其他事项|其他"),
    ),
    "statistics": (
        ("主动公开", r"主动公开"),
        ("依申请公开", r"申请"),
        ("收费及减免", r"收费|减免|费用"),
        ("复议诉讼", r"复议|诉讼"),
        ("问题及改进", r"问题|不足"),
        ("其他需要报告的事项", r"其他需要报告|其他事项|其他"),
    ),
}

SCORECARD_COLUMNS = ("agency_key", "agency", "agency_level", "year", "format", "published",
                     "deadline", "deadline_basis", "on_time", "sections", "sections_missing",
                     "tables", "checks_passed", "checks", "reports", "agency_missing_years")


def body_kind(level: str | None, agency: str | None) -> str | None:
    """department, government, township or zone: the view's `body_kind` (views._body_kind)."""
    level = level or ""
    if level.startswith("township"):
        return "township"
    if level.endswith("-zone"):
        return "zone"
    if level.endswith("-department"):
        return "department"
    if level in ("province", "prefecture", "county"):
        return "government"
    if not agency:
        return None
    if agency.endswith(("街道办事处", "镇人民政府", "乡人民政府", "镇政府", "乡政府")):
        return "township"
    if agency.endswith("人民政府"):
        return "government"
    if agency.endswith(("管理委员会", "管委会")):
        return "zone"
    return "department"


def deadline(year: int | None, kind: str | None) -> tuple[date | None, str | None]:
    """The legal deadline of a report on `year` and the rule applied (docs/scorecard.md)."""
    if year is None:
        return None, None
    if year <= 2018:
        return date(year + 1, 3, 31), "2008-art31"
    if kind is None:
        return None, None
    if kind == "department":
        return date(year + 1, 1, 31), "2019-art49-1"
    return date(year + 1, 3, 31), "2019-art49-2" if kind == "government" else f"2019-{kind}"


def sections_found(headings: list[str], family: str) -> tuple[int, list[str]]:
    """(required sections present, labels of those missing) for a layout family."""
    missing = [label for label, pattern in REQUIRED_SECTIONS[family]
               if not any(re.search(pattern, h or "") for h in headings)]
    return len(REQUIRED_SECTIONS[family]) - len(missing), missing


@dataclass
class AgencyYear:
    agency_key: str
    agency: str
    year: int
    reports: list[dict] = field(default_factory=list)

    def best(self) -> dict:
        """The report that stands for the agency's year: the earliest published (an agency that
        published on time and re-posted later was on time), then the most complete."""
        return min(self.reports, key=lambda r: (r["published"] or "9999", -(r["tables_present"] or 0),
                                                r["report_id"]))


def scorecard_reports(engine, where: ReportFilter | None = None) -> list[dict]:
    """The `scorecard` view's rows (one per report), completed: level from the name where the
    column is empty, deadline and on_time recomputed for those, sections from the record."""
    where = where or ReportFilter()
    view = sa.table("scorecard", *[sa.column(c) for c in (
        "report_id", "agency_level", "body_kind", "published", "deadline", "deadline_basis",
        "on_time", "expected_format", "tables_required", "tables_present", "checks_passed",
        "checks_failed", "checks_unknown")])
    v = report_versions
    query = (sa.select(view, reports.c.agency, reports.c.agency_key, reports.c.region_code,
                       reports.c.year, reports.c.format, reports.c.url, v.c.record)
             .select_from(reports.join(view, view.c.report_id == reports.c.id)
                          .join(v, v.c.id == reports.c.current_version_id))
             .order_by(reports.c.id))
    query = where.apply(query, v)
    rows = []
    with read_connection(engine) as conn:
        for r in conn.execution_options(yield_per=500).execute(query):
            row = {k: _json_value(val) for k, val in r._mapping.items() if k != "record"}
            if not row["agency_level"] and row["agency"]:
                identity = identify(row["agency"], row["region_code"])
                row["agency_level"] = identity.level or None
                row["agency_key"] = row["agency_key"] or (identity.key if identity.region_code else None)
                row["body_kind"] = body_kind(row["agency_level"], row["agency"])
                due, basis = deadline(row["year"], row["body_kind"])
                row["deadline"], row["deadline_basis"] = (due.isoformat() if due else None), basis
                row["on_time"] = None if due is None or not row["published"] else \
                    int(row["published"] <= row["deadline"])
            record = r.record or {}
            headings = [s.get("heading", "") for s in record.get("sections") or []
                        if isinstance(s, dict)]
            family = "statistics" if row["expected_format"] == "statistics" else "new"
            row["sections_present"], row["sections_missing"] = sections_found(headings, family)
            row["sections_required"] = len(REQUIRED_SECTIONS[family])
            rows.append(row)
    return rows


def agency_years(rows: list[dict]) -> dict[str, dict[int, AgencyYear]]:
    """agency -> year -> AgencyYear; the agency is its key, else its name."""
    out: dict[str, dict[int, AgencyYear]] = defaultdict(dict)
    for row in rows:
        if row["year"] is None:
            continue
        key = row["agency_key"] or row["agency"] or "?"
        cell = out[key].get(row["year"])
        if cell is None:
            cell = out[key][row["year"]] = AgencyYear(key, row["agency"] or "", row["year"])
        cell.reports.append(row)
    return out


def missing_years(years: dict[int, AgencyYear]) -> list[int]:
    """Years between an agency's first and last report with no report."""
    if not years:
        return []
    return [y for y in range(min(years), max(years) + 1) if y not in years]


def scorecard(rows: list[dict]) -> list[dict]:
    """One row per agency and year."""
    out = []
    for key, years in sorted(agency_years(rows).items()):
        gaps = ",".join(str(y) for y in missing_years(years))
        for year in sorted(years):
            cell = years[year]
            best = cell.best()
            checks = (best["checks_passed"] or 0) + (best["checks_failed"] or 0) + \
                (best["checks_unknown"] or 0)
            out.append({
                "agency_key": key, "agency": best["agency"], "agency_level": best["agency_level"],
                "year": year, "format": best["format"], "published": best["published"],
                "deadline": best["deadline"], "deadline_basis": best["deadline_basis"],
                "on_time": {1: "yes", 0: "late"}.get(best["on_time"], "unknown"),
                "sections": f"{best['sections_present']}/{best['sections_required']}",
                "sections_missing": ",".join(best["sections_missing"]),
                "tables": f"{best['tables_present'] or 0}/{best['tables_required'] or 0}",
                "checks_passed": best["checks_passed"] or 0, "checks": checks,
                "reports": len(cell.reports), "agency_missing_years": gaps,
            })
    return out


#: coverage marks: published on time, late, date unknown, no report (between first and last)
MARKS = {"yes": "Y", "late": "L", "unknown": "?", None: "-"}


def coverage(rows: list[dict]) -> tuple[list[str], list[dict]]:
    """(columns, rows) of the agency x year matrix."""
    table = agency_years(rows)
    seen = {y for years in table.values() for y in years}
    # every year of the span, so a year no agency reported is a column of gaps, not left out
    all_years = list(range(min(seen), max(seen) + 1)) if seen else []
    columns = ["agency_key", "agency"] + [str(y) for y in all_years] + ["missing_years"]
    out = []
    for key, years in sorted(table.items()):
        first, last = min(years), max(years)
        line = {"agency_key": key,
                "agency": years[last].best()["agency"],
                "missing_years": ",".join(str(y) for y in missing_years(years))}
        for y in all_years:
            if y in years:
                on_time = years[y].best()["on_time"]
                line[str(y)] = MARKS[{1: "yes", 0: "late"}.get(on_time, "unknown")]
            else:
                line[str(y)] = MARKS[None] if first < y < last else ""
        out.append(line)
    return columns, out


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "scorecard", help="per agency and year: published on time, sections, tables, identities")
    add_report_filters(p)
    p.add_argument("--coverage", action="store_true",
                   help="the agency x year matrix instead: Y on time, L late, ? no date, "
                        "- no report between the agency's first and last")
    p.add_argument("--format", choices=("table", "csv", "jsonl"), default="table")
    p.add_argument("--database-url", default=None,
                   help="SQLAlchemy URL (default: $GOVCRAWL_DATABASE_URL, else sqlite:///govcrawl.db)")
    p.set_defaults(func=cmd_scorecard)


def cmd_scorecard(args) -> int:
    engine = get_engine(args.database_url)
    rows = scorecard_reports(engine, ReportFilter.from_args(args))
    if args.coverage:
        columns, matrix = coverage(rows)
        emit_rows(matrix, columns, args.format, sys.stdout)
        if args.format == "table":
            print("Y on time, L late, ? publication date unknown, - no report "
                  "(between the agency's first and last year)")
        return 0
    emit_rows(scorecard(rows), SCORECARD_COLUMNS, args.format, sys.stdout)
    return 0
