"""`govcrawl scorecard`: deadlines, sections, tables, identities per agency and year; coverage."""

from __future__ import annotations

import csv
import io
import json

from govcrawl.scorecard import REQUIRED_SECTIONS, sections_found
from govcrawl.storage.db import get_engine
from tests.helpers import run_offline_crawl
from tests.storage.test_commands import cli
from tests.storage.test_views import store

NEW_SECTIONS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def with_sections(repo, name, headings, **kw):
    from govcrawl.record import new_record
    from tests.storage.test_views import BASE

    rid = store(repo, name, **kw)
    record = new_record(BASE + name)
    record.update(is_report=True, agency=kw["agency"], year=kw["year"], format=kw["fmt"],
                  published=kw["published"], agency_level=kw.get("level"),
                  region_code=kw.get("region", "520400"),
                  agency_key=f"{kw.get('region', '520400')}:{kw['agency'][3:]}",
                  sections=[{"heading": h, "text": "……"} for h in headings])
    repo.save_record(record, spider="anshun")
    return rid


def seed(repo):
    dept = dict(agency="安顺市民政局", level="prefecture-department", fmt="none")
    with_sections(repo, "m2019.html", NEW_SECTIONS, year=2019, published="2020-01-20", **dept)
    # 2020 missing; 2021 late (a department: 31 January)
    with_sections(repo, "m2021.html", NEW_SECTIONS[:4], year=2021, published="2022-02-10", **dept)
    with_sections(repo, "m2022.html", NEW_SECTIONS, year=2022, published=None, **dept)
    # a second copy of 2019, published later: the earlier one stands for the year
    with_sections(repo, "m2019b.html", NEW_SECTIONS, year=2019, published="2020-03-01", **dept)
    store(repo, "xixiu2021.html", agency="西秀区人民政府", year=2021, fmt="none",
          published="2022-03-30", level="county", region="520402")
    store(repo, "panan2021.html", agency="磐安县应急管理局", year=2021, fmt="none",
          published="2022-01-20", level="county-department", region="330727")


def test_scorecard_per_agency_and_year(repo, database_url):
    seed(repo)
    code, out = cli("scorecard", "--format", "csv", database_url=database_url)
    assert code == 0
    table = {(r["agency_key"], r["year"]): r for r in csv.DictReader(io.StringIO(out))}
    assert len(table) == 5
    y2019 = table["520400:民政局", "2019"]
    assert (y2019["published"], y2019["deadline"], y2019["on_time"], y2019["reports"]) == (
        "2020-01-20", "2020-01-31", "yes", "2")
    assert y2019["sections"] == "6/6" and y2019["sections_missing"] == ""
    late = table["520400:民政局", "2021"]
    assert (late["on_time"], late["deadline_basis"], late["sections"]) == ("late", "2019-art49-1", "4/6")
    assert late["sections_missing"] == "问题及改进,其他需要报告的事项"
    assert late["tables"] == "0/3" and late["agency_missing_years"] == "2020"
    assert table["520400:民政局", "2022"]["on_time"] == "unknown"
    county = table["520402:人民政府", "2021"]
    assert (county["on_time"], county["deadline"]) == ("yes", "2022-03-31")


def test_scorecard_filters_and_table_output(repo, database_url):
    seed(repo)
    code, out = cli("scorecard", "--region", "520400", "--year", "2021", "--format", "jsonl",
                    database_url=database_url)
    assert {json.loads(line)["agency"] for line in out.splitlines()} == {"安顺市民政局", "西秀区人民政府"}
    code, out = cli("scorecard", database_url=database_url)
    assert code == 0 and out.splitlines()[0].split()[:4] == ["agency_key", "agency", "agency_level", "year"]
    assert "安顺市民政局" in out


def test_coverage_matrix(repo, database_url):
    seed(repo)
    code, out = cli("scorecard", "--coverage", "--format", "csv", database_url=database_url)
    table = {r["agency_key"]: r for r in csv.DictReader(io.StringIO(out))}
    m = table["520400:民政局"]
    assert (m["2019"], m["2020"], m["2021"], m["2022"], m["missing_years"]) == ("Y", "-", "L", "?", "2020")
    assert table["520402:人民政府"]["2019"] == "" and table["520402:人民政府"]["2021"] == "Y"
    code, out = cli("scorecard", "--coverage", database_url=database_url)
    assert code == 0 and "Y on time, L late" in out


def test_level_from_the_name_where_the_column_is_empty(repo, database_url):
    # no agency_level stored: govcrawl.agencies places 安顺市人民政府 (a government: 31 March)
    store(repo, "gov.html", agency="安顺市人民政府", year=2021, fmt="none", published="2022-03-15")
    code, out = cli("scorecard", "--format", "jsonl", database_url=database_url)
    assert code == 0
    (row,) = [json.loads(line) for line in out.splitlines()]
    assert (row["agency_level"], row["deadline"], row["on_time"]) == ("prefecture", "2022-03-31", "yes")


def test_sections_by_layout():
    assert sections_found(NEW_SECTIONS, "new") == (6, [])
    old = ["一、概述", "二、主动公开政府信息情况", "三、依申请公开政府信息情况", "四、政府信息公开收费及减免情况",
           "五、因政府信息公开申请行政复议、提起行政诉讼的情况", "六、存在的主要问题及改进措施"]
    assert sections_found(old, "statistics") == (5, ["其他需要报告的事项"])
    assert set(REQUIRED_SECTIONS) == {"new", "statistics"}


def test_scorecard_of_the_offline_anshun_crawl(tmp_path):
    run_offline_crawl("anshun", tmp_path)
    url = f"sqlite:///{tmp_path / 'x.db'}"
    get_engine(url)
    code, out = cli("scorecard", "--format", "csv", database_url=url)
    assert code == 0
    table = list(csv.DictReader(io.StringIO(out)))
    assert len(table) >= 10 and all(r["on_time"] in ("yes", "late", "unknown") for r in table)
    by = {(r["agency"], r["year"]): r for r in table}
    # 安顺市人民政府办公室 2019: a department, published 2020-01-21, all six sections, three tables
    office = by["安顺市人民政府办公室", "2019"]
    assert (office["on_time"], office["sections"], office["tables"]) == ("yes", "6/6", "3/3")
    assert by["安顺市人民政府", "2018"]["deadline_basis"] == "2008-art31"
