"""Distributed crawling: many worker processes, one crawl, on scrapy-redis (docs/distributed.md).

`-s GOVCRAWL_DISTRIBUTED=redis://127.0.0.1:6379/0` turns any spider into a worker of a crawl shared
through Redis; every worker started with the same spider, arguments and `GOVCRAWL_CRAWL_ID` joins
the same crawl. The pieces, wired by `addon.DistributedAddon`:

- `scheduler.DistributedScheduler` (scrapy-redis's scheduler with `queue.HostQueue` and
  `dupefilter.DistributedDupeFilter`): one queue per host in Redis; a request is handed out only
  with its host's lease, and is held in a "processing" set until its worker has finished it;
- `middleware.HostLeaseMiddleware`: gives the host back after the download, with the delay;
- `middleware.SeedMiddleware`: the first worker to arrive queues the spider's `start()`;
- `coordinator.Coordinator`: the worker's registration, the heartbeat that renews its leases,
  and the crawl's one `crawl_runs` row (govcrawl/storage/crawl.py `CrawlStorage.run_sharing`).

Redis holds pickled requests: anyone who can write to it can run code in every worker. It must
never be reachable from outside the crawl's machines.
"""
