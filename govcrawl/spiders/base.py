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

Listing requests are budgeted: one crawl asks for at most GOVCRAWL_MAX_LISTING_PAGES (300)
distinct listing pages (requests already made do not count again), and a family never generates
more than that for one page, whatever the page announces. Hitting the cap is a failure of kind
`limit` on the listing page ("listing pages capped at 300 of 2000000 announced"), which makes the
run's listing incomplete: nothing is marked missing (govcrawl/storage/crawl.py).

Every failed request is recorded (`on_error` -> `page_failed`) under the URL the crawl asked for
(the first of a redirect chain), with a kind and a reason (`failure_outcome`). The only ignored
requests that are not failures are those already counted elsewhere: pages found unchanged
(`page_unchanged`) and WAF challenges (recorded as `blocked` by the WAF middleware).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urljoin

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from govcrawl.cms.family import MAX_LISTING_PAGES, Family, FormPost
from govcrawl.cms.links import ListingEntry
from govcrawl.cms.plain import column_url
from govcrawl.items import FetchedPage, PageHints
from govcrawl.middlewares import BlockedByWaf, origin_url, redirect_chain
from govcrawl.signals import page_failed
from govcrawl.storage.middleware import PageUnchanged
from govcrawl.text.links import attachment_type, is_annual_report_title

_CJK = re.compile(r"[\u4e00-\u9fff]")

#: attachment types that can hold a whole report (downloaded when the detail page is only a link)
REPORT_FILE_TYPES = ("pdf", "doc", "docx", "wps")

#: below this many CJK characters of body text, a detail page that links a report file is an
#: attachment-only report (its body is a title and a download link)
ATTACHMENT_ONLY_MAX_CJK = 150


#: the messages of Scrapy's own IgnoreRequests (RobotsTxtMiddleware, BaseRedirectMiddleware), which
#: raise the bare class
ROBOTS_MESSAGE = "Forbidden by robots.txt"
MAX_REDIRECTS_MESSAGE = "max redirections reached"


def failure_outcome(failure, max_redirects: int | None = None) -> tuple[str, str] | None:
    """(kind, reason) of a failed request, for `page_failed`; None for the ignored requests that
    are counted elsewhere (an unchanged page, a WAF challenge).

    - `http`: an error status (`HTTP 404`, `HTTP 500` after the retries), a network error, a
      timeout or a body cut short (`DownloadTimeoutError: ...`, `ResponseDataLossError`), a body
      announced over DOWNLOAD_MAXSIZE (`DownloadCancelledError: ...`), a redirect chain longer
      than REDIRECT_MAX_TIMES;
    - `robots`: the site's robots.txt forbids the page (a block by policy, never silent);
    - `ignored`: any other IgnoreRequest, with Scrapy's message (a gzip bomb: its body exceeded
      DOWNLOAD_MAXSIZE during decompression).

    A redirected request names its chain (`redirected: a -> b`) after the reason, so a reason
    begins with `HTTP 404` / `HTTP 410` only when the page answered that.
    """
    request = failure.request
    chain = redirect_chain(request)
    via = f" (redirected: {chain})" if request.meta.get("redirect_urls") else ""
    if failure.check(HttpError):  # an IgnoreRequest subclass: must be tested first
        return "http", f"HTTP {failure.value.response.status}{via}"
    if failure.check(PageUnchanged, BlockedByWaf):
        return None
    message = failure.getErrorMessage()
    if failure.check(IgnoreRequest):
        if message == ROBOTS_MESSAGE:
            return "robots", f"forbidden by robots.txt{via}"
        if message == MAX_REDIRECTS_MESSAGE:
            limit = f" (REDIRECT_MAX_TIMES {max_redirects})" if max_redirects is not None else ""
            return "http", f"too many redirects{limit}: {chain} -> ..."
        return "ignored", f"{message or failure.type.__name__}{via}"
    # some exceptions carry no message (ResponseDataLossError: a body shorter than announced)
    return "http", f"{failure.type.__name__}{': ' + message if message else ''}{via}"


def fetched_page(response: Response, hints: PageHints | None = None) -> FetchedPage:
    headers = response.headers
    request = getattr(response, "request", None)
    asked = origin_url(request) if request is not None else response.url
    return FetchedPage(
        url=response.url,
        body=response.body,
        status=response.status,
        content_type=(headers.get("Content-Type") or b"").decode("latin-1") or None,
        encoding=response.encoding if isinstance(response, TextResponse) else None,
        etag=(headers.get("ETag") or b"").decode("latin-1") or None,
        last_modified=(headers.get("Last-Modified") or b"").decode("latin-1") or None,
        hints=hints if hints is not None else PageHints(),
        requested_url=asked if asked != response.url else None,
    )


class ReportSpider(scrapy.Spider):
    """Base for annual-report spiders: the listing hooks delegate to the spider's CMS family."""

    #: the CMS family of the site (govcrawl/cms: `trs.FAMILY`, `hanweb.FAMILY`, ...); every
    #: spider declares its own
    family: Family
    #: the agency (or site owner) whose column this is, as a hint for records without one
    agency: str | None = None
    #: the 6-digit division code of the column's region (520400 安顺市): the context that places
    #: agency names without a division (`市民政局`) in the record's `agency_key` / `region_code`
    region_code: str | None = None
    #: True when the start columns hold only annual reports: weaker titles are accepted there
    report_column: bool = True
    #: True for a spider whose column URL is a spider argument (`-a url=`), not `start_urls`
    url_argument: bool = False
    #: what one run of the spider crawls completely, for missing-detection
    #: (govcrawl/storage/crawl.py); None: the spider's name
    crawl_scope: str | None = None
    #: distinct listing requests one crawl makes at most (GOVCRAWL_MAX_LISTING_PAGES)
    max_listing_pages: int = MAX_LISTING_PAGES

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if getattr(self, "family", None) is None:
            raise ValueError(f"{type(self).__name__}: declare the site's CMS family "
                             "(`family = trs.FAMILY`, see govcrawl/cms/__init__.py)")
        #: the listing requests made so far (request fingerprints): the budget counts each once
        self._listing_keys: set = set()
        #: columns whose listing was capped (recorded once per column)
        self._capped_columns: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_listing_pages = max(1, crawler.settings.getint("GOVCRAWL_MAX_LISTING_PAGES",
                                                                  MAX_LISTING_PAGES))
        return spider

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
            request = self.listing_request(url)
            self.claim_listing(request, force=True)
            yield request

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
                                  column=response.url, region_code=self.region_code)
                if attachment_type(entry.url) in REPORT_FILE_TYPES:
                    yield self.attachment_request(entry.url, hints)
                else:
                    yield self.detail_request(entry.url, hints)
        yield from self.budgeted(response, self.further_listings(response))

    def further_listings(self, response: TextResponse) -> Iterable[scrapy.Request]:
        """The listing requests a listing page leads to: its further pages, its sub-columns, its
        family's POSTs."""
        for url in self.listing_pages(response):
            yield self.listing_request(url)
        for url in self.subcolumns(response):
            yield self.listing_request(url)
        yield from self.extra_requests(response)

    # --- the listing budget -----------------------------------------------------------------------
    def _listing_key(self, request: scrapy.Request):
        crawler = getattr(self, "crawler", None)
        if crawler is not None:
            return crawler.request_fingerprinter.fingerprint(request)
        return (request.method, request.url, request.body)

    def claim_listing(self, request: scrapy.Request, force: bool = False) -> bool | None:
        """Count a listing request against the budget: True when it is new and within it (or
        `force`d, the start pages), False when the budget is spent, None when it was requested
        already (a duplicate costs nothing; the dupefilter would drop it)."""
        key = self._listing_key(request)
        if key in self._listing_keys:
            return None
        if not force and len(self._listing_keys) >= self.max_listing_pages:
            return False
        self._listing_keys.add(key)
        return True

    def budgeted(self, response: TextResponse, requests: Iterable[scrapy.Request]):
        """The new listing requests among `requests`, within the budget; a cap hit (requests
        left out, or a page announcing more pages than the budget) is recorded."""
        left_out = 0
        for request in requests:
            claim = self.claim_listing(request)
            if claim:
                yield request
            elif claim is False:
                left_out += 1
        announced = self.family_for(response).announced_pages(response)
        if left_out or (announced is not None and announced > self.max_listing_pages):
            self.listing_capped(response, announced, left_out)

    def listing_capped(self, response: TextResponse, announced: int | None, left_out: int) -> None:
        """Record, once per column, that its listing was cut at the budget: a failure of kind
        `limit` on the listing page, which keeps the run's reports from being marked missing."""
        column = column_url(response.url)
        if column in self._capped_columns:
            return
        self._capped_columns.add(column)
        cap = self.max_listing_pages
        if announced is not None and announced > cap:
            reason = f"listing pages capped at {cap} of {announced} announced"
        else:
            reason = f"listing pages capped at {cap}: {left_out} more linked"
        request = getattr(response, "request", None)
        url = origin_url(request) if request is not None else response.url
        self.logger.warning("%s: %s (GOVCRAWL_MAX_LISTING_PAGES)", url, reason)
        crawler = getattr(self, "crawler", None)
        if crawler is not None:
            crawler.stats.inc_value("govcrawl/pages_failed_limit")
            crawler.signals.send_catch_log(page_failed, url=url, kind="limit", reason=reason,
                                           request=request)

    def is_report_entry(self, entry: ListingEntry) -> bool:
        return is_annual_report_title(entry.title, in_report_column=self.report_column)

    def listing_entries(self, response: TextResponse) -> Iterable[ListingEntry]:
        """Links on a listing page (`Family.listing_entries`)."""
        return self.family_for(response).listing_entries(response)

    def listing_pages(self, response: TextResponse) -> Iterable[str]:
        """Further pages of this listing (`Family.listing_pages`), at most the budget."""
        return self.family_for(response).listing_pages(response, self.max_listing_pages)

    def subcolumns(self, response: TextResponse) -> Iterable[str]:
        """Child columns (e.g. one per year) to walk as listings (`Family.subcolumns`)."""
        return self.family_for(response).subcolumns(response)

    def extra_requests(self, response: TextResponse) -> Iterable[scrapy.FormRequest]:
        """The POSTs the family asks for beyond the column's pages (`Family.extra_requests`)."""
        family = self.family_for(response)
        return [self.post_request(post, family)
                for post in family.extra_requests(response, self.max_listing_pages)]

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
        """Record a failed request (`failure_outcome`) under the URL the crawl asked for."""
        request = failure.request
        outcome = failure_outcome(failure, self.crawler.settings.getint("REDIRECT_MAX_TIMES"))
        if outcome is None:
            return
        kind, reason = outcome
        url = origin_url(request)
        self.logger.warning("%s failed (%s): %s", url, kind, reason)
        self.crawler.stats.inc_value(f"govcrawl/pages_failed_{kind}")
        self.crawler.signals.send_catch_log(page_failed, url=url, kind=kind, reason=reason,
                                            request=request)
