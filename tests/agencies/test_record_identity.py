"""The agency identity in every record (`agency_key`, `region_code`, `agency_level`), in the
repository's `reports` row, and the backfill of migration 0003."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from govcrawl.ingest import agency_identity, record_from_bytes
from govcrawl.items import PageHints
from govcrawl.record import EXTRA_KEYS, new_record
from govcrawl.storage import db
from govcrawl.storage.repository import Repository
from govcrawl.storage.schema import reports

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
SEED000 = (SEEDS / "000_0d3292ae08e5f267.txt").read_bytes()   # 安顺市安全生产监督管理局
SEED002 = (SEEDS / "002_83e0bbcdbf90f655.txt").read_bytes()   # names no full agency in its text
URL = "http://www.panan.gov.cn/art/2014/10/29/art_1229.html"


def test_new_keys_are_extra_keys_of_every_record():
    assert {"agency_key", "region_code", "agency_level"} <= set(EXTRA_KEYS)
    record = new_record("http://x.gov.cn/a.html")
    assert record["agency_key"] is None and record["region_code"] is None and record["agency_level"] is None


def test_identity_from_the_agency_printed_in_the_report():
    record = record_from_bytes(SEED000, URL, kind="text", hints=PageHints(agency="安顺市人民政府"))
    assert record["agency"] == "安顺市安全生产监督管理局"
    # the 2018 reform folded in: the bureau is today's 应急管理局
    assert (record["agency_key"], record["region_code"], record["agency_level"]) == \
        ("520400:应急管理局", "520400", "prefecture-department")


def test_identity_from_the_spider_agency_hint():
    record = record_from_bytes(SEED002, URL, kind="text",
                               hints=PageHints(agency="磐安县应急管理局", region_code="330727"))
    assert (record["agency_key"], record["region_code"], record["agency_level"]) == \
        ("330727:应急管理局", "330727", "county-department")


def test_no_agency_no_identity():
    record = record_from_bytes(SEED002, URL, kind="text", hints=PageHints(region_code="330727"))
    assert record["agency"] == ""
    assert record["agency_key"] is None and record["region_code"] is None and record["agency_level"] is None


def test_region_hint_places_a_name_without_a_division():
    assert agency_identity("市民政局", "520400") == {
        "agency_key": "520400:民政局", "region_code": "520400", "agency_level": "prefecture-department"}
    # a county inside the hinted city is still the county
    assert agency_identity("普定县人民政府", "520400")["region_code"] == "520422"
    # no division at all: nothing, rather than a key (":民政局") that joins unrelated bureaus
    assert agency_identity("民政局") == {"agency_key": None, "region_code": None, "agency_level": None}
    # a name several divisions share (朝阳区: 北京 and 长春) is settled only by the hint
    assert agency_identity("朝阳区教育局")["region_code"] is None
    assert agency_identity("朝阳区教育局", "220100")["region_code"] == "220104"


def test_region_hint_survives_the_stored_form_of_the_hints():
    hints = PageHints(agency="a", region_code="520400")
    assert hints.to_dict()["region_code"] == "520400"
    assert PageHints.from_dict(hints.to_dict()) == hints
    assert PageHints.from_dict({"agency": "a"}).region_code is None   # versions stored before 0003


def test_repository_stores_the_identity_columns(sqlite_database_url):
    engine = db.get_engine(sqlite_database_url)
    record = record_from_bytes(SEED000, "http://www.anshun.gov.cn/zfxxgk/zfxxgknb/2017year/t1.html", kind="text")
    Repository(engine).save_record(record, None, spider="anshun")
    with engine.connect() as conn:
        row = conn.execute(sa.select(reports.c.agency_key, reports.c.region_code, reports.c.agency_level)).one()
    assert tuple(row) == ("520400:应急管理局", "520400", "prefecture-department")


def test_migration_0003_backfills_rows_from_their_agency_name(sqlite_database_url):
    engine = db.create_engine_for(sqlite_database_url)
    try:
        db.upgrade(engine, "0002")
        with engine.begin() as conn:
            for i, agency in enumerate(["安顺市审计局", "磐安县安监局", "市民政局", None]):
                conn.execute(sa.text(
                    "INSERT INTO reports (url, spider, scope, agency, status, first_seen, last_seen) "
                    "VALUES (:url, 'anshun', 'anshun', :agency, 'active', '2026-01-01', '2026-01-01')"),
                    {"url": f"http://x.gov.cn/{i}.html", "agency": agency})
        db.upgrade(engine)
        assert db.current_revision(engine) == "0005"
        with engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT agency, agency_key, region_code, agency_level FROM reports ORDER BY url")).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in rows] == [
        ("安顺市审计局", "520400:审计局", "520400", "prefecture-department"),
        ("磐安县安监局", "330727:应急管理局", "330727", "county-department"),
        ("市民政局", None, None, None),       # the region only the crawl knew: left to reparse
        (None, None, None, None),
    ]
