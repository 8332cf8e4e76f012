"""Accounting identities over parsed cells (docs/report-schema.md, "Checks").

The identities themselves are data (`Format.identities`, govcrawl/formats); this module only
evaluates them. Blank and placeholder cells count as 0; a row or column the identity needs but
the report does not print makes the check `unknown`. Cells are never changed.
"""

from __future__ import annotations

from collections.abc import Sequence

from govcrawl.formats.base import Format, Identity, TableDef

#: (table, row, col) of a cell
Key = tuple[str, ...]
Grid = dict[Key, dict]

_EPS = 1e-6


def _expand_rows(tdef: TableDef, pattern: str, present: set[str]) -> list[str]:
    """`denied.*` -> the non-subtotal rows under `denied.`; `other.*|other` -> the first
    alternative whose rows are all printed (else the first that names any row)."""
    alternatives = []
    for alt in pattern.split("|"):
        if alt.endswith(".*"):
            prefix = alt[:-1]
            rows = [r.code for r in tdef.rows if r.code and r.code.startswith(prefix) and not r.subtotal]
        else:
            rows = [alt]
        if rows:
            alternatives.append(rows)
    for rows in alternatives:
        if all(r in present for r in rows):
            return rows
    return alternatives[0] if alternatives else []


def _expand_cols(tdef: TableDef, pattern: str) -> list[str]:
    if pattern.endswith(".*"):
        return [c.code for c in tdef.cols if c.code.startswith(pattern[:-1])]
    return [pattern]


def _sum(keys: Sequence[Key], grid: Grid) -> tuple[float | int | None, bool]:
    total: float | int = 0
    missing = False
    for key in keys:
        cell = grid.get(key)
        if cell is None:
            missing = True
            continue
        if cell["value"] is not None:
            total += cell["value"]
    if isinstance(total, float):
        total = round(total, 6)
    return (None if missing else total), missing


def _check(rule: str, at: str, left_keys: Sequence[Key], right_keys: Sequence[Key], grid: Grid) -> dict:
    left, _ = _sum(left_keys, grid)
    right, _ = _sum(right_keys, grid)
    if left is None or right is None:  # _sum gives None exactly when a term is missing
        status = "unknown"
    else:
        status = "pass" if abs(left - right) < _EPS else "fail"
    return {"rule": rule, "at": at, "status": status, "left": left, "right": right}


def run_checks(fmt: Format, cells: list[dict]) -> list[dict]:
    grid: Grid = {(c["table"], c["row"], c["col"]): c for c in cells}
    rows_of: dict[str, list[str]] = {}
    cols_of: dict[str, list[str]] = {}
    for c in cells:
        rows = rows_of.setdefault(c["table"], [])
        if c["row"] not in rows:
            rows.append(c["row"])
        cols = cols_of.setdefault(c["table"], [])
        if c["col"] not in cols:
            cols.append(c["col"])
    out: list[dict] = []
    for ident in fmt.identities:
        out.extend(_run(ident, fmt.table(ident.table), grid, rows_of, cols_of))
    return out


def _run(ident: Identity, tdef: TableDef, grid: Grid, rows_of: dict[str, list[str]],
         cols_of: dict[str, list[str]]) -> list[dict]:
    t = tdef.key
    present_rows = set(rows_of.get(t, ()))
    printed_cols = cols_of.get(t, [])
    out = []
    if ident.over == "cols":
        if ident.optional and not all(r in present_rows for r in ident.left):
            return []
        cols = printed_cols or [c.code for c in tdef.cols if not c.optional]
        left_rows = [r for p in ident.left for r in _expand_rows(tdef, p, present_rows)]
        right_rows = [r for p in ident.right for r in _expand_rows(tdef, p, present_rows)]
        for col in cols:
            at = ident.at.format(col=col) if ident.at else col
            out.append(_check(ident.rule, at, [(t, r, col) for r in left_rows],
                              [(t, r, col) for r in right_rows], grid))
    elif ident.over == "rows":
        left_cols = [c for p in ident.left for c in _expand_cols(tdef, p)]
        right_cols = [c for p in ident.right for c in _expand_cols(tdef, p)]
        if ident.optional and not all(c in printed_cols for c in left_cols):
            return []
        rows = rows_of.get(t) or [r.code for r in tdef.rows if r.code and not r.subtotal]
        for row in rows:
            if ident.optional and not all((t, row, c) in grid for c in left_cols):
                continue
            out.append(_check(ident.rule, ident.at.format(row=row) if ident.at else row,
                              [(t, row, c) for c in left_cols], [(t, row, c) for c in right_cols], grid))
    else:
        def keys(terms: tuple[str, ...]) -> list[Key]:
            return [(t, *term.split("@", 1)) for term in terms]

        if ident.optional and not all(k in grid for k in keys(ident.left)):
            return []
        out.append(_check(ident.rule, ident.at or "", keys(ident.left), keys(ident.right), grid))
    return out
