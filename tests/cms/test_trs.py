"""govcrawl/cms/trs.py: the TRS family and its functions, on the recorded TRS mirrors (anshun, jilin,
guiyang) and on a real Fujian list2.trsapi column (tests/files/real_html)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse

from govcrawl.cms import trs
from govcrawl.cms.family import FormPost
from tests.helpers import file_response

SITE = "http://www.anshun.gov.cn"
COLUMN = f"{SITE}/zfxxgk/zfxxgknb/"
Y2017, Y2019, Y2020 = f"{COLUMN}2017year/", f"{COLUMN}2019year/", f"{COLUMN}2020year/"
SEED000 = f"{Y2017}201807/t20180711_6177540.html"
PUDING_PDF = f"{Y2017}201807/P020180711571293846520.pdf"
CITY_2020 = f"{Y2020}202101/t20210129_66608151.html"
JILIN = "http://yjt.jl.gov.cn/zfxxgk/ndbg/"
GUIYANG = "https://www.guiyang.gov.cn/zwgk/zfxxgks/zfxxgknb/"
PANAN = "http://www.panan.gov.cn/col/col1229147423/index.html"
KMGD = "http://www.kmgd.gov.cn/zfxxgk/zfxxgknb/bmndbg/index.shtml"
REAL_HTML = Path(__file__).resolve().parent.parent / "files" / "real_html"
PT_NB = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"
SEARCH = "https://www.pingtan.gov.cn/fjdzapp/search"


# --- the functions ------------------------------------------------------------------------------
def test_trs_detail_urls():
    assert trs.is_detail_url(CITY_2020)
    assert trs.detail_url_date(CITY_2020) == "2021-01-29"
    # migrated documents: the URL date is the migration, not the publication
    assert trs.detail_url_date(SEED000) == "2018-07-11"
    assert not trs.is_detail_url(f"{Y2020}index_1.html")
    assert not trs.is_detail_url(PUDING_PDF)
    assert trs.detail_url_date(COLUMN) is None


@pytest.mark.parametrize("script, expected", [
    ('var countPage = 2//共多少页\ncreatePageHTML(countPage, 0, "index", "html");', (2, 0)),
    ('createPageHTML(5, 3, "index", "html");', (5, 3)),
    ("createPageHTML('page_div',7, 1,'index','html',131);", (7, 1)),
    ("var countPage = 4;\nvar currentPage = 2;\ndocument.write('<a href=\"index_3.html\">下一页</a>');", (4, 2)),
    ('createPageHTML(1, 0, "index", "html");', (1, 0)),
    ("var x = 1;", None),
    ("", None),
])
def test_trs_page_count(script, expected):
    assert trs.page_count(script) == expected


def test_trs_page_name():
    assert trs.page_name('createPageHTML(3, 0, "index", "html");') == ("index", "html")
    assert trs.page_name("createPageHTML(3, 0, 'list', 'shtml');") == ("list", "shtml")
    assert trs.page_name("createPageHTML('page_div',7, 1,'list','htm',131);") == ("list", "htm")
    assert trs.page_name("createPageHTML(countPage, 0);") == ("index", "html")
    assert trs.page_name("") == ("index", "html")




def test_trs_pagination_from_document_write_links():
    response = file_response(Y2020)
    body = response.text.replace(
        'var countPage = 2//共多少页\ncreatePageHTML(countPage, 0, "index", "html");',
        'document.write("<a href=\\"index_1.html\\">下一页</a><a href=\\"index_2.html\\">尾页</a>");')
    assert body != response.text
    assert trs.listing_pages(response.replace(body=body.encode())) == [
        f"{Y2020}index_1.html", f"{Y2020}index_2.html"]


def _html(url: str, body: str):
    return HtmlResponse(url=url, body=f"<html><body>{body}</body></html>".encode(), encoding="utf-8")


def test_trs_news_list_with_span_dates():
    # the Guizhou platform's news-style columns: <div class="NewsList"><ul><li><a/><span/></li>
    response = _html(f"{SITE}/zwdt/bmdt/", '<div class="NewsList"><ul>'
                     '<li><a href="./202201/t20220125_1.html">市民政局2021年政府信息公开工作年度报告</a>'
                     "<span>2022-01-25</span></li>"
                     '<li><a href="javascript:void(0)">更多</a></li></ul></div>')
    assert [(e.url, e.title, e.date) for e in trs.listing_entries(response)] == [
        (f"{SITE}/zwdt/bmdt/202201/t20220125_1.html", "市民政局2021年政府信息公开工作年度报告", "2022-01-25")]


def test_trs_page_meta_and_content():
    response = file_response(CITY_2020)
    meta = trs.page_meta(response)
    assert meta["ArticleTitle"] == "安顺市政府办公室2020年度信息公开工作年度报告"
    assert meta["PubDate"] == "2021-01-29 10:00"
    assert meta["ContentSource"] == "安顺市人民政府办公室"
    assert meta["ColumnName"] == "2020年"
    assert trs.content_selector(response) == "div.TRS_UEDITOR"
    assert trs.looks_like_trs(response.text)
    assert trs.looks_like_trs(file_response(Y2020).text)
    assert not trs.looks_like_trs("<html><body><p>hello</p></body></html>")




# --- the family ---------------------------------------------------------------------------------
@pytest.mark.parametrize("url", [COLUMN, Y2020, f"{Y2020}index_1.html", CITY_2020, JILIN, GUIYANG])
def test_family_detects_the_trs_mirrors(url):
    assert trs.FAMILY.detect(file_response(url))


@pytest.mark.parametrize("url", [PANAN, KMGD])
def test_family_does_not_claim_other_families_pages(url):
    assert not trs.FAMILY.detect(file_response(url))


def test_family_listing_of_the_anshun_column():
    family = trs.FAMILY
    assert [(e.url, e.date) for e in family.listing_entries(file_response(Y2020))] == [(CITY_2020, "2021-01-29")]
    assert family.listing_pages(file_response(Y2020)) == [f"{Y2020}index_1.html"]
    assert family.subcolumns(file_response(COLUMN)) == [f"{COLUMN}{y}year/" for y in (2021, 2020, 2019, 2018, 2017)]
    assert family.extra_requests(file_response(COLUMN)) == []
    assert family.content_css == trs.CONTENT_CSS and family.spans_column


def test_vote_counts_document_links_and_wins_ties():
    page = _html("http://www.example.gov.cn/nb/", '<a href="./202101/t20210101_1.html">x</a>'
                 '<a href="/art/2021/1/1/art_1_2.html">y</a>')
    links = ["http://www.example.gov.cn/nb/202101/t20210101_1.html",
             "http://www.example.gov.cn/art/2021/1/1/art_1_2.html"]
    assert trs.FAMILY.vote(page, links) == 1.5  # one document link, and the half vote of a tie
    assert trs.FAMILY.vote(page, []) == 0
    script_only = _html("http://www.example.gov.cn/nb/", "<script>var countPage = 3;</script>")
    assert trs.FAMILY.vote(script_only, []) == 0.5


def _pingtan_column():
    return file_response(REAL_HTML / "pingtan_nb_listing.html", PT_NB)


def test_trsapi_column_asks_the_search_api_with_xhr_posts():
    posts = trs.FAMILY.extra_requests(_pingtan_column())
    assert [type(p) for p in posts] == [FormPost, FormPost]
    assert {p.url for p in posts} == {SEARCH}
    assert [p.formdata["page"] for p in posts] == ["1", "2"]
    assert posts[0].formdata["classsql"] == "chnlid=1813" and posts[0].formdata["prepage"] == "10"
    assert posts[0].headers == {"Referer": PT_NB, "X-Requested-With": "XMLHttpRequest"}
    assert posts[0].meta == {trs.TRSAPI_META: True}


def test_trsapi_answer_is_read_as_json_records():
    request = Request(SEARCH, method="POST", meta={trs.TRSAPI_META: True})
    body = json.dumps({"data": [{"doctitle": "平潭综合实验区<em>2015</em>年度政府信息公开工作年度报告",
                                 "docreltime": 1453219200000,
                                 "chnldocurl": PT_NB + "201601/t20160120_80445.htm"}]}, ensure_ascii=False)
    answer = TextResponse(SEARCH, body=body.encode(), encoding="utf-8", request=request,
                          headers={"Content-Type": "application/json;charset=UTF-8"})
    assert trs.is_trsapi_answer(answer) and trs.FAMILY.detect(answer)
    assert [(e.url, e.title, e.date) for e in trs.FAMILY.listing_entries(answer)] == [
        (PT_NB + "201601/t20160120_80445.htm", "平潭综合实验区2015年度政府信息公开工作年度报告", "2016-01-20")]
    # every API page was asked for from the column page
    assert trs.FAMILY.listing_pages(answer) == []
    assert trs.FAMILY.subcolumns(answer) == []
    assert trs.FAMILY.extra_requests(answer) == []


# --- a page count beyond any cap ------------------------------------------------------------------
def test_a_huge_page_count_is_clamped_before_any_url_is_made():
    import time

    page = _html(f"{COLUMN}2030year/", '<script>createPageHTML(2000000, 0, "index", "html");</script>')
    started = time.monotonic()
    pages = trs.listing_pages(page, limit=5)
    assert time.monotonic() - started < 1  # two million URLs would take seconds and gigabytes
    assert pages == [f"{COLUMN}2030year/index_{n}.html" for n in range(1, 5)]
    assert trs.announced_pages(page) == 2000000
    assert trs.FAMILY.announced_pages(page) == 2000000
    # the default cap (GOVCRAWL_MAX_LISTING_PAGES)
    assert len(trs.FAMILY.listing_pages(page)) == 299


def test_a_trsapi_column_announces_its_search_pages():
    scripts = ("var chnlid = 1; list2.trsapi({listApi:{url:'/fjdzapp/search'}, searchId: 55, "
               "chnlid=42, recordCount: 100000, prepage: 10})")
    assert trs.trsapi_page_count(scripts) == 10000
    assert len(trs.trsapi_requests("https://www.pingtan.gov.cn/nb/", scripts, limit=3)) == 3
    assert trs.trsapi_page_count("createPageHTML(2, 0)") is None
