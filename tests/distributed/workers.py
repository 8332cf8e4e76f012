"""Starting crawl workers of one distributed crawl as subprocesses (tests/distributed, the bench).

Each worker is `scrapy crawl catalog` over a loopback catalog (tests/distributed/site.py) with
`-s GOVCRAWL_DISTRIBUTED=...`, in its own process group (a SIGKILL takes its extraction workers
with it, as a machine dying would), with its own User-Agent (so the site can tell the workers
apart), stats file and log file.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from govcrawl import PROJECT_ROOT

REDIS_URL = os.environ.get("GOVCRAWL_TEST_REDIS", "redis://127.0.0.1:6379/0")


@dataclass
class Worker:
    name: str
    proc: subprocess.Popen
    stats_file: Path
    log_file: Path
    started: float = field(default_factory=time.monotonic)

    def stats(self) -> dict:
        return json.loads(self.stats_file.read_text("utf-8")) if self.stats_file.is_file() else {}

    def log(self) -> str:
        return self.log_file.read_text("utf-8", "replace") if self.log_file.is_file() else ""

    def wait(self, timeout: float) -> int:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()


def start_worker(name: str, tmp: Path, *, catalog: Path, database_url: str, crawl_id: str,
                 redis_url: str = REDIS_URL, settings: dict | None = None,
                 cpu: int | None = None) -> Worker:
    stats_file, log_file = tmp / f"{name}-stats.json", tmp / f"{name}.log"
    options = {
        "GOVCRAWL_DISTRIBUTED": redis_url, "GOVCRAWL_CRAWL_ID": crawl_id,
        "GOVCRAWL_DATABASE_URL": database_url, "USER_AGENT": name,
        "GOVCRAWL_SUMMARY": "0", "GOVCRAWL_STATS_FILE": str(stats_file),
        "LOG_FILE": str(log_file), "LOG_LEVEL": "INFO", "STATS_DUMP": "0",
        # loopback: no politeness delay to wait out, a short lease so a kill is over quickly
        "DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "0", "GOVCRAWL_EXTRACT_WORKERS": "1",
        "GOVCRAWL_DISTRIBUTED_LEASE": "2", "GOVCRAWL_DISTRIBUTED_FINISHED_TTL": "5",
        "GOVCRAWL_STOP_GRACE": "0",
        **(settings or {}),
    }
    cmd: Sequence[str] = [sys.executable, "-m", "scrapy", "crawl", "catalog", "-a", f"file={catalog}",
                          "-a", "region=520400"]
    for key, value in options.items():
        cmd = [*cmd, "-s", f"{key}={value}"]
    if cpu is not None:
        # one core for the worker and everything it starts (its extraction workers inherit it)
        cmd = ["taskset", "-c", str(cpu), *cmd]
    env = {k: v for k, v in os.environ.items() if k != "GOVCRAWL_DATABASE_URL"}
    proc = subprocess.Popen(list(cmd), cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    return Worker(name, proc, stats_file, log_file)


def delete_keys(redis_url: str, crawl_id: str) -> int:
    """Delete every key of the crawls with this id (whatever their scope)."""
    import redis

    server = redis.Redis.from_url(redis_url)
    keys = list(server.scan_iter(match=f"govcrawl:*:{crawl_id}:*", count=500))
    return server.delete(*keys) if keys else 0


def crawl_keys(redis_url: str, crawl_id: str) -> list[str]:
    import redis

    server = redis.Redis.from_url(redis_url)
    return sorted(k.decode() for k in server.scan_iter(match=f"govcrawl:*:{crawl_id}:*", count=500))
