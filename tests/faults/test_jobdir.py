"""Scrapy's pause and resume (JOBDIR): the run survives the pause, nothing stored before it is
marked missing, and the next night with the same JOBDIR crawls like any other night."""

from __future__ import annotations

import json

import sqlalchemy as sa

from govcrawl.storage.db import dispose_engine, get_engine
from govcrawl.storage.schema import crawl_runs, reports
from tests.helpers import run_offline_crawl


def _state(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    engine = get_engine(url)
    try:
        with engine.connect() as conn:
            runs = conn.execute(sa.select(crawl_runs).order_by(crawl_runs.c.id)).all()
            statuses = conn.execute(sa.select(reports.c.status, sa.func.count()).group_by(reports.c.status)).all()
    finally:
        dispose_engine(url)
    return runs, dict(statuses)


def test_paused_run_resumes_and_the_next_night_crawls_again(tmp_path):
    jobdir = tmp_path / "job"
    stats = tmp_path / "stats.json"
    # night 1, part 1: stopped after 8 responses (as a Ctrl-C pause would), the queue kept in JOBDIR
    run_offline_crawl("anshun", tmp_path, f"JOBDIR={jobdir}", "CLOSESPIDER_PAGECOUNT=8",
                      "GOVCRAWL_EXTRACT_WORKERS=1", exit_code=5)
    runs, statuses = _state(tmp_path)
    assert [(r.id, r.finish_reason) for r in runs] == [(1, "closespider_pagecount")]
    assert 0 < statuses.get("active", 0) < 11
    assert json.loads((jobdir / "govcrawl-run.json").read_text("utf-8"))["run_id"] == 1
    # night 1, part 2: resumed, the same run finishes; nothing stored before the pause is missing
    run_offline_crawl("anshun", tmp_path, f"JOBDIR={jobdir}", "GOVCRAWL_EXTRACT_WORKERS=1")
    runs, statuses = _state(tmp_path)
    assert [(r.id, r.finish_reason) for r in runs] == [(1, "finished")]
    assert statuses == {"active": 11}
    assert runs[0].new == 11 and runs[0].missing == 0
    assert not (jobdir / "govcrawl-run.json").exists()
    # night 2, same JOBDIR: a new run that asks for the listing pages again and sees every report
    run_offline_crawl("anshun", tmp_path, f"JOBDIR={jobdir}", "GOVCRAWL_EXTRACT_WORKERS=1",
                      f"GOVCRAWL_STATS_FILE={stats}")
    runs, statuses = _state(tmp_path)
    assert [(r.id, r.finish_reason) for r in runs] == [(1, "finished"), (2, "finished")]
    assert runs[1].unchanged == 11 and runs[1].missing == 0 and statuses == {"active": 11}
    # the same requests as a nightly re-run without a JOBDIR
    plain = tmp_path / "plain"
    plain.mkdir()
    plain_stats = plain / "stats.json"
    run_offline_crawl("anshun", plain, "GOVCRAWL_EXTRACT_WORKERS=1")
    run_offline_crawl("anshun", plain, "GOVCRAWL_EXTRACT_WORKERS=1", f"GOVCRAWL_STATS_FILE={plain_stats}")
    night2, rerun = (json.loads(p.read_text("utf-8")) for p in (stats, plain_stats))
    assert night2["downloader/request_count"] == rerun["downloader/request_count"] > 11
    assert night2.get("dupefilter/filtered") == rerun.get("dupefilter/filtered")
