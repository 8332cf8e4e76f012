"""Parsing: ReportDocument -> the record of docs/report-schema.md, whatever the document's source.

The package face only re-exports `parse_document` (govcrawl/parse/report.py). Each job has its
module: `identity` (title, agency, year, published, signature), `sections`, `statistics` (the
tables, read with the format definitions of govcrawl/formats/), `checks`, `values`, `text_tables`,
`dates`.
"""

from govcrawl.parse.report import parse_document

__all__ = ["parse_document"]
