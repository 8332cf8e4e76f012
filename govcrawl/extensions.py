"""CrawlSummary: a short summary a person can read, printed when a crawl ends."""

from __future__ import annotations

import json
import logging
import sys
from collections import Counter
from pathlib import Path

from scrapy import signals

from govcrawl.signals import page_failed

logger = logging.getLogger(__name__)


class CrawlSummary:
    """Counts reports by year and format, failed checks and failed pages; prints them at close.

    Printed to stdout (Scrapy's log goes to stderr), so `scrapy crawl X -L WARNING` shows just this.
    Printed when the engine stops, after the storage pipeline has closed its crawl run, so the
    stored counts (new, changed, unchanged, missing) are final. Disable with `-s GOVCRAWL_SUMMARY=0`.
    `-s GOVCRAWL_STATS_FILE=path.json` also writes the crawl's final stats there as JSON.
    """

    STORED = ("new", "changed", "unchanged", "missing")

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
        if self.crawler.settings.getbool("GOVCRAWL_SUMMARY", True):
            print(self.render(self.spider_name, self.reason), file=sys.stdout, flush=True)

    def saw_no_report(self) -> bool:
        """No report extracted, and (with storage) none found unchanged either."""
        stats = self.crawler.stats
        seen = sum(self.reports.values()) + (stats.get_value("govcrawl/storage/unchanged") or 0)
        return seen == 0

    def render(self, name: str, reason: str) -> str:
        total = sum(self.reports.values())
        lines = [f"govcrawl: crawl '{name}' {reason}: {total} new or changed report(s) extracted"]
        if total:
            lines.append(f"  {'year':<6}{'format':<12}{'reports':>8}{'checks failed':>15}")
            for (year, fmt), n in sorted(self.reports.items(), key=lambda kv: (str(kv[0][0]), kv[0][1] or "")):
                lines.append(f"  {str(year):<6}{fmt or '-':<12}{n:>8}{self.failed_checks[(year, fmt)]:>15}")
        if self.saw_no_report():
            lines.append("  WARNING: no report seen: the site's layout may have changed, or the crawl was blocked")
        failed = ", ".join(f"{k}: {v}" for k, v in sorted(self.failed_pages.items())) or "none"
        lines.append(f"  pages failed: {failed}")
        if "govcrawl.pipelines.storage.StoragePipeline" in (self.crawler.settings.getdict("ITEM_PIPELINES") or {}):
            stats = self.crawler.stats
            counts = ", ".join(f"{stats.get_value(f'govcrawl/storage/{k}', 0)} {k}" for k in self.STORED)
            lines.append(f"  stored: {counts} (in {self.crawler.settings.get('GOVCRAWL_DATABASE_URL')})")
        return "\n".join(lines)
