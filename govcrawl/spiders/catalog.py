"""The `catalog` spider: every catalog column of a region (or of some agencies, or of a level) in
one crawl, many hosts at once.

    scrapy crawl catalog -a region=520400                    # 安顺市 and everything in it (5204…)
    scrapy crawl catalog -a region=52,33                     # several codes
    scrapy crawl catalog -a key=520400:人民政府,330727:应急管理局
    scrapy crawl catalog -a level=county -a region=52        # 贵州's counties, their bureaus, zones
    scrapy crawl catalog -a region=5204 -a file=columns.csv  # another catalog file

The columns come from govcrawl/catalog/columns.csv (docs/catalog.md); rows sharing a column URL
are crawled once (`govcrawl.catalog.column_groups`). Each column is crawled by its own handler, a
spider object the catalog spider routes its requests through:

- a column an agency spider crawls (its start URL: anshun, panan, guandu, jilin) is crawled by
  that spider's class, with its family, agency hint, region and hooks, in that spider's run scope
  (its name): a catalog crawl and the agency's own nightly run keep one scope and give the same
  records;
- any other column by a `column` spider for that URL (govcrawl/spiders/column.py) with the row's
  CMS family forced, the column's region (the smallest division holding its rows' agencies) and
  agency hint (`ColumnGroup.agency`), in the column spider's scope `column:<url>`.

Every request carries its column (`meta["govcrawl_column"]`) and its run scope
(`meta["govcrawl_scope"]`); FetchedPages carry the scope, reports are stored in it, and a finished
crawl marks missing once per scope it crawled (govcrawl/storage/crawl.py). Requests are re-targeted
to this spider's own callbacks, so a JOBDIR can persist them.

Politeness per host is the project's (CONCURRENT_REQUESTS_PER_DOMAIN=1, the delay, AutoThrottle):
the spider only raises the total concurrency and uses Scrapy's downloader-aware queue, so that one
large site never holds the slots other hosts could use.

Offline (`-s GOVCRAWL_OFFLINE=1`) only the columns whose page the mirror holds are crawled; each
column skipped is logged (a warning naming its host and agencies) and counted in the stats
`catalog/columns_skipped_offline` and `catalog/rows_skipped_offline`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from govcrawl import catalog
from govcrawl.cms import plain
from govcrawl.cms.family import Family, response_meta
from govcrawl.items import FetchedPage, PageHints
from govcrawl.offline import DEFAULT_FIXTURES_DIR, fixture_path
from govcrawl.spiders.base import ReportSpider
from govcrawl.spiders.column import ColumnSpider

#: the callbacks handlers give their requests; each is routed back to the handler by name
_CALLBACKS = ("parse_listing", "parse_detail", "parse_attachment")


def _url_key(url: str) -> str:
    """A column URL without its scheme, host lower-cased: the same column over http and https."""
    parts = urlsplit(url.strip())
    return f"{parts.netloc.lower()}{parts.path or '/'}{'?' + parts.query if parts.query else ''}"


@dataclass
class ColumnPlan:
    """One column of the crawl: its catalog rows, the spider object that crawls it, its scope."""

    group: catalog.ColumnGroup
    handler: ReportSpider
    scope: str

    @property
    def column_url(self) -> str:
        return self.group.column_url


class CatalogSpider(ReportSpider):
    """Every catalog column under `-a region=` (and/or `-a key=`, `-a level=`), one scope each."""

    name = "catalog"
    #: unused: each column is read by its own handler's family
    family: Family = plain.FAMILY
    #: the columns are arguments (rows of the catalog), not start_urls
    url_argument = True
    custom_settings = {
        # many hosts at once; each host still gets one request at a time (the project's
        # CONCURRENT_REQUESTS_PER_DOMAIN) with its delay
        "CONCURRENT_REQUESTS": 32,
        # a queue per download slot (host): a column with hundreds of pages cannot fill the
        # downloader while other hosts wait
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
    }

    def __init__(self, region: str | None = None, key: str | None = None, level: str | None = None,
                 file: str | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not (region or key or level):
            raise ValueError("the catalog spider needs a selection: -a region=520400 (or 52,33), "
                             "-a key=520400:人民政府, or -a level=county")
        self.selection = {k: v for k, v in (("region", region), ("key", key), ("level", level)) if v}
        self.rows = catalog.select(catalog.rows(file), region=region, level=level, key=key)
        if not self.rows:
            raise ValueError(f"no catalog row matches {self._selection_text()}")
        self.groups = catalog.column_groups(self.rows)
        #: the run's own scope; reports are stored in their column's scope, never in this one
        self.crawl_scope = f"catalog:{self._selection_text()}"
        self.plans: dict[str, ColumnPlan] = {}
        #: (group, reason) of the columns not crawled (offline: not in the mirror)
        self.skipped: list[tuple[catalog.ColumnGroup, str]] = []
        self.offline = False

    def _selection_text(self) -> str:
        return " ".join(f"{k}={v}" for k, v in self.selection.items())

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.plan_columns(crawler.settings)
        for plan in spider.plans.values():
            # each column has the crawl's listing budget, and a column capped at it is recorded as
            # a failure (kind `limit`) through the crawl's signals, like an agency spider's own
            plan.handler.crawler = crawler
            plan.handler.max_listing_pages = spider.max_listing_pages
        return spider

    # --- planning ---------------------------------------------------------------------------------
    def plan_columns(self, settings) -> None:
        """Decide each column's handler and scope, and (offline) which columns the mirror holds;
        log and count what is crawled and what is skipped."""
        agency_spiders = _agency_spiders(settings)
        offline = settings.getbool("GOVCRAWL_OFFLINE")
        root = Path(settings.get("GOVCRAWL_FIXTURES_DIR") or DEFAULT_FIXTURES_DIR)
        for group in self.groups:
            if offline:
                reason = _offline_gap(root, group.column_url)
                if reason:
                    self.skipped.append((group, reason))
                    continue
            self.plans[group.column_url] = self._plan(group, agency_spiders.get(_url_key(group.column_url)))
        domains: list[str] = []
        for plan in self.plans.values():
            for domain in getattr(plan.handler, "allowed_domains", None) or []:
                if domain not in domains:
                    domains.append(domain)
        self.allowed_domains = domains
        self.offline = offline

    def report_plan(self) -> None:
        """Log and count the plan (from the start of the crawl on, when the stats exist)."""
        offline = self.offline
        stats = self.crawler.stats
        stats.set_value("govcrawl/catalog/rows_selected", len(self.rows))
        stats.set_value("govcrawl/catalog/columns_selected", len(self.groups))
        stats.set_value("govcrawl/catalog/columns_crawled", len(self.plans))
        stats.set_value("govcrawl/catalog/hosts_crawled", len({p.group.site for p in self.plans.values()}))
        if offline:
            stats.set_value("govcrawl/catalog/columns_skipped_offline", len(self.skipped))
            stats.set_value("govcrawl/catalog/rows_skipped_offline", sum(len(g.rows) for g, _ in self.skipped))
        # one line per host and reason, naming every column and agency skipped
        by_host: dict[tuple[str, str], list[catalog.ColumnGroup]] = {}
        for group, reason in self.skipped:
            by_host.setdefault((urlsplit(group.column_url).netloc.lower(), reason), []).append(group)
        for (host, reason), groups in by_host.items():
            self.logger.warning("catalog: offline, skipped %d column(s) on %s (%s): %s", len(groups), host,
                                reason, "; ".join(f"{g.column_url} ({'、'.join(r.agency for r in g.rows)})"
                                                  for g in groups))
        self.logger.info("catalog %s: %d rows in %d columns; crawling %d columns on %d hosts, %d skipped",
                         self._selection_text(), len(self.rows), len(self.groups), len(self.plans),
                         len({p.group.site for p in self.plans.values()}), len(self.skipped))

    def _plan(self, group: catalog.ColumnGroup, agency_spider: type[ReportSpider] | None) -> ColumnPlan:
        if agency_spider is not None:
            handler: ReportSpider = agency_spider()
            return ColumnPlan(group, handler, handler.crawl_scope or handler.name)
        column = ColumnSpider(url=group.column_url, agency=group.agency, family=group.family)
        column.region_code = group.region_code
        return ColumnPlan(group, column, column.crawl_scope or f"column:{group.column_url}")

    # --- requests ---------------------------------------------------------------------------------
    async def start(self):
        self.report_plan()
        for plan in self.plans.values():
            async for request in plan.handler.start():
                yield self._adopt(request, plan)

    def _adopt(self, request: scrapy.Request, plan: ColumnPlan) -> scrapy.Request:
        """The handler's request, tagged with its column and scope, calling back this spider."""
        name = getattr(request.callback, "__name__", None)
        if name not in _CALLBACKS:
            raise ValueError(f"catalog: a handler request for {request.url} calls back {name!r}")
        meta = {**request.meta, "govcrawl_column": plan.column_url, "govcrawl_scope": plan.scope}
        return request.replace(callback=getattr(self, name), errback=self.on_error, meta=meta)

    def _adopt_all(self, outputs, plan: ColumnPlan):
        for out in outputs:
            if isinstance(out, scrapy.Request):
                yield self._adopt(out, plan)
            else:
                if isinstance(out, FetchedPage):
                    out.scope = plan.scope
                yield out

    def plan_of(self, response: Response) -> ColumnPlan | None:
        return self.plans.get(response_meta(response).get("govcrawl_column", ""))

    # --- callbacks: each routed to the column's handler ----------------------------------------------
    def parse_listing(self, response: Response):
        plan = self.plan_of(response)
        if plan is None:
            self.logger.error("catalog: %s belongs to no planned column", response.url)
            return
        yield from self._adopt_all(plan.handler.parse_listing(response), plan)

    def parse_detail(self, response: Response, hints: PageHints):
        plan = self.plan_of(response)
        if plan is None:
            self.logger.error("catalog: %s belongs to no planned column", response.url)
            return
        yield from self._adopt_all(plan.handler.parse_detail(response, hints), plan)

    def parse_attachment(self, response: Response, hints: PageHints):
        plan = self.plan_of(response)
        if plan is None:
            self.logger.error("catalog: %s belongs to no planned column", response.url)
            return
        yield from self._adopt_all(plan.handler.parse_attachment(response, hints), plan)


def _agency_spiders(settings) -> dict[str, type[ReportSpider]]:
    """Start URL (without scheme) -> the agency spider class that crawls it."""
    from scrapy.spiderloader import SpiderLoader

    loader = SpiderLoader.from_settings(settings)
    found: dict[str, type[ReportSpider]] = {}
    for name in sorted(loader.list()):
        cls = loader.load(name)
        if not isinstance(cls, type) or not issubclass(cls, ReportSpider) or cls.url_argument:
            continue
        for url in getattr(cls, "start_urls", None) or ():
            found.setdefault(_url_key(url), cls)
    return found


def _offline_gap(root: Path, url: str) -> str | None:
    """Why the mirror cannot serve this column (None when it can)."""
    host = urlsplit(url).netloc.lower()
    if not (root / host).is_dir():
        return "no mirror of the host"
    if not fixture_path(root, url).is_file():
        return "the host is mirrored, but not these column pages"
    return None
