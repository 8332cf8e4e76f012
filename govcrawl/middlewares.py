"""Downloader middlewares: charset repair, WAF-challenge detection, and an offsite filter that
records what it drops.

Also the two helpers every failure report uses: `origin_url` (the URL the crawl asked for, the
first of a redirect chain: failures are recorded under it, so the stored report there stays
`active`) and `redirect_chain` (`a -> b -> c`, for reasons).
"""

from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse

from govcrawl.extract.encoding import detect_encoding
from govcrawl.signals import page_failed

logger = logging.getLogger(__name__)


def origin_url(request) -> str:
    """The URL the crawl asked for: the first of the request's redirect chain, else its own."""
    return (request.meta.get("redirect_urls") or [request.url])[0]


def redirect_chain(request) -> str:
    """`a -> b -> c`: the URLs a (redirected) request went through, its own last."""
    return " -> ".join([*request.meta.get("redirect_urls", ()), request.url])


class CharsetMiddleware:
    """Re-decode text responses whose declared (or guessed) charset is wrong.

    Scrapy trusts the HTTP header over <meta>, and with neither falls back to cp1252, which
    silently garbles GBK pages. `detect_encoding` picks the declaration that actually decodes.
    """

    def process_response(self, request, response):
        if not isinstance(response, TextResponse):
            return response
        encoding = detect_encoding(response.body, None, response.headers.get("Content-Type"))
        if encoding.replace("-sig", "") != (response.encoding or "").lower().replace("_", "-"):
            return response.replace(encoding=encoding)
        return response


class BlockedByWaf(IgnoreRequest):
    """A WAF challenge page: the site refuses automated access. Recorded, never retried or bypassed."""


#: (WAF name, status codes, body markers) — any marker on a matching status means a challenge
WAF_SIGNATURES = (
    ("ruishu", (202, 400, 412), (rb"$_ts", rb"_$", rb"FSSBBIl1UgzbN7N")),
    ("jiasule", (521, 403), (rb"__jsl_clearance", rb"document.cookie", rb"jsl")),
    ("generic", (403, 405, 412, 418, 429, 468, 521),
     (rb"waf", rb"WAF", rb"\xe8\xae\xbf\xe9\x97\xae\xe8\xa2\xab\xe6\x8b\xa6\xe6\x88\xaa")),
)


def waf_name(status: int, body: bytes) -> str | None:
    """The WAF whose challenge this response is, or None."""
    head = body[:20000]
    for name, statuses, markers in WAF_SIGNATURES:
        if status in statuses and any(m in head for m in markers):
            return name
    if status in (412, 521):  # challenge statuses even without a recognisable body
        return "unknown"
    return None


class WafDetectionMiddleware:
    """Turn WAF challenges into a `page_failed(kind="blocked")` signal and an IgnoreRequest."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response):
        name = waf_name(response.status, response.body)
        if name is None:
            return response
        reason = f"blocked by {name} WAF challenge (HTTP {response.status})"
        logger.warning("%s: %s", request.url, reason)
        self.crawler.stats.inc_value("govcrawl/pages_blocked")
        self.crawler.signals.send_catch_log(page_failed, url=origin_url(request), kind="blocked",
                                            reason=reason, request=request)
        raise BlockedByWaf(reason)


class RecordingOffsiteMiddleware(OffsiteMiddleware):
    """Scrapy's OffsiteMiddleware (in its place, DOWNLOADER_MIDDLEWARES), recording what it drops.

    Scrapy filters offsite requests when they are scheduled (`request_scheduled`): a dropped
    request reaches no errback and sends no `request_dropped`, so a stored report whose page now
    redirects to another host would vanish without a trace and be marked missing. Every request of
    the crawl (`meta["govcrawl_kind"]`) it drops becomes a failure, once per page, under the URL
    the crawl asked for: kind `http` for a redirect off the site ("redirected off-site: a -> b"),
    `ignored` for a report or file linked straight on another host (out of the spider's
    `allowed_domains`: visible, so the domains can be widened). Requests of other components
    (robots.txt) are Scrapy's business.
    """

    def __init__(self, stats):
        super().__init__(stats)
        self._recorded: set[str] = set()

    def request_scheduled(self, request, spider):
        try:
            super().request_scheduled(request, spider)
        except IgnoreRequest as exc:
            if request.meta.get("govcrawl_kind"):
                self._record(request, str(exc))
            raise

    def _record(self, request, message: str) -> None:
        url = origin_url(request)
        if url in self._recorded:
            return
        self._recorded.add(url)
        if request.meta.get("redirect_urls"):
            kind, reason = "http", f"redirected off-site: {redirect_chain(request)} ({message})"
        else:
            kind, reason = "ignored", f"off-site: {message}"
        logger.warning("%s failed (%s): %s", url, kind, reason)
        self.stats.inc_value(f"govcrawl/pages_failed_{kind}")
        self.crawler.signals.send_catch_log(page_failed, url=url, kind=kind, reason=reason,
                                            request=request)
