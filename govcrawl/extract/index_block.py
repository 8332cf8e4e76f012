"""The 索引号 block: the label/value table or list above the article (索引号, 发布机构, 生成日期,
文号, ...), found by its labels, parsed into `doc.meta` and cut out of the tree.
"""

from __future__ import annotations

from govcrawl.extract.tables import cell_text
from govcrawl.extract.tree import CONTAINER_XPATHS, drop
from govcrawl.text.chrome import is_strong_label, label_key, pair_labels, split_labels
from govcrawl.text.normalize import clean_spaces, compact


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


def meta_blocks(root) -> dict[str, str]:
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
            drop(el)
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
        if not any(is_strong_label(key) for t in own if t.strip()
                   for key in map(label_key, split_labels(t.strip())[:1]) if key):
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
            # grow only for more 索引号-type labels: 来源/发布时间 of the byline next to the
            # block are not a reason to swallow the article with it
            if count >= 3 and strong >= 2 and (best is None or strong > best[1]):
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
    return any(node.xpath("." + xp[1:]) for xp in CONTAINER_XPATHS)


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
    labels: set[str] = set()
    for row in rows:
        for tok in _tokens(row):
            for piece in split_labels(tok):
                key = label_key(piece)
                if key:
                    labels.add(key)
    strong = sum(1 for k in labels if is_strong_label(k))
    return rows if len(labels) >= 3 and strong >= 2 else []
