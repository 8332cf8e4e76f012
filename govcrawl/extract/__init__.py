"""PLACEHOLDER (to be replaced by the HTML extractor): HTML -> ReportDocument."""

from __future__ import annotations

from lxml import html as lxml_html

from govcrawl.document import ReportDocument
from govcrawl.extract.tables import html_tables


def document_from_html(text: str, url: str) -> ReportDocument:
    root = lxml_html.fromstring(text)
    titles = [t.strip() for t in root.xpath("//title/text()") if t.strip()]
    lines = [t.strip() for t in root.xpath("//body//text()") if t.strip()]
    return ReportDocument(url=url, source="html", titles=titles, lines=lines,
                          tables=html_tables(root))
