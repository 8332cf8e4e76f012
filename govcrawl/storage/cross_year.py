"""Cross-year checks of stored reports: `cross_year.carry` (govcrawl/parse/cross_year.py).

    refresh_cross_year(conn_or_engine, report_id) -> number of check rows written
    refresh_all_cross_year(conn_or_engine) -> number of check rows written

A report's 上年结转 (year N) is checked against the 结转下年度 of the same agency's year N-1 report,
once both are stored. The checks are rows of their own table, `cross_year_checks` (migration
0005): one per applicant column, numbered from 0 (`seq`), naming the year-N report and version
they belong to and the year-N-1 report and version they were computed against. They are neither
in the stored record (`report_versions.record`, whose hash says whether a page changed) nor in
`checks` (exactly the record's own checks): they depend on another report, not on the page. The
`report_checks` view (govcrawl/storage/views.py) shows them beside the record's checks, for the
report's current version; the rule tells them apart.

`Repository.save_record` calls `refresh_cross_year` in its transaction when a report is new or
its current version changed (an unchanged page costs nothing), and `add_reparsed_version` on
every reparse. It recomputes the checks the report takes part in: its own (against the agency's
year N-1), those of the agency's year N+1 reports (against it), and those of any report whose rows
name it as year N-1 (former neighbours, when its year or agency changed). Call it inside a
transaction (a Connection) or on its own (an Engine: one transaction). `refresh_all_cross_year`
recomputes every report's (migration 0005 does, once).

Same agency: the reports' `agency_key` where both have one, else the agency name normalised
(NFKC, Simplified, no whitespace). When several stored reports are the agency's year N-1 (the
same report under two URLs), the one seen last is used. A report without agency or year, or whose
year N-1 is not stored, has no cross-year checks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from govcrawl.parse.cross_year import RULE, TABLE, carry_checks
from govcrawl.storage.schema import cells, cross_year_checks, reports, utcnow
from govcrawl.text.normalize import normalize_label

_ROWS = ("carried_over", "carried_forward")
_COLUMNS = (reports.c.id, reports.c.agency, reports.c.agency_key, reports.c.year,
            reports.c.format, reports.c.current_version_id, reports.c.last_seen)


def refresh_cross_year(conn_or_engine: Connection | Engine, report_id: int) -> int:
    """Recompute the `cross_year.carry` checks report `report_id` takes part in (its own, its
    agency's next year's, and those that named it as year N-1); returns the rows written."""
    if isinstance(conn_or_engine, Engine):
        with conn_or_engine.begin() as conn:
            return _refresh(conn, report_id)
    return _refresh(conn_or_engine, report_id)


def refresh_all_cross_year(conn_or_engine: Connection | Engine) -> int:
    """Recompute the `cross_year.carry` checks of every stored report."""
    if isinstance(conn_or_engine, Engine):
        with conn_or_engine.begin() as conn:
            return refresh_all_cross_year(conn)
    conn = conn_or_engine
    conn.execute(cross_year_checks.delete())
    rows = list(conn.execute(sa.select(*_COLUMNS).where(reports.c.current_version_id.is_not(None))))
    # the agency's reports of a year, by key and by name: one pass, not a comparison per pair
    by_key: dict[tuple[int, str], list[Any]] = defaultdict(list)
    by_name: dict[tuple[int, str], list[Any]] = defaultdict(list)
    for row in rows:
        if row.year is None:
            continue
        key = _key(row)
        if key:
            by_key[(row.year, key)].append(row)
        if _name(row):
            by_name[(row.year, _name(row))].append(row)
    written = 0
    for row in rows:
        if row.year is None:
            continue
        near = by_key.get((row.year - 1, _key(row) or ""), []) + by_name.get((row.year - 1, _name(row)), [])
        written += _write(conn, row, _previous(row, near))
    return written


# ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=65536)
def _normalized(name: str) -> str:
    return normalize_label(name)


def _name(row) -> str:
    return _normalized(row.agency or "")


def _key(row) -> str | None:
    return (row.agency_key or "").strip() or None


def _same_agency(a, b) -> bool:
    ka, kb = _key(a), _key(b)
    if ka and kb:
        return ka == kb
    return bool(_name(a)) and _name(a) == _name(b)


def _agency_reports(conn: Connection, row, year: int) -> list[Any]:
    """The stored reports of `row`'s agency on `year` (with a current version), but `row`."""
    query = sa.select(reports.c.id, reports.c.agency, reports.c.agency_key).where(
        reports.c.year == year, reports.c.id != row.id, reports.c.current_version_id.is_not(None))
    key = _key(row)
    if key:
        # the same key, or no key (compared by name): the index on agency_key, not the whole year
        # (a stored key is `<region_code>:<body>`, never blanks only)
        query = query.where(sa.or_(reports.c.agency_key == key, reports.c.agency_key.is_(None)))
    # compared on the names first, the few that match read whole (a report without a key is
    # compared with the whole year by name: the names are not normalised in SQL)
    name, found = _name(row), conn.execute(query)
    if key:
        ids = [i for i, agency, k in found
               if (k.strip() == key if k and k.strip() else name and _normalized(agency or "") == name)]
    else:
        ids = [i for i, agency, _ in found if name and _normalized(agency or "") == name]
    if not ids:
        return []
    return list(conn.execute(sa.select(*_COLUMNS).where(reports.c.id.in_(ids))))


def _refresh(conn: Connection, report_id: int) -> int:
    target = conn.execute(sa.select(*_COLUMNS).where(reports.c.id == report_id)).first()
    if target is None:
        return 0
    # the reports whose checks were computed against this one (its year or agency may have changed)
    dependents = set(conn.execute(sa.select(cross_year_checks.c.report_id).distinct()
                                  .where(cross_year_checks.c.previous_report_id == report_id)).scalars())
    written = _recompute(conn, target)
    if target.year is not None and (_key(target) or _name(target)):
        for row in _agency_reports(conn, target, target.year + 1):
            dependents.discard(row.id)
            written += _recompute(conn, row)
    dependents.discard(report_id)
    for other in sorted(dependents):
        row = conn.execute(sa.select(*_COLUMNS).where(reports.c.id == other)).first()
        if row is not None:
            written += _recompute(conn, row)
    return written


def _previous(row, candidates: Iterable[Any]):
    """The agency's stored year N-1 report for `row` (the one seen last)."""
    found = [c for c in candidates if c.id != row.id and c.year is not None and row.year is not None
             and c.year == row.year - 1 and c.current_version_id is not None and _same_agency(c, row)]
    if not found:
        return None
    return max(found, key=lambda c: (c.last_seen is not None, c.last_seen or 0, c.id))


def _recompute(conn: Connection, row) -> int:
    """Replace the cross-year checks of `row` (its own, against its agency's year N-1)."""
    previous = None
    if row.current_version_id is not None and row.year is not None and (_key(row) or _name(row)):
        previous = _previous(row, _agency_reports(conn, row, row.year - 1))
    conn.execute(cross_year_checks.delete().where(cross_year_checks.c.report_id == row.id))
    return _write(conn, row, previous)


def _write(conn: Connection, row, previous) -> int:
    """Insert the checks of `row` against `previous` (none when there is no year N-1)."""
    if previous is None or row.current_version_id is None:
        return 0
    now = utcnow()
    found = carry_checks(_record(conn, row), _record(conn, previous))
    values = [{"report_id": row.id, "version_id": row.current_version_id,
               "previous_report_id": previous.id, "previous_version_id": previous.current_version_id,
               "seq": i, "rule": c["rule"], "at": c["at"], "status": c["status"],
               "left": _float(c["left"]), "right": _float(c["right"]), "computed_at": now}
              for i, c in enumerate(found)]
    if values:
        conn.execute(cross_year_checks.insert(), values)
    return len(values)


def _record(conn: Connection, row) -> dict:
    """What carry_checks needs of a stored report: year, format and its carry-row cells."""
    # table and row as one expression, which no index holds: the planner reads the version's few
    # hundred cells by ix_cells_version_id_seq, not every report's carry rows by (table, row, col)
    # (PostgreSQL chose that, 20 ms a query, on a database of a few thousand reports)
    found = conn.execute(sa.select(cells.c.table, cells.c.row, cells.c.col, cells.c.value)
                         .where(cells.c.version_id == row.current_version_id,
                                (cells.c.table + ":" + cells.c.row).in_([f"{TABLE}:{r}" for r in _ROWS]))
                         .order_by(cells.c.seq))
    return {"year": row.year, "format": row.format,
            "cells": [{"table": c.table, "row": c.row, "col": c.col, "value": c.value} for c in found]}


def _float(value) -> float | None:
    return None if value is None else float(value)


__all__ = ["RULE", "refresh_all_cross_year", "refresh_cross_year"]
