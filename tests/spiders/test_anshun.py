"""The anshun spider (TRS family), against the recorded mirror of www.anshun.gov.cn.

City-Scrapers style: each test builds the response a callback would receive from a mirror file
(`file_response`) and calls the callback directly. No network, no reactor.
"""

from __future__ import annotations

import asyncio

import pytest
from lxml import html as lxml_html
from protego import Protego
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.project import get_project_settings

from govcrawl.cms import trs
from govcrawl.extract.tables import html_tables
from govcrawl.items import FetchedPage, PageHints
from govcrawl.spiders.anshun import AnshunSpider
from tests.helpers import FIXTURES_DIR, file_response

SITE = "http://www.anshun.gov.cn"
COLUMN = f"{SITE}/zfxxgk/zfxxgknb/"
Y2017, Y2019, Y2020 = f"{COLUMN}2017year/", f"{COLUMN}2019year/", f"{COLUMN}2020year/"
SEED000 = f"{Y2017}201807/t20180711_6177540.html"      # 安顺市安全生产监督管理局 2017 (seed 000)
SEED001 = f"{Y2019}202002/t20200218_48964512.html"     # 安顺经济技术开发区 2019 (seed 001)
PUDING = f"{Y2017}201807/t20180711_6177547.html"       # attachment-only: a PDF and a title
PUDING_PDF = f"{Y2017}201807/P020180711571293846520.pdf"
CITY_2020 = f"{Y2020}202101/t20210129_66608151.html"   # the real page the mirror models


@pytest.fixture
def spider():
    return AnshunSpider()


def requests_of(results):
    return [r for r in results if isinstance(r, Request)]


# --- the spider's shape --------------------------------------------------------------------------
def test_spider_identity(spider):
    assert spider.name == "anshun"
    assert spider.start_urls == [COLUMN]
    assert "anshun.gov.cn" in spider.allowed_domains
    assert spider.content_css == trs.CONTENT_CSS


def test_start_yields_the_column_as_a_listing(spider):
    async def collect():
        return [r async for r in spider.start()]

    (request,) = asyncio.run(collect())
    assert request.url == COLUMN
    assert request.meta["govcrawl_kind"] == "listing"
    assert request.callback == spider.parse_listing


def test_politeness_settings_apply_to_the_spider():
    settings = get_project_settings()
    # the spider overrides nothing: the project's politeness settings are its settings
    assert not getattr(AnshunSpider, "custom_settings", None)
    assert settings.getbool("ROBOTSTXT_OBEY") is True
    assert settings.getbool("AUTOTHROTTLE_ENABLED") is True
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    assert settings.getfloat("DOWNLOAD_DELAY") >= 1
    assert "contact:" in settings.get("USER_AGENT") and "@" in settings.get("USER_AGENT")
    # offline mode only relaxes them when asked to
    assert settings.getbool("GOVCRAWL_OFFLINE") is False


def test_mirror_robots_txt_lets_the_crawl_through():
    robots = Protego.parse((FIXTURES_DIR / "www.anshun.gov.cn/robots.txt").read_text("utf-8"))
    ua = get_project_settings().get("USER_AGENT")
    for url in (COLUMN, f"{Y2020}index_1.html", CITY_2020, PUDING_PDF):
        assert robots.can_fetch(url, ua)
    assert not robots.can_fetch(f"{SITE}/irs/front/search?searchWord=年报", ua)
    assert not robots.can_fetch(f"{CITY_2020}?isMobile=false", ua)


# --- listing pages --------------------------------------------------------------------------------
def test_listing_entries_of_a_year_column(spider):
    entries = list(spider.listing_entries(file_response(Y2020)))
    assert [(e.url, e.title, e.date) for e in entries] == [
        (CITY_2020, "安顺市政府办公室2020年度信息公开工作年度报告", "2021-01-29")]


def test_listing_entries_take_the_full_title_from_the_title_attribute(spider):
    response = file_response(Y2019)
    entries = list(spider.listing_entries(response))
    assert [(e.url, e.title, e.date) for e in entries] == [
        (f"{Y2019}202001/t20200122_46072290.html",
         "一图读懂安顺市人民政府办公室2019年政府信息公开工作年度报告", "2020-01-22"),
        (f"{Y2019}202001/t20200121_46031127.html",
         "安顺市人民政府办公室2019年政府信息公开工作年度报告", "2020-01-21"),
    ]
    # the page itself shows a shortened title
    assert "一图读懂安顺市人民政府办公室2019年政府信息公开工作年度...</a>" in response.text


def test_listing_entries_on_a_second_page(spider):
    entries = list(spider.listing_entries(file_response(f"{Y2017}index_1.html")))
    assert [(e.url, e.title, e.date) for e in entries] == [
        (PUDING, "普定县2017年政府信息公开工作年度报告", "2018-03-28")]


def test_pagination_from_the_script(spider):
    # the page count exists only in `var countPage = 2; createPageHTML(countPage, 0, ...)`
    first = file_response(Y2020)
    assert "index_1.html" not in " ".join(first.css("a::attr(href)").getall())
    assert list(spider.listing_pages(first)) == [f"{Y2020}index_1.html"]
    # from the second page, the first page in the form the year links use
    assert list(spider.listing_pages(file_response(f"{Y2020}index_1.html"))) == [Y2020]
    # `index.html` is the column page itself
    assert list(spider.listing_pages(file_response(f"{Y2020}index.html"))) == [f"{Y2020}index_1.html"]
    # the parent column has a single page
    assert list(spider.listing_pages(file_response(COLUMN))) == []


def test_year_subcolumns_of_the_report_column(spider):
    assert list(spider.subcolumns(file_response(COLUMN))) == [
        f"{COLUMN}{y}year/" for y in (2021, 2020, 2019, 2018, 2017)]
    # the same year menu on a year page links siblings, not children
    assert list(spider.subcolumns(file_response(Y2020))) == []


def test_parse_listing_of_the_column(spider):
    requests = requests_of(spider.parse_listing(file_response(COLUMN)))
    listings = [r.url for r in requests if r.meta["govcrawl_kind"] == "listing"]
    details = [r.url for r in requests if r.meta["govcrawl_kind"] == "detail"]
    assert listings == [f"{COLUMN}{y}year/" for y in (2021, 2020, 2019, 2018, 2017)]
    # the column shows its newest reports (again listed in their years; the dupefilter drops them)
    assert details == [f"{COLUMN}2021year/202201/t20220125_72310560.html",
                       f"{COLUMN}2021year/202201/t20220128_72390127.html", CITY_2020]


def test_parse_listing_follows_reports_and_pages_but_not_lookalikes(spider):
    requests = requests_of(spider.parse_listing(file_response(Y2017)))
    assert [(r.url, r.meta["govcrawl_kind"]) for r in requests] == [
        (SEED000, "detail"),
        (f"{Y2017}201807/t20180711_6177538.html", "detail"),
        (f"{Y2017}index_1.html", "listing"),
    ]
    # the notice about writing the reports is listed but never requested
    assert "关于做好2017年度政府信息公开工作年度报告编制和发布工作的通知" in file_response(Y2017).text
    seed000 = requests[0]
    assert seed000.callback == spider.parse_detail
    assert seed000.cb_kwargs["hints"].to_dict() == {
        "title": "安顺市安全生产监督管理局2017年度政府信息公开工作报告",
        "column": Y2017,
        "published": "2018-02-26",
        "agency": "安顺市人民政府",
        "region_code": "520400",
    }


def test_graphic_digest_is_not_followed(spider):
    requests = requests_of(spider.parse_listing(file_response(Y2019)))
    assert [r.url for r in requests] == [f"{Y2019}202001/t20200121_46031127.html", f"{Y2019}index_1.html"]


# --- detail pages ---------------------------------------------------------------------------------
def test_detail_page_becomes_a_fetched_page_with_hints(spider):
    hints = PageHints(title="安顺市安全生产监督管理局2017年度政府信息公开工作报告", published="2018-02-26",
                      column=Y2017)
    (page,) = list(spider.parse_detail(file_response(SEED000), hints=hints))
    assert isinstance(page, FetchedPage)
    assert page.url == SEED000
    assert page.hints == hints
    assert page.status == 200
    assert page.content_type == "text/html"
    assert page.encoding == "utf-8"
    assert "统 计 指 标".encode() in page.body


def test_attachment_only_detail_requests_the_pdf(spider):
    hints = PageHints(title="普定县2017年政府信息公开工作年度报告", published="2018-03-28", column=f"{Y2017}index_1.html")
    (request,) = list(spider.parse_detail(file_response(PUDING), hints=hints))
    assert isinstance(request, Request)
    assert request.url == PUDING_PDF
    assert request.meta["govcrawl_kind"] == "attachment"
    assert request.callback == spider.parse_attachment
    assert request.cb_kwargs["hints"] == hints.replace(source_url=PUDING,
                                                       title="普定县2017年政府信息公开工作年度报告")


def test_full_report_pages_are_not_attachment_only(spider):
    for url in (SEED000, SEED001, CITY_2020):
        assert not spider.is_attachment_only(file_response(url))
    assert spider.is_attachment_only(file_response(PUDING))


def test_attachment_only_counts_the_body_once(spider):
    # `#Zoom` wraps the TRS_UEDITOR div: the body's 100 characters must not count as 200
    text = "本" * 100
    page = _html(PUDING, f'<div id="Zoom"><div class="view TRS_UEDITOR"><p>{text}</p>'
                 '<p><a href="./P020180711571293846520.pdf">附件</a></p></div></div>')
    assert spider.is_attachment_only(page)
    long_page = _html(PUDING, f'<div class="TRS_Editor"><p>{text * 2}</p></div>')
    assert not spider.is_attachment_only(long_page)


def test_attachment_response_is_yielded_as_is(spider):
    hints = PageHints(title="普定县2017年政府信息公开工作年度报告", source_url=PUDING)
    (page,) = list(spider.parse_attachment(file_response(PUDING_PDF), hints=hints))
    assert page.url == PUDING_PDF
    assert page.body.startswith(b"%PDF")
    assert page.content_type == "application/pdf"
    assert page.hints == hints


# --- TRS family fallbacks on this site ------------------------------------------------------------
def _html(url: str, body: str):
    return HtmlResponse(url=url, body=f"<html><body>{body}</body></html>".encode(), encoding="utf-8")


def test_trs_spider_falls_back_to_dated_links(spider):
    # a template without a known list container still lists its documents as dated links
    response = _html(f"{SITE}/col/", '<table><tr><td><a href="./202101/t20210101_9.html" '
                     'title="某局2020年政府信息公开工作年度报告">某局2020年...</a></td>'
                     "<td>2021年1月1日</td></tr></table>")
    assert trs.listing_entries(response) == []
    assert [(e.url, e.title, e.date) for e in spider.listing_entries(response)] == [
        (f"{SITE}/col/202101/t20210101_9.html", "某局2020年政府信息公开工作年度报告", "2021-01-01")]


# --- the mirror itself: real chrome, seed bodies as printed ---------------------------------------
def test_detail_page_chrome_is_the_real_sites():
    text = file_response(CITY_2020).text
    for piece in ("当前页面:", "» <a href=\"/zfxxgk/zfxxgknb/\">政府信息公开年报</a> » <a href=\"../\">2020年</a>",
                  "索引号：", "发布机构：", "生成日期：", '<meta name="ArticleTitle"',
                  '<meta name="PubDate" content="2021-01-29 10:00">', '<meta name="ContentSource"',
                  '<meta name="ColumnName" content="2020年">', "发布时间: 2021-01-29 10:00", "文章字号:",
                  "分享到:", "扫一扫在手机打开当前页面", "黔ICP备", "公网安备", "网站标识码：5204000001",
                  'class="view TRS_UEDITOR trs_paper_default trs_web"'):
        assert piece in text, piece


def _body_text(url: str) -> str:
    response = file_response(url)
    return " ".join(" ".join(response.css("div.TRS_UEDITOR ::text").getall()).split())


def _tables(url: str):
    root = lxml_html.fromstring(file_response(url).text)
    return html_tables(root.xpath("//div[contains(@class,'TRS_UEDITOR')]")[0])


def test_seed_000_body_and_statistics_table():
    body = _body_text(SEED000)
    assert body.startswith("2017年,我局以保障人民群众知情权、参与权和表达权为目标")
    assert "四、行政复议数量" in body and "扫一扫" not in body and "分享到" not in body
    (table,) = _tables(SEED000)
    rows = {r[0]: r[1:] for r in table.rows}
    assert table.rows[0] == ["统 计 指 标", "单位", "统计数"]
    assert len(table.rows) == 81
    assert rows["(一)主动公开政府信息数 (不同渠道和方式公开相同信息计1条)"] == ["条", "1656"]
    assert rows["2.政府网站公开政府信息数"] == ["条", "131"]
    assert rows["4.政策解读稿件发布数"] == ["篇", "6"]
    assert rows["一、主动公开情况"] == ["", ""]
    assert rows["(三)接受培训人员数"] == ["人次", "3"]


def test_seed_001_tables_as_printed():
    body = _body_text(SEED001)
    assert body.startswith("本报告根据《中华人民共和国政府信息公开条例》(国务院令第711号)")
    assert body.endswith("安顺经济技术开发区管理委员会办公室 2020年2月17日")
    active, applications, review = _tables(SEED001)
    assert active.rows[-1] == ["政府集中采购", "23", "43027665.50元", "43027665.50元"]
    assert ["行政强制", "", "", ""] in active.rows
    assert ["行政事业性收费", "", "", ""] in active.rows
    assert ["信息内容", "本年新", "本年新", "对外公开总数量"] in active.rows
    by_label = {tuple(r[:3]): r[3:] for r in applications.rows}
    assert by_label[("三、本年度办理结果", "(七)总计", "(七)总计")] == ["6", "0", "0", "0", "0", "0", "6"]
    assert by_label[("一、本年新收政府信息公开申请数量",) * 3] == ["3", "0", "0", "0", "0", "0", "3"]
    assert by_label[("三、本年度办理结果", "(三)不予公开", "8.属于行政查询事项")] == ["0"] * 7
    assert len(applications.rows) == 3 + 23
    assert review.rows[-1] == ["0"] * 15 and len(review.rows[0]) == 15


def test_mirror_holds_all_three_formats_across_years():
    index = {}
    for path in sorted((FIXTURES_DIR / "www.anshun.gov.cn/zfxxgk/zfxxgknb").glob("*year/*/t*.html")):
        text = path.read_text("utf-8")
        kind = ("2021" if "本年制发件数" in text else "2019" if "采购总金额" in text
                else "statistics" if "统 计 指 标" in text else "none")
        index[path.relative_to(FIXTURES_DIR).as_posix()] = kind
    kinds = list(index.values())
    assert kinds.count("statistics") >= 3 and kinds.count("2019") >= 3 and kinds.count("2021") >= 2
    assert len([k for k in kinds if k != "none"]) >= 8
    for path in (FIXTURES_DIR / "www.anshun.gov.cn").rglob("*.html"):
        assert path.stat().st_size < 64 * 1024, path
