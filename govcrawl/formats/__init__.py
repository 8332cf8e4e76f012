"""Statistics table formats as data (see base.py for the vocabulary).

- statistics.py: the pre-2019 统计表; f2019.py, f2021.py: the 60号 and 30号 layouts; common.py:
  tables 三 and 四 and their identities, shared by both;
- render.py: prints any of them as a page would (HTML and the flattened text forms), for tests and
  the benchmark.

`govcrawl.parse.statistics.read_statistics` reads a report with every format in `FORMATS`; the one
whose rows and headers the report's tables match best wins (never the report year).
"""

from __future__ import annotations

from govcrawl.formats import f2019, f2021, statistics
from govcrawl.formats.base import Col, Format, Identity, Row, TableDef

FORMATS: tuple[Format, ...] = (statistics.FORMAT, f2019.FORMAT, f2021.FORMAT)
BY_NAME = {f.name: f for f in FORMATS}

__all__ = ["BY_NAME", "FORMATS", "Col", "Format", "Identity", "Row", "TableDef"]
