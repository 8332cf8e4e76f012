"""Which links are annual reports (govcrawl/cms/links.py)."""

from __future__ import annotations

import pytest

from govcrawl.text.links import attachment_type, is_annual_report_title, printed_date, report_year

REPORTS = [
    # anshun column titles (real: the first two; seed 000 and seed 001 are the next two)
    "安顺市政府办公室2020年度信息公开工作年度报告",
    "安顺市2016年度政府信息公开年度报告",
    "安顺市安全生产监督管理局2017年度政府信息公开工作报告",
    "安顺经济技术开发区2019年政府信息公开工作年度报告",
    "普定县2017年政府信息公开工作年度报告",
    # title patterns of docs/report-formats.md §7.3
    "贵阳市2020年政府信息公开工作年度报告",
    "贵阳市人民政府2018年政府信息公开年度报告",
    "《贵阳市人民政府(市人民政府办公厅)2021年政府信息公开工作年度报告》",
    "2022年上海市政府信息公开工作年度报告",
    "舒兰市市场监督管理局2016年政务信息公开年度报告",
    "2014年政府信息公开工作年度报告",
    "安顺市民政局2017年度政府信息公开情况统计表",
    # full-width digits and stray spaces, as pasted titles carry them
    "安顺市教育局２０２１年政府信息公开工作年度报告",
    "西秀区人民政府 2020年 政府信息公开 工作年度报告",
    # Traditional characters on mirrors
    "武漢市生態環境局2020年政府信息公開工作年度報告",
]

LOOKALIKES = [
    "一图读懂安顺市人民政府办公室2019年政府信息公开工作年度报告",
    "图解：2021年政府信息公开工作年度报告",
    "关于做好2017年度政府信息公开工作年度报告编制和发布工作的通知",
    "安顺市人民政府办公室关于做好2021年度政府信息公开工作年度报告编制发布工作的通知",
    "《安顺市2020年政府信息公开工作年度报告》解读",
    "2021年政务公开工作要点",
    "安顺市2019年政务公开工作实施方案",
    "2020年度企业年报公示",
    "2019年政府信息公开工作年度报告填报培训会议",
    "政府信息公开指南",
    "政府信息公开工作年度报告",          # no year
    "安顺市2020年国民经济和社会发展统计公报",  # not a disclosure report
]


@pytest.mark.parametrize("title", REPORTS)
def test_report_titles(title):
    assert is_annual_report_title(title)


@pytest.mark.parametrize("title", LOOKALIKES)
def test_lookalike_titles(title):
    assert not is_annual_report_title(title)
    assert not is_annual_report_title(title, in_report_column=True)


@pytest.mark.parametrize("title", ["安顺市民政局2019年度报告", "2019年年报", "西秀区2020年工作报告"])
def test_bare_titles_count_only_inside_a_report_column(title):
    assert not is_annual_report_title(title)
    assert is_annual_report_title(title, in_report_column=True)


@pytest.mark.parametrize("title, year", [
    ("安顺市政府办公室2020年度信息公开工作年度报告", 2020),
    ("安顺市安全生产监督管理局2017年度政府信息公开工作报告", 2017),
    ("2022年上海市政府信息公开工作年度报告", 2022),
    ("安顺市教育局２０２１年政府信息公开工作年度报告", 2021),
    ("2020年报_审计局", 2020),
    ("政府信息公开工作年度报告", None),
    ("", None),
])
def test_report_year(title, year):
    assert report_year(title) == year


@pytest.mark.parametrize("url, kind", [
    ("http://www.anshun.gov.cn/zfxxgk/zfxxgknb/2017year/201807/P020180711571293846520.pdf", "pdf"),
    ("http://x.gov.cn/a/REPORT.PDF", "pdf"),
    ("http://x.gov.cn/a/b.docx", "docx"),
    ("http://x.gov.cn/a/b.doc", "doc"),
    ("http://x.gov.cn/a/b.wps", "wps"),
    ("http://x.gov.cn/a/b.xls", "xls"),
    ("http://x.gov.cn/a/b.et", "xls"),
    ("http://x.gov.cn/a/b.zip", "other"),
    ("http://x.gov.cn/a/b.pdf?download=1", "pdf"),
    ("http://www.anshun.gov.cn/zfxxgk/zfxxgknb/2020year/202101/t20210129_66608151.html", None),
    ("http://www.anshun.gov.cn/zfxxgk/zfxxgknb/", None),
    ("http://x.gov.cn/v1.2/list", None),
])
def test_attachment_type(url, kind):
    assert attachment_type(url) == kind


@pytest.mark.parametrize("text, date", [
    ("2021-01-29", "2021-01-29"),
    ("发布时间: 2021-01-29 10:00 文章字号:", "2021-01-29"),
    ("2020年2月17日", "2020-02-17"),
    ("2021/1/9", "2021-01-09"),
    ("2019 年 3 月 26 日", "2019-03-26"),
    ("2021-13-01", None),
    ("2021-02-32", None),
    ("no date", None),
    ("", None),
    (None, None),
])
def test_printed_date(text, date):
    assert printed_date(text) == date
