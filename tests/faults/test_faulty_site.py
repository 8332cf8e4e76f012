"""Nightly data downstream can trust, on a faulty loopback site (tests/faults/site.py).

Each column is crawled twice into its own database with the generic `column` spider, as a user
runs it: a good night that stores every report, then a faulty night. The faulty night must

- account for every page it requested in exactly one outcome (the summary's `pages:` line, and the
  same counts in the stats file), robots.txt left out and retries counted once;
- leave one failure row per fault, with the right kind and a reason;
- mark `missing` only the reports that answered 404/410, and only when the listing was crawled
  completely (column A); a listing page that failed (column B: a 500) or was capped (column C:
  two million pages announced) marks nothing missing at all.

The crawls run once for the module (two lanes in parallel: column A, then columns B and C), each
bounded by a subprocess timeout; every test is bounded too.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.faults import site
from tests.faults.server import FaultServer
from tests.helpers import PROJECT_ROOT

pytestmark = pytest.mark.timeout(300)

_LINE = re.compile(r"pages: (?P<requested>\d+) requested = (?P<stored>\d+) stored \+ (?P<unchanged>\d+) unchanged"
                   r" \+ (?P<not_report>\d+) not a report \(of which (?P<listing>\d+) listing pages\)"
                   r" \+ (?P<failed>\d+) failed \+ (?P<blocked>\d+) blocked$", re.M)
OUTCOMES = ("stored", "unchanged", "not_report", "failed", "blocked")


@dataclass
class Night:
    column: str
    returncode: int
    stdout: str
    log: str
    stats: dict
    seconds: float
    #: requests the server saw per path during this night
    hits: Counter = field(default_factory=Counter)

    def counts(self) -> dict[str, int]:
        m = _LINE.search(self.stdout)
        assert m, f"no accounting line in the summary:\n{self.stdout}\n{self.log[-3000:]}"
        return {k: int(v) for k, v in m.groupdict().items()}

    def context(self) -> str:
        return f"{self.stdout}\n{self.log[-4000:]}"


@dataclass
class Column:
    name: str
    base: str
    db: Path
    nights: list[Night]

    def url(self, path: str) -> str:
        return f"{self.base}/{self.name}/{path}"

    def query(self, sql: str, *params) -> list[tuple]:
        with sqlite3.connect(self.db) as conn:
            return conn.execute(sql, params).fetchall()

    def failures(self, night: int) -> dict[str, list[tuple[str, str]]]:
        """url -> [(kind, reason)] of the failure rows of that night (1 or 2)."""
        (run_id,) = self.query("SELECT id FROM crawl_runs ORDER BY id LIMIT 1 OFFSET ?", night - 1)[0]
        found: dict[str, list[tuple[str, str]]] = {}
        for url, kind, reason in self.query("SELECT url, kind, reason FROM crawl_failures WHERE run_id = ?", run_id):
            found.setdefault(url, []).append((kind, reason))
        return found

    def status(self) -> dict[str, str]:
        return dict(self.query("SELECT url, status FROM reports"))


def _crawl(server: FaultServer, column: str, work: Path, night: int) -> Night:
    stats, log = work / f"stats{night}.json", work / f"crawl{night}.log"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "column", "-a", f"url={server.base}/{column}/",
           "-s", f"GOVCRAWL_DATABASE_URL=sqlite:///{work / 'x.db'}",
           "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "RETRY_TIMES=1",
           "-s", "DOWNLOAD_TIMEOUT=3", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
           # every stored page is asked for again (with its validators) on the second night
           "-s", "GOVCRAWL_RECHECK_DAYS=0", "-s", "GOVCRAWL_EXTRACT_WORKERS=1",
           "-s", f"DOWNLOAD_MAXSIZE={site.DOWNLOAD_MAXSIZE}",
           "-s", f"GOVCRAWL_MAX_LISTING_PAGES={site.MAX_LISTING_PAGES}",
           "-s", f"GOVCRAWL_STATS_FILE={stats}", "-s", f"LOG_FILE={log}", "-L", "INFO"]
    before = Counter(server.hits)
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=180)
    took = time.monotonic() - started
    text = log.read_text("utf-8") if log.exists() else proc.stderr
    hits = Counter({path: n - before[path] for path, n in server.hits.items()
                    if path.startswith(f"/{column}/") and n > before[path]})
    return Night(column, proc.returncode, proc.stdout, text,
                 json.loads(stats.read_text("utf-8")) if stats.exists() else {}, took, hits)


def _two_nights(server: FaultServer, column: str, work: Path) -> Column:
    work.mkdir(parents=True, exist_ok=True)
    first = _crawl(server, column, work, 1)
    server.routes.update(site.column_routes(column, faulty=True))
    second = _crawl(server, column, work, 2)
    return Column(column, server.base, work / "x.db", [first, second])


@pytest.fixture(scope="module")
def columns(tmp_path_factory) -> dict[str, Column]:
    work = tmp_path_factory.mktemp("faulty-site")
    routes = {}
    for name in site.COLUMNS:
        routes.update(site.column_routes(name, faulty=False))
    with FaultServer(routes, hang_limit=20) as server, ThreadPoolExecutor(2) as lanes:
        a = lanes.submit(_two_nights, server, "a", work / "a")
        bc = lanes.submit(lambda: [_two_nights(server, name, work / name) for name in ("b", "c")])
        found = [a.result(), *bc.result()]
    return {c.name: c for c in found}


# --- accounting ---------------------------------------------------------------------------------------
#: column -> night -> the pages' outcomes ("listing" counts the listing pages among not_report)
A_LINKED = len(site.A_LINKED)
EXPECTED = {
    "a": {
        # 2 listing pages, every linked page, the PDF the linking page leads to
        1: {"requested": 2 + A_LINKED + 1, "stored": len(site.A_REPORTS) + 1, "unchanged": 0,
            "not_report": 2 + 1, "listing": 2, "failed": 0, "blocked": 0},
        2: {"requested": 2 + A_LINKED + 1,
            "stored": sum(1 for o in site.A_OUTCOMES.values() if o == "stored"),
            "unchanged": sum(1 for o in site.A_OUTCOMES.values() if o == "unchanged"),
            "not_report": 2 + sum(1 for o in site.A_OUTCOMES.values() if o == "not_report"), "listing": 2,
            "failed": sum(1 for kind, _ in site.A_FAILURES.values() if kind != "blocked"),
            "blocked": sum(1 for kind, _ in site.A_FAILURES.values() if kind == "blocked")},
    },
    # B's second listing page fails: its report is not reached
    "b": {1: {"requested": 5, "stored": 3, "unchanged": 0, "not_report": 2, "listing": 2, "failed": 0, "blocked": 0},
          2: {"requested": 4, "stored": 0, "unchanged": 1, "not_report": 1, "listing": 1, "failed": 2, "blocked": 0}},
    # C's faulty night: the column page (capped: a failure), pages 2-5 of the budget (page 2 answers,
    # 3-5 are 404), and its three reports (one 404)
    "c": {1: {"requested": 5, "stored": 3, "unchanged": 0, "not_report": 2, "listing": 2, "failed": 0, "blocked": 0},
          2: {"requested": 8, "stored": 0, "unchanged": 2, "not_report": 1, "listing": 1, "failed": 5, "blocked": 0}},
}


@pytest.mark.parametrize("night", [1, 2])
@pytest.mark.parametrize("column", ["a", "b", "c"])
def test_every_page_requested_ends_in_exactly_one_outcome(columns, column, night):
    crawl = columns[column].nights[night - 1]
    counts = crawl.counts()
    assert sum(counts[k] for k in OUTCOMES) == counts["requested"], crawl.context()
    assert counts == EXPECTED[column][night], crawl.context()
    # the stats file says the same
    for key in (*OUTCOMES, "requested", "listing"):
        assert crawl.stats.get(f"govcrawl/pages/{key}", 0) == counts[key], key
    # robots.txt is fetched, but it is the middleware's request, not a page of the crawl
    assert crawl.stats.get("robotstxt/request_count") == 1


@pytest.mark.parametrize("column", ["a", "b", "c"])
def test_both_nights_finish_and_the_faulty_one_alarms(columns, column):
    good, faulty = columns[column].nights
    assert good.returncode == 0 and good.stats.get("finish_reason") == "finished", good.context()
    # more than GOVCRAWL_MAX_FAILED_SHARE of the pages failed: exit 4, but the crawl finished
    assert faulty.returncode == 4 and faulty.stats.get("finish_reason") == "finished", faulty.context()
    assert "Traceback" not in good.log + faulty.log
    assert columns[column].failures(1) == {}


def test_retries_count_once(columns):
    faulty = columns["a"].nights[1]
    # RETRY_TIMES=1: two requests each, one page each (the counts above add up to the pages)
    for path in ("error500.html", "timeout.html", "slow.html", "truncated.html", "flaky.html"):
        assert faulty.hits[f"/a/{path}"] == 2, (path, faulty.hits)
    assert len(columns["a"].failures(2)[columns["a"].url("error500.html")]) == 1


# --- one failure row per fault --------------------------------------------------------------------------
@pytest.mark.parametrize("path", list(site.A_FAILURES))
def test_each_fault_is_a_failure_with_its_kind_and_reason(columns, path):
    a = columns["a"]
    rows = a.failures(2).get(a.url(path))
    assert rows is not None, f"{path}: no failure row\n{a.nights[1].context()}"
    assert len(rows) == 1, rows
    kind, reason = rows[0]
    assert (kind, site.A_FAILURES[path][1] in reason) == (site.A_FAILURES[path][0], True), rows


def test_nothing_else_failed(columns):
    a, b, c = columns["a"], columns["b"], columns["c"]
    assert set(a.failures(2)) == {a.url(p) for p in site.A_FAILURES}
    assert {u: rows[0][0] for u, rows in b.failures(2).items()} == {
        b.url("index_1.html"): "http", b.url("b_gone.html"): "http"}
    assert {u: rows[0][0] for u, rows in c.failures(2).items()} == {
        c.url(""): "limit", c.url("c_gone.html"): "http",
        **{c.url(f"index_{n}.html"): "http" for n in range(2, site.MAX_LISTING_PAGES)}}


def test_redirect_failures_are_recorded_under_the_page_asked_for(columns):
    a = columns["a"]
    failures = a.failures(2)
    (_, offsite), = failures[a.url("offsite.html")]
    assert f"http://localhost:{a.base.rsplit(':', 1)[1]}/a/ok.html" in offsite
    (_, loop), = failures[a.url("loop.html")]
    assert loop.endswith(f"{a.url('loop2.html')} -> {a.url('loop.html')}")
    (_, many), = failures[a.url("redirects.html")]
    assert a.url("hop/10") in many and a.url("hop/11") not in many  # REDIRECT_MAX_TIMES=10
    # no hop of a chain is a page, or a failure, of its own
    assert not [u for u in failures if "/hop/" in u or u.endswith("loop2.html")]


# --- missing means gone, from a listing crawled completely ----------------------------------------------
def test_stored_reports_stay_active_except_the_gone_ones(columns):
    a = columns["a"]
    status = a.status()
    assert status.pop(a.url("gone404.html")) == "missing"
    assert status.pop(a.url("gone410.html")) == "missing"
    assert set(status.values()) == {"active"}, status
    assert set(status) == {a.url(p) for p in (*site.A_REPORTS, site.PDF_NAME, site.RENAMED_TO)} - {
        a.url("gone404.html"), a.url("gone410.html")}


def test_the_summary_lists_what_went_missing_and_what_failed(columns):
    a = columns["a"]
    out = a.nights[1].stdout
    assert f"  missing (2):\n    {a.url('gone404.html')}\n    {a.url('gone410.html')}\n" in out, out
    failed = len(site.A_FAILURES)
    assert f"  failed ({failed}, the first 10):" in out
    listed = re.findall(r"^    (\S+)  \[(\w+): ", out, re.M)
    assert len(listed) == 10 and all(site.A_FAILURES[url.split("/a/", 1)[1]][0] == kind for url, kind in listed)


def test_a_page_moved_within_the_site_is_stored_where_it_answered_and_stays_active(columns):
    a = columns["a"]
    versions = dict(a.query("SELECT r.url, count(v.id) FROM reports r JOIN report_versions v "
                            "ON v.report_id = r.id GROUP BY r.url"))
    # the report is read from the page it answered at (`url`: the page it was read from) ...
    assert versions[a.url(site.RENAMED_TO)] == 1
    # ... and the URL the listing links keeps its first night's report, active: it answered
    assert versions[a.url("renamed.html")] == 1
    assert a.status()[a.url("renamed.html")] == "active"
    # the failed page is recorded under the URL asked for, never under where it went
    (_, reason), = a.failures(2)[a.url("moved.html")]
    assert reason.endswith(f"(redirected: {a.url('moved.html')} -> {a.url(site.MOVED_TO)})")


def test_a_listing_page_that_failed_marks_nothing_missing(columns):
    b = columns["b"]
    assert b.failures(2)[b.url("index_1.html")] == [("http", "HTTP 500")]
    # its 404 report and the report only the failed page links both stay
    assert b.status() == {b.url(p): "active" for p in (*site.B_PAGE_ONE, *site.B_PAGE_TWO)}
    assert "listing of column:" in b.nights[1].log and "is incomplete" in b.nights[1].log
    assert b.nights[1].stats.get("govcrawl/storage/listing_incomplete") == 1


def test_a_huge_page_count_is_capped_recorded_and_marks_nothing_missing(columns):
    c = columns["c"]
    faulty = c.nights[1]
    assert c.failures(2)[c.url("")] == [
        ("limit", f"listing pages capped at {site.MAX_LISTING_PAGES} of {site.HUGE_PAGE_COUNT} announced")]
    # the budget counts distinct pages: every page names all the others, and page 2 still came
    listing_hits = {p for p in faulty.hits if re.fullmatch(r"/c/(index_\d+\.html)?", p)}
    assert listing_hits == {"/c/", *(f"/c/index_{n}.html" for n in range(1, site.MAX_LISTING_PAGES))}
    assert faulty.seconds < 60, faulty.seconds  # never a stall
    assert c.status() == {c.url(p): "active" for p in (*site.C_PAGE_ONE, *site.C_PAGE_TWO)}


# --- the pages that stay readable -------------------------------------------------------------------------
def test_readable_pages_of_the_faulty_night(columns):
    a = columns["a"]
    versions = dict(a.query("SELECT r.url, count(v.id) FROM reports r JOIN report_versions v "
                            "ON v.report_id = r.id GROUP BY r.url"))
    for path, outcome in site.A_OUTCOMES.items():
        if path == "renamed.html":  # stored under its new URL (the test above)
            continue
        if path in site.A_REPORTS or path == site.PDF_NAME:
            # stored: a new version; unchanged and the placeholder: still the first night's
            assert versions[a.url(path)] == (2 if outcome == "stored" else 1), path
    titles = dict(a.query("SELECT url, title FROM reports"))
    # the GBK page under a UTF-8 header is read in its real charset, not garbled
    assert titles[a.url("charset.html")] == titles[a.url("ok.html")] == "安顺市政府办公室2020年度信息公开工作年度报告"
    assert a.nights[1].hits["/a/ok.html"] == 1  # answered 304, not re-read
