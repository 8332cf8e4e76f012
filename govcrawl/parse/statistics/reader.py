"""The row reader: one pass over a report's rows with one format definition.

`Reader.feed` takes the rows one at a time and decides, from the labels alone, what each is:

- a structure row: a form's column-ID row, the end of a table region, a table title or part
  caption (`三、收到和处理政府信息公开申请情况`, `第二十条第（一）项`), or a header row (its
  cells are column labels: it fixes which columns the next rows carry);
- a data row: its label is matched to a row of the format, its trailing cells to the columns;
- an unknown row with numbers inside a table: kept as `other:<label>`.

A printed table spreads its meaning over rows, so the reader keeps that state: the table being
read, the columns its latest header printed, a row label still waiting for its values (a wrapped
label, or a label line before its number lines). Cells come out in `cells`; `features` records
what was recognised, which is how read.py scores one format against another. Values are kept
as printed; nothing is corrected here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from govcrawl.formats.base import Format, Row, TableDef
from govcrawl.parse.statistics.matcher import GROUP_MARK, Matcher, RowMatch, label_key, other_code
from govcrawl.parse.statistics.rows import RowCells, align, numbered, optional_position, split_row
from govcrawl.parse.values import header_unit, is_unit, parse_value
from govcrawl.text.normalize import normalize_label

#: rows after which a table region is over (narrative sections, sign-off lines of a 统计表)
END_MARKERS = ("存在的主要问题", "其他需要报告的事项", "单位负责人", "填报人", "扫一扫", "审核人")
#: any of END_MARKERS in a label (one regex search per row, for every row of every format)
_END = re.compile("|".join(map(re.escape, END_MARKERS)))
MAX_LABEL_FOR_OTHER = 60


@dataclass(frozen=True)
class _Pending:
    """A row label printed without values yet (a wrapped label, values on the next lines)."""

    table: TableDef
    row: Row
    code: str
    label: str  # the normalized label as printed, to tell its continuation from a sub-row


@dataclass
class Reader:
    """The state of one pass over a report's rows with one format; `cells` is the output."""

    fmt: Format
    m: Matcher
    current: str | None = None
    in_header: str | None = None
    header: dict[str, list[str]] = field(default_factory=dict)  # table -> col codes of the latest header
    #: table -> the latest header's columns in printed position (group markers `@org` until the
    #: group's own header row fills them)
    layout: dict[str, list[str]] = field(default_factory=dict)
    header_units: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> {col: unit}
    pending: _Pending | None = None
    last_idx: dict[str, int] = field(default_factory=dict)
    last_cols: dict[str, list[str]] = field(default_factory=dict)
    used_rows: set[tuple[str, str]] = field(default_factory=set)
    emitted: set[tuple[str, str, str]] = field(default_factory=set)
    cells: list[dict] = field(default_factory=list)
    features: set[tuple[str, ...]] = field(default_factory=set)
    code_columns: set[str] = field(default_factory=set)  # tables whose header printed a 代码 column
    #: rows whose label is printed without any cell (recognised, but no cells)
    label_rows: set[tuple[str, str]] = field(default_factory=set)

    # -- rows -------------------------------------------------------------------------------
    def feed(self, cells: Sequence[str] | None) -> None:
        """Read one row; None starts a new grid."""
        if cells is None:
            # a new grid: rows of an unknown kind (a page footer table) must not continue the
            # last statistics table; its own header and labels say what it is
            self._end()
            return
        self.feed_split(split_row(cells))

    def feed_split(self, line: RowCells | None) -> None:
        """`feed` of a row already cut by `split_row` (None: a row of blank cells). read.py cuts
        each row once for all the formats it reads the report with."""
        if line is None or (line.labels and self._structure(line)):
            return
        match = self.m.row(line.labels, self.current, self.last_idx, self.used_rows) if line.labels else None
        if match and line.nonblank and self._local_subrow(line.labels):
            # `其他对外管理服务事项 | 行政检查 | 0 | 0 | 0`: a local sub-row under a merged row
            # label; the numbers are the sub-row's, not the named row's
            match = None
            line = replace(line, labels=line.labels[-1:], nlabel=normalize_label(line.labels[-1]))
        if match:
            self._data_row(line, match)
        elif line.nonblank:
            self._unmatched_row(line)

    def finish(self) -> None:
        """The rows are over: a label still waiting for values is a row of blank cells."""
        self._settle_pending()

    def _structure(self, line: RowCells) -> bool:
        """Rows that say where the reader is rather than hold cells: a form's column-ID row, the
        end of a table region, a title or part caption, a header (True when `line` was one)."""
        if self._id_row(line):
            return True  # `甲 | 乙 | 丙 | 1 | 2`: the column-ID row of a form, not data
        if _END.search(line.nlabel):
            self._end()
            return True
        if line.nonblank:
            return self._values_after_header(line)
        if self._caption(line):
            return True
        self._note_code_columns(line)
        return not numbered(line.labels) and self._header(line)

    def _id_row(self, line: RowCells) -> bool:
        return any(all(normalize_label(c) in t.id_row_labels for c in line.labels)
                   for t in self.fmt.tables if self.current in (None, t.key))

    def _caption(self, line: RowCells) -> bool:
        """A label row without numbers that opens a table (its title or a part caption), or a
        narrative line that ends one."""
        if len(line.nlabel) > 80 or "。" in line.nlabel:
            self._end()
            return True
        t = self.m.title(line.nlabel)
        if t is not None:
            self._open(t.key)
            self.features.add(("title", t.key))
            return True
        t = self.m.part(line.nlabel)
        if t is not None:
            self._open(t.key)
            self.features.add(("part", line.nlabel))
            return True
        return False

    def _values_after_header(self, line: RowCells) -> bool:
        """Table 四 read cell by cell: its 15 numbers follow the last header cell, on the row of
        that cell, and belong to the table's default row."""
        if not self.in_header:
            return False
        t = self.fmt.table(self.in_header)
        code = t.default_row
        h = self.m.header(line.header_cells, self.in_header, self.header)
        if not code or not h or h[0].key != t.key or numbered(line.labels):
            return False
        self._add_header(t.key, h[1])
        self._emit(t, code, None, line.values)
        self.in_header = None
        return True

    def _note_code_columns(self, line: RowCells) -> None:
        # a header printing a 代码 column (`指标名称 | 计量单位 | 代码 | 本期实际 | 本年累计`)
        for t in self.fmt.tables:
            if any(normalize_label(c) in t.code_headers for c in line.header_cells if c):
                self.code_columns.add(t.key)

    def _header(self, line: RowCells) -> bool:
        h = self.m.header(line.header_cells, self.current or self.in_header, self.header)
        if not h:
            return False
        t, codes = h
        if self.in_header != t.key:
            self.header[t.key] = []
            self.layout[t.key] = []
            self.header_units[t.key] = {}
        self.in_header = self.current = t.key
        self._add_header(t.key, codes)
        return True

    def _data_row(self, line: RowCells, match: RowMatch) -> None:
        """A row whose label names a row of the format."""
        t, idx, row = match
        self.current = t.key
        self.in_header = None
        self.last_idx[t.key] = idx
        self._settle_pending()
        if row.code is None or (row.subtotal and not line.nonblank):
            return
        if not line.values:
            self.pending = _Pending(t, row, row.code, line.nlabel)
            return
        if row.subtotal and self._spread(t, row, row.code, line.values):
            return
        self._emit(t, row.code, row, line.values)

    def _unmatched_row(self, line: RowCells) -> None:
        """A row with numbers whose label names no row: the values of a pending label, of the
        default row (no label), or an `other:` row of the table being read."""
        self.in_header = None
        if self._pending_takes(line):
            return
        if not line.labels:
            found = self._default_table(line.values)
            if found is not None:
                t, code = found
                self.current = t.key
                self._emit(t, code, None, line.values)
            return
        # a long label is a narrative line, unless its length is a gloss (湖北: `其他主动公开文件(含以
        # 本单位…名义正式签发的…)`)
        if self.current and len(label_key("".join(line.labels))) <= MAX_LABEL_FOR_OTHER:
            t = self.fmt.table(self.current)
            code = other_code("".join(line.labels))
            if code != "other:":
                self._emit(t, code, None, line.values)

    def _pending_takes(self, line: RowCells) -> bool:
        """The values of `line` belong to the pending row label (True when emitted there)."""
        p = self.pending
        if p is None:
            return False
        if line.labels and self._subrow_of(p, line.nlabel):
            # `其他对外管理服务事项 |` / `行政检查 |` `0 |` ...: the pending label is a merged
            # group cell over local sub-rows, which are kept as other: rows
            self.pending = None
            return False
        if line.labels and len(line.nlabel) > 20:
            return False
        self.pending = None
        self._emit(p.table, p.code, p.row, line.values)
        return True

    def _subrow_of(self, p: _Pending, nlabel: str) -> bool:
        """A short complete item label after a pending row label, not the rest of a wrapped one:
        unnumbered, no gloss brackets, unknown to the format, and not completing an alias of the
        pending row (`其他对外管理服` + `务事项`)."""
        key = label_key(nlabel)
        if not key or key != nlabel or len(key) < 4 or len(key) > 12 or numbered([nlabel]):
            return False
        if self.m.scored(key):
            return False
        whole = label_key(p.label + nlabel)
        return not any(whole == label_key(a) or label_key(a).startswith(whole) for a in p.row.labels)

    def _local_subrow(self, label_cells: list[str]) -> bool:
        """The last of several label cells names no row of the format while an earlier one does:
        a sub-row label of the local table (short, unnumbered, no gloss)."""
        if len(label_cells) < 2 or not self.current:
            return False
        last = label_cells[-1]
        key = label_key(last)
        return (bool(key) and len(key) <= 12 and key == normalize_label(last) and not numbered([last])
                and not self.m.scored(key) and self.m.title(normalize_label(last)) is None
                and self.m.part(normalize_label(last)) is None)

    def _spread(self, t: TableDef, row: Row, code: str, values: list[str]) -> bool:
        """A group label followed by the numbers of all its items, their labels lost (S-OW:
        `(三)不予公开 |` then 8 x 7 `0 |` lines): the numbers are dealt to the items in template
        order, by count. Only when the count fits the template exactly."""
        children = [(r.code, r) for r in t.rows if r.code and r.code.startswith(code + ".")]
        k = len(self._cols(t, row))
        numbers = [v for v in values if v]
        if not children or not k or len(numbers) % k or len(numbers) // k not in (len(children), len(children) + 1):
            return False
        chunks = [numbers[i:i + k] for i in range(0, len(numbers), k)]
        if len(chunks) == len(children) + 1:
            self._emit(t, code, row, chunks.pop(0))
        for (child_code, child), chunk in zip(children, chunks):
            self._emit(t, child_code, child, chunk)
        self.last_idx[t.key] = t.rows.index(children[-1][1])
        return True

    def _default_table(self, values: list[str]) -> tuple[TableDef, str] | None:
        """The table (and its default row) that unlabelled values belong to: the current one if it
        has a default row, else the one whose column count the values fill."""
        if self.current:
            t = self.fmt.table(self.current)
            if t.default_row:
                return t, t.default_row
        width = len([v for v in values if v])
        for t in self.fmt.tables:
            if t.default_row and width == len([c for c in t.cols if not c.optional]):
                return t, t.default_row
        return None

    def _settle_pending(self) -> None:
        """A row label printed with no values before the next row (or the table's end): the text
        prints no cell of that row (a skeleton with its blanks dropped, a label cut at the end of
        a copy), so the row has no cells. A cell the text does not print is not a cell; the row
        still counts as recognised for choosing the format."""
        if self.pending is None:
            return
        p = self.pending
        self.pending = None
        if not p.row.subtotal:
            self.features.add(("row", p.table.key, p.code))
            self.label_rows.add((p.table.key, p.code))

    def _open(self, table: str) -> None:
        self._settle_pending()
        self.current = table
        self.in_header = None
        self.header[table] = []
        self.layout[table] = []
        self.header_units[table] = {}

    def _end(self) -> None:
        self._settle_pending()
        self.current = self.in_header = None

    def _add_header(self, table: str, codes: list[tuple[str, str]]) -> None:
        """Note a header row's columns: in printed order (`header`), and in position (`layout`):
        a row of sub-columns takes the place of the group cell above it (`自然人 | 法人或其他组织 |
        总计` over `商业企业 | … | 其他`)."""
        seq = self.header.setdefault(table, [])
        layout = self.layout.setdefault(table, [])
        groups = {c.code: c.group for c in self.fmt.table(table).cols}
        for code, _ in codes:
            marker = GROUP_MARK + (groups.get(code) or "")
            if code in layout:
                continue
            if not code.startswith(GROUP_MARK) and marker in layout:
                layout.insert(layout.index(marker), code)  # a column of the group, in its place
            else:
                layout.append(code)
        units = self.header_units.setdefault(table, {})
        for code, text in codes:
            if code.startswith(GROUP_MARK):
                continue
            seq.append(code)
            self.features.add(("col", table, code))
            unit = header_unit(text)
            if unit:
                units[code] = unit

    # -- cells ------------------------------------------------------------------------------
    def _cols(self, t: TableDef, row: Row | None) -> list[str]:
        """The columns a row's values fill, from the latest header and the row's definition."""
        printed = list(dict.fromkeys(self.header.get(t.key, [])))
        if row is not None and row.cols is not None:
            if printed and set(printed) <= set(row.cols):
                return printed
            return list(row.cols)
        if any(r.cols for r in t.rows):  # a multi-part table: an unknown row takes its part's columns
            return printed or self.last_cols.get(t.key) or []
        cols = [c.code for c in t.cols if not c.optional]
        for c in t.cols:
            if c.optional and c.code in printed:
                cols.insert(optional_position(t, c, printed, cols), c.code)
        return cols

    def _printed_cols(self, t: TableDef, values: list[str] | None = None) -> list[str] | None:
        """The columns in the positions the latest header printed them (a local table that
        reorders or omits columns), for a table whose rows share one column set; None when no
        usable header was printed: fewer than two columns placed, a group whose sub-columns never
        came, or more values in the row than columns in the header (a header only partly read)."""
        if any(r.cols for r in t.rows):
            return None
        layout = self.layout.get(t.key) or []
        groups = {c.code: c.group for c in t.cols}
        for mark in (e for e in layout if e.startswith(GROUP_MARK)):
            if not any(groups.get(e) == mark[len(GROUP_MARK):] for e in layout):
                return None  # `法人或其他组织` printed, its sub-columns never read
        cols = [e for e in dict.fromkeys(layout) if not e.startswith(GROUP_MARK)]
        if len(cols) < 2:
            return None
        if values is not None and len(align(values, len(values))) > len(cols) \
                and any(v.strip() for v in values[len(cols):]):
            return None
        return cols

    def _value_cols(self, t: TableDef, row: Row | None, values: list[str]) -> list[str]:
        """`_cols`, widened by the optional columns the values show but the header did not; the
        printed header's own column positions where it placed them."""
        printed = self._printed_cols(t, values)
        if printed is not None:
            return printed
        cols = self._cols(t, row)
        if not cols:
            return cols
        optional = [c for c in t.cols if c.optional and c.code not in cols]
        if optional and (row is None or row.cols is None):
            filled = align(values, len(cols) + len(optional))
            if len(filled) == len(cols) + len(optional) and filled[-1]:
                # one number more per optional column than the header showed (a garbled PDF header
                # over a 小计 column): the column is there, in its usual place
                for c in optional:
                    cols.insert(optional_position(t, c, [], cols), c.code)
        return cols

    def _unit_cell(self, t: TableDef, values: list[str]) -> tuple[list[str], str | None]:
        """The values without a 统计表's 单位 cell (and 代码 cell), and the unit printed there."""
        row_unit = None
        if t.unit_column and values:
            # the 单位 column: usually right after the label, blank or `——` on some rows; a table
            # printing 统计数 before 单位 still has its unit word somewhere in the row
            at = next((i for i, v in enumerate(values) if is_unit(v)), None)
            if at is not None:
                row_unit = values[at].strip()
                values = values[:at] + values[at + 1:]
                if t.key in self.code_columns:
                    # `计量单位 | 代码 | 本期实际`: the first number after the unit is the row's code
                    code_at = next((i for i in range(at, len(values)) if values[i].strip()), None)
                    if code_at is not None and re.fullmatch(r"\d{1,3}", values[code_at].strip()):
                        values = values[:code_at] + values[code_at + 1:]
            elif len(values) >= 2 and parse_value(values[0]).kind in ("blank", "placeholder"):
                values = values[1:]
        return values, row_unit

    def _emit(self, t: TableDef, code: str, row: Row | None, values: list[str]) -> None:
        values, row_unit = self._unit_cell(t, values)
        cols = self._value_cols(t, row, values)
        if not cols:
            return
        self.last_cols[t.key] = cols
        self.used_rows.add((t.key, code))
        if not code.startswith("other:"):
            self.features.add(("row", t.key, code))
        units = self.header_units.get(t.key, {})
        for col, raw in zip(cols, align(values, len(cols))):
            key = (t.key, code, col)
            if key in self.emitted:
                continue
            self.emitted.add(key)
            p = parse_value(raw)
            self.cells.append({
                "table": t.key,
                "row": code,
                "col": col,
                "value": p.value,
                "raw": raw.strip(),
                "unit": p.unit or row_unit or units.get(col),
            })
