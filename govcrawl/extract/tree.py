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


def in_chrome(el) -> bool:
    node = el
    while node is not None and isinstance(node.tag, str):
        if node.tag in ("footer", "nav", "header"):
            return True
        attrs = f"{node.get('class', '')} {node.get('id', '')}"
        if attrs.strip() and _CHROME_ATTR.search(attrs):
            return True
        node = node.getparent()
    return False
