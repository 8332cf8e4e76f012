"""PLACEHOLDER (to be replaced by the attachment readers): PDF/DOCX/DOC/WPS -> ReportDocument."""

from __future__ import annotations

from govcrawl.document import ReportDocument


def document_from_attachment(data: bytes, kind: str, url: str) -> ReportDocument:
    return ReportDocument(url=url, source=kind, flags=["unsupported_attachment"])
