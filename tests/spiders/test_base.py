"""govcrawl/spiders/base.py: what every failed request is recorded as, and the listing budget
(distinct pages, a cap recorded as a failure of kind `limit`)."""

from __future__ import annotations

import asyncio

import scrapy
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest, ResponseDataLossError
from scrapy.http import HtmlResponse, Request
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from govcrawl.cms import plain, trs
from govcrawl.middlewares import BlockedByWaf
from govcrawl.signals import page_failed
from govcrawl.spiders.base import ReportSpider, failure_outcome
from govcrawl.storage.middleware import PageUnchanged

SITE = "http://www.example.gov.cn"
COLUMN = f"{SITE}/zfxxgk/ndbg/"


def failure_of(exc: Exception, request: Request) -> Failure:
    try:
        raise exc
    except Exception:
        failure = Failure()
    failure.request = request  # what Scrapy sets on a download failure
    return failure


def redirected(url: str, *hops: str) -> Request:
    return Request(url, meta={"redirect_urls": list(hops), "govcrawl_kind": "detail"})


# --- failure_outcome ---------------------------------------------------------------------------
def test_error_statuses_are_http_failures_naming_the_status_first():
    request = Request(f"{COLUMN}a.html")
    response = HtmlResponse(request.url, status=404, request=request)
    assert failure_outcome(failure_of(HttpError(response, "ignored"), request)) == ("http", "HTTP 404")
    # after a redirect the chain follows the status, never before it (`HTTP 404` means gone)
    hop = redirected(f"{COLUMN}new.html", f"{COLUMN}old.html")
    response = HtmlResponse(hop.url, status=500, request=hop)
    assert failure_outcome(failure_of(HttpError(response, "ignored"), hop)) == (
        "http", f"HTTP 500 (redirected: {COLUMN}old.html -> {COLUMN}new.html)")


def test_network_errors_and_timeouts_are_http_failures():
    request = Request(f"{COLUMN}a.html")
    assert failure_outcome(failure_of(DownloadTimeoutError("took longer than 3.0 seconds."), request)) == (
        "http", "DownloadTimeoutError: took longer than 3.0 seconds.")
    assert failure_outcome(failure_of(ResponseDataLossError(), request)) == ("http", "ResponseDataLossError")


def test_ignored_requests_are_failures_with_a_reason():
    request = Request(f"{COLUMN}private/a.html")
    assert failure_outcome(failure_of(IgnoreRequest("Forbidden by robots.txt"), request)) == (
        "robots", "forbidden by robots.txt")
    hop = redirected(f"{COLUMN}hop/10", f"{COLUMN}a.html", *(f"{COLUMN}hop/{n}" for n in range(1, 10)))
    kind, reason = failure_outcome(failure_of(IgnoreRequest("max redirections reached"), hop), max_redirects=10)
    assert kind == "http"
    assert reason.startswith(f"too many redirects (REDIRECT_MAX_TIMES 10): {COLUMN}a.html -> {COLUMN}hop/1 -> ")
    bomb = "Ignored response <200 x> because its body (65250 B compressed, ...) exceeded DOWNLOAD_MAXSIZE"
    assert failure_outcome(failure_of(IgnoreRequest(bomb), request)) == ("ignored", bomb)


def test_requests_counted_elsewhere_are_not_failures_again():
    request = Request(f"{COLUMN}a.html")
    assert failure_outcome(failure_of(PageUnchanged("unchanged"), request)) is None
    assert failure_outcome(failure_of(BlockedByWaf("blocked by ruishu WAF challenge"), request)) is None


class Spider(ReportSpider):
    name = "test_base"
    family = plain.FAMILY
    start_urls = [COLUMN]


class TrsSpider(Spider):
    family = trs.FAMILY


def spider_with(cls=Spider, **settings):
    crawler = get_crawler(cls, settings_dict=settings)
    spider = cls.from_crawler(crawler)
    failures: list[dict] = []

    def on_failed(**kwargs):  # kept referenced: signal receivers are weak references
        failures.append(kwargs)

    crawler.signals.connect(on_failed, signal=page_failed)
    spider._on_failed = on_failed
    return spider, failures


def test_on_error_records_the_page_the_crawl_asked_for():
    spider, failures = spider_with()
    hop = redirected(f"{COLUMN}hop/1", f"{COLUMN}a.html")
    spider.on_error(failure_of(IgnoreRequest("Forbidden by robots.txt"), hop))
    assert [(f["url"], f["kind"]) for f in failures] == [(f"{COLUMN}a.html", "robots")]
    assert failures[0]["request"] is hop
    spider.on_error(failure_of(PageUnchanged("x"), Request(f"{COLUMN}b.html")))
    assert len(failures) == 1
    assert spider.crawler.stats.get_value("govcrawl/pages_failed_robots") == 1


# --- the listing budget ------------------------------------------------------------------------------
def listing(url: str, body: str) -> HtmlResponse:
    return HtmlResponse(url, body=f"<html><body>{body}</body></html>".encode(), encoding="utf-8",
                        request=Request(url, meta={"govcrawl_kind": "listing"}))


def listing_urls(outputs) -> list[str]:
    return [r.url for r in outputs if isinstance(r, scrapy.Request) and r.meta.get("govcrawl_kind") == "listing"]


def trs_page(url: str, count: int, current: int) -> HtmlResponse:
    return listing(url, f'<script>createPageHTML({count}, {current}, "index", "html");</script>')


def started(spider) -> list[str]:
    async def urls():
        return [r.url async for r in spider.start()]
    return asyncio.run(urls())


def test_the_budget_counts_distinct_listing_pages():
    spider, failures = spider_with(TrsSpider, GOVCRAWL_MAX_LISTING_PAGES=6)
    assert started(spider) == [COLUMN]
    # every page of a TRS column names all the others: only new ones are asked for and counted
    first = listing_urls(spider.parse_listing(trs_page(COLUMN, 6, 0)))
    assert first == [f"{COLUMN}index_{n}.html" for n in range(1, 6)]
    for n in range(1, 6):
        assert listing_urls(spider.parse_listing(trs_page(f"{COLUMN}index_{n}.html", 6, n))) == []
    assert failures == []  # six pages announced, six in the budget: nothing capped


def test_a_huge_page_count_is_capped_and_recorded_once():
    spider, failures = spider_with(TrsSpider, GOVCRAWL_MAX_LISTING_PAGES=5)
    started(spider)
    assert listing_urls(spider.parse_listing(trs_page(COLUMN, 2_000_000, 0))) == [
        f"{COLUMN}index_{n}.html" for n in range(1, 5)]
    assert listing_urls(spider.parse_listing(trs_page(f"{COLUMN}index_1.html", 2_000_000, 1))) == []
    assert [(f["url"], f["kind"], f["reason"]) for f in failures] == [
        (COLUMN, "limit", "listing pages capped at 5 of 2000000 announced")]


def test_links_over_the_budget_are_left_out_and_recorded():
    spider, failures = spider_with(Spider, GOVCRAWL_MAX_LISTING_PAGES=4)
    started(spider)
    # ten year sub-columns, no page count: three fit beside the column itself
    years = "".join(f'<a href="./{y}year/">{y}年</a>' for y in range(2015, 2025))
    assert listing_urls(spider.parse_listing(listing(COLUMN, years))) == [
        f"{COLUMN}{y}year/" for y in (2015, 2016, 2017)]
    assert [(f["kind"], f["reason"]) for f in failures] == [("limit", "listing pages capped at 4: 7 more linked")]


def test_the_budget_is_a_setting():
    spider, _ = spider_with(Spider, GOVCRAWL_MAX_LISTING_PAGES=7)
    assert spider.max_listing_pages == 7
    assert spider_with(Spider)[0].max_listing_pages == 300
