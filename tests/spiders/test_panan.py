"""panan (磐安县人民政府, Hanweb): the 县应急管理局 annual-report column, from the recorded mirror.

Listing callbacks are called on responses built from fixtures/sites/www.panan.gov.cn; the
end-to-end test crawls the mirror in offline mode.
"""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import scrapy

from govcrawl.items import FetchedPage, PageHints
from govcrawl.spiders.panan import PananSpider
from tests.helpers import file_response, run_offline_crawl

SITE = "http://www.panan.gov.cn"
COLUMN = f"{SITE}/col/col1229147423/index.html"
PROXY = f"{SITE}/module/web/jpage/dataproxy.jsp?startrecord=6&endrecord=10&perpage=5"
FORM = {"col": "1", "appid": "1", "webid": "3403", "path": "/", "columnid": "1229147423",
        "sourceContentType": "1", "unitid": "4986591", "webname": "磐安县人民政府",
        "permissiontype": "0"}
R2021 = f"{SITE}/art/2022/1/20/art_1229147423_59345012.html"
R2019 = f"{SITE}/art/2020/1/16/art_1229147423_58917630.html"
R2017 = f"{SITE}/module/xxgk/xxgkAnnualReport.jsp?area=001008009005011&fbtime=2017"
R2008 = f"{SITE}/art/2014/10/29/art_1229147423_1623547.html"  # seed 002
GUIDE = f"{SITE}/art/2021/6/1/art_1229147423_59210443.html"


@pytest.fixture
def spider():
    return PananSpider()


def split(results):
    details = [r for r in results if isinstance(r, scrapy.Request) and r.meta["govcrawl_kind"] == "detail"]
    listings = [r for r in results if isinstance(r, scrapy.Request) and r.meta["govcrawl_kind"] == "listing"]
    return details, listings


def test_column_page_yields_inline_reports(spider):
    details, _ = split(list(spider.parse_listing(file_response(COLUMN))))
    assert [r.url for r in details] == [R2021, R2019, R2017]
    first = details[0]
    assert first.callback == spider.parse_detail
    assert first.cb_kwargs["hints"].to_dict() == {
        "title": "磐安县应急管理局2021年政府信息公开工作年度报告", "column": COLUMN,
        "published": "2022-01-20", "agency": "磐安县应急管理局", "region_code": "330727"}
    assert details[2].cb_kwargs["hints"].published == "2018-03-26"


def test_non_reports_are_left_alone(spider):
    details, _ = split(list(spider.parse_listing(file_response(COLUMN))))
    urls = {r.url for r in details}
    assert GUIDE not in urls  # 政府信息公开指南
    assert f"{SITE}/art/2016/4/12/art_1229147423_1623602.html" not in urls  # 工作方案的通知


def test_column_page_asks_dataproxy_for_the_rest(spider):
    _, listings = split(list(spider.parse_listing(file_response(COLUMN))))
    assert len(listings) == 1
    req = listings[0]
    assert isinstance(req, scrapy.FormRequest) and req.method == "POST"
    assert req.callback == spider.parse_listing
    parts = urlsplit(req.url)
    assert parts.path == "/module/web/jpage/dataproxy.jsp"
    assert parse_qs(parts.query) == {"startrecord": ["6"], "endrecord": ["10"], "perpage": ["5"]}
    form = {k: v[0] for k, v in parse_qs(req.body.decode("utf-8"), keep_blank_values=True).items()}
    assert form == FORM
    assert req.headers[b"Content-Type"] == b"application/x-www-form-urlencoded"
    assert req.headers[b"Referer"] == COLUMN.encode()
    assert req.headers[b"X-Requested-With"] == b"XMLHttpRequest"


def test_dataproxy_answer_yields_the_seed_report_and_no_more_pages(spider):
    response = file_response(PROXY, form=urlencode(FORM))
    assert response.headers[b"Content-Type"].startswith(b"text/xml")
    details, listings = split(list(spider.parse_listing(response)))
    assert [r.url for r in details] == [R2008]
    assert details[0].cb_kwargs["hints"].title == "磐安县安监局2008年度政府信息公开工作报告"
    assert details[0].cb_kwargs["hints"].published == "2014-10-29"
    assert listings == []  # 磐安县安监局政府信息公开目录 is not a report; nothing left to page


def test_seed_report_detail_page(spider):
    hints = PageHints(title="磐安县安监局2008年度政府信息公开工作报告", published="2014-10-29")
    items = list(spider.parse_detail(file_response(R2008), hints=hints))
    assert len(items) == 1
    page = items[0]
    assert isinstance(page, FetchedPage)
    assert page.url == R2008 and page.hints == hints
    assert page.encoding == "utf-8"
    text = page.body.decode("utf-8")
    # the 索引号 block and the body exactly as seed 002 prints them
    assert "11330727775738086F/2022-56162" in text and "长期公开" in text and "2014-10-29" in text
    assert "2008年以来,在县委、县政府的正确领导下" in text
    assert '<div id="zoom">' in text and "2009年 3月30日" in text
    assert "Produced By 大汉网络 大汉版通发布系统" in text


def test_report_pages_are_not_attachment_only(spider):
    for url in (R2021, R2019, R2017, R2008):
        items = list(spider.parse_detail(file_response(url), hints=PageHints()))
        assert len(items) == 1 and isinstance(items[0], FetchedPage), url


def test_module_page_is_html_with_the_2017_statistics(spider):
    response = file_response(R2017)
    assert response.headers[b"Content-Type"] == b"text/html;charset=UTF-8"
    cells = response.css("#zoom table td::text").getall()
    assert cells[:3] == ["统 计 指 标", "单位", "统计数"]
    rows = {tuple(tr.css("td::text").getall()[:1]): tr.css("td::text").getall() for tr in response.css("#zoom table tr")}
    assert rows[("（一）主动公开政府信息数",)][2] == "58"
    assert rows[("2.政府网站公开政府信息数",)][2] == "52"
    assert rows[("（三）从事政府信息公开工作人员数",)][2] == "3"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    return run_offline_crawl("panan", tmp_path_factory.mktemp("panan"))


def test_offline_crawl_yields_the_four_reports(crawled):
    assert sorted(r["url"] for r in crawled) == sorted([R2021, R2019, R2017, R2008])


def test_offline_crawl_record_fields(crawled):
    by_url = {r["url"]: r for r in crawled}
    assert {u: r["year"] for u, r in by_url.items()} == {R2021: 2021, R2019: 2019, R2017: 2017, R2008: 2008}
    assert by_url[R2008]["title"] == "磐安县安监局2008年度政府信息公开工作报告"
    assert by_url[R2008]["published"] == "2014-10-29"
    assert by_url[R2008]["meta"]["索引号"] == "11330727775738086F/2022-56162"
    assert by_url[R2008]["meta"]["公开时限"] == "长期公开"
    assert {u: r["format"] for u, r in by_url.items()} == {
        R2021: "2021", R2019: "2019", R2017: "statistics", R2008: "none"}
