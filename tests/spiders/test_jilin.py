"""jilin (吉林省应急管理厅, TRS WCM): the 政府信息公开年度报告 column, from the recorded mirror.

The older documents are GB2312/GBK pages: the 2014 report (seed 004) is served with no charset in
its Content-Type, the 2016 report with a wrong `charset=utf-8`; the CharsetMiddleware recovers both.
"""

import pytest
import scrapy

from govcrawl.items import FetchedPage, PageHints
from govcrawl.middlewares import CharsetMiddleware
from govcrawl.offline import fixture_path
from govcrawl.spiders.jilin import JilinSpider
from tests.helpers import FIXTURES_DIR, file_response, run_offline_crawl

COLUMN = "http://yjt.jl.gov.cn/zfxxgk/ndbg/"
PAGE2 = COLUMN + "index_1.html"
R2021 = COLUMN + "202201/t20220128_8371204.html"
R2019 = COLUMN + "202001/t20200120_6834215.html"
R2016 = COLUMN + "201703/t20170324_6330311.html"  # GBK, header says utf-8
R2014 = COLUMN + "201503/t20150331_6330238.html"  # seed 004, GBK, header without charset
NONREPORT = COLUMN + "201504/t20150415_6330245.html"  # 2015年政务公开工作要点


@pytest.fixture
def spider():
    return JilinSpider()


def split(results):
    details = [r for r in results if isinstance(r, scrapy.Request) and r.meta["govcrawl_kind"] == "detail"]
    listings = [r.url for r in results if isinstance(r, scrapy.Request) and r.meta["govcrawl_kind"] == "listing"]
    return details, listings


def repaired(url):
    return CharsetMiddleware().process_response(None, file_response(url))


def test_first_column_page(spider):
    # the mirror serves the column directory as index.html, as the site does
    details, listings = split(list(spider.parse_listing(file_response(COLUMN))))
    assert [r.url for r in details] == [R2021, R2019, R2016]
    assert details[0].cb_kwargs["hints"].to_dict() == {
        "title": "吉林省应急管理厅2021年政府信息公开工作年度报告", "column": COLUMN,
        "published": "2022-01-28", "agency": "吉林省应急管理厅", "region_code": "220000"}
    # the page count exists only in createPageHTML(2, 0, "index", "html")
    assert listings == [PAGE2]


def test_second_column_page_holds_the_seed_report(spider):
    details, listings = split(list(spider.parse_listing(file_response(PAGE2))))
    assert [r.url for r in details] == [R2014]  # 2015年政务公开工作要点 is not a report
    assert details[0].cb_kwargs["hints"].title == "2014年政府信息公开工作年度报告"
    assert details[0].cb_kwargs["hints"].published == "2015-03-31"
    assert NONREPORT not in {r.url for r in details}
    # back to page one (the TRS helpers name it by its directory or its index.html; either is the
    # start URL, which the dupefilter drops)
    assert len(listings) == 1 and listings[0] in (COLUMN, COLUMN + "index.html")


def test_gbk_pages_are_really_gbk_bytes():
    raw = fixture_path(FIXTURES_DIR, R2014).read_bytes()
    assert b'charset=gb2312' in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    # GBK throughout, but the pasted Word bullet of “2•09” has only a GB18030 form
    assert "吉林省安全生产监督管理局".encode("gbk") in raw
    assert "•".encode("gb18030") in raw


def test_seed_page_without_header_charset_decodes(spider):
    response = repaired(R2014)
    assert response.headers[b"Content-Type"] == b"text/html"
    assert response.encoding == "gb18030"
    body = " ".join(response.css("div.TRS_Editor ::text").getall())
    assert "2014年,我局政府信息公开工作在省委、省政府正确领导下" in body
    assert "长春市经开区“2•09”八号公馆火灾" in body
    assert "吉林省安全生产监督管理局" in body and "2015年3月31日" in body
    footer = " ".join(response.css("div.footer ::text").getall())
    assert "吉ICP备05001602号" in footer and "网站标识码：2200000056" in footer
    assert "吉公网安备 22010402000767号" in footer


def test_wrong_header_charset_is_repaired():
    raw = file_response(R2016)
    assert raw.encoding == "utf-8"  # what Scrapy believes from the header
    assert "吉林省安全生产监督管理局" not in raw.text  # garbled
    response = repaired(R2016)
    assert response.encoding == "gb18030"
    assert response.css("div.xl_title::text").get() == "吉林省安全生产监督管理局2016年政府信息公开工作年度报告"
    cells = [tr.css("td::text").getall() for tr in response.css("div.TRS_Editor table tr")]
    assert ["（一）收到申请数", "件", "5"] in cells
    assert ["2.政府网站公开政府信息数", "条", "356"] in cells


def test_detail_yields_fetched_page_with_the_repaired_encoding(spider):
    hints = PageHints(title="2014年政府信息公开工作年度报告")
    items = list(spider.parse_detail(repaired(R2014), hints=hints))
    assert len(items) == 1 and isinstance(items[0], FetchedPage)
    page = items[0]
    assert page.url == R2014 and page.encoding == "gb18030" and page.content_type == "text/html"
    assert page.body.decode(page.encoding).count("吉林省安全生产监督管理局") >= 1


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    return run_offline_crawl("jilin", tmp_path_factory.mktemp("jilin"))


def test_offline_crawl_yields_the_four_reports(crawled):
    assert sorted(r["url"] for r in crawled) == sorted([R2021, R2019, R2016, R2014])


def test_offline_crawl_record_fields(crawled):
    by_url = {r["url"]: r for r in crawled}
    assert {u: r["year"] for u, r in by_url.items()} == {R2021: 2021, R2019: 2019, R2016: 2016, R2014: 2014}
    assert {u: r["format"] for u, r in by_url.items()} == {
        R2021: "2021", R2019: "2019", R2016: "statistics", R2014: "none"}
    seed = by_url[R2014]
    assert seed["title"] == "2014年政府信息公开工作年度报告"
    assert seed["published"] == "2015-03-31"
    # decoded right through the whole crawl, middleware included
    assert "共有行政权力188项" in seed["text"]
    assert "吉林省安全生产监督管理局" in seed["text"]
