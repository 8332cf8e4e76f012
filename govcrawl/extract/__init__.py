"""Extraction: fetched pages and texts -> ReportDocument (govcrawl/document.py).

The package face only re-exports; each job has its module:
- `html`: HTML -> document, in steps over one parsed tree (page_meta, index_block, report_tables,
  narrative, titles); `text`: a report's plain text -> document;
- `readable`: binary input is no page (NotAPageError); `encoding`: charsets; `tables`: HTML tables
  as grids; `tree`: shared tree operations.
Line rules for page chrome are in govcrawl/text/chrome.py.
"""

from govcrawl.extract.html import document_from_html
from govcrawl.extract.readable import NotAPageError, check_readable, looks_binary
from govcrawl.extract.text import document_from_text

__all__ = ["NotAPageError", "check_readable", "document_from_html", "document_from_text", "looks_binary"]
