"""The distributed crawl's middlewares: host leases around downloads, and seeding the queue once.

HostLeaseMiddleware (a downloader middleware, next to the download handler): a request the queue
handed out holds its host's lease already (govcrawl/distributed/queue.py); when its download is
over, the host is given back with the download delay still to run (the downloader slot's delay,
as AutoThrottle has set it, with its jitter), so the delay holds between the requests of all
workers, not only of this one. A request the queue did not hand out (RobotsTxtMiddleware's
robots.txt, `engine.download`) takes the host's lease first, waiting without holding the reactor,
unless this worker holds the host already: robots.txt is fetched for a request that holds its
host and waits for it, so the two never overlap.

SeedMiddleware (a spider middleware wrapping `start()`): the first worker to arrive queues the
spider's start requests for the whole crawl (a Redis flag under a lease); every other worker
reads its own `start()` for what it does besides (a catalog's plan, the listing budget) and hands
none of its requests to the engine. Should the seeding worker die before it has queued them all,
another one queues them again (Coordinator._maybe_reseed).
"""

from __future__ import annotations

from scrapy import Request

from govcrawl.distributed.coordinator import Coordinator
from govcrawl.distributed.scheduler import LEASE_META, OWN_LEASE_META, SENT_META


class HostLeaseMiddleware:
    def __init__(self, crawler, coordinator: Coordinator):
        self.crawler = crawler
        self.coordinator = coordinator
        self._own = 0

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, Coordinator.for_crawler(crawler))

    async def process_request(self, request):
        if request.meta.get(LEASE_META) is None:
            slot = self.coordinator.slot_of(request)
            if slot not in self.coordinator.held:
                self._own += 1
                holder = f"own:{self._own}"
                await self.coordinator.acquire(slot, holder)
                request.meta[OWN_LEASE_META] = (holder, slot)
        request.meta[SENT_META] = True
        return None

    def process_response(self, request, response):
        self._release(request)
        return response

    def process_exception(self, request, exception):
        self._release(request)
        return None

    def _release(self, request) -> None:
        lease = request.meta.get(LEASE_META) or request.meta.get(OWN_LEASE_META)
        if not lease:
            return
        holder, slot = lease
        delay = 0.0
        if request.meta.get(SENT_META):
            downloader = self.crawler.engine.downloader
            local = downloader.slots.get(slot)
            delay = local.download_delay() if local is not None else \
                self.crawler.settings.getfloat("DOWNLOAD_DELAY")
        self.coordinator.release(slot, holder, delay)


class SeedMiddleware:
    def __init__(self, coordinator: Coordinator):
        self.coordinator = coordinator

    @classmethod
    def from_crawler(cls, crawler):
        return cls(Coordinator.for_crawler(crawler))

    async def process_start(self, start):
        coordinator = self.coordinator
        if coordinator.claim_seeding():
            count = 0
            async for item in start:
                count += isinstance(item, Request)
                yield item
            coordinator.seeding_done(count)
        else:
            async for item in start:
                if not isinstance(item, Request):
                    yield item
        coordinator.start_read = True
