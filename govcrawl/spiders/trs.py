"""TRSSpider: ReportSpider for TRS WCM sites (see govcrawl/cms/trs.py for the site shape)."""

from __future__ import annotations

from collections.abc import Iterable

from scrapy.http import TextResponse

from govcrawl.cms import trs
from govcrawl.cms.links import ListingEntry
from govcrawl.spiders.base import ReportSpider


class TRSSpider(ReportSpider):
    """A TRS annual-report column: year sub-columns, `index_N.html` pages from the pagination
    script, entries in the platform's list container, the body in a TRS editor div."""

    content_css = trs.CONTENT_CSS

    def listing_entries(self, response: TextResponse) -> Iterable[ListingEntry]:
        # a template without a known list container still lists its documents as dated links
        return trs.listing_entries(response) or super().listing_entries(response)

    def listing_pages(self, response: TextResponse) -> Iterable[str]:
        return trs.listing_pages(response) or super().listing_pages(response)

    def subcolumns(self, response: TextResponse) -> Iterable[str]:
        return trs.subcolumns(response)
