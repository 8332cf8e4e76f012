"""The Family protocol: everything the crawl knows about one CMS family, in one object.

A family says how its column pages list reports, page through the column and nest sub-columns,
which POSTs a column needs beyond its pages (Hanweb's dataproxy groups, Fujian's trsapi search),
where a detail page keeps its body, and how to tell its pages from other families'. Spiders hold
no listing logic: `ReportSpider` asks `self.family`, the generic `column` spider asks the family
the registry (`govcrawl.cms.detect_family`) finds on each page.

Families sit below the spiders: they read responses and return URLs, entries and `FormPost`
specifications, never `scrapy.Request` objects, so the spider supplies callbacks, errbacks and its
own request bookkeeping (`ReportSpider.post_request`).

How to use (a new CMS family):

#. Add `govcrawl/cms/<name>.py` with the CMS's plain functions (what its pages look like, as
   functions over a response or a string, each tested on a recorded page).
#. Subclass `PlainFamily` (govcrawl/cms/plain.py): a CMS page is a plain list plus the CMS's own
   machinery, so override only what differs and call `super()` for the plain rules.
#. Set `name` (what `-a family=` and `govcrawl new-agency --family` accept) and `content_css`.
#. Implement `detect` with evidence only this CMS leaves (its paging script, editor markup,
   `generator` meta, column URLs; never the `SiteName`/`ColumnName` meta every CMS prints), and
   `is_document_url` with its article URL shape for pages without such evidence.
#. Override `listing_entries`, `listing_pages`, `subcolumns` and `extra_requests` as the CMS needs,
   and `announced_pages` when its pages state how many pages the column has. `listing_pages` and
   `extra_requests` never generate more than `limit` URLs or POSTs, whatever a page announces
   (`createPageHTML(2000000, ...)` must cost nothing): the spider records the cap as a failure.
#. End the module with `FAMILY = <Name>Family()` and add it to `FAMILIES` in
   govcrawl/cms/__init__.py, in detection order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from govcrawl.cms.links import ListingEntry

#: listing pages (or listing POSTs) one listing page may generate at most: the default `limit` of
#: `Family.listing_pages` / `Family.extra_requests`; the spider passes GOVCRAWL_MAX_LISTING_PAGES
MAX_LISTING_PAGES = 300


@dataclass(frozen=True)
class FormPost:
    """A POST a column needs beyond its pages, for the spider to send with its own callbacks:
    `scrapy.FormRequest(url, formdata=formdata, headers=headers, meta={**meta, ...})`."""

    url: str
    formdata: dict[str, str]
    headers: dict[str, str] = field(default_factory=dict)
    #: request meta the family reads back on the answer (e.g. `govcrawl_trsapi`)
    meta: dict = field(default_factory=dict)


def xhr_post(url: str, formdata: dict[str, str], referer: str, **meta) -> FormPost:
    """A POST sent the way list scripts send them (jQuery ajax from the column page)."""
    return FormPost(url, dict(formdata), {"Referer": referer, "X-Requested-With": "XMLHttpRequest"},
                    dict(meta))


def response_meta(response) -> dict:
    """The meta of the request behind `response`; `{}` for a response built without one."""
    try:
        return response.meta
    except AttributeError:  # Scrapy raises it when response.request is None
        return {}


def inline_scripts(response) -> str:
    """The text of a page's inline scripts, where paging machinery lives."""
    return "\n".join(response.xpath("//script[not(@src)]/text()").getall())


def same_host_links(response) -> list[str]:
    """Every anchor's absolute URL on the page's own host (links to other sites prove nothing
    about this one)."""
    host = urlsplit(response.url).netloc.lower()
    links = []
    for href in response.css("a::attr(href)").getall():
        url = urljoin(response.url, href.strip())
        if urlsplit(url).netloc.lower() == host:
            links.append(url)
    return links


class Family:
    """One CMS family. The hooks below have neutral defaults (no evidence, nothing listed);
    `PlainFamily` implements the plain-list rules every concrete family builds on."""

    #: the family's name: `-a family=`, `govcrawl new-agency --family`, logs and stats
    name: str = ""
    #: CSS (a selector group allowed) for the article body on detail pages: a page whose body is
    #: nearly empty but links a report file is an attachment-only report
    content_css: str = "body"
    #: a page of this family's column that shows no family evidence of its own (a year
    #: sub-column, a later page) is still this family's: the generic spider keeps the column's
    #: family for it instead of treating it as a plain list
    spans_column: bool = False

    # --- recognising pages ------------------------------------------------------------------------
    def detect(self, response) -> bool:
        """True when the page shows machinery or markup only this family produces."""
        return False

    def is_document_url(self, url: str) -> bool:
        """True for an article URL of this family's shape (`.../202101/t20210129_1.html`)."""
        return False

    def vote(self, response, links: Sequence[str]) -> float:
        """How strongly a page without `detect` evidence looks like this family: by default the
        number of its links (`same_host_links`) that are this family's document URLs."""
        return sum(1 for url in links if self.is_document_url(url))

    # --- listing pages ----------------------------------------------------------------------------
    def listing_entries(self, response) -> list[ListingEntry]:
        """The linked entries of a listing page, in page order (the spider filters report titles)."""
        return []

    def listing_pages(self, response, limit: int = MAX_LISTING_PAGES) -> list[str]:
        """Further pages of this listing, as GET URLs (the dupefilter drops those already seen);
        at most `limit` of them, generated only that far."""
        return []

    def announced_pages(self, response) -> int | None:
        """How many listing pages (or listing POSTs) the column has by this page's own account
        (a paging script's page count, a `共N页`, the last page of a pager), its first page
        included; None when the page does not say. More than the spider's cap: the listing is
        incomplete, and the spider records it."""
        return None

    def subcolumns(self, response) -> list[str]:
        """Child columns to walk as listings of their own (e.g. one per report year)."""
        return []

    def extra_requests(self, response, limit: int = MAX_LISTING_PAGES) -> list[FormPost]:
        """POSTs the column needs besides its pages (records served only by an API); their
        answers come back to the spider's listing callback as listing pages of this family. At
        most `limit` of them."""
        return []

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"
