"""Row classification: what the cells of one printed row are, before any label is matched.

Every source arrives as rows of cell strings (grids as they are, text lines through
govcrawl.parse.text_tables). A row is cut into its label cells (the first run of text cells) and
its value cells; colspan copies of a grid cell are marked so that a header counts them (a
`本年新` over two columns names both) while a data row counts the printed cell once. The value
helpers here (aligning values to k columns, placing an optional column) depend only on a row's
cells and a table definition.

Kept apart from the reader because these are pure functions of their arguments, with no format
matching and no reader state, and each rule is testable with a literal row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from govcrawl.document import Table
from govcrawl.formats.base import Col, TableDef
from govcrawl.parse.statistics.matcher import strip_numbering
from govcrawl.parse.values import is_value_like
from govcrawl.text.normalize import normalize_label


class SpanCopy(str):
    """A grid position covered by the colspan of the cell to its left (same text)."""


@dataclass(frozen=True)
class RowCells:
    """One printed row, cut into label cells and value cells."""

    #: label cells counting colspan copies (a header cell merged over two columns names both)
    header_cells: list[str]
    #: label cells of the printed cells (colspan copies dropped)
    labels: list[str]
    #: the cells after the labels
    values: list[str]
    #: some value cell is not blank
    nonblank: bool
    #: the label cells joined and normalized ("" when there are none)
    nlabel: str


def split(cells: list[str]) -> tuple[list[str], list[str]]:
    """Label cells (the first run of text cells) and value cells (all after it). Leading value
    cells before the label (a 序号 column) are dropped."""
    first = next((i for i, c in enumerate(cells) if c and not is_value_like(c)), None)
    if first is None:
        return [], cells
    end = first
    while end < len(cells) and (cells[end] and not is_value_like(cells[end])):
        end += 1
    return cells[first:end], cells[end:]


def split_row(cells: Sequence[str]) -> RowCells | None:
    """A row's label and value cells; None for a row of blank cells."""
    header_cells, _ = split([(c or "").strip() for c in cells])
    printed = [(c or "").strip() for c in cells if not isinstance(c, SpanCopy)]
    if not any(printed):
        return None
    labels, values = split(printed)
    nlabel = normalize_label("".join(labels)) if labels else ""
    return RowCells(header_cells, labels, values, any(v for v in values), nlabel)


def numbered(label_cells: list[str]) -> bool:
    """A numbered label (（七）总计) is a row, never a column header (总计)."""
    return any(strip_numbering(normalize_label(c)) != normalize_label(c) for c in label_cells if c)


def align(values: list[str], k: int) -> list[str]:
    """The k value cells of a row. Extra cells are the blanks of row ends and merged areas
    (dropped from the end, then from the start); a row with fewer cells than columns fills the
    first columns (a blank that the flattening dropped cannot be placed)."""
    values = list(values)
    while len(values) > k and not values[-1]:
        values.pop()
    while len(values) > k and not values[0]:
        values.pop(0)
    return values[:k]


def optional_position(t: TableDef, col: Col, printed: list[str], cols: list[str]) -> int:
    """Where an optional column (小计) goes: before the first sibling printed after it, else
    after the last sibling."""
    siblings = [c.code for c in t.cols if c.group == col.group and c.code != col.code]
    after = printed[printed.index(col.code) + 1:] if col.code in printed else []
    for code in after:
        if code in siblings and code in cols:
            return cols.index(code)
    last = max((cols.index(s) for s in siblings if s in cols), default=len(cols) - 1)
    return last + 1


def grid_rows(table: Table) -> list[list[str]]:
    """A grid's rows, colspan copies of a cell marked as `SpanCopy`."""
    rows: list[list[str]] = []
    if table.caption:
        rows.append([table.caption])
    for r, row in enumerate(table.rows):
        spans = table.spans[r] if table.spans and r < len(table.spans) else [False] * len(row)
        out: list[str] = []
        for c, text in enumerate(row):
            text = text or ""
            if c > 0 and c < len(spans) and spans[c] and text == (row[c - 1] or ""):
                out.append(SpanCopy(text))
            else:
                out.append(text)
        rows.append(out)
    return rows
