"""govcrawl/cms/plain.py: the plain-list rules (dated links, pagers, year sub-columns, column URLs)
and the plain family every CMS family builds on."""

from __future__ import annotations

from scrapy.http import HtmlResponse, Request

from govcrawl.cms import plain
from tests.helpers import file_response

SITE = "http://www.anshun.gov.cn"
COLUMN = f"{SITE}/zfxxgk/zfxxgknb/"
Y2020 = f"{COLUMN}2020year/"
KMGD = "http://www.kmgd.gov.cn/zfxxgk/zfxxgknb/bmndbg/index.shtml"


def html(url: str, body: str) -> HtmlResponse:
    return HtmlResponse(url=url, body=body.encode("utf-8"), encoding="utf-8", request=Request(url))


def _html(url: str, body: str) -> HtmlResponse:
    return html(url, f"<html><body>{body}</body></html>")


# --- entries ----------------------------------------------------------------------------------
def test_dated_links_in_rows_tables_and_definition_lists():
    page = _html("http://www.example.gov.cn/nb/", """
        <ul><li><a href="./1.html" title="某局2020年政府信息公开工作年度报告">某局2020年...</a><span>2021-01-20</span></li>
        <li><a href="javascript:void(0)">更多</a></li></ul>
        <table><tr><td><a href="./2.html">2024年1-2月统计表</a></td><td>2024年3月15日</td></tr></table>
        <dl><dd><a href="./3.html">某局2019年报</a></dd><dd>2020/1/8</dd></dl>
        <p><a href="./4.html">无日期</a></p>""")
    assert [(e.url, e.title, e.date) for e in plain.listing_entries(page)] == [
        ("http://www.example.gov.cn/nb/1.html", "某局2020年政府信息公开工作年度报告", "2021-01-20"),
        # the date beside the link, never one in its title
        ("http://www.example.gov.cn/nb/2.html", "2024年1-2月统计表", "2024-03-15"),
        ("http://www.example.gov.cn/nb/3.html", "某局2019年报", "2020-01-08"),
        ("http://www.example.gov.cn/nb/4.html", "无日期", None)]


def test_the_family_is_the_plain_rules():
    family = plain.FAMILY
    assert family.name == "plain" and family.content_css == "body" and not family.spans_column
    response = file_response(KMGD)
    assert family.listing_entries(response) == plain.listing_entries(response)
    assert family.listing_pages(response) == ["http://www.kmgd.gov.cn/zfxxgk/zfxxgknb/bmndbg/index_2.shtml"]
    assert family.subcolumns(file_response(COLUMN)) == [f"{COLUMN}{y}year/" for y in (2021, 2020, 2019, 2018, 2017)]
    assert family.extra_requests(response) == []


# --- pagination -------------------------------------------------------------------------------
def test_numbered_pager_gaps_are_filled_up_to_the_last_page():
    page = html("http://www.example.gov.cn/xxgk/ndbg/index.html", """<html><body>
        <ul><li><a href="./a/1.html">某局2020年政府信息公开工作年度报告</a><span>2021-01-20</span></li></ul>
        <div class="pages"><span>1</span> <a href="index_2.html">2</a> <a href="index_3.html">3</a>
        <a href="index_2.html">下一页</a> <a href="index_9.html">尾页</a>
        <a href="/xxgk/other/index_4.html">4</a></div></body></html>""")
    pages = plain.listing_pages(page)
    assert pages == [f"http://www.example.gov.cn/xxgk/ndbg/index_{n}.html" for n in (2, 3, 9)] + \
        [f"http://www.example.gov.cn/xxgk/ndbg/index_{n}.html" for n in range(4, 9)]


def test_query_parameter_pager():
    page = html("http://www.example.gov.cn/xxgk/list.jsp?cid=12&page=1", """<html><body>
        <a href="list.jsp?cid=12&page=2">2</a> <a href="list.jsp?cid=12&page=5">末页</a></body></html>""")
    pages = plain.listing_pages(page)
    assert set(pages) == {f"http://www.example.gov.cn/xxgk/list.jsp?cid=12&page={n}" for n in range(2, 6)}


def test_epoint_cur_page_and_chengdu_column_index_pagers():
    page = html("https://www.mz.gov.cn/info/iList.jsp?node_id=GKmzs&cat_id=15971&cur_page=1",
                """<html><body><a href="iList.jsp?node_id=GKmzs&cat_id=15971&cur_page=2">下一页</a>
                <a href="iList.jsp?node_id=GKmzs&cat_id=15971&cur_page=4">尾页</a></body></html>""")
    assert set(plain.listing_pages(page)) == {
        f"https://www.mz.gov.cn/info/iList.jsp?node_id=GKmzs&cat_id=15971&cur_page={n}" for n in (2, 3, 4)}
    page = html("http://www.example.gov.cn/xxgk/ndbg/column-index-1.shtml",
                """<html><body><a href="column-index-2.shtml">2</a>
                <a href="column-index-5.shtml">尾页</a></body></html>""")
    assert set(plain.listing_pages(page)) == {
        f"http://www.example.gov.cn/xxgk/ndbg/column-index-{n}.shtml" for n in range(2, 6)}


def test_page_count_in_a_script_without_pager_links():
    page = html("http://www.example.gov.cn/xxgk/ndbg/index.html",
                "<html><body><script>var pageCount = 3; drawPager(pageCount);</script></body></html>")
    assert plain.listing_pages(page) == ["http://www.example.gov.cn/xxgk/ndbg/index_1.html",
                                         "http://www.example.gov.cn/xxgk/ndbg/index_2.html"]


# --- column URLs and year sub-columns -------------------------------------------------------------
def test_column_url():
    assert plain.column_url(f"{Y2020}index_1.html") == Y2020
    assert plain.column_url(Y2020) == Y2020
    assert plain.column_url(f"{SITE}/zfxxgk/zfxxgknb/2020year") == Y2020


def test_page_urls():
    assert plain.page_urls(f"{Y2020}index_1.html", 3) == [Y2020, f"{Y2020}index_1.html", f"{Y2020}index_2.html"]
    assert plain.page_urls(Y2020, 2, "list", "shtml") == [f"{Y2020}list.shtml", f"{Y2020}list_1.shtml"]
    assert plain.page_urls(Y2020, 0) == [Y2020]


def test_year_subcolumns_by_link_text():
    response = _html(f"{SITE}/zwgk/nb/", '<a href="./c123/">2019年</a><a href="./c124/">机构概况</a>'
                     '<a href="./2018n/index.html">年报</a><a href="../2017n/">2017年</a>'
                     '<a href="./c125/sub/">2016年</a>')
    assert plain.subcolumns(response) == [f"{SITE}/zwgk/nb/c123/", f"{SITE}/zwgk/nb/2018n/"]




# --- big columns and runaway counts -----------------------------------------------------------------
def test_five_digit_page_numbers_are_page_numbers():
    page = html("http://www.example.gov.cn/xxgk/ndbg/index_12340.html", """<html><body>
        <div class="pages"><a href="index_12339.html">12340</a> <span>12341</span>
        <a href="index_12341.html">12342</a> <a href="index_12345.html">尾页</a></div></body></html>""")
    assert plain.listing_pages(page) == [f"http://www.example.gov.cn/xxgk/ndbg/index_{n}.html"
                                         for n in (12339, 12341, 12345, 12342, 12343, 12344)]
    assert plain.announced_pages(page) == 7  # pages 12339 to 12345


def test_a_bare_long_number_is_a_document_not_a_page():
    # `3.html` is page 3; `219901.html` (its link text a number too) is a document: the two never
    # make one range of pages 3 to 219901
    page = html("http://www.example.gov.cn/xxgk/ndbg/index.html", """<html><body>
        <a href="3.html">3</a> <a href="219901.html">219901</a></body></html>""")
    assert plain.listing_pages(page) == ["http://www.example.gov.cn/xxgk/ndbg/3.html",
                                         "http://www.example.gov.cn/xxgk/ndbg/219901.html"]
    assert plain.announced_pages(page) == 2


def test_a_huge_script_page_count_is_clamped_not_cut_to_four_digits():
    page = html("http://www.example.gov.cn/xxgk/ndbg/index.html",
                "<html><body><script>var pageCount = 2000000; drawPager(pageCount);</script></body></html>")
    pages = plain.listing_pages(page, limit=3)
    assert pages == [f"http://www.example.gov.cn/xxgk/ndbg/index_{n}.html" for n in (1, 2)]
    assert plain.announced_pages(page) == 2000000  # not 2000
    assert len(plain.FAMILY.listing_pages(page)) == 299


def test_a_pager_range_is_filled_only_up_to_the_limit():
    page = html("http://www.example.gov.cn/xxgk/ndbg/index.html", """<html><body>
        <a href="index_2.html">2</a> <a href="index_99999.html">尾页</a></body></html>""")
    assert len(plain.listing_pages(page, limit=10)) == 10
    assert plain.announced_pages(page) == 99999
