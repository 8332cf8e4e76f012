"""Whole distributed crawls: two `scrapy crawl catalog` workers over a loopback catalog of three
hosts (tests/distributed/site.py), into one PostgreSQL database, through the real Redis.

What a crawl must show: the start requests queued once (by one worker), never two downloads from
one host at once whoever the worker, one `crawl_runs` row with the workers' counts summed, nothing
lost and nothing stored twice when a worker is SIGKILLed mid-crawl, and a report gone from the
site marked missing once, by the last worker out. Nothing here measures time.
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid

import pytest
import sqlalchemy as sa

from govcrawl import PROJECT_ROOT
from govcrawl.storage.db import get_engine
from tests.distributed.site import LoopbackCatalog, lost_and_duplicated, report_paths
from tests.distributed.workers import REDIS_URL, crawl_keys, delete_keys, start_worker

pytestmark = pytest.mark.timeout(240)

WAIT = 180  # seconds a crawl may take at most before the test gives up on it (a bound, not a measure)


def _runs(database_url: str) -> list:
    with get_engine(database_url).connect() as conn:
        return list(conn.execute(sa.text(
            "SELECT id, finish_reason, new, changed, unchanged, missing, failed, blocked "
            "FROM crawl_runs ORDER BY id")).all())


def _crawl(site, tmp_path, database_url, crawl_id, names=("w0", "w1"), settings=None):
    catalog = site.write_catalog(tmp_path / "catalog.csv")
    workers = [start_worker(name, tmp_path, catalog=catalog, database_url=database_url,
                            crawl_id=crawl_id, settings=settings) for name in names]
    codes = [w.wait(WAIT) for w in workers]
    return workers, codes


@pytest.fixture(scope="module")
def two_workers(redis_url, tmp_path_factory):
    """One crawl by two workers, shared by the tests that read it (a module-wide database: the
    per-test `pg_database_url` would not outlive one test)."""
    from tests.conftest import _pg_admin_connect, _pg_unavailable

    try:
        admin = _pg_admin_connect()
    except Exception as exc:
        _pg_unavailable(exc)
    name = f"govcrawl_test_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    database_url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    crawl_id = f"test-{uuid.uuid4().hex[:12]}"
    tmp_path = tmp_path_factory.mktemp("two-workers")
    try:
        with LoopbackCatalog(hosts=3, latency=0.05) as site:
            # each worker may download from many hosts at once, and from one host many times at
            # once as far as its own downloader goes: only the crawl's host leases keep it to one
            workers, codes = _crawl(site, tmp_path, database_url, crawl_id, settings={
                "CONCURRENT_REQUESTS": "8", "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
                "GOVCRAWL_DISTRIBUTED_FINISHED_TTL": "120"})
            yield {"site": site, "workers": workers, "codes": codes, "database_url": database_url,
                   "crawl_id": crawl_id, "tmp_path": tmp_path}
    finally:
        delete_keys(REDIS_URL, crawl_id)
        from govcrawl.storage.db import dispose_engine

        dispose_engine(database_url)
        with _pg_admin_connect() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_two_workers_finish_the_crawl(two_workers):
    assert two_workers["codes"] == [0, 0], [w.log()[-3000:] for w in two_workers["workers"]]
    # both took part
    assert all(w.stats().get("govcrawl/distributed/requests_done", 0) > 0 for w in two_workers["workers"])


def test_the_start_requests_are_queued_once(two_workers):
    site = two_workers["site"]
    seeders = [w.name for w in two_workers["workers"] if "govcrawl/distributed/seeded" in w.stats()]
    assert len(seeders) == 1
    assert two_workers["workers"][[w.name for w in two_workers["workers"]].index(seeders[0])].stats()[
        "govcrawl/distributed/seeded"] == len(site.hosts)
    for host in site.hosts:
        assert site.hits[(host, "/zfxxgk/zfxxgknb/")] == 1
    assert site.duplicates() == 0


def test_no_host_serves_two_requests_at_once(two_workers):
    site = two_workers["site"]
    assert set(site.max_active.values()) == {1}
    # robots.txt is obeyed: each worker reads it once per host, under the host's lease
    assert all(site.hits[(host, "/robots.txt")] == 2 for host in site.hosts)


def test_one_run_with_the_workers_counts_summed(two_workers):
    database_url = two_workers["database_url"]
    runs = _runs(database_url)
    assert len(runs) == 1
    run = runs[0]
    assert run.finish_reason == "finished"
    stored = report_paths(database_url)
    reports = sum(len(paths) for paths in stored.values())
    assert reports > 0
    assert run.new == reports == sum(w.stats().get("govcrawl/storage/new", 0) for w in two_workers["workers"])
    assert lost_and_duplicated(stored, two_workers["site"].hosts) == (0, 0)
    # only the last worker out closed the run, and the crawl's keys went with it
    closers = [w for w in two_workers["workers"] if "govcrawl/distributed/workers" in w.stats()]
    assert len(closers) == 1 and closers[0].stats()["govcrawl/distributed/workers"] == 2
    keys = crawl_keys(REDIS_URL, two_workers["crawl_id"])
    assert len(keys) == 1 and keys[0].endswith(":finished")


def test_a_late_worker_of_a_finished_crawl_is_refused(two_workers):
    tmp_path = two_workers["tmp_path"]
    late = start_worker("late", tmp_path, catalog=tmp_path / "catalog.csv",
                        database_url=two_workers["database_url"], crawl_id=two_workers["crawl_id"])
    assert late.wait(WAIT) == 1
    assert "finished" in late.log() and "GOVCRAWL_CRAWL_ID" in late.log()
    assert len(_runs(two_workers["database_url"])) == 1


def test_sqlite_is_refused(redis_url, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "anshun", "-s", "GOVCRAWL_OFFLINE=1",
         "-s", f"GOVCRAWL_DISTRIBUTED={redis_url}", "-s", f"GOVCRAWL_DATABASE_URL=sqlite:///{tmp_path}/x.db"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "PostgreSQL" in result.stderr and "SQLite" in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_a_killed_worker_loses_nothing(redis_url, crawl_id, pg_database_url, tmp_path):
    with LoopbackCatalog(hosts=3, latency=0.3) as site:
        catalog = site.write_catalog(tmp_path / "catalog.csv")
        settings = {"CONCURRENT_REQUESTS": "4"}
        victim = start_worker("victim", tmp_path, catalog=catalog, database_url=pg_database_url,
                              crawl_id=crawl_id, settings=settings)
        survivor = start_worker("survivor", tmp_path, catalog=catalog, database_url=pg_database_url,
                                crawl_id=crawl_id, settings=settings)
        # kill the victim (and its extraction worker) while it holds a request at the site, after
        # it has done some of the crawl
        deadline = time.monotonic() + WAIT
        while not (site.agents["victim"] >= 8 and site.active_agents["victim"] > 0):
            assert victim.proc.poll() is None, "the victim finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        victim.kill()
        assert survivor.wait(WAIT) == 0, survivor.log()[-3000:]
        stored = report_paths(pg_database_url)
        assert lost_and_duplicated(stored, site.hosts) == (0, 0)
        # what the victim held was taken over once its lease ran out
        assert survivor.stats().get("govcrawl/distributed/reclaimed", 0) >= 1
        runs = _runs(pg_database_url)
        assert len(runs) == 1 and runs[0].finish_reason == "finished"
        assert runs[0].new == sum(len(paths) for paths in stored.values())
        assert crawl_keys(redis_url, crawl_id)[0].endswith(":finished")


def test_missing_is_marked_once_by_the_last_worker(redis_url, crawl_id, pg_database_url, tmp_path):
    night1, night2 = tmp_path / "night1", tmp_path / "night2"
    night1.mkdir()
    night2.mkdir()
    with LoopbackCatalog(hosts=3, latency=0.05) as site:
        _, codes = _crawl(site, night1, pg_database_url, crawl_id)
        assert codes == [0, 0]
        stored = report_paths(pg_database_url)
        gone = sorted(p for p in stored[site.hosts[0]] if p.endswith(".html"))[0]
        site.gone.add(gone)
        # every stored page is downloaded again: the gone one answers 404 on each host
        second, codes = _crawl(site, night2, pg_database_url, crawl_id + "-2",
                               settings={"GOVCRAWL_CONDITIONAL": "0"})
        delete_keys(redis_url, crawl_id + "-2")
        assert codes == [0, 0], [w.log()[-3000:] for w in second]
    runs = _runs(pg_database_url)
    assert len(runs) == 2 and runs[1].finish_reason == "finished"
    assert runs[1].missing == len(site.hosts)
    markers = [w.stats().get("govcrawl/storage/missing") for w in second]
    assert sorted(markers, key=lambda m: m is None) == [len(site.hosts), None]
    with get_engine(pg_database_url).connect() as conn:
        missing = conn.execute(sa.text("SELECT url FROM reports WHERE status = 'missing'")).scalars().all()
    assert sorted(u.split("/", 3)[3] for u in missing) == [gone.lstrip("/")] * len(site.hosts)
