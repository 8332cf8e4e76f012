"""Nightly incremental runs, end to end: real `scrapy runspider` crawls (subprocesses, offline mode
over a temp fixture mirror served on loopback) writing to SQLite and to the real PostgreSQL.

The spider is defined here (TINY_SPIDER) so these tests depend on no site spider; the mirror is
built in a temp dir per test so pages can change or vanish between runs.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from govcrawl import PROJECT_ROOT
from govcrawl.storage.db import get_engine
from govcrawl.storage.schema import (
    cells,
    crawl_failures,
    crawl_runs,
    pages,
    report_versions,
    reports,
)

HOST = "www.tinygov.gov.cn"
BASE = f"http://{HOST}/xxgk/ndbg"
LISTING = f"{BASE}/index.html"
A = f"{BASE}/202001/t20200115_1001.html"
B = f"{BASE}/202001/t20200116_1002.html"
C_DETAIL = f"{BASE}/202001/t20200117_1003.html"
C_FILE = f"{BASE}/202001/P020200117_1003.docx"

TINY_SPIDER = '''
import asyncio
import json

import scrapy

from govcrawl.items import FetchedPage, PageHints


def _header(response, name):
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class TinyGovSpider(scrapy.Spider):
    """A TRS-like site: one listing page, detail pages, one attachment-only report."""

    name = "tinygov"
    allowed_domains = ["www.tinygov.gov.cn"]

    async def start(self):
        yield scrapy.Request("http://www.tinygov.gov.cn/xxgk/ndbg/index.html",
                             meta={"govcrawl_kind": "listing"})

    def parse(self, response):
        # as ReportSpider does: the listing entry's title and date travel as the request's hints
        for li in response.css("ul.list li"):
            link = li.css("a")[0]
            hints = PageHints(title=link.css("::text").get(), published=li.css("span::text").get())
            yield response.follow(link, self.parse_detail, meta={
                "govcrawl_kind": "detail", "title": hints.title}, cb_kwargs={"hints": hints})

    def page(self, response, hints):
        return FetchedPage(
            url=response.url, body=response.body, status=response.status,
            content_type=_header(response, b"Content-Type"),
            encoding=getattr(response, "encoding", None),
            etag=_header(response, b"ETag"), last_modified=_header(response, b"Last-Modified"),
            hints=hints)

    async def parse_detail(self, response, hints):
        hang_on = getattr(self, "hang_on", None)
        if hang_on and hang_on in response.url:
            print("HANGING", flush=True)
            await asyncio.sleep(600)  # the test SIGKILLs the crawl here
        yield self.page(response, hints)
        for link in response.css("a.attachment"):
            yield response.follow(link, self.parse_attachment, meta={
                "govcrawl_kind": "attachment", "title": response.meta["title"]},
                cb_kwargs={"hints": hints.replace(source_url=response.url)})

    def parse_attachment(self, response, hints):
        yield self.page(response, hints)

    def closed(self, reason):
        path = self.settings.get("TINY_STATS_FILE")
        if path:
            with open(path, "w") as f:
                json.dump({k: v for k, v in self.crawler.stats.get_stats().items()
                           if isinstance(v, (int, float, str))}, f)
'''

REPORT_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{published} 09:30">
<meta name="ContentSource" content="{agency}">
<title>{title}_小县人民政府</title></head>
<body>
<div class="crumb">首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div>
<table class="xxgk"><tr><td>索引号：</td><td>{index}</td><td>发布机构：</td><td>{agency}</td></tr>
<tr><td>生成日期：</td><td>{published}</td><td>公开形式：</td><td>主动公开</td></tr></table>
<h1>{title}</h1>
<div class="TRS_Editor">
<p>本报告根据《中华人民共和国政府信息公开条例》要求编制。</p>
<p>一、总体情况</p><p>{year}年，{agency}认真贯彻落实政府信息公开工作要求。{note}</p>
<p>二、主动公开政府信息情况</p>
<table border="1"><tr><td>信息内容</td><td>本年新制作数量</td><td>本年新公开数量</td><td>对外公开总数量</td></tr>
<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>规范性文件</td><td>{docs}</td><td>{docs}</td><td>{docs}</td></tr></table>
<p>五、存在的主要问题及改进情况</p><p>信息公开的及时性有待提高。</p>
<p>{agency}</p><p>{published}</p>
</div>
<div class="share">分享到：</div>
<div class="footer">网站标识码：5204000001 黔ICP备00000001号</div>
</body></html>
"""

ATTACHMENT_DETAIL = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>附件下载_小县人民政府</title></head>
<body><div class="crumb">首页 &gt; 政府信息公开</div><h1>附件下载</h1>
<div class="TRS_Editor"><p>附件：<a class="attachment" href="./P020200117_1003.docx">{title}.docx</a></p></div>
</body></html>
"""

TITLES = {
    A: ("小县统计局2019年政府信息公开工作年度报告", "小县统计局", 2019, "2020-01-15"),
    B: ("小县教育局2019年政府信息公开工作年度报告", "小县教育局", 2019, "2020-01-16"),
    C_DETAIL: ("小县卫生健康局2019年政府信息公开工作年度报告", "小县卫生健康局", 2019, "2020-01-17"),
}


def _file(root: Path, url: str) -> Path:
    from govcrawl.offline import fixture_path

    return fixture_path(root, url)


def write_report(root: Path, url: str, *, note: str = "", docs: int = 3) -> None:
    title, agency, year, published = TITLES[url]
    path = _file(root, url)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(REPORT_PAGE.format(title=title, agency=agency, year=year, published=published,
                                       index=f"000000001/{year + 1}-{hash(url) % 1000:05d}",
                                       note=note, docs=docs), "utf-8")


def write_listing(root: Path, urls, *, titles: dict | None = None, dates: dict | None = None) -> None:
    """The column page linking `urls`; `titles` / `dates` override an entry's link text or date."""
    titles, dates = titles or {}, dates or {}
    items = "\n".join(f'<li><a href="{u.rsplit("/xxgk/ndbg/", 1)[1]}">{titles.get(u, TITLES[u][0])}</a>'
                      f'<span>{dates.get(u, TITLES[u][3])}</span></li>' for u in urls)
    path = _file(root, LISTING)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>年报_小县人民政府</title>'
                    f'</head><body><ul class="list">{items}</ul>'
                    f'<script>var countPage = 1;</script></body></html>', "utf-8")


def write_docx(path: Path, title: str) -> None:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    document.add_paragraph("本报告根据《中华人民共和国政府信息公开条例》要求编制，全文包括总体情况、"
                           "主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议"
                           "和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。")
    for heading, text in (
            ("一、总体情况", "2019年，小县卫生健康局认真贯彻落实政府信息公开工作要求，"
                           "围绕中心工作，加强组织领导，完善工作机制，深化重点领域信息公开。"),
            ("二、主动公开政府信息情况", "全年主动公开政府信息一百二十条，其中通过政府网站公开"
                                    "九十条，通过政务新媒体公开三十条。"),
            ("三、收到和处理政府信息公开申请情况", "全年未收到政府信息公开申请。"),
            ("四、政府信息公开行政复议、行政诉讼情况", "全年未发生政府信息公开行政复议和行政诉讼。"),
            ("五、存在的主要问题及改进情况", "信息公开的及时性和规范性有待提高，下一步将加强培训。"),
            ("六、其他需要报告的事项", "无。")):
        document.add_paragraph(heading)
        document.add_paragraph(text)
    document.add_paragraph("小县卫生健康局")
    document.add_paragraph("2020年1月17日")
    # python-docx stamps the current time into docProps: fix it so the bytes never change
    import datetime as dt

    document.core_properties.created = dt.datetime(2020, 1, 17)
    document.core_properties.modified = dt.datetime(2020, 1, 17)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


@pytest.fixture
def mirror(tmp_path):
    root = tmp_path / "sites"
    write_listing(root, [A, B, C_DETAIL])
    write_report(root, A)
    write_report(root, B)
    detail = _file(root, C_DETAIL)
    detail.parent.mkdir(parents=True, exist_ok=True)
    detail.write_text(ATTACHMENT_DETAIL.format(title=TITLES[C_DETAIL][0]), "utf-8")
    write_docx(_file(root, C_FILE), TITLES[C_DETAIL][0])
    return root


@pytest.fixture
def crawl(tmp_path, mirror, database_url):
    """crawl(*settings, **spider_args) -> stats dict of one `scrapy runspider` run."""
    spider_file = tmp_path / "tinygov_spider.py"
    spider_file.write_text(TINY_SPIDER, "utf-8")
    runs = []

    def run(*settings: str, wait: bool = True, **spider_args):
        stats_file = tmp_path / f"stats-{len(runs)}.json"
        cmd = [sys.executable, "-m", "scrapy", "runspider", str(spider_file),
               "-s", "GOVCRAWL_OFFLINE=1", "-s", f"GOVCRAWL_FIXTURES_DIR={mirror}",
               "-s", f"GOVCRAWL_DATABASE_URL={database_url}", "-s", "GOVCRAWL_SUMMARY=0",
               "-s", f"TINY_STATS_FILE={stats_file}", "-s", "LOG_LEVEL=INFO"]
        for setting in settings:
            cmd += ["-s", setting]
        for key, value in spider_args.items():
            cmd += ["-a", f"{key}={value}"]
        env = dict(os.environ, SCRAPY_SETTINGS_MODULE="govcrawl.settings",
                   PYTHONPATH=str(PROJECT_ROOT))
        runs.append(stats_file)
        if not wait:
            return subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
        proc = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=180)
        assert proc.returncode == 0, proc.stderr[-4000:]
        assert "Traceback" not in proc.stderr, proc.stderr[-6000:]
        return json.loads(stats_file.read_text())

    return run


@pytest.fixture
def db(database_url):
    return get_engine(database_url)


def rows(engine, query):
    with engine.connect() as conn:
        return conn.execute(query).all()


def report(engine, url):
    got = rows(engine, sa.select(reports).where(reports.c.url == url))
    return got[0] if got else None


def last_run(engine):
    return rows(engine, sa.select(crawl_runs).order_by(crawl_runs.c.id.desc()).limit(1))[0]


def n_versions(engine, url):
    return len(rows(engine, sa.select(report_versions.c.id).join(
        reports, reports.c.id == report_versions.c.report_id).where(reports.c.url == url)))


def status_count(stats, code):
    return stats.get(f"downloader/response_status_count/{code}", 0)


#: every stored page is due for re-validation tonight: asked again with its validators (a 304 when
#: unchanged), as every night did before pages were re-validated in turns
ALL_DUE = "GOVCRAWL_RECHECK_DAYS=0"
#: a period so long that no stored page comes due between two runs of a test (a page's due moment
#: falls in a given 10 s with a chance of about 1e-8)
NONE_DUE_DAYS = 10_000
NONE_DUE = f"GOVCRAWL_RECHECK_DAYS={NONE_DUE_DAYS}"


# --- tests ----------------------------------------------------------------------------------------
def test_first_run_stores_reports_and_attachment_only_report(crawl, db):
    crawl()
    for url in (A, B, C_FILE):
        row = report(db, url)
        assert row is not None, url
        assert row.status == "active" and row.spider == "tinygov"
        assert row.etag and row.current_version_id
    attachment = report(db, C_FILE)
    assert attachment.source_url == C_DETAIL
    run = last_run(db)
    assert run.finish_reason == "finished" and run.new >= 3
    assert (run.changed, run.missing, run.failed, run.blocked) == (0, 0, 0, 0)
    # the detail page that only links the attachment: its validators kept for the next run
    if report(db, C_DETAIL) is None:
        assert [p.url for p in rows(db, sa.select(pages))] == [C_DETAIL]


def test_second_run_unchanged_pages_are_not_downloaded_but_seen(crawl, db):
    crawl()
    before = {u: report(db, u) for u in (A, B, C_FILE)}
    versions_before = len(rows(db, sa.select(report_versions.c.id)))
    cells_before = len(rows(db, sa.select(cells.c.id)))
    stats = crawl(ALL_DUE)
    # only the listing was downloaded; every detail page answered 304 (If-None-Match sent), and
    # the attachment behind an unchanged detail page was not even requested
    assert status_count(stats, 200) == 1
    assert status_count(stats, 304) == 3
    assert stats.get("govcrawl/pages_unchanged") == 3
    assert "govcrawl/storage/new" not in stats
    for url, old in before.items():
        new = report(db, url)
        assert new.last_seen > old.last_seen, url
        assert new.current_version_id == old.current_version_id
        assert new.first_seen == old.first_seen and new.status == "active"
    assert len(rows(db, sa.select(report_versions.c.id))) == versions_before
    assert len(rows(db, sa.select(cells.c.id))) == cells_before
    run = last_run(db)
    assert (run.new, run.changed, run.unchanged, run.missing) == (0, 0, 3, 0)


def test_changed_page_gets_a_new_version(crawl, db, mirror):
    crawl()
    old = report(db, B)
    write_report(mirror, B, note="本年度新增政务公开专区。", docs=5)
    stats = crawl(ALL_DUE)
    assert status_count(stats, 200) == 2  # the listing and the changed page
    new = report(db, B)
    assert new.current_version_id != old.current_version_id
    assert n_versions(db, B) == 2
    assert n_versions(db, A) == 1
    with db.connect() as conn:
        record = conn.execute(sa.select(report_versions.c.record).where(
            report_versions.c.id == new.current_version_id)).scalar()
    assert "本年度新增政务公开专区" in json.dumps(record, ensure_ascii=False)
    run = last_run(db)
    assert (run.new, run.changed, run.unchanged) == (0, 1, 2)


def test_vanished_page_is_marked_missing_never_deleted_and_comes_back(crawl, db, mirror):
    crawl()
    page_b = _file(mirror, B)
    saved = page_b.read_bytes()
    page_b.unlink()
    write_listing(mirror, [A, C_DETAIL])
    crawl()
    row = report(db, B)
    assert row is not None and row.status == "missing"
    assert n_versions(db, B) == 1  # its versions are kept
    assert report(db, A).status == "active" and report(db, C_FILE).status == "active"
    assert last_run(db).missing == 1
    # back on the site: active again, no new version (same content, answered 304)
    page_b.write_bytes(saved)
    write_listing(mirror, [A, B, C_DETAIL])
    crawl()
    assert report(db, B).status == "active"
    assert n_versions(db, B) == 1


def test_attachment_unlinked_from_its_page_goes_missing(crawl, db, mirror):
    crawl()
    # the detail page stays (and answers 200: it changed) but no longer links the attachment
    _file(mirror, C_DETAIL).write_text(
        ATTACHMENT_DETAIL.format(title=TITLES[C_DETAIL][0]).replace('class="attachment"', ""),
        "utf-8")
    _file(mirror, C_DETAIL).write_text(
        _file(mirror, C_DETAIL).read_text("utf-8").replace("<a  href", "<span data-href")
        .replace(".docx</a>", ".docx</span>"), "utf-8")
    crawl(ALL_DUE)
    assert report(db, C_FILE).status == "missing"
    assert report(db, A).status == "active" and report(db, B).status == "active"


def test_aborted_run_marks_nothing_missing(crawl, db, mirror):
    crawl()
    _file(mirror, B).unlink()
    write_listing(mirror, [A, C_DETAIL])
    # a run stopped early (closespider) proves nothing about what vanished
    crawl("CLOSESPIDER_PAGECOUNT=1")
    run = last_run(db)
    assert run.finish_reason == "closespider_pagecount" and run.missing == 0
    assert {report(db, u).status for u in (A, B, C_FILE)} == {"active"}


def test_blocked_page_is_recorded_and_not_marked_missing(crawl, db, mirror):
    crawl()
    # the WAF now answers B with a 瑞数 challenge
    sidecar = _file(mirror, B).with_name(_file(mirror, B).name + ".http.json")
    sidecar.write_text(json.dumps({"status": 412}), "utf-8")
    crawl(ALL_DUE)
    run = last_run(db)
    assert run.blocked == 1 and run.missing == 0
    assert report(db, B).status == "active"
    failures = rows(db, sa.select(crawl_failures).where(crawl_failures.c.run_id == run.id))
    assert [(f.url, f.kind) for f in failures] == [(B, "blocked")]


def test_crawl_killed_midway_leaves_whole_reports_and_next_run_completes(crawl, db):
    proc = crawl(wait=False, hang_on="t20200116_1002")
    try:
        deadline = time.monotonic() + 90
        while report(db, A) is None or report(db, A).current_version_id is None:
            assert proc.poll() is None, proc.stderr.read()[-4000:]
            assert time.monotonic() < deadline, "report A was never stored"
            time.sleep(0.2)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    # what was committed is whole; the killed run is unfinished and marked nothing missing
    a = report(db, A)
    assert a.status == "active"
    assert len(rows(db, sa.select(cells.c.id).where(
        cells.c.version_id == a.current_version_id))) == len(rows(db, sa.select(
            report_versions.c.record).where(report_versions.c.id == a.current_version_id))[0]
            .record["cells"])
    assert report(db, B) is None
    killed = last_run(db)
    assert killed.finished is None and killed.missing == 0
    # the next run completes the work
    crawl()
    for url in (A, B, C_FILE):
        assert report(db, url) is not None and report(db, url).status == "active"
    assert n_versions(db, A) == 1
    assert last_run(db).finish_reason == "finished"


def test_server_without_validators_rechecks_after_recheck_days(crawl, db, mirror):
    # a server that sends neither ETag nor Last-Modified
    sidecar = _file(mirror, A).with_name(_file(mirror, A).name + ".http.json")
    sidecar.write_text(json.dumps({"headers": {"ETag": ""}}), "utf-8")
    crawl()
    assert not report(db, A).etag
    fetched = report(db, A).last_fetched
    # fetched just now: not downloaded again, still seen
    stats = crawl()
    assert report(db, A).last_seen > fetched
    assert report(db, A).last_fetched == fetched
    assert stats.get("govcrawl/pages_unchanged") == 3
    # GOVCRAWL_RECHECK_DAYS=0: due again, downloaded (200), same content -> no new version
    stats = crawl("GOVCRAWL_RECHECK_DAYS=0")
    assert status_count(stats, 200) == 2
    assert report(db, A).last_fetched > fetched
    assert n_versions(db, A) == 1


def test_conditional_requests_can_be_switched_off(crawl, db):
    crawl()
    stats = crawl("GOVCRAWL_CONDITIONAL=0")
    assert status_count(stats, 304) == 0
    assert status_count(stats, 200) == 5  # listing, 3 detail pages, the attachment
    run = last_run(db)
    assert (run.new, run.changed, run.missing) == (0, 0, 0) and run.unchanged >= 3


# --- a night asks only for what is new, and re-validates the pages due ----------------------------
def downloads(stats, kind):
    """Responses downloaded tonight of one request kind (robots, listing, detail, attachment)."""
    return stats.get(f"govcrawl/downloads/{kind}", 0)


def current_hints(engine, url):
    with engine.connect() as conn:
        return conn.execute(sa.select(report_versions.c.hints).join(
            reports, reports.c.current_version_id == report_versions.c.id)
            .where(reports.c.url == url)).scalar()


def test_unchanged_night_requests_no_stored_page_that_is_not_due(crawl, db):
    first = crawl()
    assert (downloads(first, "detail"), downloads(first, "attachment")) == (3, 1)
    before = {u: report(db, u) for u in (A, B, C_FILE)}
    stats = crawl(NONE_DUE)
    # robots.txt and the listing only: no stored page was asked for, not even for a 304
    assert downloads(stats, "listing") == 1
    assert (downloads(stats, "detail"), downloads(stats, "attachment")) == (0, 0)
    assert stats["downloader/request_count"] == downloads(stats, "robots") + 1
    assert status_count(stats, 304) == 0
    assert stats.get("govcrawl/pages_unchanged") == 3
    for url, old in before.items():
        new = report(db, url)
        # seen on tonight's listing (directly, or through its linking page), not fetched
        assert new.last_seen > old.last_seen and new.status == "active", url
        assert new.last_fetched == old.last_fetched, url
        assert new.current_version_id == old.current_version_id, url
    run = last_run(db)
    assert (run.new, run.changed, run.unchanged, run.missing, run.failed) == (0, 0, 3, 0, 0)


def test_changed_listing_title_or_date_fetches_that_page_at_once(crawl, db, mirror):
    crawl()
    new_title = "小县统计局2019年度政府信息公开工作报告（更正）"
    write_listing(mirror, [A, B, C_DETAIL], titles={A: new_title},
                  dates={B: "2020-02-01", C_DETAIL: "2020-02-02"})
    stats = crawl(NONE_DUE)
    # A (title) and B (date) are downloaded in full, to be read with tonight's hints; the linking
    # page C (date) too, and the attachment it links, whose hints carry the new date
    assert stats.get("govcrawl/conditional/listing_changed") == 4
    assert (downloads(stats, "detail"), downloads(stats, "attachment")) == (3, 1)
    assert status_count(stats, 304) == 0
    assert current_hints(db, A)["title"] == new_title
    assert current_hints(db, B)["published"] == "2020-02-01"
    assert current_hints(db, C_FILE)["published"] == "2020-02-02"
    assert last_run(db).missing == 0
    # the versions keep tonight's hints: the next unchanged night asks for none of them again
    stats = crawl(NONE_DUE)
    assert (downloads(stats, "detail"), downloads(stats, "attachment")) == (0, 0)
    run = last_run(db)
    assert (run.new, run.changed, run.unchanged, run.missing) == (0, 0, 3, 0)


def test_a_due_page_is_revalidated_and_the_others_skipped(crawl, db):
    crawl()
    old = report(db, A)
    # A was last fetched a whole period ago: its due moment has passed since
    with db.begin() as conn:
        conn.execute(reports.update().where(reports.c.url == A).values(
            last_fetched=old.last_fetched - timedelta(days=NONE_DUE_DAYS)))
    stats = crawl(NONE_DUE)
    assert downloads(stats, "detail") == 1 and status_count(stats, 304) == 1
    assert stats.get("govcrawl/conditional/revalidated") == 1
    assert stats.get("govcrawl/pages_unchanged") == 3
    assert report(db, A).last_fetched > old.last_fetched  # asked again: due again in a period
    assert report(db, B).last_fetched < report(db, A).last_fetched
    assert n_versions(db, A) == 1
    run = last_run(db)
    assert (run.new, run.changed, run.unchanged, run.missing) == (0, 0, 3, 0)


def test_skipped_pages_are_seen_before_missing_detection(crawl, db, mirror):
    crawl()
    _file(mirror, B).unlink()
    write_listing(mirror, [A, C_DETAIL])
    stats = crawl(NONE_DUE)
    assert downloads(stats, "detail") == 0
    # A and C were only marked seen (in a batch written at the latest at close): not missing
    assert report(db, B).status == "missing"
    assert report(db, A).status == "active" and report(db, C_FILE).status == "active"
    run = last_run(db)
    assert (run.unchanged, run.missing) == (2, 1)
    # linked again: a missing report is re-validated at once, and is active again
    write_report(mirror, B)
    write_listing(mirror, [A, B, C_DETAIL])
    stats = crawl(NONE_DUE)
    assert downloads(stats, "detail") == 1
    assert report(db, B).status == "active" and n_versions(db, B) == 1


# --- the middleware in-process ---------------------------------------------------------------------
def test_middleware_adds_validators_only_to_stored_detail_and_attachment_requests(database_url):
    import asyncio

    from scrapy import Request, Spider
    from scrapy.exceptions import IgnoreRequest
    from scrapy.http import Response
    from scrapy.utils.test import get_crawler

    from govcrawl.items import FetchedPage
    from govcrawl.record import new_record
    from govcrawl.storage.middleware import ConditionalRequestMiddleware, PageUnchanged
    from govcrawl.storage.repository import Repository

    record = new_record(A)
    record.update(is_report=True, title=TITLES[A][0], year=2019)
    Repository(get_engine(database_url)).save_record(
        record, FetchedPage(url=A, body=b"<html></html>", etag='"v1"',
                            last_modified="Wed, 15 Jan 2020 01:00:00 GMT"), spider="unit")

    crawler = get_crawler(Spider, settings_dict={
        "GOVCRAWL_DATABASE_URL": database_url, "GOVCRAWL_RECHECK_DAYS": 0,
        "ITEM_PIPELINES": {"govcrawl.pipelines.storage.StoragePipeline": 500}})
    crawler.spider = Spider(name="unit")

    async def go():
        mw = ConditionalRequestMiddleware.from_crawler(crawler)
        listing = Request(A, meta={"govcrawl_kind": "listing"})
        assert await mw.process_request(listing) is None
        assert b"If-None-Match" not in listing.headers
        new = Request(B, meta={"govcrawl_kind": "detail"})
        assert await mw.process_request(new) is None
        assert b"If-None-Match" not in new.headers
        detail = Request(A, meta={"govcrawl_kind": "detail"})
        assert await mw.process_request(detail) is None
        assert detail.headers[b"If-None-Match"] == b'"v1"'
        assert detail.headers[b"If-Modified-Since"] == b"Wed, 15 Jan 2020 01:00:00 GMT"
        ok = Response(A, status=200, request=detail)
        assert await mw.process_response(detail, ok) is ok
        with pytest.raises(PageUnchanged) as caught:
            await mw.process_response(detail, Response(A, status=304, request=detail))
        assert isinstance(caught.value, IgnoreRequest)
        await mw.storage.spider_closed(crawler.spider, "shutdown")

    asyncio.run(go())
    assert crawler.stats.get_value("govcrawl/pages_unchanged") == 1
    # without the storage pipeline there is nothing to be incremental about
    from scrapy.exceptions import NotConfigured

    bare = get_crawler(Spider, settings_dict={"GOVCRAWL_DATABASE_URL": database_url,
                                              "ITEM_PIPELINES": {}})
    with pytest.raises(NotConfigured):
        ConditionalRequestMiddleware.from_crawler(bare)
    assert report(get_engine(database_url), A).last_run_id is not None
