"""HTML -> ReportDocument: trafilatura for the narrative, plus our rules for what it leaves.

Steps, on one parsed tree:
1. page metadata: <meta name/content>, title candidates, byline dates, attachment links;
2. the 索引号 block (table.bd1 cells, <li>/<span> pairs, `label: | value |` rows) is parsed into
   `doc.meta` and cut out of the tree;
3. statistics/report tables are read as grids (govcrawl.extract.tables) and cut out of the tree,
   so that the narrative does not inline them (trafilatura mangles merged cells anyway);
4. trafilatura extracts the narrative from what is left; when it misses much of a known CMS
   content container (TRS `div.TRS_Editor`, gov.cn `#UCAP-CONTENT`, Hanweb `#zoom`, ...), the
   container's own text is used;
5. line rules (govcrawl.text.chrome) remove share/QR prompts, breadcrumbs, bylines,
   print/font-size bars, footers, 上一篇/下一篇 and 相关链接.

A JavaScript shell, an empty or broken page gives an empty document with a flag; only binary
content that is no page at all raises NotAPageError (a BadInputError).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from govcrawl.text.links import attachment_type
from govcrawl.document import ReportDocument, Table
from govcrawl.errors import BadInputError
from govcrawl.text.chrome import (
    byline_dates_in, is_chrome, is_strong_label, label_key, pair_labels, strip_chrome,
    split_labels,
)
from govcrawl.extract.tables import cell_text, table_grid
from govcrawl.text.normalize import clean_spaces, compact, nfkc

log = logging.getLogger(__name__)

_BLOCK_TAGS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "tbody",
    "section", "article", "dd", "dt", "dl", "center", "blockquote", "pre", "header", "footer",
    "nav", "aside", "main", "form", "hr", "td", "th", "caption", "figure", "figcaption",
})
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "select",
              "button", "textarea", "input", "svg", "canvas", "map")
# content containers of the CMS families we crawl (TRS WCM, gov.cn UCAP, Hanweb, Epoint, ...)
_CONTAINER_XPATHS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//*[contains(@class, 'TRS_UEDITOR')]",
    "//*[contains(@class, 'trs_editor_view') or contains(@class, 'trs_paper_default')]",
    "//*[@id='UCAP-CONTENT']",
    "//*[@id='zoom' or @id='Zoom' or @id='ZOOM']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' zoom ')]",
    "//*[@id='ivs_content' or @id='info_content' or @id='art_content' or @id='article_content']",
)
# generic names: also used for page frames and sidebars, so only a fallback when trafilatura finds
# nothing
_WEAK_CONTAINER_XPATHS = (
    "//*[contains(@class, 'pages_content') or contains(@class, 'article-content') or "
    "contains(@class, 'article_content') or contains(@class, 'Article_zw') or "
    "contains(@class, 'art_con') or contains(@class, 'xxgk_content') or "
    "contains(@class, 'detail-content') or contains(@class, 'news_content') or "
    "contains(@class, 'wzcon') or contains(@class, 'zwxl-content') or "
    "contains(@class, 'view-content') or contains(@class, 'con_text')]",
    "//*[contains(@class, 'xl-cont') or contains(@class, 'xl_cont') or contains(@class, 'xl_con') or "
    "contains(@class, 'detail_content') or contains(@class, 'detail-con') or "
    "contains(@class, 'article_con') or contains(@class, 'Article_content') or "
    "contains(@class, 'con_nr') or contains(@class, 'nr_con')]",
    "//*[@id='content' or @id='Content' or @id='contentText' or @id='main_content']",
)
# Hanweb (Zhejiang) wraps the article in <!--ZJEG_RSS.content.begin--> ... <!--...end-->
_CONTENT_COMMENT = re.compile(r"ZJEG_RSS\.content\.begin|<\$\[信息内容\]>|content\s*begin", re.I)
_MARK = "data-govcrawl-content"
_CHROME_ATTR = re.compile(r"(^|[\s_-])(footer|foot|header|nav|navbar|menu|banner|sidebar|"
                          r"breadcrumb|crumb|position|location|share|bdsharebutton|qr|ewm|"
                          r"copyright|bottom)([\s_-]|\d|$)", re.I)
# blocks listing other articles: their file links are not this report's attachments
_RELATED_ATTR = re.compile(r"(^|[\s_-])(relat\w*|xglj|xgwz|xgxx|xgwj|xgwd|recommend\w*|tuijian|hot|"
                           r"newlist|news[-_]?list|zxxx|latest|sidebar|side)([\s_-]|\d|$)", re.I)
_NUMERIC_CELL = re.compile(r"^[-+]?(减|增)?\s*\d[\d,]*(\.\d+)?\s*(%|元|万元|件|条|次|人|个|篇|项|人次)?$")
_PLACEHOLDER_CELL = re.compile(r"^[-—–/／]+$")
_STAT_WORDS = re.compile(r"信息内容|统计指标|申请人情况|自然人|行政复议|行政诉讼|第二十条|统计数|"
                         r"本年新收|主动公开政府信息|处理决定数量|本年制发件数|行政许可|单位")
_FOOTER_IN_TABLE = re.compile(r"ICP|公网安备|网站标识码|版权所有|主办单位|技术支持")
_TITLE_ATTR = re.compile(r"title|biaoti|bt|tit|headline|art_tit|zwbt|xxgk_tit", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_JS_SHELL = re.compile(r"\{\{.*?\}\}|ng-app|v-cloak|id=[\"']app[\"']|showinfo\.html|infoGuid", re.S)


class NotAPageError(BadInputError):
    """The input is not a readable page or text at all (binary content served as HTML/text): an
    extraction error for the crawl's failure log, not an empty record."""


def looks_binary(text: str) -> bool:
    """Many C0/C1 control characters: binary data, not a page or a text.

    Real pages have almost none, even mis-decoded ones (those show U+FFFD or mojibake, not
    controls); random bytes or a PDF decoded as text have 10-25 %."""
    if not text:
        return False
    bad = sum(1 for ch in text if (ch < " " and ch not in "\t\n\r\f\v") or "\x7f" <= ch <= "\x9f")
    return bad >= 16 and bad >= 0.03 * len(text)


def check_readable(text: str, what: str = "page") -> None:
    if looks_binary(text):
        head = text.lstrip("\ufeff")[:8]
        kind = "a PDF file" if head.startswith("%PDF") else "binary data"
        raise NotAPageError(f"not a readable {what}: the input looks like {kind} "
                            f"(full of control characters)")


def document_from_html(text: str, url: str) -> ReportDocument:
    """Raises NotAPageError for binary input; any other page, however broken, gives a document."""
    check_readable(text or "")
    doc = ReportDocument(url=url, source="html")
    try:
        _extract(text or "", url, doc)
    except Exception as exc:  # a broken page must give a clean document, never crash the crawl
        log.warning("extraction failed for %s: %s: %s", url, type(exc).__name__, exc)
        doc.flags.append("extract_error")
    if not doc.lines and not doc.tables and "extract_error" not in doc.flags:
        doc.flags.append("no_content")
        if _JS_SHELL.search(text or ""):
            doc.flags.append("js_shell")
    return doc


# ---------------------------------------------------------------------------------------------


def _parse(text: str):
    # control characters are not XML text: lxml refuses them when a tail is moved (`_drop`)
    text = _CONTROL.sub("", _XML_DECL.sub("", text))
    if not text.strip():
        return None
    try:
        root = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None
    return root


def _extract(text: str, url: str, doc: ReportDocument) -> None:
    root = _parse(text)
    if root is None:
        return
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        if isinstance(el, etree._Comment) and _CONTENT_COMMENT.search(el.text or "") \
                and el.getparent() is not None and el.getparent().tag not in ("body", "html"):
            el.getparent().set(_MARK, "1")
        _drop(el)
    doc.page_meta = _page_meta(root)
    doc.attachments = _attachments(root, url)
    for tag in _DROP_TAGS:
        for el in list(root.iter(tag)):
            _drop(el)
    title_el = root.find(".//title")
    page_title = clean_spaces(title_el.text_content()) if title_el is not None else ""
    if title_el is not None:
        _drop(title_el)
    doc.byline_dates = _byline_dates(root)
    doc.meta = _meta_blocks(root)
    headings = _headings(root)
    doc.titles = _titles(doc.page_meta, headings, page_title)
    doc.tables = _report_tables(root)
    lines = _narrative(root, url)
    lines, meta, dates = strip_chrome(lines)
    for key, value in meta.items():
        doc.meta.setdefault(key, value)
    for date in dates:
        if date not in doc.byline_dates:
            doc.byline_dates.append(date)
    for key in ("标题", "信息名称", "名称"):
        if doc.meta.get(key) and doc.meta[key] not in doc.titles:
            doc.titles.insert(1 if doc.page_meta.get("ArticleTitle") else 0, doc.meta[key])
            break
    _title_from_body(doc, lines)
    lines = _drop_title_lines(_drop_leading_nav(lines), doc.titles + headings)
    doc.lines = _drop_leading_nav(lines)


def _drop(el) -> None:
    """Remove an element but keep its tail text (it belongs to the parent)."""
    parent = el.getparent()
    if parent is None:
        return
    if isinstance(el, lxml_html.HtmlElement):
        el.drop_tree()
    else:
        tail = el.tail
        prev = el.getprevious()
        if tail:
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        parent.remove(el)


# --- page metadata -----------------------------------------------------------------------------

def _page_meta(root) -> dict[str, str]:
    meta: dict[str, str] = {}
    for el in root.iter("meta"):
        name = el.get("name") or el.get("property") or el.get("itemprop")
        content = el.get("content")
        if name and content and content.strip():
            meta.setdefault(name.strip(), clean_spaces(content))
    return meta


def _titles(page_meta: dict, headings: list[str], page_title: str) -> list[str]:
    lowered = {k.lower(): v for k, v in page_meta.items()}
    out: list[str] = []
    for key in ("articletitle", "title", "og:title", "dc.title"):
        if lowered.get(key):
            out.append(lowered[key])
            break
    reportish = [h for h in headings if re.search(r"报告|年报", h)]
    out.extend(reportish)
    if page_title:
        out.append(page_title)
    out.extend(h for h in headings if h not in reportish)
    seen, unique = set(), []
    for t in out:
        k = compact(nfkc(t))
        if k and k not in seen:
            seen.add(k)
            unique.append(t)
    return unique


def _headings(root) -> list[str]:
    """Heading texts of the page: h1-h3 and elements whose class/id says title, in page order."""
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        attrs = f"{el.get('class', '')} {el.get('id', '')}"
        if el.tag in ("h1", "h2", "h3") or (el.tag in ("div", "p", "td", "span", "strong")
                                            and _TITLE_ATTR.search(attrs)):
            if _in_chrome(el):
                continue
            text = clean_spaces(el.text_content())
            if 4 <= len(text) <= 120 and re.search(r"[\u4e00-\u9fff]", text):
                found.append(text)
    return found


def _byline_dates(root) -> list[str]:
    """Dates of the page's byline: 发布时间/发布日期 first, then bare 时间/日期, each in page order.
    Entries of link lists (sidebars' 最新信息 with their own dates) are not the byline."""
    strong: list[str] = []
    weak: list[str] = []
    for el in root.iter("div", "p", "span", "li", "td", "font", "em", "h4", "h5", "h6", "dd",
                        "label", "small", "i", "b", "strong"):
        own = (el.text or "") + "".join(c.tail or "" for c in el)
        if not re.search(r"时间|日期|時間", own):
            continue  # (text_content of every element would be quadratic on big pages)
        if _in_link_list(el) or _in_chrome(el):
            continue
        text = el.text_content()
        if len(text) > 300:
            text = own
        for date in byline_dates_in(text, strong_only=True):
            if date not in strong:
                strong.append(date)
        for date in byline_dates_in(text):
            if date not in weak:
                weak.append(date)
    return strong + [d for d in weak if d not in strong]


def _in_link_list(el) -> bool:
    """Inside an <aside>, or a list item that links elsewhere (a listing entry)."""
    for node in [el, *el.iterancestors()]:
        if node.tag == "aside":
            return True
        if node.tag == "li" and node.find(".//a") is not None:
            return True
    return False


def _attachments(root, url: str) -> list[dict]:
    out: list[dict] = []
    seen: set[str] = set()
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#", "tel:")):
            continue
        name = clean_spaces(a.text_content()) or clean_spaces(a.get("title") or "")
        kind = attachment_type(urlsplit(href).path) or attachment_type(href) or attachment_type(name)
        if not kind or _in_chrome(a) or any(
                x.tag == "aside" or _RELATED_ATTR.search(f"{x.get('class', '')} {x.get('id', '')}")
                for x in a.iterancestors()):
            continue  # files linked from menus, sidebars and 相关链接 are other documents
        try:
            absolute = urljoin(url, href)
        except ValueError:
            continue
        if absolute in seen:
            continue
        seen.add(absolute)
        if not name:
            name = unquote(urlsplit(absolute).path.rsplit("/", 1)[-1])
        out.append({"url": absolute, "name": name, "type": kind})
    return out


# --- the 索引号 block -----------------------------------------------------------------------------

def _tokens(el) -> list[str]:
    """Texts of a block in order: one per table cell, else one per text node."""
    out: list[str] = []

    def walk(node):
        if not isinstance(node.tag, str):
            return
        if node.tag in ("td", "th") and node.find(".//table") is None:
            out.append(cell_text(node))
            return
        if node.text:
            out.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                out.append(child.tail)

    walk(el)
    return [t for t in (clean_spaces(x) for x in out) if t]


def _label_count(el) -> tuple[int, int]:
    """(labels, strong labels) in an element's tokens."""
    labels = set()
    for tok in _tokens(el):
        for piece in split_labels(tok):
            key = label_key(piece)
            if key:
                labels.add(key)
    return len(labels), sum(1 for k in labels if is_strong_label(k))


def _meta_blocks(root) -> dict[str, str]:
    meta: dict[str, str] = {}
    body = root.find("body")
    if body is None:
        return meta
    for _ in range(3):
        block = _find_meta_block(body)
        if not block:
            break
        tokens = [tok for el in block for tok in _tokens(el)]
        for key, value in pair_labels(tokens).items():
            meta.setdefault(key, value)
        for el in block:
            _drop(el)
    return meta


def _find_meta_block(body):
    """The smallest element holding the 索引号-style block (>= 3 labels, >= 2 strong), grown to its
    largest ancestor that is still short and adds labels (blocks split over several rows/lists)."""
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in ("body", "html"):
            continue
        own = [el.text or ""] + [c.tail or "" for c in el]
        if el.tag in ("td", "th") and el.find(".//table") is None:
            own = [cell_text(el)]
        if not any(label_key(p) and is_strong_label(label_key(p))
                   for t in own if t.strip() for p in split_labels(t.strip())[:1]):
            continue
        node, best, last = el, None, el
        while node is not None and node.tag not in ("body", "html"):
            text_len = len(compact(node.text_content()))
            if text_len > 1500 or (best is not None and text_len > 2 * best[2] + 100):
                break  # the ancestor holds more than the block: the article itself
            if any(len(v) > 200 for v in pair_labels(_tokens(node)).values()):
                break  # a "value" that long is the article, caught after the block's last label
            if best is not None and _holds_article(node):
                break  # the block's wrapper also holds the heading/content: stop below it
            count, strong = _label_count(node)
            if count >= 3 and strong >= 2:
                # grow only for more 索引号-type labels: 来源/发布时间 of the byline next to the
                # block are not a reason to swallow the article with it
                if best is None or strong > best[1]:
                    best = (node, strong, text_len)
            last = node
            node = node.getparent()
        if best is not None:
            return [best[0]]
        rows = _meta_rows(last)
        if rows:
            return rows
    return None


def _holds_article(node) -> bool:
    if node.find(".//h1") is not None or node.find(".//h2") is not None:
        return True
    return any(node.xpath("." + xp[1:]) for xp in _CONTAINER_XPATHS)


def _meta_rows(node) -> list:
    """Old Hanweb/TRS pages put the 索引号 rows and the article in ONE table: the block is then the
    run of sibling rows around `node` that carry labels."""
    parent = node.getparent()
    if parent is None:
        return []
    siblings = list(parent)
    index = siblings.index(node)
    start = end = index
    while start > 0 and _label_count(siblings[start - 1])[0] >= 1:
        start -= 1
    while end + 1 < len(siblings) and _label_count(siblings[end + 1])[0] >= 1 \
            and len(compact(siblings[end + 1].text_content())) <= 300:
        end += 1
    rows = siblings[start:end + 1]
    labels = set()
    for row in rows:
        for tok in _tokens(row):
            for piece in split_labels(tok):
                if label_key(piece):
                    labels.add(label_key(piece))
    strong = sum(1 for k in labels if is_strong_label(k))
    return rows if len(labels) >= 3 and strong >= 2 else []


# --- tables -------------------------------------------------------------------------------------

def _in_chrome(el) -> bool:
    node = el
    while node is not None and isinstance(node.tag, str):
        if node.tag in ("footer", "nav", "header"):
            return True
        attrs = f"{node.get('class', '')} {node.get('id', '')}"
        if attrs.strip() and _CHROME_ATTR.search(attrs):
            return True
        node = node.getparent()
    return False


def _is_report_table(el, grid: Table) -> bool:
    rows = grid.rows
    if len(rows) < 2 or max((len(r) for r in rows), default=0) < 2:
        return False
    cells = [c for r in rows for c in r]
    if any(len(c) > 200 for c in cells):
        return False  # a layout table holding the article text
    joined = "".join(cells)
    if _FOOTER_IN_TABLE.search(joined) or _in_chrome(el):
        return False
    if all(is_chrome(" ".join(r)) for r in rows if any(r)):
        return False  # a byline or footer laid out as a table
    distinct = {c for c in cells if c}
    numeric = sum(1 for c in distinct | set(cells) if c and (_NUMERIC_CELL.match(nfkc(c))
                                                             or _PLACEHOLDER_CELL.match(c)))
    return numeric >= 1 or bool(_STAT_WORDS.search(joined))


def _caption(el, tables: set) -> str:
    """The text just before a table (`第二十条第（一）项`, `XX2017年度政府信息公开情况统计表`)."""
    nodes = el.xpath("preceding::text()[normalize-space()][1]")
    if not nodes:
        return ""
    parent = nodes[0].getparent()
    if parent is not None and (parent in tables or any(a in tables for a in parent.iterancestors())):
        return ""  # the last cell of the previous table is not this table's caption
    text = clean_spaces(str(nodes[0]))
    # a caption is a short title-like line, not the end of the previous paragraph
    return text if len(text) <= 80 and not re.search(r"[。;；]$", text) else ""


def _report_tables(root) -> list[Table]:
    chosen = []
    for el in root.iter("table"):
        if any(True for t in el.iter("table") if t is not el):
            continue  # a layout table around other tables
        grid = table_grid(el)
        if _is_report_table(el, grid):
            chosen.append((el, grid))
    out = []
    elements = {el for el, _ in chosen}
    for el, grid in chosen:
        grid.caption = _caption(el, elements)
        out.append(grid)
    for el, _ in chosen:
        _drop(el)
    return out


# --- narrative ----------------------------------------------------------------------------------

def _block_lines(el) -> list[str]:
    """An element's text with a line break at each block element."""
    parts: list[str] = []

    def walk(node):
        if not isinstance(node.tag, str):
            return
        block = node.tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(el)
    return [clean_spaces(x) for x in "".join(parts).split("\n") if clean_spaces(x)]


def _container(root, xpaths):
    for xpath in xpaths:
        for el in root.xpath(xpath):
            if len(compact(el.text_content())) >= 20 and not _in_chrome(el):
                return el
    return None


def _trafilatura(markup: str, url: str) -> list[str]:
    try:
        import trafilatura
    except ImportError:  # lxml_html_clean missing: see shared/reference/field-notes.md
        return []
    try:
        result = trafilatura.extract(markup, url=url or None, include_tables=True,
                                     include_comments=False, include_links=False,
                                     include_images=False, favor_recall=True, deduplicate=False,
                                     output_format="txt")
    except Exception as exc:  # trafilatura has failed on odd markup before; fall back to ours
        log.info("trafilatura failed on %s: %s", url, exc)
        return []
    return [line for line in (result or "").splitlines() if line.strip()]


def _unwrap_layout_tables(root) -> None:
    """What tables are left after the report tables were cut out are layout (old sites put the
    whole article in a <td>, gov.cn in td#UCAP-CONTENT); as divs, trafilatura reads them as text
    instead of rendering them as `| ... |` table rows."""
    for el in root.iter("table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption"):
        el.tag = "div"
        for attr in ("colspan", "rowspan"):
            el.attrib.pop(attr, None)


def _unnest_paragraphs(root) -> None:
    """Word-pasted bodies nest blocks inside a paragraph (`<p><span>检查人员：...<br><div>附件：...
    </div></span></p>`); trafilatura reads such a <p> as one paragraph and glues the lines. As a
    <div> its inner blocks stay lines of their own."""
    for el in root.iter("p"):
        if any(True for d in el.iterdescendants("div", "p", "table", "ul", "ol")):
            el.tag = "div"


def _narrative(root, url: str) -> list[str]:
    _unwrap_layout_tables(root)
    _unnest_paragraphs(root)
    markup = lxml_html.tostring(root, encoding="unicode")
    lines = _trafilatura(markup, url)
    container = _container(root, (f"//*[@{_MARK}]",) + _CONTAINER_XPATHS)
    if container is None and not lines:
        container = _container(root, _WEAK_CONTAINER_XPATHS)
    if container is not None:
        own = _block_lines(container)
        inside = compact(" ".join(own))
        got = sum(len(compact(x)) for x in lines)
        want = len(inside)
        outside = sum(len(compact(x)) for x in lines if compact(x) not in inside)
        # trafilatura drops short paragraphs (signature lines) on some templates, or takes in the
        # byline and menus around a short article; the CMS container is then the better source
        if got < 0.85 * want or outside > 0.2 * got:
            lines = own
    elif not lines:
        body = root.find("body")
        lines = _block_lines(body) if body is not None else []
    return lines


def _title_from_body(doc: ReportDocument, lines: list[str]) -> None:
    """Pages whose <title> is only the site name print the report title as the first paragraph
    (a bold centred <p>): take it when no candidate so far is a report title."""
    from govcrawl.parse.identity import clean_title, is_report_title
    from govcrawl.parse.text import find_title

    if any(is_report_title(clean_title(t)) for t in doc.titles):
        return
    found, _ = find_title(lines[:6], window=6)
    if found:
        doc.titles[:0] = [t for t in found if t not in doc.titles]


_NUMBERED = re.compile(r"^\s*([一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、])")


def _drop_leading_nav(lines: list[str]) -> list[str]:
    """Menu items that a recall-oriented extraction keeps above the article (`首页`, `政务公开`):
    short, unnumbered, digit-free lines before the first real line."""
    start = 0
    while start < len(lines):
        key = compact(nfkc(lines[start]))
        if len(key) > 8 or _NUMBERED.match(lines[start]) or re.search(r"\d", key) \
                or key.endswith(":"):
            break  # (a salutation, `省政府办公厅：`, opens a letter-style report)
        start += 1
    return lines[start:]


def _drop_title_lines(lines: list[str], titles: list[str]) -> list[str]:
    """The report's title repeated at the top of the body is not body text."""
    from govcrawl.parse.identity import clean_title

    keys = {compact(nfkc(t)) for t in titles if t} | {compact(nfkc(clean_title(t))) for t in titles if t}
    keys.discard("")
    # only near the top: the same words later in the body are the body's
    lines = [line for i, line in enumerate(lines) if i >= 5 or compact(nfkc(line)) not in keys]
    # the title printed over two to four centred lines (`XX局2013年` / `信息公开年度报告`): the
    # leading run of lines that together spell a title
    for start in range(min(3, len(lines))):
        joined = ""
        for end in range(start, min(start + 4, len(lines))):
            joined += compact(nfkc(lines[end]))
            if end > start and joined in keys:
                return lines[:start] + lines[end + 1:]
            if not any(k.startswith(joined) for k in keys):
                break
    return lines
