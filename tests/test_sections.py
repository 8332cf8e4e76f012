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
