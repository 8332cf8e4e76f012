"""Shared operations on the parsed page tree: removing an element, telling page chrome (header,
nav, footer, share bars) from content, and the content containers of the CMS families we crawl.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

# content containers of the CMS families we crawl (TRS WCM, gov.cn UCAP, Hanweb, Epoint, ...)
CONTAINER_XPATHS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//*[contains(@class, 'TRS_UEDITOR')]",
    "//*[contains(@class, 'trs_editor_view') or contains(@class, 'trs_paper_default')]",
    "//*[@id='UCAP-CONTENT']",
    "//*[@id='zoom' or @id='Zoom' or @id='ZOOM']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' zoom ')]",
    "//*[@id='ivs_content' or @id='info_content' or @id='art_content' or @id='article_content']",
)
CONTENT_MARK = "data-govcrawl-content"


def _class_words(el) -> list[str]:
    # normalize-space(@class) splits on XML whitespace only (not U+3000 or U+00A0)
    return el.get("class", "").replace("\t", " ").replace("\n", " ").replace("\r", " ").split(" ")


#: CONTAINER_XPATHS as tests on one element, in the same order: one walk over the tree instead of
#: one XPath evaluation per expression (libxml2's contains() over every element is the slow part)
_CONTAINER_TESTS = (
    lambda el: "TRS_Editor" in _class_words(el),
    lambda el: "TRS_UEDITOR" in el.get("class", ""),
    lambda el: "trs_editor_view" in el.get("class", "") or "trs_paper_default" in el.get("class", ""),
    lambda el: el.get("id") == "UCAP-CONTENT",
    lambda el: el.get("id") in ("zoom", "Zoom", "ZOOM"),
    lambda el: "zoom" in _class_words(el),
    lambda el: el.get("id") in ("ivs_content", "info_content", "art_content", "article_content"),
)


def content_containers(root) -> list:
    """What `//*[@CONTENT_MARK]` and then each of CONTAINER_XPATHS select, in that order (each
    expression's elements in document order; an element matching several comes once per match)."""
    found: list[list] = [[] for _ in range(len(_CONTAINER_TESTS) + 1)]
    for el in root.iter():
        if not isinstance(el.tag, str) or not (el.get("class") or el.get("id") or el.get(CONTENT_MARK)
                                               is not None):
            continue
        if el.get(CONTENT_MARK) is not None:
            found[0].append(el)
        for i, test in enumerate(_CONTAINER_TESTS, 1):
            if test(el):
                found[i].append(el)
    return [el for group in found for el in group]


_CHROME_ATTR = re.compile(r"(^|[\s_-])(footer|foot|header|nav|navbar|menu|banner|sidebar|"
                          r"breadcrumb|crumb|position|location|share|bdsharebutton|qr|ewm|"
                          r"copyright|bottom)([\s_-]|\d|$)", re.I)


def drop(el) -> None:
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


def is_chrome(el) -> bool:
    """The element itself is page chrome: <footer>/<nav>/<header>, or a class/id saying so."""
    if el.tag in ("footer", "nav", "header"):
        return True
    attrs = f"{el.get('class', '')} {el.get('id', '')}"
    return bool(attrs.strip() and _CHROME_ATTR.search(attrs))


def in_chrome(el) -> bool:
    node = el
    while node is not None and isinstance(node.tag, str):
        if is_chrome(node):
            return True
        node = node.getparent()
    return False
