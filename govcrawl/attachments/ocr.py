"""OCR of PDF pages that have no usable text layer: scans, and fonts whose glyphs map to nothing.

pdf.py flags such pages `needs_ocr` and hands them to `ocr_pdf`, which reads them from their image,
offline, with RapidOCR (PP-OCRv4 detection and recognition models run by onnxruntime; the models
ship inside the `rapidocr-onnxruntime` wheel, nothing is downloaded: docs/ocr.md). Each page comes
back as lines with positions and ruled tables as grids (`OcrPage`), which pdf.py turns into the
pages its text-layer reader makes, so the assembly (paragraphs, page footers, tables continued over
pages, titles) is shared by both.

One page (docs/ocr.md §2 has the numbers behind each choice):
1. render it with pdfium at `OCR_DPI` (200: a 10.5 pt table digit is ~29 px high; the
   recogniser's input is 48 px high); the detector sees it at most `DET_SIDE` px high;
2. denoise a grainy scan (non-local means, only when the paper's grey deviates by more than
   `NOISE_STD`), and straighten it: the skew is the angle whose horizontal projection of the ink
   has the sharpest rows, searched over +-5 degrees;
3. find the ruling lines: ink opened with a long horizontal and a long vertical kernel (OpenCV
   morphology); rules connected into a frame of at least 2x2 cells are a table. The rules are
   erased from the image that is recognised (a rule read as `1` or `|`, or gluing two cells'
   numbers into one box, is the worst OCR error a table can have);
4. recognise text boxes with their word positions; a box whose centre lies in a table cell is
   that cell's text (a box running over a column line is cut there, by its words), the others are
   joined into visual lines (boxes on one baseline, left to right; a gap wider than a character
   is a space, so the numbers of a table printed without rules stay apart, one row per line, as
   pdf.py gives them for text PDFs);
5. a table's grid: every ruling line makes a grid line; a cell whose separating rule is missing is
   merged with its neighbour, and a merged cell's text is repeated over every position it covers
   (`Table.spans` marks the copies), as pdf.py reads ruled tables from a text layer. A cell with
   ink but no box (a lone `0` the detector missed) gets a second look: its ink alone is recognised.

Values are kept as recognised, with one exception: in a table cell or a tabular line's number that
is otherwise numeric, the letters OCR confuses with digits (`O`/`o`/`D`/`Q` for 0, `l`/`I`/`|` for 1)
are read as those digits, and a speck read as a full stop after it is dropped (`1O5` -> `105`, a
lone `O` -> `0`, `0.` -> `0`). Nothing else is changed: a total that does not add up is reported by
the checks, never corrected here.

Time: a page takes ~5-30 s on two cores, depending on the load (bench/bench_ocr.py), so OCR is
bounded twice: at most `MAX_OCR_PAGES` pages (the first ones; a report's statistics tables are
within its first pages), and a page is started only if the attachment's time budget left covers
the slowest page so far (at least `PAGE_SECONDS`); the reader's process is killed a little after
the budget in any case; in a crawl's worker, a page is started only if the CPU budget left
(`govcrawl.limits.cpu_seconds_left`, GOVCRAWL_ATTACHMENT_CPU_LIMIT) covers the most CPU a page took
so far (at least `PAGE_SECONDS`). Pages not read stay flagged `needs_ocr`, with why. The engine is built once per
process, on first use (`engine()`), so a crawl worker loads the models once, not per file.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
import time
from dataclasses import dataclass
from statistics import median
from typing import Any

from govcrawl.attachments.textutil import join_wrapped
from govcrawl.document import Table
from govcrawl.limits import cpu_seconds_left, cpu_used

logger = logging.getLogger(__name__)

#: render resolution: a 10.5 pt character is ~29 px high, and A4 is 1654 x 2339 px
OCR_DPI = 200
#: a page larger than this many pixels at OCR_DPI (an A2 poster, a wide scan) is rendered smaller
MAX_PIXELS = 6_000_000
#: pages OCR reads at most in one document (the first ones)
MAX_OCR_PAGES = 12
#: seconds a page is expected to take at least, for the budget check before each page
PAGE_SECONDS = 12.0
#: the detector sees the page at most this many pixels high (A4 at ~137 dpi: 10 pt text is 19 px
#: high, which it finds as well as at 200 dpi, in half the time); recognition crops the full image
DET_SIDE = 1600
#: the recogniser's confidence below which a box is dropped (RapidOCR's own default)
MIN_SCORE = 0.5
#: skews searched (degrees); a page skewed by less than SKEW_MIN is left as it is
SKEW_RANGE = 5.0
SKEW_MIN = 0.1
#: grey-level deviation of the paper above which a page is denoised first (a clean scan: 0-2)
NOISE_STD = 5.0

_ENGINE: Any = None
_ENGINE_LOCK = threading.Lock()  # builds the engine once; runs one page at a time per process


class OcrUnavailable(RuntimeError):
    """rapidocr-onnxruntime (the `ocr` extra) is not installed."""


def available() -> bool:
    try:
        import cv2  # noqa: F401
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def engine():
    """The process's RapidOCR engine, built on first use (loading the three models takes ~1-3 s).
    Call with `_ENGINE_LOCK` held."""
    global _ENGINE
    if _ENGINE is None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:
            raise OcrUnavailable("OCR is not installed (pip install 'govcrawl[ocr]')") from exc
        # the page is rendered at OCR_DPI already: no downscaling to RapidOCR's 2000 px default
        _ENGINE = RapidOCR(max_side_len=4000, text_score=MIN_SCORE, print_verbose=False,
                           det_limit_type="max", det_limit_side_len=DET_SIDE)
    return _ENGINE


# --- boxes ---------------------------------------------------------------------------------------------
@dataclass
class Box:
    """One recognised text box, in pixels of the straightened page image."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    score: float
    #: (text, x0, x1) of each recognised word (a CJK character, a number), when known
    words: tuple[tuple[str, float, float], ...] = ()

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


def _boxes(result) -> list[Box]:
    """RapidOCR's result (with word boxes: [quad, text, score, word quads, words, word scores])."""
    out = []
    for entry in result or []:
        points, text, score = entry[0], entry[1], entry[2]
        text = (text or "").strip()
        if not text or float(score) < MIN_SCORE:
            continue
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        words: tuple[tuple[str, float, float], ...] = ()
        if len(entry) >= 5 and entry[3] and len(entry[3]) == len(entry[4]):
            words = tuple((w, float(min(p[0] for p in q)), float(max(p[0] for p in q)))
                          for q, w in zip(entry[3], entry[4]) if q)
        out.append(Box(min(xs), min(ys), max(xs), max(ys), text, float(score), words))
    return out


def split_at(box: Box, xs: list[int]) -> list[Box]:
    """A box that runs over column lines (two cells' texts read as one, `社会公 法律服`) cut
    into one box per column, by the positions of its words; a box without word positions, or
    within one column, is returned as it is."""
    cuts = [x for x in xs if box.x0 + 4 < x < box.x1 - 4]
    words = [(w, a, b) for w, a, b in box.words if w.strip()]
    if not cuts or not words or "".join(w for w, _, _ in words) != "".join(box.text.split()):
        return [box]
    edges = [box.x0 - 1] + cuts + [box.x1 + 1]
    out = []
    for lo, hi in itertools.pairwise(edges):
        part = [(w, a, b) for w, a, b in words if lo <= (a + b) / 2 < hi]
        if part:
            out.append(Box(part[0][1], box.top, part[-1][2], box.bottom, "".join(w for w, _, _ in part),
                           box.score, tuple(part)))
    return out or [box]


# --- digits OCR confuses with letters ------------------------------------------------------------------
_CONFUSABLE = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1"})
_NUMERIC_LIKE = re.compile(r"([-+]?[0-9OoDQlI|]+(?:[.,][0-9OoDQlI|]+)*)[.,。]?")


def fix_numeric(text: str) -> str:
    """`1O5` -> `105`, `O` -> `0`, `0.` -> `0`: only for a text that is a number apart from the
    letters OCR takes digits for and a stray full stop after it (a speck of grain). Words, units,
    labels and anything with other characters are left alone."""
    m = _NUMERIC_LIKE.fullmatch(text)
    core = m.group(1) if m else ""
    if core and (any(ch.isdigit() for ch in core) or len(core.lstrip("+-")) == 1):
        return core.translate(_CONFUSABLE)
    return text


# --- image steps -----------------------------------------------------------------------------------
def _ink(gray):
    """Binary ink mask (255 = ink) of a grayscale page: median blur for speckles, Otsu threshold."""
    import cv2

    blurred = cv2.medianBlur(gray, 3)
    _, ink = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def denoise(gray):
    """A grainy scan (the paper's grey deviates by more than NOISE_STD) is smoothed with non-local
    means before anything else: grain breaks the rules apart and hides lone digits from the
    detector. A clean page is returned as it is. The deviation is the median absolute one
    (scaled to a standard deviation), so the grey edges of the characters do not count."""
    import cv2
    import numpy as np

    ink = _ink(gray)
    paper = gray[::4, ::4][ink[::4, ::4] == 0].astype(np.float32)
    noise = float(np.median(np.abs(paper - np.median(paper)))) * 1.4826 if paper.size else 0.0
    if noise <= NOISE_STD:
        return gray
    return cv2.fastNlMeansDenoising(gray, None, h=float(min(30.0, max(10.0, 1.3 * noise))),
                                    templateWindowSize=7, searchWindowSize=15)


def skew_angle(gray) -> float:
    """The page's skew in degrees (positive: the text runs up to the right), from the sharpness
    of the ink's row profile: searched in quarter degrees on a 600 px wide copy, then in
    twentieths on a 1200 px wide one (a pixel over the width is 0.05 degree there)."""
    import cv2
    import numpy as np

    def copy(width: int):
        h, w = gray.shape[:2]
        f = width / max(w, 1)
        small = cv2.resize(gray, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA)
        return _ink(small)

    def sharpness(ink, angle: float) -> float:
        sh, sw = ink.shape
        m = cv2.getRotationMatrix2D((sw / 2, sh / 2), float(angle), 1.0)
        turned = cv2.warpAffine(ink, m, (sw, sh), flags=cv2.INTER_NEAREST, borderValue=0)
        rows = turned.sum(axis=1, dtype=np.float64)
        return float(np.sum(np.diff(rows) ** 2))

    coarse = copy(600)
    if not coarse.any():
        return 0.0
    steps = np.round(np.arange(-SKEW_RANGE, SKEW_RANGE + 1e-9, 0.25), 2)
    best = max(steps, key=lambda a: sharpness(coarse, a))
    fine = copy(1200)
    near = np.round(np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05), 2)
    best = max(near, key=lambda a: sharpness(fine, a))
    return -float(best)  # the rotation that straightens the page is the opposite of its skew


def straighten(gray, angle: float):
    import cv2

    if abs(angle) < SKEW_MIN:
        return gray
    h, w = gray.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


@dataclass
class _Frame:
    """One ruled table found in the image: its grid lines and which rules between cells exist."""

    x0: int
    top: int
    x1: int
    bottom: int
    xs: list[int]
    ys: list[int]
    #: v_rule[r][c]: the rule left of grid column c exists in grid row r (c = 0..n_cols)
    v_rule: list[list[bool]]
    #: h_rule[r][c]: the rule above grid row r exists in grid column c (r = 0..n_rows)
    h_rule: list[list[bool]]


def _runs(profile, minimum: float) -> list[int]:
    """Centres of the runs of positions where `profile` >= minimum."""
    out: list[int] = []
    start = None
    for i, v in enumerate(list(profile) + [0]):
        if v >= minimum and start is None:
            start = i
        elif v < minimum and start is not None:
            out.append((start + i - 1) // 2)
            start = None
    return out


def find_tables(gray, dpi: float) -> tuple[list[_Frame], Any]:
    """The ruled tables of a straightened page, and the mask of their rules (to erase them)."""
    import cv2
    import numpy as np

    ink = _ink(gray)
    h_len = max(20, int(dpi * 0.4))  # longer than a character's stroke or a `——` placeholder
    v_len = max(12, int(dpi * 0.2))  # shorter than a table row, longer than a character
    h_mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (h_len, 1)))
    v_mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, v_len)))
    # bridge the breaks a poor scan leaves in a rule
    h_mask = cv2.dilate(h_mask, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    v_mask = cv2.dilate(v_mask, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 9)))
    rules = cv2.bitwise_or(h_mask, v_mask)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(rules, connectivity=8)
    page_w = gray.shape[1]
    frames: list[_Frame] = []
    keep = np.zeros_like(rules)
    for k in range(1, n):
        x, y, w, h, _area = stats[k]
        if w < page_w * 0.15 or h < dpi * 0.25:
            continue
        comp = labels[y:y + h, x:x + w] == k
        hm = (h_mask[y:y + h, x:x + w] > 0) & comp
        vm = (v_mask[y:y + h, x:x + w] > 0) & comp
        ys = _runs(hm.sum(axis=1), h_len)
        xs = _runs(vm.sum(axis=0), v_len)
        if len(ys) < 3 or len(xs) < 3:
            continue  # a frame around a paragraph, or underlines: not a table
        frame = _Frame(x, y, x + w, y + h, [x + v for v in xs], [y + v for v in ys], [], [])
        band = 4
        for r in range(len(ys) - 1):
            lo, hi = ys[r] + band, ys[r + 1] - band
            row = []
            for c in range(len(xs)):
                seg = vm[max(lo, 0):max(hi, lo + 1), max(xs[c] - band, 0):xs[c] + band + 1]
                row.append(bool(seg.size) and float(seg.any(axis=1).mean()) >= 0.6)
            frame.v_rule.append(row)
        for r in range(len(ys)):
            col = []
            for c in range(len(xs) - 1):
                lo, hi = xs[c] + band, xs[c + 1] - band
                seg = hm[max(ys[r] - band, 0):ys[r] + band + 1, max(lo, 0):max(hi, lo + 1)]
                col.append(bool(seg.size) and float(seg.any(axis=0).mean()) >= 0.6)
            frame.h_rule.append(col)
        frames.append(frame)
        keep[y:y + h, x:x + w][comp] = 255
    frames.sort(key=lambda f: f.top)
    return frames, cv2.dilate(keep, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))


# --- boxes -> lines and grids -------------------------------------------------------------------------
def _visual_lines(boxes: list[Box]) -> list[list[Box]]:
    """Boxes grouped by baseline (vertical centres within half a box height), each left to right,
    the lines top to bottom."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b.cy):
        for line in reversed(lines[-3:]):
            h = max(median(b.height for b in line), box.height)
            cy = median(b.cy for b in line)
            overlaps = any(min(b.x1, box.x1) - max(b.x0, box.x0) > 0.3 * min(b.x1 - b.x0, box.x1 - box.x0)
                           for b in line)
            if abs(box.cy - cy) <= 0.5 * h and not overlaps:
                line.append(box)
                break
        else:
            lines.append([box])
    for line in lines:
        line.sort(key=lambda b: b.x0)
    lines.sort(key=lambda ln: min(b.top for b in ln))
    return lines


_TABULAR_TOKEN = re.compile(r"^[-+]?[0-9OoDQlI|]+(?:[.,][0-9OoDQlI|]+)*$")


def _line_text(line: list[Box]) -> str:
    """One visual line: boxes joined, a space where the gap is wider than a character (table
    columns printed without rules, `label 3 0 0 1`); Chinese glued to Chinese otherwise."""
    h = median(b.height for b in line)
    parts: list[str] = []
    prev: Box | None = None
    for box in line:
        if prev is not None and box.x0 - prev.x1 > 0.8 * h:
            parts.append(" ")
        parts.append(box.text)
        prev = box
    text = join_wrapped(["".join(parts)])
    tokens = text.split(" ")
    if sum(1 for t in tokens if _TABULAR_TOKEN.match(t)) >= 2:  # a table row: fix its numbers
        text = " ".join(fix_numeric(t) for t in tokens)
    return text


def _cell_text(boxes: list[Box]) -> str:
    text = join_wrapped(["".join(b.text for b in line) for line in _visual_lines(boxes)])
    return fix_numeric(text)


def _second_look(image, frame: _Frame, cells: list[tuple[int, int]], dpi: float) -> str:
    """The text of a cell the detector found nothing in although it holds ink (a lone `0` in a
    small or grainy cell is the usual case): the ink's bounding box alone, recognised without
    detection. "" when the cell is blank or the recogniser is not confident."""
    import cv2
    import numpy as np

    r0 = min(r for r, _ in cells)
    r1 = max(r for r, _ in cells) + 1
    c0 = min(c for _, c in cells)
    c1 = max(c for _, c in cells) + 1
    inset = 6
    x0, x1 = frame.xs[c0] + inset, frame.xs[c1] - inset
    y0, y1 = frame.ys[r0] + inset, frame.ys[r1] - inset
    if x1 - x0 < 8 or y1 - y0 < 8:
        return ""
    crop = image[y0:y1, x0:x1]
    ink = _ink(crop) if crop.min() < 128 else np.zeros_like(crop)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    # specks and rule remnants are not characters: a character part is at least 0.04 in high
    # (a 6 pt digit is 0.06 in) and not a speck
    parts = [stats[k] for k in range(1, n) if stats[k][3] >= dpi * 0.04 and stats[k][4] >= 12]
    if not parts:
        return ""
    px0 = min(p[0] for p in parts)
    py0 = min(p[1] for p in parts)
    px1 = max(p[0] + p[2] for p in parts)
    py1 = max(p[1] + p[3] for p in parts)
    pad = 4  # the recogniser reads a lone character best with a narrow margin (wider lets grain in)
    piece = crop[max(0, py0 - pad):py1 + pad, max(0, px0 - pad):px1 + pad]
    with _ENGINE_LOCK:
        result, _ = engine()(piece, use_det=False, use_cls=False)
    if not result:
        return ""
    text, score = result[0][0], float(result[0][1])
    return text.strip() if score >= MIN_SCORE else ""


def _grid(frame: _Frame, boxes: list[Box], image=None, dpi: float = 200.0) -> Table | None:
    """The frame's cells with their text: positions without a rule between them are one merged
    cell, its text repeated over each position (spans mark the copies). `image` (the page with
    its rules erased): where given, a cell holding ink but no box gets a second look."""
    n_rows, n_cols = len(frame.ys) - 1, len(frame.xs) - 1
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not frame.v_rule[r][c + 1]:
                union(r * n_cols + c, r * n_cols + c + 1)
            if r + 1 < n_rows and not frame.h_rule[r + 1][c]:
                union(r * n_cols + c, (r + 1) * n_cols + c)
    members: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            members.setdefault(find(r * n_cols + c), []).append((r, c))
    # each box goes to the grid position holding its centre
    inside: dict[int, list[Box]] = {}
    for box in boxes:
        col = next((k for k in range(n_cols) if frame.xs[k] <= box.cx < frame.xs[k + 1]), None)
        row = next((k for k in range(n_rows) if frame.ys[k] <= box.cy < frame.ys[k + 1]), None)
        if row is not None and col is not None:
            inside.setdefault(find(row * n_cols + col), []).append(box)
    rows = [[""] * n_cols for _ in range(n_rows)]
    spans = [[False] * n_cols for _ in range(n_rows)]
    for root, cells in members.items():
        text = _cell_text(inside.get(root, []))
        if not text and image is not None:
            text = fix_numeric(_second_look(image, frame, cells, dpi))
        origin = min(cells)
        for r, c in cells:
            rows[r][c] = text
            spans[r][c] = (r, c) != origin
    # a band of the grid made only by a stray stroke (no cell starts in it) is dropped
    keep_cols = [c for c in range(n_cols) if any(not spans[r][c] for r in range(n_rows))]
    keep_rows = [r for r in range(n_rows) if any(not spans[r][c] for c in range(n_cols))]
    rows = [[rows[r][c] for c in keep_cols] for r in keep_rows]
    span_rows = [[spans[r][c] for c in keep_cols] for r in keep_rows]
    if len(rows) < 2 or len(keep_cols) < 2 or not any(any(row) for row in rows):
        return None
    return Table(rows=rows, spans=span_rows)


def _snap_sizes(sizes: list[float]) -> list[float]:
    """Box heights vary with the characters boxed: sizes within 15% of the page's body size are
    the body size, so pdf.py's paragraph joining (same print size) sees one print."""
    if not sizes:
        return sizes
    body = median(sizes)
    return [body if abs(s - body) <= 0.15 * body else s for s in sizes]


@dataclass
class OcrLine:
    """One visual line of a page, in PDF points (top-down); `size` approximates the print size."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass
class OcrPage:
    """What OCR read on one page: its text lines and its ruled tables (with their tops), in PDF
    points, for pdf.py to assemble like a text layer's."""

    lines: list[OcrLine]
    tables: list[tuple[Table, float]]
    chars: int = 0
    skew: float = 0.0


def _ocr_line(boxes: list[Box], scale: float, size: float) -> OcrLine:
    return OcrLine(text=_line_text(boxes), x0=min(b.x0 for b in boxes) / scale, x1=max(b.x1 for b in boxes) / scale,
                   top=min(b.top for b in boxes) / scale, bottom=max(b.bottom for b in boxes) / scale,
                   size=round(size, 1))


def read_image(gray, scale: float) -> OcrPage:
    """OCR one page image (grayscale numpy array, `scale` pixels per PDF point): text lines and
    ruled tables, with positions in PDF points."""
    if int((gray < 160).sum()) < 50:
        return OcrPage(lines=[], tables=[])  # a blank page (or glyphs pdfium draws as nothing)
    gray = denoise(gray)
    angle = skew_angle(gray)
    gray = straighten(gray, angle)
    frames, rules = find_tables(gray, scale * 72)
    clean = gray.copy()
    clean[rules > 0] = 255
    with _ENGINE_LOCK:
        result, _ = engine()(clean, use_cls=False, return_word_box=True)
    boxes = _boxes(result)
    free = []
    owned: dict[int, list[Box]] = {}
    for box in boxes:
        k = next((i for i, f in enumerate(frames)
                  if f.x0 <= box.cx <= f.x1 and f.top <= box.cy <= f.bottom), None)
        if k is None:
            free.append(box)
        else:
            owned.setdefault(k, []).extend(split_at(box, frames[k].xs))
    vlines = _visual_lines(free)
    sizes = _snap_sizes([median(b.height for b in ln) / scale / 1.15 for ln in vlines])
    page = OcrPage(lines=[], tables=[], chars=sum(len(b.text) for b in boxes), skew=angle)
    for ln, size in zip(vlines, sizes):
        line = _ocr_line(ln, scale, size)
        if line.text:
            page.lines.append(line)
    for k, frame in enumerate(frames):
        table = _grid(frame, owned.get(k, []), clean, scale * 72)
        if table is not None:
            page.tables.append((table, frame.top / scale))
        else:  # not a grid after all: its text is read as lines
            page.lines += [_ocr_line(ln, scale, sizes[0] if sizes else 10.0)
                           for ln in _visual_lines(owned.get(k, []))]
    page.lines.sort(key=lambda ln: ln.top)
    logger.debug("OCR page: skew %.2f deg, %d boxes, %d tables", angle, len(boxes), len(page.tables))
    return page


# --- PDF pages -----------------------------------------------------------------------------------
def _render(pdf, index: int) -> tuple[Any, float]:
    """(grayscale image, pixels per point) of one page."""
    page = pdf[index]
    try:
        width, height = page.get_size()
        scale = OCR_DPI / 72
        if width * height * scale * scale > MAX_PIXELS:
            scale = (MAX_PIXELS / (width * height)) ** 0.5
        bitmap = page.render(scale=scale, grayscale=True, rotation=0)
        try:
            image = bitmap.to_numpy().copy()
        finally:
            bitmap.close()
    finally:
        page.close()
    if image.ndim == 3:
        image = image[:, :, 0]
    return image, scale


def ocr_pdf(data: bytes, indexes: list[int], *, deadline: float,
            lock: threading.Lock | None = None) -> dict[int, OcrPage | str]:
    """OCR the pages `indexes` (0-based) of a PDF, in order, until `deadline` (time.monotonic())
    or MAX_OCR_PAGES: for each, what OCR read, or why it read nothing (a reason). `lock` guards
    pdfium, which is not thread-safe (pdf.py's)."""
    lock = lock or threading.Lock()
    if not indexes:
        return {}
    if not available():
        return dict.fromkeys(indexes, "OCR is not installed")
    import pypdfium2 as pdfium

    out: dict[int, OcrPage | str] = {}
    slowest = slowest_cpu = PAGE_SECONDS
    with lock:
        pdf = pdfium.PdfDocument(data)
    try:
        for n, i in enumerate(indexes):
            if n >= MAX_OCR_PAGES:
                out[i] = f"not read by OCR (only the first {MAX_OCR_PAGES} pages are)"
                continue
            if time.monotonic() + slowest > deadline:
                out[i] = "not read by OCR (the time budget is spent)"
                continue
            cpu_left = cpu_seconds_left()
            if cpu_left is not None and cpu_left < slowest_cpu:
                # the process's CPU budget (a crawl worker's, govcrawl/limits.py) would kill it in
                # the middle of the page, losing the pages already read
                out[i] = "not read by OCR (the CPU budget is spent)"
                continue
            started, cpu_started = time.monotonic(), cpu_used()
            try:
                with lock:
                    image, scale = _render(pdf, i)
                page = read_image(image, scale)
            except Exception as exc:  # a page OCR cannot read stays flagged; the others are read
                logger.warning("OCR of page %s failed: %s: %s", i + 1, type(exc).__name__, exc)
                out[i] = f"OCR failed ({type(exc).__name__}: {exc})"
                continue
            slowest = max(slowest, time.monotonic() - started)
            slowest_cpu = max(slowest_cpu, cpu_used() - cpu_started)
            out[i] = page if (page.lines or page.tables) else "OCR found no text"
    finally:
        with lock:
            pdf.close()
    return out
