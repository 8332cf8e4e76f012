"""Real pages saved by others (tests/files/real_html/, each with its source in a comment at the top):
what `govcrawl extract` makes of them, and what the generic column spider makes of real listings.

Detail pages: 平潭综合实验区 (www.pingtan.gov.cn, a TRS WCM site with two detail templates) reports of
2011 (IE-era upper-case Word markup, pre-2019 统计表), 2013 (title split over two lines) and 2023
(TRS_Editor, 2021 tables), a 函 and a 双随机 notice filed in report-like columns; a gov.cn 国务院决定
(table.bd1 索引号 block, td#UCAP-CONTENT); a 建德市 Hanweb procurement notice (ZJEG_RSS markers).
Listings: the 平潭 annual-report column and a look-alike column (TRS list2.trsapi "动静结合"), the
靖安县 政务要闻 column (PowerEasy, Index_N.aspx pager) and a 江苏省政府 Hanweb jpage column excerpt.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from scrapy.http import Request, TextResponse

from govcrawl.cms import detect_family, hanweb
from govcrawl.extract import document_from_html
from govcrawl.ingest import record_from_bytes
from govcrawl.spiders.column import ColumnSpider, is_report_column
from govcrawl.text.links import is_annual_report_title
from tests.helpers import file_response

HERE = Path(__file__).parent / "files" / "real_html"

PAGES = {
    "pt2023": ("pingtan_2023_report.html",
               "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202403/t20240308_87885.htm"),
    "pt2013": ("pingtan_2013_dishui_report.html",
               "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/201402/t20140225_80774.htm"),
    "pt2011": ("pingtan_2011_report.html",
               "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/201204/t20120420_80678.htm"),
    "letter": ("pingtan_2014_letter.html",
               "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/201412/t20141210_80787.htm"),
    "police": ("pingtan_2024_police_check_notice.html",
               "https://www.pingtan.gov.cn/zwgk/ghxx/gzjzqk/202403/t20240329_88515.htm"),
    "govcn": ("govcn_policy_fragment.html",
              "http://www.gov.cn/zhengce/content/2018-12/29/content_5353307.htm"),
    "jiande": ("jiande_hanweb_notice_fragment.html",
               "http://www.jiande.gov.cn/art/2021/6/30/art_1229000000_1.html"),
}


@cache
def record(name: str) -> dict:
    path, url = PAGES[name]
    return record_from_bytes((HERE / path).read_bytes(), url, kind="html")


@cache
def document(name: str):
    path, url = PAGES[name]
    return document_from_html((HERE / path).read_text(encoding="utf-8"), url)


def lines(name: str) -> list[str]:
    return record(name)["text"].splitlines()


# --- narrative kept ------------------------------------------------------------------------------

@pytest.mark.parametrize("name, phrase", [
    ("pt2023", "本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。"),
    ("pt2023", "一、总体情况"),
    ("pt2023", "2023年，无收取信息处理费情况。"),
    ("pt2013", "2013年新增主动公开政府信息45条。"),
    ("pt2013", "六、工作人员及信息公开事务支出情况"),
    ("pt2011", "2011年全区未收到有关政府信息公开的申请"),
    ("pt2011", "二○一二年二月二十日"),
    ("pt2011", "附件1：平潭综合实验区管委会2011年政府信息公开情况统计表"),
    ("letter", "现将我区2014年政府信息公开工作要点落实情况函告如下："),
    ("police", "检查情况详见附件。"),
    ("govcn", "国发〔2018〕43号"),
    ("govcn", "（此件公开发布）"),
    ("jiande", "七．预中标结果："),
    ("jiande", "监督投诉电话：0571-64787970"),
])
def test_narrative_kept(name, phrase):
    assert phrase in record(name)["text"]


def test_salutation_opening_a_letter_is_kept():
    # a short unnumbered first line is not always a menu item
    assert lines("letter")[0] == "省政府办公厅："


def test_lines_glued_by_a_div_inside_a_paragraph_stay_apart():
    assert "检查人员：朱治强、吴梦希" in lines("police")
    assert "附件：区公安局2024年第四季度易制毒化学品企事业“双随机”抽查情况表" in lines("police")


def test_signature_lines_kept():
    assert lines("letter")[-2:] == ["平潭综合实验区管委会办公室", "2014年12月10日"]
    assert lines("govcn")[-3:] == ["国务院", "2018年12月21日", "（此件公开发布）"]


# --- boilerplate gone ----------------------------------------------------------------------------

PINGTAN_CHROME = ("扫一扫在手机上查看当前页面", "当前位置", "网站标识码", "闽ICP备09032658号",
                  "公安备案号", "版权所有", "主办单位", "分享到微信", "QQ空间", "来源：", "时间：",
                  "关闭", "附件下载", "文字解读", "图片解读", "全真版", "文字版", "文件下载", "相关链接",
                  "长者模式", "无障碍浏览", "登录", "网站支持IPV6", "省市政府网站", "政府信息公开年报",
                  "浏览量", "政策文件", "使用帮助", "新媒体矩阵")


@pytest.mark.parametrize("name", ["pt2023", "pt2013", "pt2011", "letter", "police"])
@pytest.mark.parametrize("chrome", PINGTAN_CHROME)
def test_pingtan_chrome_gone(name, chrome):
    assert chrome not in record(name)["text"]


@pytest.mark.parametrize("chrome", ["索 引 号", "索引号", "000014349/2018-00222", "主题分类", "发文机关",
                                    "成文日期", "发文字号", "发布日期", "主 题 词", "扫一扫在手机打开当前页"])
def test_govcn_meta_block_and_qr_prompt_gone(chrome):
    assert chrome not in record("govcn")["text"]


@pytest.mark.parametrize("name, first", [
    ("pt2013", "根据《中华人民共和国政府信息公开条例》以及《福建省政府信息公开办法》，特向社会公布2013年度"
               "平潭县地税局信息公开年度报告。本报告中所列数据的统计期限自2013年1月1日起至2013年12月31日止。"),
    ("govcn", "国发〔2018〕43号"),
])
def test_title_printed_over_several_lines_is_not_body(name, first):
    assert lines(name)[0] == first


# --- meta, identity --------------------------------------------------------------------------------

def test_govcn_meta_block_parsed():
    assert record("govcn")["meta"] == {
        "索引号": "000014349/2018-00222", "主题分类": "卫生、体育\\医药管理", "发文机关": "国务院",
        "成文日期": "2018年12月21日",
        "标题": "国务院关于在海南博鳌乐城国际医疗旅游先行区暂时调整实施《中华人民共和国药品管理法实施条例》有关规定的决定",
        "发文字号": "国发〔2018〕43号", "发布日期": "2018年12月29日", "主题词": ""}


@pytest.mark.parametrize("name", ["pt2023", "pt2013", "pt2011", "letter", "police", "jiande"])
def test_pages_without_a_meta_block_have_empty_meta(name):
    assert record(name)["meta"] == {}


@pytest.mark.parametrize("name, is_report", [
    ("pt2023", True), ("pt2013", True), ("pt2011", True),
    ("letter", False), ("police", False), ("govcn", False), ("jiande", False)])
def test_is_report(name, is_report):
    assert record(name)["is_report"] is is_report


@pytest.mark.parametrize("name, title", [
    ("pt2023", "平潭综合实验区2023年度政府信息公开工作年度报告"),
    ("pt2013", "平潭综合实验区地方税务局2013年信息公开年度报告"),
    ("pt2011", "平潭综合实验区2011年政府信息公开工作年度报告"),
    ("letter", "关于2014年政府信息公开工作要点落实情况的函"),
    ("police", "区公安局2024年第一季度易制毒化学品企事业抽查工作情况"),
    ("govcn", "国务院关于在海南博鳌乐城国际医疗旅游先行区暂时调整实施《中华人民共和国药品管理法实施条例》有关规定的决定"),
])
def test_title(name, title):
    assert record(name)["title"] == title


@pytest.mark.parametrize("name, published", [
    ("pt2023", "2024-03-08"), ("pt2011", "2012-04-11"), ("letter", "2014-12-10"),
    ("police", "2024-03-29"), ("govcn", "2018-12-29"), ("jiande", "2021-06-30")])
def test_published(name, published):
    assert record(name)["published"] == published


@pytest.mark.parametrize("name, year", [("pt2023", 2023), ("pt2013", 2013), ("pt2011", 2011)])
def test_report_year(name, year):
    assert record(name)["year"] == year


@pytest.mark.parametrize("name, agency", [
    ("pt2023", "平潭综合实验区"), ("pt2013", "平潭综合实验区地方税务局"), ("govcn", "国务院")])
def test_agency(name, agency):
    assert record(name)["agency"] == agency


@pytest.mark.parametrize("name, date", [
    ("pt2011", "2012-02-20"), ("letter", "2014-12-10"), ("police", "2024-03-05"), ("govcn", "2018-12-21")])
def test_signature_date(name, date):
    assert record(name)["signature"]["date"] == date


# --- tables ----------------------------------------------------------------------------------------

def test_2021_review_litigation_table_is_a_grid():
    table = next(t for t in document("pt2023").tables if t.rows[0][0] == "行政复议")
    assert [len(r) for r in table.rows] == [15, 15, 15, 15]
    assert table.rows[0][:6] == ["行政复议"] * 5 + ["行政诉讼"]
    assert table.rows[1][0] == table.rows[2][0] == "结果维持"  # rowspan=2
    assert table.rows[3] == ["1", "1", "0", "0", "2", "4", "0", "0", "1", "5", "1", "0", "1", "0", "2"]
    assert record("pt2023")["format"] == "2021"


def test_2021_active_table_caption_rows_span_the_grid():
    table = document("pt2023").tables[0]
    assert table.rows[0] == ["第二十条第（一）项"] * 4
    assert table.rows[6] == ["行政许可", "2629", "2629", "2629"]


def test_old_statistics_table_in_upper_case_markup_is_a_grid():
    table = document("pt2011").tables[0]
    assert table.rows[0] == ["指标名称", "计量 单位", "2011 年度", "历年累计"]
    assert table.rows[1] == ["主动公开信息数", "条", "425", "1516"]
    assert len(table.rows) == 18
    assert record("pt2011")["format"] == "statistics"


def test_old_local_statistics_table_reads_the_year_column_under_national_codes():
    # 2008-2013 附表: 主动公开信息数 / 网站公开 / 受理依申请公开信息总数 / 对申请的答复数 are the
    # national rows under older labels; the 2011年度 column is read, not 历年累计
    cells = {c["row"]: c for c in record("pt2011")["cells"]}
    assert (cells["active.total"]["value"], cells["active.total"]["unit"]) == (425, "条")
    assert cells["active.website"]["value"] == 418
    assert cells["active.gazette"]["value"] == 7
    assert cells["requests.received"]["raw"] == "0"
    assert cells["replies.total"]["raw"] == "0" and cells["replies.denied"]["raw"] == "0"
    # rows with no national counterpart are kept as printed
    assert cells["other:电子邮件申请数"]["raw"] == "0"
    assert cells["other:行政申诉数"]["raw"] == "0"


def test_notice_table_read_too():
    table = document("jiande").tables[0]
    assert table.rows == [["序号", "预中标单位", "投标报价（万元）", "综合得分"],
                          ["1", "建德市中振建设有限公司", "59.7618", "79.18"]]


# --- attachments -----------------------------------------------------------------------------------

def test_attachment_linked_inside_the_trs_body():
    assert record("police")["attachments"] == [{
        "url": "https://www.pingtan.gov.cn/zwgk/ghxx/gzjzqk/202403/W020240329549500303101.xls",
        "name": "区公安局2024年第一季度易制毒化学品企事业“双随机”抽查情况表.xls", "type": "xls"}]


def test_hanweb_attachment_on_a_file_server():
    assert record("jiande")["attachments"] == [{
        "url": "http://tfile.zhaotx.cn/files/webfile/20210707/doc/C3DDE5C689574F8ABBFC723254D8109C.doc",
        "name": "XAJF2021B-017中标公式.doc", "type": "doc"}]


@pytest.mark.parametrize("name", ["pt2023", "pt2011", "letter", "govcn"])
def test_no_attachments_from_menus_or_footers(name):
    assert record(name)["attachments"] == []


# --- listings ----------------------------------------------------------------------------------------

PT_NB = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"
PT_GZJZ = "https://www.pingtan.gov.cn/zwgk/ghxx/gzjzqk/"
JINGAN = "http://www.jxjaxzf.gov.cn/Category_133/Index.aspx"
JIANGSU = "https://www.jiangsu.gov.cn/col/col33718/index.html"


def listing(file: str, url: str):
    return file_response(HERE / file, url, meta={"govcrawl_column_start": True})


def crawl_start(file: str, url: str):
    spider = ColumnSpider(url=url)
    requests = list(spider.parse_listing(listing(file, url)))
    return spider, requests


def kinds(requests, kind):
    return [r for r in requests if r.meta.get("govcrawl_kind") == kind]


def test_pingtan_report_column_recognised():
    response = listing("pingtan_nb_listing.html", PT_NB)
    assert detect_family(response).name == "trs"
    assert is_report_column(response)


def test_pingtan_report_column_follows_every_static_report_with_its_date():
    _, requests = crawl_start("pingtan_nb_listing.html", PT_NB)
    details = kinds(requests, "detail")
    assert len(details) == 10
    assert details[2].url == PT_NB + "202403/t20240308_87885.htm"
    assert details[2].cb_kwargs["hints"].title == "平潭综合实验区2023年度政府信息公开工作年度报告"
    # the date sits in the <dd> next to the link's <dd>
    assert details[2].cb_kwargs["hints"].published == "2024-03-08"
    assert details[-1].cb_kwargs["hints"].published == "2017-01-18"


def test_trsapi_column_is_paged_through_the_search_api():
    # "动静结合": records past the static page come from POST /fjdzapp/search only; no index_N.htm
    # exists to request. recordCount 20 / prepage 10: two API pages.
    _, requests = crawl_start("pingtan_nb_listing.html", PT_NB)
    pages = kinds(requests, "listing")
    assert [(r.method, r.url) for r in pages] == [("POST", "https://www.pingtan.gov.cn/fjdzapp/search")] * 2
    assert [parse_qs(r.body.decode()) for r in pages][1] == {
        "channelid": ["200210"], "classsql": ["chnlid=1813"], "sortfield": ["-docorderpri,-docreltime"],
        "prepage": ["10"], "page": ["2"]}


def test_trsapi_lookalike_column_asks_every_api_page():
    _, requests = crawl_start("pingtan_gzjzqk_listing.html", PT_GZJZ)
    pages = kinds(requests, "listing")
    assert len(pages) == 8  # recordCount 107 / prepage 15
    assert parse_qs(pages[-1].body.decode())["classsql"] == ["chnlid=1780"]


def api_answer(items: list[dict]):
    """A /fjdzapp/search answer in the shape other crawlers of the platform document
    (`data`: doctitle, chnldocurl, docreltime): constructed here from the real column's records, not
    a captured response."""
    url = "https://www.pingtan.gov.cn/fjdzapp/search"
    request = Request(url, method="POST", meta={"govcrawl_kind": "listing", "govcrawl_trsapi": True})
    body = json.dumps({"data": items, "pageCount": 2}, ensure_ascii=False).encode()
    return TextResponse(url, body=body, encoding="utf-8", request=request,
                        headers={"Content-Type": "application/json;charset=UTF-8"})


def test_trsapi_answer_yields_reports_only():
    spider = ColumnSpider(url=PT_NB)
    answer = api_answer([
        {"doctitle": "平潭综合实验区2015年度政府信息公开工作年度报告", "docreltime": 1453219200000,
         "chnldocurl": PT_NB + "201601/t20160120_80445.htm"},
        {"doctitle": "关于2014年政府信息公开工作要点落实情况的函", "docreltime": "2014-12-10 00:00:00",
         "chnldocurl": PT_NB + "201412/t20141210_80787.htm"}])
    requests = list(spider.parse_listing(answer))
    assert [(r.meta["govcrawl_kind"], r.url) for r in requests] == [
        ("detail", PT_NB + "201601/t20160120_80445.htm")]
    assert requests[0].cb_kwargs["hints"].published == "2016-01-20"


def test_lookalike_column_yields_no_report():
    spider, requests = crawl_start("pingtan_gzjzqk_listing.html", PT_GZJZ)
    assert spider.family.name == "trs" and spider.report_column is False
    assert kinds(requests, "detail") == []


def test_listing_date_is_never_read_from_the_title():
    spider = ColumnSpider(url=PT_GZJZ)
    response = listing("pingtan_gzjzqk_listing.html", PT_GZJZ)
    entries = {e.title: e.date for e in spider.listing_entries(response)}
    assert entries["2024年1-2月平潭综合实验区公安局三公经费统计表"] == "2024-03-15"
    assert entries["平潭综合实验区国有资产管理局关于2022年度国资国企监管工作情况的报告"] == "2023-12-15"


@pytest.mark.parametrize("title", [
    "2024年1-2月平潭综合实验区公安局三公经费统计表",
    "区公安局2024年第一季度易制毒化学品企事业抽查工作情况",
    "平潭综合实验区国有资产管理局关于2022年度国资国企监管工作情况的报告",
    "平潭综合实验区行政审批局2022年工作总结及2023年工作计划",
])
def test_lookalike_titles_rejected_even_in_a_report_column(title):
    assert not is_annual_report_title(title, in_report_column=True)


def test_powereasy_column_is_plain_with_its_whole_pager():
    spider, requests = crawl_start("jingan_news_listing.html", JINGAN)
    assert spider.family.name == "plain"
    pages = [r.url for r in kinds(requests, "listing")]
    assert len(pages) == 119  # Index_2.aspx .. Index_120.aspx (尾页), gaps filled
    assert "http://www.jxjaxzf.gov.cn/Category_133/Index_120.aspx" in pages
    assert "http://www.jxjaxzf.gov.cn/Category_133/Index_60.aspx" in pages
    assert kinds(requests, "detail") == []  # news, not reports


def test_powereasy_entries_have_their_dates():
    spider = ColumnSpider(url=JINGAN)
    entries = {e.url: e.date for e in spider.listing_entries(listing("jingan_news_listing.html", JINGAN))}
    assert entries["http://www.jxjaxzf.gov.cn/Item/24059.aspx"] == "2017-10-17"


def test_hanweb_column_records_and_dataproxy_paging():
    response = listing("jiangsu_hanweb_column_excerpt.html", JIANGSU)
    assert detect_family(response).name == "hanweb"
    entries = hanweb.record_entries(response.text, JIANGSU)
    assert [(e.url, e.date) for e in entries] == [
        ("https://www.jiangsu.gov.cn/art/2026/9/11/art_33718_11828204.html", "2026-09-11"),
        ("https://www.jiangsu.gov.cn/art/2025/12/15/art_33718_11693505.html", "2025-12-15")]
    requests = hanweb.dataproxy_requests(JIANGSU, response.text)
    url, form = requests[0]
    assert url == ("https://www.jiangsu.gov.cn/module/web/jpage/dataproxy.jsp"
                   "?startrecord=3&endrecord=59&perpage=19")
    assert (form["columnid"], form["unitid"], form["webid"], form["webname"]) == (
        "33718", "212860", "1", "江苏省人民政府")
    assert requests[-1][0].endswith("startrecord=4848&endrecord=4904&perpage=19")


def test_span_pair_meta_block_parsed_and_cut():
    record = record_from_bytes((HERE / "yangpu_span_meta_excerpt.html").read_bytes(),
                               "https://www.shyp.gov.cn/shypq/xxgk/1.html", kind="html")
    assert record["meta"] == {"索引号": "YP-2026-00491", "发文字号": "杨府发〔2026〕4号",
                              "发文机关": "上海市杨浦区人民政府"}
    assert record["text"].splitlines() == ["第一条 为支持打造OPC超级个体社区，制定本措施。",
                                           "第二条 本措施自发布之日起施行。"]
    assert record["is_report"] is False


def test_control_character_after_a_processing_instruction_is_no_extraction_error():
    # found by test_extract_html's property test: `<?` opens a processing instruction whose tail
    # (a control character) lxml refused to move when the instruction was dropped
    doc = document_from_html("0<?<p>\x1f", "http://example.gov.cn/a.html")
    assert "extract_error" not in doc.flags
