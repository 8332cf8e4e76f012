"""ConditionalRequestMiddleware in-process: which stored pages a night asks for, and the batched
seen-marking of the others (govcrawl/storage/middleware.py, CrawlStorage.mark_seen_later,
Repository.mark_seen_many). The whole crawls are in tests/test_incremental.py."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from scrapy import Request, Spider
from scrapy.utils.test import get_crawler

from govcrawl.items import FetchedPage, PageHints
from govcrawl.record import new_record
from govcrawl.storage.crawl import CrawlStorage
from govcrawl.storage.middleware import (
    ConditionalRequestMiddleware,
    PageUnchanged,
    listing_changed,
    revalidation_due,
    url_phase,
)
from govcrawl.storage.repository import Validators
from govcrawl.storage.schema import report_versions, reports

BASE = "http://www.tinygov.gov.cn/xxgk/ndbg/202001"
NOW = datetime(2026, 12, 1, 1, 30, tzinfo=timezone.utc)
TITLE = "小县统计局2019年政府信息公开工作年度报告"


# --- when a stored page is due ----------------------------------------------------------------------
def test_url_phase_is_stable_and_spread():
    assert url_phase(f"{BASE}/t1.html") == url_phase(f"{BASE}/t1.html")
    phases = [url_phase(f"{BASE}/t20200115_{i}.html") for i in range(10_000)]
    assert all(0 <= p < 1 for p in phases)
    # as many pages in each tenth of the period (a uniform hash: about 1000 each)
    tenths = Counter(int(p * 10) for p in phases)
    assert len(tenths) == 10 and all(850 < n < 1150 for n in tenths.values())


def test_every_page_is_due_once_per_period_and_the_nights_share_them():
    days = 7
    urls = [f"{BASE}/t20200115_{i}.html" for i in range(7000)]
    last = {u: NOW for u in urls}  # all stored on the same night
    due_nights: dict[str, list[int]] = {u: [] for u in urls}
    per_night = []
    for night in range(1, 22):
        now = NOW + timedelta(days=night)
        due = [u for u in urls if revalidation_due(u, last[u], days, now)]
        for u in due:
            last[u] = now
            due_nights[u].append(night)
        per_night.append(len(due))
    # each page exactly once in every 7 consecutive nights
    assert all(n == [n[0], n[0] + 7, n[0] + 14] for n in due_nights.values())
    # the nights share the pages: about 1000 each, none with all of them
    assert all(800 < n < 1200 for n in per_night), per_night


def test_due_when_never_fetched_always_with_zero_days_and_after_missed_nights():
    url = f"{BASE}/t1.html"
    assert revalidation_due(url, None, 7, NOW)
    assert revalidation_due(url, NOW, 0, NOW)
    assert not revalidation_due(url, NOW, 7, NOW + timedelta(seconds=1))
    # the crawl did not run for a month: the page is due on the next run, not a period later
    assert revalidation_due(url, NOW - timedelta(days=30), 7, NOW)
    # a whole period always holds the page's due moment
    for i in range(200):
        u = f"{BASE}/t{i}.html"
        assert revalidation_due(u, NOW - timedelta(days=7), 7, NOW)


def _request(url, **hints):
    return Request(url, meta={"govcrawl_kind": "detail"},
                   cb_kwargs={"hints": PageHints(**hints)} if hints else None)


def test_listing_changed_compares_the_title_and_date_stored_with_the_current_version():
    stored = Validators(None, None, NOW, True, status="active",
                        hints={"title": TITLE, "published": "2020-01-15", "column": "x"})
    url = f"{BASE}/t1.html"
    assert not listing_changed(_request(url, title=TITLE, published="2020-01-15"), stored)
    # another column page (the listing paged on): not a change of the entry
    assert not listing_changed(_request(url, title=TITLE, published="2020-01-15", column="y"),
                               stored)
    assert listing_changed(_request(url, title=TITLE + "（更正）", published="2020-01-15"), stored)
    assert listing_changed(_request(url, title=TITLE, published="2020-01-16"), stored)
    assert listing_changed(_request(url, title=TITLE), stored)  # the date is gone
    # nothing to compare: a request without hints
    assert not listing_changed(_request(url), stored)
    # a version stored without hints: tonight's hints are news
    assert listing_changed(_request(url, title=TITLE), Validators(None, None, NOW, True))
    # a linking page: its attachments' title is the detail page's own, only the date counts
    linking = Validators('"e"', None, NOW, False, hints={"title": "附件标题", "published": "2020-01-15"})
    assert not listing_changed(_request(url, title=TITLE, published="2020-01-15"), linking)
    assert listing_changed(_request(url, title=TITLE, published="2020-01-17"), linking)


# --- the middleware in a crawler ----------------------------------------------------------------------
def _save(repo, url, *, etag='"v1"', hints=None, spider="unit", run_id=None):
    record = new_record(url)
    record.update(is_report=True, title=TITLE, year=2019)
    page = FetchedPage(url=url, body=f"<html>{url}</html>".encode(), etag=etag,
                       hints=hints if hints is not None else PageHints(title=TITLE,
                                                                        published="2020-01-15"))
    return repo.save_record(record, page, spider=spider, run_id=run_id)


def _crawler(database_url, **settings):
    crawler = get_crawler(Spider, settings_dict={
        "GOVCRAWL_DATABASE_URL": database_url,
        "ITEM_PIPELINES": {"govcrawl.pipelines.storage.StoragePipeline": 500}, **settings})
    crawler.spider = Spider(name="unit")
    return crawler


def _row(engine, url):
    with engine.connect() as conn:
        return conn.execute(sa.select(reports).where(reports.c.url == url)).one()


def test_middleware_fetches_new_and_changed_entries_revalidates_due_and_skips_the_rest(
        database_url, repo, engine):
    stored, changed, missing, due = (f"{BASE}/t{i}.html" for i in range(1, 5))
    for url in (stored, changed, missing, due):
        _save(repo, url)
    with engine.begin() as conn:
        conn.execute(reports.update().where(reports.c.url == missing).values(status="missing"))
        conn.execute(reports.update().where(reports.c.url == due)
                     .values(last_fetched=NOW - timedelta(days=20_000)))
    crawler = _crawler(database_url, GOVCRAWL_RECHECK_DAYS=10_000)
    seen_before = _row(engine, stored).last_seen

    async def go():
        mw = ConditionalRequestMiddleware.from_crawler(crawler)
        new = _request(f"{BASE}/t9.html", title=TITLE)
        assert await mw.process_request(new) is None and b"If-None-Match" not in new.headers
        # a changed entry: fetched in full, to be read with tonight's hints
        request = _request(changed, title=TITLE, published="2020-02-01")
        assert await mw.process_request(request) is None
        assert b"If-None-Match" not in request.headers
        for url in (missing, due):  # re-validated: asked with the stored validators
            request = _request(url, title=TITLE, published="2020-01-15")
            assert await mw.process_request(request) is None, url
            assert request.headers[b"If-None-Match"] == b'"v1"', url
        # the rest: not asked at all, marked seen in the next batch
        with pytest.raises(PageUnchanged):
            await mw.process_request(_request(stored, title=TITLE, published="2020-01-15"))
        assert _row(engine, stored).last_seen == seen_before  # queued, not yet written
        await mw.storage.spider_closed(crawler.spider, "shutdown")

    asyncio.run(go())
    stats = crawler.stats
    assert stats.get_value("govcrawl/conditional/skipped") == 1
    assert stats.get_value("govcrawl/conditional/listing_changed") == 1
    assert stats.get_value("govcrawl/conditional/revalidated") == 2
    assert stats.get_value("govcrawl/pages_unchanged") == 1
    assert stats.get_value("govcrawl/storage/unchanged") == 1
    row = _row(engine, stored)
    assert row.last_seen > seen_before and row.last_run_id is not None


def test_seen_marks_are_batched_and_flushed_before_missing_detection(database_url, repo, engine,
                                                                     monkeypatch):
    urls = [f"{BASE}/t{i}.html" for i in range(12)]
    first = repo.start_run("unit")
    for url in urls:
        _save(repo, url, run_id=first)
    repo.finish_run(first, "finished", {"new": len(urls)})
    # no timer flush during the test: only a full batch, or the close, writes
    monkeypatch.setattr(CrawlStorage, "SEEN_INTERVAL", 3600.0)
    monkeypatch.setattr(CrawlStorage, "SEEN_BATCH", 5)
    crawler = _crawler(database_url)

    async def go():
        storage = CrawlStorage.for_crawler(crawler)
        run_id = await storage.ensure_run()
        for url in urls[:4]:
            await storage.mark_seen_later(url, fetched=False)
        assert {_row(engine, u).last_run_id for u in urls[:4]} == {first}  # queued only
        await storage.mark_seen_later(urls[4], fetched=True)  # the fifth: the batch is written
        assert {_row(engine, u).last_run_id for u in urls[:5]} == {run_id}
        for url in urls[5:9]:
            await storage.mark_seen_later(url, fetched=False)
        assert _row(engine, urls[8]).last_run_id == first
        await storage.mark_seen_later(urls[5], fetched=False)  # twice: counted once
        assert {_row(engine, u).last_run_id for u in urls[5:9]} == {run_id}
        await storage.mark_seen_later(urls[9], fetched=False)
        assert _row(engine, urls[9]).last_run_id == first
        # the close writes the rest before it marks missing what the run did not see
        await storage.spider_closed(crawler.spider, "finished")
        return run_id

    run_id = asyncio.run(go())
    for url in urls[:10]:
        row = _row(engine, url)
        assert (row.status, row.last_run_id) == ("active", run_id), url
    assert {_row(engine, u).status for u in urls[10:]} == {"missing"}
    assert crawler.stats.get_value("govcrawl/storage/unchanged") == 10
    assert crawler.stats.get_value("govcrawl/storage/missing") == 2
    # only the URL asked for (the 304) moved its last_fetched
    assert _row(engine, urls[4]).last_fetched > _row(engine, urls[3]).last_fetched


def test_mark_seen_many_marks_linked_attachments_and_counts_each_report_once(repo, engine):
    detail = f"{BASE}/t1.html"
    files = [f"{BASE}/P{i}.pdf" for i in range(3)]
    plain = f"{BASE}/t2.html"
    for url in files:
        _save(repo, url, hints=PageHints(title=TITLE, source_url=detail))
        with engine.begin() as conn:
            conn.execute(reports.update().where(reports.c.url == url).values(source_url=detail))
    _save(repo, plain)
    before = {u: _row(engine, u) for u in files + [plain]}
    run = repo.start_run("unit")
    # the linking page skipped, one of its files asked for (a 304), the plain page skipped
    items = [(detail, False), (files[0], True), (plain, False), (plain, False)]
    assert repo.mark_seen_many(items, run) == 4
    assert repo.mark_seen_many(items, run) == 0  # seen in this run already
    for url, old in before.items():
        row = _row(engine, url)
        assert row.last_run_id == run and row.last_seen > old.last_seen, url
    assert _row(engine, files[0]).last_fetched > before[files[0]].last_fetched
    assert _row(engine, files[1]).last_fetched == before[files[1]].last_fetched
    assert _row(engine, plain).last_fetched == before[plain].last_fetched
    with engine.connect() as conn:
        version = conn.execute(sa.select(report_versions.c.last_seen).where(
            report_versions.c.id == _row(engine, plain).current_version_id)).scalar()
    assert version > before[plain].last_seen
    assert repo.mark_seen_many([], run) == 0


def test_stored_page_reads_hints_of_the_current_version_or_of_a_linked_report(repo, engine):
    url, detail, pdf = f"{BASE}/t1.html", f"{BASE}/t2.html", f"{BASE}/P2.pdf"
    _save(repo, url, hints=PageHints(title=TITLE, published="2020-01-15", column="c"))
    got = repo.stored_page(url)
    assert got.is_report and got.status == "active" and got.etag == '"v1"'
    assert got.hints == {"title": TITLE, "published": "2020-01-15", "column": "c"}
    # the same page under a changed listing date: the version keeps tonight's hints
    _save(repo, url, hints=PageHints(title=TITLE, published="2020-01-20"))
    assert repo.stored_page(url).hints == {"title": TITLE, "published": "2020-01-20"}
    assert repo.stored_page(detail) is None
    _save(repo, pdf, hints=PageHints(title="附件", published="2020-01-16", source_url=detail))
    with engine.begin() as conn:
        conn.execute(reports.update().where(reports.c.url == pdf).values(source_url=detail))
    repo.save_pages({detail: ('"d"', None)})
    got = repo.stored_page(detail)
    assert not got.is_report and got.etag == '"d"'
    assert got.hints["published"] == "2020-01-16"


def test_pages_that_became_reports_are_not_kept_for_the_end_of_the_run(database_url):
    from scrapy import signals

    crawler = _crawler(database_url)
    mw = ConditionalRequestMiddleware.from_crawler(crawler)
    storage = mw.storage
    report, linking, pdf = f"{BASE}/t1.html", f"{BASE}/t2.html", f"{BASE}/P2.pdf"
    storage.page_validators.update({report: ('"a"', None), linking: ('"b"', None)})
    storage.attachment_parents[pdf] = linking
    crawler.signals.send_catch_log(signals.item_scraped, item={"url": report, "is_report": True},
                                   response=None, spider=crawler.spider)
    crawler.signals.send_catch_log(signals.item_scraped, item={"url": pdf, "is_report": True},
                                   response=None, spider=crawler.spider)
    crawler.signals.send_catch_log(signals.item_scraped, item={"url": linking, "is_report": False},
                                   response=None, spider=crawler.spider)
    # only a linking page's validators are saved at the end of the run: the others are let go
    assert storage.page_validators == {linking: ('"b"', None)}
    assert storage.attachment_parents == {}
