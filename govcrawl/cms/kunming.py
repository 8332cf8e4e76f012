"""The Kunming government site cluster (www.km.gov.cn and its district/department sites:
www.kmgd.gov.cn 官渡区, www.kmpl.gov.cn 盘龙区, dongchuan.km.gov.cn, ybj.km.gov.cn, ...).

One CMS serves the whole cluster; stored pages do not name its vendor, so the family is named for
the cluster. Its signature, seen on every stored page of these hosts:
- articles at `/c/YYYY-MM-DD/NNNNNNN.shtml` (the publication day, then a cluster-wide id), with the
  title in `div.right_down h1` and the body in `div.conTxt`; older articles are GBK pages;
- columns are directories (`/zfxxgk/zcwj/gfxwj/`) whose pages are `index.shtml`, `index_2.shtml`,
  ... linked from a plain pager (`首页 上一页 下一页 尾页`, `共N页`) under the list;
- list items `<li><span>YYYY-MM-DD</span><a href="/c/..." title="full title">cut title</a></li>`.

Plain functions over a Scrapy/parsel response or strings, and `FAMILY`, the cluster's family object
spiders delegate to (agency spiders declare `family = kunming.FAMILY`; the generic `column` spider
finds it with `detect`).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from govcrawl.cms.family import MAX_LISTING_PAGES
from govcrawl.cms.links import ListingEntry, anchor_title
from govcrawl.cms.plain import PlainFamily
from govcrawl.text.links import followable_href, printed_date

ARTICLE_URL = re.compile(r"/c/((?:19|20)\d{2})-(\d{2})-(\d{2})/(\d+)\.s?html?$")
CONTENT_CSS = "div.conTxt"
#: list containers of the cluster's column templates, most specific first
LIST_SELECTORS = ("div.right_down ul.list li", "ul.list li", "div.list ul li")
_PAGE_FILE = re.compile(r"(?:^|/)index(?:_(\d+))?\.shtml$")
_PAGE_TOTAL = re.compile(r"共\s*(\d+)\s*页")


def is_article_url(url: str) -> bool:
    """True for a cluster article, `/c/2018-01-08/2199012.shtml`."""
    return bool(ARTICLE_URL.search(urlsplit(url).path))


def article_url_date(url: str) -> str | None:
    """The publication day in an article URL (`/c/2018-01-08/...` -> `2018-01-08`)."""
    m = ARTICLE_URL.search(urlsplit(url).path)
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None


def looks_like_kunming(text: str) -> bool:
    """True for a page of the cluster: a `conTxt` body or links to `/c/YYYY-MM-DD/N.shtml`."""
    text = text or ""
    return 'class="conTxt"' in text or bool(re.search(r"""href=["']?[^"'>]*/c/\d{4}-\d{2}-\d{2}/\d+\.shtml""", text))


def listing_entries(response) -> list[ListingEntry]:
    """Entries of a cluster column page, in page order; `[]` when no known list container holds
    links (callers fall back to a generic scan). Title from the anchor's `title` (the text is cut
    with `...`), date from the item's own text, else from the article URL."""
    for css in LIST_SELECTORS:
        entries = []
        for li in response.css(css):
            a = li.css("a[href]")
            if not a:
                continue
            href, title = followable_href(a[0].attrib.get("href")), anchor_title(a[0])
            if not href or not title:
                continue
            url = response.urljoin(href)
            dated = " ".join(li.xpath("./*[not(self::a)]//text() | ./text()").getall())
            entries.append(ListingEntry(url=url, title=title,
                                        date=printed_date(dated) or article_url_date(url)))
        if entries:
            return entries
    return []


def page_number(url: str) -> int | None:
    """1 for `index.shtml` (or the bare directory), N for `index_N.shtml`, None otherwise."""
    path = urlsplit(url).path
    if path.endswith("/"):
        return 1
    m = _PAGE_FILE.search(path)
    if not m:
        return None
    return int(m.group(1)) if m.group(1) else 1


def listing_pages(response, limit: int = MAX_LISTING_PAGES) -> list[str]:
    """The other pages of this column, at most `limit`: every `index_N.shtml` the pager links,
    plus those implied by `共N页` (the pager shows only a window of page numbers), the count
    clamped to `limit` before any URL is made."""
    here = page_number(response.url)
    base = urljoin(response.url, "./")
    urls: dict[str, None] = {}

    def add(url: str):
        if page_number(url) not in (None, here):
            urls.setdefault(url)

    pager = response.css("div.page, div.pages, div.fenye")
    for a in pager.css("a[href]"):
        href = (a.attrib.get("href") or "").strip()
        if href and not href.startswith("javascript:"):
            add(response.urljoin(href))
    total = announced_pages(response)
    if total:
        for n in range(1, min(total, limit + 1) + 1):  # `limit` pages besides the one at hand
            add(urljoin(base, "index.shtml" if n == 1 else f"index_{n}.shtml"))
    return list(urls)[:limit]


def announced_pages(response) -> int | None:
    """The `共N页` under a column's list, or None."""
    pager = response.css("div.page, div.pages, div.fenye")
    m = _PAGE_TOTAL.search(" ".join(pager.css("::text").getall()))
    return int(m.group(1)) if m else None


# --- the family -------------------------------------------------------------------------------
class KunmingFamily(PlainFamily):
    """A column of the cluster: `index.shtml`, `index_2.shtml`, ... pages listing
    `/c/YYYY-MM-DD/N.shtml` articles whose body sits in `div.conTxt`; a page without the cluster's
    list container or pager is read as a plain list."""

    name = "kunming"
    content_css = CONTENT_CSS
    #: a later page of a cluster column is the cluster's even where it shows no article link
    spans_column = True

    def detect(self, response) -> bool:
        return looks_like_kunming(response.text)

    def is_document_url(self, url: str) -> bool:
        return is_article_url(url)

    def listing_entries(self, response) -> list[ListingEntry]:
        return listing_entries(response) or super().listing_entries(response)

    def listing_pages(self, response, limit: int = MAX_LISTING_PAGES) -> list[str]:
        return listing_pages(response, limit) or super().listing_pages(response, limit)

    def announced_pages(self, response) -> int | None:
        return announced_pages(response) or super().announced_pages(response)

    def subcolumns(self, response) -> list[str]:
        # the cluster's report columns seen so far list every year in one paged list
        return []


FAMILY = KunmingFamily()
