"""Statistics tables -> cells and checks (docs/report-schema.md).

    read_statistics(tables, lines, year=None) -> {"format", "cells", "checks"}

Every source is first cut into rows of cell strings (HTML/DOCX/PDF grids as they are, text lines
through govcrawl.parse.text_tables), then one reader walks the rows with a format definition
(govcrawl/formats) and decides, from the labels alone, what each row is: a table title or part
caption, a header row, a data row, or an unknown row with numbers (kept as `other:<label>`).
The format is chosen by reading the rows with each format and keeping the one that recognises
most rows and headers, so a 2019 report printed on the old 统计表 reads as `statistics`.
Values are kept as printed; identities that fail are reported by the checks, never corrected.

The package is split by job:

- read.py: read_statistics, reading with every format and choosing among them;
- reader.py: the row reader (what each row is, the state a table spreads over rows);
- rows.py: one row's label and value cells, value alignment, grid rows;
- matcher.py: labels -> format rows, columns, titles and part captions.

Only `read_statistics` is public; the modules are imported by path where their parts are needed.
"""

from govcrawl.parse.statistics.read import read_statistics

__all__ = ["read_statistics"]
