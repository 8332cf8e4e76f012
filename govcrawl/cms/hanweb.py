"""Hanweb (大汉 JCMS / 大汉版通) listing pages: plain functions over page text.

How a Hanweb column lists its items (Zhejiang and Jiangsu county portals, www.panan.gov.cn among them):

- A column page `/col/colNNN/index.html` does not print its list as markup. The first group of
  records sits inside `<script type="text/xml"><datastore>...</datastore></script>`, each item a
  `<record><![CDATA[<li>...</li>]]></record>`, and a `<nextgroup>` whose CDATA link carries the
  column's ajax parameters (`webid`, `columnid`, `unitid`, `webname`, `path`, `permissiontype`).
- A jQuery plug-in (`$('#UNITID').jpage({... totalRecord:N, perPage:P, groupSize:G, proxyUrl:...})`)
  renders the list in the browser and pages through the rest by POSTing that form to
  `/module/web/jpage/dataproxy.jsp?startrecord=S&endrecord=E&perpage=P` (one request per group of
  `perPage * groupSize` records). The answer is an XML datastore with `<totalrecord>`,
  `<totalpage>` and the same `<record>` CDATA items.
- Articles live at `/art/YYYY/M/D/art_COLUMNID_ARTICLEID.html`; information-disclosure annual
  reports may also be served by the module `/module/xxgk/xxgkAnnualReport.jsp?area=CODE&fbtime=YYYY`
  (e.g. http://www.zjpy.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=001008003008024&fbtime=2021).

Plain functions over decoded page text, and `FAMILY`, the Hanweb family object spiders delegate to
(agency spiders declare `family = hanweb.FAMILY`; the generic `column` spider finds it with
`detect`).
"""

from __future__ import annotations

import html
import math
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from parsel import Selector

from govcrawl.cms.family import MAX_LISTING_PAGES, FormPost, xhr_post
from govcrawl.cms.links import ListingEntry, anchor_title
from govcrawl.cms.plain import PlainFamily
from govcrawl.text.links import followable_href, printed_date

DATAPROXY_PATH = "/module/web/jpage/dataproxy.jsp"
ANNUAL_REPORT_MODULE_PATH = "/module/xxgk/xxgkAnnualReport.jsp"

#: the form fields a browser POSTs to dataproxy.jsp, in the order the jpage plug-in sends them;
#: `col` and `sourceContentType` are not in the nextgroup link and default to 1
DATAPROXY_FIELDS = ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid",
                    "webname", "permissiontype")
_FIELD_DEFAULTS = {"col": "1", "appid": "1", "path": "/", "sourceContentType": "1",
                   "permissiontype": "0"}

_DATASTORE = re.compile(r"<datastore\b.*?</datastore>", re.S | re.I)
_RECORD = re.compile(r"<record\b[^>]*>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</record>", re.S | re.I)
_NEXTGROUP = re.compile(r"<nextgroup\b[^>]*>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</nextgroup>",
                        re.S | re.I)
_TOTAL_TAG = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
_JPAGE_NUMBER = r"""\b{name}\s*:\s*['"]?(\d+)"""
_JPAGE_STRING = r"""\b{name}\s*:\s*['"]([^'"]*)['"]"""
_AJAX_PARAM = re.compile(r"\bajaxParam\s*:\s*\{([^}]*)\}", re.S)
_AJAX_PAIR = re.compile(r"""(\w+)\s*:\s*(?:['"]([^'"]*)['"]|([^,'"\s}]+))""")
_COLUMN_PATH = re.compile(r"/col/col\d+/", re.I)
_JPAGE_SCRIPT = re.compile(r"\.jpage\s*\(|/module/web/jpage/dataproxy\.jsp", re.I)
_ART_URL = re.compile(r"/art/(\d{4})/(\d{1,2})/(\d{1,2})/art_(\d+)_(\w+)\.html?$", re.I)


def is_hanweb_column(text: str) -> bool:
    """True when a page carries a Hanweb jpage datastore (a column page or a dataproxy answer)."""
    return bool(text) and _DATASTORE.search(text) is not None and "<record" in text.lower()


def is_dataproxy_url(url: str) -> bool:
    """True for a `dataproxy.jsp` URL (the answer to a paging request, not a column page)."""
    return urlsplit(url).path.lower().endswith("/dataproxy.jsp")


def datastore_records(text: str) -> list[str]:
    """The HTML snippet of every `<record>` in the page's datastore(s), in page order.

    Records are CDATA sections on column pages and in dataproxy answers; a few templates escape
    the markup instead (`&lt;li&gt;`), which is unescaped here.
    """
    records = []
    for store in _DATASTORE.findall(text or ""):
        for cdata, plain in _RECORD.findall(store):
            snippet = cdata if cdata else html.unescape(plain)
            if snippet.strip():
                records.append(snippet.strip())
    return records


def total_records(text: str) -> int | None:
    """How many records the column holds: `<totalrecord>` of a dataproxy answer, or the jpage
    call's `totalRecord:` on a column page. None when the page states neither."""
    m = _TOTAL_TAG.search(text or "") or re.search(_JPAGE_NUMBER.format(name="totalRecord"),
                                                   text or "")
    return int(m.group(1)) if m else None


def jpage_settings(text: str) -> dict:
    """The jpage call's paging settings: `perPage`, `groupSize`, `totalRecord` (ints, when
    printed) and `proxyUrl` (default `/module/web/jpage/dataproxy.jsp`)."""
    settings: dict = {"proxyUrl": DATAPROXY_PATH}
    for name in ("perPage", "groupSize", "totalRecord"):
        m = re.search(_JPAGE_NUMBER.format(name=name), text or "")
        if m:
            settings[name] = int(m.group(1))
    m = re.search(_JPAGE_STRING.format(name="proxyUrl"), text or "")
    if m and m.group(1):
        settings["proxyUrl"] = m.group(1)
    return settings


def _ajax_param(text: str) -> dict[str, str]:
    """The jpage call's `ajaxParam:{col:1,webid:3403,path:'/',...}` object, values as strings."""
    m = _AJAX_PARAM.search(text or "")
    if not m:
        return {}
    return {k: (q if q else bare) for k, q, bare in _AJAX_PAIR.findall(m.group(1))}


def dataproxy_params(text: str) -> dict[str, str]:
    """The form a browser POSTs to dataproxy.jsp for this column, read from the `<nextgroup>`
    link (`page` dropped), else from the jpage call's `ajaxParam`, with the jpage defaults for
    fields neither states.

    Returns `{}` when neither names a `columnid` (then the column cannot be paged).
    """
    query: dict[str, str] = {}
    for m in _NEXTGROUP.finditer(text or ""):  # (the first that links somewhere: a page may also
        snippet = m.group(1) or html.unescape(m.group(2) or "")  # name the tag in a comment)
        href = Selector(text=f"<div>{snippet}</div>").css("a::attr(href)").get() or ""
        query = dict(parse_qsl(urlsplit(html.unescape(href)).query, keep_blank_values=True))
        if query.get("columnid"):
            break
    if not query.get("columnid"):
        query = _ajax_param(text)
    if not query.get("columnid"):
        return {}
    params = {}
    for field in DATAPROXY_FIELDS:
        value = query.get(field, _FIELD_DEFAULTS.get(field))
        if value is not None:
            params[field] = value
    return params


def record_groups(total: int, per_page: int, group_size: int = 3,
                  first_inline: int | None = None,
                  limit: int | None = None) -> list[tuple[int, int]]:
    """`(startrecord, endrecord)` of every dataproxy request a column needs after the records
    inlined on the column page (`first_inline`, default one group of `per_page * group_size`);
    the first `limit` of them when given (a `totalRecord` of millions costs `limit` groups)."""
    step = max(1, per_page) * max(1, group_size)
    start = (first_inline if first_inline is not None else step) + 1
    groups: list[tuple[int, int]] = []
    while start <= total and (limit is None or len(groups) < limit):
        groups.append((start, start + step - 1))
        start += step
    return groups


def group_count(total: int, per_page: int, group_size: int = 3, first_inline: int | None = None) -> int:
    """How many groups `record_groups` would return without a limit, computed, not generated."""
    step = max(1, per_page) * max(1, group_size)
    inline = first_inline if first_inline is not None else step
    return max(0, math.ceil((total - inline) / step))


def dataproxy_requests(column_url: str, text: str,
                       limit: int = MAX_LISTING_PAGES) -> list[tuple[str, dict[str, str]]]:
    """`(url, formdata)` of each dataproxy POST that fetches the rest of a Hanweb column, at most
    `limit` of them.

    The URL carries `startrecord`, `endrecord` and `perpage` in its query (as the jpage plug-in
    sends them); the form carries the column's parameters. Empty when everything is inline.
    """
    params = dataproxy_params(text)
    total = total_records(text)
    if not params or not total:
        return []
    settings = jpage_settings(text)
    per_page = settings.get("perPage", 15)
    group_size = settings.get("groupSize", 3)
    inline = len(datastore_records(text)) or None
    proxy = urljoin(column_url, settings["proxyUrl"])
    return [(f"{proxy}?{urlencode({'startrecord': s, 'endrecord': e, 'perpage': per_page})}",
             dict(params))
            for s, e in record_groups(total, per_page, group_size, inline, limit)]


def dataproxy_page_count(text: str) -> int | None:
    """How many listing requests a Hanweb column needs by its own `totalRecord`: the column page
    and its dataproxy groups; None for a page without a pageable datastore."""
    total = total_records(text)
    if not dataproxy_params(text) or not total:
        return None
    settings = jpage_settings(text)
    inline = len(datastore_records(text)) or None
    return 1 + group_count(total, settings.get("perPage", 15), settings.get("groupSize", 3), inline)


def art_url_parts(url: str) -> dict | None:
    """`/art/2014/10/29/art_1229147423_1623547.html` -> date, column id and article id."""
    m = _ART_URL.search(urlsplit(url).path)
    if not m:
        return None
    y, mo, d, column, article = m.groups()
    return {"date": f"{int(y):04d}-{int(mo):02d}-{int(d):02d}", "columnid": column,
            "articleid": article}


def record_entries(text: str, base_url: str) -> list[ListingEntry]:
    """The linked items of a Hanweb datastore as ListingEntry (absolute URL, title, date).

    The title is the anchor's `title` attribute (the list text is often cut with `...`); the date
    is the one printed in the record, else the one in an `/art/YYYY/M/D/` URL.
    """
    entries = []
    for snippet in datastore_records(text):
        sel = Selector(text=f"<div>{snippet}</div>")
        record_text = " ".join(sel.css("::text").getall())
        for a in sel.css("a[href]"):
            href, title = followable_href(a.attrib.get("href")), anchor_title(a)
            if not href or not title:
                continue
            url = urljoin(base_url, href)
            parts = art_url_parts(url)
            date = printed_date(record_text) or (parts["date"] if parts else None)
            entries.append(ListingEntry(url=url, title=" ".join(title.split()), date=date))
    return entries


def annual_report_module_url(site_url: str, year: int, area: str) -> str:
    """The xxgk annual-report module page of one unit and year. `area` is the unit's code in the
    site's disclosure catalogue (hierarchical, e.g. zjpy.gov.cn's `001008003008024`; some sites use
    the unit's organisation code)."""
    return urljoin(site_url, ANNUAL_REPORT_MODULE_PATH) + "?" + urlencode(
        {"area": area, "fbtime": year})


# --- the family -------------------------------------------------------------------------------
class HanwebFamily(PlainFamily):
    """Hanweb columns: records from the `<datastore>`, every further group asked for up front with
    dataproxy POSTs (the column page states the total), the answers read as listing pages of their
    own. A page without a datastore (an xxgk module list, a static index) is a plain list."""

    name = "hanweb"
    content_css = "#zoom"

    def detect(self, response) -> bool:
        text = response.text
        return bool(is_hanweb_column(text) or is_dataproxy_url(response.url)
                    or _JPAGE_SCRIPT.search(text) or _COLUMN_PATH.search(urlsplit(response.url).path))

    def is_document_url(self, url: str) -> bool:
        return art_url_parts(url) is not None

    def listing_entries(self, response) -> list[ListingEntry]:
        if is_hanweb_column(response.text):
            return record_entries(response.text, response.url)
        return super().listing_entries(response)

    def listing_pages(self, response, limit: int = MAX_LISTING_PAGES) -> list[str]:
        # a datastore column pages through dataproxy POSTs (extra_requests), never through anchors:
        # the jpage bar is drawn by JavaScript and its links are `javascript:`
        if is_hanweb_column(response.text):
            return []
        return super().listing_pages(response, limit)

    def announced_pages(self, response) -> int | None:
        if is_dataproxy_url(response.url):
            return None  # an answer: the column page announced the groups
        if is_hanweb_column(response.text):
            return dataproxy_page_count(response.text)
        return super().announced_pages(response)

    def subcolumns(self, response) -> list[str]:
        return []

    def extra_requests(self, response, limit: int = MAX_LISTING_PAGES) -> list[FormPost]:
        if is_dataproxy_url(response.url):
            return []  # a dataproxy answer: the column page already asked for every group
        return [xhr_post(url, form, referer=response.url)
                for url, form in dataproxy_requests(response.url, response.text, limit)]


FAMILY = HanwebFamily()
