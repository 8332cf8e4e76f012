"""CrawlSummary: the readable end-of-crawl summary; PageOutcomes: the one outcome of every page."""

import time
from pathlib import Path

import pytest
from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from govcrawl.extensions import CrawlSummary, Page, PageOutcomes, ProgressLog
from govcrawl.items import PageHints
from govcrawl.signals import page_failed, page_unchanged
from govcrawl.storage.crawl import CrawlStorage


def record(year, fmt, failed=0):
    checks = [{"rule": "applications.results", "status": "fail"}] * failed
    checks += [{"rule": "applications.balance", "status": "pass"}]
    return {"is_report": True, "year": year, "format": fmt, "checks": checks}


def test_summary_counts_reports_by_year_and_format_and_failed_checks():
    summary = CrawlSummary(get_crawler(settings_dict={}))
    summary.item_scraped(record(2019, "2019", failed=2))
    summary.item_scraped(record(2019, "2019"))
    summary.item_scraped(record(2017, "statistics"))
    summary.page_failed(kind="blocked", url="u", reason="r")
    text = summary.render("anshun", "finished")
    lines = text.splitlines()
    assert lines[0] == "govcrawl: crawl 'anshun' finished: 3 new or changed report(s) extracted"
    assert lines[2].split() == ["2017", "statistics", "1", "0"]
    assert lines[3].split() == ["2019", "2019", "2", "2"]
    assert "pages failed: blocked: 1" in text


def test_summary_ignores_non_reports():
    summary = CrawlSummary(get_crawler(settings_dict={}))
    summary.item_scraped({"is_report": False, "year": 2019})
    assert summary.render("x", "finished").splitlines()[0].endswith(": 0 new or changed report(s) extracted")


def test_summary_reports_the_storage_counts():
    crawler = get_crawler(settings_dict={
        "ITEM_PIPELINES": {"govcrawl.pipelines.storage.StoragePipeline": 500},
        "GOVCRAWL_DATABASE_URL": "sqlite:///x.db"})
    crawler.stats.set_value("govcrawl/storage/unchanged", 11)
    crawler.stats.set_value("govcrawl/storage/missing", 1)
    text = CrawlSummary(crawler).render("anshun", "finished")
    # the database as the crawl opened it: a relative SQLite path made absolute (cron's cwd is
    # not the operator's)
    assert f"stored: 0 new, 0 changed, 11 unchanged, 1 missing (in sqlite:///{Path.cwd() / 'x.db'})" in text


def test_summary_hides_the_database_password():
    crawler = get_crawler(settings_dict={
        "ITEM_PIPELINES": {"govcrawl.pipelines.storage.StoragePipeline": 500},
        "GOVCRAWL_DATABASE_URL": "postgresql://govcrawl:s3cret@db.internal/govcrawl"})
    text = CrawlSummary(crawler).render("anshun", "finished")
    assert "(in postgresql+psycopg://govcrawl:***@db.internal/govcrawl)" in text and "s3cret" not in text


def test_summary_lists_the_failed_urls_capped():
    crawler = get_crawler(settings_dict={"GOVCRAWL_SUMMARY_URLS": 3})
    summary = CrawlSummary(crawler)
    for n in range(5):
        summary.page_failed(kind="http", url=f"{SITE}t{n}.html", reason="HTTP 500")
    lines = summary.render("anshun", "finished").splitlines()
    at = lines.index("  failed (5, the first 3):")
    assert lines[at + 1: at + 4] == [f"    {SITE}t{n}.html  [http: HTTP 500]" for n in range(3)]
    assert len(lines) == at + 4 or not lines[at + 4].startswith("    ")


def test_summary_lists_new_changed_and_missing_urls_from_storage(tmp_path):
    crawler = get_crawler(settings_dict={
        "ITEM_PIPELINES": {"govcrawl.pipelines.storage.StoragePipeline": 500},
        "GOVCRAWL_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    storage = CrawlStorage.for_crawler(crawler)
    storage.urls = {"new": [f"{SITE}a.html"], "changed": [f"{SITE}b.html", f"{SITE}c.html"],
                    "missing": [f"{SITE}gone.html"]}
    for outcome, n in (("new", 1), ("changed", 2), ("missing", 1)):
        crawler.stats.set_value(f"govcrawl/storage/{outcome}", n)
    text = CrawlSummary(crawler).render("anshun", "finished")
    assert f"  changed (2):\n    {SITE}b.html\n    {SITE}c.html\n" in text
    assert f"  new (1):\n    {SITE}a.html" in text and f"  missing (1):\n    {SITE}gone.html" in text
    assert "failed (" not in text  # nothing failed: no list


def test_progress_line_counts_the_pages_so_far():
    crawler = get_crawler(settings_dict={})
    progress = ProgressLog(crawler, 60)
    outcomes = progress.outcomes
    for n, outcome in enumerate(("stored", "stored", "unchanged", "failed", None)):
        outcomes.pages[str(n)] = Page(f"{SITE}{n}.html", "detail", outcome=outcome)
    progress.started = time.monotonic() - 120
    assert progress.line() == ("progress: 2 min, 5 pages requested: 2 stored, 1 unchanged, 0 not a report, "
                               "1 failed, 0 blocked; 1 in progress or queued; 2.5 pages/min")


def test_progress_is_off_at_interval_zero():
    with pytest.raises(NotConfigured):
        ProgressLog.from_crawler(get_crawler(settings_dict={"GOVCRAWL_PROGRESS_INTERVAL": 0}))


def test_stats_file_is_written_when_the_engine_stops(tmp_path):
    import json

    path = tmp_path / "stats.json"
    crawler = get_crawler(settings_dict={"GOVCRAWL_STATS_FILE": str(path), "GOVCRAWL_SUMMARY": False})
    crawler.stats.set_value("govcrawl/storage/new", 3)
    summary = CrawlSummary(crawler)
    summary.spider_name = "anshun"
    summary.engine_stopped()
    assert json.loads(path.read_text())["govcrawl/storage/new"] == 3


def test_a_crawl_that_sees_no_report_is_flagged():
    summary = CrawlSummary(get_crawler(settings_dict={}))
    summary.page_failed(kind="blocked", url="u", reason="r")
    assert "WARNING: no report seen" in summary.render("anshun", "finished")


def test_unchanged_reports_count_as_seen():
    crawler = get_crawler(settings_dict={})
    crawler.stats.set_value("govcrawl/storage/unchanged", 4)
    assert "WARNING" not in CrawlSummary(crawler).render("panan", "finished")


# --- PageOutcomes: every page requested, in exactly one outcome ----------------------------------------
SITE = "http://www.example.gov.cn/nb/"


@pytest.fixture
def ledger():
    crawler = get_crawler(settings_dict={})
    outcomes = PageOutcomes.for_crawler(crawler)
    sent: list[dict] = []

    def on_failed(**kwargs):  # kept referenced: signal receivers are weak references
        sent.append(kwargs)

    crawler.signals.connect(on_failed, signal=page_failed)
    outcomes._test_receiver = on_failed
    outcomes.sent = sent
    return outcomes


def schedule(outcomes, request):
    outcomes.crawler.signals.send_catch_log(signals.request_scheduled, request=request, spider=None)
    return request


def start(outcomes, request):
    outcomes.crawler.signals.send_catch_log(signals.request_reached_downloader, request=request, spider=None)
    return request


def answer(outcomes, request, status=200):
    response = HtmlResponse(request.url, status=status, body=b"<html></html>", request=request)
    outcomes.crawler.signals.send_catch_log(signals.response_received, response=response,
                                            request=request, spider=None)
    return response


def page(url, kind="detail", **kwargs):
    return Request(url, meta={"govcrawl_kind": kind}, **kwargs)


def test_retries_redirects_and_duplicates_are_one_page(ledger):
    request = schedule(ledger, page(f"{SITE}a.html"))
    schedule(ledger, request.copy())  # a retry
    hop = schedule(ledger, request.replace(url=f"{SITE}b.html", meta={
        **request.meta, "redirect_urls": [request.url]}))
    schedule(ledger, page(f"{SITE}a.html"))  # the same link on another listing page
    schedule(ledger, Request(f"{SITE}robots.txt"))  # not the crawl's
    response = answer(ledger, hop)
    ledger.crawler.signals.send_catch_log(signals.item_scraped, item={"url": hop.url, "is_report": True},
                                          response=response, spider=None)
    assert ledger.counts() == {"requested": 1, "stored": 1}


def test_a_failure_stands_whatever_the_page_did_after(ledger):
    request = schedule(ledger, page(f"{SITE}a.html"))
    ledger.crawler.signals.send_catch_log(page_failed, url=request.url, kind="error", reason="x")
    response = answer(ledger, request)
    ledger.crawler.signals.send_catch_log(signals.item_scraped, item={"url": request.url, "is_report": True},
                                          response=response, spider=None)
    ledger.crawler.signals.send_catch_log(page_failed, url=request.url, kind="blocked", reason="y")
    assert ledger.counts() == {"requested": 1, "failed": 1, "failed/error": 1}


def test_listing_linking_unchanged_and_dropped_pages(ledger):
    listing = schedule(ledger, page(SITE, "listing"))
    answer(ledger, listing)
    linking = schedule(ledger, page(f"{SITE}l.html"))
    answer(ledger, linking)
    start(ledger, schedule(ledger, page(f"{SITE}l.pdf", "attachment",
                                        cb_kwargs={"hints": PageHints(source_url=linking.url)})))
    unchanged = schedule(ledger, page(f"{SITE}u.html"))
    ledger.crawler.signals.send_catch_log(page_unchanged, url=unchanged.url, kind="detail", reason="304")
    dropped = schedule(ledger, page(f"{SITE}d.html"))
    ledger.crawler.signals.send_catch_log(signals.item_dropped, item={"url": dropped.url}, response=answer(ledger, dropped),
                                          exception=Exception(), spider=None)
    schedule(ledger, page(f"{SITE}q.html"))  # still queued
    # stopped before the PDF answered
    ledger.crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason="shutdown")
    assert ledger.counts() == {"requested": 5, "not_report": 3, "listing": 1, "unchanged": 1, "cut_off": 1,
                               "left_queued": 1}
    assert ledger.sent == []


def test_a_redirect_the_dupefilter_drops_is_a_failure(ledger):
    request = schedule(ledger, page(f"{SITE}loop.html"))
    back = request.replace(url=request.url, meta={**request.meta, "redirect_urls": [request.url, f"{SITE}loop2.html"]})
    ledger.crawler.signals.send_catch_log(signals.request_dropped, request=back, spider=None)
    moved = schedule(ledger, page(f"{SITE}old.html"))
    to_known = moved.replace(url=f"{SITE}loop.html", meta={**moved.meta, "redirect_urls": [moved.url]})
    ledger.crawler.signals.send_catch_log(signals.request_dropped, request=to_known, spider=None)
    # a plain duplicate is nothing
    ledger.crawler.signals.send_catch_log(signals.request_dropped, request=page(f"{SITE}old.html"), spider=None)
    assert [(f["url"], f["kind"]) for f in ledger.sent] == [(request.url, "http"), (moved.url, "ignored")]
    assert ledger.sent[0]["reason"] == f"redirect loop: {SITE}loop.html -> {SITE}loop2.html -> {SITE}loop.html"
    assert ledger.counts() == {"requested": 2, "failed": 2, "failed/http": 1, "failed/ignored": 1}


def test_a_finished_crawl_leaves_no_page_without_an_outcome(ledger):
    request = start(ledger, schedule(ledger, page(f"{SITE}a.html")))
    # scheduled here, taken by another worker of a distributed crawl: that worker's page
    schedule(ledger, page(f"{SITE}b.html"))
    ledger.crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason="finished")
    assert [(f["url"], f["kind"], f["reason"]) for f in ledger.sent] == [
        (request.url, "ignored", "dropped without an answer")]
    assert ledger.counts() == {"requested": 1, "failed": 1, "failed/ignored": 1, "left_queued": 1}


def test_an_exception_in_a_callback_is_a_failure_of_its_page(ledger):
    request = schedule(ledger, page(SITE, "listing"))
    response = answer(ledger, request)
    try:
        raise ValueError("bad markup")
    except ValueError:
        failure = Failure()
    ledger.crawler.signals.send_catch_log(signals.spider_error, failure=failure, response=response, spider=None)
    assert [(f["kind"], f["reason"]) for f in ledger.sent] == [("error", "spider error: ValueError: bad markup")]
    assert ledger.counts()["failed"] == 1


def test_the_accounting_line_splits_stored_pages_by_the_storage_counts():
    crawler = get_crawler(settings_dict={"ITEM_PIPELINES": {"govcrawl.pipelines.storage.StoragePipeline": 500}})
    summary = CrawlSummary.from_crawler(crawler)
    outcomes = summary.outcomes
    for name, outcome in (("a", "stored"), ("b", "stored"), ("c", "stored"), ("d", "failed"), ("e", "blocked")):
        request = schedule(outcomes, page(f"{SITE}{name}.html"))
        outcomes._settle(request.meta["govcrawl_page"], outcome, outcome)
    listing = schedule(outcomes, page(SITE, "listing"))
    answer(outcomes, listing)
    crawler.stats.set_value("govcrawl/storage/new", 1)  # the other two were re-read unchanged
    assert summary.accounting_line() == ("pages: 6 requested = 1 stored + 2 unchanged + 1 not a report "
                                         "(of which 1 listing pages) + 1 failed + 1 blocked")
    assert summary.failed_share() == 2 / 6
    assert "  " + summary.accounting_line() in summary.render("x", "finished").splitlines()


def test_a_resumed_crawl_counts_its_own_pages(ledger):
    # JOBDIR: the start page was crawled before the pause (the dupefilter remembers it) ...
    start = schedule(ledger, page(SITE, "listing"))
    ledger.crawler.signals.send_catch_log(signals.request_dropped, request=start, spider=None)
    # ... and a detail request was left in the queue: restored without request_scheduled
    queued = page(f"{SITE}q.html")
    queued.meta["govcrawl_page"] = "from-before-the-pause"
    ledger.crawler.signals.send_catch_log(page_failed, url=queued.url, kind="http", reason="HTTP 500",
                                          request=queued)
    ledger.crawler.signals.send_catch_log(page_unchanged, url=f"{SITE}u.html", kind="detail", reason="304")
    ledger.crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason="finished")
    assert [f["url"] for f in ledger.sent] == [queued.url]  # none "dropped without an answer"
    assert ledger.counts() == {"requested": 2, "failed": 1, "failed/http": 1, "unchanged": 1}
