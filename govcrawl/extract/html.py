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

from lxml import etree
from lxml import html as lxml_html

from govcrawl.document import ReportDocument
from govcrawl.extract.index_block import meta_blocks
from govcrawl.extract.narrative import narrative
from govcrawl.extract.page_meta import attachment_links, byline_dates, heading_texts, meta_tags, title_candidates
from govcrawl.extract.readable import check_readable
from govcrawl.extract.report_tables import report_tables
from govcrawl.extract.titles import drop_leading_nav, drop_title_lines, title_from_body
from govcrawl.extract.tree import CONTENT_MARK, drop
from govcrawl.text.chrome import breadcrumb_items, strip_chrome
from govcrawl.text.normalize import clean_spaces

log = logging.getLogger(__name__)

_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "select",
              "button", "textarea", "input", "svg", "canvas", "map")
# Hanweb (Zhejiang) wraps the article in <!--ZJEG_RSS.content.begin--> ... <!--...end-->
_CONTENT_COMMENT = re.compile(r"ZJEG_RSS\.content\.begin|<\$\[信息内容\]>|content\s*begin", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: what libxml2 logs when a tree is deeper than it allows (2048 levels with huge_tree)
_DEPTH_ERROR = "Excessive depth in document"
#: presentational inline tags, dropped (their text kept) to re-parse a page nested too deep
_INLINE_TAGS = re.compile(r"</?(?:font|span|b|i|u|s|em|strong|small|big|sup|sub|o:p|st1:\w+)\b[^>]*>", re.I)
_JS_SHELL = re.compile(r"\{\{.*?\}\}|ng-app|v-cloak|id=[\"']app[\"']|showinfo\.html|infoGuid", re.S)


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


def _parse_once(text: str):
    """(root or None, True when libxml2 stopped at its depth limit and dropped the rest)."""
    # huge_tree: libxml2 otherwise gives up at 256 levels of nesting, which pages with hundreds of
    # unclosed <font>/<div> tags reach; even so it stops at 2048 levels, and says so only in the
    # parser's error log (the rest of the page is silently missing from the tree)
    parser = lxml_html.HTMLParser(huge_tree=True)
    try:
        root = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        return None, False
    return root, any(_DEPTH_ERROR in e.message for e in parser.error_log)


def _parse(text: str, flags: list[str]):
    # control characters are not XML text: lxml refuses them when a tail is moved (`drop`)
    text = _CONTROL.sub("", _XML_DECL.sub("", text))
    if not text.strip():
        return None
    root, cut = _parse_once(text)
    if cut:
        # Word-pasted pages leave thousands of inline tags unclosed; they carry no structure,
        # and without them the tree usually fits. What still does not is flagged: part of the
        # page is missing from the record
        root, cut = _parse_once(_INLINE_TAGS.sub("", text))
        if cut:
            flags.append("truncated_tree")
    return root


def _extract(text: str, url: str, doc: ReportDocument) -> None:
    root = _parse(text, doc.flags)
    if root is None:
        doc.flags.append("blank_page")
        return
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        if isinstance(el, etree._Comment) and _CONTENT_COMMENT.search(el.text or "") \
                and el.getparent() is not None and el.getparent().tag not in ("body", "html"):
            el.getparent().set(CONTENT_MARK, "1")
        drop(el)
    doc.page_meta = meta_tags(root)
    doc.attachments = attachment_links(root, url)
    for tag in _DROP_TAGS:
        for el in list(root.iter(tag)):
            drop(el)
    body = root.find("body")
    if body is None or not body.text_content().strip():
        doc.flags.append("blank_page")  # nothing a reader would see: no text at all
    title_el = root.find(".//title")
    page_title = clean_spaces(title_el.text_content()) if title_el is not None else ""
    if title_el is not None:
        drop(title_el)
    doc.byline_dates = byline_dates(root)
    doc.breadcrumb = _breadcrumb(root)
    doc.meta = meta_blocks(root)
    headings = heading_texts(root)
    doc.titles = title_candidates(doc.page_meta, headings, page_title)
    doc.tables = report_tables(root)
    lines = narrative(root, url, doc.flags)
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
    title_from_body(doc, lines)
    lines = drop_title_lines(drop_leading_nav(lines), doc.titles + headings)
    doc.lines = drop_leading_nav(lines)


_CRUMB_XPATH = ("//*[contains(@class, 'crumb') or contains(@class, 'Crumb') or contains(@class, 'position') "
                "or contains(@class, 'location') or contains(@class, 'dqwz') or contains(@class, 'weizhi') "
                "or contains(@id, 'crumb') or contains(@id, 'position') or contains(@id, 'location')]")


_CRUMB_CLASS = ("crumb", "Crumb", "position", "location", "dqwz", "weizhi")
_CRUMB_ID = ("crumb", "position", "location")


def _crumb_candidates(root):
    """What _CRUMB_XPATH selects, in document order: a walk with substring tests is several times
    faster than libxml2's contains() over every element."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        cls, ident = el.get("class"), el.get("id")
        if (cls and any(word in cls for word in _CRUMB_CLASS)) or (
                ident and any(word in ident for word in _CRUMB_ID)):
            yield el


def _breadcrumb(root) -> list[str]:
    """The breadcrumb trail (`当前位置：首页 > … > …`), kept for the agency although it is chrome."""
    for el in _crumb_candidates(root):
        text = clean_spaces(el.text_content())
        if text and len(text) <= 200:
            items = breadcrumb_items([text], window=1)
            if items:
                return items
    return []
