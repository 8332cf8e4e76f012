"""The distributed crawl's settings and the names of its Redis keys.

Every key of one crawl starts with `govcrawl:<scope>:<crawl id>:` (`key_prefix`): the spider's run
scope (its name, or the column or catalog selection it covers) and `GOVCRAWL_CRAWL_ID`, so two
crawls sharing one Redis never mix, and the workers of one crawl find each other by starting with
the same spider, arguments and crawl id.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from scrapy.exceptions import UsageError

#: a scope or crawl id made only of these characters is used as it is in key names; anything
#: else (a column URL, a catalog selection with spaces) is folded to them plus a short hash
_PLAIN = re.compile(r"^[A-Za-z0-9._=-]{1,80}$")
_CRAWL_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def key_part(text: str) -> str:
    """`text` as one colon-free, glob-free part of a key name: readable, and distinct for
    distinct texts."""
    if _PLAIN.match(text):
        return text
    folded = re.sub(r"[^A-Za-z0-9._=-]+", "_", text).strip("_")[:60]
    return f"{folded}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:10]}"


def key_prefix(scope: str, crawl_id: str) -> str:
    return f"govcrawl:{key_part(scope)}:{key_part(crawl_id)}:"


@dataclass(frozen=True)
class DistributedConfig:
    """What `GOVCRAWL_DISTRIBUTED*` and `GOVCRAWL_CRAWL_ID` say."""

    redis_url: str
    #: the crawl the worker joins (key names, so two crawls of one scope can run side by side)
    crawl_id: str
    #: seconds a worker's leases last without renewal (a host's lease, a request in processing,
    #: the worker's registration): how long the work of a killed worker waits before another
    #: takes it over. The heartbeat renews them five times per lease
    lease: float
    #: seconds the crawl is remembered as finished after its last worker closed it: a worker of
    #: it arriving late is refused instead of starting the crawl over
    finished_ttl: float

    @classmethod
    def from_settings(cls, settings) -> DistributedConfig | None:
        url = settings.get("GOVCRAWL_DISTRIBUTED")
        if not url or str(url).strip().lower() in ("0", "false", "no", "off"):
            return None
        url = str(url).strip()
        if not url.startswith(("redis://", "rediss://", "unix://")):
            raise UsageError(f"GOVCRAWL_DISTRIBUTED={url!r}: expected a Redis URL, e.g. "
                             "redis://127.0.0.1:6379/0")
        crawl_id = str(settings.get("GOVCRAWL_CRAWL_ID") or "default")
        if not _CRAWL_ID.match(crawl_id):
            raise UsageError(f"GOVCRAWL_CRAWL_ID={crawl_id!r}: use letters, digits, '.', '_' "
                             "or '-' (at most 64)")
        lease = settings.getfloat("GOVCRAWL_DISTRIBUTED_LEASE", 30.0)
        if lease <= 0:
            raise UsageError("GOVCRAWL_DISTRIBUTED_LEASE must be a positive number of seconds")
        return cls(url, crawl_id, lease, settings.getfloat("GOVCRAWL_DISTRIBUTED_FINISHED_TTL", 60.0))

    @property
    def lease_ms(self) -> int:
        return max(1, int(self.lease * 1000))
