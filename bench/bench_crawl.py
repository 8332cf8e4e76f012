"""Whole offline crawls: a first run and a nightly re-run per spider, as two tables.

    .venv/bin/python bench/bench_crawl.py [spider ...]

Each spider crawls its fixture mirror (`-s GOVCRAWL_OFFLINE=1`, loopback HTTP) into a fresh SQLite
database in a temp directory, in its own process; the second run over the same database is a
nightly re-run of an unchanged site. The first table gives wall time, requests, stored outcomes and
peak memory (the crawl process's maximum resident set size); the second the requests by kind
(robots.txt, listing, detail, attachment: the `govcrawl/downloads/<kind>` stats of
govcrawl/storage/middleware.py) with the ratio re-run / first run. The re-run is measured as a
night on which no stored page is due for re-validation (`GOVCRAWL_RECHECK_DAYS` far larger than
the minutes between the runs), as the next night (the first run's fetches moved a day into the
past, default `GOVCRAWL_RECHECK_DAYS` (7): the pages whose due moment fell in that day, about 1/7 of
them, are re-validated), and with every page due (`GOVCRAWL_RECHECK_DAYS=0`, what every night cost
before pages were re-validated in turns). Nothing is asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPIDERS = {"anshun": [], "panan": [], "guandu": [], "jilin": [],
           "column": ["-a", "url=http://www.guiyang.gov.cn/zwgk/zfxxgks/zfxxgknb/"]}
KINDS = ("robots", "listing", "detail", "attachment")
#: the re-runs: (label, settings, days the first run is moved into the past)
RERUNS = (("none due", ["-s", "GOVCRAWL_RECHECK_DAYS=100000"], 0),
          ("next night", [], 1),
          ("all due", ["-s", "GOVCRAWL_RECHECK_DAYS=0"], 0))


def age(db: str, days: int) -> None:
    """Move the first run's fetches `days` into the past: the re-run is the next night's."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        for table in ("reports", "pages"):
            conn.execute(f"UPDATE {table} SET last_fetched = datetime(last_fetched, '-{days} days')")


def crawl(spider: str, args: list[str], db: str, stats_file: str) -> tuple[float, int, dict]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", spider, *args, "-s", "GOVCRAWL_OFFLINE=1",
           "-s", f"GOVCRAWL_DATABASE_URL=sqlite:///{db}", "-s", "GOVCRAWL_SUMMARY=0",
           "-s", "LOG_LEVEL=ERROR", "-s", "STATS_DUMP=0", "-s", f"GOVCRAWL_STATS_FILE={stats_file}"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()  # read before waiting: a full pipe would block the crawl
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code:
        sys.stderr.write(f"{spider}: exit code {code}\n" + err.decode("utf-8", "replace")[-2000:])
    stats = json.loads(Path(stats_file).read_text()) if Path(stats_file).exists() else {}
    return seconds, usage.ru_maxrss, stats  # ru_maxrss is in KiB on Linux


def kinds(stats: dict) -> dict[str, int]:
    return {kind: int(stats.get(f"govcrawl/downloads/{kind}", 0)) for kind in KINDS}


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "-"


def main() -> None:
    names = sys.argv[1:] or list(SPIDERS)
    runs: list[tuple[str, str, float, int, dict]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            args = SPIDERS.get(name, [])
            for i, (label, settings, days) in enumerate(RERUNS):
                # each re-run follows a first run into a fresh database of its own; the first
                # run is reported once
                db = f"{tmp}/{name}-{i}.db"
                seconds, rss_kib, stats = crawl(name, args, db, f"{tmp}/{name}-{i}-first.json")
                if i == 0:
                    runs.append((name, "first", seconds, rss_kib, stats))
                if days:
                    age(db, days)
                seconds, rss_kib, stats = crawl(name, args + settings, db, f"{tmp}/{name}-{i}.json")
                runs.append((name, label, seconds, rss_kib, stats))

    print(f"{'spider':<8} {'run':<10} {'seconds':>8} {'requests':>9} {'req/s':>7} {'new':>5} "
          f"{'changed':>8} {'unchanged':>10} {'peak RSS MiB':>13}")
    for name, run, seconds, rss_kib, stats in runs:
        requests = stats.get("downloader/request_count", 0)
        print(f"{name:<8} {run:<10} {seconds:>8.2f} {requests:>9} {requests / seconds:>7.1f} "
              f"{stats.get('govcrawl/storage/new', 0):>5} "
              f"{stats.get('govcrawl/storage/changed', 0):>8} "
              f"{stats.get('govcrawl/storage/unchanged', 0):>10} {rss_kib / 1024:>13.1f}")

    print()
    print("requests by kind; ratio = re-run / first run")
    header = f"{'spider':<8} {'run':<10}" + "".join(f"{k:>11}" for k in KINDS) + f"{'all':>7}" \
        + "".join(f"{'/' + k[:6]:>9}" for k in ("detail", "attachment")) + f"{'/all':>7}"
    print(header)
    print("-" * len(header))
    first: dict[str, dict[str, int]] = {}
    for name, run, _, _, stats in runs:
        counts = kinds(stats)
        total = int(stats.get("downloader/request_count", 0))
        line = f"{name:<8} {run:<10}" + "".join(f"{counts[k]:>11}" for k in KINDS) + f"{total:>7}"
        if run == "first":
            first[name] = {**counts, "all": total}
        else:
            base = first.get(name, {})
            line += "".join(f"{ratio(counts[k], base.get(k, 0)):>9}" for k in ("detail", "attachment"))
            line += f"{ratio(total, base.get('all', 0)):>7}"
        print(line)


if __name__ == "__main__":
    main()
