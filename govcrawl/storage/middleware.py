"""ConditionalRequestMiddleware: a nightly run asks only for what is new, and re-validates a share.

For `detail` and `attachment` requests (`meta["govcrawl_kind"]`, see docs/architecture.md) of URLs
already stored, one lookup decides what tonight's run does with the page:

- **fetched at once** when its listing entry changed: the request's listing hints
  (`request.cb_kwargs["hints"]`, a PageHints) carry a title or date other than those stored with
  the report's current version (`report_versions.hints`). It is downloaded in full, without
  validators, so that it is re-read with tonight's hints. A report marked `missing` that is linked
  again is re-validated too.
- **re-validated** when it is due: each stored page about every GOVCRAWL_RECHECK_DAYS (7), on a
  night of its own (`revalidation_due`: a stable hash of the URL spreads the pages over the
  period, so not all of them come due on the same night). The request carries If-None-Match /
  If-Modified-Since from the stored ETag / Last-Modified (a server that sends neither is asked
  for the whole page); a 304 marks the page unchanged.
- **skipped** otherwise: not requested at all. It is still linked from a listing crawled tonight,
  so its report(s) (the report at that URL, and the attachment-only reports it links through
  `source_url`) are marked seen, counted as "unchanged".

An unchanged page (skipped, or answered 304) sends `page_unchanged` and the request is dropped with
`PageUnchanged` (an IgnoreRequest); its seen-marking is queued and written in batches
(`CrawlStorage.mark_seen_later`), flushed at close before missing-detection. A skipped linking page
skips its attachments with it: they are never requested. `listing` requests are always fetched:
they are how new reports are found. So an unchanged night costs robots.txt, the listing pages and
about 1/GOVCRAWL_RECHECK_DAYS of the stored pages.

Disable with `-s GOVCRAWL_CONDITIONAL=0` (a full re-download, e.g. after a parser change that needs
the pages again; `govcrawl reparse` usually does that job without the network).
`GOVCRAWL_RECHECK_DAYS=0` re-validates every stored page every night.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
from datetime import datetime

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured

from govcrawl.items import PageHints
from govcrawl.storage.crawl import CrawlStorage
from govcrawl.storage.repository import Validators
from govcrawl.storage.schema import utcnow

logger = logging.getLogger(__name__)

CONDITIONAL_KINDS = ("detail", "attachment")
STORAGE_PIPELINE = "govcrawl.pipelines.storage.StoragePipeline"
_META_FLAG = "_govcrawl_conditional"
_DAY = 86400.0


class PageUnchanged(IgnoreRequest):
    """The page is unchanged since it was stored; it was marked seen, not downloaded again."""


def url_phase(url: str) -> float:
    """A stable number in [0, 1) for `url`: where in the re-validation period its night falls.
    A hash of the URL, so it is the same on every run and on every machine."""
    digest = hashlib.blake2b(url.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2.0 ** 64


def revalidation_due(url: str, last_fetched: datetime | None, days: float,
                     now: datetime | None = None) -> bool:
    """Whether a stored page must be asked for again tonight.

    Each URL has a due moment every `days` days, shifted by its `url_phase`; it is due when one
    has passed since it was last fetched. So every page is re-validated once per period, the pages
    of a site come due spread evenly over the nights of the period, and a night the crawl did not
    run only delays its pages to the next run. `days` <= 0: always due."""
    if last_fetched is None or days <= 0:
        return True
    period = days * _DAY
    phase = url_phase(url)
    now = now or utcnow()
    return math.floor(now.timestamp() / period + phase) > math.floor(
        last_fetched.timestamp() / period + phase)


def listing_changed(request, stored: Validators) -> bool:
    """Whether the request's listing entry shows a title or date other than the one stored with
    the report's current version. A request without hints has nothing to compare. For a linking
    page (an attachment-only report's detail page) only the date is compared: the title stored
    with its attachments is the detail page's own (ArticleTitle) where it has one."""
    hints = request.cb_kwargs.get("hints") if request.cb_kwargs else None
    if not isinstance(hints, PageHints):
        return False
    stored_hints = stored.hints if isinstance(stored.hints, dict) else {}
    if (hints.published or "") != (stored_hints.get("published") or ""):
        return True
    return stored.is_report and (hints.title or "") != (stored_hints.get("title") or "")


class ConditionalRequestMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.storage = CrawlStorage.for_crawler(crawler)
        self.recheck_days = crawler.settings.getfloat("GOVCRAWL_RECHECK_DAYS", 7)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)

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
        stored = await asyncio.to_thread(repo.stored_page, request.url)
        if stored is None:
            return None  # new: fetched
        stats = self.crawler.stats
        if listing_changed(request, stored):
            stats.inc_value("govcrawl/conditional/listing_changed")
            return None  # fetched in full, to be read with tonight's hints
        if stored.status != "missing" and not revalidation_due(request.url, stored.last_fetched,
                                                               self.recheck_days):
            stats.inc_value("govcrawl/conditional/skipped")
            await self._unchanged(request, fetched=False, why="not due for re-validation")
        stats.inc_value("govcrawl/conditional/revalidated")
        if stored.etag and b"If-None-Match" not in request.headers:
            request.headers[b"If-None-Match"] = stored.etag
        if stored.last_modified and b"If-Modified-Since" not in request.headers:
            request.headers[b"If-Modified-Since"] = stored.last_modified
        if stored.etag or stored.last_modified:
            request.meta[_META_FLAG] = True
        return None

    async def process_response(self, request, response):
        kind = request.meta.get("govcrawl_kind")
        # downloads by kind, for nightly monitoring and bench/bench_crawl.py
        self.crawler.stats.inc_value(f"govcrawl/downloads/{kind or _untagged_kind(request)}")
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

    def item_scraped(self, item, **kwargs):
        """A page that became a report is no linking page, and its attachment (if it is one) is
        done: what the crawl kept of them for the end of the run is let go, so the crawl's
        memory does not grow with every page (only linking pages' validators are saved, and
        only pages' attachments still in flight can fail)."""
        url = item.get("url") if isinstance(item, dict) else None
        if url and item.get("is_report"):
            self.storage.page_validators.pop(url, None)
            self.storage.attachment_parents.pop(url, None)

    def process_exception(self, request, exception):
        if request.meta.get("govcrawl_kind") == "attachment" and not isinstance(exception,
                                                                                IgnoreRequest):
            parent = self.storage.attachment_parents.get(request.url)
            if parent:
                self.storage.incomplete_pages.add(parent)
        return None

    async def _unchanged(self, request, *, fetched: bool, why: str):
        from govcrawl.signals import page_unchanged

        await self.storage.mark_seen_later(request.url, fetched=fetched,
                                           scope=request.meta.get("govcrawl_scope"))
        self.crawler.stats.inc_value("govcrawl/pages_unchanged")
        logger.debug("%s unchanged (%s): marked seen", request.url, why)
        self.crawler.signals.send_catch_log(page_unchanged, url=request.url,
                                            kind=request.meta.get("govcrawl_kind"), reason=why)
        raise PageUnchanged(f"{request.url} unchanged ({why})")


def _untagged_kind(request) -> str:
    return "robots" if request.url.split("?", 1)[0].endswith("/robots.txt") else "other"


def _header(response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _referer(request) -> str | None:
    value = request.headers.get(b"Referer")
    return value.decode("utf-8", "replace") if value else None
