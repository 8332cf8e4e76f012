"""Crawl-wide extensions: the summary a person reads and the exit code cron reads (CrawlSummary),
the one outcome of every page the crawl requests (PageOutcomes, which the summary owns), and a
bounded stop (StopGuard)."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured

from govcrawl.middlewares import origin_url, redirect_chain
from govcrawl.signals import page_failed, page_unchanged, stop_forced
from govcrawl.storage.crawl import CrawlStorage
from govcrawl.storage.db import display_url, resolve_database_url

logger = logging.getLogger(__name__)

#: request meta: the page a request belongs to (the fingerprint of the crawl's first request for
#: it). Retries and redirects copy the meta, so they stay the same page
PAGE_KEY = "govcrawl_page"


@dataclass
class Page:
    """One page the crawl requested, and what became of it."""

    url: str
    kind: str  # listing | detail | attachment (request meta `govcrawl_kind`)
    #: stored | unchanged | not_report | failed | blocked | cut_off; None while in progress
    outcome: str | None = None
    #: the failure's kind (`http`, `robots`, `limit`, ...) for a failed page
    failure: str | None = None
    #: a request of the page reached this process's downloader
    started: bool = False
    #: a 2xx response reached the spider
    answered: bool = False


class PageOutcomes:
    """Every page the crawl requests ends in exactly one outcome; this counts them, per page.

    A page is a request of the crawl (`meta["govcrawl_kind"]`: listing, detail, attachment) for a
    URL (a fingerprint) not requested before; its retries and redirect hops are the same page, and
    requests of other components (robots.txt) are not the crawl's. Outcomes, from the signals:

    - `failed` / `blocked`: `page_failed` (kind `blocked` is a WAF challenge); the first failure
      stands, whatever else the page did;
    - `stored`: a report record passed the pipelines (`item_scraped`); the summary splits it into
      new or changed, and unchanged (re-read, identical to the stored version), by the storage
      counts;
    - `unchanged`: `page_unchanged` (a 304, or not due for re-validation);
    - `not_report`: the page was dropped as no report (`item_dropped`), is a listing page that
      answered, or a detail page that only links report files (its files are pages of their own),
      or answered without yielding anything.

    Drops no other component reports become failures here: a redirect the dupefilter drops (a
    loop, or a target already requested), an exception in a spider callback, and, at the close
    of a finished crawl, any page that reached the downloader and still has no outcome ("dropped
    without an answer"). A crawl that did not finish leaves its pages in progress `cut_off`.

    A page scheduled here that never left the scheduler to this process's downloader and has no
    outcome is not this run's page: still queued when a crawl stopped (a JOBDIR resume or the next
    night fetches it), or handed to another worker of a distributed crawl, which counts it. It is
    left out of the counts (`left_queued`).
    """

    _ATTR = "_govcrawl_page_outcomes"

    def __init__(self, crawler):
        self.crawler = crawler
        self.pages: dict[str, Page] = {}
        #: every URL a page's requests went to (redirect hops, final URLs) -> the page
        self.by_url: dict[str, str] = {}
        #: pages scheduled here, never started here, without an outcome (see the class docstring)
        self.left_queued = 0

    @classmethod
    def for_crawler(cls, crawler) -> PageOutcomes:
        outcomes = getattr(crawler, cls._ATTR, None)
        if outcomes is None:
            outcomes = cls(crawler)
            setattr(crawler, cls._ATTR, outcomes)
            for handler, signal_ in (
                    (outcomes.request_scheduled, signals.request_scheduled),
                    (outcomes.request_dropped, signals.request_dropped),
                    (outcomes.request_reached_downloader, signals.request_reached_downloader),
                    (outcomes.response_received, signals.response_received),
                    (outcomes.item_scraped, signals.item_scraped),
                    (outcomes.item_dropped, signals.item_dropped),
                    (outcomes.spider_error, signals.spider_error),
                    (outcomes.spider_closed, signals.spider_closed),
                    (outcomes.page_failed, page_failed),
                    (outcomes.page_unchanged, page_unchanged)):
                crawler.signals.connect(handler, signal=signal_)
        return outcomes

    # --- which page ---------------------------------------------------------------------------------
    def _register(self, request) -> str:
        key = request.meta.get(PAGE_KEY)
        if key is None:
            key = self.crawler.request_fingerprinter.fingerprint(request).hex()
            if key not in self.pages:
                self.pages[key] = Page(request.url, request.meta.get("govcrawl_kind") or "")
                request.meta[PAGE_KEY] = key
        self.by_url.setdefault(request.url, key)
        return key

    def key_of(self, request=None, url: str | None = None) -> str | None:
        """The page a request (or, without one, a URL) belongs to."""
        if request is not None:
            key = request.meta.get(PAGE_KEY)
            if key:
                self._adopt(key, request)
                return key
            if request.meta.get("govcrawl_kind"):
                return self._register(request)
        if url:
            return self.by_url.get(url)
        return None

    def _adopt(self, key: str, request) -> None:
        """A request carrying a page this process never scheduled: one a paused crawl (JOBDIR)
        left in its queue, restored without `request_scheduled`. It is a page of this run."""
        if key not in self.pages:
            self.pages[key] = Page(origin_url(request), request.meta.get("govcrawl_kind") or "")
            self.by_url.setdefault(origin_url(request), key)
            self.by_url.setdefault(request.url, key)

    def _settle(self, key: str | None, outcome: str, failure: str | None = None) -> None:
        page = self.pages.get(key) if key else None
        if page is None or page.outcome in ("failed", "blocked"):
            return
        if page.outcome is None or outcome in ("failed", "blocked"):
            page.outcome, page.failure = outcome, failure

    # --- signals ------------------------------------------------------------------------------------
    def request_scheduled(self, request, **kwargs):
        if not request.meta.get("govcrawl_kind"):
            return  # not the crawl's (or a component's own request)
        if request.meta.get(PAGE_KEY):
            # a retry or a redirect hop of a page already counted
            self.by_url.setdefault(request.url, request.meta[PAGE_KEY])
            return
        key = self.crawler.request_fingerprinter.fingerprint(request).hex()
        if key in self.pages:
            return  # a duplicate: the dupefilter drops it
        self._register(request)
        hints = (request.cb_kwargs or {}).get("hints")
        source = getattr(hints, "source_url", None)
        if request.meta.get("govcrawl_kind") == "attachment" and source:
            # the detail page that only links this file: a page without a report of its own
            self._settle(self.by_url.get(source), "not_report")

    def request_dropped(self, request, **kwargs):
        key = request.meta.get(PAGE_KEY)
        if not key:
            return  # a duplicate request of the crawl: its page is counted where it was first made
        if not request.meta.get("redirect_urls"):
            # the first request of a page, dropped as seen: the dupefilter remembers it from before
            # a pause (JOBDIR), so it was that run's page, not this one's
            page = self.pages.get(key)
            if page is not None and page.outcome is None and not page.answered:
                del self.pages[key]
                self.by_url = {u: k for u, k in self.by_url.items() if k != key}
            return
        # a redirect the dupefilter dropped: the page never answered
        urls = request.meta["redirect_urls"]
        if request.url in urls:
            reason = f"redirect loop: {redirect_chain(request)}"
            kind = "http"
        else:
            reason = f"redirected to a page this crawl requested already: {redirect_chain(request)}"
            kind = "ignored"
        url = origin_url(request)
        logger.warning("%s failed (%s): %s", url, kind, reason)
        self.crawler.stats.inc_value(f"govcrawl/pages_failed_{kind}")
        self.crawler.signals.send_catch_log(page_failed, url=url, kind=kind, reason=reason,
                                            request=request)

    def request_reached_downloader(self, request, **kwargs):
        key = self.key_of(request) if request.meta.get(PAGE_KEY) else None
        if key:
            self.pages[key].started = True

    def response_received(self, response, request, **kwargs):
        key = self.key_of(request) if request.meta.get(PAGE_KEY) else None
        if key and 200 <= response.status < 300:
            page = self.pages[key]
            page.answered = True
            self.by_url.setdefault(response.url, key)
            if page.kind == "listing":
                self._settle(key, "not_report")

    def _by_url(self, url: str, kind: str = "") -> str:
        """The page at `url`; a page of its own when no request this process scheduled went there
        (one a paused crawl left in its queue): still a page of this run, still counted."""
        key = self.by_url.get(url)
        if key is None:
            key = f"url:{url}"
            self.pages.setdefault(key, Page(url, kind))
            self.by_url[url] = key
        return key

    def page_failed(self, url=None, kind="error", request=None, **kwargs):
        key = self.key_of(request, url)
        if key is None and url:
            key = self._by_url(url)
        self._settle(key, "blocked" if kind == "blocked" else "failed", kind)

    def page_unchanged(self, url=None, kind="", **kwargs):
        if url:
            self._settle(self._by_url(url, kind or ""), "unchanged")

    def _item_key(self, item, response) -> str | None:
        request = getattr(response, "request", None) if response is not None else None
        key = request.meta.get(PAGE_KEY) if request is not None else None
        if key:
            self._adopt(key, request)
            return key
        url = item.get("url") if isinstance(item, dict) else getattr(item, "url", None)
        return self.by_url.get(url or "")

    def item_scraped(self, item, response=None, **kwargs):
        report = isinstance(item, dict) and item.get("is_report")
        self._settle(self._item_key(item, response), "stored" if report else "not_report")

    def item_dropped(self, item, response=None, **kwargs):
        self._settle(self._item_key(item, response), "not_report")

    def spider_error(self, failure, response=None, **kwargs):
        request = getattr(response, "request", None) if response is not None else None
        if request is None or not request.meta.get("govcrawl_kind"):
            return
        url = origin_url(request)
        reason = f"spider error: {failure.type.__name__}: {failure.getErrorMessage()}"
        self.crawler.stats.inc_value("govcrawl/pages_failed_error")
        self.crawler.signals.send_catch_log(page_failed, url=url, kind="error", reason=reason,
                                            request=request)

    def spider_closed(self, spider, reason="finished"):
        for key, page in list(self.pages.items()):
            if page.outcome is not None:
                continue
            if page.answered:
                page.outcome = "not_report"  # answered, yielded nothing to store
            elif not page.started:
                del self.pages[key]  # still queued, or another worker's (see the class docstring)
                self.left_queued += 1
            elif reason == "finished":
                # every component that drops a request reports it; one that did not is a bug:
                # the page is a failure, never silently nothing
                page.outcome, page.failure = "failed", "ignored"
                logger.warning("%s: dropped without an answer, no component said why", page.url)
                self.crawler.signals.send_catch_log(page_failed, url=page.url, kind="ignored",
                                                    reason="dropped without an answer")
            else:
                page.outcome = "cut_off"

    # --- counts -------------------------------------------------------------------------------------
    def counts(self) -> Counter:
        """Pages per outcome, `requested` (all of them), `listing` (listing pages among the
        `not_report`) and `failed/<kind>` per failure kind."""
        counts: Counter = Counter(requested=len(self.pages))
        if self.left_queued:
            counts["left_queued"] = self.left_queued
        for page in self.pages.values():
            counts[page.outcome or "cut_off"] += 1
            if page.outcome == "not_report" and page.kind == "listing":
                counts["listing"] += 1
            if page.outcome in ("failed", "blocked"):
                counts[f"failed/{page.failure}"] += 1
        return counts


class CrawlSummary:
    """Counts reports by year and format, failed checks and failed pages; prints them at close.

    Printed to stdout (Scrapy's log goes to stderr), so `scrapy crawl X -L WARNING` shows just this.
    Printed when the engine stops, after the storage pipeline has closed its crawl run, so the
    stored counts (new, changed, unchanged, missing) are final. Disable with `-s GOVCRAWL_SUMMARY=0`.
    `-s GOVCRAWL_STATS_FILE=path.json` also writes the crawl's final stats there as JSON.
    """

    STORED = ("new", "changed", "unchanged", "missing")

    #: the exit codes of `scrapy crawl` (govcrawl/scrapy_commands/crawl.py), worst first; 1 and 2
    #: are Scrapy's own (the crawl could not start; a usage error)
    EXIT_CODES = {
        5: "the crawl did not finish (stopped by a signal, a closespider limit or an error)",
        3: "no report seen: the site's layout may have changed, or the crawl was blocked",
        4: "too many pages failed or were blocked (GOVCRAWL_MAX_FAILED_SHARE)",
    }

    #: URLs the summary lists at most per kind (failed, new, changed, missing):
    #: GOVCRAWL_SUMMARY_URLS; `govcrawl failures --last` and the database have them all
    SUMMARY_URLS = 10

    def __init__(self, crawler):
        self.crawler = crawler
        self.reports: Counter = Counter()
        self.failed_checks: Counter = Counter()
        self.failed_pages: Counter = Counter()
        #: the first failures of the crawl: (url, kind, reason)
        self.failures: list[tuple[str, str, str]] = []
        self.url_cap = crawler.settings.getint("GOVCRAWL_SUMMARY_URLS", self.SUMMARY_URLS) \
            if crawler is not None else self.SUMMARY_URLS
        self.spider_name = ""
        self.reason = "finished"
        #: the pages and their outcomes (set by from_crawler; None when built without a crawl)
        self.outcomes: PageOutcomes | None = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        ext.outcomes = PageOutcomes.for_crawler(crawler)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.page_failed, signal=page_failed)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def item_scraped(self, item, **kwargs):
        if not isinstance(item, dict) or not item.get("is_report"):
            return
        key = (item.get("year"), item.get("format"))
        self.reports[key] += 1
        self.failed_checks[key] += sum(1 for c in item.get("checks") or ()
                                       if c.get("status") == "fail")

    def page_failed(self, kind="error", url=None, reason="", **kwargs):
        self.failed_pages[kind] += 1
        if url and len(self.failures) < self.url_cap:
            self.failures.append((url, kind, reason or ""))

    def spider_closed(self, spider, reason):
        self.spider_name, self.reason = spider.name, reason

    def engine_stopped(self):
        if not self.spider_name:
            return
        for key, value in self.page_counts().items():
            self.crawler.stats.set_value(f"govcrawl/pages/{key}", value)
        if self.saw_no_report():
            # a nightly crawl that sees nothing usually means the site changed its layout or
            # blocked us: say so loudly instead of finishing quietly
            logger.warning("crawl '%s' saw no report at all: the site's layout may have changed, "
                           "or the crawl was blocked", self.spider_name)
            self.crawler.stats.set_value("govcrawl/no_report_seen", 1)
        code = self.exit_code()
        self.crawler.stats.set_value("govcrawl/exit_code", code)
        if code:
            logger.warning("crawl '%s': exit code %d: %s", self.spider_name, code, self.EXIT_CODES[code])
        stats_file = self.crawler.settings.get("GOVCRAWL_STATS_FILE")
        if stats_file:  # for monitoring nightly runs (and bench/bench_crawl.py)
            Path(stats_file).write_text(
                json.dumps(self.crawler.stats.get_stats(), default=str, indent=1), "utf-8")
        if self.crawler.settings.getbool("GOVCRAWL_SUMMARY", True):
            print(self.render(self.spider_name, self.reason), file=sys.stdout, flush=True)

    def failed_share(self) -> float:
        """Failed and blocked pages over the pages the crawl requested (each page once, its
        retries and redirects included; robots.txt is not the crawl's); without page counts
        (no crawl), failure signals over the downloads."""
        counts = self.page_counts()
        if counts["requested"]:
            return (counts["failed"] + counts["blocked"]) / counts["requested"]
        requests = self.crawler.stats.get_value("downloader/request_count") or 0
        return sum(self.failed_pages.values()) / requests if requests else 0.0

    def page_counts(self) -> Counter:
        """`PageOutcomes.counts`, with the stored pages split by the storage's counts: `stored`
        the new or changed reports, and re-read pages identical to their stored version moved to
        `unchanged`."""
        counts = self.outcomes.counts() if self.outcomes is not None else Counter(requested=0)
        if self._storage_enabled():
            stats = self.crawler.stats
            new_or_changed = sum(stats.get_value(f"govcrawl/storage/{k}", 0) for k in ("new", "changed"))
            same = max(0, counts["stored"] - new_or_changed)
            counts["stored"] -= same
            counts["unchanged"] += same
        return counts

    def accounting_line(self) -> str:
        """`pages: N requested = a stored + b unchanged + c not a report (of which L listing
        pages) + d failed + e blocked` (`+ k cut off` when the crawl stopped with pages in
        progress; the pages it left queued, or another worker took, named after): every page
        requested, in exactly one outcome."""
        c = self.page_counts()
        line = (f"pages: {c['requested']} requested = {c['stored']} stored + {c['unchanged']} unchanged"
                f" + {c['not_report']} not a report (of which {c['listing']} listing pages)"
                f" + {c['failed']} failed + {c['blocked']} blocked")
        if c["cut_off"]:
            line += f" + {c['cut_off']} cut off"
        if c["left_queued"]:
            line += f"; {c['left_queued']} more left queued, never started here"
        return line

    def _storage_enabled(self) -> bool:
        pipelines = self.crawler.settings.getdict("ITEM_PIPELINES") or {}
        return pipelines.get("govcrawl.pipelines.storage.StoragePipeline") is not None

    def exit_code(self) -> int:
        """The night's verdict for cron: 0 when it went right, else the worst of EXIT_CODES."""
        if self.reason != "finished":
            return 5
        if self.saw_no_report():
            return 3
        if self.failed_share() > self.crawler.settings.getfloat("GOVCRAWL_MAX_FAILED_SHARE", 0.2):
            return 4
        return 0

    def saw_no_report(self) -> bool:
        """No report extracted, and (with storage) none found unchanged either."""
        stats = self.crawler.stats
        seen = sum(self.reports.values()) + (stats.get_value("govcrawl/storage/unchanged") or 0) \
            + (stats.get_value("govcrawl/storage/resumed_seen") or 0)  # a JOBDIR run resumed
        return seen == 0

    def render(self, name: str, reason: str) -> str:
        total = sum(self.reports.values())
        lines = [f"govcrawl: crawl '{name}' {reason}: {total} new or changed report(s) extracted"]
        if total:
            lines.append(f"  {'year':<6}{'format':<12}{'reports':>8}{'checks failed':>15}")
            for (year, fmt), n in sorted(self.reports.items(), key=lambda kv: (str(kv[0][0]), kv[0][1] or "")):
                lines.append(f"  {year!s:<6}{fmt or '-':<12}{n:>8}{self.failed_checks[(year, fmt)]:>15}")
        if self.saw_no_report():
            lines.append("  WARNING: no report seen: the site's layout may have changed, or the crawl was blocked")
        failed = ", ".join(f"{k}: {v}" for k, v in sorted(self.failed_pages.items())) or "none"
        lines.append(f"  pages failed: {failed}")
        lines.append(f"  {self.accounting_line()}")
        code = self.exit_code()
        if code:
            lines.append(f"  exit code {code}: {self.EXIT_CODES[code]}")
        lines.extend(self._url_list("failed", sum(self.failed_pages.values()),
                                    [f"{url}  [{kind}: {reason}]" for url, kind, reason in self.failures]))
        if "govcrawl.pipelines.storage.StoragePipeline" in (self.crawler.settings.getdict("ITEM_PIPELINES") or {}):
            stats = self.crawler.stats
            counts = ", ".join(f"{stats.get_value(f'govcrawl/storage/{k}', 0)} {k}" for k in self.STORED)
            database = display_url(resolve_database_url(self.crawler.settings.get("GOVCRAWL_DATABASE_URL")))
            lines.append(f"  stored: {counts} (in {database})")
            storage = getattr(self.crawler, CrawlStorage._ATTR, None)
            if storage is not None:
                for outcome in ("new", "changed", "missing"):
                    lines.extend(self._url_list(outcome, stats.get_value(f"govcrawl/storage/{outcome}", 0),
                                                storage.urls.get(outcome, [])))
        return "\n".join(lines)

    def _url_list(self, what: str, total: int, entries: list[str]) -> list[str]:
        """`  failed (12, the first 10):` and one line per entry; nothing when there are none."""
        shown = entries[: self.url_cap]
        if not total or not shown:
            return []
        more = f", the first {len(shown)}" if total > len(shown) else ""
        return [f"  {what} ({total}{more}):", *(f"    {entry}" for entry in shown)]


class ProgressLog:
    """One line on how far the crawl has come, every `GOVCRAWL_PROGRESS_INTERVAL` seconds (300;
    0 switches it off), logged at WARNING so that it shows under the README's `-L WARNING`:

        progress: 14 min, 1234 pages requested: 120 stored, 980 unchanged, 60 not a report,
        4 failed, 0 blocked; 70 in progress or queued; 88.1 pages/min

    The counts are the summary's (`PageOutcomes`); Scrapy's own LogStats says less, at INFO.
    """

    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.outcomes = PageOutcomes.for_crawler(crawler)
        self.started: float | None = None
        self._task = None

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("GOVCRAWL_PROGRESS_INTERVAL", 300.0)
        if interval <= 0:
            raise NotConfigured
        ext = cls(crawler, interval)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider):
        from twisted.internet import task

        self.started = time.monotonic()
        self._task = task.LoopingCall(self.log_progress)
        self._task.start(self.interval, now=False)

    def spider_closed(self, spider, reason):
        if self._task is not None and self._task.running:
            self._task.stop()

    def line(self) -> str:
        c = self.outcomes.counts()
        minutes = (time.monotonic() - self.started) / 60 if self.started is not None else 0.0
        rate = f"; {c['requested'] / minutes:.1f} pages/min" if minutes > 0 else ""
        return (f"progress: {minutes:.0f} min, {c['requested']} pages requested: {c['stored']} stored, "
                f"{c['unchanged']} unchanged, {c['not_report']} not a report, {c['failed']} failed, "
                f"{c['blocked']} blocked; {c['cut_off']} in progress or queued{rate}")

    def log_progress(self):
        logger.warning("%s", self.line())


class StopGuard:
    """A crawl stops within seconds of SIGTERM/SIGINT, whatever it is doing.

    Scrapy's first signal starts a graceful stop, which waits for every download in flight (up to
    DOWNLOAD_TIMEOUT) and every page in the pipelines. When the engine has been stopping for
    `GOVCRAWL_STOP_GRACE` seconds (5), this sends the process the second signal, Scrapy's forced
    stop, after `stop_forced` has let the components end their work (the extraction workers are
    killed; storage writes each report in one transaction, so nothing half-written is left).
    `GOVCRAWL_STOP_GRACE=0` switches it off.
    """

    def __init__(self, crawler, grace: float):
        self.crawler = crawler
        self.grace = grace
        self._timer: threading.Timer | None = None
        self._poll = None

    @classmethod
    def from_crawler(cls, crawler):
        grace = crawler.settings.getfloat("GOVCRAWL_STOP_GRACE", 5.0)
        if grace <= 0:
            raise NotConfigured
        guard = cls(crawler, grace)
        crawler.signals.connect(guard.engine_started, signal=signals.engine_started)
        crawler.signals.connect(guard.engine_stopped, signal=signals.engine_stopped)
        return guard

    def engine_started(self):
        from twisted.internet import task

        self._poll = task.LoopingCall(self._check)
        self._poll.start(0.5, now=False)

    def _check(self):
        engine = self.crawler.engine
        if engine is not None and not engine.running and self._timer is None:
            logger.info("stopping: forced in %.0fs unless the crawl has stopped by then", self.grace)
            self._timer = threading.Timer(self.grace, self._force)
            self._timer.daemon = True
            self._timer.start()

    def _force(self):
        from twisted.internet import reactor

        reactor.callFromThread(self._force_in_reactor)

    def _force_in_reactor(self):
        logger.warning("the crawl did not stop within %.0fs: forcing it", self.grace)
        self.crawler.stats.set_value("govcrawl/stop_forced", 1)
        self.crawler.stats.set_value("govcrawl/exit_code", 5)  # the summary will not run
        self.crawler.signals.send_catch_log(stop_forced)
        os.kill(os.getpid(), signal.SIGINT)  # Scrapy's second signal: stop the reactor now

    def engine_stopped(self):
        if self._poll is not None and self._poll.running:
            self._poll.stop()
        if self._timer is not None:
            self._timer.cancel()
