"""Top-level sections 一、 二、 ... in order; statistics-table rows are not sections."""

from __future__ import annotations

from govcrawl.parse.sections import numeral_value, split_sections


def headings(lines, **kw):
    return [s["heading"] for s in split_sections(lines, **kw)]


def test_numerals():
    assert [numeral_value(x) for x in ("一", "九", "十", "十一", "二十", "二十三")] == [1, 9, 10, 11, 20, 23]


def test_sections_in_order_with_text():
    sections = split_sections(["导语。", "一、总体情况", "甲。", "乙。", "二、存在问题", "丙。"])
    assert sections == [{"heading": "一、总体情况", "text": "甲。\n乙。"},
                        {"heading": "二、存在问题", "text": "丙。"}]


def test_space_after_comma_is_dropped_from_heading():
    assert headings(["一、 工作完成情况", "x", "二、 存在问题"]) == ["一、工作完成情况", "二、存在问题"]


def test_table_rows_with_pipes_are_not_sections():
    lines = ["一、总体情况", "x", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
             "一、本年新收政府信息公开申请数量 |", "3 |", "四、结转下年度继续办理 |", "0 |",
             "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项", "无"]
    assert headings(lines) == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                               "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
                               "六、其他需要报告的事项"]


def test_pdf_table_rows_with_numbers_are_not_sections():
    lines = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
             "一、本年新收政府信息公开申请数量 3001 53 0 0 61 4 3119",
             "四、结转下年度继续办理 0 0 0 0 0 0 0", "四、政府信息公开行政复议、行政诉讼情况"]
    assert headings(lines)[-1] == "四、政府信息公开行政复议、行政诉讼情况"
    assert len(headings(lines)) == 4


def test_known_row_label_without_numbers_is_not_a_section():
    lines = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
             "四、结转下年度继续办理", "四、政府信息公开行政复议、行政诉讼情况"]
    assert headings(lines)[3] == "四、政府信息公开行政复议、行政诉讼情况"


def test_out_of_order_numbering_is_skipped():
    assert headings(["二、不是开头", "一、总体情况", "三、跳号", "二、存在问题"]) == ["一、总体情况", "二、存在问题"]


def test_heading_and_text_on_one_line():
    sections = split_sections(["一、概述。2018年,贵阳市按照党中央、国务院和省委、省政府的决策部署,认真贯彻落实条例精神。"])
    assert sections == [{"heading": "一、概述",
                         "text": "2018年,贵阳市按照党中央、国务院和省委、省政府的决策部署,认真贯彻落实条例精神。"}]


def test_signature_not_in_last_section():
    lines = ["一、总体情况", "x", "二、其他", "无", "XX局", "2020年2月17日"]
    assert split_sections(lines, stop_at=4)[-1]["text"] == "无"


def test_appended_statistics_table_ends_the_last_section():
    lines = ["一、总体工作情况", "x", "三、整改措施", "y", "安顺市安全生产监督管理局2017年度政府信息公开情况统计表",
             "统 计 指 标 |", "一、主动公开情况 |"]
    sections = split_sections(lines)
    assert [s["heading"] for s in sections] == ["一、总体工作情况"]  # 三 before 二 is out of order


def test_appendix_marker_ends_sections():
    lines = ["一、总体情况", "x", "二、问题", "y", "附件1", "一、其他"]
    assert split_sections(lines)[-1] == {"heading": "二、问题", "text": "y"}


def test_sub_items_are_not_sections():
    assert headings(["一、总体情况", "(一)主动公开", "1.加强领导", "一是加强组织领导", "二是完善制度"]) == ["一、总体情况"]


# --- HTML/attachment tables put back in place (record text and section text) ----------------------

from govcrawl.document import Table  # noqa: E402
from govcrawl.parse.report import inline_tables  # noqa: E402


def test_table_placed_after_its_caption():
    table = Table(rows=[["信息内容", "本年制发件数"], ["规章", "0"]], caption="第二十条第(一)项")
    lines = ["二、主动公开政府信息情况", "第二十条第（一）项", "三、收到和处理政府信息公开申请情况"]
    assert inline_tables(lines, [table]) == [
        "二、主动公开政府信息情况", "第二十条第（一）项", "信息内容 | 本年制发件数", "规章 | 0",
        "三、收到和处理政府信息公开申请情况"]


def test_table_without_caption_follows_previous_table():
    first = Table(rows=[["a", "1"]], caption="表一")
    second = Table(rows=[["b", "2"]], caption="")
    assert inline_tables(["表一", "后文"], [first, second]) == ["表一", "a | 1", "b | 2", "后文"]


def test_unplaced_table_goes_last_with_its_caption():
    table = Table(rows=[["a", "1"]], caption="不在正文里的标题")
    assert inline_tables(["正文"], [table]) == ["正文", "不在正文里的标题", "a | 1"]


def test_merged_copies_are_not_repeated():
    table = Table(rows=[["申请人情况", "申请人情况"], ["自然人", "总计"]], spans=[[False, True], [False, False]])
    assert inline_tables([], [table]) == ["申请人情况", "自然人 | 总计"]


# --- parse_document never crashes on odd documents --------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from govcrawl.document import ReportDocument  # noqa: E402
from govcrawl.parse import parse_document  # noqa: E402

_cell = st.sampled_from(["", "0", "12", "-", "——", "一、总体情况", "规章", "(七)总计", "2017年3月1日", "|"]) | st.text(max_size=8)
_table = st.builds(Table, rows=st.lists(st.lists(_cell, max_size=6), max_size=6),
                   caption=st.sampled_from(["", "一、总体情况", "第二十条第(一)项"]) | st.text(max_size=10))
_line = st.sampled_from(["一、总体情况", "二、存在问题", "XX局", "2018年2月1日", "二〇一八年二月一日", "无", "附件1",
                         "XX局2017年度政府信息公开情况统计表"]) | st.text(max_size=40)


@settings(max_examples=60, deadline=None)
@given(st.lists(_line, max_size=25), st.lists(_table, max_size=3), st.sampled_from(["html", "text", "pdf"]),
       st.lists(st.text(max_size=30), max_size=3),
       st.dictionaries(st.sampled_from(["PubDate", "ArticleTitle", "ContentSource"]), st.text(max_size=20)),
       st.dictionaries(st.sampled_from(["发布机构", "生成日期", "发布日期", "索引号"]), st.text(max_size=20)))
def test_parse_document_never_crashes(lines, tables, source, titles, page_meta, meta):
    doc = ReportDocument(url="u", source=source, lines=lines, tables=tables, titles=titles,
                         page_meta=page_meta, meta=meta)
    record = parse_document(doc)
    assert isinstance(record["sections"], list)
    assert record["signature"] is None or set(record["signature"]) == {"agency", "date"}


def test_caption_between_sections_does_not_end_them():
    lines = ["一、总体情况", "x", "政府信息公开情况统计表", "统计指标 | 单位 | 统计数", "二、存在问题", "y"]
    assert split_sections(lines) == [{"heading": "一、总体情况", "text": "x"},
                                     {"heading": "二、存在问题", "text": "y"}]


def test_pre_2019_report_headings_named_like_table_rows():
    lines = ["导语。", "一、主动公开情况", "全年主动公开政府信息126条。", "二、依申请公开情况", "全年收到申请2件。",
             "三、存在问题和下步打算", "人员均为兼职。"]
    assert headings(lines) == ["一、主动公开情况", "二、依申请公开情况", "三、存在问题和下步打算"]


def test_statistics_rows_flattened_without_pipes_are_not_sections():
    lines = ["一、概述", "x", "二、问题", "y", "三、打算", "z", "四、行政复议数量 件 0", "四、机构建设和保障经费情况 ——",
             "四、其他事项", "无"]
    assert headings(lines)[-1] == "四、其他事项"
