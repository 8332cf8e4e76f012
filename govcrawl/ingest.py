"""Fetched bytes -> the report record: the one place that joins extraction, attachments and parsing.

`record_from_bytes` sniffs the body kind (HTML page, plain text, PDF/DOCX/DOC/WPS attachment),
builds a ReportDocument with govcrawl.extract or govcrawl.attachments, and parses it with
govcrawl.parse. It is a plain function: the crawl's ExtractPipeline, `govcrawl extract`/`parse` and
`govcrawl reparse` all call it.
"""

from __future__ import annotations

from typing import Any

from govcrawl import agencies
from govcrawl.attachments import document_from_attachment
from govcrawl.errors import BadInputError
from govcrawl.extract import document_from_html, document_from_text
from govcrawl.extract.encoding import decode_html, decode_text
from govcrawl.items import PageHints
from govcrawl.parse import parse_document
from govcrawl.record import content_hash

#: an HTML page or text larger than this is refused before it is decoded or parsed: report pages
#: are tens to hundreds of KB, and parsing tens of MB costs seconds of CPU and GBs of memory
MAX_PAGE_BYTES = 10 * 1024 * 1024


class PageTooLargeError(BadInputError):
    """An HTML page or text over MAX_PAGE_BYTES."""


def sniff_kind(data: bytes, content_type: str | None = None, url: str = "") -> str:
    """What a fetched body is: html, text, pdf, docx, doc (OLE: DOC and WPS), xlsx, other."""
    head = data[:2048]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in data[:65536] or url.lower().endswith(".docx"):
            return "docx"
        if b"xl/" in data[:65536]:
            return "xlsx"
        return "other"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "wps" if url.lower().endswith(".wps") else "doc"
    ct = (content_type or "").lower()
    if "pdf" in ct:
        return "pdf"
    lowered = head.lower()
    if "html" in ct or b"<html" in lowered or b"<!doctype" in lowered or b"<body" in lowered \
            or b"<table" in lowered or b"<div" in lowered or b"<p>" in lowered:
        return "html"
    return "text"


def agency_identity(agency: str, region_code: str | None = None) -> dict[str, str | None]:
    """`agency_key`, `region_code`, `agency_level` of a record (docs/report-schema.md) from its
    agency name and the crawl's region hint (the spider's or the catalog row's region, which
    places a name without a division: `市民政局`). All None when the name is empty or neither it
    nor the hint gives a division: a key without a code (`:民政局`) would join unrelated agencies."""
    none: dict[str, str | None] = {"agency_key": None, "region_code": None, "agency_level": None}
    if not agency.strip():
        return none
    identity = agencies.identify(agency, region_code or None)
    if not identity.region_code:
        return none
    return {"agency_key": identity.key, "region_code": identity.region_code,
            "agency_level": identity.level or None}


def check_size(data: bytes, kind: str) -> None:
    """Raise PageTooLargeError for an HTML or text body over MAX_PAGE_BYTES: refused before it is
    decoded or parsed (a crawl checks before the body is handed to a worker)."""
    if kind in ("html", "text") and len(data) > MAX_PAGE_BYTES:
        raise PageTooLargeError(f"the page is {len(data) / 2**20:.1f} MB, over the "
                                f"{MAX_PAGE_BYTES / 2**20:.0f} MB limit for HTML and text pages")


def record_from_bytes(data: bytes, url: str, *, content_type: str | None = None,
                      encoding: str | None = None, hints: PageHints | dict | None = None,
                      kind: str | None = None) -> dict[str, Any]:
    """Extract and parse one fetched body (a page, a text file or an attachment) into a record.

    `hints` (what the crawl knew of the page) may come as a dict: that is how versions store them.
    """
    kind = kind or sniff_kind(data, content_type, url)
    check_size(data, kind)
    if kind == "html":
        text = decode_html(data, declared=encoding, content_type=content_type)
        doc = document_from_html(text, url)
    elif kind in ("pdf", "docx", "doc", "wps"):
        doc = document_from_attachment(data, kind, url)
    else:
        doc = document_from_text(decode_text(data, declared=encoding), url)
    if hints is not None:
        doc.hints = hints if isinstance(hints, PageHints) else PageHints.from_dict(hints)
    record = parse_document(doc)
    record.update(agency_identity(record.get("agency") or "", doc.hints.region_code))
    record["content_hash"] = content_hash(data)
    if doc.hints.source_url:
        record["source_url"] = doc.hints.source_url
    return record
