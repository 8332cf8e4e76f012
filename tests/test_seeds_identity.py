"""The five seed texts (fixtures/seeds/: what a plain extractor left of real pages) as records."""

from __future__ import annotations

from pathlib import Path

import pytest

from govcrawl.ingest import record_from_bytes

SEEDS = Path(__file__).parent.parent / "fixtures" / "seeds"
NAMES = {
    "000": "000_0d3292ae08e5f267.txt",
    "001": "001_4b7f8a35ff48d5ae.txt",
    "002": "002_83e0bbcdbf90f655.txt",
    "003": "003_cde45a360ad512ec.txt",
    "004": "004_b0c3a4ffe884d2f4.txt",
}
_cache: dict[str, dict] = {}


def seed(key: str) -> dict:
    if key not in _cache:
        path = SEEDS / NAMES[key]
        _cache[key] = record_from_bytes(path.read_bytes(), f"file://{path}", kind="text")
    return _cache[key]


@pytest.mark.parametrize("key,title,agency,year,published", [
    ("000", "", "安顺市安全生产监督管理局", 2017, None),
    ("001", "", "安顺经济技术开发区管理委员会办公室", 2019, "2020-02-17"),
    ("002", "", "", 2008, "2014-10-29"),
    ("003", "官渡区环保局2017年政府信息公开年度报告", "官渡区环保局", 2017, "2017-12-18"),
    ("004", "2014年政府信息公开工作年度报告", "吉林省安全生产监督管理局", 2014, "2015-03-31"),
])
def test_identity(key, title, agency, year, published):
    r = seed(key)
    assert (r["title"], r["agency"], r["year"], r["published"]) == (title, agency, year, published)


@pytest.mark.parametrize("key", sorted(NAMES))
def test_is_report(key):
    assert seed(key)["is_report"] is True


@pytest.mark.parametrize("key,signature", [
    ("000", None),
    ("001", {"agency": "安顺经济技术开发区管理委员会办公室", "date": "2020-02-17"}),
    ("002", {"agency": "", "date": "2009-03-30"}),
    ("003", {"agency": "官渡区环保局", "date": "2017-12-18"}),
    ("004", {"agency": "吉林省安全生产监督管理局", "date": "2015-03-31"}),
])
def test_signature(key, signature):
    assert seed(key)["signature"] == signature


SECTIONS = {
    "000": ["一、总体工作情况", "二、政府信息公开工作存在的问题", "三、整改措施"],
    "001": ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"],
    "002": ["一、政府信息公开工作的基本做法", "二、政务信息公开工作中存在的问题", "三、下一步工作设想"],
    "003": ["一、工作完成情况", "二、存在问题", "三、下步工作打算"],
    "004": ["一、加大政府信息公开组织领导力度", "二、加大行政权力公开透明运行力度",
            "三、加大重点领域政府信息公开力度", "四、加大政务公开工作机制建设力度"],
}


@pytest.mark.parametrize("key", sorted(SECTIONS))
def test_section_headings(key):
    assert [s["heading"] for s in seed(key)["sections"]] == SECTIONS[key]


def test_section_text_001_last():
    assert seed("001")["sections"][-1]["text"] == "无"


def test_section_text_000_stops_before_statistics_table():
    text = seed("000")["sections"][-1]["text"]
    assert text.endswith("(四)进一步强化与网站信息公开人员的工作对接,确保信息及时公开,更好服务人民群众。")


def test_meta_002():
    assert seed("002")["meta"] == {"索引号": "11330727775738086F/2022-56162", "公开形式": "主动公开", "文号": "",
                                   "公开时限": "长期公开", "发布机构": "应急管理局", "生成日期": "2014-10-29"}


BOILERPLATE = {
    "000": ["扫一扫在手机打开当前页面"],
    "001": ["分享到"],
    "002": [">> 政务公开", "索引号", "11330727775738086F/2022-56162", "公开时限", "生成日期"],
    "003": ["联系电话: 填报日期:"],
    "004": ["当前位置", "发布时间", "打印|", "字号", "主办", "ICP备", "地址:", "邮编", "举报电话",
            "网站标识码", "公网安备", "访问量", "微信公众号"],
}


@pytest.mark.parametrize("key,needle", [(k, n) for k, items in BOILERPLATE.items() for n in items])
def test_boilerplate_gone(key, needle):
    assert needle not in seed(key)["text"]


@pytest.mark.parametrize("key,needle", [
    ("000", "安顺市安全生产监督管理局2017年度政府信息公开情况统计表"),
    ("000", "(三)接受培训人员数 |"),
    ("001", "43027665.50元 |"),
    ("002", "2009年 3月30日"),
    ("003", "填报单位(盖章):官渡区环境保护局"),
    ("004", "收到对政府信息公开行政复议申请0份。无诉讼案件。"),
])
def test_content_and_flattened_tables_kept(key, needle):
    assert needle in seed(key)["text"]


def test_bullet_line_gone_but_bullet_in_text_kept():
    lines = seed("004")["text"].split("\n")
    assert "•" not in [line.strip() for line in lines]
    assert "“2•09”八号公馆火灾" in seed("004")["text"]


def test_title_line_not_in_text():
    assert not seed("003")["text"].startswith("官渡区环保局2017年政府信息公开年度报告")
