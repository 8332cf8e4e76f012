"""The generic `column` spider: any agency's annual-report column, without site-specific code.

    scrapy crawl column -a url=https://www.guiyang.gov.cn/zwgk/zfxxgks/zfxxgknb/
    scrapy crawl column -a url=... -a agency=贵阳市人民政府 -a report_column=1 -a family=trs

The spider recognises the CMS family of the column from its first listing page and hands the listing
logic to that family's plain functions (govcrawl/cms/trs.py, govcrawl/cms/hanweb.py):

- `trs`    (TRS WCM): `createPageHTML(...)` / `var countPage` pagination scripts, `TRS_Editor`
           bodies, `/YYYYMM/tYYYYMMDD_N.html` document links; pages `index_N.html` from the script,
           year sub-columns (`2020n/`, `2020year/`); `list2.trsapi` columns (Fujian) paged by
           `/fjdzapp/search` POSTs answering JSON.
- `hanweb` (大汉): `<script type="text/xml"><datastore>` records, `jpage` paging through
           `dataproxy.jsp` POSTs, `/art/YYYY/M/D/art_*.html` document links.
- `plain`  anything else: dated links, and pages from 下一页/尾页/numbered links (gaps in the
           numbered bar filled in) or a page count in a script.

Every page is re-checked, since a column can mix templates (a Hanweb dataproxy answer is XML; a
plain start page may hold TRS year columns); the first page only sets the default.

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
from collections.abc import Iterable
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

import scrapy
from scrapy.http import Response, TextResponse

from govcrawl.cms import hanweb, trs
from govcrawl.cms.links import ListingEntry
from govcrawl.text.links import attachment_type, followable_href
from govcrawl.spiders.base import ATTACHMENT_ONLY_MAX_CJK, REPORT_FILE_TYPES, ReportSpider
from govcrawl.spiders.hanweb import HanwebSpider

FAMILIES = ("trs", "hanweb", "plain")

#: listing pages one column crawl may request at most (a runaway numbered bar, a calendar)
MAX_LISTING_PAGES = 300

_CJK = re.compile(r"[\u4e00-\u9fff]")
_HANWEB_PAGE = re.compile(r"/col/col\d+/", re.I)
_HANWEB_SCRIPT = re.compile(r"\.jpage\s*\(|/module/web/jpage/dataproxy\.jsp", re.I)
_HANWEB_ART = re.compile(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\w+\.html?$", re.I)
_TRS_EDITOR = re.compile(r"""class=["'][^"']*\bTRS_(?:Editor|UEDITOR)\b""", re.I)
#: the column is one of annual reports: its title, breadcrumb or column meta say so
_REPORT_COLUMN_WORDS = re.compile(r"年报|年度报告|ndbg|gknb|xxgknb|nianbao", re.I)
_BREADCRUMB_CSS = ("[class*=dqwz]", "[class*=crumb]", "[class*=position]", "[class*=location]",
                   "[class*=weizhi]", "[class*=right_up]", "[id*=crumb]", "[id*=position]")

_NEXT_OR_LAST = re.compile(r"^\s*(下一页|下页|后页|尾页|末页|最后一页|›|»|>|>>)\s*$")
_PAGE_NUMBER = re.compile(r"^\s*\[?\s*(\d{1,4})\s*\]?\s*$")
#: a listing page's own name with its page number: index_3.html, list-3.shtml, 3.html, index3.htm
#: (Chengdu's portals: column-index-3.shtml)
_PAGE_FILE = re.compile(r"^(?P<stem>(?:[A-Za-z]+[-_]?){0,3})(?P<n>\d{1,4})(?P<ext>\.s?html?|\.jsp|\.aspx?)$")
#: page-number query parameters (Epoint WebBuilder lists: iList.jsp?node_id=...&cat_id=...&cur_page=2)
_PAGE_PARAMS = frozenset(("page", "pageno", "page_no", "pagenum", "pagenumber", "pageindex", "curpage",
                          "cur_page", "currpage", "currentpage", "pn", "p"))
_SCRIPT_COUNT = re.compile(
    r"\b(?:countPage|pageCount|totalPage|totalPages|page_count|maxPage|pageTotal|contenpage)\s*[=:]\s*['\"]?(\d{1,4})")

#: article body containers on detail pages, most specific first: TRS editors and wrappers,
#: Hanweb's #zoom, gov.cn's UCAP, then common names
CONTENT_SELECTORS = trs.CONTENT_SELECTORS + (
    "#zoom", "div.zoom", "td#UCAP-CONTENT", "#UCAP-CONTENT", "div.article-content", "div.article",
    "div.content", "#content", "div.zw", "div.wzzw", "div.detail", "div.main-txt")
#: query parameters that carry an attachment's file name (`downfile.jsp?filename=x.pdf`) or a
#: PDF viewer's document (`viewer.html?file=/x.pdf`)
_FILE_PARAMS = ("filename", "fileName", "file", "name", "fname", "path", "url")


def _is_trsapi_answer(response: TextResponse) -> bool:
    """A `/fjdzapp/search` JSON answer asked for by `trsapi_request`."""
    return bool(response.request is not None and response.meta.get("govcrawl_trsapi"))


# --- recognising a column ---------------------------------------------------------------------------
def detect_family(response: TextResponse) -> str:
    """`trs`, `hanweb` or `plain` for a listing page.

    The national website norms put `SiteName`/`ColumnName` (and on articles `ArticleTitle`,
    `PubDate`, `ContentSource`) meta tags on every CMS's pages, so they prove nothing; the evidence
    is each family's paging machinery, editor markup, `generator` meta and document URLs.
    """
    text = response.text
    if (hanweb.is_hanweb_column(text) or hanweb.is_dataproxy_url(response.url)
            or _HANWEB_SCRIPT.search(text) or _HANWEB_PAGE.search(urlsplit(response.url).path)):
        return "hanweb"
    scripts = "\n".join(response.xpath("//script[not(@src)]/text()").getall())
    generator = " ".join(response.css("meta[name=generator]::attr(content), "
                                      "meta[name=Generator]::attr(content)").getall())
    if "createPageHTML" in scripts or _TRS_EDITOR.search(text) or "TRS" in generator:
        return "trs"
    host = urlsplit(response.url).netloc.lower()
    trs_links = hanweb_links = 0
    for href in response.css("a::attr(href)").getall():
        url = urljoin(response.url, href.strip())
        if urlsplit(url).netloc.lower() != host:
            continue
        if trs.is_detail_url(url):
            trs_links += 1
        elif _HANWEB_ART.search(urlsplit(url).path):
            hanweb_links += 1
    if hanweb_links > trs_links:
        return "hanweb"
    if trs_links or trs.page_count(scripts) is not None:
        return "trs"
    return "plain"


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


# --- pagination of plain lists ------------------------------------------------------------------------
def _page_slot(url: str) -> tuple | None:
    """(shape, number) of a listing page URL: `index_3.html` -> (('dir/', 'index_', '.html'), 3),
    `list.jsp?page=3&cid=7` -> (('list.jsp', 'page', other params), 3)."""
    parts = urlsplit(url)
    params = parse_qsl(parts.query, keep_blank_values=True)
    for i, (key, value) in enumerate(params):
        if key.lower() in _PAGE_PARAMS and value.isdigit():
            rest = tuple(params[:i] + params[i + 1:])
            return (parts.scheme, parts.netloc, parts.path, key, rest), int(value)
    directory, _, name = parts.path.rpartition("/")
    m = _PAGE_FILE.match(name)
    if m and not parts.query:
        return (parts.scheme, parts.netloc, directory + "/", m.group("stem"), m.group("ext")), int(m.group("n"))
    return None


def _slot_url(shape: tuple, n: int) -> str:
    scheme, netloc, path, key_or_stem, rest = shape
    if isinstance(rest, tuple):  # a query parameter
        query = "&".join(f"{k}={v}" for k, v in rest + ((key_or_stem, str(n)),))
        return f"{scheme}://{netloc}{path}?{query}"
    return f"{scheme}://{netloc}{path}{key_or_stem}{n}{rest}"


def plain_listing_pages(response: TextResponse, limit: int = MAX_LISTING_PAGES) -> list[str]:
    """Further pages of a plain list.

    From the pager's anchors (下一页, 尾页, numbers) pointing into the same column; a numbered bar
    shows only a window of pages, so the gaps between the lowest and highest page seen (the 尾页
    link gives the last) are filled in. With no pager links, a page count in a script
    (`var pageCount = 5`) with the TRS-style `index_N.html` names.
    """
    here = response.url.split("#", 1)[0]
    here_dir = urlsplit(here).path.rpartition("/")[0]
    found: list[str] = []
    slots: dict[tuple, set[int]] = {}
    for a in response.css("a[href]"):
        href = followable_href(a.attrib.get("href"))
        if not href:
            continue
        text = " ".join(a.css("::text").getall())
        if not (_NEXT_OR_LAST.match(text) or _PAGE_NUMBER.match(text)):
            continue
        url = urljoin(here, href).split("#", 1)[0]
        parts = urlsplit(url)
        if parts.netloc != urlsplit(here).netloc or parts.path.rpartition("/")[0] != here_dir:
            continue  # a link into another column is not this list's pager
        slot = _page_slot(url)
        if url != here and url not in found:
            found.append(url)
        if slot:
            slots.setdefault(slot[0], set()).add(slot[1])
    for shape, numbers in slots.items():
        low, high = min(numbers), max(numbers)
        for n in range(low, min(high, low + limit) + 1):
            url = _slot_url(shape, n)
            if url != here and url not in found:
                found.append(url)
    if not found:
        scripts = "\n".join(response.xpath("//script[not(@src)]/text()").getall())
        m = _SCRIPT_COUNT.search(scripts)
        if m and int(m.group(1)) > 1:
            pages = trs.page_urls(here, min(int(m.group(1)), limit))
            first_page = urlsplit(here).path.rsplit("/", 1)[-1] in ("", "index.html", "index.htm",
                                                                     "index.shtml")
            found = [u for u in (pages[1:] if first_page else pages) if u != here]
    return found[:limit]


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

    def add(raw: str, name: str) -> None:
        raw = followable_href(raw)
        if not raw:
            return
        url = urljoin(response.url, raw)
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
        if agency:
            self.agency = agency
        if family is not None and family not in FAMILIES:
            raise ValueError(f"family must be one of {', '.join(FAMILIES)}, not {family!r}")
        #: forced by `-a family=` / `-a report_column=`, else decided on the first listing page
        self.forced_family = family
        self.forced_report_column = (None if report_column is None
                                     else str(report_column).lower() in ("1", "true", "yes", "y"))
        self.family: str | None = family
        self.report_column = self.forced_report_column if self.forced_report_column is not None else True
        self._listing_pages_requested = 0

    async def start(self):
        for url in self.start_urls:
            request = self.listing_request(url)
            request.meta["govcrawl_column_start"] = True
            yield request

    # --- listing pages ---------------------------------------------------------------------------------
    def page_family(self, response: TextResponse) -> str:
        """This page's family: forced, else what the page shows, else the column's default."""
        if self.forced_family:
            return self.forced_family
        if _is_trsapi_answer(response):
            return "trs"
        seen = detect_family(response)
        if seen == "plain" and self.family and self.family != "plain":
            # a year sub-column or a later page without paging machinery of its own
            return self.family if self.family == "trs" else "plain"
        return seen

    def parse_listing(self, response: Response):
        if not isinstance(response, TextResponse):
            return
        family = self.page_family(response)
        meta = response.meta if response.request is not None else {}
        if meta.get("govcrawl_column_start"):
            self.family = family
            if self.forced_report_column is None:
                self.report_column = is_report_column(response)
            self.logger.info("column %s: CMS family %s, report column %s", response.url, family,
                             self.report_column)
            crawler = getattr(self, "crawler", None)
            if crawler is not None:
                crawler.stats.set_value("govcrawl/column_family", family)
        meta["govcrawl_family"] = family  # for the listing hooks below
        for request in super().parse_listing(response):
            if request.meta.get("govcrawl_kind") == "listing":
                if self._listing_pages_requested >= MAX_LISTING_PAGES:
                    continue
                self._listing_pages_requested += 1
            yield request
        if family == "hanweb" and not hanweb.is_dataproxy_url(response.url):
            # later record groups come from dataproxy POSTs, exactly as the Hanweb base asks them
            for url, form in hanweb.dataproxy_requests(response.url, response.text):
                yield HanwebSpider.dataproxy_request(self, url, form, referer=response.url)
        if family == "trs" and not _is_trsapi_answer(response):
            # list2.trsapi columns: the records past the static ones come only from the search API
            scripts = "\n".join(response.xpath("//script[not(@src)]/text()").getall())
            for url, form in trs.trsapi_requests(response.url, scripts):
                if self._listing_pages_requested >= MAX_LISTING_PAGES:
                    break
                self._listing_pages_requested += 1
                yield self.trsapi_request(url, form, referer=response.url)

    def trsapi_request(self, url: str, formdata: dict, referer: str) -> scrapy.FormRequest:
        """One page of a list2.trsapi column, POSTed as the platform's list script does."""
        return scrapy.FormRequest(
            url, formdata=formdata, callback=self.parse_listing, errback=self.on_error,
            headers={"Referer": referer, "X-Requested-With": "XMLHttpRequest"},
            meta={"govcrawl_kind": "listing", "govcrawl_trsapi": True})

    def _family(self, response: TextResponse) -> str:
        meta = response.meta if response.request is not None else {}
        return meta.get("govcrawl_family") or self.page_family(response)

    def listing_entries(self, response: TextResponse) -> Iterable[ListingEntry]:
        family = self._family(response)
        if _is_trsapi_answer(response):
            return trs.trsapi_entries(response.text, response.url)
        if family == "hanweb" and hanweb.is_hanweb_column(response.text):
            return hanweb.record_entries(response.text, response.url)
        if family == "trs":
            return trs.listing_entries(response) or list(super().listing_entries(response))
        return list(super().listing_entries(response))

    def listing_pages(self, response: TextResponse) -> Iterable[str]:
        family = self._family(response)
        if _is_trsapi_answer(response):
            return ()  # every API page was asked for from the column page
        if family == "hanweb" and hanweb.is_hanweb_column(response.text):
            return ()  # paged by dataproxy POSTs (parse_listing)
        if family == "trs":
            return trs.listing_pages(response) or plain_listing_pages(response)
        return plain_listing_pages(response)

    def subcolumns(self, response: TextResponse) -> Iterable[str]:
        if self._family(response) == "hanweb" or _is_trsapi_answer(response):
            return ()
        # year sub-columns one directory below (`2020n/`, `2020year/`): the TRS rule is generic
        return trs.subcolumns(response)

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
