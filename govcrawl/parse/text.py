"""PLACEHOLDER (to be replaced by the report parser): text -> ReportDocument."""

from __future__ import annotations

from govcrawl.document import ReportDocument


def document_from_text(text: str, url: str) -> ReportDocument:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return ReportDocument(url=url, source="text", titles=lines[:1], lines=lines)
