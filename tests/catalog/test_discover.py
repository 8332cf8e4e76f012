"""`govcrawl discover`: an agency's report column(s) from its home or 政府信息公开 page, on four
templates of four CMS families mirrored under fixtures/sites (docs/catalog.md, "Discovery")."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest

from govcrawl import catalog
from govcrawl.catalog.discover import (
    catalog_rows,
    discover,
    file_fetcher,
    is_column_link,
    is_gateway_link,
    mirror_fetcher,
)
from tests.helpers import FIXTURES_DIR

FETCH = mirror_fetcher(FIXTURES_DIR)


def rows_from(url: str) -> list[dict]:
    return catalog_rows(discover(url, FETCH))


def test_trs_home_page_leads_to_the_catalog_row():
    # 安顺市人民政府 (Guizhou 集约化 TRS): 首页 -> 政府信息公开 -> 政府信息公开年报
    rows = rows_from("http://www.anshun.gov.cn/")
    assert len(rows) == 1
    expected = next(c for c in catalog.rows() if c.key == "520400:人民政府").as_row()
    assert {k: v for k, v in rows[0].items() if k != "source"} == \
        {k: v for k, v in expected.items() if k != "source"}
    assert rows[0]["source"] == "http://www.anshun.gov.cn/zfxxgk/"


def test_hanweb_department_page_gives_the_department():
    # a bureau's page on 磐安县人民政府's Hanweb site: its 政府信息公开年度报告 column is the bureau's
    rows = rows_from("http://www.panan.gov.cn/col/col1229147420/index.html")
    assert [(r["agency"], r["key"], r["level"], r["column_url"], r["family"]) for r in rows] == [
        ("磐安县应急管理局", "330727:应急管理局", "county-department",
         "http://www.panan.gov.cn/col/col1229147423/index.html", "hanweb")]


def test_kunming_cluster_home_gives_the_column_and_its_sub_columns():
    rows = rows_from("http://www.kmgd.gov.cn/")
    urls = [r["column_url"] for r in rows]
    assert urls == ["http://www.kmgd.gov.cn/zfxxgk/zfxxgknb/",
                    "http://www.kmgd.gov.cn/zfxxgk/zfxxgknb/qzfndbg/",
                    "http://www.kmgd.gov.cn/zfxxgk/zfxxgknb/bmndbg/",
                    "http://www.kmgd.gov.cn/zfxxgk/zfxxgknb/jdndbg/"]
    assert {r["family"] for r in rows} == {"kunming"}
    assert {(r["agency"], r["region_code"]) for r in rows} == {("昆明市官渡区人民政府", "530111")}


def test_plain_site_home_gives_its_column():
    rows = rows_from("https://ynmz.yn.gov.cn/")
    assert [(r["agency"], r["key"], r["column_url"], r["family"]) for r in rows] == [
        ("云南省民政厅", "530000:民政厅", "https://ynmz.yn.gov.cn/cms/nianduzhengfuxinxigongkainianbao/", "plain")]
    # the catalog row of 云南省民政厅 names the same column
    assert rows[0]["column_url"] in {c.column_url for c in catalog.rows()}


def test_discovered_rows_pass_the_catalog_check(tmp_path):
    path = tmp_path / "found.csv"
    found = rows_from("http://www.anshun.gov.cn/") + rows_from("https://ynmz.yn.gov.cn/") + \
        rows_from("http://www.panan.gov.cn/col/col1229147420/index.html")
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=catalog.HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(found)
    assert catalog.problems(path) == []


@pytest.mark.parametrize("url, text, expected", [
    ("http://x.gov.cn/zfxxgk/zfxxgknb/", "政府信息公开年报", True),
    ("http://x.gov.cn/col/col1229147423/index.html", "政府信息公开年度报告", True),
    ("http://x.gov.cn/zfxxgk/ndbg/", "政府信息公开工作年度报告", True),
    ("http://x.gov.cn/cms/nianduzhengfuxinxigongkainianbao/", "年度政府信息公开年报", True),
    ("http://x.gov.cn/zfxxgk/gknb/", "", True),                        # only the URL says it
    ("http://x.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=1", "年度报告", True),
    ("http://x.gov.cn/zfxxgk/zfxxgknb/2021year/", "2021年", False),     # a year sub-column
    ("http://x.gov.cn/a/t2022_1.html", "安顺市教育局2021年政府信息公开工作年度报告", False),  # a report
    ("http://x.gov.cn/zfxxgk/zfxxgkzn/", "政府信息公开指南", False),
    ("http://x.gov.cn/a/nb.pdf", "政府信息公开年报", False),
])
def test_column_links(url, text, expected):
    assert is_column_link(url, text) is expected


def test_gateway_links():
    assert is_gateway_link("http://x.gov.cn/zfxxgk/", "政府信息公开")
    assert is_gateway_link("http://x.gov.cn/col/col1/index.html", "法定主动公开内容")
    assert not is_gateway_link("http://x.gov.cn/zwdt/", "政务动态")


def test_a_saved_file_as_its_url(tmp_path):
    page = tmp_path / "zfxxgk.html"
    page.write_bytes((FIXTURES_DIR / "www.anshun.gov.cn/zfxxgk/index.html").read_bytes())
    url = "http://www.anshun.gov.cn/zfxxgk/"
    found = discover(url, file_fetcher(page, url, FETCH))
    assert [(f.column_url, f.family) for f in found] == [("http://www.anshun.gov.cn/zfxxgk/zfxxgknb/", "trs")]
    # without the mirror behind it the column page cannot be read: the linking page's family
    alone = discover(url, file_fetcher(page, url))
    assert [f.column_url for f in alone] == ["http://www.anshun.gov.cn/zfxxgk/zfxxgknb/"]
    assert alone[0].notes


def test_command_prints_catalog_csv():
    proc = subprocess.run([sys.executable, "-m", "govcrawl.cli", "discover", "http://www.kmgd.gov.cn/",
                           "--offline"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert proc.stdout.splitlines()[0] == ",".join(catalog.HEADER)
    assert "http://www.kmgd.gov.cn/zfxxgk/zfxxgknb/bmndbg/" in {r["column_url"] for r in rows}
    proc = subprocess.run([sys.executable, "-m", "govcrawl.cli", "discover", "http://www.example.gov.cn/",
                           "--offline"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "no annual-report column" in proc.stderr
