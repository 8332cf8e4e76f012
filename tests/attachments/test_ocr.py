"""OCR of scanned PDFs (govcrawl/attachments/ocr.py): real report text drawn on page images.

The scans are made by fixtures/tools/make_scanned_pdfs.py from seed 000 (安顺市安全生产监督管理局,
2017: narrative and an 81-row 统计表 over two pages) and tests/files/real/005_longgang_2024.txt (a
2021-format table 二 and table 三 with its merged header and row labels), as image-only PDFs.
Every expected value is the text as printed (the same text the generator draws), never what the
OCR happened to read. OCR takes seconds per page, so each scan is read once per module and
shared by the tests (`scans`); the other tests use small pages or no OCR at all.

Needs rapidocr-onnxruntime (the `ocr` extra, in `test`) and a CJK font (.ci/run installs
fonts-noto-cjk): without them the OCR tests skip, and under CI=true they fail.
"""

from __future__ import annotations

import importlib.util
import io
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from govcrawl.attachments import document_from_attachment
from govcrawl.attachments.textutil import is_page_number
from govcrawl.document import ReportDocument, Table
from govcrawl.ingest import record_from_bytes
from govcrawl.parse.report import parse_document

ROOT = Path(__file__).resolve().parents[2]
URL = "https://www.example.gov.cn/zfxxgk/P020180320_1.pdf"


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} (CI is set: it is required)")
    pytest.skip(what)


def _generator():
    path = ROOT / "fixtures" / "tools" / "make_scanned_pdfs.py"
    spec = importlib.util.spec_from_file_location("make_scanned_pdfs", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _generator()


@pytest.fixture(scope="module")
def ocr():
    try:
        import cv2  # noqa: F401
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError as exc:
        _missing(f"OCR is not installed: {exc} (pip install -e '.[ocr]')")
    from govcrawl.attachments import ocr

    return ocr


@pytest.fixture(scope="module")
def fonts():
    found = gen.find_fonts()
    if found is None:
        _missing("no CJK font installed (apt-get install fonts-noto-cjk)")
    return found


@pytest.fixture(scope="module")
def in_process():
    """Read attachments in this process (one OCR engine for the whole module)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GOVCRAWL_ATTACHMENT_ISOLATION", "0")
        yield


@pytest.fixture(scope="module")
def scans(ocr, fonts, in_process):
    """(report, quality) -> (document, record), each scan OCR'd once."""
    cache: dict[tuple[str, str], tuple[ReportDocument, dict]] = {}

    def read(name: str, quality: str) -> tuple[ReportDocument, dict]:
        if (name, quality) not in cache:
            doc = document_from_attachment(gen.scanned_pdf(name, quality, fonts), "pdf", URL)
            cache[name, quality] = doc, parse_document(doc)
        return cache[name, quality]

    return read


def norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def cells(record: dict, table: str) -> dict[tuple[str, str], str]:
    return {(c["row"], c["col"]): c["raw"] for c in record["cells"] if c["table"] == table}


def printed_cells(name: str) -> dict[tuple[str, str, str], str]:
    """The cells of the report parsed from its printed grid (no OCR)."""
    rep = gen.report(name)
    doc = ReportDocument(url=URL, source="pdf", lines=list(rep.printed_text))
    for block in rep.blocks:
        if block.table is not None:
            grid = block.table.grid()
            spans = [[False] * len(row) for row in grid]
            for c in block.table.cells:
                for r in range(c.row, c.row + c.rowspan):
                    for k in range(c.col, c.col + c.colspan):
                        spans[r][k] = (r, k) != (c.row, c.col)
            doc.tables.append(Table(rows=grid, spans=spans))
    return {(c["table"], c["row"], c["col"]): c["raw"] for c in parse_document(doc)["cells"]}


def share_read(record: dict, name: str) -> float:
    want = printed_cells(name)
    have = {(c["table"], c["row"], c["col"]): c["raw"] for c in record["cells"]}
    return sum(1 for k, v in want.items() if have.get(k) == v) / len(want)


# --- the premise: what the scans are -------------------------------------------------------------------
def test_scans_are_image_only_pdfs_of_the_real_texts(fonts):
    import pdfplumber

    data = gen.scanned_pdf("anshun_ajj_2017", "clean", fonts)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 3
        assert all(not page.chars and page.images for page in pdf.pages)
    seed = (ROOT / "fixtures/seeds/000_0d3292ae08e5f267.txt").read_text(encoding="utf-8")
    rep = gen.report("anshun_ajj_2017")
    assert all(text in seed for text in rep.printed_text)  # drawn verbatim from the seed
    assert printed_cells("anshun_ajj_2017")[("statistics", "active.total", "value")] == "1656"
    assert printed_cells("longgang_2024")[("applications", "new_received", "total")] == "66"


# --- a clean 300 dpi scan: everything is read -------------------------------------------------------------
def test_clean_scan_reads_identity_and_flags_ocr(scans):
    doc, record = scans("anshun_ajj_2017", "clean")
    assert doc.flags == ["ocr"]  # read by OCR, nothing left unread: no needs_ocr
    assert record["year"] == 2017
    assert record["agency"] == "安顺市安全生产监督管理局"
    assert record["format"] == "statistics"


def test_clean_scan_narrative_is_paragraphs_in_reading_order(scans):
    doc, _ = scans("anshun_ajj_2017", "clean")
    printed = gen.report("anshun_ajj_2017").printed_text
    lines = [norm(ln) for ln in doc.lines]
    # every printed heading is a line of its own, in order; wrapped paragraphs are joined again
    headings = ["一、总体工作情况", "(一)加强组织领导,推进政务公开工作。", "(二)建立完善制度,规范信息公开管理。"]
    assert [lines.index(norm(h)) for h in headings] == sorted(lines.index(norm(h)) for h in headings)
    assert lines[0].startswith(norm("2017年,我局以保障人民群众知情权")) and lines[0].endswith(norm("报告如下。"))
    assert len(doc.lines) == len(printed)  # one line per printed paragraph (the caption included)
    assert norm("安顺市安全生产监督管理局2017年度政府信息公开情况统计表") in lines
    assert not any(is_page_number(ln) for ln in doc.lines)  # the `- 1 -` footers are dropped


def test_clean_scan_statistics_table_is_one_grid_over_two_pages(scans):
    doc, record = scans("anshun_ajj_2017", "clean")
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert norm(table.caption) == norm("安顺市安全生产监督管理局2017年度政府信息公开情况统计表")
    printed = next(b.table for b in gen.report("anshun_ajj_2017").blocks if b.table is not None).grid()
    assert len(printed) == 81
    # every cell as printed (whitespace and full-/half-width forms aside), the page break closed
    assert [[norm(c) for c in row] for row in table.rows] == [[norm(c) for c in row] for row in printed]
    got = cells(record, "statistics")
    assert got[("active.total", "value")] == "1656"
    assert got[("active.website", "value")] == "131"
    assert got[("response.articles", "value")] == "6"
    assert got[("org.staff", "value")] == "2"
    assert got[("training.trainees", "value")] == "3"  # the last row, on the third page
    assert share_read(record, "anshun_ajj_2017") == 1.0


def test_clean_scan_2021_tables_with_merged_header_and_labels(scans):
    doc, record = scans("longgang_2024", "clean")
    assert doc.flags == ["ocr"]
    assert record["format"] == "2021" and record["year"] == 2024
    assert len(doc.tables) == 2
    spec = [b.table for b in gen.report("longgang_2024").blocks if b.table is not None][-1]
    table3 = doc.tables[-1]
    assert [[norm(c) for c in row] for row in table3.rows] == [[norm(c) for c in row] for row in spec.grid()]
    # the three-row header: 申请人情况 over seven columns, 法人或其他组织 over five (merged cells
    # repeated, the copies marked)
    assert table3.rows[0][3:] == ["申请人情况"] * 7 and table3.spans[0][3:] == [False] + [True] * 6
    assert [norm(c) for c in table3.rows[2][4:9]] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert table3.rows[5][0] == table3.rows[9][0] == "三、本年度办理结果" and table3.spans[9][0]
    apps = cells(record, "applications")
    assert [apps[("new_received", c)] for c in
            ("natural_person", "commercial", "research", "nonprofit", "legal_services", "other_org", "total")] == \
        ["58", "7", "0", "0", "1", "0", "66"]
    assert apps[("partial", "natural_person")] == "16" and apps[("partial", "total")] == "17"
    assert apps[("denied.internal_affairs", "total")] == "1"
    active = cells(record, "active")
    assert [active[("normative_docs", c)] for c in ("issued", "repealed", "in_force")] == ["5", "1", "25"]
    assert share_read(record, "longgang_2024") == 1.0
    row_totals = [k for k in record["checks"] if k["rule"] == "applications.row_total"]
    assert row_totals and all(k["status"] == "pass" for k in row_totals)


# --- degraded scans: what is reliably read (the rest is in bench/bench_ocr.py) -------------------------
@pytest.mark.parametrize("quality,share", [("skewed", 0.95), ("lowres", 0.95), ("noisy", 0.6)])
def test_degraded_scans_read_identity_and_the_key_cells(scans, quality, share):
    doc, record = scans("longgang_2024", quality)
    assert doc.flags == ["ocr"]
    assert record["format"] == "2021" and record["year"] == 2024
    assert norm("本报告所列数据的统计期限为2024年1月1日至2024年12月31日") in norm("".join(doc.lines))
    apps = cells(record, "applications")
    assert apps[("granted", "total")] == "3"
    assert apps[("partial", "natural_person")] == "16" and apps[("partial", "total")] == "17"
    assert cells(record, "active")[("normative_docs", "in_force")] == "25"
    assert share_read(record, "longgang_2024") >= share


@pytest.mark.parametrize("quality", ["skewed", "lowres"])
def test_skewed_and_low_resolution_scans_read_table_three_whole(scans, quality):
    _, record = scans("longgang_2024", quality)
    apps = cells(record, "applications")
    assert [apps[("new_received", c)] for c in
            ("natural_person", "commercial", "research", "nonprofit", "legal_services", "other_org", "total")] == \
        ["58", "7", "0", "0", "1", "0", "66"]
    assert apps[("carried_over", "total")] == "2"


def test_noisy_scan_loses_the_thin_numeral_of_a_row_label_and_the_row_is_still_read(scans):
    """What grain does at 200 dpi (bench/bench_ocr.py has the counts): the one-stroke numeral of
    `一、本年新收…` fades into the paper and the label is read as `、本年新收…`; the parser takes
    the stray separator for numbering (tests/parse/test_ocr_labels.py), so row 一 is read."""
    doc, record = scans("longgang_2024", "noisy")
    table3 = doc.tables[-1]
    row = next(r for r in table3.rows if "本年新收" in r[0])
    assert row[0] == "、本年新收政府信息公开申请数量" and row[3] == "58" and row[-1] == "66"
    received = {c["col"]: c["value"] for c in record["cells"]
                if (c["table"], c["row"]) == ("applications", "new_received")}
    assert received == {"natural_person": 58, "commercial": 7, "research": 0, "nonprofit": 0,
                        "legal_services": 1, "other_org": 0, "total": 66}


# --- small pages: the hook, its limits, the engine --------------------------------------------------------
def _small_scan(fonts, texts: list[str]) -> bytes:
    """An image-only PDF of small pages, one per text (fast to OCR)."""
    from PIL import Image, ImageDraw

    pages = []
    for text in texts:
        image = Image.new("L", (1400, 300), 255)
        ImageDraw.Draw(image).text((60, 100), text, font=fonts.get(60), fill=0)
        pages.append(image)
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=300.0)
    return out.getvalue()


TITLE = "安顺市人民政府2020年政府信息公开工作年度报告"


def test_record_from_a_small_scan_in_a_child_process(ocr, fonts):
    """The default path: the PDF is read in a child process (govcrawl/attachments/isolation.py),
    which builds its own engine from the models in the wheel."""
    record = record_from_bytes(_small_scan(fonts, [TITLE]), URL, content_type="application/pdf")
    assert record["flags"] == ["ocr"]
    assert norm(TITLE) in norm(record["text"])
    assert record["year"] == 2020


def test_pages_past_the_page_limit_stay_flagged(ocr, fonts, in_process, monkeypatch):
    monkeypatch.setattr(ocr, "MAX_OCR_PAGES", 1)
    doc = document_from_attachment(_small_scan(fonts, [TITLE, "二、主动公开政府信息情况"]), "pdf", URL)
    assert set(doc.flags) == {"ocr", "needs_ocr"}
    assert [norm(ln) for ln in doc.lines] == [norm(TITLE)]


def test_no_page_is_started_once_the_time_budget_is_spent(ocr, fonts, in_process, monkeypatch):
    monkeypatch.setattr(ocr, "PAGE_SECONDS", 10_000.0)  # no page fits in the budget left
    monkeypatch.setattr(ocr, "read_image", lambda *a, **k: pytest.fail("a page was OCR'd"))
    doc = document_from_attachment(_small_scan(fonts, [TITLE]), "pdf", URL)
    assert doc.flags == ["needs_ocr"] and doc.lines == []


def test_no_page_is_started_that_the_cpu_budget_left_cannot_cover(ocr, fonts, in_process, monkeypatch):
    # a crawl worker's budget (govcrawl/limits.py) with 5 s left: less than a page may take
    monkeypatch.setattr(ocr, "cpu_seconds_left", lambda: 5.0)
    monkeypatch.setattr(ocr, "read_image", lambda *a, **k: pytest.fail("a page was OCR'd"))
    doc = document_from_attachment(_small_scan(fonts, [TITLE]), "pdf", URL)
    assert doc.flags == ["needs_ocr"] and doc.lines == []


def test_a_crawl_worker_keeps_a_scan_it_has_no_cpu_for_flagged_instead_of_dying(ocr, fonts):
    from govcrawl.workers import ExtractionPool

    pool = ExtractionPool(1, attachment_timeout=120, attachment_cpu_limit=5.0)
    try:
        record = pool.extract(_small_scan(fonts, [TITLE]), URL, content_type="application/pdf", kind="pdf")
    finally:
        pool.close()
    assert record["flags"] == ["needs_ocr"] and pool.killed == 0


def test_without_ocr_installed_the_scan_is_flagged_as_before(ocr, fonts, in_process, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    doc = document_from_attachment(_small_scan(fonts, [TITLE]), "pdf", URL)
    assert doc.flags == ["needs_ocr"] and doc.lines == [] and doc.tables == []


def test_the_engine_is_built_once_per_process(ocr, fonts, in_process, monkeypatch):
    import rapidocr_onnxruntime

    built = []

    class Counting(rapidocr_onnxruntime.RapidOCR):
        def __init__(self, *args, **kwargs):
            built.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(rapidocr_onnxruntime, "RapidOCR", Counting)
    monkeypatch.setattr(ocr, "_ENGINE", None)
    for text in (TITLE, "一、总体情况"):
        doc = document_from_attachment(_small_scan(fonts, [text]), "pdf", URL)
        assert [norm(ln) for ln in doc.lines] == [norm(text)]
    assert built == [1]


def test_models_ship_in_the_wheel_and_load_without_network(ocr, fonts, tmp_path):
    """A fresh interpreter whose sockets all fail builds the engine and reads a page: the models
    are files inside the installed package, nothing is fetched at run time."""
    import rapidocr_onnxruntime

    models = Path(rapidocr_onnxruntime.__file__).parent / "models"
    assert sorted(p.name for p in models.glob("*.onnx")) == [
        "ch_PP-OCRv4_det_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx", "ch_ppocr_mobile_v2.0_cls_infer.onnx"]
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(_small_scan(fonts, [TITLE]))
    script = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = refuse; socket.socket.connect_ex = refuse; socket.create_connection = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "from govcrawl.attachments.pdf import read_pdf\n"
        f"doc = read_pdf(open({str(pdf)!r}, 'rb').read(), 'x')\n"
        "print(doc.flags, doc.lines)\n"
    )
    package = models.parent

    def files() -> list[str]:
        return sorted(str(p.relative_to(package)) for p in package.rglob("*") if "__pycache__" not in p.parts)

    before = files()
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "GOVCRAWL_ATTACHMENT_ISOLATION": "0"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "['ocr']" in proc.stdout and norm(TITLE) in norm(proc.stdout)
    assert files() == before  # nothing was added to the package (no model fetched into it)


# --- the parts, without the engine --------------------------------------------------------------------------
@pytest.mark.parametrize("raw,fixed", [
    ("1O5", "105"), ("O", "0"), ("o", "0"), ("l2", "12"), ("I", "1"), ("3|", "31"), ("0.", "0"),
    ("Q", "0"), ("Q.", "0"), ("-4", "-4"), ("96171.6", "96171.6"), ("66", "66"),
    # not numbers: left as read
    ("Ol", "Ol"), ("其他", "其他"), ("条", "条"), ("——", "——"), ("/", "/"), ("減4", "減4"), ("1O件", "1O件"),
])
def test_confusable_letters_are_fixed_only_in_numbers(ocr, raw, fixed):
    assert ocr.fix_numeric(raw) == fixed


def test_a_box_over_two_cells_is_cut_at_the_column_line(ocr):
    box = ocr.Box(100, 10, 300, 40, "社会公法律服", 0.99,
                  (("社", 100, 120), ("会", 122, 142), ("公", 144, 164),
                   ("法", 230, 250), ("律", 252, 272), ("服", 274, 294)))
    parts = ocr.split_at(box, [50, 200, 400])
    assert [p.text for p in parts] == ["社会公", "法律服"]
    assert parts[1].x0 == 230
    assert ocr.split_at(box, [50, 400]) == [box]  # within one cell


def _ruled(merged_top: bool):
    """A 3x3 ruled grid at 200 dpi; the top row's cells merged into one when `merged_top`."""
    import numpy as np

    image = np.full((700, 1200), 255, np.uint8)
    xs, ys = [100, 500, 800, 1100], [100, 250, 400, 550]
    for y in ys:
        image[y - 1:y + 2, xs[0]:xs[-1] + 1] = 0
    for i, x in enumerate(xs):
        top = ys[1] if merged_top and 0 < i < len(xs) - 1 else ys[0]
        image[top:ys[-1] + 1, x - 1:x + 2] = 0
    return image


def test_ruled_grid_and_merged_cells_from_the_image(ocr):
    frames, rules = ocr.find_tables(_ruled(merged_top=True), 200)
    assert len(frames) == 1
    frame = frames[0]
    assert [round(x / 10) for x in frame.xs] == [10, 50, 80, 110]
    assert [round(y / 10) for y in frame.ys] == [10, 25, 40, 55]
    assert rules[100, 300] and rules[300, 500] and not rules[175, 300]
    boxes = [ocr.Box(400, 150, 700, 190, "申请人情况", 0.99),
             ocr.Box(250, 300, 330, 340, "自然人", 0.99), ocr.Box(640, 300, 660, 340, "5", 0.99),
             ocr.Box(900, 300, 960, 340, "1O", 0.99), ocr.Box(250, 450, 330, 490, "其他", 0.99)]
    table = ocr._grid(frame, boxes)
    assert table.rows == [["申请人情况"] * 3, ["自然人", "5", "10"], ["其他", "", ""]]
    assert table.spans == [[False, True, True], [False] * 3, [False] * 3]


def test_a_lone_frame_is_not_a_table(ocr):
    import numpy as np

    image = np.full((700, 1200), 255, np.uint8)
    image[100:103, 100:1100] = 0
    image[500:503, 100:1100] = 0
    image[100:503, 100:103] = 0
    image[100:503, 1097:1100] = 0
    frames, _ = ocr.find_tables(image, 200)
    assert frames == []  # one cell: a box around a paragraph; its text stays in the lines


@pytest.mark.parametrize("angle", [1.5, -1.2, 0.0])
def test_skew_is_measured_and_undone(ocr, fonts, angle):
    import numpy as np
    from PIL import Image, ImageDraw

    page = Image.new("L", (1650, 2300), 255)
    draw = ImageDraw.Draw(page)
    for k, text in enumerate(gen.report("anshun_ajj_2017").printed_text[:6] * 3):
        draw.text((150, 150 + 110 * k), text[:28], font=fonts.get(40), fill=0)
    turned = np.asarray(page.rotate(angle, resample=Image.BICUBIC, fillcolor=255))
    assert ocr.skew_angle(turned) == pytest.approx(angle, abs=0.15)
    straight = ocr.straighten(turned, ocr.skew_angle(turned))
    assert abs(ocr.skew_angle(straight)) <= 0.1
