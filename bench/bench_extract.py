"""Extraction + parsing of whole pages: time and peak memory per page, printed as a table.

    .venv/bin/python bench/bench_extract.py [--repeat N]

Every HTML report page and attachment of the fixture mirrors goes through `record_from_bytes` (what
the crawl's ExtractPipeline and `govcrawl extract`/`parse` run). Time is the median of N runs; peak
memory is tracemalloc's peak for one run (Python allocations, not RSS; PDFs are read in a child
process, see govcrawl/attachments/isolation.py, whose memory it does not see). No timing is asserted
anywhere: this is for reading, and for comparing before and after a change.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from govcrawl import PROJECT_ROOT
from govcrawl.ingest import record_from_bytes, sniff_kind

SITES = PROJECT_ROOT / "fixtures" / "sites"


def report_files() -> list[Path]:
    files = []
    for path in sorted(SITES.rglob("*")):
        if not path.is_file() or path.name.endswith(".http.json") or path.name == "robots.txt":
            continue
        kind = sniff_kind(path.read_bytes()[:4096], None, path.name)
        if kind in ("pdf", "docx") or ((kind == "html" and "/t20" in str(path)) or "/art/" in str(path)
                                        or "/c/" in str(path)):
            files.append(path)
    return files


def measure(path: Path, repeat: int) -> tuple[float, float, dict]:
    data = path.read_bytes()
    url = "http://" + str(path.relative_to(SITES))
    times = []
    record = {}
    for _ in range(repeat):
        start = time.perf_counter()
        record = record_from_bytes(data, url)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    record_from_bytes(data, url)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak, record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    record_from_bytes(b"<html><body><p>warm-up</p></body></html>", "http://warm.up/")  # imports
    rows = []
    for path in report_files():
        seconds, peak, record = measure(path, args.repeat)
        rows.append((str(path.relative_to(SITES))[-58:], record.get("source"), len(path.read_bytes()),
                     len(record.get("cells") or ()), seconds * 1000, peak / 2**20))
    print(f"{'page':<58} {'kind':<5} {'KiB':>6} {'cells':>6} {'ms':>8} {'peak MiB':>9}")
    for name, kind, size, cells, ms, mib in rows:
        print(f"{name:<58} {kind or '-':<5} {size / 1024:>6.1f} {cells:>6} {ms:>8.1f} {mib:>9.2f}")
    if rows:
        ms = [r[4] for r in rows]
        print(f"{len(rows)} pages: median {statistics.median(ms):.1f} ms, max {max(ms):.1f} ms, "
              f"max peak {max(r[5] for r in rows):.2f} MiB")


if __name__ == "__main__":
    main()
