"""Cross-year checks wired into storage (issue #11): `save_record` and `reparse` keep the
`cross_year_checks` table current in their own transaction, the record's `checks` rows stay exactly
the record's checks, and `report_checks` shows both; on SQLite and PostgreSQL (the `engine`
fixture), plus one offline crawl of the anshun mirror (SQLite)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command

from govcrawl import PROJECT_ROOT
from govcrawl.ingest import record_from_bytes
from govcrawl.items import FetchedPage
from govcrawl.record import content_hash, new_record
from govcrawl.storage import db
from govcrawl.storage.commands import export_rows, reparse
from govcrawl.storage.repository import Repository
from govcrawl.storage.schema import checks, cross_year_checks, reports
from govcrawl.storage.views import drop_views
from tests.helpers import run_offline_crawl
from tests.storage.test_cross_year import carry, own_checks, record

RULE = "cross_year.carry"


def save(repo, rec):
    return repo.save_record(rec, spider="test")


def current_version(engine, report_id):
    with engine.connect() as conn:
        return conn.execute(sa.select(reports.c.current_version_id)
                            .where(reports.c.id == report_id)).scalar_one()


def stored(engine, report_id):
    """The report's cross_year_checks rows, as stored (ids and timestamps too)."""
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            sa.select(cross_year_checks).where(cross_year_checks.c.report_id == report_id)
            .order_by(cross_year_checks.c.seq))]


def record_checks(rec):
    return [(c["rule"], c["at"], c["status"]) for c in rec["checks"]]


# --- saving ------------------------------------------------------------------------------------
def test_saving_2021_then_2022_stores_pass_and_fail_rows(engine):
    repo = Repository(engine)
    rec_a = record(2021, forward=(2, 0, 0, 0, 0, 0, 2))
    a = save(repo, rec_a)
    assert a.outcome == "new" and stored(engine, a.report_id) == []
    rec_b = record(2022, over=(1, 0, 3, 0, 0, 0, 4))
    b = save(repo, rec_b)
    found, seqs = carry(engine, b.report_id)
    assert found == {"natural_person": ("fail", 1.0, 2.0), "commercial": ("pass", 0.0, 0.0),
                     "research": ("fail", 3.0, 0.0), "nonprofit": ("pass", 0.0, 0.0),
                     "legal_services": ("pass", 0.0, 0.0), "other_org": ("pass", 0.0, 0.0),
                     "total": ("fail", 4.0, 2.0)}
    assert seqs == list(range(7))
    (pair,) = {(r[1], r[2], r[3], r[4]) for r in stored(engine, b.report_id)}
    assert pair == (b.report_id, b.version_id, a.report_id, a.version_id)
    assert stored(engine, a.report_id) == []            # 2020 is not stored: none for 2021
    # the record's own checks rows are exactly the record's checks, for both years
    assert own_checks(engine, a.report_id) == record_checks(rec_a)
    assert own_checks(engine, b.report_id) == record_checks(rec_b)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(checks)
                            .where(checks.c.rule == RULE)).scalar() == 0
    # `govcrawl export checks` is the record's checks, as before
    exported = list(export_rows(engine, "checks"))
    assert [(r["report_id"], r["rule"]) for r in exported] == [
        (a.report_id, "applications.row_total"), (b.report_id, "applications.row_total")]


def test_saving_the_later_year_first_then_the_earlier(engine):
    repo = Repository(engine)
    b = save(repo, record(2022, over=(1, 0, 0, 0, 0, 0, 1)))
    assert stored(engine, b.report_id) == []
    a = save(repo, record(2021, forward=(1, 0, 0, 0, 0, 0, 1)))
    found, _ = carry(engine, b.report_id)
    assert {s for s, _, _ in found.values()} == {"pass"} and found["total"] == ("pass", 1.0, 1.0)
    assert stored(engine, a.report_id) == []


def test_changing_the_2021_carried_forward_flips_the_2022_check(engine):
    repo = Repository(engine)
    rec_a = record(2021, forward=(2, 0, 0, 0, 0, 0, 2))
    a = save(repo, rec_a)
    b = save(repo, record(2022, over=(1, 0, 0, 0, 0, 0, 1)))
    assert carry(engine, b.report_id)[0]["total"] == ("fail", 1.0, 2.0)
    # the 2021 page is corrected on the site: a new version of the same report
    fixed = record(2021, forward=(1, 0, 0, 0, 0, 0, 1), url=rec_a["url"])
    again = save(repo, fixed)
    assert again.report_id == a.report_id and again.outcome == "changed"
    found, seqs = carry(engine, b.report_id)
    assert found["total"] == ("pass", 1.0, 1.0) and found["natural_person"] == ("pass", 1.0, 1.0)
    assert seqs == list(range(7))                        # replaced, not added to
    (pair,) = {(r[3], r[4]) for r in stored(engine, b.report_id)}
    assert pair == (a.report_id, again.version_id)
    # and back to the first reading (an older version becomes current again): fail again
    assert save(repo, rec_a).outcome == "changed"
    assert carry(engine, b.report_id)[0]["total"] == ("fail", 1.0, 2.0)


def test_an_unchanged_page_does_not_recompute(engine):
    repo = Repository(engine)
    rec_a = record(2021, forward=(2, 0, 0, 0, 0, 0, 2))
    save(repo, rec_a)
    rec_b = record(2022, over=(1, 0, 0, 0, 0, 0, 1))
    b = save(repo, rec_b)
    before = stored(engine, b.report_id)
    assert len(before) == 7
    assert save(repo, rec_b).outcome == "unchanged"
    assert save(repo, rec_a).outcome == "unchanged"
    assert stored(engine, b.report_id) == before         # same ids, same computed_at


def test_a_report_that_moves_year_or_agency_leaves_its_former_neighbour(engine):
    repo = Repository(engine)
    rec_a = record(2021, forward=(2, 0, 0, 0, 0, 0, 2))
    a = save(repo, rec_a)
    b = save(repo, record(2022, over=(2, 0, 0, 0, 0, 0, 2)))
    assert carry(engine, b.report_id)[0]["total"] == ("pass", 2.0, 2.0)
    # a better reading of the same page: it is the 2020 report
    moved = dict(rec_a, year=2020, title="沅江市黄茅洲镇人民政府2020年政府信息公开工作年度报告")
    assert save(repo, moved).report_id == a.report_id
    assert stored(engine, b.report_id) == []
    # a report of another agency under the 2021 report's URL: the 2022 report has no year N-1
    a2 = save(repo, record(2021, forward=(2, 0, 0, 0, 0, 0, 2), url="http://x.gov.cn/2021.html"))
    assert carry(engine, b.report_id)[0]["total"] == ("pass", 2.0, 2.0)
    save(repo, record(2021, agency="沅江市琼湖街道办事处", forward=(2, 0, 0, 0, 0, 0, 2),
                      url="http://x.gov.cn/2021.html"))
    assert stored(engine, b.report_id) == [] and a2.report_id


def test_two_stored_year_n_minus_1_reports_the_one_seen_last_counts(engine):
    repo = Repository(engine)
    save(repo, record(2021, forward=(2, 0, 0, 0, 0, 0, 2), url="http://x.gov.cn/a.html"))
    second = save(repo, record(2021, forward=(1, 0, 0, 0, 0, 0, 1), url="http://x.gov.cn/b.html"))
    b = save(repo, record(2022, over=(1, 0, 0, 0, 0, 0, 1)))
    assert carry(engine, b.report_id)[0]["total"] == ("pass", 1.0, 1.0)
    assert {r[3] for r in stored(engine, b.report_id)} == {second.report_id}


# --- reparse -----------------------------------------------------------------------------------
def test_a_reparsed_version_recomputes(engine):
    repo = Repository(engine)
    save(repo, record(2021, forward=(2, 0, 0, 0, 0, 0, 2)))
    rec_b = record(2022, over=(1, 0, 0, 0, 0, 0, 1))
    b = save(repo, rec_b)
    assert carry(engine, b.report_id)[0]["total"] == ("fail", 1.0, 2.0)
    reread = record(2022, over=(2, 0, 0, 0, 0, 0, 2), url=rec_b["url"])
    assert repo.add_reparsed_version(b.report_id, b.version_id, reread) == "changed"
    new_version = current_version(engine, b.report_id)
    assert new_version != b.version_id
    found, _ = carry(engine, b.report_id)
    assert found["total"] == ("pass", 2.0, 2.0)
    assert {r[2] for r in stored(engine, b.report_id)} == {new_version}
    assert own_checks(engine, b.report_id) == record_checks(reread)
    # an unchanged reparse redoes them too (what heals a database whose rows were lost)
    with engine.begin() as conn:
        conn.execute(cross_year_checks.delete())
    assert repo.add_reparsed_version(b.report_id, new_version, reread) == "unchanged"
    assert carry(engine, b.report_id)[0]["total"] == ("pass", 2.0, 2.0)


ANSHUN = PROJECT_ROOT / "fixtures/sites/www.anshun.gov.cn"
OFFICE = {2019: "zfxxgk/zfxxgknb/2019year/202001/t20200121_46031127.html",
          2020: "zfxxgk/zfxxgknb/2020year/202101/t20210129_66608151.html",
          2021: "zfxxgk/zfxxgknb/2021year/202201/t20220125_72310560.html"}
COLS = ("natural_person", "commercial", "research", "nonprofit", "legal_services", "other_org", "total")


def test_reparse_over_real_pages_computes_their_checks(engine):
    """The 安顺市人民政府办公室 reports of 2019, 2020 and 2021 stored with an older parser's reading
    (no cells, no year): `reparse` reads them again and stores their cross-year checks. The
    2021 report prints 上年结转 1 (自然人) where the 2020 one printed 结转下年度 0."""
    repo = Repository(engine)
    ids = {}
    for year, path in OFFICE.items():
        body = (ANSHUN / path).read_bytes()
        url = "http://www.anshun.gov.cn/" + path
        stale = new_record(url)
        stale.update(is_report=True, title="旧解析", agency="安顺市人民政府办公室", format="none")
        stale["content_hash"] = content_hash(body)
        page = FetchedPage(url=url, body=body, content_type="text/html", encoding="utf-8")
        ids[year] = repo.save_record(stale, page, spider="anshun").report_id
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(cross_year_checks)).scalar() == 0
    counts = reparse(engine)
    assert counts["changed"] == 3 and counts["errors"] == 0
    assert carry(engine, ids[2021])[0] == {
        **{c: ("pass", 0.0, 0.0) for c in COLS},
        "natural_person": ("fail", 1.0, 0.0), "total": ("fail", 1.0, 0.0)}
    assert carry(engine, ids[2020])[0] == {c: ("pass", 0.0, 0.0) for c in COLS}
    assert carry(engine, ids[2019])[0] == {}
    for year, path in OFFICE.items():
        parsed = record_from_bytes((ANSHUN / path).read_bytes(), "http://www.anshun.gov.cn/" + path,
                                   content_type="text/html", encoding="utf-8")
        assert own_checks(engine, ids[year]) == record_checks(parsed)
        assert all(rule != RULE for rule, _, _ in own_checks(engine, ids[year]))


# --- the view ----------------------------------------------------------------------------------
def test_report_checks_view_holds_the_record_checks_and_the_cross_year_ones(engine):
    repo = Repository(engine)
    a = save(repo, record(2021, forward=(2, 0, 0, 0, 0, 0, 2)))
    b = save(repo, record(2022, over=(1, 0, 0, 0, 0, 0, 1)))
    with engine.connect() as conn:
        got = [dict(r._mapping) for r in conn.execute(sa.text(
            "SELECT * FROM report_checks WHERE report_id = :id ORDER BY rule, at"), {"id": b.report_id})]
    assert [(r["rule"], r["at"], r["status"]) for r in got] == [
        ("applications.row_total", "carried_over", "pass"),
        *sorted((RULE, c, "fail" if c in ("natural_person", "total") else "pass") for c in COLS)]
    total = next(r for r in got if r["rule"] == RULE and r["at"] == "total")
    assert (float(total["lhs"]), float(total["rhs"])) == (1.0, 2.0)
    assert str(total["lhs"]) == "1" and total["year"] == 2022 and total["agency"] == "沅江市黄茅洲镇人民政府"
    # rows of another version than the current one are not shown (never stale)
    with engine.begin() as conn:
        conn.execute(cross_year_checks.update().values(version_id=a.version_id))
        count = conn.execute(sa.text("SELECT COUNT(*) FROM report_checks WHERE rule = :r"),
                             {"r": RULE}).scalar()
    assert count == 0


# --- the migration -----------------------------------------------------------------------------
def test_migration_0005_moves_old_rows_out_of_checks_and_backfills(engine):
    repo = Repository(engine)
    save(repo, record(2021, forward=(2, 0, 0, 0, 0, 0, 2)))
    b = save(repo, record(2022, over=(1, 0, 0, 0, 0, 0, 1)))
    with engine.begin() as conn:
        drop_views(conn)
        command.downgrade(db.alembic_config(conn), "0004")
    assert "cross_year_checks" not in sa.inspect(engine).get_table_names()
    # what the earlier refresh_cross_year left in `checks`
    with engine.begin() as conn:
        conn.execute(checks.insert().values(version_id=b.version_id, seq=1, rule=RULE, at="total",
                                            status="fail", left=1.0, right=2.0))
    db.upgrade(engine)
    assert db.current_revision(engine) == "0005"
    assert own_checks(engine, b.report_id) == [("applications.row_total", "carried_over", "pass")]
    assert carry(engine, b.report_id)[0]["total"] == ("fail", 1.0, 2.0)
    assert len(stored(engine, b.report_id)) == 7


# --- a crawl -----------------------------------------------------------------------------------
def test_offline_crawl_of_anshun_stores_its_cross_year_checks(tmp_path: Path):
    records = run_offline_crawl("anshun", tmp_path)
    assert all(RULE not in {c["rule"] for c in r.get("checks") or []} for r in records)
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT r.agency, r.year, p.year AS prev, x.at, x.status, x.\"left\", x.\"right\" "
                "FROM cross_year_checks x JOIN reports r ON r.id = x.report_id "
                "JOIN reports p ON p.id = x.previous_report_id ORDER BY r.year, x.seq")).all()
            own = conn.execute(sa.text("SELECT COUNT(*) FROM checks WHERE rule = :r"), {"r": RULE}).scalar()
    finally:
        engine.dispose()
    assert own == 0
    by = {(r.year, r.at): (r.agency, r.prev, r.status, r.left, r.right) for r in rows}
    assert len(rows) == 14
    assert by[(2021, "natural_person")] == ("安顺市人民政府办公室", 2020, "fail", 1.0, 0.0)
    assert by[(2021, "total")] == ("安顺市人民政府办公室", 2020, "fail", 1.0, 0.0)
    assert by[(2021, "commercial")] == ("安顺市人民政府办公室", 2020, "pass", 0.0, 0.0)
    assert {by[(2020, c)] for c in COLS} == {("安顺市政府办公室", 2019, "pass", 0.0, 0.0)}
