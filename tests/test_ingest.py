"""govcrawl.ingest: fetched bytes -> record, and the crawl's hints reaching the parser."""

from pathlib import Path

from govcrawl.ingest import record_from_bytes
from govcrawl.items import PageHints

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
SEED002 = (SEEDS / "002_83e0bbcdbf90f655.txt").read_bytes()  # names no full agency in its text
SEED000 = (SEEDS / "000_0d3292ae08e5f267.txt").read_bytes()
URL = "http://www.panan.gov.cn/art/2014/10/29/art_1229.html"


def test_spider_agency_is_the_last_resort():
    assert record_from_bytes(SEED002, URL, kind="text")["agency"] == ""
    hinted = record_from_bytes(SEED002, URL, kind="text", hints=PageHints(agency="磐安县应急管理局"))
    assert hinted["agency"] == "磐安县应急管理局"


def test_agency_printed_in_the_report_wins_over_the_hint():
    record = record_from_bytes(SEED000, URL, kind="text", hints=PageHints(agency="安顺市人民政府"))
    assert record["agency"] == "安顺市安全生产监督管理局"


def test_stored_hints_of_old_versions_still_reach_the_parser():
    # versions stored before the hints were typed spelt the agency `agency_hint`
    record = record_from_bytes(SEED002, URL, kind="text", hints={"agency_hint": "磐安县应急管理局"})
    assert record["agency"] == "磐安县应急管理局"


def test_source_url_and_title_hints():
    hints = PageHints(title="磐安县应急管理局2013年政府信息公开工作年度报告", source_url="http://x.gov.cn/t1.html")
    record = record_from_bytes(SEED002, URL + ".pdf", kind="text", hints=hints)
    assert record["source_url"] == "http://x.gov.cn/t1.html"
    assert record["title"] == "磐安县应急管理局2013年政府信息公开工作年度报告"


def test_hints_round_trip_through_their_stored_form():
    hints = PageHints(title="t", published="2021-01-29", agency="a", column="http://c/")
    assert PageHints.from_dict(hints.to_dict()) == hints
    assert hints.to_dict() == {"title": "t", "published": "2021-01-29", "agency": "a", "column": "http://c/"}
    assert PageHints.from_dict({"title": "t", "unknown": 1}) == PageHints(title="t")
