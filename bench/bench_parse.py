"""Statistics parser benchmark: time per report and per table cell.

Runs read_statistics over the seed reports (fixtures/seeds) and over generated tables in every
official layout (govcrawl.formats.render) as HTML (parsed with html_tables, which is timed too)
and as each flattened text form. Prints a table; asserts nothing.

    .venv/bin/python bench/bench_parse.py [--repeat N]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govcrawl.extract.tables import html_tables
from govcrawl.formats import render
from govcrawl.parse.statistics import read_statistics


def _values(keys, rnd: random.Random, blanks: bool) -> dict:
    out = {}
    for key in keys:
        x = rnd.random()
        if blanks and x < 0.05:
            out[key] = ""
        elif x < 0.1:
            out[key] = rnd.choice(["-", "—", "/", "无"])
        else:
            out[key] = str(rnd.randint(0, 5000))
    return out


def cases():
    for path in sorted((ROOT / "fixtures" / "seeds").glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        yield f"seed {path.name[:3]}", "text", (lambda lines=lines: read_statistics([], lines))
    rnd = random.Random(7)
    for name in ("statistics", "2019", "2021"):
        for opts in ([{}] if name == "statistics" else [{}, {"org_subtotal": True, "subtotals": True}]):
            tables = render.layout(name, **opts)
            keys = render.cell_keys(tables)
            label = name + (" local" if opts else "")
            values = _values(keys, rnd, blanks=True)
            markup = render.to_html(tables, values)
            yield f"{label}", "html", (lambda m=markup: read_statistics(html_tables(m), []))
            rows = render.to_row_lines(tables, values)
            yield f"{label}", "row|line", (lambda x=rows: read_statistics([], x))
            cells = render.to_cell_lines(tables, values)
            yield f"{label}", "cell|line", (lambda x=cells: read_statistics([], x))
            space = render.to_space_lines(tables, _values(keys, rnd, blanks=False))
            yield f"{label}", "pdf text", (lambda x=space: read_statistics([], x))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    header = f"{'case':<18} {'form':<10} {'format':<10} {'cells':>6} {'checks':>6} {'ms/report':>10} {'us/cell':>9}"
    print(header)
    print("-" * len(header))
    total_time = total_cells = total_reports = 0.0
    for label, form, run in cases():
        result = run()  # warm caches (label normalisation, format matchers)
        start = time.perf_counter()
        for _ in range(args.repeat):
            run()
        elapsed = (time.perf_counter() - start) / args.repeat
        n = len(result["cells"])
        per_cell = f"{elapsed / n * 1e6:9.1f}" if n else f"{'-':>9}"
        print(f"{label:<18} {form:<10} {result['format']:<10} {n:>6} {len(result['checks']):>6} "
              f"{elapsed * 1e3:>10.2f} {per_cell}")
        total_time += elapsed
        total_cells += n
        total_reports += 1
    print("-" * len(header))
    print(f"{'all':<18} {'':<10} {'':<10} {int(total_cells):>6} {'':>6} "
          f"{total_time / total_reports * 1e3:>10.2f} {total_time / max(total_cells, 1) * 1e6:>9.1f}")


if __name__ == "__main__":
    main()
