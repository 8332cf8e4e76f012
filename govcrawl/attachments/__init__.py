"""Report attachments (PDF, DOCX, DOC, WPS) -> ReportDocument.

Many agencies publish their annual report only as a file linked from a near-empty detail page. The
readers here turn such a file into the same `ReportDocument` that HTML pages give: narrative lines in
reading order (`lines`) and the statistics tables as grids with merged cells repeated (`tables`), so
the normal report parser and statistics reader handle every source alike.

- PDF:  pdfplumber; tables from their ruling lines, text outside the tables in reading order, page
        headers/footers dropped; no text layer or garbled glyphs -> no text and flag `needs_ocr`.
- DOCX: python-docx's XML; body paragraphs and tables in order, gridSpan/vMerge expanded.
- DOC/WPS: converted to DOCX by LibreOffice headless (`soffice`), then read as DOCX.

Unreadable input raises `AttachmentError`, which the crawl's ExtractPipeline reports as a failed
page; nothing here may hang or crash the crawl.
"""

from __future__ import annotations

from govcrawl.attachments.errors import AttachmentError
from govcrawl.document import ReportDocument

__all__ = ["AttachmentError", "document_from_attachment"]

KINDS = ("pdf", "docx", "doc", "wps")


def document_from_attachment(data: bytes, kind: str, url: str) -> ReportDocument:
    """Read one report file (`kind` in pdf, docx, doc, wps) into a ReportDocument."""
    if not data:
        raise AttachmentError(f"empty {kind} file")
    if kind == "pdf":
        from govcrawl.attachments.pdf import document_from_pdf

        return document_from_pdf(data, url)
    if kind == "docx":
        from govcrawl.attachments.word import document_from_docx

        return document_from_docx(data, url)
    if kind in ("doc", "wps"):
        from govcrawl.attachments.office import document_from_legacy_word

        return document_from_legacy_word(data, kind, url)
    raise AttachmentError(f"unsupported attachment kind {kind!r} (expected one of {', '.join(KINDS)})")
