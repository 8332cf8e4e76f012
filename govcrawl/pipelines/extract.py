"""FetchedPage -> report record, off the reactor thread."""

from __future__ import annotations

import asyncio
import logging

from scrapy.exceptions import DropItem

from govcrawl.errors import BadInputError
from govcrawl.items import FetchedPage
from govcrawl.ingest import record_from_bytes
from govcrawl.signals import page_failed

logger = logging.getLogger(__name__)


class ExtractPipeline:
    """Extract and parse each fetched page in a worker thread (extraction is CPU-bound).

    A page that cannot be extracted is logged, counted and reported with `page_failed`; it never
    stops the crawl. Pages that are not annual reports are dropped. The record keeps the fetched
    page under `_page` for the storage pipeline (stored raw); `PublicRecordPipeline` removes it.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_item(self, item):
        if not isinstance(item, FetchedPage):
            return item
        stats = self.crawler.stats
        try:
            record = await asyncio.to_thread(
                record_from_bytes, item.body, item.url, content_type=item.content_type,
                encoding=item.encoding, hints=item.hints)
        except Exception as exc:  # a bad page must never crash the crawl
            if isinstance(exc, BadInputError):  # expected on real sites: one line is enough
                logger.error("extraction failed for %s: %s: %s", item.url, type(exc).__name__, exc)
            else:
                logger.exception("extraction failed for %s", item.url)
            stats.inc_value("govcrawl/pages_failed")
            self.crawler.signals.send_catch_log(page_failed, url=item.url, kind="error",
                                                reason=f"{type(exc).__name__}: {exc}")
            raise DropItem(f"extraction failed for {item.url}: {exc}") from exc
        if not record.get("is_report"):
            stats.inc_value("govcrawl/pages_not_report")
            raise DropItem(f"not an annual report: {item.url}")
        record["_page"] = item
        stats.inc_value("govcrawl/reports_extracted")
        return record
