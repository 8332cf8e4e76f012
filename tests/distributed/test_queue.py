"""The shared queue's Lua steps against the real Redis: host leases, re-queueing after a kill,
duplicates. Two HostQueue objects with the same prefix and different worker names are two
workers of one crawl."""

from __future__ import annotations

import time

import pytest
import redis
import scrapy

from govcrawl.distributed.config import key_prefix
from govcrawl.distributed.queue import HostQueue

pytestmark = pytest.mark.timeout(60)


class _Spider(scrapy.Spider):
    name = "queue-test"


def _slot(request) -> str:
    return request.url.split("/")[2]


class _Queues:
    """Workers' queues of one crawl: `make_queue("a")`; `server` and `prefix` to look inside."""

    def __init__(self, redis_url: str, crawl_id: str):
        self.server = redis.Redis.from_url(redis_url)
        self.prefix = key_prefix("queue-test", crawl_id)
        self.spider = _Spider()

    def __call__(self, worker: str, lease_ms: int = 30_000) -> HostQueue:
        return HostQueue(self.server, self.spider, self.prefix, worker=worker, lease_ms=lease_ms,
                         dupefilter_key=self.prefix + "dupefilter", slot_of=_slot,
                         strip_meta=("_private",))


@pytest.fixture
def make_queue(redis_url, crawl_id):
    return _Queues(redis_url, crawl_id)


def _take_all(queue: HostQueue) -> list[tuple[str | None, str]]:
    """Everything the worker can take right now: (request id, url)."""
    out: list[tuple[str | None, str]] = []
    while True:
        request_id, request, _, _ = queue.take()
        if request is None:
            return out
        out.append((request_id, request.url))


def test_two_workers_never_hold_one_host(make_queue):
    a, b = make_queue("a"), make_queue("b")
    for url in ("http://x.test/1", "http://x.test/2", "http://x.test/3", "http://y.test/1"):
        assert a.push(scrapy.Request(url), url) is not None
    taken_a, taken_b = _take_all(a), _take_all(b)
    # one request per host is out, whoever asks: x's other requests wait for its lease
    hosts = [url.split("/")[2] for _, url in taken_a + taken_b]
    assert sorted(hosts) == ["x.test", "y.test"]
    x_holder, x_queue = (a, taken_a) if any("x.test" in u for _, u in taken_a) else (b, taken_b)
    other = b if x_holder is a else a
    assert _take_all(other) == []
    # the host is given back with no delay: the other worker gets x's next request, and only one
    x_id = next(i for i, u in x_queue if "x.test" in u)
    x_holder.ack([x_id])
    assert x_holder.release("x.test", 0)
    second = _take_all(other)
    assert [u.split("/")[2] for _, u in second] == ["x.test"]
    assert _take_all(x_holder) == []


def test_a_release_keeps_the_download_delay(make_queue):
    a, b = make_queue("a"), make_queue("b")
    a.push(scrapy.Request("http://x.test/1"), "1")
    a.push(scrapy.Request("http://x.test/2"), "2")
    request_id, _, slot, _ = a.take()
    a.ack([request_id])
    a.release(slot, 30.0)
    request_id, request, slot, wait = b.take()
    assert request is None and wait > 5  # the host is in its delay, for every worker


def test_a_killed_workers_requests_are_taken_over(make_queue):
    a, b = make_queue("a", lease_ms=300), make_queue("b", lease_ms=300)
    a.push(scrapy.Request("http://x.test/report.html", meta={"_private": "a's", "kept": 1}), "r")
    request_id, request, _, _ = a.take()
    assert request is not None
    # a dies here: it never renews nor acknowledges. Once its lease has run out, b takes the
    # request over, the worker's own meta left out of it
    deadline = time.monotonic() + 10
    while True:
        taken_id, again, _, _ = b.take()
        if again is not None or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert again is not None and again.url == request.url and taken_id == request_id
    assert "_private" not in again.meta and again.meta["kept"] == 1
    assert int(make_queue.server.hget(make_queue.prefix + "stats", "reclaimed")) == 1
    # a's late renewal learns it lost the request; b finishes it and it is gone for good
    assert a.renew([], [request_id]) == [request_id]
    assert b.ack([request_id]) == 1
    assert make_queue.server.hlen(make_queue.prefix + "req") == 0
    assert _take_all(a) == [] and _take_all(b) == []


def test_a_stopping_worker_gives_its_requests_back(make_queue):
    a, b = make_queue("a"), make_queue("b")
    a.push(scrapy.Request("http://x.test/1"), "1")
    request_id, _, slot, _ = a.take()
    assert a.requeue([request_id]) == 1
    a.release(slot, 0)
    assert [u for _, u in _take_all(b)] == ["http://x.test/1"]


def test_duplicates_are_dropped_unless_dont_filter(make_queue):
    a = make_queue("a")
    assert a.push(scrapy.Request("http://x.test/1"), "fp1") is not None
    assert a.push(scrapy.Request("http://x.test/1"), "fp1") is None
    assert a.push(scrapy.Request("http://x.test/1", dont_filter=True), "fp1") is not None
    assert len(a) == 2
