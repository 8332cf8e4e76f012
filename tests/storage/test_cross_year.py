"""govcrawl/storage/cross_year.py: cross_year.carry checks between stored reports, on SQLite and
PostgreSQL (the `engine` fixture of tests/conftest.py)."""

from __future__ import annotations

import sqlalchemy as sa

from govcrawl.record import new_record
from govcrawl.storage.cross_year import refresh_all_cross_year, refresh_cross_year
from govcrawl.storage.repository import Repository
from govcrawl.storage.schema import checks, cross_year_checks, reports

COLS = ("natural_person", "commercial", "research", "nonprofit", "legal_services", "other_org", "total")


def record(year, *, over=(0,) * 7, forward=(0,) * 7, agency="沅江市黄茅洲镇人民政府", fmt="2021", url=None):
    rec = new_record(url or f"http://www.yuanjiang.gov.cn/nb/{year}/{abs(hash((agency, year))) % 10**6}.html")
    rec.update(is_report=True, agency=agency, year=year, format=fmt, title=f"{agency}{year}年政府信息公开工作年度报告")
    cells = []
    for row, values in (("carried_over", over), ("carried_forward", forward)):
        for col, v in zip(COLS, values):
            cells.append({"table": "applications", "row": row, "col": col, "value": v, "raw": str(v), "unit": None})
    rec["cells"] = cells
    rec["checks"] = [{"rule": "applications.row_total", "at": "carried_over", "status": "pass", "left": 0, "right": 0}]
    return rec


def save(repo, rec):
    return repo.save_record(rec, spider="test").report_id


def carry(engine, report_id):
    """{col: (status, left, right)} of the report's cross-year checks (`cross_year_checks`), and
    the seqs used; the rows are of its current version."""
    with engine.connect() as conn:
        version = conn.execute(sa.select(reports.c.current_version_id).where(reports.c.id == report_id)).scalar()
        rows = conn.execute(sa.select(cross_year_checks).where(cross_year_checks.c.report_id == report_id)
                            .order_by(cross_year_checks.c.seq)).all()
    assert {r.version_id for r in rows} <= {version}
    found = {r.at: (r.status, r.left, r.right) for r in rows if r.rule == "cross_year.carry"}
    return found, [r.seq for r in rows]


def own_checks(engine, report_id):
    """The `checks` rows of the report's current version: the record's own checks only."""
    with engine.connect() as conn:
        version = conn.execute(sa.select(reports.c.current_version_id).where(reports.c.id == report_id)).scalar()
        return [(r.rule, r.at, r.status) for r in conn.execute(
            sa.select(checks).where(checks.c.version_id == version).order_by(checks.c.seq))]


def test_both_years_stored_pass_and_fail(engine):
    repo = Repository(engine)
    a = save(repo, record(2021, forward=(2, 0, 0, 0, 0, 0, 2)))
    assert refresh_cross_year(engine, a) == 0           # year N+1 not stored yet: nothing
    b = save(repo, record(2022, over=(1, 0, 0, 0, 0, 0, 1)))
    assert refresh_cross_year(engine, b) == 7
    found, seqs = carry(engine, b)
    assert found["natural_person"] == ("fail", 1.0, 2.0) and found["commercial"][0] == "pass"
    assert seqs == list(range(7))                        # their own table, numbered from 0
    assert own_checks(engine, b) == [("applications.row_total", "carried_over", "pass")]
    assert carry(engine, a)[0] == {}                     # the year N-1 report holds none


def test_refresh_from_the_earlier_year_and_recompute_on_change(engine):
    repo = Repository(engine)
    b = save(repo, record(2022, over=(1, 0, 0, 0, 0, 0, 1)))
    a = save(repo, record(2021, forward=(2, 0, 0, 0, 0, 0, 2)))
    assert refresh_cross_year(engine, a) == 7            # the 2022 report's checks, from the 2021 side
    assert carry(engine, b)[0]["total"][0] == "fail"
    # the 2021 page is corrected (a new version): recomputed, not duplicated
    fixed = record(2021, forward=(1, 0, 0, 0, 0, 0, 1), url=repo_url(engine, a))
    assert save(repo, fixed) == a
    refresh_cross_year(engine, a)
    found, _ = carry(engine, b)
    assert len(found) == 7 and found["total"] == ("pass", 1.0, 1.0)
    refresh_cross_year(engine, b)
    assert len(carry(engine, b)[0]) == 7


def repo_url(engine, report_id):
    with engine.connect() as conn:
        return conn.execute(sa.select(reports.c.url).where(reports.c.id == report_id)).scalar()


def test_other_agency_and_gap_years_make_no_checks(engine):
    repo = Repository(engine)
    save(repo, record(2021, agency="沅江市琼湖街道办事处"))
    save(repo, record(2020))
    b = save(repo, record(2022))
    assert refresh_cross_year(engine, b) == 0
    assert carry(engine, b)[0] == {}


def test_same_agency_by_normalised_name_and_pre_2019_unknown(engine):
    repo = Repository(engine)
    save(repo, record(2018, agency="沅江市黄茅洲鎮人民政府", fmt="statistics", over=(), forward=()))
    b = save(repo, record(2019, fmt="2019"))
    assert refresh_cross_year(engine, b) == 7
    assert {s for s, _, _ in carry(engine, b)[0].values()} == {"unknown"}


def test_inside_the_callers_transaction_and_refresh_all(engine):
    repo = Repository(engine)
    a = save(repo, record(2021))
    b = save(repo, record(2022))
    with engine.begin() as conn:
        assert refresh_cross_year(conn, b) == 7
    assert refresh_all_cross_year(engine) == 7
    assert len(carry(engine, b)[0]) == 7 and carry(engine, a)[0] == {}
    assert refresh_cross_year(engine, 10**6) == 0       # no such report


def test_prefers_agency_key_where_both_have_one(engine):
    repo = Repository(engine)
    if "agency_key" not in reports.c:
        return
    a = save(repo, record(2021, agency="黄茅洲镇人民政府"))
    b = save(repo, record(2022, agency="黄茅洲镇政府"))
    with engine.begin() as conn:
        conn.execute(reports.update().where(reports.c.id.in_([a, b])).values(agency_key="430981:黄茅洲镇"))
    assert refresh_cross_year(engine, b) == 7
    with engine.begin() as conn:
        conn.execute(reports.update().where(reports.c.id == a).values(agency_key="430981:琼湖街道"))
    assert refresh_cross_year(engine, b) == 0

