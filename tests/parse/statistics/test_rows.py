"""One row's label and value cells (govcrawl/parse/statistics/rows.py)."""

from __future__ import annotations

from govcrawl.document import Table
from govcrawl.formats import BY_NAME
from govcrawl.parse.statistics.rows import (
    RowCells,
    SpanCopy,
    align,
    grid_rows,
    numbered,
    optional_position,
    split,
    split_row,
)


def test_a_row_splits_into_labels_and_values():
    row = split_row(["1", "（一）予以公开", "3", "", "5"])
    # the leading 序号 cell is dropped; values keep their blanks
    assert row == RowCells(header_cells=["（一）予以公开"], labels=["（一）予以公开"],
                           values=["3", "", "5"], nonblank=True, nlabel="(一)予以公开")


def test_a_label_run_ends_at_the_first_value_cell():
    assert split(["三、本年度办理结果", "（二）部分公开", "0", "备注"]) == (
        ["三、本年度办理结果", "（二）部分公开"], ["0", "备注"])
    assert split(["1", "2"]) == ([], ["1", "2"])


def test_a_blank_row_is_none_and_a_label_only_row_has_no_values():
    assert split_row(["", " "]) is None
    row = split_row(["（二）部分公开"])
    assert row is not None and row.values == [] and not row.nonblank


def test_colspan_copies_count_for_headers_only():
    row = split_row(["本年新", SpanCopy("本年新"), "总计"])
    assert row.header_cells == ["本年新", "本年新", "总计"]
    assert row.labels == ["本年新", "总计"]


def test_grid_rows_mark_colspan_copies():
    table = Table(rows=[["本年新", "本年新", "总计"]], caption="表一", spans=[[False, True, False]])
    rows = grid_rows(table)
    assert rows == [["表一"], ["本年新", "本年新", "总计"]]
    assert [isinstance(c, SpanCopy) for c in rows[1]] == [False, True, False]


def test_numbered_labels():
    assert numbered(["（七）总计"])
    assert not numbered(["总计"])


def test_align_drops_surplus_blanks_from_the_end_then_the_start():
    assert align(["", "1", "2", "", ""], 2) == ["1", "2"]
    assert align(["1"], 3) == ["1"]


def test_optional_column_goes_among_its_siblings():
    t = BY_NAME["2021"].table("applications")
    subtotal = next(c for c in t.cols if c.code == "org_subtotal")
    cols = ["natural_person", "commercial", "research", "nonprofit", "legal_services", "other_org", "total"]
    # printed before 商业企业: it goes there; not printed: after the last sibling
    assert optional_position(t, subtotal, ["natural_person", "org_subtotal", "commercial"], cols) == 1
    assert optional_position(t, subtotal, [], cols) == 6
