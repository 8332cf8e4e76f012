"""Two `column` crawls into one database: the second never marks the first column's reports
missing (each column is its own run scope)."""

from __future__ import annotations

import sqlalchemy as sa

from govcrawl.storage.db import dispose_engine, get_engine
from govcrawl.storage.schema import crawl_runs, reports
from tests.helpers import run_offline_crawl

COLUMN = "http://www.anshun.gov.cn/zfxxgk/zfxxgknb/"


def test_a_second_column_crawl_leaves_the_first_columns_reports_active(tmp_path):
    first = run_offline_crawl("column", tmp_path, "GOVCRAWL_EXTRACT_WORKERS=1",
                              spider_args={"url": f"{COLUMN}2017year/"})
    second = run_offline_crawl("column", tmp_path, "GOVCRAWL_EXTRACT_WORKERS=1",
                               spider_args={"url": f"{COLUMN}2018year/"})
    assert first and second
    url = f"sqlite:///{tmp_path / 'x.db'}"
    engine = get_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(reports.c.url, reports.c.scope, reports.c.status)).all()
            scopes = conn.execute(sa.select(crawl_runs.c.scope).order_by(crawl_runs.c.id)).scalars().all()
    finally:
        dispose_engine(url)
    assert scopes == [f"column:{COLUMN}2017year/", f"column:{COLUMN}2018year/"]
    assert {r.status for r in rows} == {"active"}
    assert {r.scope for r in rows if r.url in {rec["url"] for rec in first}} == {f"column:{COLUMN}2017year/"}
