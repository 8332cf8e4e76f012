"""What spiders yield: a fetched page or attachment, before extraction.

Spiders stay thin and never parse reports inline (extraction is CPU-bound and would block the
reactor): they yield a `FetchedPage`, and `govcrawl.pipelines.extract.ExtractPipeline` turns it into
the report record off the reactor thread.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass
class PageHints:
    """What the crawl knows about a page before it is parsed, from the listing page that linked it
    or the detail page of an attachment. Typed, so that a misspelt key fails loudly instead of
    silently never reaching the parser."""

    #: the link text on the listing page
    title: str = ""
    #: the date printed beside the link, YYYY-MM-DD
    published: str | None = None
    #: the spider's own agency: the parser's last resort when the page names none
    agency: str = ""
    #: the listing page (column) the link was found on
    column: str = ""
    #: for an attachment-only report: the detail page that linked the file
    source_url: str | None = None
    #: the 6-digit division code of the spider's or the catalog row's region: the context that
    #: places an agency name without a division in it (`市民政局`), see govcrawl/agencies
    region_code: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The hints as stored with a version (JSON), empty values left out."""
        return {k: v for k, v in asdict(self).items() if v}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> PageHints:
        """Hints from their stored form. Versions stored before the hints were typed spelt the
        agency `agency_hint`; unknown keys are ignored."""
        data = dict(data or {})
        if "agency_hint" in data and not data.get("agency"):
            data["agency"] = data.pop("agency_hint")
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def replace(self, **changes: Any) -> PageHints:
        return PageHints(**{**asdict(self), **changes})


@dataclass
class FetchedPage:
    url: str
    body: bytes
    status: int = 200
    content_type: str | None = None
    #: the encoding Scrapy decided on (after govcrawl's charset fix), for HTML/text bodies
    encoding: str | None = None
    #: ETag / Last-Modified as sent by the server, for conditional re-fetching
    etag: str | None = None
    last_modified: str | None = None
    hints: PageHints = field(default_factory=PageHints)
    #: the run scope the page was crawled in (`request.meta["govcrawl_scope"]`, one per column of
    #: a `catalog` crawl); None: the crawl's own scope (govcrawl/storage/crawl.py)
    scope: str | None = None
    #: the URL the crawl asked for, when the server redirected it (on the same site) to `url`:
    #: the listing links this one, so a failure is recorded, and the page kept from `missing`,
    #: under it; None when the page answered at the URL asked for
    requested_url: str | None = None

    @property
    def origin(self) -> str:
        """The URL the crawl asked for: `requested_url` if the page was redirected, else `url`."""
        return self.requested_url or self.url

    @property
    def redirect_note(self) -> str:
        """` (redirected: a -> b)` for a redirected page, for failure reasons; else empty."""
        return f" (redirected: {self.requested_url} -> {self.url})" if self.requested_url else ""
