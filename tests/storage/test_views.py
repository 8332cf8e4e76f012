"""The analysis views (govcrawl/storage/views.py) on SQLite and PostgreSQL: the same SQL, the same
answers; measures across the three layouts; the scorecard's deadlines."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from govcrawl.record import new_record
from govcrawl.scorecard import body_kind, deadline
from govcrawl.storage import db
from govcrawl.storage.views import MEASURES, VIEW_NAMES, measure_terms, view_sql
from tests.helpers import run_offline_crawl

BASE = "http://www.anshun.gov.cn/zfxxgk/zfxxgknb/"


def cell(table, row, col, value, raw=None, unit=None):
    return {"table": table, "row": row, "col": col, "value": value,
            "raw": str(value) if raw is None and value is not None else (raw or ""), "unit": unit}


def store(repo, name, *, agency, year, fmt, published, cells=(), checks=(), level=None,
          region="520400"):
    record = new_record(BASE + name)
    record.update(is_report=True, title=f"{agency}{year}年政府信息公开工作年度报告", agency=agency,
                  year=year, published=published, format=fmt, cells=list(cells),
                  checks=list(checks), agency_key=f"{region}:{agency[3:]}", region_code=region,
                  agency_level=level)
    return repo.save_record(record, spider="anshun").report_id


def old_report(repo, **kw):
    """A pre-2019 统计表 report."""
    s = "statistics"
    return store(repo, "2017.html", agency="安顺市民政局", year=2017, fmt=s, published="2018-03-20",
                 level="prefecture-department", cells=[
                     cell(s, "requests.received", "value", 5.0),
                     cell(s, "replies.total", "value", 5), cell(s, "replies.granted", "value", 2),
                     cell(s, "replies.partial", "value", 0), cell(s, "replies.denied", "value", 1),
                     cell(s, "review.total", "value", 1), cell(s, "review.upheld", "value", 1),
                     cell(s, "litigation.total", "value", 2),
                     cell(s, "litigation.corrected", "value", 1),
                     cell(s, "fees", "value", 0.5, unit="万元"),
                     cell(s, "complaints", "value", None, raw="—")],
                 checks=[{"rule": "statistics.review", "at": "review.total", "status": "fail",
                          "left": 1.0, "right": 0.5}], **kw)


def new_report(repo, *, fmt="2021", year=2021, published="2022-01-25", agency="安顺市教育局",
               level="prefecture-department", name=None):
    a, r = "applications", "review_litigation"
    cells = [cell(a, "new_received", "total", 26), cell(a, "new_received", "natural_person", 20),
             cell(a, "carried_over", "total", 1), cell(a, "granted", "total", 11),
             cell(a, "partial", "total", 2), cell(a, "denied.state_secret", "total", 1),
             cell(a, "denied.internal_affairs", "total", 2), cell(a, "denied", "total", 3),
             cell(a, "total_processed", "total", 25), cell(a, "carried_forward", "total", 2),
             cell(r, "cases", "review.total", 3), cell(r, "cases", "review.upheld", 2),
             cell(r, "cases", "suit_direct.total", 1), cell(r, "cases", "suit_after_review.total", 2),
             cell(r, "cases", "suit_direct.upheld", 1),
             cell("active", "fees", "amount", 97.3, raw="97.30万元", unit="万元")]
    return store(repo, name or f"{year}-{fmt}.html", agency=agency, year=year, fmt=fmt,
                 published=published, level=level, cells=cells,
                 checks=[{"rule": "applications.balance", "at": "total", "status": "pass",
                          "left": 27, "right": 27}])


def rows(engine, sql, **params):
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.text(sql), params)]


def measures(engine, report_id):
    # NUMERIC comes back as Decimal from PostgreSQL: compare as the numbers they are
    return {r["measure"]: float(r["value"]) if r["value"] is not None else None for r in rows(
        engine, "SELECT measure, value FROM report_measures WHERE report_id = :id", id=report_id)}


# --- the views exist, with their columns ---------------------------------------------------------
def test_upgrade_creates_the_views_with_their_columns(engine):
    assert set(sa.inspect(engine).get_view_names()) >= set(VIEW_NAMES)
    columns = {v: [c["name"] for c in sa.inspect(engine).get_columns(v)] for v in VIEW_NAMES}
    assert columns["report_cells"] == ["report_id", "url", "agency", "agency_key", "region_code",
                                       "year", "format", "tbl", "row_code", "col", "value", "raw",
                                       "unit"]
    assert columns["report_checks"] == ["report_id", "url", "agency", "agency_key", "region_code",
                                        "year", "format", "rule", "at", "status", "lhs", "rhs"]
    assert columns["report_measures"] == ["report_id", "agency", "year", "format", "measure", "value"]
    assert "on_time" in columns["scorecard"] and "deadline" in columns["scorecard"]
    db.upgrade(engine)  # recreated, idempotent
    assert set(sa.inspect(engine).get_view_names()) >= set(VIEW_NAMES)


def test_views_survive_a_migration_and_pick_up_new_columns(database_url):
    """Migrated to 0002 (before agency identity), the views select NULL for the identity columns;
    the next upgrade (0003 rebuilds `reports` on SQLite) drops them first and recreates them over
    the real columns."""
    engine = db.create_engine_for(database_url)
    try:
        db.upgrade(engine, "0002")
        assert rows(engine, "SELECT agency_key, region_code FROM report_cells") == []
        with engine.connect() as conn:
            cols = {c["name"] for c in sa.inspect(conn).get_columns("reports")}
        assert "agency_key" not in cols
        db.upgrade(engine)
        assert db.current_revision(engine) not in (None, "0002")
        from govcrawl.storage.repository import Repository

        report = new_report(Repository(engine))
        assert {r["agency_key"] for r in rows(engine, "SELECT agency_key FROM report_cells")} == {
            "520400:教育局"}
        assert report
    finally:
        engine.dispose()


def test_the_sql_is_the_same_text_for_both_databases():
    # one text per view, built only from the columns `reports` has: no dialect branches
    with_identity = view_sql({"agency_key", "region_code", "agency_level"})
    without = view_sql(set())
    assert set(with_identity) == set(VIEW_NAMES)
    assert "NULL AS agency_key" in without["report_cells"]
    assert "r.agency_key AS agency_key" in with_identity["report_cells"]


# --- cells and checks --------------------------------------------------------------------------
def test_report_cells_print_whole_numbers_as_integers(repo, engine):
    rid = old_report(repo)
    got = {r["row_code"]: r for r in rows(engine, "SELECT * FROM report_cells WHERE report_id = :id",
                                          id=rid)}
    # stored as doubles; read back as the report printed them
    assert rows(engine, "SELECT CAST(value AS TEXT) AS v FROM report_cells WHERE row_code = "
                        "'requests.received'") == [{"v": "5"}]
    assert rows(engine, "SELECT CAST(value AS TEXT) AS v FROM report_cells WHERE row_code = "
                        "'fees'") == [{"v": "0.5"}]
    assert got["requests.received"]["value"] == 5 and str(got["requests.received"]["value"]) == "5"
    assert got["complaints"]["value"] is None and got["complaints"]["raw"] == "—"
    assert got["fees"]["unit"] == "万元" and got["fees"]["tbl"] == "statistics"
    assert got["fees"]["agency"] == "安顺市民政局" and got["fees"]["region_code"] == "520400"
    assert got["fees"]["agency_key"] == "520400:民政局" and got["fees"]["year"] == 2017


def test_report_checks_carry_both_sides(repo, engine):
    rid = old_report(repo)
    (check,) = rows(engine, "SELECT * FROM report_checks WHERE report_id = :id", id=rid)
    assert (check["rule"], check["at"], check["status"]) == ("statistics.review", "review.total", "fail")
    assert str(check["lhs"]) == "1" and str(check["rhs"]) == "0.5"


def test_only_the_current_version_is_in_the_views(repo, engine):
    rid = old_report(repo)
    record = new_record(BASE + "2017.html")
    record.update(is_report=True, agency="安顺市民政局", year=2017, format="statistics",
                  cells=[cell("statistics", "requests.received", "value", 7)])
    repo.save_record(record, spider="anshun")  # a changed version
    assert rows(engine, "SELECT value FROM report_cells WHERE report_id = :id", id=rid) == [{"value": 7}]


# --- measures ----------------------------------------------------------------------------------
def test_measures_map_the_old_and_new_layouts_onto_one_name(repo, engine):
    old = old_report(repo)
    new = new_report(repo)
    m2019 = new_report(repo, fmt="2019", year=2020, published="2021-01-29")
    assert measures(engine, old) == {
        "applications_received": 5, "applications_processed": 5, "applications_granted": 2,
        "applications_partial": 0, "applications_denied": 1, "reviews": 1, "reviews_upheld": 1,
        "suits": 2, "suits_corrected": 1, "request_fees": 0.5}
    got = measures(engine, new)
    assert got == {
        "applications_received": 26, "applications_carried_over": 1, "applications_processed": 25,
        "applications_granted": 11, "applications_partial": 2,
        # the eight 不予公开 rows, not the printed subtotal on top of them
        "applications_denied": 3,
        "applications_carried_forward": 2, "reviews": 3, "reviews_upheld": 2,
        # 未经复议直接起诉 + 复议后起诉
        "suits": 3, "suits_upheld": 1, "administrative_fees": 97.3}
    # the 2019 table 二 prints fee items, not an amount: no administrative_fees
    assert set(measures(engine, m2019)) == set(got) - {"administrative_fees"}


def test_every_measure_term_names_a_row_and_column_of_its_format():
    from govcrawl.formats import BY_NAME

    for measure, fmt, table, row, col in measure_terms():
        definition = BY_NAME[fmt].table(table)
        assert row in {r.code for r in definition.rows}, (measure, fmt, row)
        assert col in {c.code for c in definition.cols}, (measure, fmt, col)
    assert set(MEASURES) == {t[0] for t in measure_terms()}


def test_measures_are_documented():
    from govcrawl import PROJECT_ROOT

    text = (PROJECT_ROOT / "docs" / "measures.md").read_text("utf-8")
    for measure in MEASURES:
        assert f"`{measure}`" in text, measure


def test_a_cell_printed_twice_counts_once(repo, engine):
    s = "statistics"
    rid = store(repo, "twice.html", agency="安顺市民政局", year=2016, fmt=s, published="2017-03-01",
                cells=[cell(s, "requests.received", "value", 4), cell(s, "requests.received", "value", 9)])
    assert measures(engine, rid)["applications_received"] == 4


def test_the_readme_query_keeps_pre_2019_reports(tmp_path):
    """Over the offline Anshun crawl: the README's applications-received query (a canned query in
    `govcrawl serve`) has a row for every report with a statistics table, 统计表 ones included."""
    from govcrawl.datasette.queries import QUERIES

    run_offline_crawl("anshun", tmp_path)
    engine = db.get_engine(f"sqlite:///{tmp_path / 'x.db'}")
    got = rows(engine, QUERIES["applications_received"][2])
    with_tables = rows(engine, "SELECT agency, year, format FROM reports WHERE format != 'none'")
    assert sorted((r["agency"], r["year"]) for r in got) == sorted(
        (r["agency"], r["year"]) for r in with_tables)
    assert {r["format"] for r in got} == {"statistics", "2019", "2021"}
    assert all(isinstance(r["value"], int) for r in got)


# --- scorecard ---------------------------------------------------------------------------------
SCORECARD_CASES = [
    # (agency, level, year, published, deadline, basis, on_time)
    ("安顺市教育局", "prefecture-department", 2021, "2022-01-31", "2022-01-31", "2019-art49-1", 1),
    ("安顺市民政局", "prefecture-department", 2021, "2022-02-01", "2022-01-31", "2019-art49-1", 0),
    ("西秀区人民政府", "county", 2020, "2021-03-31", "2021-03-31", "2019-art49-2", 1),
    ("西秀区人民政府", "county", 2019, "2020-04-01", "2020-03-31", "2019-art49-2", 0),
    ("新安街道办事处", "township", 2022, "2023-02-15", "2023-03-31", "2019-township", 1),
    ("安顺经济技术开发区", "prefecture-zone", 2020, "2021-02-18", "2021-03-31", "2019-zone", 1),
    ("安顺市财政局", "prefecture-department", 2018, "2019-03-29", "2019-03-31", "2008-art31", 1),
    ("安顺市财政局", "prefecture-department", 2017, "2018-04-02", "2018-03-31", "2008-art31", 0),
    ("安顺市审计局", "prefecture-department", 2021, None, "2022-01-31", "2019-art49-1", None),
    # no level known: the name decides (a people's government, a department)
    ("普定县人民政府", None, 2021, "2022-03-01", "2022-03-31", "2019-art49-2", 1),
    ("普定县水务局", None, 2021, "2022-03-01", "2022-01-31", "2019-art49-1", 0),
]


def test_scorecard_deadlines_follow_the_two_regulations(repo, engine):
    ids = {}
    for i, (agency, level, year, published, *_rest) in enumerate(SCORECARD_CASES):
        ids[i] = store(repo, f"s{i}.html", agency=agency, year=year, fmt="none",
                       published=published, level=level)
    got = {r["report_id"]: r for r in rows(engine, "SELECT * FROM scorecard")}
    for i, (agency, level, year, _published, due, basis, on_time) in enumerate(SCORECARD_CASES):
        row = got[ids[i]]
        assert (row["deadline"], row["deadline_basis"], row["on_time"]) == (due, basis, on_time), agency
        # govcrawl/scorecard.py's rules are the view's
        kind = body_kind(level, agency)
        assert kind == row["body_kind"]
        assert deadline(year, kind) == (date.fromisoformat(due), basis)


def test_scorecard_tables_and_identities(repo, engine):
    old = old_report(repo)
    new = new_report(repo)
    got = {r["report_id"]: r for r in rows(engine, "SELECT * FROM scorecard")}
    assert (got[old]["tables_required"], got[old]["tables_present"]) == (1, 1)
    assert (got[old]["checks_passed"], got[old]["checks_failed"]) == (0, 1)
    # a 2021 report with tables 三 and 四 printed, 二 only by its fee row: all three present
    assert (got[new]["tables_required"], got[new]["tables_present"]) == (3, 3)
    assert got[new]["expected_format"] == "2021" and got[new]["checks_passed"] == 1


@pytest.mark.parametrize("year,fmt,required", [(2019, "statistics", 1), (2019, "2019", 3),
                                               (2020, "statistics", 3), (2021, "none", 3)])
def test_scorecard_required_tables_by_year(repo, engine, year, fmt, required):
    rid = store(repo, f"t{year}{fmt}.html", agency="安顺市民政局", year=year, fmt=fmt,
                published=f"{year + 1}-01-20")
    (row,) = rows(engine, "SELECT tables_required, tables_present FROM scorecard "
                          "WHERE report_id = :id", id=rid)
    assert row == {"tables_required": required, "tables_present": 0}


def test_the_readme_queries_are_the_canned_queries():
    from govcrawl import PROJECT_ROOT
    from govcrawl.datasette.queries import QUERIES

    readme = (PROJECT_ROOT / "README.md").read_text("utf-8")
    for name in ("reports_by_year", "applications_received", "failed_identities"):
        assert f'sqlite3 govcrawl.db "{QUERIES[name][2]}"' in readme, name
