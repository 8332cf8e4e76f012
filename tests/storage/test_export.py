"""`govcrawl export`: identity columns, filters, --bom, the wide table, datapackage.json; on SQLite
and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

import pytest

from govcrawl.storage.commands import EXPORT_COLUMNS, EXPORT_FIELDS, region_prefix
from govcrawl.storage.views import MEASURES
from tests.storage.test_commands import cli
from tests.storage.test_views import new_report, old_report, store


def seed(repo):
    old = old_report(repo)  # 安顺市民政局 2017, 520400
    new = new_report(repo)  # 安顺市教育局 2021, 520400
    county = store(repo, "xixiu.html", agency="西秀区人民政府", year=2021, fmt="none",
                   published="2022-03-01", level="county", region="520402")
    other = store(repo, "panan.html", agency="磐安县应急管理局", year=2021, fmt="none",
                  published="2022-01-20", level="county-department", region="330727")
    return old, new, county, other


def jsonl(out):
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_cells_and_checks_carry_the_report_identity(repo, database_url):
    old, *_ = seed(repo)
    code, out = cli("export", "cells", "--format", "csv", "--year", "2017", database_url=database_url)
    assert code == 0
    table = list(csv.DictReader(io.StringIO(out)))
    # the old columns first, in their old order (CSV readers by position keep working)
    assert list(table[0])[:9] == ["url", "version_id", "seq", "table", "row", "col", "value", "raw",
                                  "unit"]
    assert list(table[0]) == list(EXPORT_COLUMNS["cells"])
    first = table[0]
    assert (first["agency"], first["agency_key"], first["region_code"], first["year"],
            first["format"], first["report_id"]) == ("安顺市民政局", "520400:民政局", "520400",
                                                     "2017", "statistics", str(old))
    assert first["value"] == "5"  # not 5.0
    code, out = cli("export", "checks", database_url=database_url)
    (check,) = [r for r in jsonl(out) if r["report_id"] == old]
    assert check["agency"] == "安顺市民政局" and check["left"] == 1 and check["right"] == 0.5


@pytest.mark.parametrize("args,agencies", [
    (("--year", "2021"), {"安顺市教育局", "西秀区人民政府", "磐安县应急管理局"}),
    (("--region", "520400"), {"安顺市民政局", "安顺市教育局", "西秀区人民政府"}),
    (("--region", "520402"), {"西秀区人民政府"}),
    (("--region", "52"), {"安顺市民政局", "安顺市教育局", "西秀区人民政府"}),
    (("--region", "330000"), {"磐安县应急管理局"}),
    (("--agency", "应急"), {"磐安县应急管理局"}),
    (("--agency", "520400:民政局"), {"安顺市民政局"}),
    (("--agency", "100%"), set()),  # LIKE wildcards are text
    (("--year", "2021", "--region", "5204"), {"安顺市教育局", "西秀区人民政府"}),
])
def test_filters(repo, database_url, args, agencies):
    seed(repo)
    code, out = cli("export", "reports", *args, database_url=database_url)
    assert code == 0
    assert {r["agency"] for r in jsonl(out)} == agencies


def test_since_selects_new_and_changed_reports(repo, database_url):
    seed(repo)
    later = datetime.now(timezone.utc) + timedelta(days=1)
    code, out = cli("export", "reports", "--since", later.date().isoformat(),
                    database_url=database_url)
    assert code == 0 and jsonl(out) == []
    code, out = cli("export", "cells", "--since", "2000-01-01", database_url=database_url)
    assert len(jsonl(out)) > 10
    with pytest.raises(SystemExit) as exited:  # argparse rejects it
        cli("export", "reports", "--since", "yesterday", database_url=database_url)
    assert exited.value.code == 2


def test_region_prefix():
    assert region_prefix("520400") == "5204" and region_prefix("520000") == "52"
    assert region_prefix("520402") == "520402" and region_prefix("5204") == "5204"
    with pytest.raises(ValueError):
        region_prefix("安顺")


def test_bom_for_excel(repo, database_url, tmp_path, capsys):
    seed(repo)
    target = tmp_path / "reports.csv"
    code, _ = cli("export", "reports", "--format", "csv", "--bom", "-o", str(target),
                  database_url=database_url)
    assert code == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfreport_id,") and data.count(b"\xef\xbb\xbf") == 1
    assert "安顺市民政局".encode() in data  # UTF-8 after the BOM
    code, out = cli("export", "reports", "--format", "csv", "--bom", database_url=database_url)
    assert out.startswith("\ufeffreport_id,")
    code, out = cli("export", "reports", "--format", "csv", database_url=database_url)
    assert out.startswith("report_id,")


def test_wide_one_row_per_report_one_column_per_measure(repo, database_url):
    old, new, county, _ = seed(repo)
    code, out = cli("export", "wide", "--format", "csv", database_url=database_url)
    assert code == 0
    table = {int(r["report_id"]): r for r in csv.DictReader(io.StringIO(out))}
    assert list(next(iter(table.values())))[-len(MEASURES):] == list(MEASURES)
    assert table[old]["applications_received"] == "5" and table[new]["applications_received"] == "26"
    assert table[old]["request_fees"] == "0.5" and table[old]["administrative_fees"] == ""
    assert table[new]["suits"] == "3" and table[county]["applications_received"] == ""
    code, out = cli("export", "wide", "--region", "520402", database_url=database_url)
    assert [r["report_id"] for r in jsonl(out)] == [county]


def test_measures_long(repo, database_url):
    old, *_ = seed(repo)
    code, out = cli("export", "measures", "--agency", "民政", database_url=database_url)
    assert code == 0
    got = {r["measure"]: r["value"] for r in jsonl(out)}
    assert got["applications_received"] == 5 and isinstance(got["applications_received"], int)
    assert got["request_fees"] == 0.5 and {r["report_id"] for r in jsonl(out)} == {old}


def test_datapackage_describes_the_csvs(repo, database_url, tmp_path):
    seed(repo)
    target = tmp_path / "pkg"
    code, _ = cli("export", "all", "--datapackage", str(target), "--bom", "--year", "2021",
                  database_url=database_url)
    assert code == 0
    package = json.loads((target / "datapackage.json").read_text("utf-8"))
    assert package["profile"] == "tabular-data-package"
    names = [r["name"] for r in package["resources"]]
    assert names == ["reports", "cells", "checks", "measures", "wide"]
    types = {"integer", "number", "string", "date", "datetime"}
    for resource in package["resources"]:
        assert resource["profile"] == "tabular-data-resource"
        assert resource["encoding"] == "utf-8-sig" and resource["format"] == "csv"
        assert resource["govcrawl:filters"] == {"year": 2021}
        path = target / resource["path"]
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            header = reader.fieldnames
            data = list(reader)
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == header == list(EXPORT_COLUMNS[resource["name"]])
        assert all(f["type"] in types and f["description"] for f in fields)
        assert resource["govcrawl:rows"] == len(data)
        # each value reads as its declared type
        for row in data:
            for f in fields:
                value = row[f["name"]]
                if value == "":
                    continue
                if f["type"] == "integer":
                    int(value)
                elif f["type"] == "number":
                    float(value)
                elif f["type"] == "date":
                    datetime.strptime(value, "%Y-%m-%d")
                elif f["type"] == "datetime":
                    datetime.fromisoformat(value)
    # a second export replaces its own resource and keeps the others
    code, _ = cli("export", "reports", "--datapackage", str(target), database_url=database_url)
    package = json.loads((target / "datapackage.json").read_text("utf-8"))
    assert [r["name"] for r in package["resources"]] == names
    assert package["resources"][0]["encoding"] == "utf-8"


def test_every_export_field_is_typed():
    for what, fields in EXPORT_FIELDS.items():
        assert len({f[0] for f in fields}) == len(fields), what


def test_records_and_all_are_refused_where_they_cannot_be_written(repo, database_url, tmp_path):
    seed(repo)
    assert cli("export", "all", database_url=database_url)[0] == 1
    assert cli("export", "records", "--datapackage", str(tmp_path), database_url=database_url)[0] == 1
