"""guandu (昆明市官渡区人民政府, Kunming site cluster): the 部门年报 column, from the recorded mirror
(the cluster's listing functions: tests/cms/test_kunming.py)."""

import pytest
import scrapy

from govcrawl.cms import kunming
from govcrawl.items import FetchedPage, PageHints
from govcrawl.spiders.guandu import GuanduSpider
from tests.helpers import file_response, run_offline_crawl

SITE = "http://www.kmgd.gov.cn"
COLUMN = f"{SITE}/zfxxgk/zfxxgknb/bmndbg/index.shtml"
PAGE2 = f"{SITE}/zfxxgk/zfxxgknb/bmndbg/index_2.shtml"
R2021 = f"{SITE}/c/2022-01-25/5412238.shtml"
R2019 = f"{SITE}/c/2020-01-20/4076521.shtml"
R2017 = f"{SITE}/c/2018-01-08/2199012.shtml"  # seed 003
R2016 = f"{SITE}/c/2017-02-20/1610344.shtml"
NONREPORT = f"{SITE}/c/2019-03-01/2786503.shtml"  # 官渡区2019年政务公开工作要点


@pytest.fixture
def spider():
    return GuanduSpider()


def split(results):
    details = [r for r in results if isinstance(r, scrapy.Request) and r.meta["govcrawl_kind"] == "detail"]
    listings = [r.url for r in results if isinstance(r, scrapy.Request) and r.meta["govcrawl_kind"] == "listing"]
    return details, listings


# --- the spider -------------------------------------------------------------------------------
def test_spider_reads_the_column_with_the_kunming_family(spider):
    assert spider.family is kunming.FAMILY and spider.content_css == kunming.CONTENT_CSS


def test_first_page(spider):
    details, listings = split(list(spider.parse_listing(file_response(COLUMN))))
    assert [r.url for r in details] == [R2021, R2019]
    assert NONREPORT not in {r.url for r in details}
    assert details[1].cb_kwargs["hints"].to_dict() == {
        "title": "昆明市生态环境局官渡分局2019年政府信息公开工作年度报告", "column": COLUMN,
        "published": "2020-01-20", "region_code": "530111"}  # no agency hint: the column holds many bureaus' reports
    assert listings == [PAGE2]


def test_second_page_holds_the_seed_report(spider):
    details, listings = split(list(spider.parse_listing(file_response(PAGE2))))
    assert [r.url for r in details] == [R2017, R2016]
    assert details[0].cb_kwargs["hints"].title == "官渡区环保局2017年政府信息公开年度报告"
    assert details[0].cb_kwargs["hints"].published == "2018-01-08"
    assert listings == [COLUMN]


def test_seed_report_detail_page(spider):
    response = file_response(R2017)
    items = list(spider.parse_detail(response, hints=PageHints(title="官渡区环保局2017年政府信息公开年度报告")))
    assert len(items) == 1 and isinstance(items[0], FetchedPage)
    assert items[0].url == R2017 and items[0].encoding == "utf-8"
    body = " ".join(response.css("div.conTxt ::text").getall())
    assert "2017通过门户网站发布98条信息" in body
    assert "填报单位(盖章):官渡区环境保护局" in body
    rows = [tr.css("td::text").getall() for tr in response.css("div.conTxt table tr")]
    assert rows[0] == ["统 计 指 标", "单位", "统计数"]
    assert ["2.政府网站公开政府信息数", "条", "155"] in rows
    assert ["3.政务微博公开政府信息数", "条", "200"] in rows
    assert rows[-1] == ["（三）接受培训人员数".replace("（", "(").replace("）", ")"), "人次", "50"]
    assert len(rows) == 66  # header + the 65 rows of seed 003


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    return run_offline_crawl("guandu", tmp_path_factory.mktemp("guandu"))


def test_offline_crawl_yields_the_four_reports(crawled):
    assert sorted(r["url"] for r in crawled) == sorted([R2021, R2019, R2017, R2016])


def test_offline_crawl_record_fields(crawled):
    by_url = {r["url"]: r for r in crawled}
    assert {u: (r["year"], r["format"]) for u, r in by_url.items()} == {
        R2021: (2021, "2021"), R2019: (2019, "2019"), R2017: (2017, "statistics"), R2016: (2016, "statistics")}
    seed = by_url[R2017]
    assert seed["title"] == "官渡区环保局2017年政府信息公开年度报告"
    assert seed["agency"] == "官渡区环保局"
    assert seed["published"] == "2018-01-08"
    cells = {c["row"]: c["value"] for c in seed["cells"]}
    assert cells["active.website"] == 155 and cells["active.weibo"] == 200
    assert cells["org.staff"] == 3 and cells["org.budget"] == 0.5 and cells["training.trainees"] == 50


def test_offline_crawl_reports_the_printed_staff_slip(crawled):
    # the 2016 统计表 prints 2 staff but 0 full-time + 3 part-time: recorded as a failed identity
    record = next(r for r in crawled if r["url"] == R2016)
    cells = {c["row"]: c["value"] for c in record["cells"]}
    assert (cells["org.staff"], cells["org.staff_full_time"], cells["org.staff_part_time"]) == (2, 0, 3)
    failed = [c for c in record["checks"] if c["status"] != "pass"]
    assert [c["at"] for c in failed] == ["org.staff"]
    assert all(c["status"] == "pass" for r in crawled if r["url"] != R2016 for c in r["checks"])
