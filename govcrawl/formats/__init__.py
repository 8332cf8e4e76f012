"""Statistics table formats as data (see base.py for the vocabulary).

`FORMATS` is tried in order by `govcrawl.parse.statistics.read_statistics`; the one whose rows and
headers the report's tables match best wins (never the report year).
"""

from __future__ import annotations

from govcrawl.formats import f2019, f2021, statistics
from govcrawl.formats.base import Col, Format, Identity, Row, TableDef

FORMATS: tuple[Format, ...] = (statistics.FORMAT, f2019.FORMAT, f2021.FORMAT)
BY_NAME = {f.name: f for f in FORMATS}

__all__ = ["FORMATS", "BY_NAME", "Col", "Format", "Identity", "Row", "TableDef"]
