"""PLACEHOLDER (to be replaced by the report parser): ReportDocument -> record."""

from __future__ import annotations

from govcrawl.document import ReportDocument
from govcrawl.parse.statistics import read_statistics
from govcrawl.record import new_record


def parse_document(doc: ReportDocument) -> dict:
    record = new_record(doc.url)
    record["source"] = doc.source
    record["title"] = (doc.titles or [doc.hints.get("title", "")])[0]
    record["text"] = "\n".join(doc.lines)
    record["meta"] = dict(doc.meta)
    record["attachments"] = list(doc.attachments)
    record["flags"] = list(doc.flags)
    record["is_report"] = "报告" in record["title"] or "年报" in record["title"]
    record.update(read_statistics(doc.tables, doc.lines))
    return record
