"""Feed exporters: `scrapy crawl X -O out.csv` writes nested fields (cells, checks, sections, meta,
signature, attachments, flags) as JSON, not as Python reprs (settings.FEED_EXPORTERS).

Scrapy's CsvItemExporter joins lists of strings with commas and writes anything else with
str(), so a record's `cells` became `[{'table': 'active', ...}]`, which no JSON reader parses.
"""

from __future__ import annotations

import json

from scrapy.exporters import CsvItemExporter


class JsonFieldsCsvItemExporter(CsvItemExporter):
    """CSV with every dict or list field as one JSON text (UTF-8, not \\u escapes)."""

    def serialize_field(self, field, name, value):
        if isinstance(value, (dict, list, tuple)):
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, bool):
            return "true" if value else "false"  # as JSON says it, like the nested fields
        return super().serialize_field(field, name, value)
