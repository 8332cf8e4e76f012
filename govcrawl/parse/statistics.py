"""Statistics tables -> cells and checks (shared/spec/report-schema.md).

    read_statistics(tables, lines, year=None) -> {"format", "cells", "checks"}

Every source is first cut into rows of cell strings (HTML/DOCX/PDF grids as they are, text lines
through govcrawl.parse.text_tables), then one reader walks the rows with a format definition
(govcrawl/formats) and decides, from the labels alone, what each row is:

- a table title or part caption (`三、收到和处理政府信息公开申请情况`, `第二十条第（一）项`);
- a header row (its cells are column labels): it fixes which columns the next rows carry;
- a data row: its label is matched to a row of the format, its trailing cells to the columns;
- an unknown row with numbers inside a table: kept as `other:<label>`.

The format is chosen by reading the rows with each format and keeping the one that recognises
most rows and headers, so a 2019 report printed on the old 统计表 reads as `statistics`.
Values are kept as printed; identities that fail are reported by the checks, never corrected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from govcrawl.document import Table
from govcrawl.formats import FORMATS
from govcrawl.formats.base import Format, Row, TableDef
from govcrawl.parse.checks import run_checks
from govcrawl.text.normalize import normalize_label
from govcrawl.parse.text_tables import text_rows
from govcrawl.parse.values import header_unit, is_unit, is_value_like, parse_value

_CN = "一二三四五六七八九十"
# numbering in front of a label: 一、 （一） (1) 1. 1、 其中：
_NUMBERING = re.compile(
    rf"^(?:第?[{_CN}]{{1,3}}[、.．]|\([{_CN}]{{1,3}}\)、?|\(\d{{1,2}}\)|\d{{1,2}}[.、)．](?!\d)|其中[:]?)"
)
_GLOSS = re.compile(r"\([^()]*\)")
_OPEN_GLOSS = re.compile(r"\([^()]*$")
_QUOTES = re.compile(r"[“”\"'‘’《》「」]")
# where a run-together label holds several numbered labels: `（四）无1.本机关不掌握…`
_SEGMENT = re.compile(rf"(?=\([{_CN}]{{1,3}}\))|(?<![\d.])(?=\d{{1,2}}\.(?!\d))")

#: rows after which a table region is over (narrative sections, sign-off lines of a 统计表)
END_MARKERS = ("存在的主要问题", "其他需要报告的事项", "单位负责人", "填报人", "扫一扫", "审核人")
#: minimum recognition score for a format to be reported at all
MIN_SCORE = 3
MAX_LABEL_FOR_OTHER = 60


def strip_numbering(text: str) -> str:
    prev = None
    while prev != text and text:
        prev = text
        text = _NUMBERING.sub("", text, count=1)
    return text


@lru_cache(maxsize=65536)
def label_key(label: str) -> str:
    """The matching key of a label: normalized, numbering and parenthetical glosses removed."""
    full = strip_numbering(normalize_label(label))
    key = full
    while True:
        shorter = _GLOSS.sub("", key)
        if shorter == key:
            break
        key = shorter
    key = strip_numbering(_QUOTES.sub("", _OPEN_GLOSS.sub("", key)))
    return key or _QUOTES.sub("", full).strip("()")


@lru_cache(maxsize=65536)
def _segments(label: str) -> tuple[str, ...]:
    parts = [p for p in _SEGMENT.split(normalize_label(label)) if p]
    return tuple(parts)


def other_code(label: str) -> str:
    return "other:" + strip_numbering(normalize_label(label))


def _score(key: str, alias: str) -> float:
    if not key or not alias:
        return 0.0
    if key == alias:
        return 3.0
    if len(alias) >= 3 and key.startswith(alias):  # suffixes: 数, 情况, a cut gloss
        return 2.0 + len(alias) / 1000
    if len(key) >= 3 and alias.startswith(key):  # a truncated or wrapped label (`本年新`)
        return 1.0 + len(key) / 1000
    return 0.0


class _Matcher:
    """Precomputed label keys of one format."""

    def __init__(self, fmt: Format):
        self.fmt = fmt
        self.rows = [
            (t, i, row, [label_key(a) for a in row.labels])
            for t in fmt.tables
            for i, row in enumerate(t.rows)
        ]
        self.cols = {t.key: [(c, [label_key(a) for a in c.labels]) for c in t.cols] for t in fmt.tables}
        self.header_labels = {t.key: [normalize_label(h) for h in t.header_labels] for t in fmt.tables}
        self.titles = [(t, [normalize_label(x) for x in t.titles]) for t in fmt.tables]
        self.parts = [(t, [normalize_label(x) for x in t.part_labels]) for t in fmt.tables]
        self._memo: dict[str, list] = {}
        self._col_memo: dict[tuple[str, str], list] = {}

    def title(self, nlabel: str) -> TableDef | None:
        for t, titles in self.titles:
            if any(x in nlabel for x in titles):
                return t
        return None

    def part(self, nlabel: str) -> TableDef | None:
        for t, parts in self.parts:
            if any(nlabel.startswith(x) for x in parts):
                return t
        return None

    def row(self, label_cells: list[str], current: str | None, last_idx: dict, used: set):
        """The row a label names: the most specific label cell first (a merged group label is
        only context), then numbered segments of a run-together label."""
        candidates = []
        for cell in reversed(label_cells):
            segs = _segments(cell)
            candidates.extend(reversed(segs))
            if len(segs) > 1:
                candidates.append(cell)
        if len(label_cells) > 1:
            candidates.append("".join(label_cells))
        for text in candidates:
            key = label_key(text)
            if not key:
                continue
            best = [
                b for b in self._scored(key)
                # a label of another table than the one being read must say more than a word
                if not (current and b[1].key != current and b[0] < 3 and (b[0] < 2 or len(key) < 4))
            ]
            if not best:
                continue
            top = max(b[0] for b in best)
            best = [b for b in best if b[0] == top]
            if current:
                same = [b for b in best if b[1].key == current]
                best = same or best
            # repeated labels (（二）被依法纠错数) are told apart by table order
            after = [b for b in best if b[2] > last_idx.get(b[1].key, -1) and (b[1].key, b[3].code) not in used]
            fresh = [b for b in best if (b[1].key, b[3].code) not in used]
            pick = (after or fresh or best)[0]
            return pick[1], pick[2], pick[3]
        return None

    def _scored(self, key: str) -> list[tuple[float, TableDef, int, Row]]:
        """Every row whose aliases match `key`, with its score (memoised: labels repeat)."""
        hit = self._memo.get(key)
        if hit is None:
            hit = []
            for t, i, row, aliases in self.rows:
                s = max(_score(key, a) for a in aliases)
                if s > 0:
                    hit.append((s, t, i, row))
            if len(self._memo) < 100_000:
                self._memo[key] = hit
        return hit

    def header(self, label_cells: list[str], prefer: str | None, taken: dict[str, list[str]]):
        """(table, [(col code, header text)]) when every label cell is a column header."""
        found = []
        for t in self.fmt.tables:
            codes: list[tuple[str, str]] = []
            hits = 0
            used = list(taken.get(t.key, []))
            ok = True
            for cell in label_cells:
                if not cell:
                    continue
                got = self._header_cell(t.key, cell, used)
                if got is None and " " in cell.strip():
                    # PDF text puts a whole header row on one line: `自然人 法人或其他组织 总计`
                    parts = [self._header_cell(t.key, p, used) for p in cell.split()]
                    got = None if any(p is None for p in parts) else [x for p in parts for x in p]
                if got is None:
                    ok = False
                    break
                for col, text in got:
                    if col is None:
                        hits += 1
                    else:
                        codes.append((col, text))
            if ok and (codes or hits):
                found.append((t.key == prefer, len(codes) + hits, t, codes))
        if not found:
            return None
        found.sort(key=lambda f: (f[0], f[1]), reverse=True)
        return found[0][2], found[0][3]

    def _header_cell(self, table: str, cell: str, used: list[str]):
        """[(col code or None for a header-only label, text)] or None if not a header cell.
        `used` collects the codes taken, so repeated headers (结果维持 x3) take the next column."""
        n = normalize_label(cell)
        key = label_key(cell)
        col = self._col(table, key, used, exact=True)
        if col is None and any(h == n or (len(h) >= 4 and h in n) for h in self.header_labels[table]):
            return [(None, cell)]
        if col is None:
            col = self._col(table, key, used, exact=False)
        if col is None:
            return None
        used.append(col)
        return [(col, cell)]

    def _col(self, table: str, key: str, used: list[str], exact: bool) -> str | None:
        scored = self._col_memo.get((table, key))
        if scored is None:
            scored = [(s, col.code) for col, aliases in self.cols[table]
                      if (s := max(_score(key, a) for a in aliases)) > 0]
            if len(self._col_memo) < 100_000:
                self._col_memo[(table, key)] = scored
        best = [(s, c) for s, c in scored if s == 3 or not exact]
        if not best:
            return None
        top = max(s for s, _ in best)
        codes = [c for s, c in best if s == top]
        fresh = [c for c in codes if c not in used]
        return (fresh or codes)[0]


@dataclass
class _Reader:
    fmt: Format
    m: _Matcher
    current: str | None = None
    in_header: str | None = None
    header: dict = field(default_factory=dict)  # table -> [col codes] of the latest header
    header_units: dict = field(default_factory=dict)  # table -> {col: unit}
    pending: tuple | None = None  # (TableDef, Row) printed without values yet (wrapped label)
    pending_label: str = ""
    last_idx: dict = field(default_factory=dict)
    last_cols: dict = field(default_factory=dict)
    used_rows: set = field(default_factory=set)
    emitted: set = field(default_factory=set)
    cells: list = field(default_factory=list)
    features: set = field(default_factory=set)
    code_columns: set = field(default_factory=set)  # tables whose header printed a 代码 column

    # -- rows -------------------------------------------------------------------------------
    def feed(self, cells: list[str] | None) -> None:
        if cells is None:
            # a new grid: rows of an unknown kind (a page footer table) must not continue the
            # last statistics table; its own header and labels say what it is
            self._end()
            return
        # colspan copies count for headers (`本年新` over two columns names both) but are one
        # printed cell in a data row
        header_cells, _ = _split([(c or "").strip() for c in cells])
        cells = [(c or "").strip() for c in cells if not isinstance(c, _SpanCopy)]
        if not any(cells):
            return
        label_cells, values = _split(cells)
        nonblank = any(v for v in values)
        nlabel = normalize_label("".join(label_cells)) if label_cells else ""
        if label_cells and any(all(normalize_label(c) in t.id_row_labels for c in label_cells)
                               for t in self.fmt.tables if self.current in (None, t.key)):
            return  # `甲 | 乙 | 丙 | 1 | 2`: the column-ID row of a form, not data

        if label_cells and any(x in nlabel for x in END_MARKERS):
            self._end()
            return
        if label_cells and not nonblank:
            if len(nlabel) > 80 or "。" in nlabel:
                self._end()
                return
            t = self.m.title(nlabel)
            if t is not None:
                self._open(t.key)
                self.features.add(("title", t.key))
                return
            t = self.m.part(nlabel)
            if t is not None:
                self._open(t.key)
                self.features.add(("part", nlabel))
                return

        if label_cells and nonblank and self.in_header:
            # table 四 read cell by cell: its 15 numbers follow the last header cell
            t = self.fmt.table(self.in_header)
            h = self.m.header(header_cells, self.in_header, self.header)
            if t.default_row and h and h[0].key == t.key and not _numbered(label_cells):
                self._add_header(t.key, h[1])
                self._emit(t, t.default_row, None, values)
                self.in_header = None
                return

        if label_cells and not nonblank:
            # a header printing a 代码 column (`指标名称 | 计量单位 | 代码 | 本期实际 | 本年累计`)
            for t in self.fmt.tables:
                if any(normalize_label(c) in t.code_headers for c in header_cells if c):
                    self.code_columns.add(t.key)

        if label_cells and not nonblank and not _numbered(label_cells):
            h = self.m.header(header_cells, self.current or self.in_header, self.header)
            if h:
                t, codes = h
                if self.in_header != t.key:
                    self.header[t.key] = []
                    self.header_units[t.key] = {}
                self.in_header = self.current = t.key
                self._add_header(t.key, codes)
                return

        match = self.m.row(label_cells, self.current, self.last_idx, self.used_rows) if label_cells else None
        if match and nonblank and self._local_subrow(label_cells):
            # `其他对外管理服务事项 | 行政检查 | 0 | 0 | 0`: a local sub-row under a merged row
            # label; the numbers are the sub-row's, not the named row's
            match = None
            label_cells = label_cells[-1:]
            nlabel = normalize_label(label_cells[0])
        if match:
            t, idx, row = match
            self.current = t.key
            self.in_header = None
            self.last_idx[t.key] = idx
            self._settle_pending()
            if row.code is None or (row.subtotal and not nonblank):
                return
            if not values:
                self.pending = (t, row)
                self.pending_label = nlabel
                return
            if row.subtotal and self._spread(t, row, values):
                return
            self._emit(t, row.code, row, values)
            return

        if not nonblank:
            return
        self.in_header = None
        if self.pending and label_cells and self._subrow_of_pending(nlabel):
            # `其他对外管理服务事项 |` / `行政检查 |` `0 |` ...: the pending label is a merged
            # group cell over local sub-rows, which are kept as other: rows
            self.pending = None
        elif self.pending and (not label_cells or len(nlabel) <= 20):
            t, row = self.pending
            self.pending = None
            self._emit(t, row.code, row, values)
            return
        if not label_cells:
            t = self._default_table(values)
            if t is not None:
                self.current = t.key
                self._emit(t, t.default_row, None, values)
            return
        # a long label is a narrative line, unless its length is a gloss (湖北: `其他主动公开文件(含以
        # 本单位…名义正式签发的…)`)
        if self.current and len(label_key("".join(label_cells))) <= MAX_LABEL_FOR_OTHER:
            t = self.fmt.table(self.current)
            code = other_code("".join(label_cells))
            if code != "other:":
                self._emit(t, code, None, values)

    def _subrow_of_pending(self, nlabel: str) -> bool:
        """A short complete item label after a pending row label, not the rest of a wrapped one:
        unnumbered, no gloss brackets, unknown to the format, and not completing an alias of the
        pending row (`其他对外管理服` + `务事项`)."""
        key = label_key(nlabel)
        if not key or key != nlabel or len(key) < 4 or len(key) > 12 or _numbered([nlabel]):
            return False
        if self.m._scored(key):
            return False
        _, row = self.pending
        whole = label_key(self.pending_label + nlabel)
        return not any(whole == label_key(a) or label_key(a).startswith(whole) for a in row.labels)

    def _local_subrow(self, label_cells: list[str]) -> bool:
        """The last of several label cells names no row of the format while an earlier one does:
        a sub-row label of the local table (short, unnumbered, no gloss)."""
        if len(label_cells) < 2 or not self.current:
            return False
        last = label_cells[-1]
        key = label_key(last)
        return (bool(key) and len(key) <= 12 and key == normalize_label(last) and not _numbered([last])
                and not self.m._scored(key) and self.m.title(normalize_label(last)) is None
                and self.m.part(normalize_label(last)) is None)

    def _spread(self, t: TableDef, row: Row, values: list[str]) -> bool:
        """A group label followed by the numbers of all its items, their labels lost (S-OW:
        `(三)不予公开 |` then 8 x 7 `0 |` lines): the numbers are dealt to the items in template
        order, by count. Only when the count fits the template exactly."""
        children = [r for r in t.rows if r.code and r.code.startswith(row.code + ".")]
        k = len(self._cols(t, row))
        numbers = [v for v in values if v]
        if not children or not k or len(numbers) % k or len(numbers) // k not in (len(children), len(children) + 1):
            return False
        chunks = [numbers[i:i + k] for i in range(0, len(numbers), k)]
        if len(chunks) == len(children) + 1:
            self._emit(t, row.code, row, chunks.pop(0))
        for child, chunk in zip(children, chunks):
            self._emit(t, child.code, child, chunk)
        self.last_idx[t.key] = t.rows.index(children[-1])
        return True

    def _default_table(self, values: list[str]) -> TableDef | None:
        if self.current:
            t = self.fmt.table(self.current)
            if t.default_row:
                return t
        width = len([v for v in values if v])
        for t in self.fmt.tables:
            if t.default_row and width == len([c for c in t.cols if not c.optional]):
                return t
        return None

    def _settle_pending(self) -> None:
        """A row label printed with no values before the next row (or the table's end) is a row
        of blank cells: the flattening dropped its empty cells, not the row."""
        if self.pending is None:
            return
        t, row = self.pending
        self.pending = None
        if not row.subtotal:
            self._emit(t, row.code, row, [""] * len(self._cols(t, row)))

    def _open(self, table: str) -> None:
        self._settle_pending()
        self.current = table
        self.in_header = None
        self.header[table] = []
        self.header_units[table] = {}

    def _end(self) -> None:
        self._settle_pending()
        self.current = self.in_header = None

    def _add_header(self, table: str, codes: list[tuple[str, str]]) -> None:
        seq = self.header.setdefault(table, [])
        units = self.header_units.setdefault(table, {})
        for code, text in codes:
            seq.append(code)
            self.features.add(("col", table, code))
            unit = header_unit(text)
            if unit:
                units[code] = unit

    # -- cells ------------------------------------------------------------------------------
    def _cols(self, t: TableDef, row: Row | None) -> list[str]:
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
                cols.insert(_optional_position(t, c, printed, cols), c.code)
        return cols

    def _emit(self, t: TableDef, code: str, row: Row | None, values: list[str]) -> None:
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
        cols = self._cols(t, row)
        if not cols:
            return
        optional = [c for c in t.cols if c.optional and c.code not in cols]
        if optional and (row is None or row.cols is None):
            filled = _align(values, len(cols) + len(optional))
            if len(filled) == len(cols) + len(optional) and filled[-1]:
                # one number more per optional column than the header showed (a garbled PDF header
                # over a 小计 column): the column is there, in its usual place
                for c in optional:
                    cols.insert(_optional_position(t, c, [], cols), c.code)
        self.last_cols[t.key] = cols
        self.used_rows.add((t.key, code))
        if not code.startswith("other:"):
            self.features.add(("row", t.key, code))
        units = self.header_units.get(t.key, {})
        for col, raw in zip(cols, _align(values, len(cols))):
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


def _optional_position(t: TableDef, col, printed: list[str], cols: list[str]) -> int:
    """Where an optional column (小计) goes: before the first sibling printed after it, else
    after the last sibling."""
    siblings = [c.code for c in t.cols if c.group == col.group and c.code != col.code]
    after = printed[printed.index(col.code) + 1:] if col.code in printed else []
    for code in after:
        if code in siblings and code in cols:
            return cols.index(code)
    last = max((cols.index(s) for s in siblings if s in cols), default=len(cols) - 1)
    return last + 1


def _numbered(label_cells: list[str]) -> bool:
    """A numbered label (（七）总计) is a row, never a column header (总计)."""
    return any(strip_numbering(normalize_label(c)) != normalize_label(c) for c in label_cells if c)


def _split(cells: list[str]) -> tuple[list[str], list[str]]:
    """Label cells (the first run of text cells) and value cells (all after it). Leading value
    cells before the label (a 序号 column) are dropped."""
    first = next((i for i, c in enumerate(cells) if c and not is_value_like(c)), None)
    if first is None:
        return [], cells
    end = first
    while end < len(cells) and (cells[end] and not is_value_like(cells[end])):
        end += 1
    return cells[first:end], cells[end:]


def _align(values: list[str], k: int) -> list[str]:
    """The k value cells of a row. Extra cells are the blanks of row ends and merged areas
    (dropped from the end, then from the start); a row with fewer cells than columns fills the
    first columns (a blank that the flattening dropped cannot be placed)."""
    values = list(values)
    while len(values) > k and not values[-1]:
        values.pop()
    while len(values) > k and not values[0]:
        values.pop(0)
    return values[:k]


class _SpanCopy(str):
    """A grid position covered by the colspan of the cell to its left (same text)."""


def _grid_rows(table: Table) -> list[list[str]]:
    """A grid's rows, colspan copies of a cell marked as `_SpanCopy`."""
    rows = []
    if table.caption:
        rows.append([table.caption])
    for r, row in enumerate(table.rows):
        spans = table.spans[r] if table.spans and r < len(table.spans) else [False] * len(row)
        out = []
        for c, text in enumerate(row):
            text = text or ""
            if c > 0 and c < len(spans) and spans[c] and text == (row[c - 1] or ""):
                out.append(_SpanCopy(text))
            else:
                out.append(text)
        rows.append(out)
    return rows


def _read(fmt: Format, matcher: _Matcher, rows: list[list[str] | None]) -> _Reader:
    reader = _Reader(fmt, matcher)
    for row in rows:
        reader.feed(row)
    reader._settle_pending()
    return reader


@lru_cache(maxsize=None)
def _matcher(name: str) -> _Matcher:
    return _Matcher(next(f for f in FORMATS if f.name == name))


def _merge(table_reader: _Reader, line_reader: _Reader) -> list[dict]:
    """Per statistics table, the cells read from grids, else those read from text lines."""
    from_grids = {c["table"] for c in table_reader.cells}
    return table_reader.cells + [c for c in line_reader.cells if c["table"] not in from_grids]


def read_statistics(tables: list[Table], lines: list[str], year: int | None = None) -> dict:
    """Statistics cells and checks of a report: {"format", "cells", "checks"}.

    `year` (the year reported on, when known) decides between formats that read the rows equally
    well (only table 四 printed: same rows in 2019 and 2021)."""
    grid_rows: list[list[str] | None] = []
    for t in tables or []:
        grid_rows.append(None)
        grid_rows.extend(_grid_rows(t))
    line_rows = text_rows(list(lines or []))
    results = []
    for fmt in FORMATS:
        m = _matcher(fmt.name)
        tr = _read(fmt, m, grid_rows)
        lr = _read(fmt, m, line_rows)
        cells = _merge(tr, lr)
        score = len(tr.features | lr.features)
        results.append((score, fmt, cells))
    best = _choose(results, year)
    if best is None:
        return {"format": "none", "cells": [], "checks": []}
    _, fmt, cells = best
    return {"format": fmt.name, "cells": cells, "checks": run_checks(fmt, cells)}


def _choose(results, year: int | None = None):
    results = [r for r in results if r[0] >= MIN_SCORE and r[2]]
    if not results:
        return None
    top = max(r[0] for r in results)
    tied = [r for r in results if r[0] == top]
    if len(tied) > 1:
        for score, fmt, cells in tied:
            marks = set(fmt.tie_rows)
            if any((c["table"], c["row"]) in marks and c["raw"] for c in cells):
                return score, fmt, cells
        # nothing tells them apart (only table 四 printed): the layout of the report's year, else
        # the newest layout
        if year is not None:
            for score, fmt, cells in tied:
                first, last = fmt.years
                if (first is None or year >= first) and (last is None or year <= last):
                    return score, fmt, cells
        return tied[-1]
    return tied[0]
