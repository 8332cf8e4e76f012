"""The `catalog` spider: a region's catalog columns in one crawl, each column its own run scope.

The offline crawl covers seven mirrored sites (anshun, panan, guandu, jilin, the guiyang city
column, and two more 安顺 sites: 市住房和城乡建设局's and 西秀区's, whose mirrors
fixtures/tools/build_anshun_region_mirrors.py builds) in one process; every other selected row is
skipped, and said to be.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.http import Request
from scrapy.utils.test import get_crawler

from govcrawl import PROJECT_ROOT, catalog
from govcrawl.cms import hanweb, kunming, trs
from govcrawl.items import FetchedPage, PageHints
from govcrawl.signals import page_failed
from govcrawl.spiders.catalog import CatalogSpider
from govcrawl.spiders.column import ColumnSpider
from tests.helpers import FIXTURES_DIR, file_response

REGIONS = "52,33,22,5301"   # 贵州, 浙江, 吉林, 昆明 (not 云南省民政厅: its mirror serves discovery only)
ANSHUN = "http://www.anshun.gov.cn/zfxxgk/zfxxgknb/"
GUIYANG = "http://www.guiyang.gov.cn/zwgk/zfxxgks/zfxxgknb/"
PANAN = "http://www.panan.gov.cn/col/col1229147423/index.html"
MIRRORED_HOSTS = {"www.anshun.gov.cn", "www.guiyang.gov.cn", "www.panan.gov.cn", "www.kmgd.gov.cn",
                  "yjt.jl.gov.cn", "zfcx.anshun.gov.cn", "www.xixiu.gov.cn"}
XIXIU = "https://www.xixiu.gov.cn"


def make_spider(offline: bool = True, settings: dict | None = None, **kwargs) -> CatalogSpider:
    crawler = get_crawler(CatalogSpider, {"GOVCRAWL_OFFLINE": offline, "SPIDER_MODULES": ["govcrawl.spiders"],
                                          **(settings or {})})
    return CatalogSpider.from_crawler(crawler, **kwargs)


# --- selection and planning -----------------------------------------------------------------------
def test_a_selection_is_required():
    with pytest.raises(ValueError, match="needs a selection"):
        CatalogSpider()
    with pytest.raises(ValueError, match="no catalog row matches"):
        CatalogSpider(key="999999:nothing")


def test_region_selects_every_row_inside_each_code():
    spider = CatalogSpider(region="5204,330727")
    assert {r.region_code[:4] for r in spider.rows} == {"5204", "3307"}
    assert len(spider.rows) == len(catalog.select(catalog.rows(), region="520400")) + 2
    assert spider.crawl_scope == "catalog:region=5204,330727"


def test_shared_columns_are_crawled_once():
    spider = CatalogSpider(region="520400")
    urls = [g.column_url for g in spider.groups]
    assert len(urls) == len(set(urls))
    anshun = next(g for g in spider.groups if g.column_url == ANSHUN)
    # the city, four of its bureaus and 镇宁 publish in the city column
    assert len(anshun.rows) >= 5 and anshun.region_code == "520400" and anshun.agency == "安顺市人民政府"


def test_agency_columns_are_crawled_by_their_agency_spider_in_its_scope():
    spider = make_spider(region=REGIONS)
    by_url = spider.plans
    assert by_url[ANSHUN].handler.name == "anshun" and by_url[ANSHUN].scope == "anshun"
    assert by_url[PANAN].handler.family is hanweb.FAMILY and by_url[PANAN].scope == "panan"
    guiyang = by_url[GUIYANG]
    assert isinstance(guiyang.handler, ColumnSpider)
    assert guiyang.handler.family is trs.FAMILY and guiyang.handler.forced_family is trs.FAMILY
    assert guiyang.handler.region_code == "520100" and guiyang.scope == f"column:{GUIYANG}"
    kmgd = next(p for p in by_url.values() if p.group.site == "www.kmgd.gov.cn")
    assert kmgd.handler.family is kunming.FAMILY and kmgd.handler.agency is None


def test_offline_crawls_only_mirrored_columns_and_names_the_rest():
    spider = make_spider(region=REGIONS)
    assert {p.group.site for p in spider.plans.values()} == MIRRORED_HOSTS
    skipped = {g.column_url: reason for g, reason in spider.skipped}
    assert skipped["http://xxgk.jl.gov.cn/szf/bgtndbg/"] == "no mirror of the host"
    # the host is mirrored, this sub-column is not
    assert skipped["http://www.anshun.gov.cn/zfxxgk/zfxxgknb/2016nq/szfzcbm/assmzswwyh/"].startswith("the host")
    assert len(spider.plans) + len(skipped) == len(spider.groups)
    # online nothing is skipped
    assert make_spider(offline=False, region=REGIONS).skipped == []


def test_allowed_domains_cover_every_planned_column():
    spider = make_spider(region=REGIONS)
    for plan in spider.plans.values():
        host = plan.group.site
        assert any(host == d or host.endswith("." + d) for d in spider.allowed_domains), host


# --- routing ---------------------------------------------------------------------------------------
def test_requests_carry_their_column_and_scope_and_call_back_the_catalog_spider():
    spider = make_spider(region=REGIONS)
    plan = spider.plans[PANAN]
    meta = {"govcrawl_column": PANAN, "govcrawl_scope": "panan", "govcrawl_kind": "listing"}
    response = file_response(PANAN, request=Request(PANAN, meta=meta))
    out = list(spider.parse_listing(response))
    assert out and all(isinstance(r, Request) for r in out)
    for request in out:
        assert request.meta["govcrawl_column"] == PANAN and request.meta["govcrawl_scope"] == plan.scope
        assert request.callback.__self__ is spider and request.errback == spider.on_error
    details = [r for r in out if r.meta["govcrawl_kind"] == "detail"]
    assert details and all(r.cb_kwargs["hints"].region_code == "330727" for r in details)
    assert all(r.cb_kwargs["hints"].agency == "磐安县应急管理局" for r in details)


def test_each_column_has_the_listing_budget_and_records_its_cap():
    spider = make_spider(region=REGIONS, settings={"GOVCRAWL_MAX_LISTING_PAGES": 1})
    assert {p.handler.max_listing_pages for p in spider.plans.values()} == {1}
    failed = []
    spider.crawler.signals.connect(lambda **kw: failed.append((kw["url"], kw["kind"], kw["reason"])),
                                   signal=page_failed, weak=False)
    meta = {"govcrawl_column": ANSHUN, "govcrawl_scope": "anshun", "govcrawl_kind": "listing"}
    spider.plans[ANSHUN].handler.claim_listing(Request(ANSHUN, meta=meta), force=True)  # as `start` does
    out = list(spider.parse_listing(file_response(ANSHUN, request=Request(ANSHUN, meta=meta))))
    # the column page links its year columns: none requested beyond the budget, and the cap is a
    # failure of the column (its reports are then not marked missing)
    assert not [r for r in out if r.meta.get("govcrawl_kind") == "listing"]
    assert len(failed) == 1 and failed[0][:2] == (ANSHUN, "limit"), failed
    assert failed[0][2].startswith("listing pages capped at 1")
    assert spider.crawler.stats.get_value("govcrawl/pages_failed_limit") == 1


def test_fetched_pages_carry_the_columns_scope():
    spider = make_spider(region=REGIONS)
    url = "http://www.guiyang.gov.cn/zwgk/zfxxgks/zfxxgknb/2020nian/202101/t20210127_66559277.html"
    meta = {"govcrawl_column": GUIYANG, "govcrawl_scope": f"column:{GUIYANG}", "govcrawl_kind": "detail"}
    response = file_response(url, request=Request(url, meta=meta))
    out = list(spider.parse_detail(response, PageHints(region_code="520100")))
    pages = [o for o in out if isinstance(o, FetchedPage)]
    assert pages and all(p.scope == f"column:{GUIYANG}" for p in pages)


# --- offline end-to-end ------------------------------------------------------------------------------
def crawl(workdir: Path, spider_args: list[str], *settings: str, fixtures: Path | None = None) -> str:
    cmd = [sys.executable, "-m", "scrapy", "crawl", *spider_args, "-s", "GOVCRAWL_OFFLINE=1",
           "-s", f"GOVCRAWL_DATABASE_URL=sqlite:///{workdir / 'x.db'}", "-s", "GOVCRAWL_EXTRACT_WORKERS=1",
           "-L", "INFO"]
    if fixtures is not None:
        cmd += ["-s", f"GOVCRAWL_FIXTURES_DIR={fixtures}"]
    for setting in settings:
        cmd += ["-s", setting]
    proc = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return proc.stdout + proc.stderr   # the summary is printed on stdout, the log on stderr


def readme_query() -> str:
    readme = (PROJECT_ROOT / "README.md").read_text("utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", readme, re.S)
    return next(b for b in blocks if "region_code LIKE '5204%'" in b)


@pytest.fixture(scope="module")
def region_crawl(tmp_path_factory):
    work = tmp_path_factory.mktemp("catalog")
    log = crawl(work, ["catalog", "-a", f"region={REGIONS}"])
    return work, log


def rows(work: Path, sql: str, *params):
    with sqlite3.connect(work / "x.db") as conn:
        return conn.execute(sql, params).fetchall()


@pytest.mark.timeout(300)
def test_one_process_crawls_seven_sites(region_crawl):
    work, log = region_crawl
    hosts = {row[0].split("/")[2] for row in rows(work, "SELECT url FROM reports")}
    assert hosts == MIRRORED_HOSTS
    assert rows(work, "SELECT count(*) FROM reports")[0][0] == 34
    assert "'govcrawl/catalog/hosts_crawled': 7" in log


@pytest.mark.timeout(300)
def test_each_column_is_stored_in_its_own_scope(region_crawl):
    work, _ = region_crawl
    scopes = dict(rows(work, "SELECT scope, count(*) FROM reports GROUP BY scope"))
    assert scopes == {"anshun": 11, "panan": 4, "guandu": 4, "jilin": 4, f"column:{GUIYANG}": 5,
                      "column:http://zfcx.anshun.gov.cn/zwgk/zfxxgk/xxgknb/": 2,
                      f"column:{XIXIU}/web2023/zwgk/zfxxgk/zfxxgknb/": 2,   # 西秀区's column, two bureaus
                      f"column:{XIXIU}/zfbm_5648643/qzfbgs/zwxxgk/zfxxgknb_5881068/": 1,
                      f"column:{XIXIU}/zfbm_5648643/tjj/zfxxgk_5648912/zfxxgknb_5666616/": 1}
    assert rows(work, "SELECT scope FROM crawl_runs") == [(f"catalog:region={REGIONS}",)]


@pytest.mark.timeout(300)
def test_skipped_rows_are_logged_and_counted(region_crawl):
    _, log = region_crawl
    assert "offline, skipped 4 column(s) on xxgk.jl.gov.cn (no mirror of the host)" in log
    assert "assmzswwyh/ (安顺市民族宗教事务委员会)" in log
    skipped = int(re.search(r"'govcrawl/catalog/rows_skipped_offline': (\d+)", log).group(1))
    selected = int(re.search(r"'govcrawl/catalog/rows_selected': (\d+)", log).group(1))
    assert selected == len(catalog.select(catalog.rows(), region=REGIONS)) and 0 < skipped < selected


@pytest.mark.timeout(300)
def test_every_report_row_has_its_agency_identity(region_crawl):
    work, _ = region_crawl
    assert rows(work, "SELECT count(*) FROM reports WHERE agency_key IS NULL OR region_code IS NULL") == [(0,)]
    assert rows(work, "SELECT agency_key, region_code, agency_level FROM reports "
                      "WHERE agency = '磐安县安监局'") == [("330727:应急管理局", "330727", "county-department")]


@pytest.mark.timeout(300)
def test_the_readme_anshun_query(region_crawl):
    work, _ = region_crawl
    assert rows(work, readme_query()) == [
        ("520400:人民政府办公室", "安顺市人民政府办公室", 39.0),
        ("520400:教育局", "安顺市教育局", 9.0),
        ("520400:住房和城乡建设局", "安顺市住房和城乡建设局", 4.0),   # zfcx.anshun.gov.cn
        ("520402:文体广电旅游局", "西秀区文体广电旅游局", 1.0),       # www.xixiu.gov.cn
    ]
    hosts = {url.split("/")[2] for (url,) in rows(
        work, "SELECT url FROM reports WHERE region_code LIKE '5204%' AND year = 2021")}
    assert hosts == {"www.anshun.gov.cn", "zfcx.anshun.gov.cn", "www.xixiu.gov.cn"}


@pytest.mark.timeout(300)
def test_an_agency_spider_after_the_catalog_finds_its_records_unchanged(tmp_path):
    # same hints, same scope: the nightly agency run and a catalog run never flap versions
    crawl(tmp_path, ["catalog", "-a", "key=330727:应急管理局"])
    log = crawl(tmp_path, ["panan"])
    assert rows(tmp_path, "SELECT count(*), min(scope), max(scope) FROM reports") == [(4, "panan", "panan")]
    assert rows(tmp_path, "SELECT count(*) FROM report_versions") == [(4,)]
    assert "stored: 0 new, 0 changed, 4 unchanged, 0 missing" in log


@pytest.mark.timeout(300)
def test_missing_is_marked_per_column(tmp_path):
    mirror = tmp_path / "sites"
    shutil.copytree(FIXTURES_DIR, mirror)
    crawl(tmp_path, ["catalog", "-a", "region=520100,330727"], fixtures=mirror)
    # one report of the guiyang column vanishes: its link is gone from the listing
    gone = "http://www.guiyang.gov.cn/zwgk/zfxxgks/zfxxgknb/2021n/202203/t20220310_72915842.html"
    for listing in ("index.html", "2021n/index.html"):   # the column's front page and its year
        path = mirror / "www.guiyang.gov.cn/zwgk/zfxxgks/zfxxgknb" / listing
        html, n = re.subn(r"<li>[^\n]*t20220310_72915842\.html.*?</li>", "", path.read_text("utf-8"))
        assert n == 1
        path.write_text(html, "utf-8")
    # and panan's whole site is down: a column that sees nothing marks nothing
    for page in (mirror / "www.panan.gov.cn").rglob("*"):
        if page.is_file() and page.name != "robots.txt":
            page.unlink()
    crawl(tmp_path, ["catalog", "-a", "region=520100,330727"], fixtures=mirror)
    status = dict(rows(tmp_path, "SELECT url, status FROM reports"))
    assert status.pop(gone) == "missing"
    assert set(status.values()) == {"active"} and len(status) == 8
    # a crawl of another region leaves both columns alone
    crawl(tmp_path, ["catalog", "-a", "region=220000"], fixtures=mirror)
    assert dict(rows(tmp_path, "SELECT url, status FROM reports"))[gone] == "missing"
    assert rows(tmp_path, "SELECT count(*) FROM reports WHERE status = 'missing'") == [(1,)]
