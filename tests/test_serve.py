"""`govcrawl serve`: Datasette over the database, checked with `--get` and in a real headless
Chromium (Debian's package: .ci/run installs it) whose screenshots are looked at.

Where Chromium is missing the browser tests skip, saying so; under CI (CI=true) a missing
Chromium fails them, since .ci/run installs it. Set GOVCRAWL_SCREENSHOTS=DIR to keep the PNGs.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from govcrawl.datasette.queries import QUERIES, metadata
from govcrawl.serve import sqlite_path
from tests.helpers import run_offline_crawl

pytest.importorskip("datasette")

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run")


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    message = "Chromium is not installed (apt-get install -y chromium; .ci/run installs it)"
    if os.environ.get("CI"):
        pytest.fail(message + ": CI is set, so the browser tests must run")
    pytest.skip(message)


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    work = tmp_path_factory.mktemp("serve")
    run_offline_crawl("anshun", work)
    return work / "x.db"


def report_id(database: Path, agency: str, year: int) -> int:
    import sqlite3

    with sqlite3.connect(database) as conn:
        return conn.execute("SELECT id FROM reports WHERE agency = ? AND year = ?",
                            (agency, year)).fetchone()[0]


def govcrawl(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "govcrawl.cli", *args], capture_output=True,
                          text=True, timeout=timeout)


def get(database, path):
    proc = govcrawl("serve", "--database-url", f"sqlite:///{database}", "--get", path)
    return proc.returncode, proc.stdout


def test_pages_metadata_and_hidden_blobs(database):
    code, out = get(database, "/x.json")
    assert code == 0
    import json

    listing = json.loads(out)
    visible = {t["name"] for t in listing["tables"] if not t["hidden"]}
    assert "reports" in visible and "crawl_runs" in visible
    assert {v["name"] for v in listing["views"]} >= {"report_cells", "report_checks",
                                                      "report_measures", "scorecard"}
    assert "report_versions" not in visible
    assert {q["name"] for q in listing["queries"]} == set(QUERIES)
    code, _ = get(database, "/x/report_versions")
    assert code != 0  # refused (403): the raw pages stay out of the browser
    code, out = get(database, "/x/reports.json?_facet=agency&_facet=year&_facet=format"
                              "&_facet=region_code&_shape=objects")
    assert code == 0 and '"facet_results"' in out and "520400" in out
    code, out = get(database, "/x/applications_received.json?_shape=array")
    rows = json.loads(out)
    assert {r["format"] for r in rows} == {"statistics", "2019", "2021"}
    assert all(isinstance(r["value"], int) for r in rows)  # 15, not 15.0


def test_report_page_shows_the_tables(database):
    code, out = get(database, f"/-/report/{report_id(database, '安顺市人民政府办公室', 2019)}")
    assert code == 0
    assert "三、收到和处理政府信息公开申请情况" in out and "本年新收政府信息公开申请数量" in out
    assert "自然人" in out and "行政复议 结果维持" in out and "on time" in out
    code, out = get(database, "/-/report/99999")
    assert code != 0


def test_postgresql_is_served_from_a_snapshot(database, pg_database_url, tmp_path):
    import json
    import sqlite3

    import sqlalchemy as sa

    from govcrawl.storage.db import get_engine

    run_offline_crawl("anshun", tmp_path, f"GOVCRAWL_DATABASE_URL={pg_database_url}")
    with get_engine(pg_database_url).connect() as conn:
        stored = conn.execute(sa.text("SELECT count(*) FROM reports")).scalar_one()
        cells = conn.execute(sa.text("SELECT count(*) FROM report_cells")).scalar_one()
    snapshot = tmp_path / "snap.db"
    proc = govcrawl("serve", "--database-url", pg_database_url, "--snapshot", str(snapshot),
                    "--get", "/snap/applications_received.json?_shape=array")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"a snapshot of {pg_database_url.replace('postgresql://', 'postgresql+psycopg://')} ({stored} reports" \
        in proc.stderr
    rows = json.loads(proc.stdout)
    assert {r["format"] for r in rows} == {"statistics", "2019", "2021"}
    # the same data as the crawl into SQLite, the raw pages left out
    with sqlite3.connect(snapshot) as snap, sqlite3.connect(database) as direct:
        assert snap.execute("SELECT count(*) FROM report_cells").fetchone()[0] == cells
        assert snap.execute("SELECT count(*) FROM reports").fetchone()[0] == stored == \
            direct.execute("SELECT count(*) FROM reports").fetchone()[0]
        assert snap.execute("SELECT count(*) FROM report_versions WHERE raw IS NOT NULL").fetchone()[0] == 0


def test_other_databases_and_missing_files_are_refused(tmp_path):
    with pytest.raises(ValueError, match="SQLite files only"):
        sqlite_path("mysql://root@127.0.0.1/x")
    with pytest.raises(ValueError, match="no database at"):
        sqlite_path(f"sqlite:///{tmp_path / 'none.db'}")
    assert metadata("govcrawl")["databases"]["govcrawl"]["tables"]["report_versions"]["hidden"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(database):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "govcrawl.cli", "serve", "--port", str(port),
                             "--database-url", f"sqlite:///{database}"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(base + "/-/versions.json", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(proc.stdout.read().decode(errors="replace"))
                time.sleep(0.2)
        else:
            pytest.fail("govcrawl serve did not answer")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def browse(url: str, tmp_path: Path, name: str, size="1280,1600") -> tuple[Path, str]:
    """A screenshot and the DOM of `url`, from headless Chromium."""
    browser = chromium()
    profile = tmp_path / f"profile-{name}"
    shot = tmp_path / f"{name}.png"
    common = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={size}"]
    proc = subprocess.run(common + [f"--screenshot={shot}", url], capture_output=True, timeout=120)
    assert shot.is_file(), proc.stderr[-2000:]
    dom = subprocess.run(common + ["--dump-dom", url], capture_output=True, timeout=120).stdout.decode()
    keep = os.environ.get("GOVCRAWL_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)
    return shot, dom


def not_blank(png: Path) -> None:
    import matplotlib.image

    image = matplotlib.image.imread(str(png))
    assert image.shape[0] > 500 and image.shape[1] > 1000
    assert image[..., :3].std() > 0.05  # text and tables, not an empty page


def test_browser_report_page(server, database, tmp_path):
    shot, dom = browse(f"{server}/-/report/{report_id(database, '安顺市人民政府办公室', 2019)}",
                       tmp_path, "report")
    not_blank(shot)
    assert dom.count('class="govcrawl-grid"') == 3  # tables 二, 三, 四
    assert "二、主动公开政府信息情况" in dom and "予以公开" in dom and "结果维持" in dom
    # 西秀区人民政府 2020 fails identities: a fourth table lists them
    shot, dom = browse(f"{server}/-/report/{report_id(database, '西秀区人民政府', 2020)}",
                       tmp_path, "report-failing")
    not_blank(shot)
    assert "Identities that fail" in dom and dom.count('class="govcrawl-grid"') == 4


def test_browser_reports_with_facets(server, tmp_path):
    shot, dom = browse(server + "/x/reports", tmp_path, "reports", size="1280,1000")
    not_blank(shot)
    for facet in ("agency", "year", "format", "region_code"):
        assert f'data-column="{facet}"' in dom, facet
    assert "安顺市人民政府办公室" in dom


def test_browser_scorecard_and_canned_query(server, tmp_path):
    shot, dom = browse(server + "/x/scorecard?_sort=year", tmp_path, "scorecard", size="1600,1000")
    not_blank(shot)
    assert "deadline_basis" in dom and "2019-art49-1" in dom
    # report_id links to the report page
    assert 'href="/-/report/' in dom
    shot, dom = browse(server + "/x/applications_received", tmp_path, "query", size="1280,1000")
    not_blank(shot)
    assert "Applications received per report" in dom and "statistics" in dom
