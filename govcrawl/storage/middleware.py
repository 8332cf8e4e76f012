"""ConditionalRequestMiddleware: nightly runs re-download only what changed.

For `detail` and `attachment` requests (`meta["govcrawl_kind"]`, see docs/architecture.md) of URLs
already stored, it sends If-None-Match / If-Modified-Since from the stored ETag / Last-Modified. On
a 304 (or, for a server that sends neither validator, when the page was fetched less than
GOVCRAWL_RECHECK_DAYS ago), the page is not downloaded again: the stored report(s) are marked seen
(the report at that URL, and the attachment-only reports it links through `source_url`), the
`page_unchanged` signal is sent, and the request is dropped with `PageUnchanged` (an IgnoreRequest).
`listing` requests are always fetched: they are how new reports are found.

Disable with `-s GOVCRAWL_CONDITIONAL=0` (a full re-download, e.g. after a parser change that needs
the pages again; `govcrawl reparse` usually does that job without the network).
"""

from __future__ import annotations

import asyncio
import logging

from scrapy.exceptions import IgnoreRequest, NotConfigured

from govcrawl.storage.crawl import CrawlStorage
from govcrawl.storage.repository import recheck_due

logger = logging.getLogger(__name__)

CONDITIONAL_KINDS = ("detail", "attachment")
STORAGE_PIPELINE = "govcrawl.pipelines.storage.StoragePipeline"
_META_FLAG = "_govcrawl_conditional"


class PageUnchanged(IgnoreRequest):
    """The page is unchanged since it was stored; it was marked seen, not downloaded again."""


class ConditionalRequestMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.storage = CrawlStorage.for_crawler(crawler)
        self.recheck_days = crawler.settings.getfloat("GOVCRAWL_RECHECK_DAYS", 7)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("GOVCRAWL_CONDITIONAL", True):
            raise NotConfigured("GOVCRAWL_CONDITIONAL is off")
        pipelines = crawler.settings.getdict("ITEM_PIPELINES") or {}
        if pipelines.get(STORAGE_PIPELINE) is None:
            # skipping unchanged pages only makes sense when the crawl stores what it finds;
            # without storage a skipped page would simply be lost from the output
            raise NotConfigured(f"{STORAGE_PIPELINE} is not enabled")
        return cls(crawler)

    async def process_request(self, request):
        kind = request.meta.get("govcrawl_kind")
        if kind not in CONDITIONAL_KINDS:
            return None
        if kind == "attachment":
            parent = _referer(request)
            if parent:
                self.storage.attachment_parents[request.url] = parent
        repo = await self.storage.repository()
        validators = await asyncio.to_thread(repo.validators, request.url)
        if validators is None:
            return None
        if validators.etag or validators.last_modified:
            if validators.etag and b"If-None-Match" not in request.headers:
                request.headers[b"If-None-Match"] = validators.etag
            if validators.last_modified and b"If-Modified-Since" not in request.headers:
                request.headers[b"If-Modified-Since"] = validators.last_modified
            request.meta[_META_FLAG] = True
            return None
        if not recheck_due(validators, self.recheck_days):
            await self._unchanged(request, fetched=False, why="fetched recently, no validators")
        return None

    async def process_response(self, request, response):
        kind = request.meta.get("govcrawl_kind")
        if kind not in CONDITIONAL_KINDS:
            return response
        if response.status == 304 and request.meta.get(_META_FLAG):
            await self._unchanged(request, fetched=True, why="304 Not Modified")
        if kind == "detail" and response.status == 200:
            etag = _header(response, b"ETag")
            last_modified = _header(response, b"Last-Modified")
            if etag or last_modified:
                self.storage.page_validators[request.url] = (etag, last_modified)
        elif kind == "attachment" and response.status >= 400:
            parent = self.storage.attachment_parents.get(request.url)
            if parent:
                self.storage.incomplete_pages.add(parent)
        return response

    def process_exception(self, request, exception):
        if request.meta.get("govcrawl_kind") == "attachment" and not isinstance(exception,
                                                                                IgnoreRequest):
            parent = self.storage.attachment_parents.get(request.url)
            if parent:
                self.storage.incomplete_pages.add(parent)
        return None

    async def _unchanged(self, request, *, fetched: bool, why: str):
        from govcrawl.signals import page_unchanged

        seen = await self.storage.mark_seen(request.url, fetched=fetched)
        self.crawler.stats.inc_value("govcrawl/pages_unchanged")
        logger.debug("%s unchanged (%s): %d report(s) marked seen", request.url, why, seen)
        self.crawler.signals.send_catch_log(page_unchanged, url=request.url,
                                            kind=request.meta.get("govcrawl_kind"), reason=why)
        raise PageUnchanged(f"{request.url} unchanged ({why})")


def _header(response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _referer(request) -> str | None:
    value = request.headers.get(b"Referer")
    return value.decode("utf-8", "replace") if value else None
