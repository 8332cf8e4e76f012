"""docs/report-schema.json: generated from docs/report-schema.md and up to date, and every record
the offline crawls produce validates against it; CSV feeds write nested fields as JSON."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

from govcrawl import PROJECT_ROOT
from govcrawl.schema import JSON_SCHEMA, MARKDOWN, build_schema, generated, main
from tests.helpers import run_offline_crawl

jsonschema = pytest.importorskip("jsonschema")

#: the agency spiders with a recorded mirror (fixtures/sites)
OFFLINE_SPIDERS = ("anshun", "panan", "guandu", "jilin")


def validator():
    schema = json.loads(JSON_SCHEMA.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_json_schema_is_up_to_date():
    assert JSON_SCHEMA.read_text("utf-8") == generated(), \
        "docs/report-schema.json is out of date: run `govcrawl schema`"
    assert main(["--check"]) == 0


def test_check_fails_on_a_stale_file(tmp_path, capsys):
    stale = tmp_path / "schema.json"
    stale.write_text("{}\n", "utf-8")
    assert main(["--check", "-o", str(stale)]) == 1
    assert "out of date" in capsys.readouterr().err


def test_the_schema_follows_the_markdown():
    schema = build_schema(MARKDOWN.read_text("utf-8"))
    from govcrawl.record import SPEC_KEYS

    assert set(SPEC_KEYS) <= set(schema["required"])
    assert schema["properties"]["format"]["enum"] == ["statistics", "2019", "2021", "none"]
    cell = schema["$defs"]["cell"]
    assert cell["required"] == ["table", "row", "col", "value", "raw", "unit"]
    tables = {c["if"]["properties"]["table"]["const"]: c["then"]["properties"] for c in cell["allOf"]}
    # the Markdown's row and column codes are the format definitions' (govcrawl/formats)
    from govcrawl.formats import FORMATS

    for table, props in tables.items():
        rows = {r.code for f in FORMATS for t in f.tables if t.key == table for r in t.rows if r.code}
        cols = {c.code for f in FORMATS for t in f.tables if t.key == table for c in t.cols}
        assert set(props["row"]["anyOf"][0]["enum"]) == rows, table
        assert set(props["col"]["enum"]) == cols, table
    assert schema["$defs"]["check"]["properties"]["status"]["enum"] == ["pass", "fail", "unknown"]


def test_a_record_that_breaks_the_contract_is_caught():
    v = validator()
    from govcrawl.record import new_record

    record = new_record("http://example.gov.cn/a.html")
    record.update(year=2020, format="2019", cells=[{"table": "applications", "row": "granted",
                                                     "col": "total", "value": 3, "raw": "3", "unit": None}])
    assert list(v.iter_errors(record)) == []
    record["cells"][0]["row"] = "grantd"
    record["format"] = "2020"
    messages = sorted(e.json_path for e in v.iter_errors(record))
    assert messages == ["$.cells[0].row", "$.format"]
    record["cells"][0]["row"] = "other:其他情形"  # unnamed rows are kept as other:
    record["format"] = "2019"
    assert list(v.iter_errors(record)) == []


@pytest.mark.parametrize("spider", OFFLINE_SPIDERS)
def test_every_offline_record_validates(spider, tmp_path):
    records = run_offline_crawl(spider, tmp_path)
    assert records
    v = validator()
    errors = [f"{r['url']}: {e.json_path}: {e.message[:200]}" for r in records for e in v.iter_errors(r)]
    assert errors == []


def test_csv_feeds_write_nested_fields_as_json(tmp_path):
    out = tmp_path / "out.csv"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "panan", "-s", "GOVCRAWL_OFFLINE=1",
           "-s", f"GOVCRAWL_DATABASE_URL=sqlite:///{tmp_path / 'x.db'}", "-O", str(out),
           "-O", str(tmp_path / "out.jsonl")]
    proc = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:]
    with open(out, encoding="utf-8", newline="") as f:
        table = list(csv.DictReader(f))
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert len(table) == len(records) > 0
    by_url = {r["url"]: r for r in records}
    for row in table:
        record = by_url[row["url"]]
        for key in ("cells", "checks", "sections", "meta", "attachments", "flags"):
            assert json.loads(row[key]) == record[key], key  # JSON, not "[{'table': ...}]"
        assert row["is_report"] == "true"
        assert json.loads(row["signature"]) == record["signature"]
