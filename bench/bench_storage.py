"""Storage write throughput on SQLite and PostgreSQL: reports/s and cells/s, printed as a table.

    .venv/bin/python bench/bench_storage.py [--reports 300] [--cells 250] [--pg URL]

Each report is one transaction (report row, version with the compressed raw page, cells, checks,
attachments), as in a crawl. Three passes: new reports, the same reports again (unchanged: no new
rows), and changed reports (a second version each). PostgreSQL runs in a throwaway database
`govcrawl_bench_<random>` that is dropped afterwards; it is skipped if it cannot connect.
No timing asserts: this prints numbers for people.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from govcrawl.items import FetchedPage
from govcrawl.record import content_hash, new_record
from govcrawl.storage.db import create_engine_for, upgrade
from govcrawl.storage.repository import Repository

APPLICANT_COLS = ("natural_person", "commercial", "research", "nonprofit", "legal_services",
                  "other_org", "total")


def make(i: int, n_cells: int, version: int = 0):
    url = f"http://www.bench.gov.cn/zwgk/ndbg/2020/t2020_{i}.html"
    record = new_record(url)
    rnd = random.Random(i * 1000 + version)
    record.update(is_report=True, title=f"某某局{2015 + i % 8}年政府信息公开工作年度报告",
                  agency="某某局", year=2015 + i % 8, published="2021-01-15", format="2021",
                  text="一、总体情况\n" + "本机关认真贯彻落实政府信息公开工作要求。" * 40)
    record["cells"] = [{"table": "applications", "row": f"row{c // 7}",
                        "col": APPLICANT_COLS[c % 7], "value": rnd.randint(0, 500),
                        "raw": str(rnd.randint(0, 500)), "unit": None} for c in range(n_cells)]
    record["checks"] = [{"rule": "applications.row_total", "at": f"row{r}", "status": "pass",
                         "left": 10, "right": 10} for r in range(max(1, n_cells // 7))]
    record["attachments"] = [{"url": url.replace(".html", ".pdf"), "name": "报告.pdf",
                              "type": "pdf"}]
    body = (f"<html><body>{record['text']}<p>{version}</p>" + "<td>1</td>" * n_cells
            + "</body></html>").encode("utf-8")
    record["content_hash"] = content_hash(body)
    return record, FetchedPage(url=url, body=body, content_type="text/html", encoding="utf-8",
                               etag=f'"{i}-{version}"')


def bench(url: str, n_reports: int, n_cells: int) -> list[tuple]:
    engine = create_engine_for(url)
    upgrade(engine)
    repo = Repository(engine)
    rows = []
    for label, version in (("new", 0), ("unchanged", 0), ("changed", 1)):
        items = [make(i, n_cells, version) for i in range(n_reports)]
        run = repo.start_run("bench")
        start = time.perf_counter()
        for record, page in items:
            repo.save_record(record, page, spider="bench", run_id=run)
        elapsed = time.perf_counter() - start
        cells_written = 0 if label == "unchanged" else n_reports * n_cells
        rows.append((label, n_reports, cells_written, elapsed, n_reports / elapsed,
                     cells_written / elapsed))
    engine.dispose()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--cells", type=int, default=250, help="cells per report")
    parser.add_argument("--pg", default=os.environ.get(
        "GOVCRAWL_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args()

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results += [("sqlite", *r) for r in bench(f"sqlite:///{tmp}/bench.db", args.reports,
                                                  args.cells)]
    try:
        import psycopg

        admin = psycopg.connect(args.pg, autocommit=True, connect_timeout=5)
    except Exception as exc:
        print(f"(PostgreSQL skipped: {exc})", file=sys.stderr)
        admin = None
    if admin is not None:
        name = f"govcrawl_bench_{uuid.uuid4().hex[:10]}"
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            results += [("postgresql", *r) for r in bench(
                f"{args.pg.rsplit('/', 1)[0]}/{name}", args.reports, args.cells)]
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()

    print(f"storage write throughput: {args.reports} reports x {args.cells} cells, "
          f"one transaction per report")
    header = f"{'backend':<12}{'pass':<11}{'reports':>8}{'cells':>9}{'seconds':>9}" \
             f"{'reports/s':>11}{'cells/s':>10}"
    print(header)
    print("-" * len(header))
    for backend, label, n, c, secs, rps, cps in results:
        print(f"{backend:<12}{label:<11}{n:>8}{c:>9}{secs:>9.2f}{rps:>11.1f}{cps:>10.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
