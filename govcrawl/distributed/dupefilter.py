"""scrapy-redis's dupefilter with the project's request fingerprints and the crawl's own key.

The fingerprints are Scrapy's (`crawler.request_fingerprinter`, REQUEST_FINGERPRINTER_IMPLEMENTATION
2.7), the same the rest of the crawl uses to name a page (govcrawl/extensions.py PageOutcomes),
rather than scrapy-redis's own JSON hash. The scheduler records a fingerprint in the same Lua step
that queues the request (govcrawl/distributed/queue.py), so `request_seen` is there for other
users of the filter only.
"""

from __future__ import annotations

from scrapy_redis.dupefilter import RFPDupeFilter


class DistributedDupeFilter(RFPDupeFilter):
    def __init__(self, server, key: str, debug: bool = False, fingerprinter=None):
        super().__init__(server, key, debug)
        self.fingerprinter = fingerprinter

    def request_fingerprint(self, request) -> str:
        if self.fingerprinter is None:
            return super().request_fingerprint(request)
        return self.fingerprinter.fingerprint(request).hex()

    def close(self, reason: str = "") -> None:
        # scrapy-redis deletes the fingerprints here; they belong to the whole crawl, which its
        # last worker cleans up (govcrawl/distributed/coordinator.py)
        pass
