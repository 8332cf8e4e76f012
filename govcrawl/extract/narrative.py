"""The narrative: trafilatura over what is left of the tree, checked against the CMS content
container (TRS `div.TRS_Editor`, gov.cn `#UCAP-CONTENT`, Hanweb `#zoom`, ...), whose own text is
used when trafilatura misses much of it or takes in the page around it.

A clean container (only text and attachment links: see `_clean`) is read alone, without
trafilatura: on such pages trafilatura's text is the container's plus the title, byline and
footers around it, which the line rules remove anyway. trafilatura otherwise runs in its fast
mode (no readability/justext comparison), and in its full mode only when the fast mode found less
than half of a page's own text and no container can vouch for it (issue #10: the full mode cost
two to three times trafilatura's default call on small pages).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from govcrawl.extract.tree import content_containers, in_chrome, is_chrome
from govcrawl.text.links import attachment_type
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


def _container(elements):
    for el in elements:
        if len(compact(el.text_content())) >= 20 and not in_chrome(el):
            return el
    return None


def _trafilatura(root, url: str, fast: bool) -> list[str]:
    """trafilatura's text lines, in recall mode. `fast` skips its comparison with readability and
    justext (two thirds of its time on a small page), which only ever changes the result when its
    own extractor found little of the page."""
    try:
        import trafilatura
    except ImportError:  # lxml_html_clean missing: see docs/field-notes.md
        return []
    try:
        # the tree itself, not its markup: trafilatura works on a copy of it (core.bare_extraction),
        # and a copy is cheaper than serialising and parsing the page again
        result = trafilatura.extract(root, url=url or None, include_tables=True,
                                     include_comments=False, include_links=False,
                                     include_images=False, favor_recall=True, deduplicate=False,
                                     output_format="txt", fast=fast)
    except Exception as exc:  # trafilatura has failed on odd markup before; fall back to ours
        log.info("trafilatura failed on %s: %s", url, exc)
        return []
    return [line for line in (result or "").splitlines() if line.strip()]


def _clean(container) -> bool:
    """A content container whose own text is the article as trafilatura would give it: no link
    text in it but the names of attached files (`附件：….pdf`; related articles and menus are what
    trafilatura drops from a container), nor a list or a form."""
    for el in container.iter("a", "ul", "ol", "form"):
        if el.tag != "a":
            return False
        if compact(el.text_content()) and not _file_link(el.get("href") or ""):
            return False
    return True


def _file_link(href: str) -> bool:
    href = href.strip()
    try:
        path = urlsplit(href).path
    except ValueError:
        return False
    return bool(attachment_type(path) or attachment_type(href))


def _misses_container(lines: list[str], inside: str) -> bool:
    """trafilatura missed much of the container (it drops short paragraphs, the signature lines,
    on some templates) or took in the byline and menus around a short article."""
    got = sum(len(compact(x)) for x in lines)
    outside = sum(len(compact(x)) for x in lines if compact(x) not in inside)
    return got < 0.85 * len(inside) or outside > 0.2 * got


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
    its content container (or body) alone, and flagged `large_page`.

    A clean content container (see `_clean`) is read alone: trafilatura's text of such a page is
    the container's. Otherwise trafilatura runs in its fast mode; its full mode (readability and
    justext compared with its own extractor, three times the cost on a small page) only on a page
    without a container where the fast mode found less than half of the page's own text."""
    container = _container(content_containers(root))
    _unwrap_layout_tables(root)
    _unnest_paragraphs(root)
    markup = lxml_html.tostring(root, encoding="unicode")
    lines: list[str] = []
    if len(markup) > TRAFILATURA_MAX_CHARS:
        if flags is not None:
            flags.append("large_page")
    elif container is None or not _clean(container):
        lines = _trafilatura(root, url, fast=True)
        if container is None and _short(lines, root):
            lines = _trafilatura(root, url, fast=False)
    if container is None and not lines:
        container = _container(el for xpath in _WEAK_CONTAINER_XPATHS for el in root.xpath(xpath))
    if container is not None:
        own = _block_lines(container)
        if not lines or _misses_container(lines, compact(" ".join(own))):
            lines = own
    elif not lines:
        body = root.find("body")
        lines = _block_lines(body) if body is not None else []
    return lines


def _short(lines: list[str], root) -> bool:
    """Less than half of the page's own text (the body's, outside links and page chrome: menus,
    listings, footers): the fast mode may have missed part of the article."""
    if not lines:
        return True
    body = root.find("body")
    return body is not None and sum(len(compact(x)) for x in lines) < 0.5 * _own_text(body)


def _unlinked(el) -> int:
    return len(compact(el.text_content())) - sum(len(compact(a.text_content())) for a in el.iter("a"))


def _own_text(body) -> int:
    """The length of the body's text outside links and outside chrome elements (tree.is_chrome;
    one holding half the page's text or more is not chrome but a container left open over the
    article by an unclosed tag: `<div class="Header">` never closed)."""
    total = _unlinked(body)
    page = len(compact(body.text_content()))
    stack = list(body)
    while stack:  # a stack, not recursion: Word-pasted pages nest thousands of levels deep
        el = stack.pop()
        if not isinstance(el.tag, str):
            continue
        if is_chrome(el) and 2 * len(compact(el.text_content())) < page:
            total -= _unlinked(el)
        else:
            stack.extend(el)
    return total
