"""ReportSpider: the crawl shape every agency spider shares.

listing page(s) --(report links)--> detail page --(attachment-only report)--> attachment

Agency spiders stay thin: a name, start URLs and the CMS family of their site (a
`govcrawl.cms.family.Family`: `trs.FAMILY`, `hanweb.FAMILY`, ...), which knows how that CMS lists
items, pages through a column and nests sub-columns. Nothing here parses reports: detail pages and
attachments are yielded as `FetchedPage` items and extracted by the pipeline, off the reactor
thread.

How to use (a new agency; `govcrawl new-agency NAME URL --family trs` writes all of it):

#. Add `govcrawl/spiders/<name>.py` with a `<Name>Spider(ReportSpider)` whose docstring (or module
   docstring) says which site and column it crawls and links a stored copy of one report.
#. Set `name` (the module's file name), `family` (from govcrawl/cms: `family = trs.FAMILY`),
   `allowed_domains`, `start_urls` (the annual-report column) and `agency`, the agency whose
   column it is (the parser's last resort for records that name none; None for a column that
   holds many agencies' reports).
#. Record the column's mirror under `fixtures/sites/<host>/` and write
   `tests/spiders/test_<name>.py` against it; `govcrawl checkall` lists what is missing.
#. Override a hook (`listing_entries`, `listing_pages`, `subcolumns`, `report_files`, ...) only
   for a quirk of this one site; a quirk of the CMS belongs in its family.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urljoin

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from govcrawl.cms.family import Family, FormPost
from govcrawl.cms.links import ListingEntry
from govcrawl.items import FetchedPage, PageHints
from govcrawl.signals import page_failed
from govcrawl.text.links import attachment_type, is_annual_report_title

_CJK = re.compile(r"[\u4e00-\u9fff]")

#: attachment types that can hold a whole report (downloaded when the detail page is only a link)
REPORT_FILE_TYPES = ("pdf", "doc", "docx", "wps")

#: below this many CJK characters of body text, a detail page that links a report file is an
#: attachment-only report (its body is a title and a download link)
ATTACHMENT_ONLY_MAX_CJK = 150


def fetched_page(response: Response, hints: PageHints | None = None) -> FetchedPage:
    headers = response.headers
    return FetchedPage(
        url=response.url,
        body=response.body,
        status=response.status,
        content_type=(headers.get("Content-Type") or b"").decode("latin-1") or None,
        encoding=response.encoding if isinstance(response, TextResponse) else None,
        etag=(headers.get("ETag") or b"").decode("latin-1") or None,
        last_modified=(headers.get("Last-Modified") or b"").decode("latin-1") or None,
        hints=hints if hints is not None else PageHints(),
    )


class ReportSpider(scrapy.Spider):
    """Base for annual-report spiders: the listing hooks delegate to the spider's CMS family."""

    #: the CMS family of the site (govcrawl/cms: `trs.FAMILY`, `hanweb.FAMILY`, ...); every
    #: spider declares its own
    family: Family
    #: the agency (or site owner) whose column this is, as a hint for records without one
    agency: str | None = None
    #: True when the start columns hold only annual reports: weaker titles are accepted there
    report_column: bool = True
    #: True for a spider whose column URL is a spider argument (`-a url=`), not `start_urls`
    url_argument: bool = False
    #: what one run of the spider crawls completely, for missing-detection
    #: (govcrawl/storage/crawl.py); None: the spider's name
    crawl_scope: str | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if getattr(self, "family", None) is None:
            raise ValueError(f"{type(self).__name__}: declare the site's CMS family "
                             "(`family = trs.FAMILY`, see govcrawl/cms/__init__.py)")

    @property
    def content_css(self) -> str:
        """CSS for the article body on detail pages (for the attachment-only decision)."""
        return self.family.content_css

    def family_for(self, response: TextResponse) -> Family:
        """The family that reads this listing page: the spider's own."""
        return self.family

    # --- requests -------------------------------------------------------------------------------
    async def start(self):
        for url in self.start_urls:
            yield self.listing_request(url)

    def listing_request(self, url: str, **kwargs) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_listing, errback=self.on_error,
                              meta={"govcrawl_kind": "listing"}, **kwargs)

    def post_request(self, post: FormPost, family: Family) -> scrapy.FormRequest:
        """A family's POST (`Family.extra_requests`); its answer is a listing page of that family."""
        return scrapy.FormRequest(
            post.url, formdata=post.formdata, headers=post.headers, callback=self.parse_listing,
            errback=self.on_error,
            meta={**post.meta, "govcrawl_kind": "listing", "govcrawl_family": family.name})

    def detail_request(self, url: str, hints: PageHints) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_detail, errback=self.on_error,
                              meta={"govcrawl_kind": "detail"}, cb_kwargs={"hints": hints})

    def attachment_request(self, url: str, hints: PageHints) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_attachment, errback=self.on_error,
                              meta={"govcrawl_kind": "attachment"}, cb_kwargs={"hints": hints})

    # --- listing pages ----------------------------------------------------------------------------
    def parse_listing(self, response: Response):
        if not isinstance(response, TextResponse):
            return
        for entry in self.listing_entries(response):
            if self.is_report_entry(entry):
                hints = PageHints(title=entry.title, published=entry.date, agency=self.agency or "",
                                  column=response.url)
                if attachment_type(entry.url) in REPORT_FILE_TYPES:
                    yield self.attachment_request(entry.url, hints)
                else:
                    yield self.detail_request(entry.url, hints)
        for url in self.listing_pages(response):
            yield self.listing_request(url)
        for url in self.subcolumns(response):
            yield self.listing_request(url)
        yield from self.extra_requests(response)

    def is_report_entry(self, entry: ListingEntry) -> bool:
        return is_annual_report_title(entry.title, in_report_column=self.report_column)

    def listing_entries(self, response: TextResponse) -> Iterable[ListingEntry]:
        """Links on a listing page (`Family.listing_entries`)."""
        return self.family_for(response).listing_entries(response)

    def listing_pages(self, response: TextResponse) -> Iterable[str]:
        """Further pages of this listing (`Family.listing_pages`)."""
        return self.family_for(response).listing_pages(response)

    def subcolumns(self, response: TextResponse) -> Iterable[str]:
        """Child columns (e.g. one per year) to walk as listings (`Family.subcolumns`)."""
        return self.family_for(response).subcolumns(response)

    def extra_requests(self, response: TextResponse) -> Iterable[scrapy.FormRequest]:
        """The POSTs the family asks for beyond the column's pages (`Family.extra_requests`)."""
        family = self.family_for(response)
        return [self.post_request(post, family) for post in family.extra_requests(response)]

    # --- detail pages and attachments -----------------------------------------------------------
    def parse_detail(self, response: Response, hints: PageHints):
        if not isinstance(response, TextResponse):  # a report file served without a file name
            yield fetched_page(response, hints)
            return
        files = self.report_files(response)
        if files and self.is_attachment_only(response):
            title = " ".join(response.css("meta[name=ArticleTitle]::attr(content)").getall()).strip()
            detail_hints = hints.replace(source_url=response.url, title=title or hints.title)
            for url, _ in files:
                yield self.attachment_request(url, detail_hints)
            return
        yield fetched_page(response, hints)

    def parse_attachment(self, response: Response, hints: PageHints):
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
