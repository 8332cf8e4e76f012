"""Flattened text tables -> rows of cells (docs/report-formats.md §6.1)."""

from __future__ import annotations

from govcrawl.parse.text_tables import text_rows


def test_row_per_line_cells():
    rows = text_rows(["统 计 指 标 | 单位 | 统计数 |", "一、主动公开情况 | —— | |", "(一)主动公开政府信息数 | 条 | 0 |"])
    assert rows == [["统 计 指 标", "单位", "统计数"], ["一、主动公开情况", "——", ""], ["(一)主动公开政府信息数", "条", "0"]]


def test_row_per_line_keeps_merged_group_label_as_extra_cell():
    rows = text_rows([
        "三、本年度办理结果 | (一)予以公开 | 2 | 1 | 0 | 0 | 0 | 0 | 3 |",
        "(三)不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    ])
    assert rows[0][:3] == ["三、本年度办理结果", "(一)予以公开", "2"]
    assert rows[1][:2] == ["(三)不予公开", "1.属于国家秘密"]
    assert len(rows[2]) == 8


def test_cell_per_line_bar_runs_are_blank_cells():
    # seed 001: 行政强制 with three blank cells on the next line, then the row end
    rows = text_rows(["第二十条第(六)项 | ||||", "行政处罚 |", "0 |", "0 |", "0 | |", "行政强制 |", "||||"])
    assert rows[0] == ["第二十条第(六)项"]  # the bars on its own line close the merged caption
    assert rows[1] == ["行政处罚", "0", "0", "0", ""]
    assert rows[2] == ["行政强制", "", "", "", ""]


def test_cell_per_line_unit_stays_in_row():
    # seed 000: label, unit, value on three lines; a group row with `||`
    rows = text_rows(["一、主动公开情况 |", "||", "1.政府公报公开政府信息数 |", "条 |", "0 |"])
    assert rows == [["一、主动公开情况", "", ""], ["1.政府公报公开政府信息数", "条", "0"]]


def test_space_separated_numbers_after_label():
    rows = text_rows(["一、本年新收政府信息公开申请数量 3001 53 0 0 61 4 3119"])
    assert rows == [["一、本年新收政府信息公开申请数量", "3001", "53", "0", "0", "61", "4", "3119"]]


def test_space_separated_keeps_label_spaces_and_placeholders():
    rows = text_rows(["第二十条 第（八）项", "行政强制 4 4 -"])
    assert rows == [["第二十条 第（八）项"], ["行政强制", "4", "4", "-"]]


def test_page_footer_dropped():
    assert text_rows(["- 4 -", "第 2 页", "（一）予以公开 1288 21 0 0 50 3 1362"]) == [
        ["（一）予以公开", "1288", "21", "0", "0", "50", "3", "1362"]
    ]


def test_fifteen_values_on_one_line():
    rows = text_rows(["0 0 0 0 0 0 0 0 0 0 0 0 0 0 1"])
    assert rows == [["0"] * 14 + ["1"]]


def test_full_width_bar_is_a_separator():
    assert text_rows(["规章｜3｜0｜12｜"]) == [["规章", "3", "0", "12"]]


def test_narrative_line_is_one_cell():
    line = "2019年,我局主动公开政府信息18954余条,其中政府网站公开4084条。"
    assert text_rows([line]) == [[line]]


def test_one_value_per_line_without_separators_joins_the_label():
    # S-XX / 益阳 family: every cell on its own line, no bars
    rows = text_rows(["规章", "0", "0", "0", "规范性文件", "326", "332", "750"])
    assert rows == [["规章", "0", "0", "0"], ["规范性文件", "326", "332", "750"]]


def test_vertical_header_then_value_line_stays_apart():
    rows = text_rows(["持 正 果 结", "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"])
    assert rows == [["持 正 果 结"], ["0"] * 15]


# --- a cell on one line, its bar on the next (tests/files/real/037_sjzca_tjj_2023.txt, 石家庄 长安区) ------------------

from govcrawl.parse.text_tables import join_cell_bars  # noqa: E402


def test_cell_then_bare_bar_lines_are_joined():
    lines = ["规章", "|", "0", "|", "0", "|", "0", "|", "||", "规范性文件", "|", "1", "|"]
    assert join_cell_bars(lines) == ["规章 |", "0 |", "0 |", "0 |", "||", "规范性文件 |", "1 |"]
    assert text_rows(lines)[:2] == [["规章", "0", "0", "0", "", ""], ["规范性文件", "1"]]


def test_a_lone_heading_over_a_row_break_is_not_a_cell():
    # 黄陂 (tests/files/real/046_huangpi_street_2020.txt): `二、主动公开政府信息情况` / `|` / `第二十条第(一)项 | |||`
    lines = ["二、主动公开政府信息情况", "|", "第二十条第(一)项 | |||"]
    assert join_cell_bars(lines) == lines
    # blank cells printed as bare bars after a barred label stay blank cells (tests/files/real/036_qu_tjj_2023.txt)
    lines = ["一、本年新收政府信息公开申请数量 |", "|", "|", "0 |"]
    assert join_cell_bars(lines) == lines
