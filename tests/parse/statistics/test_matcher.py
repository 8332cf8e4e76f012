"""Labels -> format rows and columns (govcrawl/parse/statistics/matcher.py)."""

from __future__ import annotations

from govcrawl.formats import BY_NAME
from govcrawl.parse.statistics.matcher import Matcher, label_key, other_code, strip_numbering

F2021 = BY_NAME["2021"]
M2021 = Matcher(F2021)


def test_label_key_drops_numbering_and_glosses():
    assert label_key("一、本年新收政府信息公开申请数量") == "本年新收政府信息公开申请数量"
    assert label_key("（三）不予公开（含部分）") == "不予公开"
    # numbering is stripped from normalized (half-width) labels
    assert strip_numbering("(七)总计") == "总计"
    assert other_code("（八）其他事项") == "other:其他事项"


def test_a_label_matches_its_row():
    table, idx, row = M2021.row(["（一）予以公开"], "applications", {}, set())
    assert (table.key, idx, row.code) == ("applications", 3, "granted")


def test_a_merged_group_label_is_only_context():
    # the most specific (last) label cell names the row; 本年度办理结果 is the heading over it
    table, _, row = M2021.row(["三、本年度办理结果", "（一）予以公开"], None, {}, set())
    assert (table.key, row.code) == ("applications", "granted")


def test_an_alias_with_a_suffix_and_a_truncated_label_match():
    assert M2021.row(["本年新收政府信息公开申请数量"], None, {}, set())[2].code == "new_received"
    # a wrapped label cut after three characters still names its row
    assert M2021.row(["本年新"], "applications", {}, set())[2].code == "new_received"


def test_an_unknown_label_matches_no_row():
    assert M2021.row(["扫码查看原文"], "applications", {}, set()) is None


def test_header_cells_map_to_column_codes():
    table, codes = M2021.header(["自然人", "商业企业", "总计"], None, {})
    assert table.key == "applications"
    assert codes == [("natural_person", "自然人"), ("commercial", "商业企业"), ("total", "总计")]


def test_a_data_label_is_not_a_header():
    assert M2021.header(["予以公开"], None, {}) is None


def test_titles_and_part_captions():
    assert M2021.title("三、收到和处理政府信息公开申请情况").key == "applications"
    assert M2021.part("第二十条第(一)项").key == "active"
    assert M2021.title("一、总体情况") is None
