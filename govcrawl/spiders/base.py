"""ReportSpider: the crawl shape every agency spider shares.

listing page(s) --(report links)--> detail page --(attachment-only report)--> attachment

Agency spiders stay thin: a name, start URLs and a CMS base class (govcrawl/spiders/trs.py,
hanweb.py, ...) that knows how that CMS lists items and pages through a column. Nothing here
parses reports: detail pages and attachments are yielded as `FetchedPage` items and extracted by
the pipeline, off the reactor thread.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urljoin

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from govcrawl.cms.links import ListingEntry, anchor_title
from govcrawl.text.links import attachment_type, followable_href, is_annual_report_title, printed_date
from govcrawl.items import FetchedPage
from govcrawl.signals import page_failed

_CJK = re.compile(r"[\u4e00-\u9fff]")
_NEXT_PAGE = re.compile(r"^\s*(下一页|下页|后页|›|»|>)\s*$")

#: attachment types that can hold a whole report (downloaded when the detail page is only a link)
REPORT_FILE_TYPES = ("pdf", "doc", "docx", "wps")

#: below this many CJK characters of body text, a detail page that links a report file is an
#: attachment-only report (its body is a title and a download link)
ATTACHMENT_ONLY_MAX_CJK = 150


def fetched_page(response: Response, hints: dict | None = None) -> FetchedPage:
    headers = response.headers
    return FetchedPage(
        url=response.url,
        body=response.body,
        status=response.status,
        content_type=(headers.get("Content-Type") or b"").decode("latin-1") or None,
        encoding=response.encoding if isinstance(response, TextResponse) else None,
        etag=(headers.get("ETag") or b"").decode("latin-1") or None,
        last_modified=(headers.get("Last-Modified") or b"").decode("latin-1") or None,
        hints=dict(hints or {}),
    )


def _entry_date(a) -> str | None:
    """The date printed beside a listing link: in its row (`<li>`, `<tr>`, `<dd>`; a `<dd>` holding
    only the link has its date in a sibling `<dd>` of the same `<dl>`), never in the link's own text,
    whose title may name dates (`2024年1-2月...统计表`)."""
    beside = "descendant::text()[not(ancestor::a)]"
    row = a.xpath("ancestor::*[self::li or self::tr or self::dd or self::dl][1]")
    if not row or (row[0].root.tag == "dl" and len(row[0].xpath(".//a[@href]")) > 1):
        return None  # no row, or one <dl> for the whole list
    date = printed_date(" ".join(row[0].xpath(beside).getall()))
    if date is None and row[0].root.tag == "dd":
        dl = row[0].xpath("parent::dl")
        if dl and len(dl[0].xpath(".//a[@href]")) == 1:  # one entry per <dl>
            date = printed_date(" ".join(dl[0].xpath(beside).getall()))
    return date


class ReportSpider(scrapy.Spider):
    """Base for annual-report spiders. Subclasses (per CMS family) override the listing hooks."""

    #: the agency (or site owner) whose column this is, as a hint for records without one
    agency: str | None = None
    #: True when the start columns hold only annual reports: weaker titles are accepted there
    report_column: bool = True
    #: CSS for the article body on detail pages (for the attachment-only decision)
    content_css: str = "body"

    # --- requests -------------------------------------------------------------------------------
    async def start(self):
        for url in self.start_urls:
            yield self.listing_request(url)

    def listing_request(self, url: str, **kwargs) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_listing, errback=self.on_error,
                              meta={"govcrawl_kind": "listing"}, **kwargs)

    def detail_request(self, url: str, hints: dict) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_detail, errback=self.on_error,
                              meta={"govcrawl_kind": "detail"}, cb_kwargs={"hints": hints})

    def attachment_request(self, url: str, hints: dict) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_attachment, errback=self.on_error,
                              meta={"govcrawl_kind": "attachment"}, cb_kwargs={"hints": hints})

    # --- listing pages ----------------------------------------------------------------------------
    def parse_listing(self, response: Response):
        if not isinstance(response, TextResponse):
            return
        for entry in self.listing_entries(response):
            if self.is_report_entry(entry):
                hints = {"title": entry.title, "column": response.url}
                if entry.date:
                    hints["published"] = entry.date
                if self.agency:
                    hints["agency_hint"] = self.agency
                if attachment_type(entry.url) in REPORT_FILE_TYPES:
                    yield self.attachment_request(entry.url, hints)
                else:
                    yield self.detail_request(entry.url, hints)
        for url in self.listing_pages(response):
            yield self.listing_request(url)
        for url in self.subcolumns(response):
            yield self.listing_request(url)

    def is_report_entry(self, entry: ListingEntry) -> bool:
        return is_annual_report_title(entry.title, in_report_column=self.report_column)

    def listing_entries(self, response: TextResponse) -> Iterable[ListingEntry]:
        """Links on a listing page. Default: every titled link with a date beside it
        (the shape of most CMS lists: `<li><a href title>...</a><span>2021-01-29</span></li>`)."""
        for a in response.css("a[href]"):
            href, title = followable_href(a.attrib.get("href")), anchor_title(a)
            if not href or not title:
                continue
            yield ListingEntry(url=response.urljoin(href), title=title, date=_entry_date(a))

    def listing_pages(self, response: TextResponse) -> Iterable[str]:
        """Further pages of this listing. Default: 下一页-style anchor links."""
        for a in response.css("a[href]"):
            href = followable_href(a.attrib.get("href"))
            if href and _NEXT_PAGE.match(" ".join(a.css("::text").getall())):
                yield response.urljoin(href)

    def subcolumns(self, response: TextResponse) -> Iterable[str]:
        """Child columns (e.g. one per year) to walk as listings. Default: none."""
        return ()

    # --- detail pages and attachments -----------------------------------------------------------
    def parse_detail(self, response: Response, hints: dict):
        if not isinstance(response, TextResponse):  # a report file served without a file name
            yield fetched_page(response, hints)
            return
        files = self.report_files(response)
        if files and self.is_attachment_only(response):
            detail_hints = dict(hints, source_url=response.url)
            title = " ".join(response.css("meta[name=ArticleTitle]::attr(content)").getall()).strip()
            if title:
                detail_hints["title"] = title
            for url, _ in files:
                yield self.attachment_request(url, detail_hints)
            return
        yield fetched_page(response, hints)

    def parse_attachment(self, response: Response, hints: dict):
        yield fetched_page(response, hints)

    def report_files(self, response: TextResponse) -> list[tuple[str, str]]:
        """(url, name) of the report files (PDF, DOC, DOCX, WPS) a detail page links."""
        return [(url, name) for url, name in self.attachment_links(response)
                if attachment_type(url) in REPORT_FILE_TYPES]

    def attachment_links(self, response: TextResponse) -> list[tuple[str, str]]:
        links = []
        for a in response.css("a[href]"):
            url = urljoin(response.url, a.attrib["href"].strip())
            if attachment_type(url):
                links.append((url, " ".join(a.css("::text").getall()).strip()))
        return links

    def is_attachment_only(self, response: TextResponse) -> bool:
        # `content_css` may be a selector group ("div.TRS_Editor, div#Zoom"): select the elements
        # first, then their text (appending " ::text" would bind to the last selector only). The
        # first match in document order is the outermost, so nested matches are not counted twice.
        nodes = response.css(self.content_css) if self.content_css else []
        body = " ".join(nodes[0].css("::text").getall()) if nodes else ""
        if not body.strip():
            body = " ".join(response.css("body ::text").getall())
        return len(_CJK.findall(body)) <= ATTACHMENT_ONLY_MAX_CJK

    # --- failures ---------------------------------------------------------------------------------
    def on_error(self, failure):
        request = failure.request
        if failure.check(HttpError):  # an IgnoreRequest subclass: must be tested first
            reason = f"HTTP {failure.value.response.status}"
        elif failure.check(IgnoreRequest):
            # skipped on purpose (robots.txt, an unchanged page) or a WAF block, which the WAF
            # middleware has already recorded
            return
        else:
            reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        self.logger.warning("%s failed: %s", request.url, reason)
        self.crawler.stats.inc_value("govcrawl/pages_failed_http")
        self.crawler.signals.send_catch_log(page_failed, url=request.url, kind="http", reason=reason)
