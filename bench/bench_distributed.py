"""Distributed crawling: speed-up, and nothing lost, doubled or impolite, on a loopback catalog.

    .venv/bin/python bench/bench_distributed.py [--hosts 30] [--latency 0.4] [--capacity 4]

A loopback catalog of `--hosts` hosts (tests/distributed/site.py: one HTTP server per address
127.0.0.2, 127.0.0.3, ..., each serving a copy of the recorded Anshun TRS column after `--latency`
seconds) is crawled by `scrapy crawl catalog` workers sharing one crawl through the local Redis,
into a fresh PostgreSQL database per run:

1. one worker;
2. two workers;
3. two workers, one of them SIGKILLed (with its extraction worker) while it holds requests, a
   little before the middle of the crawl.

Each worker is confined to one core (`taskset`; its extraction worker inherits it) and has a fixed
capacity (`CONCURRENT_REQUESTS=--capacity`), the stand-in for whatever limits one real worker (its
core, its bandwidth, its address's budget); the catalog has more hosts than one worker's capacity,
and politeness is the project's: one request at a time per host for the whole crawl, and a
download delay (`--delay`) after each. The site measures what the crawl did to it: requests per
URL and the most requests a host served at once.

The last line: `distributed: speed-up S at 2 workers, lost L, duplicates D, max concurrent per host
C`, where S is run 1's crawl time over run 2's, on the site's clock (from the first request it
receives to the last answer it gives: what distributing shares, the crawl; each worker's few
seconds of start-up and close are not, and a real crawl runs for hours), printed with the same
ratio of wall times (from the workers' launch to the last exit) on the line before; L the reports
some run stored for fewer hosts than run 1 did, D the downloads of run 2 beyond one per URL plus
the reports runs 2 and 3 stored twice (the re-downloads of what the killed worker held are
expected, and shown apart), and C the most requests any host served at once in any run. robots.txt
is read by each worker (RobotsTxtMiddleware is per process) and not counted. Nothing is asserted;
the machine's load is printed, since other work on it skews S.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.distributed.site import LoopbackCatalog, report_paths
from tests.distributed.workers import REDIS_URL, delete_keys, start_worker

PG_ADMIN = os.environ.get("GOVCRAWL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def _database() -> tuple[str, str]:
    import psycopg

    name = f"govcrawl_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return name, f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"


def _drop(name: str, url: str) -> None:
    import psycopg

    from govcrawl.storage.db import dispose_engine

    dispose_engine(url)
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f} (5 min {five:.2f}) on {os.cpu_count()} cores"


def run(site: LoopbackCatalog, tmp: Path, workers: int, args, kill: bool = False) -> dict:
    site.reset_counts()
    name, database_url = _database()
    crawl_id = f"bench-{uuid.uuid4().hex[:10]}"
    catalog = site.write_catalog(tmp / "catalog.csv")
    settings = {"CONCURRENT_REQUESTS": str(args.capacity), "DOWNLOAD_DELAY": str(args.delay),
                "GOVCRAWL_DISTRIBUTED_LEASE": str(args.lease), "LOG_LEVEL": "INFO"}
    cores = os.cpu_count() or 1
    start = time.monotonic()
    procs = [start_worker(f"run{workers}{'k' if kill else ''}-w{i}", tmp, catalog=catalog,
                          database_url=database_url, crawl_id=crawl_id, settings=settings,
                          cpu=i % cores) for i in range(workers)]
    killed_at = None
    try:
        if kill:
            victim = procs[-1]
            expected = args.hosts * 25
            while not (site.agents[victim.name] >= expected * 0.2 and site.active_agents[victim.name] > 0):
                if victim.proc.poll() is not None:
                    break
                time.sleep(0.005)
            victim.kill()
            killed_at = time.monotonic() - start
        codes = [p.wait(args.timeout) for p in (procs[:-1] if kill else procs)]
        wall = time.monotonic() - start
        stored = report_paths(database_url)
        reclaimed = max((p.stats().get("govcrawl/distributed/reclaimed", 0) for p in procs), default=0)
        result = {
            "workers": workers, "kill": kill, "codes": codes, "wall": wall, "span": site.last - site.first,
            "requests": sum(site.hits.values()), "stored": stored,
            "reports": sum(len(v) for v in stored.values()),
            "duplicate_downloads": site.duplicates(), "max_active": max(site.max_active.values(), default=0),
            # a killed worker leaves no stats: what it did is the site's count of its requests
            "shares": {p.name: p.stats().get("govcrawl/distributed/requests_done", "killed") for p in procs},
            "reclaimed": reclaimed, "killed_at": killed_at,
        }
        if any(codes):
            for p in procs:
                sys.stderr.write(f"--- {p.name} (exit {p.proc.returncode}):\n{p.log()[-2500:]}\n")
        return result
    finally:
        for p in procs:
            if p.proc.poll() is None:
                p.kill()
        delete_keys(REDIS_URL, crawl_id)
        _drop(name, database_url)


def lost_against(reference: dict[str, list[str]], stored: dict[str, list[str]]) -> int:
    """Reports the reference run stored for a host (every host serves the same column) that this
    run did not store for one of its hosts."""
    every = set().union(*(set(v) for v in reference.values())) if reference else set()
    hosts = set(reference) | set(stored)
    return sum(len(every - set(stored.get(host, []))) for host in hosts)


def stored_twice(stored: dict[str, list[str]]) -> int:
    return sum(len(paths) - len(set(paths)) for paths in stored.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=30)
    parser.add_argument("--latency", type=float, default=0.4, help="seconds each answer takes")
    parser.add_argument("--capacity", type=int, default=4, help="CONCURRENT_REQUESTS of a worker")
    parser.add_argument("--delay", type=float, default=0.25, help="DOWNLOAD_DELAY (0.5x to 1.5x)")
    parser.add_argument("--lease", type=float, default=5.0, help="GOVCRAWL_DISTRIBUTED_LEASE")
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args()
    print(f"catalog: {args.hosts} hosts, latency {args.latency}s, capacity {args.capacity} per worker, "
          f"delay {args.delay}s; before: {_load()}", flush=True)
    results = []
    with tempfile.TemporaryDirectory() as tmp, LoopbackCatalog(hosts=args.hosts, latency=args.latency) as site:
        for workers, kill in ((1, False), (2, False), (2, True)):
            results.append(run(site, Path(tmp), workers, args, kill=kill))
    one, two, killed = results
    print(f"{'run':<28} {'wall s':>7} {'site s':>7} {'requests':>9} {'reports':>8} {'dup dl':>7} "
          f"{'max/host':>9} {'reclaimed':>10}  requests per worker")
    for r in results:
        label = f"{r['workers']} worker(s)" + (f", 1 killed at {r['killed_at']:.0f}s" if r["kill"] else "")
        print(f"{label:<28} {r['wall']:>7.1f} {r['span']:>7.1f} {r['requests']:>9} {r['reports']:>8} "
              f"{r['duplicate_downloads']:>7} {r['max_active']:>9} {r['reclaimed']:>10}  "
              + ", ".join(f"{n} {v}" for n, v in r["shares"].items())
              + ("" if not any(r["codes"]) else f"  EXIT CODES {r['codes']}"))
    speedup = one["span"] / two["span"]
    lost = lost_against(one["stored"], two["stored"]) + lost_against(one["stored"], killed["stored"])
    duplicates = two["duplicate_downloads"] + stored_twice(two["stored"]) + stored_twice(killed["stored"])
    concurrent = max(r["max_active"] for r in results)
    print(f"speed-up in wall time (launch to last exit): {one['wall'] / two['wall']:.2f}; "
          f"re-downloads after the kill (what the killed worker held): {killed['duplicate_downloads']}; "
          f"after: {_load()}")
    print(f"distributed: speed-up {speedup:.2f} at 2 workers, lost {lost}, duplicates {duplicates}, "
          f"max concurrent per host {concurrent}")


if __name__ == "__main__":
    main()
