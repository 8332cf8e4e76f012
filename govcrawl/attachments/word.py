"""DOCX report -> ReportDocument (python-docx's XML tree).

The body is walked in document order, so paragraphs and tables keep their sequence (python-docx's
`Document.paragraphs` / `.tables` lose it). Tables are expanded on the underlying grid: `w:gridSpan`
repeats a cell to the right, `w:vMerge` continuation cells repeat the text of the cell above
(Word stores them as empty cells), `w:hMerge` (Word 97 documents converted by LibreOffice) likewise
to the right. Headers and footers live in other parts of the package and are never read.
"""

from __future__ import annotations

import io
import re
import zipfile

from govcrawl.attachments.errors import AttachmentError
from govcrawl.document import ReportDocument, Table
from govcrawl.text.normalize import clean_spaces

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: sane upper bound on a gridSpan (a broken file must not blow the grid up)
MAX_SPAN = 64


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _open_body(data: bytes):
    """The `w:body` element. python-docx refuses some packages that are valid documents for our
    purposes (a .docm, or a WPS export with an odd content type): those are read from the zip."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        return document.element.body, document.core_properties.title or ""
    except (PackageNotFoundError, zipfile.BadZipFile) as exc:
        raise AttachmentError(f"corrupt DOCX: {type(exc).__name__}: {exc}") from exc
    except ValueError:
        pass  # "file is not a Word file, content type is ..."
    except Exception as exc:
        raise AttachmentError(f"corrupt DOCX: {type(exc).__name__}: {exc}") from exc
    try:
        from docx.oxml.parser import parse_xml

        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            root = parse_xml(zf.read("word/document.xml"))
    except Exception as exc:
        raise AttachmentError(f"corrupt DOCX: {type(exc).__name__}: {exc}") from exc
    body = root.find(_w("body"))
    if body is None:
        raise AttachmentError("corrupt DOCX: word/document.xml has no body")
    return body, ""


def document_from_docx(data: bytes, url: str, *, source: str = "docx") -> ReportDocument:
    body, core_title = _open_body(data)
    doc = ReportDocument(url=url, source=source)
    paragraphs: list[tuple[str, bool]] = []  # (text, centred or title-styled) for title finding
    for kind, value in _blocks(body):
        if kind == "p":
            text, centred = value
            for part in text.split("\n"):
                part = clean_spaces(part)
                if part:
                    doc.lines.append(part)
                    paragraphs.append((part, centred))
        else:
            table: Table = value
            if doc.lines:
                table.caption = doc.lines[-1]
            doc.tables.append(table)
    doc.titles = _titles(paragraphs, core_title)
    return doc


# --- walking the body ------------------------------------------------------------------------------
def _blocks(parent):
    """("p", (text, centred)) and ("table", Table) in document order; content controls (w:sdt)
    are transparent; a one-column table (a frame around text) is read as its paragraphs."""
    for child in parent.iterchildren():
        tag = child.tag
        if tag == _w("p"):
            for box in _text_boxes(child):
                yield "p", (box, False)
            yield "p", (_paragraph_text(child), _is_centred(child))
        elif tag == _w("tbl"):
            table = _table_grid(child)
            if table is None:
                continue
            if len(table.rows[0]) < 2 or (len(table.rows) < 2 and _is_layout(table)):
                for row in table.rows:
                    for text in dict.fromkeys(row):  # merged copies once
                        if text:
                            yield "p", (text, False)
            else:
                yield "table", table
        elif tag == _w("sdt"):
            content = child.find(_w("sdtContent"))
            if content is not None:
                yield from _blocks(content)


def _is_layout(table: Table) -> bool:
    return sum(1 for cell in table.rows[0] if cell) <= 1


def _in_fallback(el, stop) -> bool:
    node = el.getparent()
    while node is not None and node is not stop:
        if node.tag == f"{{{MC}}}Fallback":
            return True
        node = node.getparent()
    return False


def _inside(el, tag: str, stop) -> bool:
    node = el.getparent()
    while node is not None and node is not stop:
        if node.tag == tag:
            return True
        node = node.getparent()
    return False


def _paragraph_text(p) -> str:
    """A paragraph's text as printed: runs, hyperlinks, fields' results; tabs as spaces, line breaks
    as newlines; text boxes (read separately) and the duplicate mc:Fallback content left out."""
    parts = []
    txbx = _w("txbxContent")
    for el in p.iter(_w("t"), _w("tab"), _w("br"), _w("cr"), _w("noBreakHyphen")):
        if _inside(el, txbx, p) or _in_fallback(el, p):
            continue
        if el.tag == _w("t"):
            parts.append(el.text or "")
        elif el.tag == _w("tab"):
            if el.getparent().tag == _w("r"):  # not a tab stop definition in w:pPr
                parts.append(" ")
        elif el.tag in (_w("br"), _w("cr")):
            parts.append("\n")
        else:
            parts.append("-")
    return "".join(parts)


def _text_boxes(p) -> list[str]:
    out = []
    for box in p.iter(_w("txbxContent")):
        if _in_fallback(box, p):
            continue
        for inner in box.iter(_w("p")):
            text = clean_spaces(_paragraph_text(inner))
            if text:
                out.append(text)
    return out


def _is_centred(p) -> bool:
    ppr = p.find(_w("pPr"))
    if ppr is None:
        return False
    jc = ppr.find(_w("jc"))
    style = ppr.find(_w("pStyle"))
    style_id = (style.get(_w("val")) or "").lower() if style is not None else ""
    return (jc is not None and jc.get(_w("val")) == "center") or style_id in ("title", "heading1", "1")


def _cell_text(tc) -> str:
    """A cell's paragraphs joined by a space (as an HTML <p>/<br> inside a cell reads)."""
    texts = [clean_spaces(_paragraph_text(p)) for p in tc.iter(_w("p"))]
    return clean_spaces(" ".join(t for t in texts if t))


def _int_attr(el, tag: str, default: int) -> int:
    if el is None:
        return default
    found = el.find(_w(tag))
    if found is None:
        return default
    try:
        return max(0, min(int(found.get(_w("val"), default)), MAX_SPAN))
    except ValueError:
        return default


def _row_cells(tr):
    for child in tr.iterchildren():
        if child.tag == _w("tc"):
            yield child
        elif child.tag == _w("sdt"):
            content = child.find(_w("sdtContent"))
            if content is not None:
                yield from (tc for tc in content.iterchildren(_w("tc")))


def _rows(tbl):
    for child in tbl.iterchildren():
        if child.tag == _w("tr"):
            yield child
        elif child.tag == _w("sdt"):
            content = child.find(_w("sdtContent"))
            if content is not None:
                yield from content.iterchildren(_w("tr"))


def _table_grid(tbl) -> Table | None:
    grid: list[list[str]] = []
    spans: list[list[bool]] = []
    for tr in _rows(tbl):
        trpr = tr.find(_w("trPr"))
        row: list[str] = []
        row_spans: list[bool] = []
        before = _int_attr(trpr, "gridBefore", 0)
        row.extend([""] * before)
        row_spans.extend([False] * before)
        for tc in _row_cells(tr):
            tcpr = tc.find(_w("tcPr"))
            span = max(1, _int_attr(tcpr, "gridSpan", 1))
            vmerge = tcpr.find(_w("vMerge")) if tcpr is not None else None
            hmerge = tcpr.find(_w("hMerge")) if tcpr is not None else None
            col = len(row)
            if vmerge is not None and vmerge.get(_w("val"), "continue") != "restart" and grid:
                # continuation of the merged cell above: Word stores it empty
                above = grid[-1][col] if col < len(grid[-1]) else ""
                row.extend([above] * span)
                row_spans.extend([True] * span)
                continue
            if hmerge is not None and hmerge.get(_w("val"), "continue") != "restart" and row:
                row.extend([row[-1]] * span)
                row_spans.extend([True] * span)
                continue
            text = _cell_text(tc)
            row.extend([text] * span)
            row_spans.extend([False] + [True] * (span - 1))
        grid.append(row)
        spans.append(row_spans)
    if not grid:
        return None
    width = max(len(r) for r in grid)
    if not width:
        return None
    rows = [r + [""] * (width - len(r)) for r in grid]
    span_rows = [s + [False] * (width - len(s)) for s in spans]
    return Table(rows=rows, spans=span_rows)


def _titles(paragraphs: list[tuple[str, bool]], core_title: str) -> list[str]:
    """The centred (or Title-styled) paragraphs that open the document, joined; then the file's
    own title property when it is Chinese text; else the first paragraph."""
    out = []
    lead = []
    for text, centred in paragraphs[:6]:
        if centred:
            lead.append(text)
        elif lead:
            break
    # a centred block at the top is the title unless it is only a document number (`X府发〔2021〕1号`)
    lead = [t for t in lead if not re.fullmatch(r".*〔\d{4}〕\d+号", t)]
    if lead:
        out.append("".join(lead[:3]))
    core_title = clean_spaces(core_title or "")
    if core_title and _CJK.search(core_title) and core_title not in out:
        out.append(core_title)
    if not out and paragraphs:
        out.append(paragraphs[0][0])
    return out
