"""Statistics tables flattened into text lines -> rows of cells.

The report text of a page (and PDF text) carries its tables in several flattened forms
(docs/report-formats.md §6.1), all turned here into the same shape as an HTML grid row: a list of cell
strings, label cells first, then value cells. Which row a row is, and which column a value is, is
decided later from the labels (govcrawl.parse.statistics); this module only cuts cells.

- row per line, `a | b | c |` (seed 003, S-LG): one line is one row;
- cell per line, `a |` with blank cells and row ends as bare `|` runs (seeds 000, 001): the cells
  of a block of such lines are one stream, and a new row starts at every label cell. Each `|` is
  one cell, so a blank keeps its position (`行政强制 |` + `||||` is a label and blank cells);
- no separators (PDF text): `label 3001 53 0 0 61 4 3119`, numbers split off the end of the line;
  a label line followed by lines of one number each (S-XX family) is one row;
- each cell on its own line and its `|` on the next (`规章` / `|` / `0` / `|` / `0` / `|`, a
  石家庄 长安区 page): the bare `|` closes the cell above it, so the pair is read as `规章 |`. Only
  in a run of such pairs (a bar-less line, `|`, a bar-less line, `|`), so a lone heading above a
  `|` row break stays a line of its own.
"""

from __future__ import annotations

import re

from govcrawl.parse.values import is_value_like, parse_value
from govcrawl.text.normalize import clean_spaces

# page footers that PDF text leaves inside tables: `- 4 -`, `第 4 页`, `4/12`
_FOOTER = re.compile(r"^(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?|\d{1,3}\s*/\s*\d{1,3})$")
# a trailing run of numeric/placeholder tokens on a line without separators
_TOKEN = re.compile(r"\S+")


def _pipe_cells(line: str) -> list[str]:
    """`a | b |` -> ["a", "b"]; `||||` -> four blanks. The text after the last `|` is the
    line's end, dropped when empty (every cell is written as `text |`)."""
    parts = line.split("|")
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    return [clean_spaces(p) for p in parts]


def _is_label(cell: str) -> bool:
    return bool(cell) and not is_value_like(cell)


def _is_number_cell(cell: str) -> bool:
    """A number or a dash/slash placeholder; not a word like `无`, which closes a narrative
    section (`六、其他需要报告的事项` / `无`)."""
    kind = parse_value(cell).kind
    return kind == "number" or (kind == "placeholder" and not any("\u4e00" <= ch <= "\u9fff" for ch in cell))


def _numbers_split(line: str) -> list[str]:
    """`（一）予以公开 1288 21 0 0 50 3 1362` -> [label, "1288", ...]. Only numbers and
    placeholders are split off (a label never ends in a free-standing number)."""
    tokens = _TOKEN.findall(line)
    k = len(tokens)
    while k > 0 and parse_value(tokens[k - 1]).kind in ("number", "placeholder"):
        k -= 1
    if k == len(tokens):
        return [line.strip()]
    label = " ".join(tokens[:k])
    return ([label] if label else []) + tokens[k:]


def _stream_rows(block: list[list[str]]) -> list[list[str]]:
    rows: list[list[str]] = []
    current: list[str] | None = None
    for cells in block:
        after_label = False
        for i, cell in enumerate(cells):
            if not cell and after_label:
                # `总计 | |||||`: bars on a label's own line close that cell (merged header
                # cells, the row end); a row's blank values come on the following lines
                continue
            after_label = _is_label(cell)
            if _is_label(cell):
                if current is not None and i > 0 and _is_label(cells[i - 1]) and current[-1] == cells[i - 1]:
                    # two labels on one line stay in one row (a merged group label + its sub-row)
                    current.append(cell)
                    continue
                current = [cell]
                rows.append(current)
            else:
                if current is None:
                    current = [""]
                    rows.append(current)
                current.append(cell)
    return rows


def _bare_bar(line: str) -> bool:
    return line.replace("\uff5c", "|").strip() == "|"


def _closes_cell(lines: list[str], i: int) -> bool:
    """`lines[i]` is a cell whose `|` stands alone on the next line, in a run of such pairs."""
    def pair(j: int) -> bool:
        return (0 <= j < len(lines) - 1 and bool(lines[j].strip()) and "|" not in lines[j]
                and "\uff5c" not in lines[j] and _bare_bar(lines[j + 1]))

    return pair(i) and (pair(i + 2) or pair(i - 2))


def join_cell_bars(lines: list[str]) -> list[str]:
    """`X` / `|` pairs -> `X |` (cells whose bar the flattening put on the next line)."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i] or ""
        if _closes_cell(lines, i):
            out.append(line.strip() + " |")
            i += 2
            continue
        out.append(line)
        i += 1
    return out


def text_rows(lines: list[str]) -> list[list[str]]:
    """All lines as rows of cells, in order. Narrative lines come out as one-cell rows; the
    reader ignores rows whose labels it does not know outside a table."""
    lines = join_cell_bars([line or "" for line in lines])
    out: list[list[str]] = []
    block: list[list[str]] = []

    def flush() -> None:
        if not block:
            return
        multi = sum(1 for cells in block if sum(1 for c in cells if c) >= 2)
        if multi * 2 >= len(block):
            out.extend(cells for cells in block if any(cells))
        else:
            out.extend(_stream_rows(block))
        block.clear()

    # a row built from a line without separators may take the following one-number lines
    # (S-XX family: `规章`, `0`, `0`, `0` on four lines)
    open_row: list[str] | None = None
    for raw in lines:
        # full-width bars are separators too; cell text itself stays as printed
        line = (raw or "").replace("\uff5c", "|").strip()
        if "|" not in line:
            line = clean_spaces(line)
        if not line:
            continue
        if "|" in line:
            open_row = None
            block.append(_pipe_cells(line))
            continue
        flush()
        if _FOOTER.match(line):
            continue
        cells = _numbers_split(line)
        if open_row is not None and len(cells) == 1 and _is_number_cell(cells[0]):
            open_row.append(cells[0])
            continue
        out.append(cells)
        open_row = cells if _is_label(cells[0]) else None
    flush()
    return out
