"""The vocabulary of format definitions: rows, columns, tables, identities.

A format is data only; `govcrawl.parse.statistics` reads any table through these definitions, so a
new local variant is a new alias or row here, not a new branch in the parser.
Labels are written as printed (full-width forms are fine): the parser compares them through
`normalize_label` with numbering and parenthetical glosses removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Col:
    code: str
    labels: tuple[str, ...]
    #: columns that only local variants print (法人或其他组织 小计): used only where a header names them
    optional: bool = False
    #: siblings an optional column is placed among (its position follows the printed header order)
    group: str | None = None


@dataclass(frozen=True)
class Row:
    #: None for a heading row that never carries cells of its own (一、主动公开情况, 三、本年度办理结果)
    code: str | None
    labels: tuple[str, ...]
    #: default columns for rows of a multi-part table (table 二) when no header was printed
    cols: tuple[str, ...] | None = None
    #: a group row (（三）不予公开): cells are kept only where the table prints numbers on it
    subtotal: bool = False


@dataclass(frozen=True)
class TableDef:
    key: str
    #: headings/captions that open this table (section titles, 统计表 titles)
    titles: tuple[str, ...]
    cols: tuple[Col, ...]
    rows: tuple[Row, ...]
    #: the row that unlabeled value lines belong to (table 四 prints its 15 numbers with no label)
    default_row: str | None = None
    #: labels of header cells that name no value column (信息内容, 申请人情况, 法人或其他组织)
    header_labels: tuple[str, ...] = ()
    #: 统计表: the cell after the label may be the 单位 column
    unit_column: bool = False
    #: captions that split a table into parts with their own header (第二十条第（一）项)
    part_labels: tuple[str, ...] = ()
    #: header cells of a column of row codes (`代码`: 01, 02, ...): its numbers are not values
    code_headers: tuple[str, ...] = ()
    #: labels of the column-ID row under a form's header (`甲 | 乙 | 丙 | 1 | 2`): not a data row
    id_row_labels: tuple[str, ...] = ()
    #: header cells over a group of columns printed on the next header row: (label, `Col.group`)
    #: (`法人或其他组织` over 商业企业 … 其他): where the group stands in the column order
    group_headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Identity:
    """`sum(left) == sum(right)`.

    over="cols": terms are row codes, checked once per column (`at` = the column);
    over="rows": terms are column codes, checked once per row (`at` = the row);
    over=None:   terms are "row@col", checked once (`at` given).
    A term `denied.*` is every non-subtotal row under `denied.`; `other.*|other` takes the first
    alternative whose rows are printed. `optional` identities are skipped when their left side
    is not printed at all (subtotal rows and columns that only some tables have).
    """

    rule: str
    table: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    over: str | None = None
    at: str | None = None
    optional: bool = False


@dataclass(frozen=True)
class Format:
    name: str
    tables: tuple[TableDef, ...]
    identities: tuple[Identity, ...] = field(default=())
    #: (table, row) pairs whose printed numbers decide a tie with a format that reads the same
    #: rows (2019 and 2021 share tables 三 and 四; a （六）其他处理 row with numbers is 2019's)
    tie_rows: tuple[tuple[str, str], ...] = ()
    #: (first, last) report years the format was prescribed for (None: open); decides a tie that
    #: the printed rows leave open (docs/report-formats.md §0)
    years: tuple[int | None, int | None] = (None, None)

    def table(self, key: str) -> TableDef:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)
