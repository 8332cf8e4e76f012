"""ReportDocument -> the record of docs/report-schema.md: identity, sections, statistics, and
whether the document is a report at all."""

from __future__ import annotations

import logging
import re

from govcrawl.document import ReportDocument, Table
from govcrawl.parse import identity
from govcrawl.parse.agency import find_agency
from govcrawl.parse.sections import split_sections
from govcrawl.parse.statistics import read_statistics
from govcrawl.record import new_record
from govcrawl.text.normalize import clean_spaces, compact, nfkc, normalize_label
from govcrawl.text.vocabulary import BODY_DISCLOSURE_WORD, BODY_REPORT_WORD

log = logging.getLogger(__name__)

# the canonical section headings of the 2019/2021 formats (a body that has them is a report)
_CANONICAL = ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
              "行政复议", "存在的主要问题及改进情况", "其他需要报告的事项")
_STAT_TABLE_MARKERS = re.compile(r"政府信息公开情况统计表|收到和处理政府信息公开申请情况|申请人情况|"
                                 r"统计指标.{0,4}单位.{0,4}统计数|本年新收政府信息公开申请数量")
_MIN_BODY_CHARS = 80  # a JavaScript shell or an empty page has (almost) no body


def row_lines(table: Table) -> list[str]:
    """Each table row as one line of cells joined by ' | ' (merged-cell copies left out)."""
    out = []
    for r, row in enumerate(table.rows):
        spans = table.spans[r] if table.spans and r < len(table.spans) else [False] * len(row)
        cells = [clean_spaces(c) for c, copy in zip(row, spans) if not copy]
        if any(cells):
            out.append(" | ".join(cells).strip())
    return out


def table_lines(tables: list[Table]) -> list[str]:
    """Tables as text lines: caption, then one line per row."""
    out = []
    for table in tables:
        if table.caption:
            out.append(table.caption)
        out.extend(row_lines(table))
    return out


def inline_tables(lines: list[str], tables: list[Table]) -> list[str]:
    """Body lines with each table's rows put back where the table stood: after its caption line
    (found in order), or right after the previous table; tables that cannot be placed go last."""
    placed: dict[int, list[str]] = {}
    rest: list[Table] = []
    cursor = -1  # index of the line after which the previous table was placed
    for table in tables:
        at = None
        caption = compact(nfkc(table.caption or ""))
        if caption:
            for i in range(max(cursor, 0), len(lines)):
                if compact(nfkc(lines[i])) == caption:
                    at = i
                    break
        elif cursor >= 0:
            at = cursor
        if at is None:
            rest.append(table)
            continue
        placed.setdefault(at, []).extend(row_lines(table))
        cursor = at
    out: list[str] = []
    for i, line in enumerate(lines):
        out.append(line)
        out.extend(placed.get(i, []))
    return out + table_lines(rest)


def _has_statistics_table(doc: ReportDocument) -> bool:
    for table in doc.tables:
        if _STAT_TABLE_MARKERS.search(normalize_label(" ".join(c for r in table.rows for c in r))):
            return True
        if _STAT_TABLE_MARKERS.search(normalize_label(table.caption or "")):
            return True
    return any(_STAT_TABLE_MARKERS.search(normalize_label(line)) for line in doc.lines)


def _body_says_report(lines: list[str]) -> bool:
    """A narrative sentence about this year's disclosure report (not a link in a listing)."""
    for line in lines[:80]:
        t = normalize_label(line)
        if len(t) < 40 or not re.search(r"[。,;]", t):
            continue
        if BODY_REPORT_WORD.search(t) and BODY_DISCLOSURE_WORD.search(t) and re.search(r"(?:19|20)\d{2}", t):
            return True
    return False


def _canonical_sections(sections: list[dict]) -> int:
    return sum(1 for s in sections if any(c in normalize_label(s["heading"]) for c in _CANONICAL))


def decide_is_report(title: str, doc: ReportDocument, sections: list[dict], fmt: str,
                     year: int | None, filled: bool = True) -> bool:
    body_chars = sum(len(compact(line)) for line in doc.lines)
    if fmt and fmt != "none" and (filled or identity.is_report_title(title)):
        # a statistics table makes a report, unless it is a blank form under another document's
        # title or none (a 统计制度 notice with its empty 统计表): then the body decides
        return True
    if identity.is_notice_title(title):
        return False
    if body_chars < _MIN_BODY_CHARS and not doc.tables:
        return False  # a JavaScript shell, an empty page: the title alone proves nothing
    if identity.is_report_title(title):
        return True
    if title and year is None:
        return False
    if _has_statistics_table(doc):
        return True
    if _body_says_report(doc.lines):
        return True
    return _canonical_sections(sections) >= 3


def parse_document(doc: ReportDocument) -> dict:
    record = new_record(doc.url)
    record["source"] = doc.source
    record["flags"] = list(doc.flags)
    record["meta"] = dict(doc.meta)
    record["attachments"] = list(doc.attachments)

    # HTML: tables are not in doc.lines; put their rows back in place for the text and sections
    lines = list(doc.lines) if doc.source == "text" else inline_tables(list(doc.lines), doc.tables)
    titles = [identity.clean_title(t) for t in doc.titles if t]
    hint_title = identity.clean_title(doc.hints.title)
    if hint_title:
        titles.append(hint_title)
    # the 索引号 block's 标题/信息名称/名称 is the document's name as the site files it
    for key in ("标题", "信息名称", "名称"):
        value = identity.clean_title(doc.meta.get(key, ""))
        if value and value not in titles:
            titles.append(value)
    titles = [t for t in titles if t]
    # best title: the first report-like one, else the first one
    title = next((t for t in titles if identity.is_report_title(t)), titles[0] if titles else "")
    record["title"] = title

    signature, sig_start = identity.find_signature(lines)
    record["signature"] = signature
    record["sections"] = split_sections(lines, stop_at=sig_start)

    record["published"] = identity.published_date(doc.page_meta, doc.meta, doc.byline_dates,
                                                   doc.hints.published, signature)
    year = identity.year_from_title(title) if title else None
    if year is None:
        year = identity.year_from_body(lines + [t.caption for t in doc.tables if t.caption])
    if year is None and record["published"]:
        year = int(record["published"][:4]) - 1
    record["year"] = year

    # statistics: another module's code; a failure there must not lose the record
    try:
        stats = read_statistics(doc.tables, doc.lines, year=year)
    except Exception as exc:
        log.warning("statistics failed for %s: %s: %s", doc.url, type(exc).__name__, exc)
        stats = {"format": "none", "cells": [], "checks": []}
        record["flags"].append("statistics_error")
    record["format"] = stats.get("format") or "none"
    record["cells"] = list(stats.get("cells") or [])
    record["checks"] = list(stats.get("checks") or [])

    record["agency"], record["agency_source"] = find_agency(title, doc, lines, signature)
    filled = any(c.get("raw") for c in record["cells"])
    record["is_report"] = decide_is_report(title, doc, record["sections"], record["format"], year, filled)
    if not record["is_report"] and doc.attachments and identity.is_report_title(title):
        # a report title over a near-empty body ("详见附件"): the report is the attached file, whose
        # own record (source_url = this page) carries it
        record["flags"].append("report_in_attachment")
    record["text"] = "\n".join(lines)
    return record
