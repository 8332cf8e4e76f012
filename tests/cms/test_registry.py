"""govcrawl/cms/__init__.py: the family registry, and which family each recorded mirror's pages are.

Every family the agency spiders use is recognised on its own mirror, so the generic `column`
spider reads each site as its own spider does.
"""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request

from govcrawl.cms import FAMILIES, detect_family, family_named, family_names, hanweb, kunming, plain, trs
from govcrawl.cms.family import Family
from tests.helpers import FIXTURES_DIR, file_response

GY = "https://www.guiyang.gov.cn/zwgk/zfxxgks/zfxxgknb/"
GY_2021 = GY + "2021n/"
GY_2020 = GY + "2020nian/"
GY_2020_P2 = GY_2020 + "index_1.html"
PANAN = "http://www.panan.gov.cn/col/col1229147423/index.html"
ANSHUN_2020 = "http://www.anshun.gov.cn/zfxxgk/zfxxgknb/2020year/index.html"
KMGD = "http://www.kmgd.gov.cn/zfxxgk/zfxxgknb/bmndbg/index.shtml"
KMGD_2 = "http://www.kmgd.gov.cn/zfxxgk/zfxxgknb/bmndbg/index_2.shtml"


def html(url: str, body: str) -> HtmlResponse:
    return HtmlResponse(url=url, body=body.encode("utf-8"), encoding="utf-8", request=Request(url))


# --- the registry -------------------------------------------------------------------------------
def test_every_family_once_in_detection_order_plain_last():
    assert FAMILIES == (hanweb.FAMILY, trs.FAMILY, kunming.FAMILY, plain.FAMILY)
    assert family_names() == ["hanweb", "trs", "kunming", "plain"]
    assert all(isinstance(f, Family) for f in FAMILIES)
    assert not plain.FAMILY.detect(html("http://x.gov.cn/", "<html></html>"))  # no evidence of its own


def test_family_named():
    assert family_named("kunming") is kunming.FAMILY
    with pytest.raises(ValueError, match="hanweb, trs, kunming, plain"):
        family_named("drupal")


# --- each agency spider's mirror --------------------------------------------------------------------
@pytest.mark.parametrize("url, family", [
    ("http://www.anshun.gov.cn/zfxxgk/zfxxgknb/", trs.FAMILY),
    ("http://yjt.jl.gov.cn/zfxxgk/ndbg/", trs.FAMILY),
    ("http://yjt.jl.gov.cn/zfxxgk/ndbg/index_1.html", trs.FAMILY),
    (PANAN, hanweb.FAMILY),
    (KMGD, kunming.FAMILY),
    (KMGD_2, kunming.FAMILY),
    ("http://www.kmgd.gov.cn/c/2018-01-08/2199012.shtml", kunming.FAMILY),
])
def test_each_agency_mirror_is_its_spiders_family(url, family):
    assert detect_family(file_response(url)) is family


def test_the_agency_spiders_use_the_families_their_mirrors_show():
    from govcrawl.spiders.anshun import AnshunSpider
    from govcrawl.spiders.guandu import GuanduSpider
    from govcrawl.spiders.jilin import JilinSpider
    from govcrawl.spiders.panan import PananSpider

    for cls in (AnshunSpider, GuanduSpider, JilinSpider, PananSpider):
        assert detect_family(file_response(cls.start_urls[0])) is cls.family, cls.name


# --- recognising a family (from the column spider's detection) ----------------------------------------
@pytest.mark.parametrize("url", [GY, GY_2021, GY_2020, GY_2020_P2, ANSHUN_2020,
                                 "http://yjt.jl.gov.cn/zfxxgk/ndbg/index.html"])
def test_trs_columns_are_recognised(url):
    assert detect_family(file_response(url)).name == "trs"


def test_hanweb_column_and_its_dataproxy_answer_are_recognised():
    assert detect_family(file_response(PANAN)).name == "hanweb"
    proxy = next(p for p in (FIXTURES_DIR / "www.panan.gov.cn/module/web/jpage").iterdir()
                 if p.name.startswith("dataproxy.jsp@"))
    url = "http://www.panan.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=6&endrecord=10&perpage=5"
    assert detect_family(file_response(proxy, url=url)).name == "hanweb"


def test_plain_list_is_recognised():
    # shanghai.gov.cn style: /nw12344/YYYYMMDD/<id>.html documents, a plain pager
    page = html("https://www.shanghai.gov.cn/nw12344/index.html", """<html><head>
        <meta name="SiteName" content="上海市人民政府"><meta name="ColumnName" content="政府信息公开年报">
        <title>政府信息公开年报</title></head><body><ul class="uli14 nowrapli list-date">
        <li><a href="/nw12344/20240329/d7775c906c0b402a93cbebf4e979c002.html"
               title="2023年上海市政府信息公开工作年度报告">2023年上海市政府信息公开工作年度报告</a><span>2024-03-29</span></li>
        </ul><div class="pagination"><a href="index_2.html">下一页</a></div></body></html>""")
    assert detect_family(page).name == "plain"


def test_meta_tags_alone_do_not_make_a_trs_site():
    # every gov site carries SiteName/ColumnName (national website norms), whatever its CMS
    page = html("http://www.example.gov.cn/xxgk/nb/", """<html><head>
        <meta name="SiteName" content="某市"><meta name="ColumnName" content="年报"></head>
        <body><ul><li><a href="/xxgk/nb/5123.html">某市2020年政府信息公开工作年度报告</a> 2021-01-20</li></ul>
        </body></html>""")
    assert detect_family(page).name == "plain"


def test_trs_generator_meta_is_evidence():
    page = html("http://www.example.gov.cn/xxgk/nb/", """<html><head>
        <meta name="generator" content="TRS WCM 7.0"></head><body><ul>
        <li><a href="./a.html">某市2020年政府信息公开工作年度报告</a></li></ul></body></html>""")
    assert detect_family(page).name == "trs"


def test_pages_without_machinery_go_to_the_family_of_their_document_links():
    trs_links = html("http://www.example.gov.cn/nb/", """<html><body><ul>
        <li><a href="./202101/t20210101_1.html">某局2020年政府信息公开工作年度报告</a></li></ul></body></html>""")
    assert detect_family(trs_links) is trs.FAMILY
    hanweb_links = html("http://www.example.gov.cn/nb/", """<html><body><ul>
        <li><a href="/art/2021/1/1/art_1_2.html">x</a></li><li><a href="/art/2021/1/2/art_1_3.html">y</a></li>
        <li><a href="./202101/t20210101_1.html">z</a></li></ul></body></html>""")
    assert detect_family(hanweb_links) is hanweb.FAMILY
    # a tie goes to TRS, as does a page-count script alone
    tie = html("http://www.example.gov.cn/nb/", """<html><body><a href="/art/2021/1/1/art_1_2.html">x</a>
        <a href="./202101/t20210101_1.html">z</a></body></html>""")
    assert detect_family(tie) is trs.FAMILY
    script = html("http://www.example.gov.cn/nb/", "<html><body><script>var countPage = 3;</script></body></html>")
    assert detect_family(script) is trs.FAMILY
    # links to another site say nothing about this one
    elsewhere = html("http://www.example.gov.cn/nb/", """<html><body>
        <a href="http://www.other.gov.cn/nb/202101/t20210101_1.html">z</a></body></html>""")
    assert detect_family(elsewhere) is plain.FAMILY
