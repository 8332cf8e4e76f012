"""Decoding fetched bytes: the charset traps of Chinese government sites.

- GB2312 and GBK declarations are decoded as GB18030 (a superset): many old pages declare gb2312
  but use GBK characters (陈 → 陳-style variants, 瑢, 镕 ...) that strict GB2312 rejects.
- The HTTP header can lie (utf-8 on a GBK page) and so can <meta>: a declared charset that does
  not decode the body is replaced by one that does.
- With no declaration at all, Scrapy would fall back to cp1252; we try UTF-8, then GB18030.
"""

from __future__ import annotations

import codecs
import re

_GB_FAMILY = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "ms936", "csgb2312", "euc-cn",
              "hz-gb-2312", "gb18030", "windows-936", "x-euc-cn", "chinese"}
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)


def normalize_charset(name: str | None) -> str | None:
    """Canonical codec name; every GB-family name becomes gb18030. None if unknown."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in _GB_FAMILY:
        return "gb18030"
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return None
    if canonical in ("gb2312", "gbk"):
        return "gb18030"
    if canonical in ("ascii", "latin-1", "iso8859-1", "cp1252"):
        # a Chinese page declared as latin-1 is a misdeclaration; decode by content instead
        return None
    return canonical


def header_charset(content_type: str | bytes | None) -> str | None:
    if not content_type:
        return None
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    m = _HEADER_CHARSET.search(content_type)
    return normalize_charset(m.group(1)) if m else None


def meta_charset(body: bytes) -> str | None:
    head = body[:8192]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return normalize_charset(m.group(1).decode("ascii", "ignore")) if m else None


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def detect_encoding(body: bytes, declared: str | None = None,
                    content_type: str | bytes | None = None) -> str:
    """The encoding to decode `body` with. Declarations are tried in order (BOM, HTTP header,
    <meta>, the caller's), and the first that decodes the body strictly wins; then UTF-8, GB18030."""
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    candidates = [header_charset(content_type), meta_charset(body), normalize_charset(declared),
                  "utf-8", "gb18030"]
    for candidate in candidates:
        if candidate and _decodes(body, candidate):
            return candidate
    # nothing decodes cleanly: the best declared guess, decoded with replacement characters
    return next((c for c in candidates if c), "utf-8")


def decode_html(body: bytes, declared: str | None = None,
                content_type: str | bytes | None = None) -> str:
    return body.decode(detect_encoding(body, declared, content_type), errors="replace")


def decode_text(body: bytes, declared: str | None = None) -> str:
    """A report's plain text: UTF-8 (with or without BOM) or GB18030."""
    return body.decode(detect_encoding(body, declared), errors="replace")
