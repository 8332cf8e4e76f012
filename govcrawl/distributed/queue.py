"""The shared request queue: one queue per host, host leases, and requests held until finished.

A scrapy-redis queue (`scrapy_redis.queue.Base`: requests serialized as `Request.to_dict`, pickled)
whose every operation is one Lua script, so that no interleaving of workers, and no kill between
two commands, can lose or double a request. Times are Redis's own clock (`TIME`), so the workers'
clocks never matter. Keys, under the crawl's prefix P (govcrawl/distributed/config.py):

    P:req         hash   request id -> the serialized request (queued or in processing)
    P:info        hash   request id -> "<score> <slot>" (to put it back where it was)
    P:q:<slot>    zset   the queue of one host (download slot): ids by priority, then arrival
    P:slots       zset   slot -> when it is free: now for a host with requests waiting, the lease
                         deadline while a worker holds it, the end of the delay after a download
    P:holder      hash   slot -> the worker holding its lease
    P:processing  zset   request id -> deadline: handed out, not yet finished
    P:owner       hash   request id -> the worker that took it
    P:dupefilter  set    fingerprints of every request queued (scrapy-redis's dupefilter key)
    P:seq         string the last request id
    P:stats       hash   reclaimed (requests re-queued after their lease expired), requeued
    P:done        hash   worker -> requests it finished

`pop` hands out the best request of the first host that is free (no lease, delay over) and leases
the host to the worker in the same step: one request at a time per host, across all workers. A
request handed out stays in P:processing until `ack`; if its worker stops renewing it (killed), any
worker's next `pop` puts it back in its host's queue (`reclaim`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from scrapy import Request
from scrapy_redis.queue import Base

_NOW = """
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function split_info(info)
  local sp = string.find(info, ' ', 1, true)
  return string.sub(info, 1, sp - 1), string.sub(info, sp + 1)
end
local function requeue(p, id, now)
  redis.call('ZREM', p .. 'processing', id)
  redis.call('HDEL', p .. 'owner', id)
  local info = redis.call('HGET', p .. 'info', id)
  if info and redis.call('HEXISTS', p .. 'req', id) == 1 then
    local score, slot = split_info(info)
    redis.call('ZADD', p .. 'q:' .. slot, score, id)
    redis.call('ZADD', p .. 'slots', 'NX', now, slot)
    return 1
  end
  return 0
end
"""

# ARGV: prefix, dupefilter key, fingerprint, dont_filter (0/1), slot, priority, blob
_PUSH = _NOW + """
local p = ARGV[1]
local added = redis.call('SADD', ARGV[2], ARGV[3])
if added == 0 and ARGV[4] == '0' then return false end
local id = redis.call('INCR', p .. 'seq')
-- higher priority first, then first come first served (exact in a double up to 2^53)
local score = string.format('%.0f', -tonumber(ARGV[6]) * 4294967296 + id)
id = tostring(id)
redis.call('HSET', p .. 'req', id, ARGV[7])
redis.call('HSET', p .. 'info', id, score .. ' ' .. ARGV[5])
redis.call('ZADD', p .. 'q:' .. ARGV[5], score, id)
redis.call('ZADD', p .. 'slots', 'NX', now_ms(), ARGV[5])
return id
"""

# ARGV: prefix, worker, lease ms, candidates. Returns {id, blob, slot, 0} or
# {'', '', '', ms until the next host is free (-1: no request queued at all)}
_POP = _NOW + """
local p, me, lease = ARGV[1], ARGV[2], tonumber(ARGV[3])
local now = now_ms()
local expired = redis.call('ZRANGEBYSCORE', p .. 'processing', '-inf', now, 'LIMIT', 0, 100)
for _, id in ipairs(expired) do
  if requeue(p, id, now) == 1 then redis.call('HINCRBY', p .. 'stats', 'reclaimed', 1) end
end
local free = redis.call('ZRANGEBYSCORE', p .. 'slots', '-inf', now, 'LIMIT', 0, tonumber(ARGV[4]))
for _, slot in ipairs(free) do
  local q = p .. 'q:' .. slot
  while true do
    local top = redis.call('ZRANGE', q, 0, 0)
    if #top == 0 then break end
    local id = top[1]
    redis.call('ZREM', q, id)
    local blob = redis.call('HGET', p .. 'req', id)
    if blob then
      redis.call('ZADD', p .. 'slots', now + lease, slot)
      redis.call('HSET', p .. 'holder', slot, me)
      redis.call('ZADD', p .. 'processing', now + lease, id)
      redis.call('HSET', p .. 'owner', id, me)
      return {id, blob, slot, 0}
    end
  end
  -- nothing waits for this host and its lease or delay is over: forget it until a request comes
  redis.call('ZREM', p .. 'slots', slot)
  redis.call('HDEL', p .. 'holder', slot)
end
local nxt = redis.call('ZRANGE', p .. 'slots', 0, 0, 'WITHSCORES')
if #nxt == 0 then return {'', '', '', -1} end
return {'', '', '', math.max(1, tonumber(nxt[2]) - now)}
"""

# ARGV: prefix, worker, ids...: finished requests leave the crawl for good
_ACK = _NOW + """
local p, me = ARGV[1], ARGV[2]
for i = 3, #ARGV do
  local id = ARGV[i]
  redis.call('ZREM', p .. 'processing', id)
  redis.call('HDEL', p .. 'owner', id)
  local info = redis.call('HGET', p .. 'info', id)
  if info then
    -- re-queued meanwhile (its lease ran out while it was still being worked on): done now
    local _, slot = split_info(info)
    redis.call('ZREM', p .. 'q:' .. slot, id)
  end
  redis.call('HDEL', p .. 'req', id)
  redis.call('HDEL', p .. 'info', id)
end
redis.call('HINCRBY', p .. 'done', me, #ARGV - 2)
return #ARGV - 2
"""

# ARGV: prefix, worker, ids...: requests this worker took and gives back unfinished
_REQUEUE = _NOW + """
local p, me = ARGV[1], ARGV[2]
local now, n = now_ms(), 0
for i = 3, #ARGV do
  if redis.call('HGET', p .. 'owner', ARGV[i]) == me then n = n + requeue(p, ARGV[i], now) end
end
redis.call('HINCRBY', p .. 'stats', 'requeued', n)
return n
"""

# ARGV: prefix, worker, lease ms, number of slots, slots..., ids...: the heartbeat. Returns the
# ids this worker no longer owns (their lease ran out and another worker took them over)
_RENEW = _NOW + """
local p, me, lease, nslots = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local now = now_ms()
redis.call('ZADD', p .. 'workers', now + lease, me)
if redis.call('GET', p .. 'seeding') == me then redis.call('PEXPIRE', p .. 'seeding', lease) end
for i = 5, 4 + nslots do
  if redis.call('HGET', p .. 'holder', ARGV[i]) == me then
    redis.call('ZADD', p .. 'slots', 'XX', now + lease, ARGV[i])
  end
end
local lost = {}
for i = 5 + nslots, #ARGV do
  if redis.call('HGET', p .. 'owner', ARGV[i]) == me then
    redis.call('ZADD', p .. 'processing', 'XX', now + lease, ARGV[i])
  else
    table.insert(lost, ARGV[i])
  end
end
return lost
"""

# ARGV: prefix, worker, slot, delay ms: the host is free again once the delay is over
_RELEASE = _NOW + """
local p, me, slot = ARGV[1], ARGV[2], ARGV[3]
if redis.call('HGET', p .. 'holder', slot) ~= me then return 0 end
redis.call('HDEL', p .. 'holder', slot)
redis.call('ZADD', p .. 'slots', now_ms() + tonumber(ARGV[4]), slot)
return 1
"""

# ARGV: prefix, worker, slot, lease ms: a host's lease for a request the queue did not hand out
# (robots.txt, `engine.download`). Returns 0 when taken, else the ms until it may be free
_ACQUIRE = _NOW + """
local p, me, slot, lease = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local now = now_ms()
local free_at = redis.call('ZSCORE', p .. 'slots', slot)
if (not free_at) or tonumber(free_at) <= now then
  redis.call('ZADD', p .. 'slots', now + lease, slot)
  redis.call('HSET', p .. 'holder', slot, me)
  return 0
end
return math.max(1, tonumber(free_at) - now)
"""


class HostQueue(Base):
    """The crawl's queue (see the module docstring). `slot_of(request)` names a request's host
    the way Scrapy's downloader does; `strip_meta` are meta keys that belong to the worker that
    holds a request and are never serialized (its lease token, its page bookkeeping)."""

    #: free hosts a pop looks at before it gives up for now
    CANDIDATES = 64

    def __init__(self, server, spider, key: str, serializer=None, *, worker: str, lease_ms: int,
                 dupefilter_key: str, slot_of: Callable[[Request], str],
                 strip_meta: Iterable[str] = ()):
        # Base formats `key % {"spider": ...}`: the prefix is already the crawl's own
        super().__init__(server, spider, key.replace("%", "%%"), serializer)
        self.prefix = key
        self.worker = worker
        self.lease_ms = lease_ms
        self.dupefilter_key = dupefilter_key
        self.slot_of = slot_of
        self.strip_meta = frozenset(strip_meta)
        self._push = server.register_script(_PUSH)
        self._pop = server.register_script(_POP)
        self._ack = server.register_script(_ACK)
        self._requeue = server.register_script(_REQUEUE)
        self._renew = server.register_script(_RENEW)
        self._release = server.register_script(_RELEASE)
        self._acquire = server.register_script(_ACQUIRE)

    # --- scrapy-redis's queue interface ---------------------------------------------------------
    def _encode_request(self, request: Request) -> bytes:
        obj = request.to_dict(spider=self.spider)
        # to_dict shares the request's own meta dict: filter a copy
        obj["meta"] = {k: v for k, v in (obj.get("meta") or {}).items() if k not in self.strip_meta}
        return self.serializer.dumps(obj)

    def __len__(self) -> int:
        """Requests waiting in the queue (not those in processing)."""
        pipe = self.server.pipeline(transaction=False)
        pipe.hlen(self.prefix + "req")
        pipe.zcard(self.prefix + "processing")
        total, processing = pipe.execute()
        return max(0, int(total) - int(processing))

    def push(self, request: Request, fingerprint: str = "", *, dont_filter: bool | None = None) -> str | None:
        """Queue `request` unless its fingerprint was queued before (and it is not `dont_filter`):
        its id, or None for a duplicate. The fingerprint is recorded in the same step, so a
        worker killed between the two cannot lose the request."""
        dont_filter = request.dont_filter if dont_filter is None else dont_filter
        result = self._push(args=[self.prefix, self.dupefilter_key, fingerprint or request.url,
                                  int(bool(dont_filter)), self.slot_of(request), int(request.priority),
                                  self._encode_request(request)])
        return _text(result) if result is not None else None

    def pop(self, timeout=0):
        """scrapy-redis's plain pop would hand out a request nobody acknowledges: use `take`."""
        raise NotImplementedError("HostQueue hands out requests with `take` (and their host's lease)")

    def clear(self) -> None:
        """Delete every key of the crawl (govcrawl/distributed/coordinator.py `cleanup`)."""
        raise NotImplementedError("the coordinator deletes the crawl's keys when the crawl is over")

    # --- leases ------------------------------------------------------------------------------------
    def take(self) -> tuple[str | None, Request | None, str | None, float]:
        """(id, request, slot, 0) of the next request whose host is free, with the host leased to
        this worker; else (None, None, None, seconds until a host may be free, or -1 when
        nothing is queued at all)."""
        request_id, blob, slot, wait = self._pop(args=[self.prefix, self.worker, self.lease_ms,
                                                       self.CANDIDATES])
        if not request_id:
            return None, None, None, (int(wait) / 1000 if int(wait) >= 0 else -1.0)
        return _text(request_id), self._decode_request(blob), _text(slot), 0.0

    def ack(self, ids: Iterable[str]) -> int:
        ids = list(ids)
        return int(self._ack(args=[self.prefix, self.worker, *ids])) if ids else 0

    def requeue(self, ids: Iterable[str]) -> int:
        ids = list(ids)
        return int(self._requeue(args=[self.prefix, self.worker, *ids])) if ids else 0

    def renew(self, slots: Iterable[str], ids: Iterable[str]) -> list[str]:
        slots, ids = list(slots), list(ids)
        lost = self._renew(args=[self.prefix, self.worker, self.lease_ms, len(slots), *slots, *ids])
        return [_text(i) for i in lost or []]

    def release(self, slot: str, delay: float) -> bool:
        return bool(self._release(args=[self.prefix, self.worker, slot, max(0, int(delay * 1000))]))

    def acquire(self, slot: str) -> float:
        """Take `slot`'s lease for a request the queue did not hand out: 0 when taken, else
        the seconds to wait before trying again."""
        return int(self._acquire(args=[self.prefix, self.worker, slot, self.lease_ms])) / 1000


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
