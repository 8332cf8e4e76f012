"""The storage layer (schema, migrations, one-transaction writes), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
import zlib
from datetime import timedelta

import pytest
import sqlalchemy as sa

from govcrawl import PROJECT_ROOT
from govcrawl.items import FetchedPage
from govcrawl.record import content_hash, new_record
from govcrawl.storage import db
from govcrawl.storage.repository import Repository, decompress
from govcrawl.storage.schema import (
    attachments,
    cells,
    checks,
    crawl_failures,
    crawl_runs,
    metadata,
    report_versions,
    reports,
    utcnow,
)

URL = "http://www.anshun.gov.cn/zwgk/ndbg/202001/t20200115_1000.html"
PY = sys.executable


def make_record(url=URL, *, year=2019, fails=0, extra_cell=None, body=None):
    """A report record as ExtractPipeline yields it, with cells/checks written here."""
    record = new_record(url)
    record.update(
        is_report=True, title=f"安顺市统计局{year}年政府信息公开工作年度报告",
        agency="安顺市统计局", year=year, published=f"{year + 1}-01-15", format="2019",
        meta={"索引号": "000014349/2020-00001", "发布机构": "安顺市统计局"},
        text="一、总体情况\n本机关坚持……", sections=[{"heading": "一、总体情况", "text": "本机关坚持……"}],
        cells=[
            {"table": "applications", "row": "new_received", "col": "natural_person",
             "value": 12, "raw": "12", "unit": None},
            {"table": "applications", "row": "new_received", "col": "total",
             "value": 12 + fails, "raw": str(12 + fails), "unit": None},
            {"table": "active", "row": "fees", "col": "amount", "value": 43027665.5,
             "raw": "43027665.50元", "unit": "元"},
            {"table": "active", "row": "licensing", "col": "change", "value": -4, "raw": "减4",
             "unit": None},
            {"table": "applications", "row": "other:其他情形", "col": "total", "value": None,
             "raw": "—", "unit": None},
        ],
        checks=[{"rule": "applications.row_total", "at": "new_received",
                 "status": "fail" if fails else "pass", "left": 12 + fails, "right": 12}],
        attachments=[{"url": url.replace(".html", ".pdf"), "name": "年度报告.pdf", "type": "pdf"}],
        signature={"agency": "安顺市统计局", "date": f"{year + 1}-01-10"},
    )
    if extra_cell:
        record["cells"].append(extra_cell)
    body = body if body is not None else (
        f"<html><title>{record['title']}</title><body>{fails}</body></html>".encode())
    record["content_hash"] = content_hash(body)
    page = FetchedPage(url=url, body=body, content_type="text/html; charset=utf-8",
                       encoding="utf-8", etag='"abc"', hints={"title": record["title"]})
    record["_page"] = page
    return record, page


def count(engine, table, *where):
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table).where(*where)).scalar()


def report_row(engine, url=URL):
    with engine.connect() as conn:
        return conn.execute(sa.select(reports).where(reports.c.url == url)).one()


# --- URLs and migrations ------------------------------------------------------------------------
def test_postgresql_urls_use_psycopg3():
    assert db.normalize_url("postgresql://postgres@127.0.0.1:5432/x") == \
        "postgresql+psycopg://postgres@127.0.0.1:5432/x"
    assert db.normalize_url("postgres://u@h/x") == "postgresql+psycopg://u@h/x"
    assert db.normalize_url("postgresql+psycopg://u@h/x") == "postgresql+psycopg://u@h/x"
    assert db.normalize_url("sqlite:///govcrawl.db") == "sqlite:///govcrawl.db"


def test_database_url_defaults(monkeypatch):
    monkeypatch.delenv("GOVCRAWL_DATABASE_URL", raising=False)
    assert db.resolve_database_url(None) == "sqlite:///govcrawl.db"
    monkeypatch.setenv("GOVCRAWL_DATABASE_URL", "postgresql://postgres@127.0.0.1/x")
    assert db.resolve_database_url(None) == "postgresql://postgres@127.0.0.1/x"
    assert db.resolve_database_url("sqlite:///y.db") == "sqlite:///y.db"


def test_migrated_schema_is_exactly_the_code_schema(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = [d for d in compare_metadata(context, metadata)
                if not (d[0] == "remove_table" and d[1].name == "govcrawl_alembic_version")]
    assert diff == []
    assert db.current_revision(engine) == "0005"


def test_upgrade_is_idempotent(engine):
    db.upgrade(engine)
    db.upgrade(engine)
    assert db.current_revision(engine) == "0005"
    assert set(sa.inspect(engine).get_table_names()) >= {
        "reports", "report_versions", "cells", "checks", "attachments", "crawl_runs",
        "crawl_failures", "pages", "govcrawl_alembic_version"}


# --- writing reports ----------------------------------------------------------------------------
def test_new_report_writes_everything(repo, engine):
    record, page = make_record()
    run = repo.start_run("anshun")
    result = repo.save_record(record, page, spider="anshun", run_id=run)
    assert result.outcome == "new"
    row = report_row(engine)
    assert (row.spider, row.agency, row.year, row.format, row.status) == \
        ("anshun", "安顺市统计局", 2019, "2019", "active")
    assert row.title == "安顺市统计局2019年政府信息公开工作年度报告"
    assert row.published.isoformat() == "2020-01-15"
    assert row.current_version_id == result.version_id
    assert row.etag == '"abc"' and row.last_fetched is not None
    assert row.last_seen.tzinfo is not None  # aware UTC on both backends
    with engine.connect() as conn:
        version = conn.execute(sa.select(report_versions)).one()
        assert version.raw_compression == "zlib"
        assert zlib.decompress(version.raw) == page.body
        assert decompress(version.raw, version.raw_compression) == page.body
        assert version.content_hash == record["content_hash"]
        assert version.record["agency"] == "安顺市统计局"
        assert "_page" not in version.record
        assert version.record["cells"] == record["cells"]
        stored_cells = conn.execute(sa.select(cells).order_by(cells.c.seq)).all()
        stored_checks = conn.execute(sa.select(checks)).all()
        stored_attachments = conn.execute(sa.select(attachments)).all()
    assert [(c.table, c.row, c.col, c.value, c.raw, c.unit) for c in stored_cells] == [
        ("applications", "new_received", "natural_person", 12, "12", None),
        ("applications", "new_received", "total", 12, "12", None),
        ("active", "fees", "amount", 43027665.5, "43027665.50元", "元"),
        ("active", "licensing", "change", -4, "减4", None),
        ("applications", "other:其他情形", "total", None, "—", None),
    ]
    assert [(c.rule, c.at, c.status, c.left, c.right) for c in stored_checks] == [
        ("applications.row_total", "new_received", "pass", 12, 12)]
    assert [(a.url, a.name, a.type) for a in stored_attachments] == [
        (URL.replace(".html", ".pdf"), "年度报告.pdf", "pdf")]
    assert all(c.version_id == result.version_id for c in stored_cells)


def test_same_content_twice_no_new_version_last_seen_moves(repo, engine):
    record, page = make_record()
    t1 = utcnow() - timedelta(days=1)
    first = repo.save_record(record, page, spider="anshun", now=t1)
    before = report_row(engine)
    record, page = make_record()
    second = repo.save_record(record, page, spider="anshun")
    assert second.outcome == "unchanged" and second.version_id == first.version_id
    after = report_row(engine)
    assert after.last_seen > before.last_seen
    assert after.first_seen == before.first_seen
    assert count(engine, reports) == 1
    assert count(engine, report_versions) == 1
    assert count(engine, cells) == 5 and count(engine, checks) == 1
    assert count(engine, attachments) == 1
    with engine.connect() as conn:
        version = conn.execute(sa.select(report_versions)).one()
    assert version.last_seen > version.first_seen


def test_changed_content_new_version_and_back(repo, engine):
    r1, p1 = make_record()
    v1 = repo.save_record(r1, p1, spider="anshun").version_id
    r2, p2 = make_record(fails=3)
    second = repo.save_record(r2, p2, spider="anshun")
    assert second.outcome == "changed" and second.version_id != v1
    assert report_row(engine).current_version_id == second.version_id
    assert count(engine, report_versions) == 2
    assert count(engine, cells) == 10  # each version keeps its own cells
    assert count(engine, checks, checks.c.version_id == second.version_id,
                 checks.c.status == "fail") == 1
    # the site reverts to the first content: that version is current again, no third row
    r3, p3 = make_record()
    third = repo.save_record(r3, p3, spider="anshun")
    assert third.outcome == "changed" and third.version_id == v1
    assert report_row(engine).current_version_id == v1
    assert count(engine, report_versions) == 2


def test_missing_is_never_deleted_and_comes_back(repo, engine):
    other = URL.replace("1000", "1001")
    run1 = repo.start_run("anshun")
    for url in (URL, other):
        record, page = make_record(url)
        repo.save_record(record, page, spider="anshun", run_id=run1)
    # another spider's report is never touched by anshun's runs
    record, page = make_record("http://www.gz.gov.cn/a.html")
    repo.save_record(record, page, spider="guizhou", run_id=run1)
    run2 = repo.start_run("anshun")
    record, page = make_record(URL)
    repo.save_record(record, page, spider="anshun", run_id=run2)
    assert repo.mark_missing("anshun", run2) == 1
    assert report_row(engine, other).status == "missing"
    assert report_row(engine, URL).status == "active"
    assert report_row(engine, "http://www.gz.gov.cn/a.html").status == "active"
    assert count(engine, reports) == 3 and count(engine, report_versions) == 3
    # seen again later: active again, same version
    run3 = repo.start_run("anshun")
    record, page = make_record(other)
    assert repo.save_record(record, page, spider="anshun", run_id=run3).outcome == "unchanged"
    assert report_row(engine, other).status == "active"


def test_mark_missing_keeps_urls_that_failed_for_other_reasons(repo, engine):
    run1 = repo.start_run("anshun")
    record, page = make_record()
    repo.save_record(record, page, spider="anshun", run_id=run1)
    attachment = "http://www.anshun.gov.cn/a.pdf"
    record, page = make_record(attachment)
    record["source_url"] = "http://www.anshun.gov.cn/detail.html"
    repo.save_record(record, page, spider="anshun", run_id=run1)
    run2 = repo.start_run("anshun")
    assert repo.mark_missing("anshun", run2,
                             keep={URL, "http://www.anshun.gov.cn/detail.html"}) == 0
    assert report_row(engine).status == "active"
    assert report_row(engine, attachment).status == "active"


def test_mark_seen_by_url_and_source_url(repo, engine):
    detail = "http://www.anshun.gov.cn/zwgk/202001/t20200115_2000.html"
    attachment = "http://www.anshun.gov.cn/zwgk/202001/P020200115.pdf"
    record, page = make_record(attachment)
    record["source_url"] = detail
    repo.save_record(record, page, spider="anshun", now=utcnow() - timedelta(days=2))
    before = report_row(engine, attachment)
    run = repo.start_run("anshun")
    assert repo.mark_seen(detail, run, fetched=True) == 1
    assert repo.mark_seen(detail, run, fetched=True) == 0  # not counted twice in one run
    after = report_row(engine, attachment)
    assert after.last_seen > before.last_seen and after.last_run_id == run
    # the attachment itself was not contacted
    assert after.last_fetched == before.last_fetched
    assert repo.mark_seen(attachment, run, fetched=True) == 0
    assert report_row(engine, attachment).last_fetched > before.last_fetched


def test_injected_failure_inside_the_transaction_leaves_nothing(repo, engine, monkeypatch):
    record, page = make_record()

    def boom(*args, **kwargs):
        raise RuntimeError("injected between writes")

    # the report row and the version are written, then the cells fail
    monkeypatch.setattr(Repository, "_insert_checks", boom)
    with pytest.raises(RuntimeError):
        repo.save_record(record, page, spider="anshun")
    assert count(engine, reports) == 0
    assert count(engine, report_versions) == 0
    assert count(engine, cells) == 0
    monkeypatch.undo()
    # the next run completes the work
    assert repo.save_record(record, page, spider="anshun").outcome == "new"
    assert count(engine, cells) == 5 and count(engine, checks) == 1


def test_injected_failure_on_a_changed_report_keeps_the_old_version(repo, engine, monkeypatch):
    r1, p1 = make_record()
    v1 = repo.save_record(r1, p1, spider="anshun").version_id
    monkeypatch.setattr(Repository, "_insert_attachments",
                        lambda *a, **k: (_ for _ in ()).throw(RuntimeError("injected")))
    r2, p2 = make_record(fails=1)
    with pytest.raises(RuntimeError):
        repo.save_record(r2, p2, spider="anshun")
    assert report_row(engine).current_version_id == v1
    assert count(engine, report_versions) == 1 and count(engine, cells) == 5


KILL_SCRIPT = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    sys.path.insert(0, {tests!r})
    from test_repository import make_record
    from govcrawl.storage.db import get_engine
    from govcrawl.storage.repository import Repository

    original = Repository._insert_checks

    def slow_checks(self, conn, version_id, items):
        # the report row, the version and its cells are written (uncommitted): announce, then
        # hang until SIGKILL arrives
        original(self, conn, version_id, items)
        print("IN-TRANSACTION", flush=True)
        time.sleep(60)

    Repository._insert_checks = slow_checks
    record, page = make_record()
    Repository(get_engine({url!r})).save_record(record, page, spider="anshun")
""")


def test_sigkill_mid_transaction_leaves_no_half_written_report(repo, engine, database_url):
    script = KILL_SCRIPT.format(root=str(PROJECT_ROOT), tests=os.path.dirname(__file__),
                                url=database_url)
    proc = subprocess.Popen([PY, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        line = proc.stdout.readline()
        assert line.strip() == "IN-TRANSACTION", proc.stderr.read()
        proc.kill()  # SIGKILL: no cleanup, no rollback from the client side
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    # PostgreSQL notices the dead client and rolls back; SQLite's WAL ignores the uncommitted frames
    deadline = time.monotonic() + 10
    while True:
        try:
            assert count(engine, reports) == 0
            assert count(engine, report_versions) == 0
            assert count(engine, cells) == 0
            break
        except sa.exc.OperationalError:  # the dead writer's lock is being cleared
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    record, page = make_record()
    assert repo.save_record(record, page, spider="anshun").outcome == "new"
    assert count(engine, cells) == 5


def test_runs_and_failures(repo, engine):
    run = repo.start_run("anshun")
    repo.record_failure(run, "http://x/blocked.html", "blocked", "blocked by ruishu WAF (HTTP 412)")
    repo.finish_run(run, "finished", {"new": 2, "changed": 1, "blocked": 1})
    with engine.connect() as conn:
        row = conn.execute(sa.select(crawl_runs)).one()
        failure = conn.execute(sa.select(crawl_failures)).one()
    assert (row.spider, row.finish_reason, row.new, row.changed, row.unchanged, row.missing,
            row.failed, row.blocked) == ("anshun", "finished", 2, 1, 0, 0, 0, 1)
    assert row.finished >= row.started
    assert (failure.run_id, failure.kind) == (run, "blocked")


def test_odd_values_are_stored_not_crashing(repo, engine):
    record, page = make_record(extra_cell={"table": "active", "row": "fees", "col": "amount",
                                           "value": "1,200.5", "raw": "1,200.5", "unit": "万元"})
    record["checks"].append({"rule": "x", "at": None, "status": "unknown", "left": None,
                             "right": float("nan")})
    record["published"] = "2020年1月"  # not a date: stored as NULL, kept in the record JSON
    record["year"] = "2019"
    repo.save_record(record, page, spider="anshun")
    row = report_row(engine)
    assert row.published is None and row.year == 2019
    with engine.connect() as conn:
        assert conn.execute(sa.select(cells.c.value).where(cells.c.seq == 5)).scalar() == 1200.5
        assert conn.execute(sa.select(checks.c.right).where(checks.c.seq == 1)).scalar() is None


def test_a_record_without_a_page_is_stored(repo, engine):
    record, _ = make_record()
    del record["_page"]
    assert repo.save_record(record, None, spider="anshun").outcome == "new"
    with engine.connect() as conn:
        assert conn.execute(sa.select(report_versions.c.raw)).scalar() is None


def test_mark_missing_spares_reports_another_concurrent_run_saw(repo, engine):
    run1 = repo.start_run("anshun")
    for url in (URL, URL.replace("1000", "1001")):
        record, page = make_record(url)
        repo.save_record(record, page, spider="anshun", run_id=run1,
                         now=utcnow() - timedelta(hours=1))
    # two workers of the same spider crawl at once; each sees one report
    worker_a = repo.start_run("anshun")
    worker_b = repo.start_run("anshun")
    record, page = make_record(URL)
    repo.save_record(record, page, spider="anshun", run_id=worker_a)
    record, page = make_record(URL.replace("1000", "1001"))
    repo.save_record(record, page, spider="anshun", run_id=worker_b)
    assert repo.mark_missing("anshun", worker_a) == 0
    assert repo.mark_missing("anshun", worker_b) == 0


def test_mark_missing_keep_own_does_not_protect_linked_reports(repo, engine):
    run1 = repo.start_run("anshun")
    attachment = "http://www.anshun.gov.cn/a.pdf"
    record, page = make_record(attachment)
    record["source_url"] = "http://www.anshun.gov.cn/detail.html"
    repo.save_record(record, page, spider="anshun", run_id=run1,
                     now=utcnow() - timedelta(hours=1))
    record, page = make_record()
    repo.save_record(record, page, spider="anshun", run_id=run1,
                     now=utcnow() - timedelta(hours=1))
    run2 = repo.start_run("anshun")
    # the linking page answered (dropped as not a report): its own URL is kept, its old
    # attachment is not protected
    assert repo.mark_missing("anshun", run2, keep_own={"http://www.anshun.gov.cn/detail.html",
                                                       URL}) == 1
    assert report_row(engine, attachment).status == "missing"
    assert report_row(engine).status == "active"


def test_missing_detection_stays_inside_its_scope(repo, engine):
    # two `column` crawls into one database: each column is its own scope
    a, b = URL, URL.replace("1000", "1001")
    run_a = repo.start_run("column", scope="column:http://www.anshun.gov.cn/a/")
    repo.save_record(*make_record(a), spider="column", scope="column:http://www.anshun.gov.cn/a/", run_id=run_a)
    run_b = repo.start_run("column", scope="column:http://www.anshun.gov.cn/b/")
    repo.save_record(*make_record(b), spider="column", scope="column:http://www.anshun.gov.cn/b/", run_id=run_b)
    assert repo.mark_missing("column:http://www.anshun.gov.cn/b/", run_b) == 0
    assert report_row(engine, a).status == "active" and report_row(engine, a).scope == "column:http://www.anshun.gov.cn/a/"
    # the next run of column a, which no longer lists its report, marks it missing
    run_a2 = repo.start_run("column", scope="column:http://www.anshun.gov.cn/a/")
    assert repo.mark_missing("column:http://www.anshun.gov.cn/a/", run_a2) == 1
    assert report_row(engine, a).status == "missing" and report_row(engine, b).status == "active"
