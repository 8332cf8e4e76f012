"""`govcrawl db upgrade`, `govcrawl reparse`, `govcrawl export`, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import sqlalchemy as sa

from govcrawl import PROJECT_ROOT
from govcrawl.cli import main
from govcrawl.ingest import record_from_bytes
from govcrawl.items import FetchedPage
from govcrawl.record import content_hash, new_record
from govcrawl.storage.commands import reparse
from govcrawl.storage.schema import cells, report_versions, reports
from tests.storage.test_repository import URL, make_record

REPORT_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="ArticleTitle" content="安顺市民政局2020年政府信息公开工作年度报告">
<meta name="PubDate" content="2021-01-20 10:00">
<title>安顺市民政局2020年政府信息公开工作年度报告_安顺市人民政府</title></head>
<body><h1>安顺市民政局2020年政府信息公开工作年度报告</h1>
<div class="TRS_Editor"><p>本报告由安顺市民政局根据《中华人民共和国政府信息公开条例》要求编制。</p>
<p>一、总体情况</p><p>2020年，我局认真贯彻落实政府信息公开工作要求，围绕中心工作，加强组织领导，完善工作机制，
深化重点领域信息公开，主动回应社会关切，全年主动公开政府信息一百余条。</p>
<p>二、主动公开政府信息情况</p><p>全年主动公开政府信息一百二十条。</p>
<p>五、存在的主要问题及改进情况</p><p>信息公开的及时性有待提高，下一步将加强培训。</p>
</div></body></html>""".encode()
PAGE_URL = "http://www.anshun.gov.cn/zwgk/ndbg/202101/t20210120_9.html"


def cli(*args, database_url):
    """Run `govcrawl ARGS --database-url URL` in-process; (exit code, stdout)."""
    import contextlib

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main([*args, "--database-url", database_url])
    return code, out.getvalue()


def store_page(repo, body=REPORT_PAGE, url=PAGE_URL):
    """Store a page the way the crawl does, but with a record that is NOT what the parser makes
    of the bytes (an older parser's reading), so a reparse has something to change."""
    record = new_record(url)
    record.update(is_report=True, title="旧解析的标题", year=2020, format="none",
                  cells=[{"table": "active", "row": "fees", "col": "amount", "value": 1,
                          "raw": "1", "unit": None}])
    record["content_hash"] = content_hash(body)
    page = FetchedPage(url=url, body=body, content_type="text/html", encoding="utf-8",
                       etag='"e1"', hints={"title": "安顺市民政局2020年政府信息公开工作年度报告"})
    return repo.save_record(record, page, spider="anshun")


# --- db upgrade ---------------------------------------------------------------------------------
def test_db_upgrade_command(database_url):
    code, out = cli("db", "upgrade", database_url=database_url)
    assert code == 0 and "0005" in out  # the head revision
    code, out = cli("db", "upgrade", database_url=database_url)  # idempotent
    assert code == 0
    code, out = cli("db", "current", database_url=database_url)
    assert out.strip() == "0005"


def test_db_upgrade_defaults_to_govcrawl_db_in_the_working_directory(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "GOVCRAWL_DATABASE_URL"}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    proc = subprocess.run([sys.executable, "-m", "govcrawl.cli", "db", "upgrade"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "govcrawl.db").is_file()
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'govcrawl.db'}")
    assert "reports" in sa.inspect(engine).get_table_names()
    engine.dispose()


# --- reparse ------------------------------------------------------------------------------------
def test_reparse_adds_a_version_only_where_the_record_changed(repo, engine, database_url):
    first = store_page(repo)
    # an unchanged one: its stored record is exactly what the parser makes of its bytes
    other_url = PAGE_URL.replace("_9", "_10")
    current = record_from_bytes(REPORT_PAGE, other_url, content_type="text/html",
                                encoding="utf-8")
    page = FetchedPage(url=other_url, body=REPORT_PAGE, content_type="text/html",
                       encoding="utf-8")
    repo.save_record(current, page, spider="anshun")

    code, out = cli("reparse", "--dry-run", database_url=database_url)
    assert code == 0 and "changed 1" in out and "unchanged 1" in out
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(report_versions)).scalar() == 2

    code, out = cli("reparse", database_url=database_url)
    assert code == 0 and "changed 1" in out and "unchanged 1" in out, out
    with engine.connect() as conn:
        row = conn.execute(sa.select(reports).where(reports.c.url == PAGE_URL)).one()
        versions = conn.execute(sa.select(report_versions).where(
            report_versions.c.report_id == row.id).order_by(report_versions.c.id)).all()
    assert len(versions) == 2
    old, new = versions
    assert row.current_version_id == new.id != first.version_id
    assert new.content_hash == old.content_hash  # same bytes, new reading
    assert new.raw_compression == "zlib" and new.raw == old.raw
    assert new.record["title"] == "安顺市民政局2020年政府信息公开工作年度报告"
    assert row.title == new.record["title"]  # the report's columns follow the new reading
    # the old reading is kept as it was
    assert old.record["title"] == "旧解析的标题"

    # nothing left to change: a second reparse adds nothing
    code, out = cli("reparse", database_url=database_url)
    assert "changed 0" in out and "unchanged 2" in out
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(report_versions)).scalar() == 3


def test_reparse_needs_no_network_and_filters(repo, engine, monkeypatch):
    store_page(repo)
    store_page(repo, url=PAGE_URL.replace("_9", "_11"))
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("reparse must not touch the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    counts = reparse(engine, url=PAGE_URL)
    assert counts["reports"] == 1 and counts["changed"] == 1
    counts = reparse(engine, spider="nobody")
    assert counts["reports"] == 0


def test_reparse_counts_errors_and_goes_on(repo, engine, monkeypatch):
    store_page(repo)
    store_page(repo, url=PAGE_URL.replace("_9", "_12"))
    import govcrawl.ingest as record_module

    real = record_module.record_from_bytes

    def flaky(data, url, **kwargs):
        if url == PAGE_URL:
            raise ValueError("parser bug")
        return real(data, url, **kwargs)

    monkeypatch.setattr(record_module, "record_from_bytes", flaky)
    counts = reparse(engine)
    assert counts["errors"] == 1 and counts["changed"] == 1


# --- export -------------------------------------------------------------------------------------
def _seed(repo):
    r1, p1 = make_record()
    repo.save_record(r1, p1, spider="anshun")
    r2, p2 = make_record(fails=2)  # a second version: its cells replace the first's
    repo.save_record(r2, p2, spider="anshun")
    r3, p3 = make_record(URL.replace("1000", "1001"), year=2020)
    repo.save_record(r3, p3, spider="anshun")
    run = repo.start_run("anshun")
    repo.save_record(r3, p3, spider="anshun", run_id=run)
    repo.mark_missing("anshun", run)  # URL becomes missing


def test_export_reports_jsonl_and_csv(repo, database_url, tmp_path):
    _seed(repo)
    code, out = cli("export", "reports", "--format", "jsonl", database_url=database_url)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["url"] for r in rows] == [URL, URL.replace("1000", "1001")]
    assert rows[0]["agency"] == "安顺市统计局" and rows[0]["status"] == "missing"
    assert rows[1]["status"] == "active" and rows[1]["year"] == 2020
    assert rows[0]["published"] == "2020-01-15" and rows[0]["version_id"]
    assert "安顺市统计局" in out  # UTF-8, not \\u escapes

    target = tmp_path / "reports.csv"
    code, _ = cli("export", "reports", "--format", "csv", "-o", str(target),
                  database_url=database_url)
    assert code == 0
    with open(target, encoding="utf-8", newline="") as f:
        table = list(csv.DictReader(f))
    assert [r["url"] for r in table] == [r["url"] for r in rows]
    assert table[0]["agency"] == "安顺市统计局" and table[0]["source_url"] == ""

    code, out = cli("export", "reports", "--status", "active", database_url=database_url)
    assert len(out.splitlines()) == 1


def test_export_cells_and_checks_of_current_versions(repo, database_url, engine):
    _seed(repo)
    code, out = cli("export", "cells", "--format", "jsonl", database_url=database_url)
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 10  # 5 cells x 2 reports, current versions only
    first = [r for r in rows if r["url"] == URL]
    assert first[1] == {"url": URL, "version_id": first[1]["version_id"], "seq": 1,
                        "table": "applications", "row": "new_received", "col": "total",
                        "value": 14, "raw": "14", "unit": None,
                        # then the report's identity, so a cells export stands on its own
                        "report_id": first[1]["report_id"], "agency": "安顺市统计局",
                        "agency_key": first[1]["agency_key"], "region_code": first[1]["region_code"],
                        "year": 2019, "format": "2019"}
    assert first[2]["value"] == 43027665.5 and first[2]["unit"] == "元"
    assert first[3]["value"] == -4 and isinstance(first[3]["value"], int)
    assert first[4]["value"] is None and first[4]["raw"] == "—"

    code, out = cli("export", "cells", "--all-versions", database_url=database_url)
    assert code == 0
    assert len(out.splitlines()) == 15
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(cells)).scalar() == 15

    _code, out = cli("export", "checks", "--format", "csv", database_url=database_url)
    table = list(csv.DictReader(io.StringIO(out)))
    assert list(table[0]) == ["url", "version_id", "seq", "rule", "at", "status", "left", "right",
                              "report_id", "agency", "agency_key", "region_code", "year", "format"]
    assert [(r["rule"], r["status"], r["left"], r["right"]) for r in table] == [
        ("applications.row_total", "fail", "14", "12"),
        ("applications.row_total", "pass", "12", "12")]


def test_export_records_is_the_stored_public_record(repo, database_url):
    _seed(repo)
    code, out = cli("export", "records", database_url=database_url)
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 2
    assert set(records[0]) >= {"url", "is_report", "title", "agency", "year", "published",
                               "format", "meta", "text", "sections", "cells", "checks",
                               "attachments", "signature"}
    assert not any(k.startswith("_") for k in records[0])
    code, _ = cli("export", "records", "--format", "csv", database_url=database_url)
    assert code == 1  # nested records are JSON Lines only
