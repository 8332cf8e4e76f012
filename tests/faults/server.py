"""A loopback HTTP server for fault tests: routes map a path to a handler of one fault.

`routes` may be swapped between crawls (a site that answered well one night and badly the next).
The handler's helpers serve each fault: `send`, `redirect`, `gzip_bomb`, `truncated`,
`announce_oversize`, `trickle` (a body slower than any download timeout), `hang` (no answer),
`send_cached` (ETag and 304). `hits` counts requests per path (a route failing only its first
time). A client that gives up mid-answer (a timeout, a cancelled download) is expected: the broken
connection is not an error.

Time-bounded: a hanging or trickling route stops when the server is stopped (at most
`hang_limit` seconds), so no test can leave a thread behind.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections import Counter
from collections.abc import Callable
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Route = Callable[["FaultHandler"], None]


class FaultHandler(BaseHTTPRequestHandler):
    server: FaultServer

    def do_GET(self):
        self.server.seen.append(self.path)
        self.server.hits[self.path] += 1
        self.server.arrived.set()
        route = self.server.routes.get(self.path)
        try:
            if route is None:
                self.send(404, b"not found")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout, a download over its size limit)

    do_POST = do_GET

    def send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
             headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def hang(self) -> None:
        """Accept the request and never answer (until the server stops)."""
        self.server.hanging.set()
        deadline = time.monotonic() + self.server.hang_limit
        while not self.server.stopping.is_set() and time.monotonic() < deadline:
            time.sleep(0.05)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send(status, b"", headers={"Location": location})

    def send_cached(self, body: bytes, etag: str) -> None:
        """The page with a strong ETag; a 304 to a request that sends it back."""
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send(200, body, headers={"ETag": etag})

    def gzip_bomb(self, size: int) -> None:
        """`size` bytes of zeros, gzip-compressed to a small body (a decompression bomb)."""
        self.send(200, _zeros_gzip(size), headers={"Content-Encoding": "gzip"})

    def truncated(self, body: bytes, claimed: int) -> None:
        """A Content-Length of `claimed` bytes, then `body` (shorter) and the connection closed."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(claimed))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        self.close_connection = True

    def announce_oversize(self, claimed: int) -> None:
        """Headers announcing a body of `claimed` bytes, and no body (the client cancels)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(claimed))
        self.end_headers()
        self.close_connection = True

    def trickle(self, body: bytes, delay: float) -> None:
        """The headers at once, then the body one byte per `delay` seconds (until the client gives
        up or the server stops)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        deadline = time.monotonic() + self.server.hang_limit
        for i in range(len(body)):
            if self.server.stopping.is_set() or time.monotonic() > deadline:
                break
            self.wfile.write(body[i:i + 1])
            self.wfile.flush()
            time.sleep(delay)
        self.close_connection = True

    def log_message(self, *args):  # quiet
        pass


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, routes: dict[str, Route], hang_limit: float = 60.0):
        super().__init__(("127.0.0.1", 0), FaultHandler)
        self.routes = routes
        self.hang_limit = hang_limit
        self.seen: list[str] = []
        self.hits: Counter = Counter()
        self.arrived = threading.Event()
        self.hanging = threading.Event()
        self.stopping = threading.Event()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()


@cache
def _zeros_gzip(size: int) -> bytes:
    return gzip.compress(b"\0" * size, compresslevel=9)
