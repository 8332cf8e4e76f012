"""A loopback HTTP server for fault tests: routes map a path to a handler of one fault.

Time-bounded: a hanging route sleeps until the server is stopped (at most `hang_limit` seconds),
so no test can leave a thread behind.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Route = Callable[["FaultHandler"], None]


class FaultHandler(BaseHTTPRequestHandler):
    server: FaultServer

    def do_GET(self):
        self.server.seen.append(self.path)
        self.server.arrived.set()
        route = self.server.routes.get(self.path)
        if route is None:
            self.send(404, b"not found")
        else:
            route(self)

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

    def log_message(self, *args):  # quiet
        pass


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, routes: dict[str, Route], hang_limit: float = 60.0):
        super().__init__(("127.0.0.1", 0), FaultHandler)
        self.routes = routes
        self.hang_limit = hang_limit
        self.seen: list[str] = []
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
