"""Analysis-ready views over each report's current version, the same SQL on SQLite and PostgreSQL.

    report_cells     one row per statistics cell: the report's identity beside `tbl`, `row_code`,
                     `col`, `value`, `raw`, `unit` (unreserved names: no quoting of "table"/"row")
    report_checks    one row per checked identity: `rule`, `at`, `status`, `lhs`, `rhs`; the
                     record's own checks (`checks`) and its cross-year checks
                     against the agency's year N-1 (`cross_year_checks`, rule
                     `cross_year.carry`, govcrawl/storage/cross_year.py) where computed for the
                     current version
    report_measures  cross-format measures (docs/measures.md): the pre-2019 统计表 and the 2019/2021
                     tables mapped onto one name where they count the same thing
    scorecard        per report: the legal deadline and whether it was met, the tables its layout
                     requires and how many it prints, the identities passed (docs/scorecard.md)

The views are dropped before the migrations run and created again after them
(`govcrawl.storage.db.upgrade`): a migration that rebuilds a table (SQLite batch mode) would
otherwise fail on a view that names it, and the views always match the code's SQL.

Numbers are stored as doubles; the views return them as `CAST(CAST(x AS TEXT) AS NUMERIC)`, which
is an INTEGER on SQLite and a scale-0 NUMERIC on PostgreSQL for a whole number, so a cell the
report printed as `15` reads `15`, not `15.0`, in sqlite3, psql, Datasette and CSV.

Why not JSON functions or date arithmetic here: their spellings differ between the two databases
(json_extract vs ->>, date() vs interval), and the views must be one SQL text. Deadlines are built
as `YYYY-MM-DD` text and compared with `CAST(published AS TEXT)`, which is ISO on SQLite and on
PostgreSQL under its default DateStyle (ISO).
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

#: created in this order, dropped in the reverse order
VIEW_NAMES = ("report_cells", "report_checks", "report_measures", "scorecard")

#: reports columns that migration 0003 added; a database migrated only to an older revision
#: (`govcrawl db upgrade --revision 0002`) gets NULL in their place
OPTIONAL_REPORT_COLUMNS = ("agency_key", "region_code", "agency_level")

#: the 2019 and 2021 formats share tables 三 and 四 (govcrawl/formats/common.py)
NEW_FORMATS = ("2019", "2021")
_DENIED = ("denied.state_secret", "denied.law_forbidden", "denied.security_stability",
           "denied.third_party", "denied.internal_affairs", "denied.process_info",
           "denied.enforcement_file", "denied.admin_query")
_SUITS = ("suit_direct", "suit_after_review")

#: measure -> (statistics terms, 2019/2021 terms); a term is (table, row, col); a measure's value
#: is the sum of its terms' cells. docs/measures.md explains each one and what differs.
MEASURES: dict[str, tuple[tuple[tuple[str, str, str], ...], tuple[tuple[str, str, str], ...]]] = {
    "applications_received": (
        (("statistics", "requests.received", "value"),),
        (("applications", "new_received", "total"),)),
    "applications_carried_over": (
        (),
        (("applications", "carried_over", "total"),)),
    "applications_processed": (
        (("statistics", "replies.total", "value"),),
        (("applications", "total_processed", "total"),)),
    "applications_granted": (
        (("statistics", "replies.granted", "value"),),
        (("applications", "granted", "total"),)),
    "applications_partial": (
        (("statistics", "replies.partial", "value"),),
        (("applications", "partial", "total"),)),
    "applications_denied": (
        (("statistics", "replies.denied", "value"),),
        tuple(("applications", row, "total") for row in _DENIED)),
    "applications_carried_forward": (
        (),
        (("applications", "carried_forward", "total"),)),
    "reviews": (
        (("statistics", "review.total", "value"),),
        (("review_litigation", "cases", "review.total"),)),
    "reviews_upheld": (
        (("statistics", "review.upheld", "value"),),
        (("review_litigation", "cases", "review.upheld"),)),
    "reviews_corrected": (
        (("statistics", "review.corrected", "value"),),
        (("review_litigation", "cases", "review.corrected"),)),
    "suits": (
        (("statistics", "litigation.total", "value"),),
        tuple(("review_litigation", "cases", f"{s}.total") for s in _SUITS)),
    "suits_upheld": (
        (("statistics", "litigation.upheld", "value"),),
        tuple(("review_litigation", "cases", f"{s}.upheld") for s in _SUITS)),
    "suits_corrected": (
        (("statistics", "litigation.corrected", "value"),),
        tuple(("review_litigation", "cases", f"{s}.corrected") for s in _SUITS)),
    # not one measure across layouts: the 统计表 counts fees charged for answering requests, the
    # 2021 table 二 the administrative fees the agency collected (行政事业性收费) (docs/measures.md)
    "request_fees": (
        (("statistics", "fees", "value"),),
        ()),
    "administrative_fees": (
        (),
        (("active", "fees", "amount"),)),
}
#: administrative_fees is printed as an amount only by the 2021 table 二 (2019 prints item counts)
_ONLY_2021 = {"administrative_fees"}


def measure_terms() -> list[tuple[str, str, str, str, str]]:
    """(measure, format, table, row, col) of every term, in MEASURES order."""
    terms = []
    for measure, (old, new) in MEASURES.items():
        terms += [(measure, "statistics", *t) for t in old]
        for fmt in NEW_FORMATS:
            if measure in _ONLY_2021 and fmt != "2021":
                continue
            terms += [(measure, fmt, *t) for t in new]
    return terms


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _number(expr: str) -> str:
    """A double as the number it prints as: INTEGER/NUMERIC for whole numbers (see the docstring)."""
    return f"CAST(CAST({expr} AS TEXT) AS NUMERIC)"


def _identity(columns: Iterable[str]) -> dict[str, str]:
    present = set(columns)
    return {name: (f"r.{name}" if name in present else "NULL")
            for name in OPTIONAL_REPORT_COLUMNS}


def _has(table: str) -> str:
    return (f"CASE WHEN EXISTS (SELECT 1 FROM cells c WHERE c.version_id = r.current_version_id "
            f"AND c.\"table\" = '{table}') THEN 1 ELSE 0 END")


def _count_checks(status: str) -> str:
    return (f"(SELECT COUNT(*) FROM checks k WHERE k.version_id = r.current_version_id "
            f"AND k.status = '{status}')")


#: what kind of body an agency is, for the deadline: from agency_level (govcrawl.agencies.LEVELS),
#: else from the name's ending (docs/scorecard.md); govcrawl/scorecard.py mirrors it (body_kind)
def _body_kind(level: str) -> str:
    return f"""CASE
        WHEN {level} LIKE 'township%' THEN 'township'
        WHEN {level} LIKE '%-zone' THEN 'zone'
        WHEN {level} LIKE '%-department' THEN 'department'
        WHEN {level} IN ('province', 'prefecture', 'county') THEN 'government'
        WHEN r.agency IS NULL OR r.agency = '' THEN NULL
        WHEN r.agency LIKE '%街道办事处' OR r.agency LIKE '%镇人民政府' OR r.agency LIKE '%乡人民政府'
             OR r.agency LIKE '%镇政府' OR r.agency LIKE '%乡政府' THEN 'township'
        WHEN r.agency LIKE '%人民政府' THEN 'government'
        WHEN r.agency LIKE '%管理委员会' OR r.agency LIKE '%管委会' THEN 'zone'
        ELSE 'department' END"""


def view_sql(report_columns: Iterable[str], *, cross_year: bool = True) -> dict[str, str]:
    """name -> SELECT of each view, given the columns `reports` has, and whether the database has
    the `cross_year_checks` table (migration 0005)."""
    ident = _identity(report_columns)
    identity = (f"r.id AS report_id, r.url AS url, r.agency AS agency, "
                f"{ident['agency_key']} AS agency_key, {ident['region_code']} AS region_code, "
                f"r.year AS year, r.format AS format")
    terms = ",\n        ".join("(" + ", ".join(_literal(v) for v in term) + ")"
                               for term in measure_terms())
    year_next = "CAST(s.year + 1 AS TEXT)"
    return {
        "report_cells": f"""
SELECT {identity},
       c."table" AS tbl, c."row" AS row_code, c.col AS col, {_number('c.value')} AS value,
       c.raw AS raw, c.unit AS unit
FROM reports r
JOIN cells c ON c.version_id = r.current_version_id""",
        "report_checks": f"""
SELECT {identity},
       k.rule AS rule, k.at AS at, k.status AS status,
       {_number('k."left"')} AS lhs, {_number('k."right"')} AS rhs
FROM reports r
JOIN checks k ON k.version_id = r.current_version_id""" + ("" if not cross_year else f"""
UNION ALL
SELECT {identity},
       x.rule AS rule, x.at AS at, x.status AS status,
       {_number('x."left"')} AS lhs, {_number('x."right"')} AS rhs
FROM reports r
JOIN cross_year_checks x ON x.report_id = r.id AND x.version_id = r.current_version_id"""),
        # a cell printed twice in one report (a table repeated in an attachment) counts once: its
        # first printing
        "report_measures": f"""
WITH measure_terms(measure, format, tbl, row_code, col) AS (VALUES
        {terms})
SELECT r.id AS report_id, r.agency AS agency, r.year AS year, r.format AS format,
       m.measure AS measure, {_number('SUM(c.value)')} AS value
FROM reports r
JOIN measure_terms m ON m.format = r.format
JOIN cells c ON c.version_id = r.current_version_id
     AND c."table" = m.tbl AND c."row" = m.row_code AND c.col = m.col
WHERE c.seq = (SELECT MIN(d.seq) FROM cells d WHERE d.version_id = c.version_id
               AND d."table" = c."table" AND d."row" = c."row" AND d.col = c.col)
GROUP BY r.id, r.agency, r.year, r.format, m.measure""",
        "scorecard": f"""
SELECT s.report_id, s.agency, s.agency_key, s.region_code, s.agency_level, s.body_kind, s.year,
       s.format, s.expected_format, s.published,
       CASE WHEN s.year IS NULL THEN NULL
            WHEN s.year <= 2018 THEN {year_next} || '-03-31'
            WHEN s.body_kind IS NULL THEN NULL
            WHEN s.body_kind = 'department' THEN {year_next} || '-01-31'
            ELSE {year_next} || '-03-31' END AS deadline,
       CASE WHEN s.year IS NULL THEN NULL
            WHEN s.year <= 2018 THEN '2008-art31'
            WHEN s.body_kind IS NULL THEN NULL
            WHEN s.body_kind = 'department' THEN '2019-art49-1'
            WHEN s.body_kind = 'government' THEN '2019-art49-2'
            ELSE '2019-' || s.body_kind END AS deadline_basis,
       CASE WHEN s.published IS NULL OR s.year IS NULL THEN NULL
            WHEN s.year <= 2018 THEN
                 CASE WHEN s.published <= ({year_next} || '-03-31') THEN 1 ELSE 0 END
            WHEN s.body_kind IS NULL THEN NULL
            WHEN s.body_kind = 'department' THEN
                 CASE WHEN s.published <= ({year_next} || '-01-31') THEN 1 ELSE 0 END
            ELSE CASE WHEN s.published <= ({year_next} || '-03-31') THEN 1 ELSE 0 END END AS on_time,
       s.tables_required, s.tables_present,
       s.checks_passed, s.checks_failed, s.checks_unknown, s.status, s.url
FROM (
    SELECT r.id AS report_id, r.url AS url, r.agency AS agency,
           {ident['agency_key']} AS agency_key, {ident['region_code']} AS region_code,
           {ident['agency_level']} AS agency_level, {_body_kind(ident['agency_level'])} AS body_kind,
           r.year AS year, r.format AS format, r.status AS status,
           CAST(r.published AS TEXT) AS published,
           CASE WHEN r.year IS NULL THEN NULL WHEN r.year <= 2018 THEN 'statistics'
                WHEN r.year <= 2020 THEN '2019' ELSE '2021' END AS expected_format,
           -- 2019: the 60号 notice only encouraged the new layout, so an old 统计表 counts
           CASE WHEN r.year IS NULL THEN NULL
                WHEN r.year <= 2018 OR (r.year = 2019 AND r.format = 'statistics') THEN 1
                ELSE 3 END AS tables_required,
           CASE WHEN r.year IS NULL THEN NULL
                WHEN r.year <= 2018 OR (r.year = 2019 AND r.format = 'statistics')
                     THEN {_has('statistics')}
                ELSE {_has('active')} + {_has('applications')} + {_has('review_litigation')}
                END AS tables_present,
           {_count_checks('pass')} AS checks_passed,
           {_count_checks('fail')} AS checks_failed,
           {_count_checks('unknown')} AS checks_unknown
    FROM reports r
) s""",
    }


def report_columns(connection: Connection) -> set[str]:
    return {c["name"] for c in sa.inspect(connection).get_columns("reports")}


def drop_views(connection: Connection) -> None:
    for name in reversed(VIEW_NAMES):
        connection.execute(sa.text(f"DROP VIEW IF EXISTS {name}"))


def create_views(connection: Connection) -> None:
    """(Re)create every view; a database without the `reports` table (an empty one migrated to
    no revision) gets none."""
    if not sa.inspect(connection).has_table("reports"):
        return
    drop_views(connection)
    cross_year = sa.inspect(connection).has_table("cross_year_checks")
    for name, select in view_sql(report_columns(connection), cross_year=cross_year).items():
        connection.execute(sa.text(f"CREATE VIEW {name} AS {select}"))
