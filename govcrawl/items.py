"""What spiders yield: a fetched page or attachment, before extraction.

Spiders stay thin and never parse reports inline (extraction is CPU-bound and would block the
reactor): they yield a `FetchedPage`, and `govcrawl.pipelines.extract.ExtractPipeline` turns it into
the report record in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
    #: from the listing page or the linking detail page: title, published, agency, column,
    #: source_url (detail page of an attachment-only report)
    hints: dict = field(default_factory=dict)
