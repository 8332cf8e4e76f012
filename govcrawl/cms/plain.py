"""Plain lists: the rules for a column that is just a list of dated links, and the base of every
CMS family (a CMS page is a plain list plus the CMS's own machinery).

- entries: every titled link with a date printed beside it, in its row
  (`<li><a href title>...</a><span>2021-01-29</span></li>`, a `<tr>`, a `<dd>`);
- further pages: the pager's anchors (下一页, 尾页, page numbers) into the same column directory,
  the gaps of a numbered bar filled in, else a page count in a script (`var pageCount = 5`) with
  the `index_N.html` names most CMSs use;
- sub-columns: an annual-report column's child column per year (`2020year/`, `2020n/`,
  `2019nian/`, or a link whose text names the year), one directory below.

Plain functions over a Scrapy/parsel response (anything with `.url`, `.css`, `.xpath` and
`.urljoin`), and `FAMILY`, the plain family: what the registry answers for a page no CMS family
recognises.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from urllib.parse import parse_qsl, urljoin, urlsplit

from govcrawl.cms.family import MAX_LISTING_PAGES, Family, inline_scripts
from govcrawl.cms.links import ListingEntry, anchor_title
from govcrawl.text.links import followable_href, printed_date

_NEXT_OR_LAST = re.compile(r"^\s*(下一页|下页|后页|尾页|末页|最后一页|›|»|>|>>)\s*$")
#: a pager's page number; big columns reach five digits (`index_12345.html`)
_PAGE_NUMBER = re.compile(r"^\s*\[?\s*(\d{1,6})\s*\]?\s*$")
#: a listing page's own name with its page number: index_3.html, list-3.shtml, 3.html, index3.htm
#: (Chengdu's portals: column-index-3.shtml). A bare number as the name (`3.html`) is a page only
#: up to four digits: longer ones are document ids
_PAGE_FILE = re.compile(r"^(?P<stem>(?:[A-Za-z]+[-_]?){0,3})(?P<n>\d{1,6})(?P<ext>\.s?html?|\.jsp|\.aspx?)$")
_BARE_PAGE_DIGITS = 4
#: page-number query parameters (Epoint WebBuilder lists: iList.jsp?node_id=...&cat_id=...&cur_page=2)
_PAGE_PARAMS = frozenset(("page", "pageno", "page_no", "pagenum", "pagenumber", "pageindex", "curpage",
                          "cur_page", "currpage", "currentpage", "pn", "p"))
#: a page count in a script; any number of digits: a count over the limit is clamped, never cut to
#: its first digits
_SCRIPT_COUNT = re.compile(
    r"\b(?:countPage|pageCount|totalPage|totalPages|page_count|maxPage|pageTotal|contenpage)\s*[=:]\s*['\"]?(\d+)")
_YEAR_IN_PATH = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)\s*(?:年度?|$)")


# --- column URLs ------------------------------------------------------------------------------
def column_url(url: str) -> str:
    """The column a listing page belongs to: `.../2020year/index_1.html` -> `.../2020year/`."""
    parts = urlsplit(url)
    path = parts.path
    last = path.rsplit("/", 1)[-1]
    if last and "." in last:  # a page file: index.html, index_3.html
        path = path[: -len(last)]
    elif not path.endswith("/"):
        path += "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def iter_page_urls(column: str, count: int, name: str = "index", ext: str = "html") -> Iterator[str]:
    """Every page of a column, generated on demand: the column itself (`.../2020year/`, which
    serves `index.html`), then `index_1.html`, ..., `index_{count-1}.html`. Lazy, so a page count of
    two million costs only the pages taken (`itertools.islice`).

    The first page is given in its directory form because that is how navigation and year links
    reach a column; `.../index.html` would fetch the same page a second time under another URL.
    """
    base = column_url(column)
    yield base if name == "index" else urljoin(base, f"{name}.{ext}")
    for i in range(1, max(count, 1)):
        yield urljoin(base, f"{name}_{i}.{ext}")


def page_urls(column: str, count: int, name: str = "index", ext: str = "html") -> list[str]:
    """`iter_page_urls` as a list (for counts already clamped)."""
    return list(iter_page_urls(column, count, name, ext))


# --- entries ----------------------------------------------------------------------------------
def entry_date(a) -> str | None:
    """The date printed beside a listing link: in its row (`<li>`, `<tr>`, `<dd>`; a `<dd>` holding
    only the link has its date in a sibling `<dd>` of the same `<dl>`), never in the link's own text,
    whose title may name dates (`2024年1-2月...统计表`)."""
    beside = "descendant::text()[not(ancestor::a)]"
    row = a.xpath("ancestor::*[self::li or self::tr or self::dd or self::dl][1]")
    if not row or (row[0].root.tag == "dl" and len(row[0].xpath(".//a[@href]")) > 1):
        return None  # no row, or one <dl> for the whole list
    date = printed_date(" ".join(row[0].xpath(beside).getall()))
    if date is None and row[0].root.tag == "dd":
        dl = row[0].xpath("parent::dl")
        if dl and len(dl[0].xpath(".//a[@href]")) == 1:  # one entry per <dl>
            date = printed_date(" ".join(dl[0].xpath(beside).getall()))
    return date


def listing_entries(response) -> list[ListingEntry]:
    """Every titled link on the page, with the date printed beside it (None when there is none)."""
    entries = []
    for a in response.css("a[href]"):
        href, title = followable_href(a.attrib.get("href")), anchor_title(a)
        if href and title:
            entries.append(ListingEntry(url=response.urljoin(href), title=title, date=entry_date(a)))
    return entries


# --- pagination -------------------------------------------------------------------------------
def _page_slot(url: str) -> tuple | None:
    """(shape, number) of a listing page URL: `index_3.html` -> (('dir/', 'index_', '.html'), 3),
    `list.jsp?page=3&cid=7` -> (('list.jsp', 'page', other params), 3)."""
    parts = urlsplit(url)
    params = parse_qsl(parts.query, keep_blank_values=True)
    for i, (key, value) in enumerate(params):
        if key.lower() in _PAGE_PARAMS and value.isdigit():
            rest = tuple(params[:i] + params[i + 1:])
            return (parts.scheme, parts.netloc, parts.path, key, rest), int(value)
    directory, _, name = parts.path.rpartition("/")
    m = _PAGE_FILE.match(name)
    if m and not m.group("stem") and len(m.group("n")) > _BARE_PAGE_DIGITS:
        m = None  # `2199012.shtml`: a document, not page two million
    if m and not parts.query:
        return (parts.scheme, parts.netloc, directory + "/", m.group("stem"), m.group("ext")), int(m.group("n"))
    return None


def _slot_url(shape: tuple, n: int) -> str:
    scheme, netloc, path, key_or_stem, rest = shape
    if isinstance(rest, tuple):  # a query parameter
        query = "&".join(f"{k}={v}" for k, v in rest + ((key_or_stem, str(n)),))
        return f"{scheme}://{netloc}{path}?{query}"
    return f"{scheme}://{netloc}{path}{key_or_stem}{n}{rest}"


def _pager(response) -> tuple[list[str], dict[tuple, set[int]]]:
    """The pager of a listing page: the URLs its anchors (下一页, 尾页, numbers) link into the same
    column, in page order, and the page numbers seen per URL shape (`index_N.html`, `?page=N`),
    the page at hand's own number included."""
    here = response.url.split("#", 1)[0]
    here_dir = urlsplit(here).path.rpartition("/")[0]
    found: dict[str, None] = {}  # insertion-ordered set
    slots: dict[tuple, set[int]] = {}
    for a in response.css("a[href]"):
        href = followable_href(a.attrib.get("href"))
        if not href:
            continue
        text = " ".join(a.css("::text").getall())
        if not (_NEXT_OR_LAST.match(text) or _PAGE_NUMBER.match(text)):
            continue
        url = urljoin(here, href).split("#", 1)[0]
        parts = urlsplit(url)
        if parts.netloc != urlsplit(here).netloc or parts.path.rpartition("/")[0] != here_dir:
            continue  # a link into another column is not this list's pager
        slot = _page_slot(url)
        if url != here:
            found.setdefault(url)
        if slot:
            slots.setdefault(slot[0], set()).add(slot[1])
    own = _page_slot(here)
    if own and own[0] in slots:
        slots[own[0]].add(own[1])
    return list(found), slots


def _script_page_count(response) -> int | None:
    m = _SCRIPT_COUNT.search(inline_scripts(response))
    return int(m.group(1)) if m else None


def listing_pages(response, limit: int = MAX_LISTING_PAGES) -> list[str]:
    """Further pages of a plain list, at most `limit`.

    From the pager's anchors (下一页, 尾页, numbers) pointing into the same column; a numbered bar
    shows only a window of pages, so the gaps between the lowest and highest page seen (the 尾页
    link gives the last) are filled in, up to `limit` pages. With no pager links, a page count in a
    script (`var pageCount = 5`) with the TRS-style `index_N.html` names, clamped to `limit` before
    any URL is made.
    """
    here = response.url.split("#", 1)[0]
    linked, slots = _pager(response)
    found = dict.fromkeys(linked)
    for shape, numbers in slots.items():
        low, high = min(numbers), max(numbers)
        for n in range(low, min(high, low + limit) + 1):
            url = _slot_url(shape, n)
            if url != here:
                found.setdefault(url)
    if not found:
        count = _script_page_count(response)
        if count and count > 1:
            pages = iter_page_urls(here, min(count, limit))
            first_page = urlsplit(here).path.rsplit("/", 1)[-1] in ("", "index.html", "index.htm",
                                                                     "index.shtml")
            if first_page:
                next(pages)
            return list(islice((u for u in pages if u != here), limit))
    return list(islice(found, limit))


def announced_pages(response) -> int | None:
    """How many pages the list has by its own account: the span of its numbered pager (lowest to
    highest page number, the page at hand counted when it is unnumbered), else a script's page
    count; None when it shows neither."""
    linked, slots = _pager(response)
    if slots:
        here = _page_slot(response.url.split("#", 1)[0])
        spans = []
        for shape, numbers in slots.items():
            unnumbered_here = here is None or here[0] != shape
            spans.append(max(numbers) - min(numbers) + 1 + unnumbered_here)
        return max(spans)
    if linked:
        return None  # a 下一页 link alone says nothing of the count
    return _script_page_count(response)


# --- year sub-columns -------------------------------------------------------------------------
def subcolumns(response) -> list[str]:
    """Year sub-columns of an annual-report column (`2020year/`, `2020n/`, `2019nian/`).

    A link counts when it points one directory below the current column and its path segment or
    its text names a year. Sibling columns (the year navigation repeated on every year page,
    `../2019year/`) are not children and are left alone.
    """
    base = column_url(response.url)
    found: list[str] = []
    for a in response.css("a[href]"):
        href = followable_href(a.attrib.get("href"))
        if not href:
            continue
        if not href.endswith(("/", "/index.html", "/index.htm", "/index.shtml")):
            continue  # a document or a file, not a column
        url = column_url(urljoin(response.url, href))
        if url == base or not url.startswith(base):
            continue
        segment = url[len(base):].strip("/")
        if "/" in segment:
            continue
        text = " ".join(a.css("::text").getall()) + " " + (a.attrib.get("title") or "")
        names_year = _YEAR_IN_PATH.search(segment) or _YEAR_IN_TEXT.search(text.strip())
        if names_year and url not in found:
            found.append(url)
    return found


# --- the family -------------------------------------------------------------------------------
class PlainFamily(Family):
    """A list of dated links with a pager; the base every CMS family subclasses.

    It has no evidence of its own (`detect` is False): the registry answers it for a page no CMS
    family recognises.
    """

    name = "plain"

    def listing_entries(self, response) -> list[ListingEntry]:
        return listing_entries(response)

    def listing_pages(self, response, limit: int = MAX_LISTING_PAGES) -> list[str]:
        return listing_pages(response, limit)

    def announced_pages(self, response) -> int | None:
        return announced_pages(response)

    def subcolumns(self, response) -> list[str]:
        return subcolumns(response)


FAMILY = PlainFamily()
