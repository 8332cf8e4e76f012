"""HanwebSpider: ReportSpider for Hanweb (大汉) columns.

A Hanweb column page keeps its first group of items in a `<datastore>` script and pages through
the rest with POSTs to `dataproxy.jsp` (govcrawl/cms/hanweb.py). This base reads the records, asks
for every further group up front (the column page states the total), and treats the dataproxy
answers as listing pages of their own. Detail pages keep the body in `div#zoom`.
"""

from __future__ import annotations

from collections.abc import Iterable

import scrapy
from scrapy.http import TextResponse

from govcrawl.cms import hanweb
from govcrawl.cms.links import ListingEntry
from govcrawl.spiders.base import ReportSpider


class HanwebSpider(ReportSpider):
    """Base for spiders over Hanweb columns (`/col/colNNN/index.html`)."""

    content_css = "#zoom"

    def listing_entries(self, response: TextResponse) -> Iterable[ListingEntry]:
        if hanweb.is_hanweb_column(response.text):
            return hanweb.record_entries(response.text, response.url)
        # a page without a datastore (an xxgk module list, a static index): plain links
        return super().listing_entries(response)

    def listing_pages(self, response: TextResponse) -> Iterable[str]:
        # Hanweb columns page through dataproxy POSTs (see parse_listing), never through
        # 下一页 anchors: the jpage bar is drawn by JavaScript and its links are `javascript:`
        if hanweb.is_hanweb_column(response.text):
            return ()
        return super().listing_pages(response)

    def parse_listing(self, response):
        yield from super().parse_listing(response)
        if not isinstance(response, TextResponse) or hanweb.is_dataproxy_url(response.url):
            return  # a dataproxy answer: the column page already asked for every group
        for url, form in hanweb.dataproxy_requests(response.url, response.text):
            yield self.dataproxy_request(url, form, referer=response.url)

    def dataproxy_request(self, url: str, formdata: dict, referer: str) -> scrapy.FormRequest:
        """One group of a column, POSTed the way the jpage plug-in does."""
        return scrapy.FormRequest(
            url, formdata=formdata, callback=self.parse_listing, errback=self.on_error,
            headers={"Referer": referer, "X-Requested-With": "XMLHttpRequest"},
            meta={"govcrawl_kind": "listing"})
