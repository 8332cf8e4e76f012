"""Which tables of a page are the report's (statistics and other data tables, not layout, bylines
or footers), read as grids with their captions and cut out of the tree so that the narrative
does not inline them.
"""

from __future__ import annotations

import re

from govcrawl.document import Table
from govcrawl.extract.tables import table_grid
from govcrawl.extract.tree import drop
from govcrawl.extract.tree import is_chrome as is_chrome_element
from govcrawl.text.chrome import is_chrome
from govcrawl.text.normalize import clean_spaces, nfkc

_NUMERIC_CELL = re.compile(r"^[-+]?(减|增)?\s*\d[\d,]*(\.\d+)?\s*(%|元|万元|件|条|次|人|个|篇|项|人次)?$")
_PLACEHOLDER_CELL = re.compile(r"^[-—–/／]+$")


_STAT_WORDS = re.compile(r"信息内容|统计指标|申请人情况|自然人|行政复议|行政诉讼|第二十条|统计数|"
                         r"本年新收|主动公开政府信息|处理决定数量|本年制发件数|行政许可|单位")
_FOOTER_IN_TABLE = re.compile(r"ICP|公网安备|网站标识码|版权所有|主办单位|技术支持")


def _is_report_table(el, grid: Table, page_chars: int) -> bool:
    rows = grid.rows
    if len(rows) < 2 or max((len(r) for r in rows), default=0) < 2:
        return False
    cells = [c for r in rows for c in r]
    if any(len(c) > 200 for c in cells):
        return False  # a layout table holding the article text
    joined = "".join(cells)
    if _FOOTER_IN_TABLE.search(joined) or _in_chrome(el, page_chars):
        return False
    if all(is_chrome(" ".join(r)) for r in rows if any(r)):
        return False  # a byline or footer laid out as a table
    distinct = {c for c in cells if c}
    numeric = sum(1 for c in distinct | set(cells) if c and (_NUMERIC_CELL.match(nfkc(c))
                                                             or _PLACEHOLDER_CELL.match(c)))
    return numeric >= 1 or bool(_STAT_WORDS.search(joined))


def _in_chrome(el, page_chars: int) -> bool:
    """The table sits in page chrome (a footer's or a header's layout table). A chrome element
    holding half the page's text or more is not chrome but a container that an unclosed tag left
    open over the article (`<div class="Header">` never closed): headers, navigation bars and
    footers hold far less."""
    for node in (el, *el.iterancestors()):
        if isinstance(node.tag, str) and is_chrome_element(node) \
                and len(node.text_content()) * 2 < page_chars:
            return True
    return False


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


def _wraps_tables(el) -> bool:
    """A layout table around other tables: one of its own cells holds a table. A table that only
    follows the table's rows inside it (a `</table>` left out: libxml2 nests the next table in the
    one still open) is a table of its own, and so is the open one, with its own rows."""
    for inner in el.iter("table"):
        if inner is el:
            continue
        cell = next(inner.iterancestors("td", "th"), None)
        if cell is not None and next(cell.iterancestors("table"), None) is el:
            return True
    return False


def report_tables(root) -> list[Table]:
    chosen = []
    page_chars = len(root.text_content())
    for el in root.iter("table"):
        if _wraps_tables(el):
            continue  # a layout table around other tables
        grid = table_grid(el)
        if _is_report_table(el, grid, page_chars):
            chosen.append((el, grid))
    out = []
    elements = {el for el, _ in chosen}
    for el, grid in chosen:
        grid.caption = _caption(el, elements)
        out.append(grid)
    for el, _ in chosen:
        drop(el)
    return out
