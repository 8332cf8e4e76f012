"""The bad-input standard, end to end: bad input (a broken page, a wrong charset, a truncated PDF, a
WAF challenge, a table that doesn't add up) gets a clear record or error, never a crash of the
crawl, and nothing already stored is lost.

Each crawl copies the recorded anshun mirror (fixtures/sites/www.anshun.gov.cn) into a temp dir,
injects bad input into the copy (a body, and a `.http.json` sidecar for the status and headers),
and runs `scrapy crawl anshun` in offline mode as a subprocess, from the repo root, into a SQLite
database. Four crawls in all (about 5 s each):

- `bad_crawl`: one fresh crawl with a Ruishu 412 challenge, a binary-garbage page, a page truncated
  mid-table, three GBK pages (a wrong `charset=utf-8` header; no charset in the header; no
  declaration at all), a truncated PDF of the attachment-only report and a report whose table
  does not add up;
- `jsl_crawl`: one fresh crawl with a Jiasule 521 challenge;
- `rerun`: a crawl of the good mirror, then a second run into the same database after stored
  reports' pages became garbage, a Ruishu 412, a 404, a 503, and the attachment-only report's PDF
  got truncated.

`govcrawl extract` / `govcrawl parse` on bad files run as subprocesses too.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

from govcrawl import PROJECT_ROOT
from govcrawl.offline import SIDECAR_SUFFIX, fixture_path
from govcrawl.storage.schema import RecordJSON

FIXTURES_DIR = PROJECT_ROOT / "fixtures" / "sites"
HOST = "www.anshun.gov.cn"
COLUMN = f"http://{HOST}/zfxxgk/zfxxgknb/"
Y = {year: f"{COLUMN}{year}year/" for year in (2017, 2018, 2019, 2020, 2021)}

# the report pages of the mirror that the tests damage (see tests/test_crawl_anshun_e2e.py)
RUISHU = f"{Y[2018]}201903/t20190326_6177350.html"
JIASULE = f"{Y[2018]}201903/t20190326_6177350.html"
GARBAGE = f"{Y[2020]}202101/t20210126_66534870.html"
TRUNCATED = f"{Y[2021]}202201/t20220128_72390127.html"
GBK_WRONG_HEADER = f"{Y[2017]}201807/t20180711_6177538.html"
GBK_NO_CHARSET = f"{Y[2019]}202001/t20200121_46031127.html"
GBK_UNDECLARED = f"{Y[2020]}202101/t20210129_66608151.html"
BAD_TABLE = f"{Y[2021]}202201/t20220125_72310560.html"
PUDING_PAGE = f"{Y[2017]}201807/t20180711_6177547.html"
PUDING_PDF = f"{Y[2017]}201807/P020180711571293846520.pdf"
#: reports the bad crawl leaves alone: they must come through untouched
UNTOUCHED = [
    f"{Y[2017]}201807/t20180711_6177540.html",
    f"{Y[2018]}201903/t20190329_6180231.html",
    f"{Y[2019]}202002/t20200218_48964512.html",
]
#: every report of the mirror (11: ten pages and the PDF of the attachment-only 普定县 page)
ALL_REPORTS = [RUISHU, GARBAGE, TRUNCATED, GBK_WRONG_HEADER, GBK_NO_CHARSET, GBK_UNDECLARED,
               BAD_TABLE, PUDING_PDF, *UNTOUCHED]

# the rerun's victims: stored by the first run, then damaged on the site
RERUN_GARBAGE = f"{Y[2019]}202002/t20200218_48964512.html"
RERUN_WAF = f"{Y[2020]}202101/t20210129_66608151.html"
RERUN_GONE = f"{Y[2021]}202201/t20220125_72310560.html"
RERUN_5XX = f"{Y[2017]}201807/t20180711_6177540.html"
RERUN_PDF = PUDING_PDF
RERUN_VICTIMS = {RERUN_GARBAGE, RERUN_WAF, RERUN_GONE, RERUN_5XX, RERUN_PDF}

# --- bad bodies, as real sites send them --------------------------------------------------------
RUISHU_BODY = (
    b'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
    b'<meta http-equiv="Cache-Control" content="no-cache, no-store, must-revalidate">'
    b'<meta id="FSSBBIl1UgzbN7N" content="7uh9Jz1GmIq0Cz.3sv6s_qFmKFdwqYnpGGO3QVfZpSJxA" r="m">'
    b'<script type="text/javascript" r="m">$_ts=window[\'$_ts\'];if(!$_ts)$_ts={};$_ts.nsd=33285;'
    b'$_ts.cd="qqcrrrAlqAmDcGVEq1lrcZq3r1lEcaLzqGVEqrVrcaa1rqVrcAlErGVErGArcpE3qAWrqAcrcZwEqIaEqAZ";'
    b'$_ts.lcd=1;</script><script type="text/javascript" charset="utf-8" '
    b'src="/4QbVtADbnLVIc/c.FxJzG50F.dfe1675.js" r="m"></script></head><body></body></html>'
)
JIASULE_BODY = (
    b"<html><body><script>document.cookie=('__jsl_clearance_s=')+'1732170000.123|-1|'"
    b"+('aGzvxQ%2FB')+('jK3w')+(';max-age=3600;path=/');location.href=location.pathname"
    b"+location.search</script></body></html>"
)
#: deterministic "random" bytes with NULs and invalid UTF-8/GB18030 sequences
GARBAGE_BODY = bytes((i * 197 + (i >> 3) * 31 + 7) % 256 for i in range(6000))
GARBAGE_BODY = b"\x00\xff\xfe\x80" + GARBAGE_BODY

_CRAWLED = re.compile(r"Crawled \((\d+)\) <GET (\S+)>")


# --- mirror and crawl helpers ----------------------------------------------------------------------
def copy_mirror(tmp: Path) -> Path:
    """A private copy of the anshun mirror; the returned dir is the GOVCRAWL_FIXTURES_DIR."""
    source = FIXTURES_DIR / HOST
    missing = [u for u in [*ALL_REPORTS, PUDING_PAGE] if not fixture_path(FIXTURES_DIR, u).is_file()]
    assert not missing, f"the anshun mirror lacks pages these tests need: {missing}"
    root = tmp / "sites"
    shutil.copytree(source, root / HOST)
    return root


def mirror_file(root: Path, url: str) -> Path:
    return fixture_path(root, url)


def original(url: str) -> bytes:
    return fixture_path(FIXTURES_DIR, url).read_bytes()


def serve(root: Path, url: str, body: bytes | None, *, status: int | None = None,
          headers: dict | None = None) -> None:
    """Make the mirror copy answer `url` with `body` (None: delete the file, a 404) and, when given,
    `status` / `headers` through the `.http.json` sidecar."""
    file = mirror_file(root, url)
    sidecar = file.with_name(file.name + SIDECAR_SUFFIX)
    if body is None:
        file.unlink()
        sidecar.unlink(missing_ok=True)
        return
    file.write_bytes(body)
    if status is not None or headers:
        spec = {"status": status or 200, "headers": dict(headers or {})}
        sidecar.write_text(json.dumps(spec), "utf-8")
    else:
        sidecar.unlink(missing_ok=True)


def to_gbk(page: bytes, *, meta: str | None) -> bytes:
    """A UTF-8 mirror page as the GBK page an older site serves (meta charset `meta`, or none)."""
    text = page.decode("utf-8")
    declaration = '<meta charset="utf-8">'
    assert declaration in text
    text = text.replace(declaration, f'<meta http-equiv="Content-Type" content="text/html; charset={meta}">'
                        if meta else "", 1)
    # characters GBK lacks (the chrome's », ©) become character references, as GBK CMSs write them
    data = text.encode("gbk", errors="xmlcharrefreplace")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    return data


def truncated_mid_table(page: bytes) -> bytes:
    """The page cut off inside the applications table (a dropped connection, a full disk)."""
    start = page.index("一、本年新收政府信息公开申请数量".encode())
    cut = page.index(b"</td>", start) + 120
    assert b"</table>" not in page[start:cut]
    return page[:cut]


def table_that_does_not_add_up(page: bytes) -> tuple[bytes, str, str]:
    """The 2021 report with 本年新收 (natural persons) printed as 43 instead of 34: the printed
    total (39) and the balance of the natural-person column no longer add up."""
    text = page.decode("utf-8")
    row = re.search(r"一、本年新收政府信息公开申请数量</p></td>(<td[^>]*><p[^>]*>)34(</p>)", text)
    assert row, "the 2021 report's applications table changed: update the test"
    text = text[:row.start(1)] + row.group(1) + "43" + row.group(2) + text[row.end(2):]
    return text.encode("utf-8"), "34", "43"


@dataclass
class Crawl:
    returncode: int
    stdout: str
    stderr: str
    log: str
    records: list[dict]
    db_url: str
    stats: dict = field(default_factory=dict)

    def by_url(self) -> dict[str, dict]:
        return {r["url"]: r for r in self.records}

    def crawled(self, url: str) -> list[int]:
        return [int(status) for status, u in _CRAWLED.findall(self.log) if u == url]

    def context(self) -> str:
        return f"rc={self.returncode}\nstdout:\n{self.stdout[-2000:]}\nstderr:\n{self.stderr[-3000:]}" \
               f"\nlog:\n{self.log[-6000:]}"


def parse_stats(log: str) -> dict:
    """The stats Scrapy dumps at the end of the log (a pprint'ed dict)."""
    start = log.rfind("Dumping Scrapy stats:")
    if start < 0:
        return {}
    body = log[log.index("{", start):]
    depth = 0
    for i, ch in enumerate(body):
        depth += ch == "{"
        depth -= ch == "}"
        if depth == 0:
            body = body[:i + 1]
            break
    # our own subprocess's output: eval with only what the dump uses
    return eval(body, {"__builtins__": {}, "datetime": datetime})


def run_crawl(mirror: Path, workdir: Path, name: str, db: Path | None = None) -> Crawl:
    workdir.mkdir(parents=True, exist_ok=True)
    db = db or workdir / "db.sqlite"
    out, log = workdir / f"{name}.jsonl", workdir / f"{name}.log"
    db_url = f"sqlite:///{db}"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "anshun",
           "-s", "GOVCRAWL_OFFLINE=1", "-s", f"GOVCRAWL_FIXTURES_DIR={mirror}",
           "-s", f"GOVCRAWL_DATABASE_URL={db_url}", "-O", str(out),
           "-s", f"LOG_FILE={log}", "-s", "LOG_LEVEL=DEBUG", "-s", "TELNETCONSOLE_ENABLED=0",
           # every stored page is re-validated each night, so a page that turned bad is fetched
           "-s", "GOVCRAWL_RECHECK_DAYS=0"]
    proc = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=180)
    text = log.read_text("utf-8", "replace") if log.exists() else ""
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines() if line.strip()] \
        if out.exists() else []
    return Crawl(proc.returncode, proc.stdout, proc.stderr, text, records, db_url,
                 parse_stats(text))


def query(db_url: str, sql: str, **params) -> list[dict]:
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(sa.text(sql), params)]
    finally:
        engine.dispose()


def stored(db_url: str, url: str) -> dict | None:
    """Everything stored for the report at `url`: its row, current version, cells and checks."""
    reports = query(db_url, "SELECT * FROM reports WHERE url = :url", url=url)
    if not reports:
        return None
    report = reports[0]
    version_id = report["current_version_id"]
    versions = query(db_url, "SELECT id, content_hash, record_hash, record, raw_size "
                             "FROM report_versions WHERE report_id = :id ORDER BY id", id=report["id"])
    cells = query(db_url, 'SELECT seq, "table", "row", col, value, raw, unit FROM cells '
                          "WHERE version_id = :v ORDER BY seq", v=version_id)
    checks = query(db_url, 'SELECT seq, rule, "at", status, "left", "right" FROM checks '
                           "WHERE version_id = :v ORDER BY seq", v=version_id)
    current = [v for v in versions if v["id"] == version_id]
    record = current[0]["record"] if current else None
    if isinstance(record, (bytes, memoryview)):  # stored compressed (govcrawl.storage.schema.RecordJSON)
        record = RecordJSON().process_result_value(record, None)
    elif isinstance(record, str):
        record = json.loads(record)
    return {"report": report, "versions": versions, "version": current[0] if current else None,
            "record": record, "cells": cells, "checks": checks}


def failures(db_url: str, run_id: int | None = None) -> dict[str, dict]:
    rows = query(db_url, "SELECT * FROM crawl_failures ORDER BY id")
    return {r["url"]: r for r in rows if run_id is None or r["run_id"] == run_id}


def runs(db_url: str) -> list[dict]:
    return query(db_url, "SELECT * FROM crawl_runs ORDER BY id")


def baseline(url: str) -> dict:
    """The record of the undamaged mirror page (what a good crawl stores)."""
    from govcrawl.ingest import record_from_bytes

    content_type = "application/pdf" if url.endswith(".pdf") else "text/html"
    return record_from_bytes(original(url), url, content_type=content_type)


def summary_failed_pages(stdout: str) -> dict[str, int]:
    """`pages failed: blocked: 1, error: 2` from the end-of-crawl summary on stdout."""
    m = re.search(r"pages failed: (.*)", stdout)
    assert m, f"no end-of-crawl summary on stdout:\n{stdout}"
    if m.group(1).strip() == "none":
        return {}
    return {k.strip(): int(v) for k, v in (p.split(":") for p in m.group(1).split(","))}


def cell_map(cells: list[dict]) -> dict[tuple, object]:
    return {(c["table"], c["row"], c["col"]): c["raw"] for c in cells}


# --- crawl 1: many kinds of bad input in one fresh crawl ---------------------------------------------
@pytest.fixture(scope="module")
def bad_crawl(tmp_path_factory) -> Crawl:
    tmp = tmp_path_factory.mktemp("bad_input")
    root = copy_mirror(tmp)
    serve(root, RUISHU, RUISHU_BODY, status=412, headers={
        "Content-Type": "text/html", "Set-Cookie": "FSSBBIl1UgzbN7NO=5xE2l1mWq; path=/; HttpOnly"})
    serve(root, GARBAGE, GARBAGE_BODY, headers={"Content-Type": "text/html"})
    serve(root, TRUNCATED, truncated_mid_table(original(TRUNCATED)))
    serve(root, GBK_WRONG_HEADER, to_gbk(original(GBK_WRONG_HEADER), meta="gb2312"),
          headers={"Content-Type": "text/html; charset=utf-8"})
    serve(root, GBK_NO_CHARSET, to_gbk(original(GBK_NO_CHARSET), meta="gb2312"),
          headers={"Content-Type": "text/html"})
    # neither the header nor the page declares a charset
    serve(root, GBK_UNDECLARED, to_gbk(original(GBK_UNDECLARED), meta=None),
          headers={"Content-Type": "text/html"})
    pdf = original(PUDING_PDF)
    serve(root, PUDING_PDF, pdf[: len(pdf) * 2 // 5])
    serve(root, BAD_TABLE, table_that_does_not_add_up(original(BAD_TABLE))[0])
    return run_crawl(root, tmp, "bad")


def test_bad_crawl_finishes_and_stores_the_good_reports(bad_crawl):
    assert bad_crawl.returncode == 0, bad_crawl.context()
    assert bad_crawl.stats.get("finish_reason") == "finished", bad_crawl.context()
    assert "Traceback" not in bad_crawl.stderr
    for url in UNTOUCHED:
        row = stored(bad_crawl.db_url, url)
        assert row is not None, f"{url} not stored\n{bad_crawl.context()}"
        assert row["report"]["status"] == "active"
        assert row["cells"], url
        assert url in bad_crawl.by_url()
    (run,) = runs(bad_crawl.db_url)
    assert run["finish_reason"] == "finished"
    assert run["finished"] is not None


def test_ruishu_challenge_is_blocked_once_and_recorded(bad_crawl):
    stats = bad_crawl.stats
    assert stats.get("govcrawl/pages_blocked") == 1, stats
    # exactly one request, never retried
    assert stats.get("downloader/response_status_count/412") == 1, stats
    assert "retry/count" not in stats, stats
    assert not [line for line in bad_crawl.log.splitlines() if "Retrying" in line and RUISHU in line]
    assert len([line for line in bad_crawl.log.splitlines()
                if RUISHU in line and "blocked by" in line]) == 1
    failure = failures(bad_crawl.db_url)[RUISHU]
    assert failure["kind"] == "blocked"
    assert "412" in failure["reason"] and "ruishu" in failure["reason"].lower()
    (run,) = runs(bad_crawl.db_url)
    assert run["blocked"] == 1
    assert summary_failed_pages(bad_crawl.stdout).get("blocked") == 1, bad_crawl.stdout
    # a block is not a report: nothing stored for it, nothing in the feed
    assert stored(bad_crawl.db_url, RUISHU) is None
    assert RUISHU not in bad_crawl.by_url()


def test_binary_garbage_page_is_a_recorded_error(bad_crawl):
    # not a report: neither stored nor in the feed (its title would come from the listing alone)
    record = bad_crawl.by_url().get(GARBAGE)
    assert record is None, (
        f"binary garbage became a report: is_report={record['is_report']} title={record['title']!r} "
        f"format={record['format']!r} text={record['text'][:40]!r}")
    assert stored(bad_crawl.db_url, GARBAGE) is None
    # a body that is not a page at all is an extraction error, recorded like one (which also keeps
    # a stored report at that URL from being marked missing)
    failure = failures(bad_crawl.db_url).get(GARBAGE)
    assert failure is not None, (
        f"no crawl_failures row for the binary-garbage page {GARBAGE}; log lines:\n"
        + "\n".join(line for line in bad_crawl.log.splitlines() if GARBAGE in line))
    assert failure["kind"] == "error"
    assert failure["reason"]


def test_page_truncated_mid_table_is_an_error_or_a_sensible_record(bad_crawl):
    good = baseline(TRUNCATED)
    row = stored(bad_crawl.db_url, TRUNCATED)
    failure = failures(bad_crawl.db_url).get(TRUNCATED)
    assert row is not None or failure is not None, \
        f"{TRUNCATED} neither stored nor recorded as failed\n{bad_crawl.context()}"
    if failure is not None:
        assert failure["kind"] == "error" and failure["reason"]
    if row is not None:
        record = row["record"]
        assert record["is_report"] is True
        assert record["title"] == good["title"]
        assert record["year"] == good["year"]
        assert record["agency"] == good["agency"]
        # what it has is what the page printed: no cell invented or misread (the cell the cut
        # went through may be empty)
        full = cell_map(good["cells"])
        got = {(c["table"], c["row"], c["col"]): c for c in row["cells"]}
        misread = {k: c["raw"] for k, c in got.items()
                   if full.get(k) != c["raw"] and (c["raw"] or c["value"] is not None)}
        assert misread == {}
        assert set(got) <= set(full)
        # fewer cells than the full page, and a missing number is no failed identity
        assert len(got) < len(full)
        good_failed = {(c["rule"], c["at"]) for c in good["checks"] if c["status"] == "fail"}
        failed = {(c["rule"], c["at"]) for c in row["checks"] if c["status"] == "fail"}
        assert failed <= good_failed


@pytest.mark.parametrize("url", [GBK_WRONG_HEADER, GBK_NO_CHARSET, GBK_UNDECLARED],
                         ids=["charset-utf8-header", "no-charset-header", "undeclared"])
def test_gbk_page_is_stored_with_correct_chinese(bad_crawl, url):
    good = baseline(url)
    row = stored(bad_crawl.db_url, url)
    assert row is not None, bad_crawl.context()
    assert row["report"]["title"] == good["title"]
    assert "年" in row["report"]["title"] and "\ufffd" not in row["report"]["title"]
    record = row["record"]
    assert record["title"] == good["title"]
    assert record["agency"] == good["agency"]
    assert record["text"] == good["text"]
    assert "\ufffd" not in record["text"]
    assert cell_map(row["cells"]) == cell_map(good["cells"])
    assert bad_crawl.by_url()[url]["title"] == good["title"]


def test_truncated_pdf_is_a_recorded_error(bad_crawl):
    assert PUDING_PDF not in bad_crawl.by_url()
    assert stored(bad_crawl.db_url, PUDING_PDF) is None
    failure = failures(bad_crawl.db_url).get(PUDING_PDF)
    assert failure is not None, bad_crawl.context()
    assert failure["kind"] == "error"
    assert "truncated" in failure["reason"].lower() or "pdf" in failure["reason"].lower()
    assert bad_crawl.stats.get("govcrawl/pages_failed") >= 1
    assert [line for line in bad_crawl.log.splitlines()
            if "ERROR" in line and PUDING_PDF in line], "the PDF failure is not logged as an error"


def test_failed_pages_are_counted_in_the_run_and_the_summary(bad_crawl):
    recorded = failures(bad_crawl.db_url)
    (run,) = runs(bad_crawl.db_url)
    errors = [u for u, f in recorded.items() if f["kind"] != "blocked"]
    assert run["failed"] == len(errors)
    assert run["blocked"] == 1
    summary = summary_failed_pages(bad_crawl.stdout)
    assert summary.get("blocked") == 1
    assert sum(v for k, v in summary.items() if k != "blocked") == len(errors)


def test_table_that_does_not_add_up_is_stored_as_printed_with_failed_checks(bad_crawl):
    row = stored(bad_crawl.db_url, BAD_TABLE)
    assert row is not None, bad_crawl.context()
    printed = cell_map(row["cells"])
    # stored as printed, never corrected
    assert printed[("applications", "new_received", "natural_person")] == "43"
    assert printed[("applications", "new_received", "total")] == "39"
    (value,) = [c["value"] for c in row["cells"]
                if (c["table"], c["row"], c["col"]) == ("applications", "new_received", "natural_person")]
    assert value == 43
    failed = {(c["rule"], c["at"]) for c in row["checks"] if c["status"] == "fail"}
    assert failed, "no failed check for a table that does not add up"
    assert ("applications.balance", "natural_person") in failed
    assert ("applications.row_total", "new_received") in failed
    # every other cell is what the undamaged report prints
    good = cell_map(baseline(BAD_TABLE)["cells"])
    diff = {k for k in set(good) | set(printed) if good.get(k) != printed.get(k)}
    assert diff == {("applications", "new_received", "natural_person")}
    # the feed's record says the same
    record = bad_crawl.by_url()[BAD_TABLE]
    assert {(c["rule"], c["at"]) for c in record["checks"] if c["status"] == "fail"} == failed


# --- crawl 2: a Jiasule challenge --------------------------------------------------------------------
@pytest.fixture(scope="module")
def jsl_crawl(tmp_path_factory) -> Crawl:
    tmp = tmp_path_factory.mktemp("jiasule")
    root = copy_mirror(tmp)
    serve(root, JIASULE, JIASULE_BODY, status=521, headers={"Content-Type": "text/html"})
    return run_crawl(root, tmp, "jsl")


def test_jiasule_challenge_is_blocked_once_and_recorded(jsl_crawl):
    assert jsl_crawl.returncode == 0, jsl_crawl.context()
    stats = jsl_crawl.stats
    assert stats.get("finish_reason") == "finished"
    assert stats.get("govcrawl/pages_blocked") == 1, stats
    assert stats.get("downloader/response_status_count/521") == 1, stats
    assert "retry/count" not in stats, stats
    failure = failures(jsl_crawl.db_url)[JIASULE]
    assert failure["kind"] == "blocked"
    assert "521" in failure["reason"] and "jiasule" in failure["reason"].lower()
    (run,) = runs(jsl_crawl.db_url)
    assert run["blocked"] == 1 and run["failed"] == 0
    assert summary_failed_pages(jsl_crawl.stdout) == {"blocked": 1}, jsl_crawl.stdout
    # every other report is stored
    others = set(ALL_REPORTS) - {JIASULE}
    assert set(jsl_crawl.by_url()) == others
    stored_urls = {r["url"] for r in query(jsl_crawl.db_url, "SELECT url FROM reports")}
    assert stored_urls == others


# --- crawls 3 and 4: nothing stored is lost ----------------------------------------------------------
@pytest.fixture(scope="module")
def rerun(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rerun")
    root = copy_mirror(tmp)
    db = tmp / "db.sqlite"
    first = run_crawl(root, tmp, "first", db)
    assert first.returncode == 0, first.context()
    before = {url: stored(first.db_url, url) for url in ALL_REPORTS}
    serve(root, RERUN_GARBAGE, GARBAGE_BODY, headers={"Content-Type": "text/html"})
    serve(root, RERUN_WAF, RUISHU_BODY, status=412, headers={"Content-Type": "text/html"})
    serve(root, RERUN_GONE, None)
    serve(root, RERUN_5XX, b"<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
          status=503, headers={"Content-Type": "text/html"})
    # the 普定县 page changed (so it is fetched again and links the PDF again); the PDF got truncated
    serve(root, PUDING_PAGE, original(PUDING_PAGE) + b"\n<!-- 2024-05-01 -->\n")
    pdf = original(PUDING_PDF)
    serve(root, RERUN_PDF, pdf[: len(pdf) * 2 // 5])
    second = run_crawl(root, tmp, "second", db)
    after = {url: stored(second.db_url, url) for url in ALL_REPORTS}
    return {"first": first, "second": second, "before": before, "after": after}


def _unchanged(before: dict, after: dict) -> None:
    assert after is not None, "the stored report vanished"
    assert after["report"]["current_version_id"] == before["report"]["current_version_id"]
    for key in ("title", "year", "format", "agency", "published", "first_seen"):
        assert after["report"][key] == before["report"][key], key
    assert after["versions"] == before["versions"]
    assert after["cells"] == before["cells"]
    assert after["checks"] == before["checks"]


def test_first_run_stored_every_report(rerun):
    before = rerun["before"]
    assert all(before[u] is not None for u in ALL_REPORTS), rerun["first"].context()
    assert all(before[u]["report"]["status"] == "active" for u in ALL_REPORTS)
    assert before[RERUN_GONE]["cells"] and before[RERUN_GONE]["checks"]


def test_second_run_finishes(rerun):
    second = rerun["second"]
    # it finishes; so many of its pages failed that the night's exit code says so (README: 4)
    assert second.returncode == 4, second.context()
    assert second.stats.get("finish_reason") == "finished"
    assert [r["finish_reason"] for r in runs(second.db_url)] == ["finished", "finished"]


def test_stored_report_survives_a_page_turned_to_garbage(rerun):
    before, after = rerun["before"][RERUN_GARBAGE], rerun["after"][RERUN_GARBAGE]
    assert after["record"]["cells"], (
        f"the stored report's current version is now the garbage page: "
        f"text={after['record']['text'][:40]!r}, {len(after['cells'])} cells")
    _unchanged(before, after)
    # the page is still there (HTTP 200): its report is not missing
    assert after["report"]["status"] == "active", (
        "a stored report whose page answered 200 with garbage was marked missing")


def test_stored_report_survives_a_waf_block(rerun):
    before, after = rerun["before"][RERUN_WAF], rerun["after"][RERUN_WAF]
    _unchanged(before, after)
    assert after["report"]["status"] == "active"
    second = rerun["second"]
    assert second.stats.get("govcrawl/pages_blocked") == 1
    assert second.stats.get("downloader/response_status_count/412") == 1
    # not retried (the 503 page of this run is, so look at this URL and this status only)
    assert not [k for k in second.stats if k.startswith("retry/") and "412" in k], second.stats
    assert not [line for line in second.log.splitlines() if "Retrying" in line and RERUN_WAF in line]
    run_id = runs(second.db_url)[-1]["id"]
    assert failures(second.db_url, run_id)[RERUN_WAF]["kind"] == "blocked"
    assert summary_failed_pages(second.stdout).get("blocked") == 1, second.stdout


def test_stored_report_of_a_404_page_is_kept_and_marked_missing(rerun):
    before, after = rerun["before"][RERUN_GONE], rerun["after"][RERUN_GONE]
    _unchanged(before, after)
    assert after["report"]["status"] == "missing"
    run_id = runs(rerun["second"].db_url)[-1]["id"]
    failure = failures(rerun["second"].db_url, run_id).get(RERUN_GONE)
    assert failure is not None, "the 404 page is not in crawl_failures"
    assert failure["kind"] == "http" and "404" in failure["reason"]


def test_stored_report_survives_a_server_error(rerun):
    before, after = rerun["before"][RERUN_5XX], rerun["after"][RERUN_5XX]
    _unchanged(before, after)
    # a 5xx says nothing about the page being gone
    assert after["report"]["status"] == "active", "a report whose page answered 503 was marked missing"
    run_id = runs(rerun["second"].db_url)[-1]["id"]
    failure = failures(rerun["second"].db_url, run_id).get(RERUN_5XX)
    assert failure is not None, "the 503 page is not in crawl_failures"
    assert failure["kind"] == "http" and "503" in failure["reason"]


def test_stored_attachment_report_survives_a_truncated_pdf(rerun):
    before, after = rerun["before"][RERUN_PDF], rerun["after"][RERUN_PDF]
    _unchanged(before, after)
    assert after["report"]["status"] == "active"
    run_id = runs(rerun["second"].db_url)[-1]["id"]
    failure = failures(rerun["second"].db_url, run_id).get(RERUN_PDF)
    assert failure is not None and failure["kind"] == "error", rerun["second"].context()


def test_second_run_counts(rerun):
    run = runs(rerun["second"].db_url)[-1]
    assert run["new"] == 0 and run["changed"] == 0
    assert run["blocked"] == 1
    # failed: the 404 and the 503 (http), the garbage page and the truncated PDF (error)
    summary = summary_failed_pages(rerun["second"].stdout)
    assert summary == {"blocked": 1, "error": 2, "http": 2}, rerun["second"].stdout
    assert run["failed"] == 4
    assert run["missing"] == 1  # the 404 only


def test_other_reports_untouched_by_the_second_run(rerun):
    for url in set(ALL_REPORTS) - RERUN_VICTIMS:
        _unchanged(rerun["before"][url], rerun["after"][url])
        assert rerun["after"][url]["report"]["status"] == "active", url


# --- the command line on bad files --------------------------------------------------------------------
def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "govcrawl.cli", *args], cwd=PROJECT_ROOT,
                          capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("bad_files")
    files = {
        "empty": tmp / "empty.html",
        "binary": tmp / "garbage.bin",
        "missing": tmp / "does-not-exist.html",
        "truncated_pdf": tmp / "truncated.pdf",
    }
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(GARBAGE_BODY)
    pdf = original(PUDING_PDF)
    files["truncated_pdf"].write_bytes(pdf[: len(pdf) * 2 // 5])
    return files


def _assert_clear_failure(proc: subprocess.CompletedProcess) -> None:
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode != 0, (
        f"exit 0 on bad input; stdout: {proc.stdout[:300]!r}")
    assert "Traceback" not in stderr, stderr
    assert stderr.strip().startswith("govcrawl "), stderr
    assert proc.stdout == b""


def _assert_clear_failure_or_non_report(proc: subprocess.CompletedProcess) -> None:
    stderr = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    if proc.returncode != 0:
        _assert_clear_failure(proc)
        return
    lines = proc.stdout.decode("utf-8").splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["is_report"] is False
    assert "\ufffd" not in record["text"]


@pytest.mark.parametrize("command", ["extract", "parse"])
def test_cli_empty_file(bad_files, command):
    _assert_clear_failure_or_non_report(cli(command, str(bad_files["empty"])))


@pytest.mark.parametrize("command", ["extract", "parse"])
def test_cli_binary_file(bad_files, command):
    # binary garbage is not a readable page or text: a clear message, not a record of mojibake
    _assert_clear_failure(cli(command, str(bad_files["binary"])))


@pytest.mark.parametrize("command", ["extract", "parse"])
def test_cli_missing_file(bad_files, command):
    proc = cli(command, str(bad_files["missing"]))
    _assert_clear_failure(proc)
    assert "cannot read input" in proc.stderr.decode("utf-8")


@pytest.mark.parametrize("command", ["extract", "parse"])
def test_cli_truncated_pdf(bad_files, command):
    proc = cli(command, str(bad_files["truncated_pdf"]))
    _assert_clear_failure(proc)
    stderr = proc.stderr.decode("utf-8").lower()
    assert "pdf" in stderr
