"""Downloader middlewares: charset repair and WAF-challenge detection."""

from __future__ import annotations

import logging

from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse

from govcrawl.extract.encoding import detect_encoding
from govcrawl.signals import page_failed

logger = logging.getLogger(__name__)


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
        self.crawler.signals.send_catch_log(page_failed, url=request.url, kind="blocked",
                                            reason=reason)
        raise BlockedByWaf(reason)
