"""read_statistics: a report's tables and text lines -> {"format", "cells", "checks"}.

The report is read once per format (govcrawl/formats), from its grids and from its text lines
separately, and the format that recognises most rows, headers and titles wins; a table read
from a grid is preferred to the same table read from text. This module only runs the readers
and chooses: what a row is belongs to reader.py, what a label names to matcher.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

from govcrawl.document import Table
from govcrawl.formats import FORMATS
from govcrawl.formats.base import Format
from govcrawl.parse.checks import run_checks
from govcrawl.parse.statistics.matcher import Matcher
from govcrawl.parse.statistics.reader import Reader
from govcrawl.parse.statistics.rows import RowCells, grid_rows, split_row
from govcrawl.parse.text_tables import text_rows

#: minimum recognition score for a format to be reported at all
MIN_SCORE = 3

#: (recognition score, format, cells, rows printed as labels only) of one format's reading
Result = tuple[int, Format, list[dict], int]
#: a form printed with its labels only (no cell at all) still uses a format when this many of its
#: rows are recognised
MIN_LABEL_ROWS = 5


#: where a new grid starts among split rows (`Reader.feed(None)`)
NEW_GRID = object()


def _split_rows(rows: Iterable[Sequence[str] | None]) -> list[RowCells | object | None]:
    """The rows cut into labels and values (`split_row`) once, for every format to read them:
    the cut does not depend on the format. None stays a new grid (NEW_GRID)."""
    return [NEW_GRID if row is None else split_row(row) for row in rows]


def _read(fmt: Format, matcher: Matcher, rows: list[RowCells | object | None]) -> Reader:
    reader = Reader(fmt, matcher)
    for row in rows:
        if row is None or isinstance(row, RowCells):
            reader.feed_split(row)
        else:  # NEW_GRID
            reader.feed(None)
    reader.finish()
    return reader


@cache
def _matcher(name: str) -> Matcher:
    return Matcher(next(f for f in FORMATS if f.name == name))


def _merge(table_reader: Reader, line_reader: Reader) -> list[dict]:
    """Per statistics table, the cells read from grids, else those read from text lines."""
    from_grids = {c["table"] for c in table_reader.cells}
    return table_reader.cells + [c for c in line_reader.cells if c["table"] not in from_grids]


def read_statistics(tables: list[Table], lines: list[str], year: int | None = None) -> dict:
    """Statistics cells and checks of a report: {"format", "cells", "checks"}.

    `year` (the year reported on, when known) decides between formats that read the rows equally
    well (only table 四 printed: same rows in 2019 and 2021)."""
    grids: list[list[str] | None] = []
    for t in tables or []:
        grids.append(None)
        grids.extend(grid_rows(t))
    split_grids = _split_rows(grids)
    split_lines = _split_rows(text_rows(list(lines or [])))
    results: list[Result] = []
    for fmt in FORMATS:
        m = _matcher(fmt.name)
        tr = _read(fmt, m, split_grids)
        lr = _read(fmt, m, split_lines)
        cells = _merge(tr, lr)
        score = len(tr.features | lr.features)
        results.append((score, fmt, cells, len(tr.label_rows | lr.label_rows)))
    best = _choose(results, year)
    if best is None:
        return {"format": "none", "cells": [], "checks": []}
    _, fmt, cells, _ = best
    return {"format": fmt.name, "cells": cells, "checks": run_checks(fmt, cells)}


def _label_rows(result: Sequence) -> int:
    return result[3] if len(result) > 3 else 0


def _choose(results: Sequence[Result] | list, year: int | None = None) -> Result | None:
    """The best reading: highest score; a tie goes to the format whose own rows are printed,
    else to the format of the report's year, else to the newest format."""
    results = [r for r in results if r[0] >= MIN_SCORE and (r[2] or _label_rows(r) >= MIN_LABEL_ROWS)]
    if not results:
        return None
    top = max(r[0] for r in results)
    tied = [r for r in results if r[0] == top]
    if len(tied) > 1:
        for r in tied:
            marks = set(r[1].tie_rows)
            if any((c["table"], c["row"]) in marks and c["raw"] for c in r[2]):
                return r
        # nothing tells them apart (only table 四 printed): the layout of the report's year, else
        # the newest layout
        if year is not None:
            for r in tied:
                first, last = r[1].years
                if (first is None or year >= first) and (last is None or year <= last):
                    return r
        return tied[-1]
    return tied[0]
