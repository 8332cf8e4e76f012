"""HTML tables as grids: rowspan/colspan expanded, Word-pasted markup tolerated.

trafilatura turns merged cells into empty placeholders and drops tables with links, so the
statistics tables are read here, from the raw markup.
"""

from __future__ import annotations

from lxml import html as lxml_html

from govcrawl.document import Table
from govcrawl.text.normalize import clean_spaces

MAX_SPAN = 200  # a broken rowspan="9999" must not blow the grid up


def _span(cell, name: str) -> int:
    try:
        value = int(str(cell.get(name, "1")).strip() or 1)
    except ValueError:
        return 1
    return max(1, min(value, MAX_SPAN))


def cell_text(cell) -> str:
    """A cell's text: <br> and block children become spaces, whitespace collapsed."""
    parts: list[str] = []
    for node in cell.iter():
        if node.tag in ("br", "p", "div") and parts:
            parts.append(" ")
        if node.text and node is not cell and node.tag in ("script", "style"):
            continue
        if node.text:
            parts.append(node.text)
        if node is not cell and node.tail:
            parts.append(node.tail)
    return clean_spaces("".join(parts))


def table_grid(table) -> Table:
    """One <table> element (lxml) as a `Table`; nested tables are read separately by the caller."""
    grid: list[list[str | None]] = []
    spans: list[list[bool]] = []
    pending: dict[tuple[int, int], str] = {}  # (row, col) -> text carried down by rowspan
    rows = [tr for tr in table.iter("tr") if _owner_table(tr) is table]
    for r, tr in enumerate(rows):
        row: list[str | None] = []
        row_spans: list[bool] = []
        c = 0
        cells = [td for td in tr if td.tag in ("td", "th")]
        for td in cells:
            while (r, c) in pending:
                row.append(pending.pop((r, c)))
                row_spans.append(True)
                c += 1
            text = cell_text(td)
            rs, cs = _span(td, "rowspan"), _span(td, "colspan")
            for dc in range(cs):
                row.append(text)
                row_spans.append(dc > 0)
                for dr in range(1, rs):
                    pending[(r + dr, c + dc)] = text
            c += cs
        while (r, c) in pending:
            row.append(pending.pop((r, c)))
            row_spans.append(True)
            c += 1
        grid.append(row)
        spans.append(row_spans)
    width = max((len(r) for r in grid), default=0)
    rows_out = [[(x or "") for x in row] + [""] * (width - len(row)) for row in grid]
    spans_out = [s + [True] * (width - len(s)) for s in spans]
    return Table(rows=rows_out, spans=spans_out)


def _owner_table(tr):
    node = tr.getparent()
    while node is not None and node.tag != "table":
        node = node.getparent()
    return node


def html_tables(markup: str | bytes, *, innermost_only: bool = True) -> list[Table]:
    """Every table of a page as a grid, in document order. With `innermost_only`, layout tables
    that merely contain other tables are skipped (old sites nest the whole page in tables)."""
    root = lxml_html.fromstring(markup) if not hasattr(markup, "iter") else markup
    out = []
    for table in root.iter("table"):
        if innermost_only and any(True for _ in table.iter("table") if _ is not table):
            continue
        grid = table_grid(table)
        if grid.rows:
            out.append(grid)
    return out
