"""DistributedAddon: `-s GOVCRAWL_DISTRIBUTED=redis://host:6379/0` makes the crawl a worker of a
shared one (docs/distributed.md).

It installs scrapy-redis's scheduler (ours: govcrawl/distributed/scheduler.py) and dupefilter,
points REDIS_URL at the crawl's Redis, and adds the host-lease and seeding middlewares. The
crawl's keys are named per scope and `GOVCRAWL_CRAWL_ID` once the spider is known
(govcrawl/distributed/config.py). The database must be one all the workers share: SQLite is
refused at the start (exit code 1), with the reason.
"""

from __future__ import annotations

from scrapy.exceptions import NotConfigured, UsageError

from govcrawl.distributed.config import DistributedConfig
from govcrawl.storage.db import resolve_database_url

STORAGE_PIPELINE = "govcrawl.pipelines.storage.StoragePipeline"


class DistributedAddon:
    def __init__(self, config: DistributedConfig):
        self.config = config

    @classmethod
    def from_crawler(cls, crawler):
        config = DistributedConfig.from_settings(crawler.settings)
        if config is None:
            raise NotConfigured  # not a distributed crawl: the add-on does nothing (and says nothing)
        return cls(config)

    def update_settings(self, settings):
        pipelines = settings.getdict("ITEM_PIPELINES") or {}
        database = resolve_database_url(settings.get("GOVCRAWL_DATABASE_URL"))
        if pipelines.get(STORAGE_PIPELINE) is not None and database.startswith("sqlite"):
            raise UsageError(
                f"GOVCRAWL_DISTRIBUTED: the workers of a distributed crawl store into one database, "
                f"and {database} is a SQLite file of this machine: set GOVCRAWL_DATABASE_URL to a "
                "PostgreSQL database (postgresql://user@host:5432/dbname)")
        # "spider" priority, as the offline add-on: above the project's settings, below `-s`
        for name, value in {
            "SCHEDULER": "govcrawl.distributed.scheduler.DistributedScheduler",
            "DUPEFILTER_CLASS": "govcrawl.distributed.dupefilter.DistributedDupeFilter",
            "REDIS_URL": self.config.redis_url,
            # the crawl's keys outlive each worker; its last worker deletes them
            "SCHEDULER_PERSIST": True,
            # a worker must not stall on a Redis that went away: an error instead, within seconds
            "REDIS_PARAMS": {"socket_timeout": 10, "socket_connect_timeout": 10,
                             "retry_on_timeout": True},
        }.items():
            settings.set(name, value, priority="spider")
        from govcrawl.distributed.middleware import HostLeaseMiddleware, SeedMiddleware

        # next to the download handler: a lease covers exactly the download
        settings.set_in_component_priority_dict("DOWNLOADER_MIDDLEWARES", HostLeaseMiddleware, 1000)
        # close to the engine: it sees start() as the other middlewares made it
        settings.set_in_component_priority_dict("SPIDER_MIDDLEWARES", SeedMiddleware, 20)
