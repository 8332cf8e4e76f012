"""The 索引号 block: the label/value table or list above the article (索引号, 发布机构, 生成日期,
文号, ...), found by its labels, parsed into `doc.meta` and cut out of the tree.

The search looks at every element of the page up to three times and climbs from each element that
opens with a label through its ancestors, so what it computes is remembered: whether an element
opens with a strong label (per text, and per element across the searches, forgotten for the
ancestors of a block once it is cut out, whose text changed), and what a climb learnt of an
ancestor (its text length, tokens, labels), which the climbs from its other label cells share.
"""

from __future__ import annotations

import re
from functools import lru_cache

from govcrawl.extract.tables import cell_text
from govcrawl.extract.tree import CONTAINER_XPATHS, drop
from govcrawl.text.chrome import META_LABELS, is_strong_label, label_key, pair_labels, split_labels
from govcrawl.text.normalize import PINYIN_GLOSS, clean_spaces, compact, nfkc, traditional_chars


def _tokens(el) -> list[str]:
    """Texts of a block in order: one per table cell, else one per text node. An explicit stack,
    not recursion: Word-pasted pages nest unclosed tags thousands of levels deep."""
    out: list[str] = []
    stack: list = [el]  # elements still to walk, and the tails due after them
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        if not isinstance(item.tag, str):
            continue
        if item.tag in ("td", "th") and item.find(".//table") is None:
            out.append(cell_text(item))
            continue
        if item.text:
            out.append(item.text)
        for child in reversed(item):
            if child.tail:
                stack.append(child.tail)
            stack.append(child)
    return [t for t in (clean_spaces(x) for x in out) if t]


def _count_labels(tokens: list[str]) -> tuple[int, int]:
    """(labels, strong labels) in an element's tokens."""
    labels = set()
    for tok in tokens:
        for piece in split_labels(tok):
            key = label_key(piece)
            if key:
                labels.add(key)
    return len(labels), sum(1 for k in labels if is_strong_label(k))


def meta_blocks(root) -> dict[str, str]:
    meta: dict[str, str] = {}
    body = root.find("body")
    if body is None:
        return meta
    #: element -> whether it opens with a strong label, kept across the searches
    opens = _all_opens(body)
    for _ in range(3):
        block = _find_meta_block(body, opens)
        if not block:
            break
        tokens = [tok for el in block for tok in _tokens(el)]
        for key, value in pair_labels(tokens).items():
            meta.setdefault(key, value)
        for el in block:
            # cutting the block out changes the text of its ancestors (a cell's text, the
            # parent that takes its tail): they are looked at afresh by the next search
            for ancestor in el.iterancestors():
                opens.pop(ancestor, None)
            drop(el)
    return meta


def _opens_with_strong_label(text: str) -> bool:
    """The text's first piece is a strong 索引号-type label (`索引号：`, `发布机构`)."""
    # short texts recur (table cells, labels, dates): remembered; a paragraph rarely does
    return _opens_short(text) if len(text) <= 64 else _first_piece_strong(text)


@lru_cache(maxsize=8192)
def _opens_short(text: str) -> bool:
    return _first_piece_strong(text)


def _first_piece_strong(text: str) -> bool:
    text = text.strip()
    # every label is Chinese: ASCII (the numbers of a table's cells) is none
    if not text or text.isascii():
        return False
    if not _may_open_with_label(text):
        return False
    return any(is_strong_label(key) for key in map(label_key, split_labels(text)[:1]) if key)


#: what label_key leaves out before the label's first character: spaces, the brackets of
#: `【索引号】`, pinyin glosses
_LEAD_SKIP = re.compile(r"(?:[\s\u3000\u00a0\u200b\u200c\u200d\ufeff【】\[\]]|" + PINYIN_GLOSS.pattern + r")+")


@lru_cache(maxsize=1)
def _label_first_chars() -> frozenset[str]:
    """The characters a strong label's key can start from: the first character of each strong
    label, and any Traditional character (which the conversion may turn into one)."""
    return frozenset(lab[0] for lab in META_LABELS if is_strong_label(lab)) | traditional_chars()


def _may_open_with_label(text: str) -> bool:
    """False when the text cannot start with a strong label (its first character, past what
    label_key drops, is none a label starts from): most texts, decided without splitting them."""
    text = nfkc(text)
    lead = _LEAD_SKIP.match(text)
    start = lead.end() if lead else 0
    return start < len(text) and text[start] in _label_first_chars()


def _all_opens(body) -> dict:
    """`_opens` of every element under `body`, in one pass over the tree: an element's text is
    its own, its tail its parent's (a parent is not asked for its children one by one)."""
    in_table: set = set()  # cells holding a table: their own text is not their whole text
    for table in body.iter("table"):
        in_table.update(a for a in table.iterancestors("td", "th"))
    tails: set = set()  # elements with a child whose tail opens with a label
    cells = []
    opens: dict = {}
    for el in body.iter():
        tail = el.tail
        if tail and _opens_with_strong_label(tail):
            tails.add(el.getparent())
        if not isinstance(el.tag, str):
            continue
        if el.tag in ("td", "th") and el not in in_table:
            cells.append(el)
        else:
            opens[el] = _opens_with_strong_label(el.text or "")
    for el in opens:
        if el in tails:
            opens[el] = True
    for el in cells:
        opens[el] = _cell_opens(el)
    return opens


def _cell_opens(cell) -> bool:
    """`_opens` of a table cell holding no table: its whole text is its own."""
    # a cell without children is its text (what cell_text gives it, for less)
    return _opens_with_strong_label(cell_text(cell) if len(cell) else clean_spaces(cell.text or ""))


def _opens(el, opens: dict) -> bool:
    """Whether an element's own text (its text and its children's tails; a cell's whole text)
    opens with a strong label."""
    found = opens.get(el)
    if found is None:
        if el.tag in ("td", "th") and next(el.iterdescendants("table"), None) is None:
            found = _cell_opens(el)
        else:
            found = _opens_with_strong_label(el.text or "") or any(
                _opens_with_strong_label(c.tail or "") for c in el)
        opens[el] = found
    return found


class _Node:
    """What the climbs of one search learn of an element (the tree does not change during it)."""

    __slots__ = ("_article", "_count", "_long_value", "_text_len", "_tokens", "el")

    def __init__(self, el):
        self.el = el
        self._text_len: int | None = None
        self._tokens: list[str] | None = None
        self._long_value: bool | None = None
        self._article: bool | None = None
        self._count: tuple[int, int] | None = None

    def text_len(self) -> int:
        if self._text_len is None:
            self._text_len = len(compact(self.el.text_content()))
        return self._text_len

    def tokens(self) -> list[str]:
        if self._tokens is None:
            self._tokens = _tokens(self.el)
        return self._tokens

    def long_value(self) -> bool:
        if self._long_value is None:
            self._long_value = any(len(v) > 200 for v in pair_labels(self.tokens()).values())
        return self._long_value

    def holds_article(self) -> bool:
        if self._article is None:
            self._article = _holds_article(self.el)
        return self._article

    def label_count(self) -> tuple[int, int]:
        if self._count is None:
            self._count = _count_labels(self.tokens())
        return self._count


def _find_meta_block(body, opens: dict | None = None):
    """The smallest element holding the 索引号-style block (>= 3 labels, >= 2 strong), grown to its
    largest ancestor that is still short and adds labels (blocks split over several rows/lists)."""
    opens = {} if opens is None else opens
    nodes: dict = {}

    def node_of(el) -> _Node:
        node = nodes.get(el)
        if node is None:
            node = nodes[el] = _Node(el)
        return node

    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in ("body", "html"):
            continue
        if not _opens(el, opens):
            continue
        node, best, last = el, None, el
        while node is not None and node.tag not in ("body", "html"):
            known = node_of(node)
            text_len = known.text_len()
            if text_len > 1500 or (best is not None and text_len > 2 * best[2] + 100):
                break  # the ancestor holds more than the block: the article itself
            if known.long_value():
                break  # a "value" that long is the article, caught after the block's last label
            if best is not None and known.holds_article():
                break  # the block's wrapper also holds the heading/content: stop below it
            count, strong = known.label_count()
            # grow only for more 索引号-type labels: 来源/发布时间 of the byline next to the
            # block are not a reason to swallow the article with it
            if count >= 3 and strong >= 2 and (best is None or strong > best[1]):
                best = (node, strong, text_len)
            last = node
            node = node.getparent()
        if best is not None:
            return [best[0]]
        rows = _meta_rows(last, node_of)
        if rows:
            return rows
    return None


def _holds_article(node) -> bool:
    if node.find(".//h1") is not None or node.find(".//h2") is not None:
        return True
    return any(node.xpath("." + xp[1:]) for xp in CONTAINER_XPATHS)


def _meta_rows(node, node_of=_Node) -> list:
    """Old Hanweb/TRS pages put the 索引号 rows and the article in ONE table: the block is then the
    run of sibling rows around `node` that carry labels."""
    parent = node.getparent()
    if parent is None:
        return []
    siblings = list(parent)
    index = siblings.index(node)
    start = end = index
    while start > 0 and node_of(siblings[start - 1]).label_count()[0] >= 1:
        start -= 1
    while end + 1 < len(siblings) and node_of(siblings[end + 1]).label_count()[0] >= 1 \
            and node_of(siblings[end + 1]).text_len() <= 300:
        end += 1
    rows = siblings[start:end + 1]
    labels: set[str] = set()
    for row in rows:
        for tok in node_of(row).tokens():
            for piece in split_labels(tok):
                key = label_key(piece)
                if key:
                    labels.add(key)
    strong = sum(1 for k in labels if is_strong_label(k))
    return rows if len(labels) >= 3 and strong >= 2 else []
