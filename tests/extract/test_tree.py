"""govcrawl/extract/tree.py and the breadcrumb search of html.py: the one-walk searches select what
their XPath specifications (`CONTAINER_XPATHS`, `_CRUMB_XPATH`) select, on every real page we hold."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from govcrawl.extract.encoding import decode_html
from govcrawl.extract.html import _CRUMB_XPATH, _crumb_candidates
from govcrawl.extract.tree import CONTAINER_XPATHS, CONTENT_MARK, content_containers
from tests.helpers import FIXTURES_DIR, TEST_FILES_DIR

PAGES = sorted([*FIXTURES_DIR.rglob("*.html"), *(TEST_FILES_DIR / "extract").glob("*.html"),
                *(TEST_FILES_DIR / "real_html").glob("*.html")])


def _root(path):
    return lxml_html.document_fromstring(decode_html(path.read_bytes()))


def test_the_pages_hold_containers_and_breadcrumbs():
    # the comparison below is not over pages that have neither
    roots = [_root(p) for p in PAGES]
    assert len(PAGES) > 50
    assert sum(1 for r in roots if content_containers(r)) > 30
    assert sum(1 for r in roots if list(_crumb_candidates(r))) > 30


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_the_walks_select_what_the_xpaths_select(path):
    root = _root(path)
    # a content mark the html module sets on a Hanweb comment's parent, to be found first
    body = root.find("body")
    if body is not None and len(body):
        body[0].set(CONTENT_MARK, "1")
    expected = [el for xpath in (f"//*[@{CONTENT_MARK}]", *CONTAINER_XPATHS) for el in root.xpath(xpath)]
    assert content_containers(root) == expected
    assert list(_crumb_candidates(root)) == root.xpath(_CRUMB_XPATH)
