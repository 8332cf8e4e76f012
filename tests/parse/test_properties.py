"""Property tests: any table in an official layout, rendered as a page prints it (HTML, row per
line, cell per line, PDF-style numbers), parses back to the same cells; arbitrary input never
crashes the reader."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govcrawl.document import Table
from govcrawl.extract.tables import html_tables
from govcrawl.formats import render
from govcrawl.parse.statistics import read_statistics

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PLACEHOLDERS = ["-", "—", "——", "/", "无"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@st.composite
def raw_value(draw, col: str, blanks: bool):
    kinds = ["int", "int", "int", "zero", "placeholder", "decimal"] + (["blank"] if blanks else [])
    if col == "change":
        kinds += ["jian", "negative"]
    kind = draw(st.sampled_from(kinds))
    if kind == "int":
        text = str(draw(st.integers(min_value=1, max_value=999999)))
        return text.translate(FULL_WIDTH) if draw(st.booleans()) and len(text) < 3 else text
    if kind == "zero":
        return "0"
    if kind == "blank":
        return ""
    if kind == "placeholder":
        return draw(st.sampled_from(PLACEHOLDERS))
    if kind == "decimal":
        return f"{draw(st.integers(0, 99999))}.{draw(st.integers(1, 99))}"
    if kind == "jian":
        return f"减{draw(st.integers(1, 99))}"
    return f"-{draw(st.integers(1, 99))}"


@st.composite
def printed_report(draw, blanks: bool = True):
    name = draw(st.sampled_from(["statistics", "2019", "2021"]))
    options = {}
    if name != "statistics":
        options = {"org_subtotal": draw(st.booleans()), "subtotals": draw(st.booleans())}
    tables = render.layout(name, **options)
    values = {key: draw(raw_value(key[2], blanks)) for key in render.cell_keys(tables)}
    return name, tables, values


def parsed(result) -> dict:
    return {(c["table"], c["row"], c["col"]): c["raw"] for c in result["cells"]}


@SETTINGS
@given(printed_report())
def test_html_round_trip(report):
    name, tables, values = report
    result = read_statistics(html_tables(render.to_html(tables, values)), [])
    assert result["format"] == name
    assert parsed(result) == values


@SETTINGS
@given(printed_report(), st.booleans())
def test_plain_html_round_trip(report, word):
    _name, tables, values = report
    result = read_statistics(html_tables(render.to_html(tables, values, word=word)), [])
    assert parsed(result) == values


@SETTINGS
@given(printed_report())
def test_row_per_line_round_trip(report):
    name, tables, values = report
    result = read_statistics([], render.to_row_lines(tables, values))
    assert result["format"] == name
    assert parsed(result) == values


@SETTINGS
@given(printed_report())
def test_cell_per_line_round_trip(report):
    name, tables, values = report
    result = read_statistics([], render.to_cell_lines(tables, values))
    assert result["format"] == name
    assert parsed(result) == values


@SETTINGS
@given(printed_report(blanks=False))
def test_space_separated_round_trip(report):
    # PDF text cannot show a blank cell, so these tables print none
    name, tables, values = report
    result = read_statistics([], render.to_space_lines(tables, values))
    assert result["format"] == name
    assert parsed(result) == values


@SETTINGS
@given(printed_report())
def test_checks_cover_every_identity_and_never_touch_cells(report):
    _name, tables, values = report
    result = read_statistics([], render.to_row_lines(tables, values))
    assert parsed(result) == values
    for check in result["checks"]:
        assert check["status"] in ("pass", "fail", "unknown")
        if check["status"] != "unknown":
            assert (check["status"] == "pass") == (abs(check["left"] - check["right"]) < 1e-6)


CHARS = st.sampled_from(list("|｜ 0123456789.-—/无减元件条（）()一二三四、") + list("本年新收政府信息公开申请数量总计规章行政许可统计指标单位其他"))


def _check_shape(result):
    assert result["format"] in ("statistics", "2019", "2021", "none")
    for c in result["cells"]:
        assert set(c) == {"table", "row", "col", "value", "raw", "unit"}
        assert c["value"] is None or isinstance(c["value"], (int, float))
    for c in result["checks"]:
        assert set(c) == {"rule", "at", "status", "left", "right"}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(CHARS, max_size=40), max_size=40))
def test_arbitrary_lines_never_crash(lines):
    _check_shape(read_statistics([], lines))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(CHARS, max_size=12), min_size=0, max_size=9), max_size=12), st.text(CHARS, max_size=20))
def test_arbitrary_grids_never_crash(rows, caption):
    width = max((len(r) for r in rows), default=0)
    grid = [r + [""] * (width - len(r)) for r in rows]
    _check_shape(read_statistics([Table(rows=grid, caption=caption)], []))


@settings(max_examples=40, deadline=None)
@given(printed_report(), st.data())
def test_damaged_tables_never_crash(report, data):
    # drop and duplicate random lines of a real rendering
    _, tables, values = report
    lines = render.to_cell_lines(tables, values)
    picks = data.draw(st.lists(st.integers(0, len(lines) - 1), max_size=len(lines)))
    _check_shape(read_statistics([], [lines[i] for i in picks]))


_FULL_WIDTH_PUNCT = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，", ".": "．"})


@SETTINGS
@given(printed_report(), st.sampled_from(["row", "cell", "html"]), st.booleans(), st.booleans())
def test_traditional_and_full_width_renderings_read_the_same_numbers(report, form, traditional, full_width):
    from opencc import OpenCC

    name, tables, values = report
    convert = OpenCC("s2t").convert if traditional else (lambda s: s)
    if form == "html":
        result = read_statistics(html_tables(convert(render.to_html(tables, values))), [])
    else:
        lines = render.to_row_lines(tables, values) if form == "row" else render.to_cell_lines(tables, values)
        lines = [convert(line) for line in lines]
        if full_width:
            # labels only: a decimal point in a value stays as printed
            lines = [line if any(ch.isdigit() for ch in line.split("|")[0][-1:])
                     else line.translate(_FULL_WIDTH_PUNCT) for line in lines]
        result = read_statistics([], lines)
    assert result["format"] == name
    got = {(c["table"], c["row"], c["col"]): c["value"] for c in result["cells"]}
    from govcrawl.parse.values import parse_value

    assert got == {key: parse_value(raw).value for key, raw in values.items()}
