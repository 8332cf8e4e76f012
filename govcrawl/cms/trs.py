"""TRS WCM sites (most provincial and city portals, the Guizhou 集约化 platform among them).

Plain functions over a Scrapy/parsel response (anything with `.url`, `.css`, `.xpath` and
`.urljoin`) or over strings, and `FAMILY`, the TRS family object spiders delegate to (agency
spiders declare `family = trs.FAMILY`; the generic `column` spider finds it with `detect`).

What a TRS column looks like:
- column pages are static files `<column>/index.html`, `<column>/index_1.html`, ...
  `<column>/index_{N-1}.html`; the page count N exists only inside a script
  (`var countPage = 2`, `createPageHTML(2, 0, "index", "html")`, or anchors built with
  `document.write`), never as a plain link;
- entries are `<li><a href="./202101/t20210129_66608151.html" title="full title">shortened
  title...</a><b>2021-01-29</b></li>` (Guizhou: `div.zfxxgk_zdgkc`; news columns: `div.NewsList`
  with a `<span>` date; elsewhere a plain `ul`);
- an annual-report column has one child column per year (`2020year/`, `2020n/`, `2020nian/`),
  linked from the column's own navigation;
- columns of the Fujian 集约化 platform (every *.fujian.gov.cn / *.pingtan.gov.cn portal) render their
  list with the `list2.trsapi` script in `quickMode: "动静结合"`: the page holds the first records
  as markup, the rest come only from `POST /fjdzapp/search` (form `channelid` = the site's document
  library `SiteInfo.searchId`, `classsql=chnlid=N`, `sortfield`, `page`, `prepage`) answering JSON
  `{"data": [{"doctitle", "chnldocurl"/"docpuburl", "docreltime"}, ...], "pageCount": N}`; the
  page states `recordCount` and `prepage`, and no `index_N` files exist;
- detail pages live at `<column>/YYYYMM/tYYYYMMDD_NNNN.html`, carry `ArticleTitle`, `PubDate`,
  `ContentSource`, `ColumnName` meta tags and keep the body in `div.TRS_Editor` (older WCM) or
  `div.view.TRS_UEDITOR` (UEditor); attachments are `./P0YYYYMMDD....pdf` beside the page.
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime, timedelta, timezone
from itertools import islice
from urllib.parse import urljoin, urlsplit

from govcrawl.cms.family import MAX_LISTING_PAGES, FormPost, inline_scripts, response_meta, xhr_post
from govcrawl.cms.links import ListingEntry, anchor_title
from govcrawl.cms.plain import PlainFamily, column_url, iter_page_urls
from govcrawl.text.links import followable_href, printed_date

#: detail page of a TRS document: `/YYYYMM/tYYYYMMDD_NNNN.html` (also .htm/.shtml)
DETAIL_URL = re.compile(r"/(?P<month>(?:19|20)\d{2}(?:0[1-9]|1[0-2]))/t(?P<date>(?:19|20)\d{6})_(?P<id>\d+)\.s?html?$")

#: article body containers, most specific first. `TRS_Editor`: WCM's classic editor;
#: `TRS_UEDITOR`/`trs_editor_view`: the UEditor-based WCM 7+ editor; `scroll_cont`/`zfxxgk_content`:
#: the Guizhou 集约化 platform's disclosure-page wrappers; `#Zoom`: the 字号-zoom div many
#: TRS templates wrap the body in.
CONTENT_SELECTORS = (
    "div.TRS_Editor",
    "div.TRS_UEDITOR",
    "div.trs_editor_view",
    "div.scroll_cont",
    "div.zfxxgk_content",
    "div#Zoom",
)
CONTENT_CSS = ", ".join(CONTENT_SELECTORS)

#: where the entries of a column page sit, most specific first (Guizhou disclosure lists, Guizhou
#: news lists, common TRS list classes)
LIST_SELECTORS = (
    "div.zfxxgk_zdgkc ul li",
    "div.NewsList ul li",
    "ul.list li",
    "div.list ul li",
    "div.xxgk_list ul li",
)

_PAGE_CALL = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_VAR = re.compile(r"\bvar\s+(\w+)\s*=\s*['\"]?(\d+)['\"]?")
_COUNT_VARS = ("countPage", "pageCount", "totalPage", "page_count", "maxPage")
_CURRENT_VARS = ("currentPage", "curPage", "nCurrIndex", "page_current")
_INDEX_HREF = re.compile(r"""(?:href\s*=\s*\\?["']?)((?:\./)?(?P<name>[A-Za-z]\w*)_(?P<n>\d+)\.(?P<ext>s?html?))""")


# --- dates and URLs ---------------------------------------------------------------------------
def is_detail_url(url: str) -> bool:
    """True for a TRS document URL, `.../YYYYMM/tYYYYMMDD_NNNN.html`."""
    return bool(DETAIL_URL.search(urlsplit(url).path))


def detail_url_date(url: str) -> str | None:
    """The date in a TRS document URL (`t20210129_...` -> `2021-01-29`).

    This is the day the document was created in WCM, which can be long after the report was
    published when a site was migrated (anshun's 2016 report, published 2017-03-27, sits at
    `201807/t20180711_6177353.html`): a fallback, never better than `PubDate`.
    """
    m = DETAIL_URL.search(urlsplit(url).path)
    if not m:
        return None
    d = m.group("date")
    return f"{d[:4]}-{d[4:6]}-{d[6:]}"


# --- listing entries --------------------------------------------------------------------------
def listing_entries(response) -> list[ListingEntry]:
    """The entries of a TRS column page, in page order.

    Takes the first list container that holds linked entries (see `LIST_SELECTORS`); the title is
    the anchor's `title` attribute when present, because the visible text is often shortened to
    `安顺市人民政府办公室2021年政府信息公开工作年...`. Empty when the page has no known list:
    callers fall back to a generic link scan.
    """
    for css in LIST_SELECTORS:
        items = response.css(css)
        entries = [e for e in (_entry(response, li) for li in items) if e is not None]
        if entries:
            return entries
    return []


def _entry(response, li) -> ListingEntry | None:
    a = li.css("a[href]")
    if not a:
        return None
    a = a[0]
    href, title = followable_href(a.attrib.get("href")), anchor_title(a)
    if not href or not title:
        return None
    # the date is in a sibling <b>/<span>/<em> (Guizhou: <b>2021-01-29</b>) or bare text in the
    # <li>; never the anchor text, whose title may itself contain a date
    dated = " ".join(li.xpath("./*[not(self::a)]//text() | ./text()").getall())
    return ListingEntry(url=response.urljoin(href), title=title, date=printed_date(dated))


# --- pagination -------------------------------------------------------------------------------
def _page_call_args(text: str) -> list[str] | None:
    """The arguments of the first `createPageHTML(...)` call, unquoted, without the target element
    id that newer templates pass first (`createPageHTML('page_div', 2, 1, 'index', 'html', 37)`)."""
    m = _PAGE_CALL.search(text or "")
    if not m:
        return None
    args = [a.strip() for a in m.group(1).split(",")]
    if args and args[0][:1] in "'\"" and not args[0].strip("'\"").isdigit():
        args = args[1:]
    return [a.strip("'\"") for a in args]


def page_count(text: str) -> tuple[int, int] | None:
    """(page count, current page index) from a TRS pagination script, or None.

    Understands `createPageHTML(2, 0, "index", "html")`, the newer
    `createPageHTML('page_div', 2, 1, 'index', 'html', 37)`, `createPageHTML(countPage, ...)` with
    `var countPage = 2`, and a bare `var countPage = 2` (`document.write` templates).
    """
    variables = {name: int(value) for name, value in _VAR.findall(text or "")}
    args = _page_call_args(text)
    if args:
        count, current = (_arg_value(a, variables) for a in (args + ["0"])[:2])
        if count is not None:
            return max(count, 0), max(current or 0, 0)
    for name in _COUNT_VARS:
        if name in variables:
            current = next((variables[v] for v in _CURRENT_VARS if v in variables), 0)
            return variables[name], current
    return None


def _arg_value(arg: str, variables: dict[str, int]) -> int | None:
    return int(arg) if arg.isdigit() else variables.get(arg)


def page_name(text: str) -> tuple[str, str]:
    """(page file name, extension) from `createPageHTML(count, current, "index", "html")`;
    `("index", "html")` when the script does not say."""
    args = _page_call_args(text) or []
    if len(args) >= 4 and re.fullmatch(r"[A-Za-z]\w*", args[2]) and args[3] in ("html", "htm", "shtml"):
        return args[2], args[3]
    return "index", "html"


def listing_pages(response, limit: int = MAX_LISTING_PAGES) -> list[str]:
    """The other pages of this TRS column, from its pagination script, at most `limit`.

    Every page but the one at hand (requests for pages already seen are dropped by Scrapy's
    dupefilter), so a crawl entering at `index_1.html` still finds the first page. Falls back to
    `index_N.html` hrefs written by `document.write`. Empty when the page has no TRS pagination.
    The script's page count is clamped to `limit` before any URL is made: a template announcing
    `createPageHTML(2000000, ...)` costs `limit` URLs (the spider records the cap, see
    `announced_pages`).
    """
    scripts = inline_scripts(response)
    found = page_count(scripts)
    here = response.url.split("#", 1)[0].split("?", 1)[0]
    if found:
        name, ext = page_name(scripts)
        # `.../index.html` and `.../` are the same page
        if here.endswith(f"/{name}.{ext}"):
            here = column_url(here)
        pages = iter_page_urls(response.url, min(found[0], limit), name, ext)
        return list(islice((u for u in pages if u != here), limit))
    urls: dict[str, None] = {}
    for m in _INDEX_HREF.finditer(scripts):
        url = response.urljoin(m.group(1))
        if url != here:
            urls.setdefault(url)
            if len(urls) >= limit:
                break
    return list(urls)


def announced_pages(response) -> int | None:
    """The page count of this TRS column's pagination script (its first page included), or None."""
    found = page_count(inline_scripts(response))
    return found[0] if found else None


# --- detail pages -----------------------------------------------------------------------------
def page_meta(response) -> dict[str, str]:
    """The TRS meta tags of a detail page (`ArticleTitle`, `PubDate`, `ContentSource`,
    `ColumnName`, ...), name -> content, stripped."""
    meta = {}
    for tag in response.css("meta[name]"):
        name, content = tag.attrib.get("name", ""), tag.attrib.get("content")
        if name and content is not None and name not in meta:
            meta[name] = content.strip()
    return meta


def content_selector(response) -> str | None:
    """The first of `CONTENT_SELECTORS` present on the page, or None."""
    for css in CONTENT_SELECTORS:
        if response.css(css):
            return css
    return None


def looks_like_trs(text: str) -> bool:
    """True for a page a TRS WCM site produced: its pagination script, its editor classes or its
    meta tags. For the generic spider's CMS detection."""
    text = text or ""
    return bool(_PAGE_CALL.search(text) or "TRS_Editor" in text or "TRS_UEDITOR" in text
                or re.search(r"""<meta\s+name=["']?(ArticleTitle|ColumnName|SiteName)""", text, re.I))


# --- list2.trsapi columns (Fujian 集约化 platform) --------------------------------------------
#: the path the platform's list script POSTs to (`listApi: {url: ...}` may name another)
TRSAPI_SEARCH_PATH = "/fjdzapp/search"
_TRSAPI = re.compile(r"list2\.trsapi|pageChnlInfo")
_TRSAPI_CHNL = re.compile(r"chnlid\s*=\s*(\d+)")
_TRSAPI_CHANNEL = re.compile(r"\b(?:searchId|channelid)\s*:\s*['\"]?(\d+)")
_TRSAPI_RECORDS = re.compile(r"\brecordCount\s*:\s*['\"]?(\d+)")
_TRSAPI_PREPAGE = re.compile(r"\bprepage\s*:\s*['\"]?(\d+)")
_TRSAPI_SORT = re.compile(r"\bsortfield\s*:\s*['\"]([^'\"]+)['\"]")
_TRSAPI_URL = re.compile(r"\blistApi\s*:\s*\{\s*url\s*:\s*['\"]([^'\"]+)['\"]")
_TAGS = re.compile(r"<[^>]+>")
#: request meta marking a `/fjdzapp/search` answer (set on the family's POSTs, read back here)
TRSAPI_META = "govcrawl_trsapi"
_CHINA = timezone(timedelta(hours=8))


def is_trsapi_answer(response) -> bool:
    """A `/fjdzapp/search` JSON answer to one of `FAMILY.extra_requests`."""
    return bool(response_meta(response).get(TRSAPI_META))


def trsapi_requests(page_url: str, scripts: str, limit: int = MAX_LISTING_PAGES) -> list[tuple[str, dict[str, str]]]:
    """`(url, formdata)` of every `/fjdzapp/search` POST that lists a list2.trsapi column, page 1
    to `ceil(recordCount / prepage)` (the static page's records come again: duplicates are
    dropped by the dupefilter). Empty for any other page, or when the script does not say which
    column and document library to ask."""
    if not _TRSAPI.search(scripts or ""):
        return []
    chnl, channel = _TRSAPI_CHNL.search(scripts), _TRSAPI_CHANNEL.search(scripts)
    records = _TRSAPI_RECORDS.search(scripts)
    if not (chnl and channel and records):
        return []
    prepage = _TRSAPI_PREPAGE.search(scripts)
    per_page = max(int(prepage.group(1)) if prepage else 15, 1)
    sort = _TRSAPI_SORT.search(scripts)
    api = _TRSAPI_URL.search(scripts)
    url = urljoin(page_url, api.group(1) if api else TRSAPI_SEARCH_PATH)
    form = {"channelid": channel.group(1), "classsql": f"chnlid={chnl.group(1)}",
            "sortfield": sort.group(1) if sort else "-docorderpri,-docreltime",
            "prepage": str(per_page)}
    pages = min(trsapi_page_count(scripts) or 0, limit)
    return [(url, {**form, "page": str(n)}) for n in range(1, pages + 1)]


def trsapi_page_count(scripts: str) -> int | None:
    """How many `/fjdzapp/search` pages a list2.trsapi column has: `ceil(recordCount / prepage)`;
    None for any other page."""
    if not _TRSAPI.search(scripts or ""):
        return None
    records = _TRSAPI_RECORDS.search(scripts)
    if not records:
        return None
    prepage = _TRSAPI_PREPAGE.search(scripts)
    per_page = max(int(prepage.group(1)) if prepage else 15, 1)
    return math.ceil(int(records.group(1)) / per_page)


def _trsapi_date(value) -> str | None:
    if isinstance(value, (int, float)) and value > 10**11:  # epoch milliseconds
        return datetime.fromtimestamp(value / 1000, _CHINA).strftime("%Y-%m-%d")
    return printed_date(str(value or ""))


def trsapi_entries(text: str, base_url: str) -> list[ListingEntry]:
    """The records of a `/fjdzapp/search` JSON answer (`data` or `docs`), as ListingEntry: the
    title `doctitle` (markup of search highlights removed), the URL `chnldocurl` (else
    `docpuburl`/`url`), the date `docreltime` (`2024-03-08 15:34` or epoch milliseconds)."""
    try:
        answer = json.loads(text or "")
    except ValueError:
        return []
    items = (answer.get("data") or answer.get("docs") or []) if isinstance(answer, dict) else []
    entries = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        href = followable_href(item.get("chnldocurl") or item.get("docpuburl") or item.get("url"))
        title = " ".join(_TAGS.sub("", str(item.get("doctitle") or item.get("title") or "")).split())
        if href and title:
            entries.append(ListingEntry(url=urljoin(base_url, href), title=title,
                                        date=_trsapi_date(item.get("docreltime"))))
    return entries


# --- the family -------------------------------------------------------------------------------
_TRS_EDITOR = re.compile(r"""class=["'][^"']*\bTRS_(?:Editor|UEDITOR)\b""", re.I)


class TRSFamily(PlainFamily):
    """TRS WCM: entries in the platform's list containers, pages `index_N.html` from the pagination
    script, year sub-columns, list2.trsapi columns paged by `/fjdzapp/search` POSTs; a template
    without a known list container or script is read as a plain list."""

    name = "trs"
    content_css = CONTENT_CSS
    #: year sub-columns and later pages of a TRS column may carry no script or editor markup
    spans_column = True

    def detect(self, response) -> bool:
        if is_trsapi_answer(response):
            return True
        # the SiteName/ColumnName meta tags of looks_like_trs are on every CMS's pages
        # (national website norms): only the paging script, the editor and `generator` count
        generator = " ".join(response.css("meta[name=generator]::attr(content), "
                                          "meta[name=Generator]::attr(content)").getall())
        return ("createPageHTML" in inline_scripts(response) or bool(_TRS_EDITOR.search(response.text))
                or "TRS" in generator)

    def is_document_url(self, url: str) -> bool:
        return is_detail_url(url)

    def vote(self, response, links) -> float:
        documents = super().vote(response, links)
        # the half vote: a page-count script is weak TRS evidence, and TRS wins a tie of links
        if documents or page_count(inline_scripts(response)) is not None:
            return documents + 0.5
        return 0

    def listing_entries(self, response) -> list[ListingEntry]:
        if is_trsapi_answer(response):
            return trsapi_entries(response.text, response.url)
        return listing_entries(response) or super().listing_entries(response)

    def listing_pages(self, response, limit: int = MAX_LISTING_PAGES) -> list[str]:
        if is_trsapi_answer(response):
            return []  # every API page was asked for from the column page
        return listing_pages(response, limit) or super().listing_pages(response, limit)

    def announced_pages(self, response) -> int | None:
        if is_trsapi_answer(response):
            return None
        scripts = inline_scripts(response)
        trsapi = trsapi_page_count(scripts)
        if trsapi is not None:
            return trsapi + 1  # the static column page, then the search API's pages
        return announced_pages(response) or super().announced_pages(response)

    def subcolumns(self, response) -> list[str]:
        if is_trsapi_answer(response):
            return []
        # the year sub-columns (`2020year/`, `2020n/`) of the plain rule: TRS report columns are
        # where the rule comes from
        return super().subcolumns(response)

    def extra_requests(self, response, limit: int = MAX_LISTING_PAGES) -> list[FormPost]:
        # list2.trsapi columns: the records past the static ones come only from the search API
        if is_trsapi_answer(response):
            return []
        return [xhr_post(url, form, referer=response.url, **{TRSAPI_META: True})
                for url, form in trsapi_requests(response.url, inline_scripts(response), limit)]


FAMILY = TRSFamily()
