"""Offline mode: any spider runs against the recorded mirror in fixtures/sites through Scrapy's
real download stack.

`-s GOVCRAWL_OFFLINE=1` enables `OfflineAddon`, which installs `OfflineDownloadHandler` for http and
https. The handler starts a `FixtureServer` on 127.0.0.1 (an ephemeral port) and sends every request
there over real HTTP/1.1 with Scrapy's own HTTP11 handler, then hands the response back under the
request's original URL. Everything above the handler (robots.txt, redirects, retries, charset
detection, cookies, conditional requests, middlewares, pipelines) runs exactly as online.

Mirror layout: `fixtures/sites/<host>/<path>`. A path ending in `/` serves `index.html`. A query
string (and a POSTed form body) selects `<path>@<k1=v1&k2=v2>`, parameters sorted, unencoded but for `/` (`%2F`). A
sidecar `<file>.http.json` may give `{"status": 412, "headers": {"Content-Type": "..."}}` to record
a site's quirks (no charset header, a WAF challenge, Last-Modified). Every file gets a strong ETag
of its content and answers `If-None-Match` / `If-Modified-Since` with 304, like a real server.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

from govcrawl import PROJECT_ROOT

DEFAULT_FIXTURES_DIR = PROJECT_ROOT / "fixtures" / "sites"
SIDECAR_SUFFIX = ".http.json"

_CONTENT_TYPES = {
    ".html": "text/html", ".htm": "text/html", ".shtml": "text/html", ".jsp": "text/html",
    ".xml": "text/xml", ".txt": "text/plain", ".pdf": "application/pdf",
    ".doc": "application/msword", ".wps": "application/kswps",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel", ".js": "application/javascript",
}


def fixture_key(path: str, query: str = "", form: str = "") -> str:
    """The mirror-relative file name for a URL path, its query and a POSTed form body."""
    if not path or path.endswith("/"):
        path = (path or "/") + "index.html"
    params = parse_qsl(query, keep_blank_values=True) + parse_qsl(form, keep_blank_values=True)
    if params:
        # "/" inside a value (Hanweb posts path=/) would make a sub-directory: escape it
        path += "@" + "&".join(f"{k}={v}".replace("/", "%2F") for k, v in sorted(params))
    return path.lstrip("/")


def fixture_path(root: Path, url: str, form: str = "") -> Path:
    """Where the mirror keeps the file for `url` (it may not exist)."""
    parts = urlsplit(url)
    return Path(root) / parts.netloc.lower() / fixture_key(parts.path, parts.query, form)


class _FixtureRequestHandler(BaseHTTPRequestHandler):
    server_version = "govcrawl-fixtures/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep test and crawl output clean
        pass

    def do_GET(self):
        self._serve(body_wanted=True)

    def do_HEAD(self):
        self._serve(body_wanted=False)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        self._serve(body_wanted=True, form=form)

    def _serve(self, body_wanted: bool, form: str = ""):
        # request path is /<host>/<path>?<query> (see OfflineDownloadHandler)
        split = urlsplit(self.path)
        host, _, rest = split.path.lstrip("/").partition("/")
        from urllib.parse import unquote

        file = Path(self.server.root) / host.lower() / fixture_key(
            "/" + unquote(rest), split.query, form)
        if not file.is_file() or file.name.endswith(SIDECAR_SUFFIX):
            body = b"<html><head><title>404 Not Found</title></head><body><h1>404</h1></body></html>"
            return self._send(404, {"Content-Type": "text/html"}, body, body_wanted)
        body = file.read_bytes()
        status, headers = 200, {"Content-Type": _CONTENT_TYPES.get(
            file.suffix.lower(), mimetypes.guess_type(file.name)[0] or "application/octet-stream")}
        sidecar = file.with_name(file.name + SIDECAR_SUFFIX)
        if sidecar.is_file():
            spec = json.loads(sidecar.read_text("utf-8"))
            status = spec.get("status", 200)
            headers.update(spec.get("headers", {}))
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        headers.setdefault("ETag", etag)
        if status == 200 and self._not_modified(headers):
            return self._send(304, {"ETag": headers["ETag"]}, b"", False)
        return self._send(status, headers, body, body_wanted)

    def _not_modified(self, headers: dict) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            return headers["ETag"] in [t.strip() for t in inm.split(",")]
        ims, lm = self.headers.get("If-Modified-Since"), headers.get("Last-Modified")
        if ims and lm:
            try:
                return email.utils.parsedate_to_datetime(lm) <= email.utils.parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
        return False

    def _send(self, status: int, headers: dict, body: bytes, body_wanted: bool):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body_wanted and body:
            self.wfile.write(body)


class FixtureServer:
    """A loopback HTTP server over a fixture mirror; `with FixtureServer(root) as s: s.port`."""

    def __init__(self, root: Path | str = DEFAULT_FIXTURES_DIR, host: str = "127.0.0.1"):
        self.root = Path(root)
        self._httpd = ThreadingHTTPServer((host, 0), _FixtureRequestHandler)
        self._httpd.daemon_threads = True
        self._httpd.root = self.root
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def local_url(self, url: str) -> str:
        """The loopback URL that serves `url` from the mirror."""
        parts = urlsplit(url)
        local = f"http://127.0.0.1:{self.port}/{parts.netloc.lower()}{quote(parts.path or '/', safe='/%')}"
        return local + (f"?{parts.query}" if parts.query else "")

    def start(self) -> FixtureServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="fixture-server",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class OfflineDownloadHandler(HTTP11DownloadHandler):
    """http/https handler that fetches from the fixture mirror over loopback HTTP."""

    lazy = False

    def __init__(self, crawler):
        super().__init__(crawler)
        root = crawler.settings.get("GOVCRAWL_FIXTURES_DIR") or DEFAULT_FIXTURES_DIR
        self.server = FixtureServer(root).start()

    async def download_request(self, request):
        local = request.replace(url=self.server.local_url(request.url))
        response = await super().download_request(local)
        return response.replace(url=request.url)

    async def close(self) -> None:
        await super().close()
        self.server.stop()


class OfflineAddon:
    """Switches a crawl to the fixture mirror when GOVCRAWL_OFFLINE is set (`-s GOVCRAWL_OFFLINE=1`)."""

    def update_settings(self, settings):
        if not settings.getbool("GOVCRAWL_OFFLINE"):
            return
        handler = "govcrawl.offline.OfflineDownloadHandler"
        # "spider" priority: above the project's (and a spider's own) politeness settings, below
        # the command line, so `-s DOWNLOAD_DELAY=...` still wins
        overrides = {
            "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
            # loopback: politeness delays only slow the run down
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        }
        for name, value in overrides.items():
            settings.set(name, value, priority="spider")
