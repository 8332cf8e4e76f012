"""A catalog of real report columns (政府信息公开年报 columns) with the agency each one serves.

columns.csv, one row per agency:

    agency       the agency's name as its reports print it
    key          `govcrawl.agencies.agency_key(agency, region_code)`: unique in the catalog
    region_code  the 6-digit code of the smallest division the agency belongs to
    level        `govcrawl.agencies.agency_level(agency, region_code)` (one of agencies.LEVELS)
    site         the host of column_url
    column_url   the column (listing) where the agency's reports are published
    family       the CMS family that serves the column: trs, hanweb, kunming or plain
    source       where the column URL was seen: a stored page (the column itself, or a report under
                 it whose text or URL shows the column), or a GitHub file

docs/catalog.md tells how the rows were found and which are weaker (a column inferred from the URL
shape of a report under it). `rows()` reads the catalog, `select()` filters it as
`govcrawl catalog list` does, `problems()` is what `govcrawl catalog check` reports.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from govcrawl import agencies, regions

COLUMNS_CSV = Path(__file__).resolve().parent / "columns.csv"
HEADER = ("agency", "key", "region_code", "level", "site", "column_url", "family", "source")
#: the CMS families of govcrawl.cms (`[f.name for f in govcrawl.cms.FAMILIES]`); kept here as data
#: because the catalog is a leaf module, and tests/catalog checks the two lists agree
FAMILIES = ("trs", "hanweb", "kunming", "plain")


@dataclass(frozen=True)
class Column:
    agency: str
    key: str
    region_code: str
    level: str
    site: str
    column_url: str
    family: str
    source: str
    line: int = 0      # the row's line in the file (the header is line 1)

    def as_row(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in HEADER}


def read(path: Path | str | None = None) -> tuple[list[str], list[Column]]:
    """(header, rows) of a catalog file (default: the shipped columns.csv)."""
    with Path(path or COLUMNS_CSV).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        out = [Column(**{name: (row.get(name) or "").strip() for name in HEADER}, line=reader.line_num)
               for row in reader]
    return header, out


def rows(path: Path | str | None = None) -> list[Column]:
    return read(path)[1]


def level_matches(level: str, wanted: str) -> bool:
    """`county` selects county, county-department, county-zone, …; `department` (or `zone`)
    selects every level with that word after the division's; a compound level (prefecture-zone)
    selects only itself."""
    if "-" in wanted:
        return level == wanted
    words = level.split("-")
    return words[0] == wanted or wanted in words[1:]


def select(columns: Iterable[Column], region: str | None = None, level: str | None = None) -> list[Column]:
    """The rows inside `region` (a code: 520400 includes 520402, its trailing 00 pairs dropped) and
    of `level`."""
    out = list(columns)
    if region:
        prefix = regions.region_prefix(region)
        out = [c for c in out if c.region_code.startswith(prefix)]
    if level:
        out = [c for c in out if level_matches(c.level, level)]
    return out


def _url_ok(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in url


def problems(path: Path | str | None = None) -> list[str]:
    """One line per problem in a catalog file; [] when it is sound."""
    header, columns = read(path)
    out: list[str] = []
    if tuple(header) != HEADER:
        out.append(f"header: expected {','.join(HEADER)}, found {','.join(header)}")
    seen: dict[str, int] = {}
    for c in columns:
        at = f"line {c.line}"
        if not c.agency:
            out.append(f"{at}: empty agency")
        if regions.division(c.region_code) is None:
            out.append(f"{at}: region_code {c.region_code!r} is not a current division")
        if not c.key:
            out.append(f"{at}: empty key")
        elif c.agency and regions.division(c.region_code) is not None:
            expected = agencies.identify(c.agency, c.region_code)
            if c.key != expected.key:
                out.append(f"{at}: key {c.key} is not agency_key({c.agency}, {c.region_code}) = {expected.key}")
            if c.level != expected.level:
                out.append(f"{at}: level {c.level!r} is not agency_level(...) = {expected.level!r}")
        if c.key:
            if c.key in seen:
                out.append(f"{at}: duplicate key {c.key} (first on line {seen[c.key]})")
            else:
                seen[c.key] = c.line
        if c.level not in agencies.LEVELS:
            out.append(f"{at}: unknown level {c.level!r}")
        if not _url_ok(c.column_url):
            out.append(f"{at}: column_url {c.column_url!r} is not an http(s) URL with a host")
        elif c.site != urlsplit(c.column_url).hostname:
            out.append(f"{at}: site {c.site!r} is not the host of column_url ({urlsplit(c.column_url).hostname})")
        if c.family not in FAMILIES:
            out.append(f"{at}: unknown family {c.family!r} (known: {', '.join(FAMILIES)})")
        if not c.source:
            out.append(f"{at}: empty source")
        elif not (_url_ok(c.source) or c.source.startswith("github:")):
            out.append(f"{at}: source {c.source!r} is neither an http(s) URL nor github:OWNER/REPO/PATH")
    return out
