"""OCR benchmark: scanned PDFs of real report text, per scan quality.

The PDFs are drawn by fixtures/tools/make_scanned_pdfs.py from seed 000 and
tests/files/real/005_longgang_2024.txt (narrative and statistics tables, 4 pages in all) in each
quality (clean 300 dpi, skewed 1.5 degrees, 150 and 100 dpi, noisy 200 dpi), read by the PDF
reader (the OCR path of govcrawl/attachments/ocr.py) and parsed into records. For each quality:

- cells: the statistics cells the parser reads from the printed tables (the same report parsed
  from its printed grid, no OCR), how many the OCR'd record has with the same raw value, how
  many it has with another value (wrong), and how many it lacks;
- text: character accuracy of the narrative, 1 - edit distance / printed characters (NFKC, no
  whitespace), over the printed titles, headings and paragraphs against the record's lines;
- seconds per page (OCR included, model loading excluded: the engine is warmed up first).

Prints a table and the wrong cells; asserts nothing. Needs a CJK font (fonts-noto-cjk).

    .venv/bin/python bench/bench_ocr.py [--qualities clean,noisy] [--dpi 200]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["GOVCRAWL_ATTACHMENT_ISOLATION"] = "0"  # time the reader, not a child's start

from govcrawl.attachments import ocr
from govcrawl.attachments.pdf import read_pdf
from govcrawl.document import ReportDocument, Table
from govcrawl.parse.report import parse_document


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_scanned_pdfs",
                                                  ROOT / "fixtures" / "tools" / "make_scanned_pdfs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def printed_document(name: str) -> ReportDocument:
    """The report as printed (its grid and text, no OCR): what the OCR'd record should equal."""
    rep = gen.report(name)
    doc = ReportDocument(url=f"https://example.gov.cn/{name}.pdf", source="pdf", lines=list(rep.printed_text))
    for block in rep.blocks:
        if block.table is None:
            continue
        grid = block.table.grid()
        spans = [[False] * len(row) for row in grid]
        for c in block.table.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    spans[r][k] = (r, k) != (c.row, c.col)
        doc.tables.append(Table(rows=grid, spans=spans))
    return doc


def normalize(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def cell_map(record: dict) -> dict[tuple[str, str, str], str]:
    return {(c["table"], c["row"], c["col"]): c["raw"] for c in record["cells"]}


def measure(name: str, quality: str, fonts) -> dict:
    data = gen.scanned_pdf(name, quality, fonts)
    expected = parse_document(printed_document(name))
    started = time.monotonic()
    doc = read_pdf(data, f"https://example.gov.cn/{name}.pdf", time_budget=3600)
    seconds = time.monotonic() - started
    got = parse_document(doc)
    want, have = cell_map(expected), cell_map(got)
    printed = {k: v for k, v in want.items() if v}
    right = sum(1 for k, v in printed.items() if have.get(k) == v)
    wrong = [(k, v, have[k]) for k, v in printed.items() if k in have and have[k] != v]
    text_want = normalize("".join(gen.report(name).printed_text))
    text_got = normalize("".join(doc.lines))
    distance = edit_distance(text_want, text_got)
    import pypdfium2 as pdfium

    pages = len(pdfium.PdfDocument(data))
    return {"pages": pages, "seconds": seconds, "printed": len(printed), "right": right, "wrong": wrong,
            "missing": len(printed) - right - len(wrong), "chars": len(text_want), "distance": distance,
            "flags": doc.flags, "identity": (got["agency"], got["year"]),
            "expected_identity": (expected["agency"], expected["year"])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--qualities", default=",".join(gen.QUALITIES))
    parser.add_argument("--reports", default=",".join(gen.REPORTS))
    parser.add_argument("--dpi", type=float, default=ocr.OCR_DPI, help="OCR render resolution")
    args = parser.parse_args()
    fonts = gen.find_fonts()
    if fonts is None:
        print("no CJK font installed (apt-get install fonts-noto-cjk)", file=sys.stderr)
        return 1
    ocr.OCR_DPI = args.dpi
    started = time.monotonic()
    with ocr._ENGINE_LOCK:
        ocr.engine()
    print(f"engine loaded in {time.monotonic() - started:.1f}s; OCR at {ocr.OCR_DPI:.0f} dpi; "
          f"font {Path(fonts.body[0]).name}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    header = (f"{'quality':<10} {'pages':>5} {'s/page':>7} {'cells':>6} {'right':>6} {'wrong':>6} {'missing':>8} "
              f"{'cell acc':>9} {'chars':>6} {'char acc':>9}  identity")
    print(header)
    print("-" * len(header))
    wrong_cells = []
    for quality in args.qualities.split(","):
        total = {"pages": 0, "seconds": 0.0, "printed": 0, "right": 0, "wrong": 0, "missing": 0, "chars": 0,
                 "distance": 0}
        identity_ok = []
        for name in args.reports.split(","):
            m = measure(name, quality, fonts)
            for key in total:
                total[key] += len(m[key]) if key == "wrong" else m[key]
            wrong_cells += [(quality, name, *w) for w in m["wrong"]]
            identity_ok.append("ok" if m["identity"] == m["expected_identity"] else f"{name}: {m['identity']}")
        print(f"{quality:<10} {total['pages']:>5} {total['seconds'] / total['pages']:>7.1f} {total['printed']:>6} "
              f"{total['right']:>6} {total['wrong']:>6} {total['missing']:>8} "
              f"{total['right'] / max(1, total['printed']):>9.1%} {total['chars']:>6} "
              f"{1 - total['distance'] / max(1, total['chars']):>9.1%}  {', '.join(identity_ok)}")
    if wrong_cells:
        print("\nwrong cells (quality, report, (table, row, col), printed, read):")
        for w in wrong_cells:
            print("  ", *w)
    return 0


if __name__ == "__main__":
    sys.exit(main())
