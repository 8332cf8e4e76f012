"""PDF report -> ReportDocument (pdfplumber).

What a report PDF looks like and how this reads it:
- Ruled tables (the statistics tables, drawn by Word or WPS) are found from their ruling lines and
  read as grids from the cell rectangles, so merged cells keep their place: a cell's text is repeated
  over every grid position it covers, like HTML rowspan/colspan (`Table.spans` marks the copies).
  A table continued on the next page is joined to its first part when the column count matches.
- Text outside the tables is read line by line in reading order (top to bottom per page). Visual
  lines are joined back into paragraphs: a line that runs to the right margin continues on the next
  line unless that one is indented or starts a heading (`一、`, `（一）`, ...).
- Page headers and footers (`- 4 -`, `第4页 共10页`, a running title repeated on every page) are
  dropped: they would otherwise cut paragraphs and tables in two (docs/report-formats.md §6.1, item 5).
- A page whose glyphs pdfminer cannot map (`(cid:NN)`, or characters no Chinese report is made
  of) gets a second reading by pdfium, which maps fonts differently and reads copy-protected files
  pdfminer garbles; its text is used when it reads as text (no geometry: lines only).
- No text layer (a scan), or glyphs neither reader maps: that page's text is NOT used (never
  garbage text in the record); the page is read by OCR instead (govcrawl/attachments/ocr.py), and
  the document is flagged `ocr`. Pages OCR cannot read (not installed, over its page or time
  limit, nothing found) leave the document flagged `needs_ocr`.
- A truncated, corrupt or password-protected file raises AttachmentError. The reading runs in a
  child process killed at a deadline (govcrawl/attachments/isolation.py), so a pathological file
  cannot hang the crawl.
"""

from __future__ import annotations

import io
import logging
import re
import threading
import time
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from govcrawl.attachments.errors import AttachmentError
from govcrawl.attachments.textutil import HEADING, is_page_number, join_wrapped
from govcrawl.document import ReportDocument, Table
from govcrawl.text.vocabulary import is_report_title

logger = logging.getLogger(__name__)

#: seconds one PDF may take before it is given up: the child process reading it is killed a little
#: after it (in-process reading checks the budget between pages only)
TIME_BUDGET = 120.0
#: a report is a few dozen pages; a 1000-page file is something else (a gazette, a scan dump)
MAX_PAGES = 400
#: header/footer band, as a fraction of the page height at top and bottom
MARGIN_BAND = 0.09
#: a page whose body has fewer characters than this but carries a large image is a scanned page
SCANNED_MAX_CHARS = 20
#: share of the page area an image must cover to count as a scan of the page
SCANNED_MIN_IMAGE_AREA = 0.3
#: share of unmapped/garbage characters above which a page's text is not used
GARBLED_RATIO = 0.3

#: a gap wider than half a character is a space: justified Chinese spreads its characters by less,
#: so prose keeps no spurious spaces, while table columns printed on one line stay apart
TEXT_OPTIONS: dict[str, Any] = {"x_tolerance_ratio": 0.5}
#: a line holding three or more separate numbers is a table row printed as text, never prose
_TABULAR = re.compile(r"(?:^|\s)[-+]?\d+(?:\.\d+)?(?=\s|$)")

#: a page needs this many body lines to find its own text margins
MIN_LINES_FOR_EDGES = 6

FLAG_NEEDS_OCR = "needs_ocr"
#: some pages were read by OCR (their text came from the page image, not a text layer)
FLAG_OCR = "ocr"

_CID = re.compile(r"\(cid:\d+\)")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


#: what a Chinese report's text is made of: ASCII, Latin-1 signs (· × ÷ ° ±), general punctuation,
#: number forms and enclosed numbers (Ⅰ ①), box drawing and shapes (○ ■ ☆), CJK radicals (some fonts
#: map to the Kangxi radicals, which NFKC folds back), CJK punctuation, kana, ideographs, full-width
#: forms. Anything else in quantity is a font mapped to the wrong characters: glyph ids taken as
#: code points (combining marks, Greek, Cyrillic...), GBK bytes read as Latin-1 (`¸ßÐÂ`),
#: private-use codes, controls.
_EXPECTED = (
    (0x09, 0x0D), (0x20, 0x7E), (0xA0, 0xA0), (0xA2, 0xA5), (0xA7, 0xA9), (0xAB, 0xAE),
    (0xB0, 0xB7), (0xB9, 0xBB), (0xBC, 0xBE), (0xD7, 0xD7), (0xF7, 0xF7),
    (0x2000, 0x20CF), (0x2100, 0x27BF), (0x2E80, 0x2FDF), (0x3000, 0x30FF), (0x3100, 0x312F),
    (0x31C0, 0x31EF), (0x3200, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE10, 0xFE1F),
    (0xFE30, 0xFE6F), (0xFF00, 0xFFEF), (0x20000, 0x2FA1F),
)
_EXPECTED_STARTS = [lo for lo, _ in _EXPECTED]


def _is_junk_char(ch: str) -> bool:
    """A character a Chinese report's text layer should not consist of (see `_EXPECTED`)."""
    code = ord(ch)
    i = bisect_right(_EXPECTED_STARTS, code) - 1
    return i < 0 or code > _EXPECTED[i][1]


def garbled_reason(text: str, *, require_cjk: bool = False) -> str | None:
    """Why a PDF text layer is garbage, or None when it reads as text.

    `(cid:NN)` is what pdfminer prints for a glyph whose font has no Unicode map; private-use code
    points and Latin-1 junk come from fonts with a custom encoding. `require_cjk`: the whole
    document has no Chinese at all, which for a Chinese annual report means the glyphs are mapped to
    the wrong characters (used on the document, not per page: a page may hold only numbers).
    """
    cids = len(_CID.findall(text))
    rest = _CID.sub("", text)
    chars = [ch for ch in rest if not ch.isspace()]
    total = cids + len(chars)
    if not total:
        return None
    junk = sum(1 for ch in chars if _is_junk_char(ch))
    if cids / total > GARBLED_RATIO:
        return f"{cids} of {total} glyphs have no Unicode mapping (cid)"
    if (cids + junk) / total > GARBLED_RATIO:
        return f"{cids + junk} of {total} glyphs map to characters a Chinese report does not use"
    if require_cjk and total >= 50:
        cjk = sum(1 for ch in chars if _CJK.match(ch))
        if cjk / total < 0.05:
            return f"no Chinese text in {total} glyphs"
    return None


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    #: False for lines read by pdfium's text fallback: no usable positions
    geometry: bool = True


@dataclass
class _Page:
    number: int
    width: float
    height: float
    #: ("line", _Line) or ("table", Table, top) in reading order
    items: list = field(default_factory=list)
    #: header/footer candidates (lines in the margin band), dropped later
    margin: list[_Line] = field(default_factory=list)
    needs_ocr: str | None = None  # the reason
    garbled: bool = False  # pdfminer could not map this page's glyphs
    chars: int = 0
    ocr: bool = False  # the items were read by OCR (govcrawl/attachments/ocr.py)


def _check_structure(data: bytes) -> None:
    """Cheap checks that catch truncated downloads before pdfminer tries to repair them (its
    fallback scan of a broken file is slow and may read a half page as a whole one)."""
    if b"%PDF" not in data[:1024]:
        raise AttachmentError("not a PDF file (no %PDF header)")
    # some servers append a few KB of padding or junk after the trailer
    if b"%%EOF" not in data[-8192:]:
        raise AttachmentError(f"truncated PDF: no %%EOF trailer at the end of {len(data)} bytes")


def document_from_pdf(data: bytes, url: str, *, time_budget: float = TIME_BUDGET) -> ReportDocument:
    """Read a PDF report. The reading runs in a child process killed after `time_budget` (plus a
    margin for its start), see govcrawl/attachments/isolation.py."""
    from govcrawl.attachments.isolation import isolation_enabled, run_worker

    _check_structure(data)
    if not isolation_enabled():
        return read_pdf(data, url, time_budget=time_budget)
    return run_worker("pdf", data, url, timeout=time_budget + 15,
                      options={"time_budget": time_budget})


def read_pdf(data: bytes, url: str, *, time_budget: float = TIME_BUDGET) -> ReportDocument:
    """The PDF reader itself, in-process (the budget is checked between pages only)."""
    import pdfplumber

    started = time.monotonic()
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many types (PDFSyntaxError, PSEOF, KeyError ...)
        if "PasswordIncorrect" in repr(exc) or "PasswordIncorrect" in repr(exc.__cause__):
            raise AttachmentError("encrypted PDF: it needs a password to open") from exc
        raise AttachmentError(f"corrupt PDF: {type(exc).__name__}: {exc!r}") from exc
    with pdf:
        try:
            pages = pdf.pages
            info = dict(pdf.metadata or {})
        except Exception as exc:
            raise AttachmentError(f"corrupt PDF: {type(exc).__name__}: {exc}") from exc
        if not pages:
            raise AttachmentError("PDF has no pages")
        if len(pages) > MAX_PAGES:
            raise AttachmentError(f"PDF has {len(pages)} pages (more than {MAX_PAGES}): not a report")
        read: list[_Page] = []
        for page in pages:
            if time.monotonic() - started > time_budget:
                raise AttachmentError(f"PDF took longer than {time_budget:.0f}s to read "
                                      f"(page {page.page_number} of {len(pages)})")
            try:
                one = _read_page(page)
                if one.garbled:
                    one = _pdfium_fallback(one, page, data)
                read.append(one)
            except AttachmentError:
                raise
            except Exception as exc:
                raise AttachmentError(f"corrupt PDF page {page.page_number}: "
                                      f"{type(exc).__name__}: {exc}") from exc
            finally:
                page.close()  # frees pdfplumber's per-page object caches
    _read_by_ocr(read, data, deadline=started + time_budget)  # pages without usable text
    return _assemble(read, url, info)


def _read_by_ocr(pages: list[_Page], data: bytes, *, deadline: float) -> None:
    """Replace the pages that need OCR (all of them when the document's text is no Chinese at
    all) by what OCR reads on them (govcrawl/attachments/ocr.py); a page it does not read keeps
    its `needs_ocr` reason, with why."""
    from govcrawl.attachments.ocr import ocr_pdf

    todo = [i for i, p in enumerate(pages) if p.needs_ocr]
    if not todo:
        text = "".join(it[1].text if it[0] == "line" else "".join("".join(r) for r in it[1].rows)
                       for p in pages for it in p.items)
        if not (text.strip() and garbled_reason(text, require_cjk=True)):
            return
        todo = list(range(len(pages)))
    for i, result in ocr_pdf(data, todo, deadline=deadline, lock=_PDFIUM_LOCK).items():
        old = pages[i]
        if isinstance(result, str):
            old.needs_ocr = f"{old.needs_ocr or 'garbled text'}; {result}"
            continue
        page = _Page(number=old.number, width=old.width, height=old.height, chars=result.chars, ocr=True)
        band = page.height * MARGIN_BAND
        for ln in result.lines:
            line = _Line(text=ln.text, x0=ln.x0, x1=ln.x1, top=ln.top, bottom=ln.bottom, size=ln.size,
                         page=page.number)
            if line.bottom < band or line.top > page.height - band:
                page.margin.append(line)
            page.items.append(("line", line))
        page.items += [("table", table, top) for table, top in result.tables]
        page.items.sort(key=lambda item: item[1].top if item[0] == "line" else item[2])
        pages[i] = page


# --- one page ---------------------------------------------------------------------------------------
def _read_page(page, chars: list[dict] | None = None) -> _Page:
    """One page: its tables (from the ruling lines) and its text lines outside them. `chars`
    replaces pdfminer's characters (pdfium's reading of a page pdfminer garbled)."""
    from pdfplumber.utils.text import chars_to_textmap

    page = page.dedupe_chars()  # fake bold: the same glyph printed twice, slightly offset
    out = _Page(number=page.page_number, width=float(page.width), height=float(page.height))
    if chars is None:
        chars = list(page.chars)
        reason = garbled_reason("".join(c["text"] for c in chars))
        if reason:
            out.needs_ocr = reason
            out.garbled = True
            return out
    out.chars = sum(1 for c in chars if c["text"].strip())

    tables = []
    for found in page.find_tables():
        grid = _table_grid(found, chars)
        if grid is not None:
            tables.append((found.bbox, grid))
    boxes = [bbox for bbox, _ in tables]

    def outside_tables(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

    body = [c for c in chars if outside_tables(c)] if boxes else chars
    band = out.height * MARGIN_BAND
    body_chars = 0
    raw_lines = (chars_to_textmap(body, **TEXT_OPTIONS).extract_text_lines(strip=True, return_chars=True)
                 if body else [])
    for raw in raw_lines:
        text = raw["text"].strip()
        if not text:
            continue
        sizes = [c.get("size", 0) for c in raw["chars"] if c["text"].strip()]
        line = _Line(text=text, x0=raw["x0"], x1=raw["x1"], top=raw["top"], bottom=raw["bottom"],
                     size=median(sizes) if sizes else 0.0, page=out.number)
        if line.bottom < band or line.top > out.height - band:
            out.margin.append(line)
        else:
            body_chars += len(text)
        out.items.append(("line", line))
    for bbox, grid in tables:
        out.items.append(("table", grid, bbox[1]))
    out.items.sort(key=lambda item: item[1].top if item[0] == "line" else item[2])

    if body_chars + sum(len("".join(r)) for _, g in tables for r in g.rows) < SCANNED_MAX_CHARS:
        area = out.width * out.height or 1.0
        covered = sum(max(0.0, (im["x1"] - im["x0"]) * (im["bottom"] - im["top"]))
                      for im in page.images)
        if covered / area >= SCANNED_MIN_IMAGE_AREA:
            out.needs_ocr = "scanned page (an image with no text layer)"
            out.items = []
    return out


#: pdfium (pypdfium2, which pdfplumber installs) is not thread-safe; the crawl extracts in threads
_PDFIUM_LOCK = threading.Lock()
_PDFIUM_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _pdfium_read(data: bytes, index: int) -> tuple[list[dict], str, int, float] | None:
    """pdfium's characters of one page (pdfplumber-style dicts, top-down coordinates), its text,
    the page rotation and height; None when pdfium cannot read the page."""
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return None
    try:
        with _PDFIUM_LOCK:
            document = pdfium.PdfDocument(data)
            try:
                page = document[index]
                height, rotation = float(page.get_height()), int(page.get_rotation())
                textpage = page.get_textpage()
                chars = []
                for i in range(textpage.count_chars()):
                    text = textpage.get_text_range(i, 1)
                    if not text or text.isspace() or _PDFIUM_CONTROL.match(text):
                        continue  # pdfium's own inserted spaces and line breaks
                    left, bottom, right, top = textpage.get_charbox(i, loose=True)
                    size = float(pdfium.raw.FPDFText_GetFontSize(textpage.raw, i))
                    chars.append({
                        "object_type": "char", "text": text, "x0": left, "x1": right,
                        "top": height - top, "bottom": height - bottom, "doctop": height - top,
                        "y0": bottom, "y1": top, "width": right - left, "height": top - bottom,
                        "size": size, "upright": True, "fontname": "", "adv": right - left,
                    })
                whole = textpage.get_text_range()
            finally:
                document.close()
    except Exception:
        return None
    return chars, whole, rotation, height


def _pdfium_fallback(out: _Page, page, data: bytes) -> _Page:
    """Second opinion on a page pdfminer could not map: pdfium maps glyphs its own way and reads
    files pdfminer gets wrong (e.g. an owner-password-protected PDF, common for 禁止复制 reports,
    whose CID font comes out as `(cid:NN)`). Used only when its text reads as text: with its
    character boxes, the page is read like any other (tables from the ruling lines); on a rotated
    page, whose boxes would not match pdfplumber's, as plain text lines without geometry."""
    read = _pdfium_read(data, page.page_number - 1)
    if read is None:
        return out
    chars, whole, rotation, height = read
    if not chars or garbled_reason("".join(c["text"] for c in chars)):
        return out  # pdfium cannot map them either: the page stays flagged
    if rotation == 0 and abs(height - out.height) < 1.0:
        try:
            return _read_page(page, chars=chars)
        except Exception:  # fall through to plain text
            logger.debug("pdfium geometry failed on page %s", out.number, exc_info=True)
    lines = [_PDFIUM_CONTROL.sub("", ln).strip() for ln in whole.replace("\r\n", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    # no positions: a page number is recognised by being the first or last line
    if lines and is_page_number(lines[-1]):
        lines.pop()
    if lines and is_page_number(lines[0]):
        lines.pop(0)
    text_only = _Page(number=out.number, width=out.width, height=out.height, chars=len(chars))
    text_only.items = [("line", _Line(text=ln, x0=0.0, x1=0.0, top=float(i), bottom=float(i),
                                      size=0.0, page=out.number, geometry=False))
                       for i, ln in enumerate(lines)]
    return text_only


def _cluster(values: list[float], tol: float = 2.5) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _index(edges: list[float], v: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - v))


def _table_grid(found, chars: list[dict]) -> Table | None:
    """A pdfplumber table as a grid from its cell rectangles: every distinct cell edge makes a grid
    line, and a cell covering several grid positions (a merged cell) is repeated over all of them."""
    from pdfplumber.utils import extract_text

    cells = [c for c in found.cells if c[2] - c[0] > 1 and c[3] - c[1] > 1]
    if not cells:
        return None
    xs = _cluster([c[0] for c in cells] + [c[2] for c in cells])
    ys = _cluster([c[1] for c in cells] + [c[3] for c in cells])
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_rows < 2 or n_cols < 2:
        return None  # a frame around a paragraph, not a table: its text stays in the lines
    x0, top, x1, bottom = found.bbox
    inside = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1
              and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
    grid: list[list[str | None]] = [[None] * n_cols for _ in range(n_rows)]
    spans = [[False] * n_cols for _ in range(n_rows)]
    placed = []
    for cell in cells:
        c0, c1 = _index(xs, cell[0]), _index(xs, cell[2])
        r0, r1 = _index(ys, cell[1]), _index(ys, cell[3])
        if c1 > c0 and r1 > r0:
            placed.append((r0, c0, r1, c1, cell))
    for r0, c0, r1, c1, cell in sorted(placed):
        own = [c for c in inside if cell[0] <= (c["x0"] + c["x1"]) / 2 <= cell[2]
               and cell[1] <= (c["top"] + c["bottom"]) / 2 <= cell[3]]
        text = join_wrapped(extract_text(own, **TEXT_OPTIONS).splitlines()) if own else ""
        for r in range(r0, r1):
            for c in range(c0, c1):
                if grid[r][c] is None:
                    grid[r][c] = text
                    spans[r][c] = (r, c) != (r0, c0)
    # grid lines drawn only outside any cell (stray rules) leave empty bands: drop them
    keep_rows = [r for r in range(n_rows) if any(v is not None for v in grid[r])]
    keep_cols = [c for c in range(n_cols) if any(grid[r][c] is not None for r in keep_rows)]
    rows = [[grid[r][c] or "" for c in keep_cols] for r in keep_rows]
    span_rows = [[spans[r][c] for c in keep_cols] for r in keep_rows]
    if len(rows) < 2 or len(keep_cols) < 2:
        return None
    return Table(rows=rows, spans=span_rows)


# --- the document --------------------------------------------------------------------------------
def _running_headers(pages: list[_Page]) -> set[str]:
    """Margin lines printed on most pages (a running title): their digit-free shape."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({re.sub(r"\d+", "#", line.text) for line in page.margin})
    need = max(2, (len(pages) + 1) // 2)
    return {shape for shape, n in counts.items() if n >= need}


def _edges(lines: list[_Line]) -> tuple[float, float]:
    """Left and right text margins of a page: the outermost x where two or more lines align."""
    def outer(values: list[float], reverse: bool) -> float:
        ordered = sorted(values, reverse=reverse)
        for i in range(len(ordered) - 1):
            if abs(ordered[i] - ordered[i + 1]) <= 3:
                return ordered[i]
        return ordered[0]

    return outer([ln.x0 for ln in lines], False), outer([ln.x1 for ln in lines], True)


def _continues(prev: _Line, cur: _Line, edges: dict[int, tuple[float, float]]) -> bool:
    """Does `cur` continue the paragraph whose last visual line is `prev`?"""
    if not (prev.geometry and cur.geometry):
        return False
    size = max(prev.size, cur.size, 1.0)
    if abs(prev.size - cur.size) > 1.0 or HEADING.match(cur.text):
        return False
    if len(_TABULAR.findall(prev.text)) >= 3 or len(_TABULAR.findall(cur.text)) >= 3:
        return False  # rows of a table drawn without rules: one line each
    _, p_right = edges[prev.page]
    c_left, c_right = edges[cur.page]
    if prev.x1 < p_right - 1.5 * size:
        return False  # the line ends short of the margin: its paragraph ends there
    if cur.page == prev.page and cur.top - prev.bottom > 1.5 * size:
        return False
    if cur.page not in (prev.page, prev.page + 1):
        return False
    if cur.x0 <= c_left + 0.8 * size:
        return True
    # a centred title wrapped onto a short centred line
    centre = (c_left + c_right) / 2
    return abs((prev.x0 + prev.x1) / 2 - centre) < 2 * size and abs((cur.x0 + cur.x1) / 2 - centre) < 2 * size


def _assemble(pages: list[_Page], url: str, info: dict) -> ReportDocument:
    doc = ReportDocument(url=url, source="pdf")
    ocr_reasons = [f"page {p.number}: {p.needs_ocr}" for p in pages if p.needs_ocr]
    running = _running_headers(pages)
    margin_ids = {id(line) for p in pages for line in p.margin}

    def dropped(line: _Line) -> bool:
        return id(line) in margin_ids and (is_page_number(line.text)
                                           or re.sub(r"\d+", "#", line.text) in running)

    # text margins per page; a page with a few lines only (a table page, the signature page) cannot
    # show its margins, so it takes the document's
    bodies = {p.number: [it[1] for it in p.items
                         if it[0] == "line" and it[1].geometry and not dropped(it[1])]
              for p in pages}
    everything = [ln for body in bodies.values() for ln in body]
    doc_edges = _edges(everything) if everything else (0.0, 0.0)
    edges = {number: _edges(body) if len(body) >= MIN_LINES_FOR_EDGES else doc_edges
             for number, body in bodies.items()}

    paragraphs: list[list[_Line]] = []
    lines: list[str] = []
    tables: list[Table] = []
    last_kind = None  # "line" or "table": what came last, across pages
    first_on_page = True
    for p in pages:
        first_on_page = True
        for item in p.items:
            if item[0] == "line":
                line = item[1]
                if dropped(line):
                    continue
                if paragraphs and last_kind == "line" and _continues(paragraphs[-1][-1], line, edges):
                    paragraphs[-1].append(line)
                else:
                    paragraphs.append([line])
                last_kind = "line"
            else:
                table: Table = item[1]
                prev = tables[-1] if tables else None
                if (first_on_page and last_kind == "table" and prev is not None
                        and len(prev.rows[0]) == len(table.rows[0])):
                    # the same table continued from the previous page; Word repeats the header
                    # rows there when they are marked 重复标题行: keep them once
                    repeated = 0
                    while (repeated < len(table.rows) - 1 and repeated < len(prev.rows)
                           and table.rows[repeated] == prev.rows[repeated]
                           and any(table.rows[repeated])):
                        repeated += 1
                    prev.rows.extend(table.rows[repeated:])
                    if prev.spans is not None and table.spans is not None:
                        prev.spans.extend(table.spans[repeated:])
                else:
                    if paragraphs:
                        table.caption = join_wrapped([ln.text for ln in paragraphs[-1]])
                    tables.append(table)
                last_kind = "table"
            first_on_page = False
    lines = [join_wrapped([ln.text for ln in para]) for para in paragraphs]
    lines = [ln for ln in lines if ln]

    whole = "\n".join(lines) + "\n".join("".join(row) for t in tables for row in t.rows)
    doc_reason = garbled_reason(whole, require_cjk=True) if whole.strip() else None
    if doc_reason:
        ocr_reasons.append(doc_reason)
        lines, tables, paragraphs = [], [], []
    if not lines and not tables and not ocr_reasons:
        ocr_reasons.append("no text layer")
    if ocr_reasons:
        doc.flags.append(FLAG_NEEDS_OCR)
        logger.info("%s needs OCR: %s", url, "; ".join(ocr_reasons[:5]))
    if (lines or tables) and any(p.ocr for p in pages):
        doc.flags.append(FLAG_OCR)
    doc.lines = lines
    doc.tables = tables
    doc.titles = _titles(paragraphs, pages, info)
    return doc


_FILE_NAME_TITLE = re.compile(r"^(microsoft\s+word\s*-\s*)|\.(docx?|wps|pdf)$", re.IGNORECASE)


def _titles(paragraphs: list[list[_Line]], pages: list[_Page], info: dict) -> list[str]:
    """Candidate titles: the largest print on the first page with text, then the PDF's Title."""
    out: list[str] = []
    if paragraphs:
        first_page = paragraphs[0][0].page
        on_first = [para for para in paragraphs if para[0].page == first_page]
        sizes = [ln.size for para in on_first for ln in para for _ in ln.text]
        body_size = median(sizes) if sizes else 0
        biggest = max((para[0].size for para in on_first), default=0)
        if biggest > body_size * 1.15:
            # the title: consecutive paragraphs in the biggest print (an agency line above a
            # `2017年…年度报告` line), up to the first that is a whole report title; a table caption
            # further down in the same print is not part of it
            heading: list[str] = []
            for para in on_first:
                if abs(para[0].size - biggest) <= 0.5:
                    heading.append(join_wrapped([ln.text for ln in para]))
                    if is_report_title(heading[-1]) or len(heading) == 3:
                        break
                elif heading:
                    break
            out.append(join_wrapped(heading))
    meta_title = info.get("Title")
    if isinstance(meta_title, bytes):
        meta_title = meta_title.decode("utf-16" if meta_title[:2] in (b"\xfe\xff", b"\xff\xfe")
                                       else "utf-8", "replace")
    if isinstance(meta_title, str):
        meta_title = _FILE_NAME_TITLE.sub("", meta_title.strip()).strip()
        if _CJK.search(meta_title) and not garbled_reason(meta_title) and meta_title not in out:
            out.append(meta_title)
    return [t for t in out if t]
