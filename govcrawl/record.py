"""The report record of shared/spec/report-schema.md: its keys, and building one from fetched bytes.

Downstream databases join on these keys and codes: add keys, never rename or drop them.
"""

from __future__ import annotations

import hashlib
from typing import Any

#: the spec's keys, in the spec's order
SPEC_KEYS = (
    "url", "is_report", "title", "agency", "year", "published", "format", "meta", "text",
    "sections", "cells", "checks", "attachments", "signature",
)
#: keys govcrawl adds (allowed by the spec: "Add keys where users need more")
EXTRA_KEYS = (
    "source",        # html | text | pdf | docx | doc | wps
    "flags",         # e.g. ["needs_ocr"], ["charset_fallback"]
    "content_hash",  # sha256 of the fetched bytes
    "source_url",    # for an attachment-only report: the detail page that linked it
)
FORMATS = ("statistics", "2019", "2021", "none")
ATTACHMENT_TYPES = ("pdf", "doc", "docx", "wps", "xls", "xlsx", "other")


def new_record(url: str) -> dict[str, Any]:
    return {
        "url": url,
        "is_report": False,
        "title": "",
        "agency": "",
        "year": None,
        "published": None,
        "format": "none",
        "meta": {},
        "text": "",
        "sections": [],
        "cells": [],
        "checks": [],
        "attachments": [],
        "signature": None,
        "source": "html",
        "flags": [],
        "content_hash": None,
        "source_url": None,
    }


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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


def record_from_bytes(data: bytes, url: str, *, content_type: str | None = None,
                      encoding: str | None = None, hints: dict | None = None,
                      kind: str | None = None) -> dict[str, Any]:
    """Extract and parse one fetched body (a page, a text file or an attachment) into a record.

    Plain function: used by the crawl's ExtractPipeline, `govcrawl extract`/`parse` and `reparse`.
    """
    from govcrawl.parse import parse_document

    kind = kind or sniff_kind(data, content_type, url)
    if kind == "html":
        from govcrawl.extract import document_from_html
        from govcrawl.extract.encoding import decode_html

        text = decode_html(data, declared=encoding, content_type=content_type)
        doc = document_from_html(text, url)
    elif kind in ("pdf", "docx", "doc", "wps"):
        from govcrawl.attachments import document_from_attachment

        doc = document_from_attachment(data, kind, url)
    else:
        from govcrawl.extract.encoding import decode_text
        from govcrawl.parse.text import document_from_text

        doc = document_from_text(decode_text(data, declared=encoding), url)
    if hints:
        doc.hints.update(hints)
    record = parse_document(doc)
    record["content_hash"] = content_hash(data)
    if hints and hints.get("source_url"):
        record["source_url"] = hints["source_url"]
    return record
