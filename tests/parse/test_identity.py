"""Titles, agencies, years, dates (Chinese numerals, dropped 年/月), signatures."""

from __future__ import annotations

import pytest

from govcrawl.document import ReportDocument, Table
from govcrawl.parse import parse_document
from govcrawl.parse.dates import date_line, find_dates, parse_date
from govcrawl.parse.identity import (
    agency_from_lines,
    agency_from_title,
    clean_title,
    find_signature,
    is_full_agency_name,
    is_notice_title,
    is_report_title,
    published_date,
    year_from_body,
    year_from_title,
)

# --- titles --------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw,clean", [
    ("安顺市政府办公室2020年度信息公开工作年度报告_安顺市人民政府", "安顺市政府办公室2020年度信息公开工作年度报告"),
    ("贵阳市2020年政府信息公开工作年度报告 - 中国贵阳", "贵阳市2020年政府信息公开工作年度报告"),
    ("舒兰市市场监督管理局2016年政务信息公开年度报告-舒兰市人民政府网", "舒兰市市场监督管理局2016年政务信息公开年度报告"),
    ("《贵阳市人民政府(市人民政府办公厅)2021年政府信息公开工作年度报告》",
     "贵阳市人民政府(市人民政府办公厅)2021年政府信息公开工作年度报告"),
    ("政府信息公开专栏 | 宿迁市2017年政府信息公开工作年度报告", "宿迁市2017年政府信息公开工作年度报告"),
    ("Page 8 - 威海市文登区信访局2022年政府信息公开工作年度报告", "威海市文登区信访局2022年政府信息公开工作年度报告"),
    ("  2014年政府信息公开工作年度报告  ", "2014年政府信息公开工作年度报告"),
])
def test_clean_title(raw, clean):
    assert clean_title(raw) == clean


@pytest.mark.parametrize("title,expected", [
    ("安顺市政府办公室2020年度信息公开工作年度报告", True),
    ("2022年上海市政府信息公开工作年度报告", True),
    ("武漢市生態環境局2020年政府信息公開工作年度報告", True),
    ("关于做好2019年政府信息公开工作年度报告有关事项的通知", False),
    ("政府信息公开年报", False),
    ("安顺市2020年国民经济和社会发展统计公报", False),
    ("一图读懂安顺市人民政府办公室2019年政府信息公开工作年度报告", False),
])
def test_is_report_title(title, expected):
    assert is_report_title(title) is expected


def test_notice_title():
    assert is_notice_title("国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知")


# --- agency ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("title,agency", [
    ("官渡区环保局2017年政府信息公开年度报告", "官渡区环保局"),
    ("安顺市政府办公室2020年度信息公开工作年度报告", "安顺市政府办公室"),
    ("贵阳市人民政府(市人民政府办公厅)2021年政府信息公开工作年度报告", "贵阳市人民政府"),
    ("贵阳市2020年政府信息公开工作年度报告", "贵阳市"),
    ("2022年上海市政府信息公开工作年度报告", "上海市"),
    ("安顺经济技术开发区2019年政府信息公开工作年度报告", "安顺经济技术开发区"),
    ("2014年政府信息公开工作年度报告", ""),
])
def test_agency_from_title(title, agency):
    assert agency_from_title(title) == agency


def test_agency_from_statistics_caption():
    assert agency_from_lines(["...", "安顺市安全生产监督管理局2017年度政府信息公开情况统计表", "统 计 指 标 |"]) \
        == "安顺市安全生产监督管理局"


def test_agency_from_filler_line():
    assert agency_from_lines(["政府信息公开情况统计表", "(2017年度)", "填报单位(盖章):官渡区环境保护局"]) \
        == "官渡区环境保护局"


@pytest.mark.parametrize("name,full", [
    ("安顺市应急管理局", True), ("宿迁市人民政府办公室", True), ("应急管理局", False), ("市政府办", False),
    ("县安监局", False),
])
def test_full_agency_name(name, full):
    assert is_full_agency_name(name) is full


def test_agency_prefers_title_over_signature():
    doc = ReportDocument(url="u", titles=["安顺经济技术开发区2019年政府信息公开工作年度报告"],
                         lines=["正文。"] * 3 + ["安顺经济技术开发区管理委员会办公室", "2020年2月17日"])
    assert parse_document(doc)["agency"] == "安顺经济技术开发区"


def test_agency_from_meta_only_when_full_name():
    doc = ReportDocument(url="u", lines=["正文。"], meta={"发布机构": "应急管理局"})
    assert parse_document(doc)["agency"] == ""
    doc = ReportDocument(url="u", lines=["正文。"], meta={"发布机构": "磐安县应急管理局"})
    assert parse_document(doc)["agency"] == "磐安县应急管理局"


# --- year -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("title,year", [
    ("官渡区环保局2017年政府信息公开年度报告", 2017),
    ("2022年上海市政府信息公开工作年度报告", 2022),
    ("2020年报", 2020),
    ("官渡区二〇一七年政府信息公开年度报告", 2017),
    ("政府信息公开年报", None),
])
def test_year_from_title(title, year):
    assert year_from_title(title) == year


def test_year_from_statistical_period():
    assert year_from_body(["本报告所列数据统计期限为2018年1月1日起至2018年12月31日止。"]) == 2018
    assert year_from_body(["所列数据统计时限自2020年1月1日至2020年12月31日。"]) == 2020


def test_year_from_statistical_period_with_dropped_characters():
    assert year_from_body(["本报告数据统计期限自20201月1日起至202012月31日止。"]) == 2020


def test_year_from_report_sentence():
    assert year_from_body(["我局认真开展政府信息公开工作,现将2017年政府信息公开工作报告如下。"]) == 2017


def test_year_from_intro_line():
    assert year_from_body(["2008年以来,在县委、县政府的正确领导下,我局扎实推进工作。"]) == 2008


def test_year_title_wins_over_period_typo():
    # 贵阳市大数据局: "统计时限为2020年1月1日至2021年12月31日" -- the title year is right
    doc = ReportDocument(url="u", titles=["贵阳市大数据局2020年政府信息公开工作年度报告"],
                         lines=["统计时限为2021年1月1日至2021年12月31日。"])
    assert parse_document(doc)["year"] == 2020


def test_year_falls_back_to_published_minus_one():
    doc = ReportDocument(url="u", lines=["我局认真开展工作。"], page_meta={"PubDate": "2019-03-29 23:33"})
    assert parse_document(doc)["year"] == 2018


# --- dates ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,date", [
    ("2015-03-31 16:18:08", "2015-03-31"),
    ("2015/3/31", "2015-03-31"),
    ("2020年2月17日", "2020-02-17"),
    ("2009年 3月30日", "2009-03-30"),
    ("2020年01月20日", "2020-01-20"),
    ("二〇〇九年三月三十日", "2009-03-30"),
    ("二○一一年四月八日", "2011-04-08"),
    ("二OO九年十月九日", "2009-10-09"),
    ("二00八年九月七日", "2008-09-07"),
    ("二〇一七年十二月三十一日", "2017-12-31"),
    ("2017210日)", "2017-02-10"),
    ("20201月1日", "2020-01-01"),
    ("20171231日", "2017-12-31"),
    ("201711日", "2017-01-01"),
])
def test_parse_date(text, date):
    assert parse_date(text) == date


@pytest.mark.parametrize("text", ["2017111日", "2021926", "2017年13月1日", "二〇一七年十三月一日", ""])
def test_ambiguous_or_invalid_dates_are_rejected(text):
    assert parse_date(text) is None


def test_find_dates_in_period_sentence():
    assert [d for _, d in find_dates("自20201月1日起至202012月31日止")] == ["2020-01-01", "2020-12-31"]


@pytest.mark.parametrize("line,date", [
    ("2015年3月31日", "2015-03-31"), ("(2017年2月10日)", "2017-02-10"), ("二〇〇九年三月三十日", "2009-03-30"),
    ("2009年 3月30日", "2009-03-30"), ("统计期限为2017年1月1日", None), ("2017年12月18日召开会议", None),
    ("2021年8月18日(此件公开发布)", "2021-08-18"),
])
def test_date_line(line, date):
    assert date_line(line) == date


# --- published ------------------------------------------------------------------------------------

def test_published_order():
    sig = {"agency": "X局", "date": "2018-01-05"}
    assert published_date({"PubDate": "2018-02-26 10:00"}, {"生成日期": "2018-02-20"}, ["2018-02-27"], None, sig) \
        == "2018-02-26"
    assert published_date({}, {"发布日期": "2018-02-21"}, ["2018-02-27"], None, sig) == "2018-02-21"
    assert published_date({}, {"生成日期": "2018-02-20"}, ["2018-02-27"], None, sig) == "2018-02-27"
    assert published_date({}, {"生成日期": "2018-02-20"}, [], None, sig) == "2018-02-20"
    assert published_date({}, {}, [], None, sig) == "2018-01-05"
    assert published_date({}, {}, [], None, None) is None


def test_published_from_govcn_firstpublishedtime():
    assert published_date({"firstpublishedtime": "2020-01-20-18:30:00"}, {}, [], None, None) == "2020-01-20"


# --- signature ------------------------------------------------------------------------------------

def test_signature_agency_and_date():
    lines = ["正文。", "吉林省安全生产监督管理局", "2015年3月31日"]
    assert find_signature(lines) == ({"agency": "吉林省安全生产监督管理局", "date": "2015-03-31"}, 1)


def test_signature_chinese_numerals():
    sig, _ = find_signature(["正文。", "咸阳市人民政府办公室", "二00八年九月七日"])
    assert sig == {"agency": "咸阳市人民政府办公室", "date": "2008-09-07"}


def test_signature_date_only():
    sig, _ = find_signature(["要经常敲边鼓,时时敲警钟。", "2009年 3月30日"])
    assert sig == {"agency": "", "date": "2009-03-30"}


def test_signature_on_one_line():
    sig, _ = find_signature(["正文。", "齐齐哈尔市人民政府办公室 2019年11月29日"])
    assert sig == {"agency": "齐齐哈尔市人民政府办公室", "date": "2019-11-29"}


def test_signature_before_appended_statistics_table():
    lines = ["正文。", "官渡区环保局", "2017年12月18日", "附件1", "政府信息公开情况统计表", "(2017年度)",
             "统 计 指 标 | 单位 | 统计数 |", "联系电话: 填报日期:"]
    sig, start = find_signature(lines)
    assert sig == {"agency": "官渡区环保局", "date": "2017-12-18"} and start == 1


def test_no_signature():
    assert find_signature(["正文。", "一、总体情况"]) == (None, None)


# --- is_report ------------------------------------------------------------------------------------

LONG = "我局认真贯彻落实《中华人民共和国政府信息公开条例》,扎实推进政府信息公开工作,取得了较好成效。" * 3


def test_report_by_title():
    doc = ReportDocument(url="u", titles=["XX局2017年政府信息公开工作年度报告"], lines=[LONG])
    assert parse_document(doc)["is_report"] is True


def test_report_by_body_sentence():
    doc = ReportDocument(url="u", lines=["2017年,我局认真开展政府信息公开工作,现将2017年政府信息公开工作报告如下。", LONG])
    assert parse_document(doc)["is_report"] is True


def test_report_by_statistics_table():
    table = Table(rows=[["统计指标", "单位", "统计数"], ["(一)主动公开政府信息数", "条", "5"]],
                  caption="XX局2017年度政府信息公开情况统计表")
    doc = ReportDocument(url="u", titles=["统计表"], lines=[LONG], tables=[table])
    assert parse_document(doc)["is_report"] is True


def test_policy_document_is_not_a_report():
    doc = ReportDocument(url="u", titles=["XX市人民政府关于印发XX市2018年政务公开工作要点的通知"], lines=[LONG])
    assert parse_document(doc)["is_report"] is False


def test_title_only_page_is_not_a_report():
    doc = ReportDocument(url="u", titles=["XX局2017年政府信息公开工作年度报告"], lines=[])
    assert parse_document(doc)["is_report"] is False
