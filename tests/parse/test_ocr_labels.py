"""OCR'd row labels that lost their leading numeral (`、本年新收政府信息公开申请数量` for
`一、本年新收…`) still name their rows (govcrawl/parse/statistics/matcher.py `strip_numbering`).

The tables are real ones (tests/files/real/005_longgang_2024.txt, `|` cells; 006, an OCR'd
flipbook page with space-separated values) with the numerals of rows 一, 二 and 四 of table 三
taken off here, as an OCR pass drops them: the record must be the same as the clean page's."""

from __future__ import annotations

from pathlib import Path

import pytest

from govcrawl.formats import BY_NAME
from govcrawl.ingest import record_from_bytes
from govcrawl.parse.statistics.matcher import Matcher, label_key, other_code, strip_numbering

REAL = Path(__file__).resolve().parent.parent / "files" / "real"
M2021 = Matcher(BY_NAME["2021"])


def parse(text: str) -> dict:
    return record_from_bytes(text.encode(), "http://t/", kind="text")


def lose_numerals(text: str) -> str:
    noisy = (text.replace("一、本年新收", "、本年新收").replace("二、上年结转", ".上年结转")
             .replace("四、结转下年度继续办理", "．结转下年度继续办理"))
    assert noisy != text
    return noisy


def test_a_stray_separator_is_numbering():
    assert label_key("、本年新收政府信息公开申请数量") == "本年新收政府信息公开申请数量"
    assert label_key(".上年结转政府信息公开申请数量") == "上年结转政府信息公开申请数量"
    assert label_key("．结转下年度继续办理") == "结转下年度继续办理"   # full-width, NFKC'd to .
    assert strip_numbering("、(一)予以公开") == "予以公开"
    assert other_code("、其他事项") == "other:其他事项"
    # not a separator: a number, or a placeholder run
    assert strip_numbering(".5") == ".5" and strip_numbering("、、") == "、、"


@pytest.mark.parametrize("label, code", [("、本年新收政府信息公开申请数量", "new_received"),
                                         (".上年结转政府信息公开申请数量", "carried_over"),
                                         ("．结转下年度继续办理", "carried_forward")])
def test_the_label_names_its_row(label, code):
    table, _, row = M2021.row([label], "applications", {}, set())
    assert (table.key, row.code) == ("applications", code)


@pytest.mark.parametrize("name", ["005_longgang_2024.txt", "006_flipbook_shenji_2020.txt"])
def test_a_real_table_without_its_numerals_reads_the_same(name):
    text = (REAL / name).read_text().split("\n", 1)[1]
    clean, noisy = parse(text), parse(lose_numerals(text))
    assert noisy["cells"] == clean["cells"]
    assert noisy["checks"] == clean["checks"]
    assert not [c for c in noisy["cells"] if c["row"].startswith("other:")]


def test_the_longgang_rows_as_printed():
    rec = parse(lose_numerals((REAL / "005_longgang_2024.txt").read_text().split("\n", 1)[1]))
    grid = {(c["row"], c["col"]): c["value"] for c in rec["cells"] if c["table"] == "applications"}
    assert [grid[("new_received", c)] for c in ("natural_person", "commercial", "total")] == [58, 7, 66]
    assert [grid[("carried_over", c)] for c in ("natural_person", "total")] == [2, 2]


def test_the_flipbook_carry_row():
    rec = parse(lose_numerals((REAL / "006_flipbook_shenji_2020.txt").read_text().split("\n", 1)[1]))
    forward = [c["value"] for c in rec["cells"] if c["row"] == "carried_forward"]
    assert forward == [0] * 7
