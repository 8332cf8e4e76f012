"""StoragePipeline: store each report record, its version, cells, checks and attachments.

Records arrive from ExtractPipeline with the fetched page under `_page` (a FetchedPage). Each one
is written in a single transaction in a worker thread (govcrawl.storage.repository); the run's
bookkeeping (crawl_runs row, failures, marking vanished reports missing) lives in
govcrawl.storage.crawl.CrawlStorage, shared with the conditional-request middleware.
"""

from __future__ import annotations

import logging

from govcrawl.signals import page_failed
from govcrawl.storage.crawl import CrawlStorage

logger = logging.getLogger(__name__)


class StoragePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.storage = CrawlStorage.for_crawler(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def open_spider(self):
        # create the run (and migrate the database) before the first request, so a database
        # that cannot be reached fails the crawl at once rather than on the first report
        await self.storage.ensure_run()

    async def process_item(self, item):
        if not isinstance(item, dict) or not item.get("url") or not item.get("is_report"):
            return item
        page = item.get("_page")
        try:
            await self.storage.save(item, page)
            self.storage.page_answered(page)
        except Exception as exc:
            # the transaction rolled back: nothing half-written; the item still reaches the feed
            # and the page is reported like any other failure (so it is not marked missing)
            logger.exception("storage: could not store %s", item["url"])
            self.crawler.stats.inc_value("govcrawl/storage/errors")
            self.crawler.signals.send_catch_log(
                page_failed, url=getattr(page, "origin", item["url"]), kind="error",
                reason=f"storage: {type(exc).__name__}: {exc}{getattr(page, 'redirect_note', '')}")
        return item
