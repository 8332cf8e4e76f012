"""StoragePipeline in-process (a real Scrapy Crawler, real databases): storing, passing through,
surviving storage errors, recording failures, and closing a run."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa
from scrapy import Spider
from scrapy.utils.test import get_crawler

from govcrawl.pipelines.storage import StoragePipeline
from govcrawl.signals import page_failed
from govcrawl.storage.repository import Repository
from govcrawl.storage.schema import crawl_failures, crawl_runs, report_versions, reports
from tests.storage.test_repository import URL, make_record


class UnitSpider(Spider):
    name = "unit"


@pytest.fixture
def crawler(database_url):
    crawler = get_crawler(UnitSpider, settings_dict={"GOVCRAWL_DATABASE_URL": database_url})
    crawler.spider = UnitSpider()
    crawler.spider.crawler = crawler
    return crawler


def run_row(engine):
    with engine.connect() as conn:
        return conn.execute(sa.select(crawl_runs).order_by(crawl_runs.c.id.desc())).first()


def test_stores_and_passes_the_item_on(crawler, engine):
    async def go():
        pipeline = StoragePipeline.from_crawler(crawler)
        await pipeline.open_spider()
        record, page = make_record()
        out = await pipeline.process_item(record)
        assert out is record and out["_page"] is page  # PublicRecordPipeline strips it later
        again, _ = make_record()
        await pipeline.process_item(again)  # a duplicate yield in the same run: counted once
        await pipeline.storage.spider_closed(crawler.spider, "finished")

    asyncio.run(go())
    with engine.connect() as conn:
        assert conn.execute(sa.select(reports.c.spider, reports.c.status)).all() == \
            [("unit", "active")]
        assert conn.execute(sa.select(sa.func.count()).select_from(report_versions)).scalar() == 1
    run = run_row(engine)
    assert (run.spider, run.finish_reason, run.new, run.unchanged) == ("unit", "finished", 1, 0)
    assert crawler.stats.get_value("govcrawl/storage/new") == 1


def test_other_items_pass_through_untouched(crawler, engine):
    async def go():
        pipeline = StoragePipeline.from_crawler(crawler)
        record, _ = make_record()
        record["is_report"] = False
        assert await pipeline.process_item(record) is record
        assert await pipeline.process_item({"x": 1}) == {"x": 1}
        assert await pipeline.process_item("text") == "text"

    asyncio.run(go())
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(reports)).scalar() == 0


def test_storage_error_keeps_the_crawl_going_and_is_reported(crawler, engine, monkeypatch):
    seen = []
    crawler.signals.connect(lambda **kw: seen.append(kw), signal=page_failed, weak=False)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Repository, "_insert_cells", boom)

    async def go():
        pipeline = StoragePipeline.from_crawler(crawler)
        record, _ = make_record()
        assert await pipeline.process_item(record) is record
        await pipeline.storage.spider_closed(crawler.spider, "finished")

    asyncio.run(go())
    assert [(s["url"], s["kind"]) for s in seen] == [(URL, "error")]
    assert "disk full" in seen[0]["reason"]
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(reports)).scalar() == 0
        failures = conn.execute(sa.select(crawl_failures.c.url, crawl_failures.c.kind)).all()
    assert failures == [(URL, "error")]
    assert run_row(engine).failed == 1


def test_failures_are_recorded_and_a_shutdown_marks_nothing_missing(crawler, engine, repo):
    old, page = make_record(URL.replace("1000", "1999"))
    repo.save_record(old, page, spider="unit")

    async def go():
        pipeline = StoragePipeline.from_crawler(crawler)
        await pipeline.open_spider()
        record, _ = make_record()
        await pipeline.process_item(record)
        crawler.signals.send_catch_log(page_failed, url="http://x/waf.html", kind="blocked",
                                       reason="blocked by ruishu WAF challenge (HTTP 412)")
        crawler.signals.send_catch_log(page_failed, url="http://x/500.html", kind="http",
                                       reason="HTTP 500")
        await pipeline.storage.spider_closed(crawler.spider, "shutdown")

    asyncio.run(go())
    run = run_row(engine)
    assert (run.finish_reason, run.blocked, run.failed, run.missing) == ("shutdown", 1, 1, 0)
    with engine.connect() as conn:
        kinds = sorted(conn.execute(sa.select(crawl_failures.c.kind)).scalars())
        statuses = conn.execute(sa.select(reports.c.status)).scalars().all()
    assert kinds == ["blocked", "http"]
    assert statuses == ["active", "active"]


def test_finished_run_marks_unseen_missing_but_keeps_blocked_ones(crawler, engine, repo):
    gone, p1 = make_record(URL.replace("1000", "1998"))
    repo.save_record(gone, p1, spider="unit")
    blocked, p2 = make_record(URL.replace("1000", "1997"))
    repo.save_record(blocked, p2, spider="unit")
    not_found, p3 = make_record(URL.replace("1000", "1996"))
    repo.save_record(not_found, p3, spider="unit")

    garbled, p4 = make_record(URL.replace("1000", "1995"))
    repo.save_record(garbled, p4, spider="unit")

    async def go():
        pipeline = StoragePipeline.from_crawler(crawler)
        record, _ = make_record()
        await pipeline.process_item(record)
        # the page answered but is no longer read as a report (ExtractPipeline dropped it): it is
        # still on the site, so it is not missing
        from scrapy import signals as scrapy_signals
        from scrapy.exceptions import DropItem

        crawler.signals.send_catch_log(scrapy_signals.item_dropped, item=p4, response=None,
                                       exception=DropItem("not an annual report"),
                                       spider=crawler.spider)
        crawler.signals.send_catch_log(page_failed, url=blocked["url"], kind="blocked",
                                       reason="blocked by jiasule WAF challenge (HTTP 521)")
        crawler.signals.send_catch_log(page_failed, url=not_found["url"], kind="http",
                                       reason="HTTP 404")
        await pipeline.storage.spider_closed(crawler.spider, "finished")

    asyncio.run(go())
    with engine.connect() as conn:
        status = dict(conn.execute(sa.select(reports.c.url, reports.c.status)).all())
    assert status == {URL: "active", gone["url"]: "missing", blocked["url"]: "active",
                      not_found["url"]: "missing", garbled["url"]: "active"}
    assert run_row(engine).missing == 2


def test_a_run_that_saw_nothing_marks_nothing_missing(crawler, engine, repo):
    old, page = make_record()
    repo.save_record(old, page, spider="unit")
    asyncio.run(StoragePipeline.from_crawler(crawler).storage.spider_closed(crawler.spider,
                                                                           "finished"))
    with engine.connect() as conn:
        assert conn.execute(sa.select(reports.c.status)).scalar() == "active"
