"""A loopback catalog of many hosts for distributed crawls (tests/distributed, bench/bench_distributed.py).

Each host is its own HTTP server on its own loopback address (127.0.0.2, 127.0.0.3, ...: Linux
answers the whole 127/8 on `lo`), so Scrapy and the crawl's host leases see distinct hosts. Every
host serves a copy of the recorded Anshun TRS column (fixtures/sites/www.anshun.gov.cn: year
sub-columns, paged listings, HTML reports, an attachment-only report), after a simulated latency.

The site measures what the crawl did to it, whoever the worker: requests per URL (`hits`), per
User-Agent (`agents`), the requests a host is serving at the same moment (`max_active`, from the
request's arrival to the start of its answer), and which agents have a request in progress
(`active_agents`, for killing a worker while it holds one). `gone` paths answer 404.
"""

from __future__ import annotations

import csv
import mimetypes
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from govcrawl import PROJECT_ROOT

MIRROR = PROJECT_ROOT / "fixtures" / "sites" / "www.anshun.gov.cn"
COLUMN_PATH = "/zfxxgk/zfxxgknb/"
ROBOTS = b"User-agent: *\nDisallow: /irs/\n"


class _Handler(BaseHTTPRequestHandler):
    server_version = "govcrawl-loopback/1"
    protocol_version = "HTTP/1.1"
    server: _HostServer

    def log_message(self, *args):
        pass

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # a worker killed with a kept-alive connection open

    def do_GET(self):
        site, host = self.server.site, self.server.host
        path = urlsplit(self.path).path
        agent = self.headers.get("User-Agent", "")
        site.arrive(host, path, agent)
        try:
            if site.latency:
                time.sleep(site.latency)
            status, body, ctype = site.answer(path)
        finally:
            # the host's work for this request is done when its answer starts: what the client
            # does next (another request at once) must not count as overlapping this one
            site.leave(host, agent)
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # a worker killed mid-answer


class _HostServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, site: LoopbackCatalog):
        super().__init__(address, _Handler)
        self.site = site
        self.host = f"{address[0]}:{self.server_address[1]}"


class LoopbackCatalog:
    def __init__(self, hosts: int = 3, latency: float = 0.0, mirror: Path = MIRROR):
        self.n_hosts = hosts
        self.latency = latency
        self.mirror = Path(mirror)
        self.lock = threading.Lock()
        self.hits: Counter = Counter()          # (host, path) -> requests
        self.agents: Counter = Counter()        # User-Agent -> requests
        self.active: Counter = Counter()        # host -> requests being served now
        self.max_active: Counter = Counter()    # host -> most requests served at once
        self.active_agents: Counter = Counter()  # User-Agent -> requests being served now
        self.gone: set[str] = set()             # paths answering 404
        self.first = self.last = 0.0            # monotonic times of the first and last request
        self.servers: list[_HostServer] = []
        self._threads: list[threading.Thread] = []

    # --- serving ------------------------------------------------------------------------------------
    def arrive(self, host: str, path: str, agent: str) -> None:
        with self.lock:
            now = time.monotonic()
            self.first = self.first or now
            self.last = now
            self.hits[(host, path)] += 1
            self.agents[agent] += 1
            self.active[host] += 1
            self.max_active[host] = max(self.max_active[host], self.active[host])
            self.active_agents[agent] += 1

    def leave(self, host: str, agent: str) -> None:
        with self.lock:
            self.active[host] -= 1
            self.active_agents[agent] -= 1
            self.last = time.monotonic()

    def answer(self, path: str) -> tuple[int, bytes, str]:
        if path == "/robots.txt":
            return 200, ROBOTS, "text/plain"
        if path in self.gone:
            return 404, b"<html><body><h1>404</h1></body></html>", "text/html"
        file = self.mirror / unquote(path).lstrip("/")
        if path.endswith("/"):
            file = file / "index.html"
        if not file.is_file() or file.name.endswith(".http.json") or self.mirror not in file.resolve().parents:
            return 404, b"<html><body><h1>404</h1></body></html>", "text/html"
        ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return 200, file.read_bytes(), ctype

    # --- life ---------------------------------------------------------------------------------------
    def start(self) -> LoopbackCatalog:
        for i in range(self.n_hosts):
            server = _HostServer((f"127.0.0.{2 + i}", 0), self)
            thread = threading.Thread(target=server.serve_forever, name=f"loopback-{i}", daemon=True)
            thread.start()
            self.servers.append(server)
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def reset_counts(self) -> None:
        with self.lock:
            for counter in (self.hits, self.agents, self.max_active):
                counter.clear()
            self.first = self.last = 0.0

    # --- what the crawl sees ----------------------------------------------------------------------
    @property
    def hosts(self) -> list[str]:
        return [server.host for server in self.servers]

    def column_urls(self) -> list[str]:
        return [f"http://{host}{COLUMN_PATH}" for host in self.hosts]

    def write_catalog(self, path: Path | str) -> Path:
        """A catalog file with one TRS column per host, all in 安顺市 (`-a region=520400`)."""
        path = Path(path)
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["agency", "key", "region_code", "level", "site", "column_url", "family",
                             "source"])
            for i, (host, url) in enumerate(zip(self.hosts, self.column_urls())):
                agency = f"安顺市第{i + 1}局"
                writer.writerow([agency, f"520400:第{i + 1}局", "520400", "prefecture-department",
                                 host.split(":")[0], url, "trs", url])
        return path

    def duplicates(self, skip=("/robots.txt",)) -> int:
        """Requests beyond the first for the same URL (robots.txt, fetched by each worker, aside)."""
        return sum(n - 1 for (_, path), n in self.hits.items() if n > 1 and path not in skip)

    def paths_by_host(self, skip=("/robots.txt",)) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {host: set() for host in self.hosts}
        for (host, path) in self.hits:
            if path not in skip:
                out.setdefault(host, set()).add(path)
        return out


def report_paths(database_url: str) -> dict[str, list[str]]:
    """host -> the paths of the reports stored, one entry per stored version (a duplicate shows
    twice), from the crawl's database."""
    import sqlalchemy as sa

    from govcrawl.storage.db import get_engine

    engine = get_engine(database_url)
    out: dict[str, list[str]] = {}
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT r.url FROM reports r JOIN report_versions v ON v.report_id = r.id")).all()
    for (url,) in rows:
        parts = urlsplit(url)
        out.setdefault(parts.netloc, []).append(parts.path)
    return out


def lost_and_duplicated(stored: dict[str, list[str]], hosts: list[str]) -> tuple[int, int]:
    """(lost, duplicates) of a crawl of identical hosts: a report path one host lacks while
    another has it is lost; a path stored twice for one host (two versions) is a duplicate."""
    every = set().union(*(set(paths) for paths in stored.values())) if stored else set()
    lost = sum(len(every - set(stored.get(host, []))) for host in hosts)
    duplicates = sum(len(paths) - len(set(paths)) for paths in stored.values())
    return lost, duplicates
