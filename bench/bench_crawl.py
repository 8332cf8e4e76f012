"""Whole offline crawls: wall time, requests, reports and peak memory per spider, as a table.

    .venv/bin/python bench/bench_crawl.py [spider ...]

Each spider crawls its fixture mirror (`-s GOVCRAWL_OFFLINE=1`, loopback HTTP) into a fresh SQLite
database in a temp directory, in its own process; the second run over the same database measures a
nightly re-run (conditional requests, nothing re-parsed). Peak memory is the crawl process's maximum
resident set size. Nothing is asserted.
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


def crawl(spider: str, args: list[str], db: str, stats_file: str) -> tuple[float, int, dict]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", spider, *args, "-s", "GOVCRAWL_OFFLINE=1",
           "-s", f"GOVCRAWL_DATABASE_URL=sqlite:///{db}", "-s", "GOVCRAWL_SUMMARY=0",
           "-s", "LOG_LEVEL=ERROR", "-s", "STATS_DUMP=0", "-s", f"GOVCRAWL_STATS_FILE={stats_file}"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.stderr.write(proc.stderr.read().decode("utf-8", "replace")[-2000:])
    stats = json.loads(Path(stats_file).read_text()) if Path(stats_file).exists() else {}
    return seconds, usage.ru_maxrss, stats  # ru_maxrss is in KiB on Linux


def main() -> None:
    names = sys.argv[1:] or list(SPIDERS)
    print(f"{'spider':<8} {'run':<8} {'seconds':>8} {'requests':>9} {'req/s':>7} {'new':>5} "
          f"{'changed':>8} {'unchanged':>10} {'peak RSS MiB':>13}")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            db = f"{tmp}/{name}.db"
            for run in ("first", "nightly"):
                stats_file = f"{tmp}/{name}-{run}.json"
                seconds, rss_kib, stats = crawl(name, SPIDERS.get(name, []), db, stats_file)
                requests = stats.get("downloader/request_count", 0)
                print(f"{name:<8} {run:<8} {seconds:>8.2f} {requests:>9} {requests / seconds:>7.1f} "
                      f"{stats.get('govcrawl/storage/new', 0):>5} "
                      f"{stats.get('govcrawl/storage/changed', 0):>8} "
                      f"{stats.get('govcrawl/storage/unchanged', 0):>10} {rss_kib / 1024:>13.1f}")


if __name__ == "__main__":
    main()
