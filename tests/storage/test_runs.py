"""`govcrawl runs` (with `--plot`) and `govcrawl failures`, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

import pytest

from tests.storage.test_commands import cli

NIGHT = datetime(2026, 11, 20, 1, 30, tzinfo=timezone.utc)


def seed_runs(repo, nights=6):
    """anshun every night (the fourth with failures, the last with a block), panan twice, and a
    column crawl; returns the run ids by (spider, night)."""
    ids = {}
    for n in range(nights):
        start = NIGHT + timedelta(days=n)
        run = repo.start_run("anshun", now=start)
        failed = 0
        if n == 3:
            repo.record_failure(run, "http://www.anshun.gov.cn/a.html", "http", "503 Service Unavailable",
                                now=start)
            repo.record_failure(run, "http://www.anshun.gov.cn/b.html", "error", "timeout after 10 s",
                                now=start)
            failed = 2
        blocked = 0
        if n == nights - 1:
            repo.record_failure(run, "http://www.anshun.gov.cn/c.html", "blocked", "412 瑞数 challenge",
                                now=start)
            blocked = 1
        repo.finish_run(run, "finished", {"new": 11 if n == 0 else n % 2, "changed": n % 3,
                                          "unchanged": 0 if n == 0 else 10, "missing": int(n == 4),
                                          "failed": failed, "blocked": blocked},
                        now=start + timedelta(minutes=3))
        ids["anshun", n] = run
    for n in (0, 5):
        run = repo.start_run("panan", now=NIGHT + timedelta(days=n, hours=1))
        if n == 5:
            repo.record_failure(run, "https://www.panan.gov.cn/x.html", "empty", "no text",
                                now=NIGHT + timedelta(days=n, hours=1))
        repo.finish_run(run, "finished", {"new": 4, "failed": int(n == 5)},
                        now=NIGHT + timedelta(days=n, hours=1, minutes=1))
        ids["panan", n] = run
    ids["column"] = repo.start_run("column", now=NIGHT + timedelta(days=5, hours=2),
                                   scope="https://www.example.gov.cn/zfxxgk/")  # never finished
    return ids


def test_runs_lists_the_last_runs_newest_first(repo, database_url):
    ids = seed_runs(repo)
    code, out = cli("runs", "-n", "3", database_url=database_url)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["id", "spider", "scope", "started", "finished", "reason", "new",
                                "changed", "unchanged", "missing", "failed", "blocked"]
    # the last rows written (run ids grow with time; the seed writes panan's runs after anshun's)
    assert [line.split()[0] for line in lines[1:]] == [
        str(ids["column"]), str(ids["panan", 5]), str(ids["panan", 0])]
    code, out = cli("runs", "--spider", "anshun", "--format", "csv", database_url=database_url)
    table = list(csv.DictReader(io.StringIO(out)))
    assert len(table) == 6 and table[0]["blocked"] == "1" and table[2]["failed"] == "2"
    assert table[-1]["started"] == "2026-11-20 01:30:00" and table[-1]["new"] == "11"
    code, out = cli("runs", "--format", "jsonl", "-n", "1", database_url=database_url)
    (run,) = [json.loads(line) for line in out.splitlines()]
    assert run["scope"] == "https://www.example.gov.cn/zfxxgk/" and run["finished"] == ""


def test_failures_of_the_last_run_per_spider_and_scope(repo, database_url):
    ids = seed_runs(repo)
    code, out = cli("failures", "--last", database_url=database_url)
    assert code == 0
    # the last anshun run has the block only, not the older night's failures
    assert f"run {ids['anshun', 5]} anshun [anshun]" in out and "1 failed or blocked page(s)" in out
    assert "412 瑞数 challenge" in out and "503" not in out
    assert f"run {ids['panan', 5]} panan [panan]" in out and "https://www.panan.gov.cn/x.html" in out
    assert f"run {ids['column']} column [https://www.example.gov.cn/zfxxgk/]" in out
    assert "not finished: 0 failed" in out
    code, out = cli("failures", "--run", str(ids["anshun", 3]), "--format", "csv",
                    database_url=database_url)
    table = list(csv.DictReader(io.StringIO(out)))
    assert [(r["kind"], r["url"], r["reason"]) for r in table] == [
        ("http", "http://www.anshun.gov.cn/a.html", "503 Service Unavailable"),
        ("error", "http://www.anshun.gov.cn/b.html", "timeout after 10 s")]
    code, out = cli("failures", "--spider", "panan", "--format", "jsonl", database_url=database_url)
    assert [json.loads(line)["kind"] for line in out.splitlines()] == ["empty"]
    assert cli("failures", "--run", "999999", database_url=database_url)[0] == 1


def test_runs_plot(repo, database_url, tmp_path):
    pytest.importorskip("matplotlib")
    seed_runs(repo)
    target = tmp_path / "runs.png"
    code, _ = cli("runs", "--plot", str(target), database_url=database_url)
    assert code == 0
    data = target.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    import matplotlib.image

    image = matplotlib.image.imread(str(target))
    assert image.shape[:2] == (600, 1000)  # 10 x 6 in at 100 dpi
