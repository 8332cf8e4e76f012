"""Extraction + parsing against trafilatura alone, page by page, and the PDF path against pdfplumber.

    .venv/bin/python bench/bench_extract.py [--repeat N] [--no-pdf] [--stages] [--profile PAGE]

HTML: every detail page of the fixture mirrors (fixtures/sites/**) goes through govcrawl's
`record_from_bytes` (what an extraction worker runs: decoding, the tree, the 索引号 block, the
tables, trafilatura on what is left, parsing and checks) and, in the same run, through
`trafilatura.extract(html, include_tables=True)` alone, given the page already decoded (so its
time does not include the decoding govcrawl's does). Before every single run the memo caches of
govcrawl and trafilatura (and trafilatura's helpers) are emptied: each time is that of a page seen
for the first time, as in a crawl (the caches that hold what a worker loads once, the OpenCC
converter, the division table, the format matchers, are kept: see MEMO_MIN_SIZE). A page's time is
the minimum of N such runs, in CPU time (the least disturbed by whatever else the machine runs;
the PDF table gives wall times, some of its work being in other processes). The table
gives both times and their ratio; the last line of the HTML part is
`extract+parse/trafilatura: median M, p90 P, max X`.

PDF: each fixture PDF is read by `pdfplumber` (`extract_text` of every page) in this process, and by
govcrawl in three ways: in this process (the reader alone), through an ExtractionPool worker that
is already running (govcrawl and pdfplumber pre-imported: what a crawl pays per PDF), and through a
fresh worker process per file (the interpreter start and the imports included: what a crawl paid
when every attachment started its own child). Ratios are against pdfplumber in the same run.

`--stages` adds a table of where govcrawl's time goes on each page (CPU ms of the fastest cold run:
the tree, page metadata, the 索引号 block, the tables, the narrative and the trafilatura calls in
it, the line rules, parsing and the statistics reader in it). `--profile PAGE` prints a cProfile of
record_from_bytes on the pages whose path contains PAGE.
Nothing is asserted: this is for reading, and for comparing before and after a change.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# read PDFs in this process for the in-process column (a crawl's worker does the same)
os.environ.setdefault("GOVCRAWL_ATTACHMENT_ISOLATION", "0")

from govcrawl import PROJECT_ROOT
from govcrawl.extract.encoding import decode_html
from govcrawl.ingest import record_from_bytes, sniff_kind

SITES = PROJECT_ROOT / "fixtures" / "sites"
#: modules whose functools caches are cleared before each run
CACHED_PACKAGES = ("govcrawl", "trafilatura", "justext", "courlan", "htmldate", "lxml_html_clean")


def detail_pages() -> list[Path]:
    """The report (detail) pages of the mirrors: TRS `/tYYYYMMDD_N.html`, Hanweb `/art/`, Kunming
    `/c/`; listing pages, robots.txt and sidecars are left out."""
    files = []
    for path in sorted(SITES.rglob("*")):
        if not path.is_file() or path.name.endswith(".http.json") or path.name == "robots.txt":
            continue
        text = str(path.relative_to(SITES))
        if sniff_kind(path.read_bytes()[:4096], None, path.name) == "html" and (
                "/t20" in text or "/t19" in text or "/art/" in text or "/c/" in text):
            files.append(path)
    return files


def pdf_files() -> list[Path]:
    return [p for p in sorted(SITES.rglob("*.pdf")) if p.is_file()]


#: functools caches at least this large memoise results per input (a label's normal form, a
#: value's parse): emptied before each run. Smaller ones, and unbounded ones, hold what a worker
#: loads once for its whole life (the OpenCC converter, the division table, a format's matcher):
#: kept, as a crawl's worker keeps them from its first page on.
MEMO_MIN_SIZE = 1000


def clear_caches() -> None:
    """Empty the per-input memo caches of govcrawl and trafilatura: the next run meets the page
    as a worker meets a page it has never seen."""
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(CACHED_PACKAGES):
            continue
        for value in list(vars(module).values()):
            info = getattr(value, "cache_info", None)
            if not callable(info):
                continue
            maxsize = info().maxsize
            if maxsize is not None and maxsize >= MEMO_MIN_SIZE:
                value.cache_clear()
    gc.collect()


def cold_min(run, repeat: int) -> float:
    """The least CPU time of `repeat` cold runs of `run` in this process. CPU time, not wall time:
    on a shared machine the other processes' load lengthens the wall time of a run, not its CPU
    time."""
    best = float("inf")
    for _ in range(repeat):
        clear_caches()
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def wall_min(run, repeat: int) -> float:
    """The least wall time of `repeat` cold runs (the PDF table compares work done in other
    processes, which this process's CPU time does not see)."""
    best = float("inf")
    for _ in range(repeat):
        clear_caches()
        best = min(best, _timed(run))
    return best


def page_url(path: Path) -> str:
    return "http://" + str(path.relative_to(SITES))


def bench_html(repeat: int) -> None:
    import trafilatura

    rows = []
    for path in detail_pages():
        data = path.read_bytes()
        url = page_url(path)
        html = decode_html(data)
        record = record_from_bytes(data, url)
        ours = cold_min(lambda d=data, u=url: record_from_bytes(d, u), repeat)
        theirs = cold_min(lambda h=html: trafilatura.extract(h, include_tables=True), repeat)
        rows.append((str(path.relative_to(SITES))[-56:], len(data), len(record.get("cells") or ()),
                     theirs * 1000, ours * 1000, ours / theirs))
    print(f"{'page':<56} {'KiB':>6} {'cells':>6} {'trafil. ms':>11} {'govcrawl ms':>12} {'ratio':>6}")
    for name, size, cells, theirs_ms, ours_ms, ratio in rows:
        print(f"{name:<56} {size / 1024:>6.1f} {cells:>6} {theirs_ms:>11.1f} {ours_ms:>12.1f} "
              f"{ratio:>6.2f}")
    if not rows:
        return
    ratios = sorted(r[5] for r in rows)
    p90 = ratios[min(len(ratios) - 1, round(0.9 * (len(ratios) - 1)))]
    print(f"{len(rows)} pages, each the best of {repeat} cold runs; total trafilatura "
          f"{sum(r[3] for r in rows):.0f} ms, govcrawl {sum(r[4] for r in rows):.0f} ms")
    print(f"extract+parse/trafilatura: median {statistics.median(ratios):.2f}, p90 {p90:.2f}, "
          f"max {ratios[-1]:.2f}")


#: (column, module, function): the stages of record_from_bytes timed by --stages
STAGES = (
    ("tree", "govcrawl.extract.html", "_parse"),
    ("meta", "govcrawl.extract.html", "meta_tags"),
    ("meta", "govcrawl.extract.html", "attachment_links"),
    ("meta", "govcrawl.extract.html", "byline_dates"),
    ("meta", "govcrawl.extract.html", "_breadcrumb"),
    ("meta", "govcrawl.extract.html", "heading_texts"),
    ("meta", "govcrawl.extract.html", "title_candidates"),
    ("index", "govcrawl.extract.html", "meta_blocks"),
    ("tables", "govcrawl.extract.html", "report_tables"),
    ("narr.", "govcrawl.extract.html", "narrative"),
    ("trafil.", "govcrawl.extract.narrative", "_trafilatura"),
    ("lines", "govcrawl.extract.html", "strip_chrome"),
    ("lines", "govcrawl.extract.html", "title_from_body"),
    ("lines", "govcrawl.extract.html", "drop_title_lines"),
    ("lines", "govcrawl.extract.html", "drop_leading_nav"),
    ("parse", "govcrawl.ingest", "parse_document"),
    ("stats", "govcrawl.parse.report", "read_statistics"),
)


def bench_stages(repeat: int) -> None:
    """Per page, the CPU ms of each stage in the fastest of `repeat` cold runs."""
    import importlib

    spent: dict[str, float] = {}
    originals = []

    def timed(column, function):
        def run(*args, **kwargs):
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[column] = spent.get(column, 0.0) + time.process_time() - start
        return run

    for column, module_name, name in STAGES:
        module = importlib.import_module(module_name)
        originals.append((module, name, getattr(module, name)))
        setattr(module, name, timed(column, getattr(module, name)))
    columns = list(dict.fromkeys(c for c, _, _ in STAGES))
    try:
        print()
        print("stages: CPU ms of the fastest cold run (narr. includes trafil.; parse includes stats)")
        print(f"{'page':<40} {'total':>6} " + " ".join(f"{c:>7}" for c in columns))
        for path in detail_pages():
            data, url = path.read_bytes(), page_url(path)
            best = (float("inf"), {})
            for _ in range(repeat):
                clear_caches()
                spent.clear()
                start = time.process_time()
                record_from_bytes(data, url)
                total = time.process_time() - start
                if total < best[0]:
                    best = (total, dict(spent))
            total, parts = best
            print(f"{str(path.relative_to(SITES))[-40:]:<40} {total * 1000:>6.1f} "
                  + " ".join(f"{parts.get(c, 0.0) * 1000:>7.2f}" for c in columns))
    finally:
        for module, name, function in originals:
            setattr(module, name, function)


def _pdfplumber_text(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def bench_pdf(repeat: int) -> None:
    from govcrawl.workers import ExtractionPool

    files = pdf_files()
    if not files:
        return
    rows = []
    warm = ExtractionPool(1)
    try:
        for path in files:
            data = path.read_bytes()
            url = page_url(path)
            warm.extract(data, url, kind="pdf")  # the worker is started and has read one PDF
            plumber = wall_min(lambda d=data: _pdfplumber_text(d), repeat)
            inproc = wall_min(lambda d=data, u=url: record_from_bytes(d, u, kind="pdf"), repeat)
            pooled = min(_timed(lambda d=data, u=url: warm.extract(d, u, kind="pdf"))
                         for _ in range(repeat))
            fresh = min(_fresh_worker(data, url) for _ in range(repeat))
            rows.append((str(path.relative_to(SITES))[-56:], len(data), plumber, inproc, pooled,
                         fresh))
    finally:
        warm.close()
    print()
    print("PDF: govcrawl against pdfplumber's extract_text (ms; ratio to pdfplumber in brackets)")
    print(f"{'file':<56} {'KiB':>6} {'pdfplumber':>11} {'in-process':>16} {'warm worker':>16} "
          f"{'fresh worker':>16}")
    for name, size, plumber, inproc, pooled, fresh in rows:
        cols = "".join(f"{t * 1000:>9.0f} ({t / plumber:>4.2f})" for t in (inproc, pooled, fresh))
        print(f"{name:<56} {size / 1024:>6.1f} {plumber * 1000:>11.0f}{cols}")


def _timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def _fresh_worker(data: bytes, url: str) -> float:
    """One PDF through a worker started for it: the interpreter start and imports included."""
    from govcrawl.workers import ExtractionPool

    pool = ExtractionPool(1, max_tasks=1)
    try:
        return _timed(lambda: pool.extract(data, url, kind="pdf"))
    finally:
        pool.close()


def profile(pattern: str) -> None:
    import cProfile
    import pstats

    pages = detail_pages()
    for path in pages:  # what a worker loads once (tables, matchers) is loaded before profiling
        record_from_bytes(path.read_bytes(), page_url(path))
    for path in pages:
        if pattern not in str(path):
            continue
        data, url = path.read_bytes(), page_url(path)
        clear_caches()
        profiler = cProfile.Profile()
        profiler.runcall(record_from_bytes, data, url)
        print(f"--- {path.relative_to(SITES)}")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--stages", action="store_true", help="add a table of govcrawl's stages")
    parser.add_argument("--profile", metavar="PAGE")
    args = parser.parse_args()
    import trafilatura

    # imports and first-call setup paid before anything is timed (a worker has them too)
    record_from_bytes(b"<html><body><p>warm-up</p></body></html>", "http://warm.up/")
    trafilatura.extract("<html><body><p>warm-up</p></body></html>", include_tables=True)
    if args.profile:
        profile(args.profile)
        return
    bench_html(args.repeat)
    if args.stages:
        bench_stages(args.repeat)
    if not args.no_pdf:
        bench_pdf(args.repeat)


if __name__ == "__main__":
    main()
