"""One worker's part in a distributed crawl: registration, heartbeat, seeding, and the shared run.

`Coordinator.for_crawler(crawler)` is the worker's one coordinator, shared by the scheduler, the
middlewares and the storage (`CrawlStorage.run_sharing` reads it from the crawler). Keys, under the
crawl's prefix P, besides the queue's (govcrawl/distributed/queue.py):

    P:workers     zset    worker -> registration deadline (renewed by the heartbeat)
    P:seeding     string  the worker queueing the spider's start requests (expires with its lease)
    P:seed        string  "done" once all start requests are queued
    P:run         string  the `crawl_runs` id of the crawl, shared by its workers
    P:runlock     string  held while the first worker creates that row
    P:state:<n>   hash/set what closing the run needs from every worker (CrawlStorage.shared_state):
                          counters summed (HINCRBY), dicts and sets united
    P:closer      string  the worker closing the run (the last one out)
    P:finished    string  the run id of the finished crawl, kept GOVCRAWL_DISTRIBUTED_FINISHED_TTL
                          seconds after every other key is deleted, so that a late worker is refused

What a worker has taken stays in P:processing until it is finished: the scheduler acknowledges a
request once the engine is done with it (downloaded, called back, its items through the pipelines),
and only after this worker's counts and failures are in Redis, so a worker killed at any moment has
either handed in a request's outcome or left the request to be taken over when its lease runs out.

The crawl's `crawl_runs` row: the first worker creates it (under P:runlock) and every worker stores
into it; each hands in its counts and missing-detection evidence; the last worker out of a
complete crawl (seeded, nothing queued or in processing) merges them into its storage, which marks
missing once and finishes the row with the summed counts (govcrawl/storage/crawl.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import socket
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError
from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy_redis.connection import get_redis_from_settings

from govcrawl.distributed.config import DistributedConfig, key_prefix
from govcrawl.storage.crawl import CrawlStorage

if TYPE_CHECKING:
    from govcrawl.distributed.queue import HostQueue

logger = logging.getLogger(__name__)

# ARGV: prefix, worker, lease ms. Returns the finished crawl's run id (the worker is refused), or nil
_REGISTER = """
local p = ARGV[1]
if redis.call('EXISTS', p .. 'finished') == 1 then return redis.call('GET', p .. 'finished') end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', p .. 'workers', now + tonumber(ARGV[3]), ARGV[2])
return false
"""

# ARGV: prefix, worker, lease ms. 1 when this worker is to queue the start requests
_CLAIM_SEED = """
local p, me = ARGV[1], ARGV[2]
if redis.call('GET', p .. 'seed') == 'done' then return 0 end
if redis.call('SET', p .. 'seeding', me, 'NX', 'PX', ARGV[3]) then return 1 end
if redis.call('GET', p .. 'seeding') == me then return 1 end
return 0
"""

# ARGV: prefix, worker, finished (0/1), finished ttl s, closer ttl ms.
# Returns {last (0/1), complete (0/1), other workers registered}
_LEAVE = """
local p, me = ARGV[1], ARGV[2]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREM', p .. 'workers', me)
redis.call('ZREMRANGEBYSCORE', p .. 'workers', '-inf', now)
local complete = 0
if redis.call('GET', p .. 'seed') == 'done' and redis.call('HLEN', p .. 'req') == 0 then complete = 1 end
local others = redis.call('ZCARD', p .. 'workers')
if others > 0 then return {0, complete, others} end
if redis.call('EXISTS', p .. 'finished') == 1 then return {0, complete, 0} end
if not redis.call('SET', p .. 'closer', me, 'NX', 'PX', ARGV[5]) then return {0, complete, 0} end
if complete == 1 and ARGV[3] == '1' then
  redis.call('SET', p .. 'finished', redis.call('GET', p .. 'run') or '?', 'EX', ARGV[4])
end
return {1, complete, 0}
"""


class CrawlAlreadyFinished(RuntimeError):
    """A worker arrived after the last worker of its crawl closed it."""


class Coordinator:
    #: the crawler attribute `CrawlStorage.run_sharing` reads
    _ATTR = "govcrawl_run_sharing"
    #: seconds between progress lines in the log
    LOG_INTERVAL = 10.0

    def __init__(self, crawler, config: DistributedConfig):
        self.crawler = crawler
        self.config = config
        self.server = get_redis_from_settings(crawler.settings)
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self.spider = None
        self.prefix = ""
        self.queue: HostQueue | None = None
        #: request id -> (the request, its slot): taken from the queue, not yet acknowledged
        self.taken: dict[str, tuple[Request, str]] = {}
        #: slot -> what holds its lease here: a request id, or an own token (robots.txt)
        self.held: dict[str, str] = {}
        #: this worker is queueing the start requests; its own start() has been read
        self.seeding = False
        self.start_read = False
        self.done_here = 0
        self.left = False
        self._heartbeat: Any = None  # a twisted LoopingCall once open
        self._reseeding: asyncio.Future | None = None
        self._last_log = 0.0
        #: what of the storage's shared state is in Redis already: name -> Counter or set of keys
        self._pushed: dict[str, Any] = {}
        self._register = self.server.register_script(_REGISTER)
        self._claim_seed = self.server.register_script(_CLAIM_SEED)
        self._leave = self.server.register_script(_LEAVE)

    @classmethod
    def for_crawler(cls, crawler) -> Coordinator:
        coordinator = getattr(crawler, cls._ATTR, None)
        if coordinator is None:
            config = DistributedConfig.from_settings(crawler.settings)
            if config is None:
                raise NotConfigured("GOVCRAWL_DISTRIBUTED is not set")
            coordinator = cls(crawler, config)
            setattr(crawler, cls._ATTR, coordinator)
            crawler.signals.connect(coordinator.spider_closed, signal=signals.spider_closed)
            crawler.signals.connect(coordinator.engine_stopped, signal=signals.engine_stopped)
        return coordinator

    def key(self, name: str) -> str:
        return self.prefix + name

    # --- joining ------------------------------------------------------------------------------------
    def open(self, spider) -> None:
        """Register this worker in the crawl of `spider` (refused when that crawl has just
        finished) and start the heartbeat."""
        self.spider = spider
        scope = getattr(spider, "crawl_scope", None) or spider.name
        self.prefix = key_prefix(scope, self.config.crawl_id)
        finished = self._register(args=[self.prefix, self.worker, self.config.lease_ms])
        if finished is not None:
            message = (f"distributed: the crawl {self.prefix}* has just finished (run {_text(finished)}): "
                       "nothing left to do; start a new crawl with another -s GOVCRAWL_CRAWL_ID")
            logger.error(message)
            raise CrawlAlreadyFinished(message)
        logger.info("distributed: worker %s joins %s* (lease %.1fs)", self.worker, self.prefix,
                    self.config.lease)
        from twisted.internet import task

        self._heartbeat = task.LoopingCall(self.heartbeat)
        self._heartbeat.start(max(0.05, self.config.lease / 5), now=False)

    def slot_of(self, request: Request) -> str:
        """A request's host as Scrapy's downloader names its slot (a `download_slot` in meta wins)."""
        engine = getattr(self.crawler, "engine", None)
        downloader = getattr(engine, "downloader", None)
        if downloader is not None:
            return downloader.get_slot_key(request)
        from scrapy.utils.httpobj import urlparse_cached

        return request.meta.get("download_slot") or urlparse_cached(request).hostname or ""

    # --- seeding ------------------------------------------------------------------------------------
    def claim_seeding(self) -> bool:
        """True when this worker is to queue the spider's start requests: the first to ask, while
        the start requests are not all queued."""
        self.seeding = bool(self._claim_seed(args=[self.prefix, self.worker, self.config.lease_ms]))
        return self.seeding

    def seeding_done(self, count: int) -> None:
        pipe = self.server.pipeline()
        pipe.set(self.key("seed"), "done")
        pipe.delete(self.key("seeding"))
        pipe.execute()
        self.seeding = False
        self.crawler.stats.set_value("govcrawl/distributed/seeded", count)
        logger.info("distributed: %d start request(s) queued for the crawl", count)

    def _maybe_reseed(self) -> None:
        """The seeding worker died before its start requests were all queued: queue them again
        (the shared dupefilter drops those already queued)."""
        if self.seeding or not self.start_read or self.spider is None:
            return
        if not self.claim_seeding():
            return
        logger.warning("distributed: the start requests were not all queued (their worker "
                       "stopped): queueing them again")

        async def reseed():
            count = 0
            try:
                async for item in self.spider.start():
                    if isinstance(item, Request):
                        self.crawler.engine.crawl(item)
                        count += 1
                self.seeding_done(count)
            except Exception:
                self.seeding = False  # the lease runs out and another worker tries
                logger.exception("distributed: could not queue the start requests")

        self._reseeding = asyncio.ensure_future(reseed())

    # --- the crawl's state ------------------------------------------------------------------------
    def crawl_pending(self) -> bool:
        """Whether the crawl has work left anywhere: start requests not all queued, requests
        queued or in processing (whose callbacks may queue more)."""
        pipe = self.server.pipeline(transaction=False)
        pipe.get(self.key("seed"))
        pipe.hlen(self.key("req"))
        seed, requests = pipe.execute()
        return seed != b"done" or int(requests) > 0

    def progress(self) -> dict[str, int]:
        pipe = self.server.pipeline(transaction=False)
        pipe.hlen(self.key("req"))
        pipe.zcard(self.key("processing"))
        pipe.zcard(self.key("workers"))
        requests, processing, workers = (int(v) for v in pipe.execute())
        return {"queued": max(0, requests - processing), "processing": processing, "workers": workers}

    # --- taken requests ---------------------------------------------------------------------------
    def took(self, request_id: str, request: Request, slot: str) -> None:
        self.taken[request_id] = (request, slot)
        self.held[slot] = request_id

    def _finished_ids(self) -> list[str]:
        """The taken requests the engine is done with: no longer in its slot's in-progress set
        (it leaves that set after the download, the callback and the item pipelines). Scrapy has
        no public hook for "a request is fully processed": without the engine's slot, nothing is
        acknowledged before the close."""
        engine = getattr(self.crawler, "engine", None)
        inprogress = getattr(getattr(engine, "_slot", None), "inprogress", None)
        if inprogress is None:
            return []
        return [rid for rid, (request, _) in self.taken.items() if request not in inprogress]

    def flush(self, closing: bool = False) -> int:
        """Acknowledge the requests the engine is done with, after handing in this worker's
        counts and failures (so that what they stored is never counted by nobody). Once the
        engine is closing, only the close (`closing`, for a finished crawl) acknowledges: a stop
        may cut requests off, and those are given back instead (`give_back`)."""
        engine = getattr(self.crawler, "engine", None)
        if not closing and getattr(getattr(engine, "_slot", None), "closing", None) is not None:
            return 0
        done = self._finished_ids()
        if not done or self.queue is None:
            return 0
        self.push_state()
        self.queue.ack(done)
        for rid in done:
            _, slot = self.taken.pop(rid)
            if self.held.get(slot) == rid:
                # never downloaded (robots.txt, an unchanged page, offsite): no delay owed
                self.release(slot, rid, 0.0)
        self.done_here += len(done)
        self.crawler.stats.inc_value("govcrawl/distributed/requests_done", len(done))
        return len(done)

    def give_back(self) -> int:
        """Put every request taken and not acknowledged back in the queue (a stop that is not the
        crawl's end: another worker does them, or this crawl when it is started again)."""
        if self.queue is None or not self.taken:
            return 0
        self.push_state()
        count = self.queue.requeue(list(self.taken))
        for rid, (_, slot) in list(self.taken.items()):
            if self.held.get(slot) == rid:
                self.release(slot, rid, 0.0)
        self.taken.clear()
        if count:
            logger.info("distributed: %d unfinished request(s) given back to the crawl", count)
            self.crawler.stats.inc_value("govcrawl/distributed/given_back", count)
        return count

    # --- host leases ------------------------------------------------------------------------------
    def release(self, slot: str, holder: str, delay: float) -> None:
        if self.held.get(slot) != holder:
            return
        del self.held[slot]
        if self.queue is not None:
            self.queue.release(slot, delay)

    async def acquire(self, slot: str, holder: str) -> None:
        """Wait (without holding the reactor) until this worker holds `slot`'s lease."""
        assert self.queue is not None
        while True:
            wait = self.queue.acquire(slot)
            if wait <= 0:
                self.held[slot] = holder
                return
            await asyncio.sleep(min(max(wait, 0.01), 0.5))

    # --- heartbeat ----------------------------------------------------------------------------------
    def heartbeat(self) -> None:
        if self.queue is None or self.left:
            return
        try:
            self.flush()
            lost = self.queue.renew(list(self.held), list(self.taken))
            if lost:
                # the lease ran out (the reactor was blocked longer than a lease): another worker
                # took the request over; both finish it, and storing it twice is harmless
                logger.warning("distributed: %d request(s) were taken over by another worker (their "
                               "lease ran out): GOVCRAWL_DISTRIBUTED_LEASE may be too short", len(lost))
                self.crawler.stats.inc_value("govcrawl/distributed/leases_lost", len(lost))
            self._maybe_reseed()
            now = time.monotonic()
            if now - self._last_log >= self.LOG_INTERVAL:
                self._last_log = now
                p = self.progress()
                logger.info("distributed: worker %s: %d request(s) done here; the crawl: %d queued, "
                            "%d in progress, %d worker(s)", self.worker, self.done_here, p["queued"],
                            p["processing"], p["workers"])
        except RedisError as exc:
            # transient: the leases last several heartbeats
            logger.warning("distributed: heartbeat failed: %s", exc)

    def _stop_heartbeat(self) -> None:
        if self._heartbeat is not None and self._heartbeat.running:
            self._heartbeat.stop()

    # --- the storage's shared state ---------------------------------------------------------------
    def _storage(self) -> CrawlStorage | None:
        return getattr(self.crawler, CrawlStorage._ATTR, None)

    def push_state(self) -> None:
        """Hand in what this worker's storage has that Redis has not: counter increments, new dict
        entries (a dict's first value for a key wins), new set members."""
        storage = self._storage()
        if storage is None or not self.prefix:
            return
        pipe = self.server.pipeline(transaction=False)
        updates: list[tuple[str, Any]] = []
        for name, container in storage.shared_state().items():
            key = self.key(f"state:{name}")
            if isinstance(container, Counter):
                last = self._pushed.setdefault(name, Counter())
                for k, v in list(container.items()):
                    if v != last.get(k, 0):
                        pipe.hincrby(key, str(k), int(v - last.get(k, 0)))
                        updates.append((name, (k, v)))
            elif isinstance(container, dict):
                seen = self._pushed.setdefault(name, set())
                for k in list(container.keys() - seen):
                    pipe.hsetnx(key, str(k), json.dumps(container[k], ensure_ascii=False, default=str))
                    updates.append((name, k))
            elif isinstance(container, (set, frozenset)):
                seen = self._pushed.setdefault(name, set())
                new = list(container - seen)
                if new:
                    pipe.sadd(key, *new)
                    updates.extend((name, m) for m in new)
        if not updates:
            return
        pipe.execute()
        for name, update in updates:
            pushed = self._pushed[name]
            if isinstance(pushed, Counter):
                pushed[update[0]] = update[1]
            else:
                pushed.add(update)

    def _merge_state(self, storage: CrawlStorage) -> None:
        """Make this worker's storage see the whole crawl: the crawl's summed counters (this
        worker's own included) replace its own, the other workers' entries join its dicts and sets."""
        for name, container in storage.shared_state().items():
            key = self.key(f"state:{name}")
            if isinstance(container, Counter):
                totals = {_text(k): int(v) for k, v in self.server.hgetall(key).items()}
                container.clear()
                container.update(totals)
            elif isinstance(container, dict):
                for k, v in self.server.hgetall(key).items():
                    container.setdefault(_text(k), _tuple(json.loads(v)))
            elif isinstance(container, set):
                container.update(_text(m) for m in self.server.smembers(key))

    # --- the shared run -------------------------------------------------------------------------------
    async def join_run(self, storage: CrawlStorage, repo) -> int:
        """The crawl's `crawl_runs` id: the one the workers share, or a new one when this worker is
        the first (a run left by workers that all stopped is reopened)."""
        return await asyncio.to_thread(self._join_run_sync, storage.spider_name, storage.scope, repo)

    def _join_run_sync(self, spider: str, scope: str, repo) -> int:
        key, lock = self.key("run"), self.key("runlock")
        deadline = time.monotonic() + max(30.0, 2 * self.config.lease)
        stale = None
        while True:
            run = self.server.get(key)
            if run is not None and run != stale:
                run_id = int(run)
                # an open run (another worker's) stays open; one closed by workers that all
                # stopped before the crawl's end is reopened; one finished or gone is stale
                if repo.reopen_run(run_id, scope) is not None:
                    logger.info("distributed: worker %s stores into run %s", self.worker, run_id)
                    return run_id
                logger.warning("distributed: run %s of %s* is not open: starting a new run",
                               run_id, self.prefix)
                stale = run
            if self.server.set(lock, self.worker, nx=True, px=self.config.lease_ms):
                try:
                    if self.server.get(key) not in (None, stale):
                        continue  # another worker set it meanwhile: join that one
                    run_id = repo.start_run(spider, scope=scope)
                    self.server.set(key, run_id)
                    logger.info("distributed: worker %s started run %s of %s*", self.worker, run_id,
                                self.prefix)
                    return run_id
                finally:
                    if self.server.get(lock) == self.worker.encode():
                        self.server.delete(lock)
            if time.monotonic() > deadline:
                raise RuntimeError(f"distributed: no run for {self.prefix}* appeared (is another "
                                   "worker stuck creating it?)")
            time.sleep(0.05)

    async def leave_run(self, storage: CrawlStorage, reason: str) -> str | None:
        """This worker is done: hand in its state and leave. Returns None when other workers are
        still at work (they close the run), else, for the last worker, the reason to close the run
        with ("finished" only for a complete crawl), with the crawl's state merged into `storage`."""
        last, complete = await self._leave_crawl(reason)
        if not last:
            return None
        self._merge_state(storage)
        self._log_shares()
        if complete:
            self.cleanup()
            return reason
        # workers stopped before the crawl's end: the queue stays for the next start; the
        # run is closed as not finished (nothing marked missing) and reopened by that start
        self.server.delete(self.key("closer"))
        return "incomplete" if reason == "finished" else reason

    async def _leave_crawl(self, reason: str) -> tuple[bool, bool]:
        if self.left:
            return False, False
        self.left = True
        self._stop_heartbeat()
        self.push_state()
        logger.info("distributed: worker %s leaves (%s) after %d request(s) of the crawl", self.worker,
                    reason, self.done_here)
        return await asyncio.to_thread(self._leave_sync, reason == "finished")

    def _leave_sync(self, finished: bool) -> tuple[bool, bool]:
        closer_ms = max(60_000, 4 * self.config.lease_ms)
        deadline = time.monotonic() + 1.5 * self.config.lease + 1
        while True:
            last, complete, others = (int(v) for v in self._leave(args=[
                self.prefix, self.worker, int(finished), max(1, int(self.config.finished_ttl)), closer_ms]))
            if last or not (finished and complete and others):
                return bool(last), bool(complete)
            # the crawl is complete and others are still registered: a live one closes within
            # moments, a killed one's registration runs out within a lease; wait, so that someone
            # closes the run
            if time.monotonic() > deadline:
                logger.warning("distributed: %d worker(s) still registered after the crawl's end: "
                               "leaving the run to them", others)
                return False, True
            time.sleep(0.2)

    def _log_shares(self) -> None:
        done = {_text(k): int(v) for k, v in self.server.hgetall(self.key("done")).items()}
        stats = {_text(k): int(v) for k, v in self.server.hgetall(self.key("stats")).items()}
        logger.info("distributed: %s* closed by %s: requests done per worker: %s; re-queued after a "
                    "lease ran out: %d; given back by stopping workers: %d", self.prefix, self.worker,
                    ", ".join(f"{w} {n}" for w, n in sorted(done.items())) or "none",
                    stats.get("reclaimed", 0), stats.get("requeued", 0))
        self.crawler.stats.set_value("govcrawl/distributed/workers", len(done))
        self.crawler.stats.set_value("govcrawl/distributed/reclaimed", stats.get("reclaimed", 0))

    def cleanup(self) -> int:
        """Delete every key of the finished crawl but P:finished (which expires by itself)."""
        keep = self.key("finished").encode()
        batch, deleted = [], 0
        for key in self.server.scan_iter(match=self.prefix + "*", count=500):
            if key != keep:
                batch.append(key)
            if len(batch) >= 500:
                deleted += self.server.delete(*batch)
                batch = []
        if batch:
            deleted += self.server.delete(*batch)
        return deleted

    # --- signals ------------------------------------------------------------------------------------
    async def spider_closed(self, spider, reason):
        if self._storage() is not None:
            return  # the storage leaves with its run (CrawlStorage.spider_closed -> leave_run)
        last, complete = await self._leave_crawl(reason)
        if last:
            self._log_shares()
            if complete:
                self.cleanup()
            else:
                self.server.delete(self.key("closer"))

    def engine_stopped(self):
        self._stop_heartbeat()


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _tuple(value):
    """JSON gives lists where the storage keeps tuples (a failure's (kind, reason))."""
    return tuple(value) if isinstance(value, list) else value
