"""The row reader with one format (govcrawl/parse/statistics/reader.py) and the choice among
formats (govcrawl/parse/statistics/read.py)."""

from __future__ import annotations

from govcrawl.formats import BY_NAME
from govcrawl.parse.statistics.matcher import Matcher
from govcrawl.parse.statistics.read import _choose
from govcrawl.parse.statistics.reader import Reader

F2021 = BY_NAME["2021"]
HEADER = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
COLS = ["natural_person", "commercial", "research", "nonprofit", "legal_services", "other_org", "total"]


def read(rows: list[list[str] | None]) -> Reader:
    reader = Reader(F2021, Matcher(F2021))
    for row in rows:
        reader.feed(row)
    reader.finish()
    return reader


def grid(reader: Reader) -> dict[tuple[str, str], str]:
    return {(c["row"], c["col"]): c["raw"] for c in reader.cells}


def test_title_header_and_data_rows():
    reader = read([["三、收到和处理政府信息公开申请情况"], HEADER, ["（一）予以公开", "1", "2", "3", "4", "5", "6", "21"]])
    assert [(c["row"], c["col"], c["value"]) for c in reader.cells] == [
        ("granted", col, v) for col, v in zip(COLS, [1, 2, 3, 4, 5, 6, 21])]
    assert ("title", "applications") in reader.features
    assert reader.header == {"applications": COLS}


def test_a_label_line_takes_the_values_of_the_next_line():
    reader = read([["三、收到和处理政府信息公开申请情况"], HEADER, ["（二）部分公开"], ["0", "0", "0", "0", "0", "0", "7"]])
    assert grid(reader)[("partial", "total")] == "7"


def test_a_label_without_values_at_the_end_of_the_table_has_no_cells():
    # the text prints no cell of the row: a cell the text does not print is not a cell (this
    # test used to expect seven blank cells); the row still counts as recognised
    reader = read([["三、收到和处理政府信息公开申请情况"], HEADER, ["（二）部分公开"], ["单位负责人：张三"]])
    assert reader.cells == []
    assert ("applications", "partial") in reader.label_rows
    assert ("row", "applications", "partial") in reader.features


def test_an_unknown_row_with_numbers_is_kept_as_other():
    reader = read([["三、收到和处理政府信息公开申请情况"], HEADER, ["（八）其他事项", "1", "", "", "", "", "", "1"]])
    assert grid(reader)[("other:其他事项", "total")] == "1"


def test_a_tie_goes_to_the_format_of_the_year():
    f2019, f2021 = BY_NAME["2019"], BY_NAME["2021"]
    cells = [{"table": "review_litigation", "row": "cases", "col": "review.total", "raw": "1"}]
    results = [(5, BY_NAME["statistics"], []), (9, f2019, cells), (9, f2021, cells)]
    assert _choose(results, 2020)[1] is f2019
    assert _choose(results, 2022)[1] is f2021
    assert _choose(results, None)[1] is f2021
    assert _choose([(2, f2019, cells)]) is None
