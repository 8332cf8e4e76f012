"""DistributedScheduler: scrapy-redis's scheduler over the crawl's per-host queue.

scrapy-redis's `Scheduler` with `HostQueue` (govcrawl/distributed/queue.py) and
`DistributedDupeFilter`, under the crawl's key prefix. What it adds:

- a request is handed out only with its host's lease (one request at a time per host for the
  whole crawl), and is acknowledged only once the engine is done with it (`Coordinator.flush`);
- `has_pending_requests` speaks for the whole crawl: a worker with nothing to do stays while the
  start requests are not all queued or other workers still hold requests (their callbacks may
  queue more), and the engine closes it, "finished", once the crawl has nothing left;
- when no host is free, the engine is woken when one may be (instead of its 5 s heartbeat);
- pages change hands with their requests: a request queued here is counted (govcrawl/extensions.py
  PageOutcomes) by the worker that takes it, which announces it again (`request_scheduled`), so
  each page is accounted once, by the worker that fetched it, and its scope is known there
  (CrawlStorage.request_scheduled).
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy_redis.scheduler import Scheduler
from twisted.python.failure import Failure

from govcrawl.distributed.coordinator import Coordinator
from govcrawl.distributed.dupefilter import DistributedDupeFilter
from govcrawl.distributed.queue import HostQueue
from govcrawl.extensions import PAGE_KEY, PageOutcomes

logger = logging.getLogger(__name__)

#: request meta: (request id, slot) of a request this worker took from the queue
LEASE_META = "_govcrawl_lease"
#: request meta: the request went past every middleware to the download handler
SENT_META = "_govcrawl_sent"
#: request meta: the slot whose lease a request the queue did not hand out took (robots.txt)
OWN_LEASE_META = "_govcrawl_own_lease"
#: meta that belongs to the worker holding a request, never serialized into the queue
WORKER_META = (LEASE_META, SENT_META, OWN_LEASE_META, PAGE_KEY)


class DistributedScheduler(Scheduler):
    #: seconds at most between two looks at the queue while this worker waits for a host
    POLL = 0.1

    def __init__(self, server, *, crawler, coordinator: Coordinator, **kwargs):
        super().__init__(server, persist=True, **kwargs)
        self.crawler = crawler
        self.coordinator = coordinator

    @classmethod
    def from_settings(cls, settings):
        raise TypeError("DistributedScheduler needs a crawler: use from_crawler")

    @classmethod
    def from_crawler(cls, crawler):
        coordinator = Coordinator.for_crawler(crawler)
        coordinator.server.ping()  # a Redis that cannot be reached fails the start, not the crawl
        # join the crawl before anything else opens: a worker refused (its crawl is over) starts
        # nothing, not even a run
        coordinator.open(crawler.spider)
        scheduler = cls(coordinator.server, crawler=crawler, coordinator=coordinator)
        scheduler.stats = crawler.stats
        return scheduler

    def open(self, spider):
        self.spider = spider
        coordinator = self.coordinator
        self.df = DistributedDupeFilter(self.server, coordinator.key("dupefilter"),
                                        debug=self.crawler.settings.getbool("DUPEFILTER_DEBUG"),
                                        fingerprinter=self.crawler.request_fingerprinter)
        self.queue = HostQueue(self.server, spider, coordinator.prefix, self.serializer,
                               worker=coordinator.worker, lease_ms=coordinator.config.lease_ms,
                               dupefilter_key=self.df.key, slot_of=coordinator.slot_of,
                               strip_meta=WORKER_META)
        coordinator.queue = self.queue
        queued = len(self.queue)
        if queued:
            logger.info("distributed: joining a crawl under way: %d request(s) queued", queued)

    def close(self, reason):
        coordinator = self.coordinator
        if reason == "finished":
            coordinator.flush(closing=True)
        # whatever is still taken was cut off by the stop: another worker (or the next start)
        # does it again, which stores nothing twice
        coordinator.give_back()
        if coordinator.seeding:
            self.server.delete(coordinator.key("seeding"))  # let another worker queue them

    # --- requests in -------------------------------------------------------------------------------
    def enqueue_request(self, request):
        fingerprint = self.df.request_fingerprint(request)
        request_id = self.queue.push(request, fingerprint)
        self._hand_over(request, queued=request_id is not None)
        if request_id is None:
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def _hand_over(self, request, queued: bool) -> None:
        """The page of a request queued (or dropped as a duplicate) here is no longer this worker's
        to account for: forget it unless it has an outcome, or answered here (a request carrying
        the meta of a page this worker fetched), or is a redirect the dupefilter drops (PageOutcomes
        records that failure itself, on `request_dropped`)."""
        key = request.meta.get(PAGE_KEY)
        outcomes = getattr(self.crawler, PageOutcomes._ATTR, None)
        if not key or outcomes is None or (not queued and request.meta.get("redirect_urls")):
            return
        page = outcomes.pages.get(key)
        if page is not None and page.outcome is None and not page.answered:
            del outcomes.pages[key]

    # --- requests out ------------------------------------------------------------------------------
    def next_request(self):
        coordinator = self.coordinator
        coordinator.flush()
        for _ in range(8):  # a few announced requests may be refused (an offsite redirect)
            request_id, request, slot, wait = self.queue.take()
            if request is None:
                # nothing queued (other workers' callbacks may queue more), or every host with
                # requests is leased or in its delay: ask again soon, a Lua call costs little
                self._wake_in(self.POLL if wait < 0 else min(max(wait, 0.005), self.POLL))
                return None
            assert request_id is not None and slot is not None
            request.meta[LEASE_META] = (request_id, slot)
            coordinator.took(request_id, request, slot)
            if self._announce(request):
                if self.stats:
                    self.stats.inc_value("scheduler/dequeued/redis")
                return request
        return None

    def _announce(self, request) -> bool:
        """Send `request_scheduled` for a request taken here (its page is this worker's now);
        False when a handler refuses it (IgnoreRequest), which finishes it."""
        results = self.crawler.signals.send_catch_log(signals.request_scheduled, request=request,
                                                      spider=self.spider, dont_log=IgnoreRequest)
        refused = any(isinstance(r, Failure) and isinstance(r.value, IgnoreRequest) for _, r in results)
        if refused:
            request_id, slot = request.meta[LEASE_META]
            self.coordinator.queue.ack([request_id])  # type: ignore[union-attr]
            self.coordinator.taken.pop(request_id, None)
            self.coordinator.release(slot, request_id, 0.0)
        return not refused

    def _wake_in(self, delay: float) -> None:
        """Have the engine ask again in `delay` seconds. Scrapy offers no public way: without the
        engine's slot the engine asks on its own heartbeat (5 s)."""
        engine = getattr(self.crawler, "engine", None)
        nextcall = getattr(getattr(engine, "_slot", None), "nextcall", None)
        if nextcall is not None:
            nextcall.schedule(delay)

    def has_pending_requests(self):
        self.coordinator.flush()
        return self.coordinator.crawl_pending()
