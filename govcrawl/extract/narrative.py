"""The narrative: trafilatura over what is left of the tree, checked against the CMS content
container (TRS `div.TRS_Editor`, gov.cn `#UCAP-CONTENT`, Hanweb `#zoom`, ...), whose own text is
used when trafilatura misses much of it or takes in the page around it.
"""

from __future__ import annotations

import logging

from lxml import etree
from lxml import html as lxml_html

from govcrawl.extract.tree import CONTAINER_XPATHS, CONTENT_MARK, in_chrome
from govcrawl.text.normalize import clean_spaces, compact

log = logging.getLogger(__name__)

#: trafilatura's time grows steeply with the markup (about 2 s at 0.7 MB, 4 s at 1 MB, 49 s at
#: 2 MB here); a report's article is far smaller, so above this the CMS container is read alone
TRAFILATURA_MAX_CHARS = 600_000

_BLOCK_TAGS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "tbody",
    "section", "article", "dd", "dt", "dl", "center", "blockquote", "pre", "header", "footer",
    "nav", "aside", "main", "form", "hr", "td", "th", "caption", "figure", "figcaption",
})
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


def _block_lines(el) -> list[str]:
    """An element's text with a line break at each block element. Walked with lxml's iterwalk,
    not recursion: Word-pasted pages nest unclosed tags thousands of levels deep."""
    parts: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if not isinstance(node.tag, str):  # a comment or processing instruction: only its tail
            if event == "end" and node is not el and node.tail:
                parts.append(node.tail)
            continue
        block = node.tag in _BLOCK_TAGS
        if event == "start":
            if block:
                parts.append("\n")
            if node.text:
                parts.append(node.text)
        else:
            if block:
                parts.append("\n")
            if node is not el and node.tail:
                parts.append(node.tail)
    return [clean_spaces(x) for x in "".join(parts).split("\n") if clean_spaces(x)]


def _container(root, xpaths):
    for xpath in xpaths:
        for el in root.xpath(xpath):
            if len(compact(el.text_content())) >= 20 and not in_chrome(el):
                return el
    return None


def _trafilatura(markup: str, url: str) -> list[str]:
    try:
        import trafilatura
    except ImportError:  # lxml_html_clean missing: see docs/field-notes.md
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


def narrative(root, url: str, flags: list[str] | None = None) -> list[str]:
    """The page's narrative lines. A page whose markup is over TRAFILATURA_MAX_CHARS is read from
    its content container (or body) alone, and flagged `large_page`."""
    _unwrap_layout_tables(root)
    _unnest_paragraphs(root)
    markup = lxml_html.tostring(root, encoding="unicode")
    if len(markup) > TRAFILATURA_MAX_CHARS:
        lines: list[str] = []
        if flags is not None:
            flags.append("large_page")
    else:
        lines = _trafilatura(markup, url)
    container = _container(root, (f"//*[@{CONTENT_MARK}]",) + CONTAINER_XPATHS)
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
