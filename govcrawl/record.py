"""The report record of docs/report-schema.md: its keys, and a new empty record.

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
    "agency_key",    # govcrawl.agencies.agency_key of `agency`: `520400:民政局`
    "region_code",   # the 6-digit division code of the agency: `520400`
    "agency_level",  # govcrawl.agencies.agency_level: `prefecture-department`
    "agency_source",  # where `agency` was found (govcrawl.parse.agency): title, intro, ..., hint; null
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
        "agency_key": None,
        "region_code": None,
        "agency_level": None,
        "agency_source": None,
    }


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
