"""Test helpers: Scrapy responses built from fixture files (City Scrapers' `file_response` pattern).

Spider tests build the response a callback would receive from the recorded mirror in
fixtures/sites and call the callback directly: no network, no reactor.
"""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path

from scrapy.http import Request
from scrapy.responsetypes import responsetypes

from govcrawl import PROJECT_ROOT
from govcrawl.offline import _CONTENT_TYPES, SIDECAR_SUFFIX, fixture_path

FIXTURES_DIR = PROJECT_ROOT / "fixtures" / "sites"
TEST_FILES_DIR = Path(__file__).parent / "files"


def _resolve(path: str | Path) -> Path:
    path = Path(path)
    if path.is_absolute():
        return path
    for root in (FIXTURES_DIR, TEST_FILES_DIR):
        if (root / path).is_file():
            return root / path
    raise FileNotFoundError(path)


def file_response(source: str | Path, url: str | None = None, *, form: str = "",
                  headers: dict | None = None, meta: dict | None = None,
                  request: Request | None = None, status: int | None = None):
    """The response a spider callback would get for a fixture file.

    `source` is either a URL, looked up in the mirror (`fixtures/sites/<host>/<path>`, with the
    query string and the POSTed `form` selecting `<path>@k=v&...` as in offline mode), or a file
    path (absolute, or relative to fixtures/sites or tests/files) served as `url`.

    Headers are what the offline server would send: a Content-Type guessed from the file name,
    overridden by the file's `.http.json` sidecar (e.g. a GBK page without a charset), then by
    `headers`. The response class (HtmlResponse, XmlResponse, TextResponse, Response) follows
    from them as in a real crawl. `meta` is attached through the request (`response.meta`).
    """
    if isinstance(source, str) and source.startswith(("http://", "https://")):
        url = url or source
        file = fixture_path(FIXTURES_DIR, source, form)
    else:
        file = _resolve(source)
        url = url or f"http://example.gov.cn/{file.name}"
    body = file.read_bytes()
    # the Content-Type the offline FixtureServer sends for this file name
    response_headers = {"Content-Type": _CONTENT_TYPES.get(
        file.suffix.lower(), mimetypes.guess_type(file.name)[0] or "application/octet-stream")}
    sidecar = file.with_name(file.name + SIDECAR_SUFFIX)
    response_status = 200
    if sidecar.is_file():
        spec = json.loads(sidecar.read_text("utf-8"))
        response_headers.update(spec.get("headers", {}))
        response_status = spec.get("status", 200)
    response_headers.update(headers or {})
    request = request or Request(url, meta=dict(meta or {}))
    cls = responsetypes.from_args(headers=response_headers, url=url, body=body)
    return cls(url=url, body=body, headers=response_headers, request=request,
               status=status or response_status)


def run_offline_crawl(spider: str, workdir: Path, *settings: str, timeout: int = 240,
                      exit_code: int = 0, spider_args: dict[str, str] | None = None) -> list[dict]:
    """Run `scrapy crawl <spider>` in offline mode (fixture mirror over loopback) from the repo
    root, into a SQLite database and a JSON-lines feed under `workdir`; the feed's records.

    Fails the test with the crawl's log when scrapy exits with another code than `exit_code`
    (govcrawl/scrapy_commands/crawl.py: 3 no report seen, 4 too many failures, 5 not finished).
    """
    import subprocess
    import sys

    out = Path(workdir) / "out.jsonl"
    cmd = [sys.executable, "-m", "scrapy", "crawl", spider, "-s", "GOVCRAWL_OFFLINE=1",
           "-s", f"GOVCRAWL_DATABASE_URL=sqlite:///{Path(workdir) / 'x.db'}", "-O", str(out)]
    for setting in settings:
        cmd += ["-s", setting]
    for name, value in (spider_args or {}).items():
        cmd += ["-a", f"{name}={value}"]
    proc = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == exit_code, proc.stderr[-4000:]
    return [json.loads(line) for line in out.read_text("utf-8").splitlines() if line.strip()]
