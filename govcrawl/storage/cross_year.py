"""Cross-year checks of stored reports: `cross_year.carry` (govcrawl/parse/cross_year.py).

    refresh_cross_year(conn_or_engine, report_id) -> number of check rows written
    refresh_all_cross_year(conn_or_engine) -> number of check rows written

A report's 上年结转 (year N) is checked against the 结转下年度 of the same agency's year N-1 report,
once both are stored. The checks are rows of the `checks` table on the current version of the
year-N report, with rule `cross_year.carry`, one per applicant column, numbered after the
version's own checks; they are not part of the stored record (`report_versions.record`), whose
hash says whether a page changed: they depend on another report, not on the page.

`refresh_cross_year` recomputes the checks in which the report takes part: its own (against the
agency's year N-1) and those of the agency's year N+1 reports (against it). Call it after a report
is saved or reparsed, inside the same transaction (a Connection) or on its own (an Engine: one
transaction). A report whose year or agency changed leaves the checks of its former neighbours
as they were until they are refreshed themselves; after a batch reparse,
`refresh_all_cross_year` recomputes every report's.

Same agency: the reports' `agency_key` where both have one, else the agency name normalised
(NFKC, Simplified, no whitespace). When several stored reports are the agency's year N-1 (the
same report under two URLs), the one seen last is used. A report without agency or year, or whose
year N-1 is not stored, has no cross-year checks.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from govcrawl.parse.cross_year import RULE, TABLE, carry_checks
from govcrawl.storage.schema import cells, checks, reports
from govcrawl.text.normalize import normalize_label

_ROWS = ("carried_over", "carried_forward")
_HAS_KEY = "agency_key" in reports.c


def refresh_cross_year(conn_or_engine: Connection | Engine, report_id: int) -> int:
    """Recompute the `cross_year.carry` checks of report `report_id` and of its agency's next
    year's reports; returns the number of check rows written."""
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
    rows = _report_rows(conn, sa.true())
    return sum(_recompute(conn, row, rows) for row in rows)


# ---------------------------------------------------------------------------------------------

def _columns() -> list[Any]:
    cols = [reports.c.id, reports.c.agency, reports.c.year, reports.c.format,
            reports.c.current_version_id, reports.c.last_seen]
    if _HAS_KEY:
        cols.append(reports.c.agency_key)
    return cols


def _report_rows(conn: Connection, where) -> list[Any]:
    return list(conn.execute(sa.select(*_columns()).where(where)))


def _name(row) -> str:
    return normalize_label(row.agency or "")


def _key(row) -> str | None:
    return (getattr(row, "agency_key", None) or "").strip() or None


def _same_agency(a, b) -> bool:
    ka, kb = _key(a), _key(b)
    if ka and kb:
        return ka == kb
    return bool(_name(a)) and _name(a) == _name(b)


def _refresh(conn: Connection, report_id: int) -> int:
    target = conn.execute(sa.select(*_columns()).where(reports.c.id == report_id)).first()
    if target is None:
        return 0
    if target.year is None or not (_key(target) or _name(target)):
        _delete(conn, target.current_version_id)
        return 0
    near = _report_rows(conn, sa.and_(reports.c.year.in_([target.year - 1, target.year, target.year + 1]),
                                      reports.c.current_version_id.is_not(None)))
    near = [r for r in near if r.id != target.id and _same_agency(r, target)] + [target]
    written = _recompute(conn, target, near)
    for row in near:
        if row.year == target.year + 1:
            written += _recompute(conn, row, near)
    return written


def _previous(row, candidates: Iterable[Any]):
    """The agency's stored year N-1 report for `row` (the one seen last)."""
    found = [c for c in candidates if c.id != row.id and c.year is not None and row.year is not None
             and c.year == row.year - 1 and c.current_version_id is not None and _same_agency(c, row)]
    if not found:
        return None
    return max(found, key=lambda c: (c.last_seen is not None, c.last_seen or 0, c.id))


def _recompute(conn: Connection, row, candidates: Iterable[Any]) -> int:
    """Replace the cross-year checks of `row`'s current version."""
    _delete(conn, row.current_version_id)
    if row.current_version_id is None or row.year is None:
        return 0
    previous = _previous(row, candidates)
    if previous is None:
        return 0
    found = carry_checks(_record(conn, row), _record(conn, previous))
    start = conn.execute(sa.select(sa.func.max(checks.c.seq))
                         .where(checks.c.version_id == row.current_version_id)).scalar()
    start = -1 if start is None else start
    values = [{"version_id": row.current_version_id, "seq": start + 1 + i, "rule": c["rule"],
               "at": c["at"], "status": c["status"], "left": _float(c["left"]), "right": _float(c["right"])}
              for i, c in enumerate(found)]
    if values:
        conn.execute(checks.insert(), values)
    return len(values)


def _delete(conn: Connection, version_id: int | None) -> None:
    if version_id is not None:
        conn.execute(checks.delete().where(checks.c.version_id == version_id, checks.c.rule == RULE))


def _record(conn: Connection, row) -> dict:
    """What carry_checks needs of a stored report: year, format and its carry-row cells."""
    found = conn.execute(sa.select(cells.c.table, cells.c.row, cells.c.col, cells.c.value)
                         .where(cells.c.version_id == row.current_version_id, cells.c.table == TABLE,
                                cells.c.row.in_(_ROWS))
                         .order_by(cells.c.seq))
    return {"year": row.year, "format": row.format,
            "cells": [{"table": c.table, "row": c.row, "col": c.col, "value": c.value} for c in found]}


def _float(value) -> float | None:
    return None if value is None else float(value)
