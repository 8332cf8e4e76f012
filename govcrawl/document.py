"""The intermediate form between extraction (HTML, text, PDF, DOCX) and the report parser.

Every source is first turned into a `ReportDocument`: clean narrative lines, statistics tables as
grids of cell strings, and whatever identity hints the page carried. `govcrawl.parse.parse_document`
turns a document into the record of docs/report-schema.md, whatever its source was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govcrawl.items import PageHints


@dataclass
class Table:
    """A table as a rectangular grid of cell texts.

    HTML tables are expanded with rowspan/colspan: a merged cell's text is repeated in every grid
    position it covers, so a label merged over five rows appears on each of the five rows.
    `spans[r][c]` is True where the cell at (r, c) is a copy made by that expansion (not the origin
    cell), so a reader can tell a printed blank from a merged area. Cell text is whitespace-trimmed;
    inner whitespace is kept as printed (label matching strips it itself).
    """

    rows: list[list[str]]
    caption: str = ""  # text just before the table (e.g. "第二十条第（一）项", "…统计表")
    spans: list[list[bool]] | None = None


@dataclass
class ReportDocument:
    url: str
    #: "html", "text", "pdf", "docx", "doc"
    source: str = "html"
    #: candidate titles, best first (meta ArticleTitle, page heading, <title>, listing link text)
    titles: list[str] = field(default_factory=list)
    #: clean body: one paragraph per line; boilerplate already removed. Tables are NOT inlined here
    #: for HTML (they are in `tables`); for text input the flattened tables stay in the lines.
    lines: list[str] = field(default_factory=list)
    #: statistics/report tables read from the raw markup (HTML, DOCX, PDF geometry)
    tables: list[Table] = field(default_factory=list)
    #: the 索引号 block as printed, label -> value, inner spaces removed from labels
    meta: dict[str, str] = field(default_factory=dict)
    #: <meta name=... content=...> of the page (ArticleTitle, PubDate, ContentSource, ColumnName, ...)
    page_meta: dict[str, str] = field(default_factory=dict)
    #: dates printed in the page chrome (byline 发布时间/发布日期), as found, for `published`
    byline_dates: list[str] = field(default_factory=list)
    #: [{"url", "name", "type"}] links to attachment files
    attachments: list[dict] = field(default_factory=list)
    #: what the crawl knew of the page (listing-page title and date, the spider's agency, the
    #: detail page of an attachment)
    hints: PageHints = field(default_factory=PageHints)
    #: flags raised while extracting (e.g. "needs_ocr", "charset_fallback")
    flags: list[str] = field(default_factory=list)
    #: the page's breadcrumb trail as printed, its items in order without the label and the home
    #: item (`当前位置：首页 > 张家港市凤凰镇 > 政府信息公开年报` -> ["张家港市凤凰镇", "政府信息公开年报"]):
    #: evidence of the agency for the parser; [] when the page shows none
    breadcrumb: list[str] = field(default_factory=list)
