"""One end-to-end offline crawl of the anshun spider: `scrapy crawl anshun` as a user runs it,
against the mirror over loopback HTTP, into a SQLite database and a JSONL feed."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import sqlalchemy as sa

from govcrawl import PROJECT_ROOT

COLUMN = "http://www.anshun.gov.cn/zfxxgk/zfxxgknb/"
Y = {year: f"{COLUMN}{year}year/" for year in (2017, 2018, 2019, 2020, 2021)}

#: report URL -> (year, format); the PDF is the record of the attachment-only 普定县 page
REPORTS = {
    f"{Y[2017]}201807/t20180711_6177540.html": (2017, "statistics"),   # seed 000
    f"{Y[2017]}201807/t20180711_6177538.html": (2017, "statistics"),
    f"{Y[2017]}201807/P020180711571293846520.pdf": (2017, "statistics"),
    f"{Y[2018]}201903/t20190326_6177350.html": (2018, "statistics"),
    f"{Y[2018]}201903/t20190329_6180231.html": (2018, "statistics"),
    f"{Y[2019]}202001/t20200121_46031127.html": (2019, "2019"),
    f"{Y[2019]}202002/t20200218_48964512.html": (2019, "2019"),         # seed 001
    f"{Y[2020]}202101/t20210129_66608151.html": (2020, "2019"),
    f"{Y[2020]}202101/t20210126_66534870.html": (2020, "2019"),
    f"{Y[2021]}202201/t20220125_72310560.html": (2021, "2021"),
    f"{Y[2021]}202201/t20220128_72390127.html": (2021, "2021"),
}
PUDING_PAGE = f"{Y[2017]}201807/t20180711_6177547.html"
LISTINGS = {COLUMN, *Y.values(), *(f"{u}index_1.html" for u in Y.values())}
DETAIL_PAGES = {u for u in REPORTS if u.endswith(".html")} | {PUDING_PAGE}
NEVER_REQUESTED = {
    f"{Y[2019]}202001/t20200122_46072290.html",  # 一图读懂...
    f"{Y[2017]}201807/t20180711_6177512.html",   # 关于做好...年度报告编制和发布工作的通知
    f"{Y[2021]}202112/t20211220_71901245.html",  # ditto for 2021
}

_CRAWLED = re.compile(r"Crawled \((\d+)\) <GET (\S+)>")


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("anshun")
    db, out, log = tmp / "x.db", tmp / "out.jsonl", tmp / "crawl.log"
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "anshun",
         "-s", "GOVCRAWL_OFFLINE=1", "-s", f"GOVCRAWL_DATABASE_URL=sqlite:///{db}",
         "-O", str(out), "-s", f"LOG_FILE={log}", "-s", "LOG_LEVEL=DEBUG",
         # a progress line twice a second (the default is every 300 s)
         "-s", "GOVCRAWL_PROGRESS_INTERVAL=0.5"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=240)
    text = log.read_text("utf-8") if log.exists() else ""
    assert proc.returncode == 0, proc.stderr[-3000:] + text[-3000:]
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines() if line.strip()]
    return {"db": db, "records": records, "log": text, "stdout": proc.stdout}


def crawled(log: str) -> dict[str, int]:
    return {url: int(status) for status, url in _CRAWLED.findall(log)}


# --- the crawl itself ------------------------------------------------------------------------------
def test_every_page_fetched_once_and_nothing_else(crawl):
    fetched = crawled(crawl["log"])
    expected = {"http://www.anshun.gov.cn/robots.txt", *LISTINGS, *DETAIL_PAGES, *REPORTS}
    assert set(fetched) == expected
    assert set(fetched.values()) == {200}
    assert not NEVER_REQUESTED & set(fetched)
    # the first page of a year column is fetched once, not again as .../index.html
    assert not any(u.endswith("/index.html") for u in fetched)
    assert len(_CRAWLED.findall(crawl["log"])) == len(expected)


def test_no_errors_in_the_log(crawl):
    log = crawl["log"]
    assert "] ERROR:" not in log
    assert "Traceback" not in log
    assert "'finish_reason': 'finished'" in log
    assert "log_count/ERROR" not in log
    assert "govcrawl/pages_failed" not in log
    assert "pages failed: none" in crawl["stdout"]


def test_progress_lines_show_at_warning(crawl):
    lines = [ln for ln in crawl["log"].splitlines() if "WARNING: progress: " in ln]
    assert lines, crawl["log"][-2000:]
    assert re.search(r"progress: \d+ min, \d+ pages requested: \d+ stored, \d+ unchanged, \d+ not a report, "
                     r"0 failed, 0 blocked; \d+ in progress or queued", lines[-1]), lines[-1]


def test_summary_lists_the_new_reports(crawl):
    lines = crawl["stdout"].splitlines()
    at = lines.index(f"  new ({len(REPORTS)}, the first 10):")
    listed = [ln.strip() for ln in lines[at + 1: at + 11]]
    assert len(listed) == 10 and set(listed) <= set(REPORTS)
    assert not [ln for ln in lines if ln.startswith(("  changed (", "  missing (", "  failed ("))]


def test_feed_holds_every_report_and_only_reports(crawl):
    records = crawl["records"]
    assert sorted(r["url"] for r in records) == sorted(REPORTS)
    assert all(r["is_report"] for r in records)
    assert not [k for r in records for k in r if k.startswith("_")]


def test_attachment_only_report_keeps_its_page(crawl):
    (pdf,) = [r for r in crawl["records"] if r["url"].endswith(".pdf")]
    assert pdf["source"] == "pdf"
    assert pdf["source_url"] == PUDING_PAGE


# --- what the parser makes of it (needs the report parser) ----------------------------------------
def test_records_years_and_formats(crawl):
    got = {r["url"]: (r["year"], r["format"]) for r in crawl["records"]}
    assert got == REPORTS


def test_records_identity(crawl):
    by_url = {r["url"]: r for r in crawl["records"]}
    seed000 = by_url[f"{Y[2017]}201807/t20180711_6177540.html"]
    assert seed000["agency"] == "安顺市安全生产监督管理局"
    assert seed000["published"] == "2018-02-26"
    assert seed000["title"] == "安顺市安全生产监督管理局2017年度政府信息公开工作报告"
    seed001 = by_url[f"{Y[2019]}202002/t20200218_48964512.html"]
    assert seed001["agency"] == "安顺经济技术开发区"
    assert seed001["published"] == "2020-02-18"
    city = by_url[f"{Y[2020]}202101/t20210129_66608151.html"]
    assert city["published"] == "2021-01-29"
    assert city["meta"]["索引号"] == "11520400009506390X/2021-0000006"


# --- what the database holds (needs the storage layer) --------------------------------------------
def test_stored_rows(crawl):
    engine = sa.create_engine(f"sqlite:///{crawl['db']}")
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT url, year, format FROM reports")).all()
            spiders = {s for (s,) in conn.execute(sa.text("SELECT DISTINCT spider FROM reports"))}
    finally:
        engine.dispose()
    assert {url: (year, fmt) for url, year, fmt in rows} == REPORTS
    assert len(rows) == len(REPORTS)
    assert spiders == {"anshun"}
