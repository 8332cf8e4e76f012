"""`missing` means gone from a listing crawled completely (govcrawl/storage/crawl.py): which failed
listing pages make a scope's listing incomplete. The crawl-level proof is test_faulty_site.py
(columns B and C); these pin the rule itself."""

from __future__ import annotations

import asyncio

from scrapy import Request
from scrapy.utils.test import get_crawler

from govcrawl.storage.crawl import CrawlStorage
from govcrawl.storage.db import dispose_engine

COLUMN = "http://www.example.gov.cn/nb/"


def storage(tmp_path) -> CrawlStorage:
    crawler = get_crawler(settings_dict={"GOVCRAWL_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    s = CrawlStorage.for_crawler(crawler)
    s.closed = True  # the rule only: no failure rows written (there is no event loop to write them)
    return s


def listing(url: str, **meta) -> Request:
    return Request(url, meta={"govcrawl_kind": "listing", **meta})


def test_only_a_listing_page_failing_for_another_reason_than_gone_makes_it_incomplete(tmp_path):
    s = storage(tmp_path)
    for n in range(1, 5):
        s.request_scheduled(listing(f"{COLUMN}index_{n}.html"))
    s.request_scheduled(Request(f"{COLUMN}t1.html", meta={"govcrawl_kind": "detail"}))
    s.page_failed(f"{COLUMN}index_1.html", kind="http", reason="HTTP 404")  # a page count too high
    s.page_failed(f"{COLUMN}index_2.html", kind="http", reason="HTTP 410")
    s.page_failed(f"{COLUMN}t1.html", kind="http", reason="HTTP 500")  # a report page: kept, nothing more
    assert s.incomplete_scopes == {}
    s.page_failed(f"{COLUMN}index_3.html", kind="http", reason="DownloadTimeoutError: took longer than 3.0 seconds.")
    s.page_failed(f"{COLUMN}index_4.html", kind="limit", reason="listing pages capped at 300 of 2000000 announced")
    assert s.incomplete_scopes == {s.scope: (f"{COLUMN}index_3.html",
                                             "http: DownloadTimeoutError: took longer than 3.0 seconds.")}


def test_a_url_naming_404_is_not_a_gone_page(tmp_path):
    s = storage(tmp_path)
    s.request_scheduled(listing(f"{COLUMN}index_1.html"))
    s.page_failed(f"{COLUMN}index_1.html", kind="http",
                  reason=f"redirected off-site: {COLUMN}index_1.html -> http://other.cn/404.html")
    assert list(s.incomplete_scopes) == [s.scope]
    s.page_failed(f"{COLUMN}t404.html", kind="http", reason="too many redirects: ... /410/ ...")
    s.page_failed(f"{COLUMN}t1.html", kind="http", reason=f"HTTP 404 (redirected: {COLUMN}t0.html -> {COLUMN}t1.html)")
    assert f"{COLUMN}t404.html" in s._keep_urls() and f"{COLUMN}t1.html" not in s._keep_urls()


def test_each_scope_of_a_multi_column_crawl_is_complete_or_not_on_its_own(tmp_path):
    s = storage(tmp_path)
    s.request_scheduled(listing(f"{COLUMN}a/", govcrawl_scope="column:a"))
    s.request_scheduled(listing(f"{COLUMN}b/", govcrawl_scope="column:b"))
    s.page_failed(f"{COLUMN}b/", kind="blocked", reason="blocked by ruishu WAF challenge (HTTP 412)")
    assert list(s.incomplete_scopes) == ["column:b"]


def test_a_resumed_run_remembers_the_listing_that_failed_before_the_pause(tmp_path):
    settings = {"GOVCRAWL_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "JOBDIR": str(tmp_path / "job")}

    async def pause() -> int:
        s = CrawlStorage.for_crawler(get_crawler(settings_dict=settings))
        run_id = await s.ensure_run()
        s.request_scheduled(listing(f"{COLUMN}index_1.html"))
        s.page_failed(f"{COLUMN}index_1.html", kind="http", reason="HTTP 503")
        s.scope_counts[s.scope] += 3  # reports seen before the pause
        await s.spider_closed(None, "shutdown")  # Ctrl-C: paused, the job file kept
        return run_id

    async def resume() -> CrawlStorage:
        s = CrawlStorage.for_crawler(get_crawler(settings_dict=settings))
        await s.ensure_run()
        return s

    run_id = asyncio.run(pause())
    resumed = asyncio.run(resume())
    assert resumed.run_id == run_id
    # so the finished run still marks nothing of that listing missing
    assert resumed.incomplete_scopes == {resumed.scope: (f"{COLUMN}index_1.html", "http: HTTP 503")}
    assert resumed.crawled_scopes() == [resumed.scope]
    dispose_engine(settings["GOVCRAWL_DATABASE_URL"])
