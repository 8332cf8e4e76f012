"""Crawl-wide extensions: the summary a person reads and the exit code cron reads (CrawlSummary),
and a bounded stop (StopGuard)."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
from collections import Counter
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured

from govcrawl.signals import page_failed, stop_forced

logger = logging.getLogger(__name__)


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

    def __init__(self, crawler):
        self.crawler = crawler
        self.reports: Counter = Counter()
        self.failed_checks: Counter = Counter()
        self.failed_pages: Counter = Counter()
        self.spider_name = ""
        self.reason = "finished"

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
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

    def page_failed(self, kind="error", **kwargs):
        self.failed_pages[kind] += 1

    def spider_closed(self, spider, reason):
        self.spider_name, self.reason = spider.name, reason

    def engine_stopped(self):
        if not self.spider_name:
            return
        stats_file = self.crawler.settings.get("GOVCRAWL_STATS_FILE")
        if stats_file:  # for monitoring nightly runs (and bench/bench_crawl.py)
            Path(stats_file).write_text(
                json.dumps(self.crawler.stats.get_stats(), default=str, indent=1), "utf-8")
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
        if self.crawler.settings.getbool("GOVCRAWL_SUMMARY", True):
            print(self.render(self.spider_name, self.reason), file=sys.stdout, flush=True)

    def failed_share(self) -> float:
        """Failed and blocked pages over the requests the crawl made."""
        requests = self.crawler.stats.get_value("downloader/request_count") or 0
        return sum(self.failed_pages.values()) / requests if requests else 0.0

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
        code = self.exit_code()
        if code:
            lines.append(f"  exit code {code}: {self.EXIT_CODES[code]}")
        if "govcrawl.pipelines.storage.StoragePipeline" in (self.crawler.settings.getdict("ITEM_PIPELINES") or {}):
            stats = self.crawler.stats
            counts = ", ".join(f"{stats.get_value(f'govcrawl/storage/{k}', 0)} {k}" for k in self.STORED)
            lines.append(f"  stored: {counts} (in {self.crawler.settings.get('GOVCRAWL_DATABASE_URL')})")
        return "\n".join(lines)


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
