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
                 it whose text or URL shows the column), a GitHub file, or `spider:NAME`: the
                 column an agency spider of this project crawls (its start URL, with its recorded
                 mirror under fixtures/sites), for the agency columns no stored page shows

docs/catalog.md tells how the rows were found and which are weaker (a column inferred from the URL
shape of a report under it). `rows()` reads the catalog, `select()` filters it as
`govcrawl catalog list` does, `problems()` is what `govcrawl catalog check` reports.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

from govcrawl import agencies, regions

#: the shipped catalog, read through importlib.resources so that it loads from a zipped package
#: too (a scrapyd egg)
COLUMNS_CSV = files(__name__).joinpath("columns.csv")
#: where `spider:NAME` sources point (read as text: the catalog imports no spider)
SPIDERS_DIR = files("govcrawl").joinpath("spiders")
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
    source = Path(path) if path else COLUMNS_CSV
    with source.open("r", encoding="utf-8", newline="") as f:
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


def _words(value: str | Iterable[str] | None) -> list[str]:
    """`"52,33"` or `["52", "33"]` -> ["52", "33"]."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [v.strip() for v in items if v and v.strip()]


def select(columns: Iterable[Column], region: str | Iterable[str] | None = None,
           level: str | None = None, key: str | Iterable[str] | None = None) -> list[Column]:
    """The rows inside `region` (a code: 520400 includes 520402, its trailing 00 pairs dropped; or
    several, `52,33`), of `level`, and with one of the keys in `key` (`520400:人民政府,…`)."""
    out = list(columns)
    prefixes = [regions.region_prefix(r) for r in _words(region)]
    if prefixes:
        out = [c for c in out if c.region_code.startswith(tuple(prefixes))]
    if level:
        out = [c for c in out if level_matches(c.level, level)]
    keys = set(_words(key))
    if keys:
        out = [c for c in out if c.key in keys]
    return out


def common_region(codes: Iterable[str]) -> str | None:
    """The smallest division holding every code: 520400 and 520423 -> 520400, 330000 and 330727
    -> 330000; None when they share no province."""
    prefixes = [regions.region_prefix(c) for c in codes if c]
    if not prefixes:
        return None
    shared = prefixes[0]
    for prefix in prefixes[1:]:
        n = 0
        while n < min(len(shared), len(prefix)) and shared[n] == prefix[n]:
            n += 1
        shared = shared[:n]
    shared = shared[: len(shared) // 2 * 2]
    return shared.ljust(6, "0") if shared else None


@dataclass(frozen=True)
class ColumnGroup:
    """One column to crawl and the catalog rows it serves (several agencies may share one)."""

    column_url: str
    rows: tuple[Column, ...]

    @property
    def site(self) -> str:
        return self.rows[0].site

    @property
    def family(self) -> str:
        return self.rows[0].family

    @property
    def region_code(self) -> str | None:
        """The region of the column: the smallest division holding all its rows' agencies."""
        return common_region(r.region_code for r in self.rows)

    @property
    def agency(self) -> str | None:
        """The agency hint for reports that name none: the row's agency when the column serves one
        agency, else the government of the column's region when it is one of the rows; None for a
        column of many bureaus (each report names its own)."""
        if len(self.rows) == 1:
            return self.rows[0].agency
        for r in self.rows:
            if r.region_code == self.region_code and r.level in ("province", "prefecture", "county"):
                return r.agency
        return None


def column_groups(columns: Iterable[Column]) -> list[ColumnGroup]:
    """The rows grouped by column URL (in catalog order): a shared column is crawled once."""
    groups: dict[str, list[Column]] = {}
    for c in columns:
        groups.setdefault(c.column_url, []).append(c)
    return [ColumnGroup(url, tuple(rows)) for url, rows in groups.items()]


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
        elif c.source.startswith("spider:"):
            problem = _spider_source_problem(c.source[len("spider:"):], c.column_url)
            if problem:
                out.append(f"{at}: source {c.source}: {problem}")
        elif not (_url_ok(c.source) or c.source.startswith("github:")):
            out.append(f"{at}: source {c.source!r} is neither an http(s) URL, github:OWNER/REPO/PATH "
                       "nor spider:NAME")
    return out


def _spider_source_problem(name: str, column_url: str) -> str | None:
    """Why `spider:NAME` does not back `column_url`: no such spider module, or the column is not
    one of its start URLs (read from the module's text: a spider that moves breaks the row)."""
    path = SPIDERS_DIR / f"{name}.py"
    if not name.isidentifier() or not path.is_file():
        return f"no spider module govcrawl/spiders/{name}.py"
    if f'"{column_url}"' not in path.read_text(encoding="utf-8"):
        return f"the spider {name} does not crawl {column_url}"
    return None
