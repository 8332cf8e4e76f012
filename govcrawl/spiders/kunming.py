"""KunmingSpider: ReportSpider for the Kunming government site cluster (govcrawl/cms/kunming.py)."""

from __future__ import annotations

from collections.abc import Iterable

from scrapy.http import TextResponse

from govcrawl.cms import kunming
from govcrawl.cms.links import ListingEntry
from govcrawl.spiders.base import ReportSpider


class KunmingSpider(ReportSpider):
    """A column of a Kunming cluster site: `index.shtml`, `index_2.shtml`, ... pages listing
    `/c/YYYY-MM-DD/N.shtml` articles whose body sits in `div.conTxt`."""

    content_css = kunming.CONTENT_CSS

    def listing_entries(self, response: TextResponse) -> Iterable[ListingEntry]:
        return kunming.listing_entries(response) or super().listing_entries(response)

    def listing_pages(self, response: TextResponse) -> Iterable[str]:
        return kunming.listing_pages(response) or super().listing_pages(response)
