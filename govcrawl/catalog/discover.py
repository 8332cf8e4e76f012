"""`govcrawl discover URL`: find an agency's annual-report column(s) from its home page or its
政府信息公开 page, and print them as catalog rows (the header of govcrawl/catalog/columns.csv).

    govcrawl discover https://www.anshun.gov.cn/                 # the live site (robots.txt obeyed)
    govcrawl discover http://www.anshun.gov.cn/ --offline        # through the mirrors in fixtures/sites
    govcrawl discover page.html --url http://www.x.gov.cn/zfxxgk/   # a saved page, as that URL

What is looked for, on the page and on the pages it leads to (at most `--depth` hops, `MAX_PAGES`
pages, all on the agency's own site):

- **report columns**: links named 政府信息公开年报, 政府信息公开(工作)年度报告, 工作年报, 信息公开年报, 年度报告,
  年报 without a year (a link with a year is a report, not the column), or whose URL has the
  platforms' column names (TRS `zfxxgknb/`, `xxgknb/`, `ndbg/`, `gknb/`; Hanweb's annual-report
  module `module/xxgk/xxgkAnnualReport.jsp`);
- **gateways** to follow: 政府信息公开, 信息公开, 政务公开, 法定主动公开内容, 信息公开目录, 部门信息公开
  (the menus TRS 集约化 sites, Hanweb `col/colN/` sites and the Kunming cluster share).

A report column whose own page lists further report columns (区政府年报 / 部门年报 / 街道年报 under
政府信息公开年报) gives those too. Each column's family is what `govcrawl.cms.detect_family` says of
its page when it can be fetched, else the family of another column page of the same host, else of
the page that linked it. The agency is the site's (`SiteName` meta, or the page title's part that
names a government body), a department's when the column page's title names one (县应急管理局 on
磐安县人民政府's site -> 磐安县应急管理局); `key`, `level`, `region_code` follow from it as in the
catalog, `source` is the page the column link was found on.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import urllib.request
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from scrapy.http import HtmlResponse

from govcrawl import agencies, catalog, regions
from govcrawl.cms import detect_family
from govcrawl.extract.encoding import header_charset, meta_charset
from govcrawl.offline import DEFAULT_FIXTURES_DIR, SIDECAR_SUFFIX, fixture_path
from govcrawl.text.links import attachment_type, followable_href
from govcrawl.text.normalize import normalize_label

MAX_PAGES = 12
DIRECTORY_INDEXES = ("index.html", "index.shtml", "index.htm")
DEFAULT_DEPTH = 3

#: a link to the annual-report column: its words, with no year (that is a report)
_COLUMN_TEXT = re.compile(r"(信息公开|政务公开)?(工作)?(年度报告|年报)$|^年度报告$|^年报$")
_YEARISH = re.compile(r"(19|20)\d{2}")
#: platform column names in the URL
_COLUMN_URL = re.compile(r"/(zfxxgknb|xxgknb|gknb|ndbg|nianbao|[a-z]*ndbg)(_\d+)?/|xxgkAnnualReport\.jsp",
                         re.I)
#: links to follow towards the column
_GATEWAY_TEXT = re.compile(r"^(政府信息公开|信息公开|政务公开|法定主动公开内容|信息公开目录|政府信息公开目录|"
                           r"部门信息公开|政府信息公开专栏|政府信息公开工作专题|信息公开专栏)$")
_GATEWAY_URL = re.compile(r"/(zfxxgk|xxgk|zwgk)[^/]*/$", re.I)
#: the part of a page title that names a government body
_BODY = re.compile(r"(人民政府|政府|局|厅|委员会|委|办公室|办公厅|管委会|管理委员会|中心|分局)$")
_TITLE_SPLIT = re.compile(r"\s*[_|\-–—]\s*")


@dataclass
class Page:
    url: str
    response: HtmlResponse | None = None      # None when the page could not be fetched
    error: str = ""


@dataclass
class Found:
    column_url: str
    source: str                               # the page the link was found on
    text: str                                 # the link text
    family: str = ""
    agency: str = ""
    notes: list[str] = field(default_factory=list)


# --- fetching ------------------------------------------------------------------------------------------
Fetch = Callable[[str], Page]


def _response(url: str, body: bytes, content_type: str | None) -> HtmlResponse:
    encoding = header_charset(content_type) or meta_charset(body) or None
    headers = {"Content-Type": content_type or "text/html"}
    return HtmlResponse(url=url, body=body, headers=headers, encoding=encoding or "utf-8")


def mirror_fetcher(root: Path | str = DEFAULT_FIXTURES_DIR) -> Fetch:
    """Pages from a fixture mirror (`fixtures/sites/<host>/<path>`, as offline crawls read it)."""
    root = Path(root)

    def fetch(url: str) -> Page:
        path = fixture_path(root, url)
        if not path.is_file() and url.endswith("/"):
            # a directory URL: the index file the site's server answers with (the Kunming
            # cluster's is index.shtml)
            path = next((p for p in (path.with_name(n) for n in DIRECTORY_INDEXES) if p.is_file()), path)
        if not path.is_file():
            return Page(url, error="not in the mirror")
        content_type = "text/html"
        sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
        if sidecar.is_file():
            spec = json.loads(sidecar.read_text("utf-8"))
            content_type = spec.get("headers", {}).get("Content-Type", content_type)
            if spec.get("status", 200) != 200:
                return Page(url, error=f"HTTP {spec['status']}")
        return Page(url, _response(url, path.read_bytes(), content_type))

    return fetch


def web_fetcher(user_agent: str, timeout: float = 30) -> Fetch:
    """Pages from the live site, obeying its robots.txt, with the project's User-Agent."""
    robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}

    def allowed(url: str) -> bool:
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        if base not in robots:
            parser: urllib.robotparser.RobotFileParser | None = urllib.robotparser.RobotFileParser(
                base + "/robots.txt")
            try:
                parser.read()  # type: ignore[union-attr]
            except Exception:  # no robots.txt to read: nothing forbidden
                parser = None
            robots[base] = parser
        parser = robots[base]
        return parser is None or parser.can_fetch(user_agent, url)

    def fetch(url: str) -> Page:
        if not allowed(url):
            return Page(url, error="disallowed by robots.txt")
        request = urllib.request.Request(url, headers={"User-Agent": user_agent})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return Page(answer.geturl(), _response(answer.geturl(), answer.read(),
                                                       answer.headers.get("Content-Type")))
        except Exception as exc:  # a page that cannot be fetched is reported, never a crash
            return Page(url, error=f"{type(exc).__name__}: {exc}")

    return fetch


def file_fetcher(path: Path, as_url: str, fallback: Fetch | None = None) -> Fetch:
    """The saved page `path` served as `as_url`; other URLs from `fallback` (when given)."""

    def fetch(url: str) -> Page:
        if url == as_url:
            return Page(url, _response(url, Path(path).read_bytes(), None))
        return fallback(url) if fallback else Page(url, error="only the local file is read")

    return fetch


# --- reading pages ---------------------------------------------------------------------------------------
def _links(response: HtmlResponse) -> list[tuple[str, str]]:
    """(absolute URL, text) of the page's followable links: text, else the title attribute."""
    out = []
    for a in response.css("a[href]"):
        href = followable_href(a.attrib.get("href"))
        if not href:
            continue
        text = normalize_label(" ".join(a.css("::text").getall()) or a.attrib.get("title", ""))
        out.append((urljoin(response.url, href).split("#", 1)[0], text))
    return out


def _same_site(url: str, home: str) -> bool:
    from govcrawl.spiders.column import site_domain

    host, domain = urlsplit(url).netloc.lower(), site_domain(urlsplit(home).netloc)
    return host == domain or host.endswith("." + domain)


def is_column_link(url: str, text: str) -> bool:
    """A link to an annual-report column: named as one (without a year), or shaped as one."""
    if attachment_type(url):
        return False
    if text and _YEARISH.search(text):
        return False  # a report (or a year sub-column), not the column
    if text and _COLUMN_TEXT.search(text) and ("年报" in text or "年度报告" in text):
        return True
    return bool(_COLUMN_URL.search(url)) and (not text or "年" in text or "报告" in text)


def is_gateway_link(url: str, text: str) -> bool:
    return bool(text and _GATEWAY_TEXT.match(text)) or (not text and bool(_GATEWAY_URL.search(url)))


def site_name(response: HtmlResponse) -> str:
    """The site owner: `SiteName` meta, else the title's last part that names a government body."""
    name = (response.css("meta[name=SiteName]::attr(content)").get() or "").strip()
    if name:
        return name
    parts = _title_parts(response)
    for part in reversed(parts):
        if _BODY.search(part) and regions.region_of(part):
            return part
    return ""


def _title_parts(response: HtmlResponse) -> list[str]:
    title = normalize_label(" ".join(response.css("title::text").getall()))
    return [p for p in _TITLE_SPLIT.split(title) if p]


def department_name(response: HtmlResponse, site: str) -> str:
    """A body the column page's title names beside the site (政府信息公开年度报告_县应急管理局_磐安县人民政府
    -> 县应急管理局); "" when the title names only the site."""
    for part in _title_parts(response):
        if part == normalize_label(site) or _COLUMN_TEXT.search(part) or not _BODY.search(part):
            continue
        return part
    return ""


def agency_of(site: str, department: str) -> str:
    """The agency's full name: the site's, or a department on the site's division (县应急管理局 on
    磐安县人民政府's site -> 磐安县应急管理局)."""
    if not department:
        return site
    code = regions.region_of(site) if site else None
    if not code:
        return department
    identity = agencies.identify(department, code)
    division = regions.division(identity.region_code or code)
    return (division.name if division else "") + identity.body


# --- discovery ------------------------------------------------------------------------------------------
def discover(url: str, fetch: Fetch, *, depth: int = DEFAULT_DEPTH, log=None) -> list[Found]:
    """The annual-report columns reachable from `url` (see the module docstring)."""
    say = log or (lambda message: None)
    pages: dict[str, Page] = {}

    def get(page_url: str) -> Page:
        if page_url not in pages:
            if len(pages) >= MAX_PAGES:
                return Page(page_url, error=f"not fetched: over {MAX_PAGES} pages")
            pages[page_url] = fetch(page_url)
            if pages[page_url].error:
                say(f"{page_url}: {pages[page_url].error}")
        return pages[page_url]

    start = get(url)
    if start.response is None:
        return []
    home = start.response.url
    site = site_name(start.response)
    found: dict[str, Found] = {}
    frontier = [(home, 0)]
    visited: set[str] = set()
    while frontier:
        page_url, hops = frontier.pop(0)
        if page_url in visited:
            continue
        visited.add(page_url)
        page = get(page_url)
        if page.response is None:
            continue
        for link, text in _links(page.response):
            if not _same_site(link, home) or (link == page_url and not is_column_link(link, text)):
                continue
            if is_column_link(link, text):
                found.setdefault(link, Found(link, page_url, text))
            elif hops < depth and is_gateway_link(link, text) and link not in visited:
                frontier.append((link, hops + 1))
    # a column whose page lists further report columns (区政府年报, 部门年报, 街道年报) gives them too
    for column in list(found.values()):
        page = get(column.column_url)
        if page.response is None:
            continue
        for link, text in _links(page.response):
            if link != column.column_url and link not in found and _same_site(link, home) \
                    and is_column_link(link, text) and link.startswith(column.column_url):
                found[link] = Found(link, column.column_url, text)
    _families(found, get)
    for column in found.values():
        page = get(column.column_url)
        department = department_name(page.response, site) if page.response is not None else ""
        column.agency = agency_of(site, department)
    return list(found.values())


def _families(found: dict[str, Found], get: Callable[[str], Page]) -> None:
    by_host: dict[str, str] = {}
    for column in found.values():
        page = get(column.column_url)
        if page.response is not None:
            column.family = detect_family(page.response).name
            by_host.setdefault(urlsplit(column.column_url).netloc, column.family)
    for column in found.values():
        if column.family:
            continue
        host = urlsplit(column.column_url).netloc
        if host in by_host:
            column.family = by_host[host]
            column.notes.append("family of another column page of the site (this one was not fetched)")
            continue
        source = get(column.source)
        column.family = detect_family(source.response).name if source.response is not None else "plain"
        column.notes.append("family of the linking page (the column page was not fetched)")


def catalog_rows(found: list[Found]) -> list[dict[str, str]]:
    """The columns as catalog rows (`catalog.HEADER`)."""
    rows = []
    for column in found:
        identity = agencies.identify(column.agency) if column.agency else None
        rows.append({
            "agency": column.agency,
            "key": identity.key if identity and identity.region_code else "",
            "region_code": identity.region_code if identity else "",
            "level": identity.level if identity else "",
            "site": urlsplit(column.column_url).hostname or "",
            "column_url": column.column_url,
            "family": column.family,
            "source": column.source,
        })
    return rows


# --- the command --------------------------------------------------------------------------------------------
def register(subparsers) -> None:
    p = subparsers.add_parser("discover", help="find a site's annual-report column(s); print catalog rows")
    p.add_argument("url", help="the agency's home page or 政府信息公开 page (a URL, or a saved HTML file)")
    p.add_argument("--offline", action="store_true", help="read pages from the fixture mirrors")
    p.add_argument("--fixtures", help="the mirror directory (default: fixtures/sites)")
    p.add_argument("--url", dest="as_url", help="for a saved file: the URL it was saved from")
    p.add_argument("--depth", type=int, default=DEFAULT_DEPTH, help="links to follow from the page (3)")
    p.set_defaults(func=cmd_discover)


def cmd_discover(args) -> int:
    target = args.url
    if args.offline:
        fetch = mirror_fetcher(args.fixtures or DEFAULT_FIXTURES_DIR)
    else:
        from govcrawl import settings

        fetch = web_fetcher(settings.USER_AGENT)
    if "://" not in target:
        path = Path(target)
        if not path.is_file():
            print(f"discover: {target} is neither a URL nor a file", file=sys.stderr)
            return 2
        as_url = args.as_url or path.resolve().as_uri()
        fetch = file_fetcher(path, as_url, fetch if args.as_url else None)
        target = as_url
    found = discover(target, fetch, depth=args.depth, log=lambda m: print(f"discover: {m}", file=sys.stderr))
    writer = csv.DictWriter(sys.stdout, fieldnames=catalog.HEADER, lineterminator="\n")
    writer.writeheader()
    for row in catalog_rows(found):
        writer.writerow(row)
    for column in found:
        for note in column.notes:
            print(f"discover: {column.column_url}: {note}", file=sys.stderr)
    if not found:
        print(f"discover: no annual-report column found from {target}", file=sys.stderr)
        return 1
    return 0
