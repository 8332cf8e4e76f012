"""Identities between two years' reports of one agency (docs/report-formats.md §4, T3-6).

    carry_checks(current, previous) -> [check, ...]

`applications.carried_over` (二、上年结转政府信息公开申请数量) of year N should equal
`applications.carried_forward` (四、结转下年度继续办理) of year N-1 of the same agency, column by
column. The identity is not stated anywhere and real reports re-scope or correct their numbers, so
it is a soft check: a mismatch is recorded as `fail`, never corrected.

One check per applicant column, in the record's check shape (docs/report-schema.md, "Checks"):
`{"rule": "cross_year.carry", "at": <col>, "status", "left": carried_over(N), "right":
carried_forward(N-1)}`. Blank and placeholder cells count as 0, as in every check. The status is
`unknown` when the two records are not consecutive years, when either uses a layout without carry
rows (the pre-2019 统计表, or no table: only the 2019 and 2021 formats of govcrawl/formats have
them), or when the cell is not printed in either report.

The function is plain: it needs the two records (`year`, `format`, `cells`), not storage; whether
two reports are of the same agency is `same_agency`. govcrawl/storage/cross_year.py stores these
checks for the reports it holds.
"""

from __future__ import annotations

from govcrawl.formats import BY_NAME
from govcrawl.text.normalize import normalize_label

RULE = "cross_year.carry"
TABLE = "applications"
CARRIED_OVER = "carried_over"        # 二、上年结转政府信息公开申请数量 (year N)
CARRIED_FORWARD = "carried_forward"  # 四、结转下年度继续办理 (year N-1)


def _carry_columns(fmt_name: str | None) -> tuple[str, ...] | None:
    """The applicant columns of a format whose table 三 has both carry rows; None for a format
    without them (`statistics`, `none`)."""
    fmt = BY_NAME.get(fmt_name or "")
    if fmt is None:
        return None
    try:
        table = fmt.table(TABLE)
    except KeyError:
        return None
    codes = {r.code for r in table.rows}
    if CARRIED_OVER not in codes or CARRIED_FORWARD not in codes:
        return None
    return tuple(c.code for c in table.cols if not c.optional)


#: the columns checked when neither record's format has carry rows: the applicant columns of the
#: newest format, so that the unknown checks still name every column
_DEFAULT_COLUMNS = _carry_columns("2021") or ()


def agency_identity(record: dict) -> str:
    """The key two records of the same agency share: `agency_key` where the record has one, else
    the agency's name normalised (NFKC, Simplified, no whitespace); "" when there is neither."""
    key = (record.get("agency_key") or "").strip()
    if key:
        return key
    return normalize_label(record.get("agency") or "")


def same_agency(a: dict, b: dict) -> bool:
    ka, kb = agency_identity(a), agency_identity(b)
    return bool(ka) and ka == kb


def _values(record: dict, row: str) -> dict[str, float | int | None] | None:
    """col -> value of one row of table 三 (None for a blank or placeholder cell); None when the
    row is not printed at all."""
    found: dict[str, float | int | None] = {}
    for c in record.get("cells") or []:
        if c.get("table") == TABLE and c.get("row") == row:
            found.setdefault(c.get("col"), c.get("value"))
    return found or None


def carry_checks(current: dict, previous: dict) -> list[dict]:
    """`cross_year.carry` checks of `current` (year N) against `previous` (year N-1)."""
    cols_now = _carry_columns(current.get("format"))
    cols_before = _carry_columns(previous.get("format"))
    columns = cols_now or cols_before or _DEFAULT_COLUMNS
    year, prev_year = current.get("year"), previous.get("year")
    consecutive = isinstance(year, int) and isinstance(prev_year, int) and year - prev_year == 1
    over = _values(current, CARRIED_OVER) if cols_now else None
    forward = _values(previous, CARRIED_FORWARD) if cols_before else None
    out = []
    for col in columns:
        left = right = None
        status = "unknown"
        if consecutive and over is not None and forward is not None and col in over and col in forward:
            left, right = over[col] or 0, forward[col] or 0
            status = "pass" if abs(left - right) < 1e-6 else "fail"
        out.append({"rule": RULE, "at": col, "status": status, "left": left, "right": right})
    return out
