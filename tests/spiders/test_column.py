"""The generic `column` spider: the family it picks per page, report-link filtering, pagination, report
files on detail pages, and offline crawls of real-looking columns (the family recognition itself:
tests/cms/test_registry.py).

Its own mirror is fixtures/sites/www.guiyang.gov.cn (a Guizhou 集约化 TRS column with year
sub-columns `2021n/` and `2020nian/`, the latter paged by script only, look-alike links, an
attachment-only PDF report and an attachment-only DOCX report). The other sites' mirrors
(anshun: TRS, panan: Hanweb, kmgd: Kunming cluster, yjt.jl: TRS) show it needs no site-specific code:
it finds the same reports there as their own spiders.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import scrapy
from scrapy.http import HtmlResponse, Request

from govcrawl import PROJECT_ROOT
from govcrawl.cms import hanweb, kunming, plain, trs
from govcrawl.items import FetchedPage, PageHints
from govcrawl.spiders.column import (
    ColumnSpider,
    is_report_column,
    one_copy_each,
    report_file_type,
    report_files,
    site_domain,
)
from tests.helpers import file_response

GY = "https://www.guiyang.gov.cn/zwgk/zfxxgks/zfxxgknb/"
GY_2021 = GY + "2021n/"
GY_2020 = GY + "2020nian/"
GY_2020_P2 = GY_2020 + "index_1.html"
CITY_2020 = GY_2020 + "202103/t20210305_67096579.html"
BIGDATA_2020 = GY_2020 + "202101/t20210127_66559277.html"
STATS_2020 = GY_2020 + "202101/t20210125_66531208.html"
STATS_2020_PDF = GY_2020 + "202101/P020210125384761203948.pdf"
CITY_2021 = GY_2021 + "202203/t20220310_72915842.html"
AUDIT_2021 = GY_2021 + "202201/t20220120_72270155.html"
AUDIT_2021_DOCX = GY_2021 + "202201/P020220120541238976512.docx"
LOOKALIKES = {
    GY_2020 + "202103/t20210308_67160021.html": "一图读懂贵阳市2020年政府信息公开工作年度报告",
    GY_2020 + "202101/t20210115_66478830.html": "贵阳市召开2020年度工作会议暨政务公开工作推进会",
    GY_2020 + "202012/t20201225_65932211.html": "关于做好2020年度政府信息公开工作年度报告编制发布工作的通知",
    GY_2021 + "202104/t20210420_67701839.html": "贵阳市2021年政务公开工作要点",
    GY_2021 + "202201/t20220105_72101466.html": "一图读懂2017年重点工作",
}

PANAN = "http://www.panan.gov.cn/col/col1229147423/index.html"
ANSHUN_2020 = "http://www.anshun.gov.cn/zfxxgk/zfxxgknb/2020year/index.html"
KMGD = "http://www.kmgd.gov.cn/zfxxgk/zfxxgknb/bmndbg/index.shtml"


def gy(url: str):
    """A response from the guiyang mirror (a directory URL serves its index.html)."""
    return file_response(url)


def spider_for(url: str = GY, **kwargs) -> ColumnSpider:
    return ColumnSpider(url=url, **kwargs)


def start_response(url: str):
    response = file_response(url, meta={"govcrawl_column_start": True, "govcrawl_kind": "listing"})
    return response


def requests_by_kind(results) -> dict[str, list[scrapy.Request]]:
    out: dict[str, list] = {"listing": [], "detail": [], "attachment": []}
    for r in results:
        assert isinstance(r, scrapy.Request), f"a listing page yields requests only, not {r!r}"
        out[r.meta["govcrawl_kind"]].append(r)
    return out


def html(url: str, body: str) -> HtmlResponse:
    return HtmlResponse(url=url, body=body.encode("utf-8"), encoding="utf-8", request=Request(url))


# --- the column and its arguments ------------------------------------------------------------------------
def test_report_column_is_recognised_from_column_meta_title_and_url():
    assert is_report_column(file_response(GY_2020))
    assert is_report_column(file_response(KMGD))
    news = html("http://www.example.gov.cn/xwzx/gzdt/index.html",
                "<html><head><title>工作动态</title></head><body></body></html>")
    assert not is_report_column(news)


def test_site_domain():
    assert site_domain("www.guiyang.gov.cn") == "guiyang.gov.cn"
    assert site_domain("yjt.jl.gov.cn") == "jl.gov.cn"
    assert site_domain("tjj.pingliang.gov.cn:8080") == "pingliang.gov.cn"
    assert site_domain("www.example.com") == "example.com"


def test_spider_arguments():
    with pytest.raises(ValueError, match="url"):
        ColumnSpider()
    with pytest.raises(ValueError, match="family"):
        ColumnSpider(url=GY, family="drupal")
    spider = ColumnSpider(url="www.guiyang.gov.cn/zwgk/zfxxgks/zfxxgknb/", agency="贵阳市人民政府",
                          report_column="0")
    assert spider.start_urls == ["http://www.guiyang.gov.cn/zwgk/zfxxgks/zfxxgknb/"]
    assert spider.allowed_domains == ["guiyang.gov.cn"]
    assert spider.agency == "贵阳市人民政府" and spider.report_column is False


# --- the guiyang column: links, look-alikes, pagination --------------------------------------------------
def test_start_page_sets_family_and_walks_year_subcolumns():
    spider = spider_for()
    got = requests_by_kind(spider.parse_listing(start_response(GY)))
    assert spider.family is trs.FAMILY and spider.report_column is True
    assert {r.url for r in got["listing"]} == {GY_2021, GY_2020}
    assert {r.url for r in got["detail"]} == {CITY_2021, AUDIT_2021, CITY_2020}


def test_report_links_kept_and_lookalikes_rejected():
    spider = spider_for()
    first = requests_by_kind(spider.parse_listing(gy(GY_2021)))
    assert [r.url for r in first["detail"]] == [CITY_2021, AUDIT_2021]
    second = requests_by_kind(spider.parse_listing(gy(GY_2020)))
    assert [r.url for r in second["detail"]] == [CITY_2020, BIGDATA_2020]
    third = requests_by_kind(spider.parse_listing(gy(GY_2020_P2)))
    assert [r.url for r in third["detail"]] == [STATS_2020]
    requested = {r.url for batch in (first, second, third) for r in batch["detail"]}
    assert not requested & set(LOOKALIKES)


def test_listing_hints_carry_title_date_and_column():
    spider = spider_for()
    got = requests_by_kind(spider.parse_listing(gy(GY_2020_P2)))
    hints = got["detail"][0].cb_kwargs["hints"]
    assert hints.to_dict() == {"title": "贵阳市统计局2020年政府信息公开工作年度报告", "published": "2021-01-25",
                               "column": GY_2020_P2}


def test_script_only_pagination_is_followed_both_ways():
    spider = spider_for()
    page1 = gy(GY_2020)
    assert "index_1.html" not in " ".join(page1.css("a::attr(href)").getall())  # only in the script
    got = requests_by_kind(spider.parse_listing(page1))
    assert [r.url for r in got["listing"]] == [GY_2020_P2]
    got = requests_by_kind(spider.parse_listing(gy(GY_2020_P2)))
    # the first page again (the column URL or its index.html): Scrapy's dupefilter drops it
    assert [r.url for r in got["listing"]] in ([GY_2020], [GY_2020 + "index.html"])


def test_single_page_column_asks_for_no_more_pages():
    got = requests_by_kind(spider_for().parse_listing(gy(GY_2021)))
    assert got["listing"] == []


# --- Kunming cluster and plain lists -------------------------------------------------------------------
def test_kunming_column_on_the_kmgd_mirror():
    # read as a plain list before the column spider knew the cluster; the same links either way
    spider = spider_for(KMGD)
    got = requests_by_kind(spider.parse_listing(start_response(KMGD)))
    assert spider.family is kunming.FAMILY
    assert [r.url for r in got["listing"]] == ["http://www.kmgd.gov.cn/zfxxgk/zfxxgknb/bmndbg/index_2.shtml"]
    titles = [r.cb_kwargs["hints"].title for r in got["detail"]]
    assert "官渡区2019年政务公开工作要点" not in titles
    assert titles and all("年度报告" in t for t in titles)
    # a later page without the cluster's evidence stays the column's family
    bare = html("http://www.kmgd.gov.cn/zfxxgk/zfxxgknb/bmndbg/index_3.shtml", "<html><body></body></html>")
    assert spider.family_for(bare) is kunming.FAMILY


def test_a_plain_column_stays_plain():
    page = html("http://www.example.gov.cn/xxgk/ndbg/index.html", """<html><body>
        <ul><li><a href="./a/1.html">某局2020年政府信息公开工作年度报告</a><span>2021-01-20</span></li></ul>
        <div class="pages"><a href="index_2.html">下一页</a></div></body></html>""")
    spider = spider_for("http://www.example.gov.cn/xxgk/ndbg/index.html")
    got = requests_by_kind(spider.parse_listing(page))
    assert spider.family_for(page) is plain.FAMILY
    assert [r.url for r in got["listing"]] == ["http://www.example.gov.cn/xxgk/ndbg/index_2.html"]
    assert [r.cb_kwargs["hints"].published for r in got["detail"]] == ["2021-01-20"]


# --- Hanweb: the family functions do the listing --------------------------------------------------------
def test_hanweb_column_reads_the_datastore_and_asks_the_dataproxy():
    spider = spider_for(PANAN)
    results = list(spider.parse_listing(start_response(PANAN)))
    assert spider.family is hanweb.FAMILY
    posts = [r for r in results if isinstance(r, scrapy.FormRequest)]
    assert posts and all(urlsplit(r.url).path == "/module/web/jpage/dataproxy.jsp" for r in posts)
    form = parse_qs(posts[0].body.decode("utf-8"))
    assert form["columnid"] == ["1229147423"]
    details = [r for r in results if r.meta["govcrawl_kind"] == "detail"]
    assert details and all("年度报告" in r.cb_kwargs["hints"].title or "年报" in r.cb_kwargs["hints"].title
                           for r in details)
    # the POSTs come back as Hanweb listing pages, whatever their answers look like
    assert {r.meta["govcrawl_family"] for r in posts} == {"hanweb"}
    assert all(r.callback == spider.parse_listing for r in posts)


# --- detail pages and report files ----------------------------------------------------------------------
def test_attachment_only_pdf_page_yields_the_file_with_its_page_as_source():
    spider = spider_for()
    hints = PageHints(title="贵阳市统计局2020年政府信息公开工作年度报告", column=GY_2020_P2)
    results = list(spider.parse_detail(gy(STATS_2020), hints=hints))
    assert len(results) == 1
    request = results[0]
    assert request.url == STATS_2020_PDF and request.meta["govcrawl_kind"] == "attachment"
    assert request.cb_kwargs["hints"].source_url == STATS_2020
    assert request.cb_kwargs["hints"].title == "贵阳市统计局2020年政府信息公开工作年度报告"


def test_attachment_only_docx_page():
    results = list(spider_for().parse_detail(gy(AUDIT_2021), hints=PageHints()))
    assert [r.url for r in results] == [AUDIT_2021_DOCX]


def test_full_html_report_is_yielded_as_the_page():
    results = list(spider_for().parse_detail(gy(CITY_2020), hints=PageHints(title="x")))
    assert len(results) == 1 and isinstance(results[0], FetchedPage)
    assert results[0].url == CITY_2020


@pytest.mark.parametrize("url,kind", [
    ("http://x.gov.cn/a/P0202101.pdf", "pdf"),
    ("http://x.gov.cn/module/download/downfile.jsp?classid=0&filename=2101251425.pdf", "pdf"),
    ("http://x.gov.cn/attach/download?fileName=%E5%B9%B4%E6%8A%A5.docx", "docx"),
    ("http://x.gov.cn/pdfjs/web/viewer.html?file=/upload/2021/nb.pdf", "pdf"),
    ("http://x.gov.cn/art/2021/1/1/art_1_2.html", None),
])
def test_report_file_type(url, kind):
    assert report_file_type(url) == kind


def test_report_files_from_anchors_iframes_and_viewers():
    page = html("http://www.example.gov.cn/xxgk/nb/202101/t1.html", """<html><body>
        <a href="./P020210120.pdf">2020年报.pdf</a>
        <a href="/module/download/downfile.jsp?classid=0&filename=2101.wps">附件</a>
        <iframe src="/pdfjs/web/viewer.html?file=/upload/nb2020.pdf"></iframe>
        <a href="./t2.html">上一篇</a></body></html>""")
    urls = [u for u, _ in report_files(page)]
    assert urls == ["http://www.example.gov.cn/xxgk/nb/202101/P020210120.pdf",
                    "http://www.example.gov.cn/module/download/downfile.jsp?classid=0&filename=2101.wps",
                    "http://www.example.gov.cn/upload/nb2020.pdf"]


def test_one_copy_of_a_report_offered_in_several_formats():
    files = [("http://x.gov.cn/a/P01.pdf", "贵阳市统计局2020年政府信息公开工作年度报告.pdf"),
             ("http://x.gov.cn/a/P02.doc", "贵阳市统计局2020年政府信息公开工作年度报告.doc"),
             ("http://x.gov.cn/a/P03.docx", "贵阳市统计局2020年政府信息公开工作年度报告.docx"),
             ("http://x.gov.cn/a/P04.pdf", "附件2：政府信息公开情况统计表.pdf"),
             ("http://x.gov.cn/a/P05.pdf", "")]
    assert [u for u, _ in one_copy_each(files)] == [
        "http://x.gov.cn/a/P03.docx", "http://x.gov.cn/a/P04.pdf", "http://x.gov.cn/a/P05.pdf"]


# --- offline end-to-end ---------------------------------------------------------------------------------
def crawl(url: str, workdir: Path, *args: str) -> list[dict]:
    out = workdir / "out.jsonl"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "column", "-a", f"url={url}",
           "-s", "GOVCRAWL_OFFLINE=1", "-s", f"GOVCRAWL_DATABASE_URL=sqlite:///{workdir / 'x.db'}",
           "-O", str(out), *args]
    proc = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return [json.loads(line) for line in out.read_text("utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def guiyang_records(tmp_path_factory) -> list[dict]:
    return crawl(GY, tmp_path_factory.mktemp("column"))


@pytest.mark.timeout(300)
def test_offline_crawl_yields_only_the_reports(guiyang_records):
    urls = sorted(r["url"] for r in guiyang_records)
    assert urls == sorted([CITY_2020, BIGDATA_2020, STATS_2020_PDF, CITY_2021, AUDIT_2021_DOCX])
    assert all(r["is_report"] for r in guiyang_records)
    assert not {r["url"] for r in guiyang_records} & set(LOOKALIKES)
    # the public record only: the pipeline's private keys are gone
    assert not any(key.startswith("_") for r in guiyang_records for key in r)


@pytest.mark.timeout(300)
def test_offline_crawl_attachment_reports(guiyang_records):
    by_url = {r["url"]: r for r in guiyang_records}
    pdf, docx = by_url[STATS_2020_PDF], by_url[AUDIT_2021_DOCX]
    assert pdf["source"] == "pdf" and pdf["source_url"] == STATS_2020
    assert docx["source"] == "docx" and docx["source_url"] == AUDIT_2021
    assert pdf["flags"] == [] and docx["flags"] == []
    assert pdf["title"] == "贵阳市统计局2020年政府信息公开工作年度报告" and pdf["year"] == 2020
    assert docx["title"] == "贵阳市审计局2021年政府信息公开工作年度报告" and docx["year"] == 2021
    for html_url in (CITY_2020, BIGDATA_2020, CITY_2021):
        assert by_url[html_url]["source"] == "html" and by_url[html_url]["source_url"] is None


@pytest.mark.timeout(300)
def test_offline_crawl_attachment_tables_reach_the_statistics(guiyang_records):
    by_url = {r["url"]: r for r in guiyang_records}
    docx = by_url[AUDIT_2021_DOCX]
    cells = {(c["table"], c["row"], c["col"]): c["value"] for c in docx["cells"]}
    assert docx["format"] == "2021"
    assert cells[("applications", "new_received", "total")] == 66
    pdf = by_url[STATS_2020_PDF]
    assert pdf["format"] == "2019"
    cells = {(c["table"], c["row"], c["col"]): c["value"] for c in pdf["cells"]}
    assert cells[("applications", "new_received", "total")] == 7
    assert all(c["status"] == "pass" for c in pdf["checks"] if c["rule"] == "applications.balance")


# --- no site-specific code: the same reports as each site's own spider -----------------------------------
SITE_SPIDERS = [
    ("anshun", "http://www.anshun.gov.cn/zfxxgk/zfxxgknb/"),
    ("panan", PANAN),
    ("guandu", KMGD),
    ("jilin", "http://yjt.jl.gov.cn/zfxxgk/ndbg/"),
]


@pytest.mark.timeout(300)
def test_column_spider_finds_what_each_site_spider_finds(tmp_path):
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.project import get_project_settings

    known = set(SpiderLoader.from_settings(get_project_settings()).list())
    assert {name for name, _ in SITE_SPIDERS} <= known
    runs = []
    for name, url in SITE_SPIDERS:
        for which, spider_args in (("site", [name]), ("column", ["column", "-a", f"url={url}"])):
            work = tmp_path / f"{name}-{which}"
            work.mkdir()
            cmd = [sys.executable, "-m", "scrapy", "crawl", *spider_args, "-s", "GOVCRAWL_OFFLINE=1",
                   "-s", f"GOVCRAWL_DATABASE_URL=sqlite:///{work / 'x.db'}", "-O", str(work / "out.jsonl"),
                   "-L", "WARNING"]
            runs.append((name, which, work, subprocess.Popen(
                cmd, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)))
    found: dict[tuple[str, str], set[str]] = {}
    for name, which, work, proc in runs:
        _, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, f"{which} spider on the {name} mirror: {err[-3000:]}"
        found[(name, which)] = {json.loads(line)["url"]
                                for line in (work / "out.jsonl").read_text("utf-8").splitlines() if line}
    for name, _ in SITE_SPIDERS:
        assert found[(name, "column")] == found[(name, "site")], name
        assert found[(name, "column")], name
