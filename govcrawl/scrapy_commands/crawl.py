"""`scrapy crawl`, exiting with the night's verdict so that cron can alarm.

Scrapy's own command exits 0 whatever the crawl saw. This one exits with the code CrawlSummary
(govcrawl/extensions.py) set in the stats: 0 when the night went right, 3 when it saw no report,
4 when too many pages failed or were blocked, 5 when it did not finish; 1 and 2 stay Scrapy's (the
crawl could not start; a usage error). The README lists them.
"""

from __future__ import annotations

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler


class Command(ScrapyCrawlCommand):
    _crawler: Crawler | None = None

    def _create_crawler(self, spidercls) -> Crawler:
        self._crawler = super()._create_crawler(spidercls)
        return self._crawler

    def run(self, args, opts) -> None:
        super().run(args, opts)
        if self.exitcode or self._crawler is None or self._crawler.stats is None:
            return
        self.exitcode = int(self._crawler.stats.get_value("govcrawl/exit_code") or 0)
