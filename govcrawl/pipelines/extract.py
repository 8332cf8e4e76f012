"""FetchedPage -> report record, in worker processes (govcrawl/workers/), each page under a deadline."""

from __future__ import annotations

import asyncio
import logging
import os

from scrapy.exceptions import DropItem

from govcrawl.errors import BadInputError
from govcrawl.ingest import check_size, record_from_bytes, sniff_kind
from govcrawl.items import FetchedPage
from govcrawl.signals import page_failed, stop_forced
from govcrawl.workers import ExtractionPool, PoolClosed

logger = logging.getLogger(__name__)

#: record flags that mean the page has nothing to read at all: a failure of kind `empty` (a page
#: whose little text is all chrome, or that only links files, is "not a report")
EMPTY_FLAGS = {"js_shell": "the page is a JavaScript shell (its content is loaded by script)",
               "blank_page": "the page has no text at all"}


class ExtractPipeline:
    """Extract and parse each fetched page off the reactor (extraction is CPU-bound).

    Settings:
    - `GOVCRAWL_EXTRACT_WORKERS` (default: the number of cores): worker processes; 0 extracts in
      threads of the crawl process, with no deadline (debugging, profiling).
    - `GOVCRAWL_EXTRACT_TIMEOUT` (10 s): the deadline of an HTML or text page; a worker that
      overruns it is killed and replaced, and the page is a failure.
    - `GOVCRAWL_ATTACHMENT_TIMEOUT` (150 s): the deadline of a PDF/DOCX/DOC/WPS file.
    - `GOVCRAWL_EXTRACT_CPU_LIMIT` (10 s) and `GOVCRAWL_ATTACHMENT_CPU_LIMIT` (10 s): the CPU
      seconds a page or a file may use, enforced by the kernel in the worker (RLIMIT_CPU; 0: no
      limit). OCR reads the scanned pages its budget covers (govcrawl/attachments/ocr.py) and
      flags the rest `needs_ocr`: raise the attachment limit (e.g. 300) to OCR whole scans.
    - `GOVCRAWL_WORKER_MAX_TASKS` (500): pages a worker serves before it is replaced.

    Every page ends in one outcome: a record (passed on to storage), not a report (dropped and
    counted), or a failure reported with `page_failed`: kind `error` (extraction failed, timed
    out or crashed) or `empty` (the page yielded nothing to read). A page never stops the crawl.
    The record keeps the fetched page under `_page` for the storage pipeline (stored raw);
    `PublicRecordPipeline` removes it.
    """

    def __init__(self, crawler, pool: ExtractionPool | None):
        self.crawler = crawler
        self.pool = pool

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        workers = settings.getint("GOVCRAWL_EXTRACT_WORKERS", os.cpu_count() or 1)
        pool = None
        if workers > 0:
            pool = ExtractionPool(workers, timeout=settings.getfloat("GOVCRAWL_EXTRACT_TIMEOUT", 10.0),
                                  attachment_timeout=settings.getfloat("GOVCRAWL_ATTACHMENT_TIMEOUT", 150.0),
                                  max_tasks=settings.getint("GOVCRAWL_WORKER_MAX_TASKS", 500),
                                  cpu_limit=settings.getfloat("GOVCRAWL_EXTRACT_CPU_LIMIT", 10.0) or None,
                                  attachment_cpu_limit=settings.getfloat("GOVCRAWL_ATTACHMENT_CPU_LIMIT",
                                                                         10.0) or None)
        pipeline = cls(crawler, pool)
        crawler.signals.connect(pipeline.close_spider, signal=stop_forced)
        return pipeline

    def close_spider(self, spider=None):
        if self.pool is not None:
            stats = self.crawler.stats
            stats.set_value("govcrawl/extract_workers_killed", self.pool.killed)
            stats.set_value("govcrawl/extract_workers_retired", self.pool.retired)
            self.pool.close()

    async def process_item(self, item):
        if not isinstance(item, FetchedPage):
            return item
        try:
            record = await self._extract(item)
        except PoolClosed as exc:
            self._fail(item, "error", f"interrupted: {exc}")
        except Exception as exc:  # a bad page must never crash the crawl
            if isinstance(exc, BadInputError):  # expected on real sites: one line is enough
                logger.error("extraction failed for %s: %s: %s", item.url, type(exc).__name__, exc)
            else:
                logger.error("extraction failed for %s: %s: %s", item.url, type(exc).__name__, exc,
                             exc_info=self.pool is None)
            self._fail(item, "error", f"{type(exc).__name__}: {exc}", cause=exc)
        flags = record.get("flags") or []
        if not record.get("is_report"):
            for flag, reason in EMPTY_FLAGS.items():
                if flag in flags:
                    self._fail(item, "empty", reason)
            if "extract_error" in flags:
                self._fail(item, "error", "the page could not be parsed as HTML")
            self.crawler.stats.inc_value("govcrawl/pages_not_report")
            raise DropItem(f"not an annual report: {item.url}")
        record["_page"] = item
        self.crawler.stats.inc_value("govcrawl/reports_extracted")
        return record

    async def _extract(self, item: FetchedPage) -> dict:
        if self.pool is None:
            return await asyncio.to_thread(
                record_from_bytes, item.body, item.url, content_type=item.content_type,
                encoding=item.encoding, hints=item.hints)
        kind = sniff_kind(item.body, item.content_type, item.url)
        check_size(item.body, kind)  # a 60 MB page is refused here, never shipped to a worker
        return await asyncio.to_thread(
            self.pool.extract, item.body, item.url, content_type=item.content_type,
            encoding=item.encoding, hints=item.hints, kind=kind)

    def _fail(self, item: FetchedPage, kind: str, reason: str, cause: Exception | None = None):
        """Report the page as failed, under the URL the crawl asked for (the first of a redirect
        chain: the stored report there stays `active`), and drop it."""
        url, reason = item.origin, reason + item.redirect_note
        self.crawler.stats.inc_value("govcrawl/pages_failed")
        self.crawler.signals.send_catch_log(page_failed, url=url, kind=kind, reason=reason)
        raise DropItem(f"extraction failed for {url}: {reason}") from cause
