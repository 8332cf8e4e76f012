"""The generic `column` spider: any agency's annual-report column, without site-specific code.

    scrapy crawl column -a url=https://www.guiyang.gov.cn/zwgk/zfxxgks/zfxxgknb/
    scrapy crawl column -a url=... -a agency=贵阳市人民政府 -a report_column=1 -a family=trs

The spider asks the family registry (govcrawl/cms/__init__.py `detect_family`) which CMS family
each listing page belongs to and hands the listing to that family, the same object the agency
spiders use (`trs`: TRS WCM, also Fujian's list2.trsapi columns paged by search-API POSTs;
`hanweb`: 大汉 datastores paged by dataproxy POSTs; `kunming`: the Kunming site cluster; `plain`:
dated links with a pager, see govcrawl/cms/plain.py).

Every page is re-checked, since a column can mix templates (a Hanweb dataproxy answer is XML; a
plain start page may hold TRS year columns); the first page only sets the column's family, which a
later page without evidence of its own keeps when that family `spans_column` (a TRS year
sub-column without a paging script). Answers to a family's own POSTs are that family's pages.

Only annual reports are followed: listing links must pass `is_annual_report_title` (a year and
年度报告/年报; look-alikes such as `召开2020年度工作会议` or `一图读懂2017年重点工作` are rejected).
A column whose own title, breadcrumb or column meta names 年报/年度报告 is a report column, where a
bare `2019年年报` counts too. Detail pages are yielded for extraction; a near-empty page that only
links a report file (PDF/DOC/DOCX/WPS, also through an iframe, a PDF viewer or a
`download.jsp?filename=` link) is replaced by its files, with `source_url` = the page. Nothing
else is yielded: pages that turn out not to be reports are dropped by the ExtractPipeline.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from scrapy.http import Response, TextResponse

from govcrawl.cms import detect_family, family_named, plain, trs
from govcrawl.cms.family import Family, response_meta
from govcrawl.spiders.base import ATTACHMENT_ONLY_MAX_CJK, REPORT_FILE_TYPES, ReportSpider
from govcrawl.text.links import attachment_type, followable_href

_CJK = re.compile(r"[\u4e00-\u9fff]")
#: the column is one of annual reports: its title, breadcrumb or column meta say so
_REPORT_COLUMN_WORDS = re.compile(r"年报|年度报告|ndbg|gknb|xxgknb|nianbao", re.I)
_BREADCRUMB_CSS = ("[class*=dqwz]", "[class*=crumb]", "[class*=position]", "[class*=location]",
                   "[class*=weizhi]", "[class*=right_up]", "[id*=crumb]", "[id*=position]")

#: article body containers on detail pages, most specific first: TRS editors and wrappers,
#: Hanweb's #zoom, gov.cn's UCAP, then common names
CONTENT_SELECTORS = trs.CONTENT_SELECTORS + (
    "#zoom", "div.zoom", "td#UCAP-CONTENT", "#UCAP-CONTENT", "div.article-content", "div.article",
    "div.content", "#content", "div.zw", "div.wzzw", "div.detail", "div.main-txt")
#: query parameters that carry an attachment's file name (`downfile.jsp?filename=x.pdf`) or a
#: PDF viewer's document (`viewer.html?file=/x.pdf`)
_FILE_PARAMS = ("filename", "fileName", "file", "name", "fname", "path", "url")


# --- recognising a column ---------------------------------------------------------------------------
def is_report_column(response: TextResponse) -> bool:
    """Does this listing page belong to an annual-report column (title, column meta, breadcrumb,
    URL)? In such a column a bare `2019年年报` is a report title."""
    parts = [response.url]
    parts += response.css("title::text").getall()
    for name in ("ColumnName", "ColumnKeywords", "ColumnType", "ColumnDescription"):
        parts += response.css(f"meta[name={name}]::attr(content)").getall()
    for css in _BREADCRUMB_CSS:
        node = response.css(css)
        if node:
            parts += node[0].css("::text").getall()
            break
    return bool(_REPORT_COLUMN_WORDS.search(" ".join(parts)))


def site_domain(host: str) -> str:
    """The domain a column's crawl may roam: the agency's site (`guiyang.gov.cn` for
    `www.guiyang.gov.cn`), so department sub-sites and file servers of the same site are reached."""
    host = (host or "").lower().split(":", 1)[0]
    labels = host.split(".")
    if host.endswith(".gov.cn") and len(labels) >= 3:
        return ".".join(labels[-3:])
    if labels and labels[0] == "www" and len(labels) > 2:
        return ".".join(labels[1:])
    return host


# --- report files on a detail page --------------------------------------------------------------------
def report_file_type(url: str) -> str | None:
    """The attachment type of a link to a report file, also for downloads whose file name is in
    the query (`/module/download/downfile.jsp?classid=0&filename=2101251425.pdf`)."""
    kind = attachment_type(url)
    if kind:
        return kind
    for key, value in parse_qsl(urlsplit(url).query):
        if key in _FILE_PARAMS or key.lower() in _FILE_PARAMS:
            kind = attachment_type("/" + unquote(value).split("?", 1)[0])
            if kind:
                return kind
    return None


def report_files(response: TextResponse) -> list[tuple[str, str]]:
    """(url, name) of every report file a detail page links: anchors, and PDFs shown inline by an
    iframe/embed/object or a PDF.js viewer (`viewer.html?file=...`), in page order."""
    found: dict[str, str] = {}

    def add(raw: str | None, name: str) -> None:
        href = followable_href(raw)
        if not href:
            return
        url = urljoin(response.url, href)
        if report_file_type(url) in REPORT_FILE_TYPES:
            # a viewer page shows the file given in its query: fetch the file itself
            if attachment_type(urlsplit(url).path) is None:
                for key, value in parse_qsl(urlsplit(url).query):
                    if key.lower() in ("file", "url") and attachment_type("/" + unquote(value)):
                        url = urljoin(response.url, unquote(value))
                        break
            found.setdefault(url, name)

    for a in response.css("a[href]"):
        add(a.attrib["href"], " ".join(" ".join(a.css("::text").getall()).split()))
    for el in response.css("iframe[src], embed[src], object[data]"):
        add(el.attrib.get("src") or el.attrib.get("data"), "")
    return list(found.items())


#: when a page offers the same report in several formats, the one read best: DOCX keeps the table
#: structure exactly, a PDF's tables come from geometry, DOC/WPS need LibreOffice
FORMAT_PREFERENCE = ("docx", "pdf", "doc", "wps")
_EXTENSION = re.compile(r"\.(?:pdf|docx?|wps)\s*$", re.I)


def one_copy_each(files: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Keep one file per report when a page links the same report in several formats
    (`年度报告.pdf` and `年度报告.doc`): the same link text without its extension. Files without
    a name are all kept."""
    best: dict[str, tuple[int, int]] = {}  # name stem -> (preference, index)
    keep = []
    for i, (url, name) in enumerate(files):
        stem = _EXTENSION.sub("", name or "").strip()
        if not stem:
            keep.append(i)
            continue
        kind = report_file_type(url)
        rank = FORMAT_PREFERENCE.index(kind) if kind in FORMAT_PREFERENCE else len(FORMAT_PREFERENCE)
        if stem not in best or rank < best[stem][0]:
            best[stem] = (rank, i)
    keep += [i for _, i in best.values()]
    return [files[i] for i in sorted(keep)]


def content_selector(response: TextResponse) -> str | None:
    for css in CONTENT_SELECTORS:
        if response.css(css):
            return css
    return None


# --- the spider -----------------------------------------------------------------------------------------
class ColumnSpider(ReportSpider):
    """Any agency's annual-report column: `scrapy crawl column -a url=<column URL>`."""

    name = "column"
    #: the column's family until its first page says otherwise (`-a family=` forces one)
    family: Family = plain.FAMILY
    url_argument = True

    def __init__(self, url: str | None = None, agency: str | None = None,
                 report_column: str | None = None, family: str | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not url:
            raise ValueError("the column spider needs a column URL: scrapy crawl column -a url=<URL>")
        url = url.strip()
        if "://" not in url:
            url = "http://" + url
        self.start_urls = [url]
        self.allowed_domains = [site_domain(urlsplit(url).netloc)]
        #: each column is its own run scope: a crawl of another column into the same database
        #: never marks this column's reports missing (govcrawl/storage/crawl.py)
        self.crawl_scope = f"column:{url}"
        if agency:
            self.agency = agency
        #: forced by `-a family=` / `-a report_column=`, else decided on the first listing page
        self.forced_family: Family | None = family_named(family) if family is not None else None
        if self.forced_family:
            self.family = self.forced_family
        self.forced_report_column = (None if report_column is None
                                     else str(report_column).lower() in ("1", "true", "yes", "y"))
        self.report_column = self.forced_report_column if self.forced_report_column is not None else True

    async def start(self):
        async for request in super().start():
            request.meta["govcrawl_column_start"] = True
            yield request

    # --- listing pages ---------------------------------------------------------------------------------
    def family_for(self, response: TextResponse) -> Family:
        """This page's family: forced; else the family whose POST it answers, or the one decided
        for it already; else what the page shows, the column's family for a page showing nothing
        when that family spans its column. Kept in the response's meta for the listing hooks."""
        meta = response_meta(response)
        if self.forced_family:
            return self.forced_family
        if meta.get("govcrawl_family"):
            return family_named(meta["govcrawl_family"])
        family = detect_family(response)
        if family is plain.FAMILY and self.family.spans_column:
            family = self.family  # a year sub-column or a later page without machinery of its own
        meta["govcrawl_family"] = family.name
        return family

    def parse_listing(self, response: Response):
        if not isinstance(response, TextResponse):
            return
        family = self.family_for(response)
        if response_meta(response).get("govcrawl_column_start"):
            self.family = family
            if self.forced_report_column is None:
                self.report_column = is_report_column(response)
            self.logger.info("column %s: CMS family %s, report column %s", response.url, family.name,
                             self.report_column)
            crawler = getattr(self, "crawler", None)
            if crawler is not None:
                crawler.stats.set_value("govcrawl/column_family", family.name)
        # the listing budget (GOVCRAWL_MAX_LISTING_PAGES, distinct pages) is the base class's
        yield from super().parse_listing(response)

    # --- detail pages ----------------------------------------------------------------------------------
    def report_files(self, response: TextResponse) -> list[tuple[str, str]]:
        return one_copy_each(report_files(response))

    def attachment_links(self, response: TextResponse) -> list[tuple[str, str]]:
        return report_files(response)

    def is_attachment_only(self, response: TextResponse) -> bool:
        css = content_selector(response)
        if css:
            body = " ".join(response.css(css)[0].css("::text").getall())
            return len(_CJK.findall(body)) <= ATTACHMENT_ONLY_MAX_CJK
        # unknown template: the page's own text, without its links (navigation), scripts and
        # footer, against a looser bound (the chrome left over still counts)
        texts = response.xpath(
            "//body//text()[not(ancestor::a) and not(ancestor::script) and not(ancestor::style)"
            " and not(ancestor::*[contains(@class,'foot') or contains(@id,'foot')"
            " or contains(@class,'copyright') or contains(@class,'bottom')])]").getall()
        return len(_CJK.findall(" ".join(texts))) <= 2 * ATTACHMENT_ONLY_MAX_CJK
