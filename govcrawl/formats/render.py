"""Render the official layouts of a format as a page would print them.

Built from the format definitions, so the parser's tests and benchmark exercise every row and
column the definitions name: HTML (merged label and header cells as rowspan/colspan, Word-pasted
`MsoNormalTable` markup, `&nbsp;` blanks) and the three flattened text forms of
docs/report-formats.md §6.1 (row per line with " | ", cell per line with " |" and `|` runs,
numbers space-separated after the label as in PDF text).

`values` maps (table, row, col) to the printed cell text ("" for a blank).
"""

from __future__ import annotations

import html as _html
from dataclasses import dataclass, field

from govcrawl.formats import BY_NAME
from govcrawl.formats.base import Format
from govcrawl.formats.common import APPLICANTS

_CN = "一二三四五六七八九十"


#: (label cells [label_width], row code, col codes, unit cell or None)
RRow = tuple[list[str], str | None, list[str], str | None]
#: (row, col, rowspan, colspan, text) of a merged block
Block = tuple[int, int, int, int, str]


@dataclass
class RTable:
    key: str  # statistics table key
    title: str | None  # section heading printed before the table in text
    part: str | None  # caption (第二十条第（一）项)
    header: list[list[str]]  # full-width header grid; equal neighbours are one merged cell
    label_width: int
    # (label cells [label_width], row code, col codes, unit cell or None)
    rows: list[RRow] = field(default_factory=list)


def _active(fmt: Format) -> list[RTable]:
    t = fmt.table("active")
    labels = {c.code: c.labels[0] for c in t.cols}
    parts = {
        "2019": [("第二十条第（一）项", ["regulations", "normative_docs"]),
                 ("第二十条第（五）项", ["licensing", "other_services"]),
                 ("第二十条第（六）项", ["punishment", "coercion"]),
                 ("第二十条第（八）项", ["fees"]),
                 ("第二十条第（九）项", ["procurement"])],
        "2021": [("第二十条第（一）项", ["regulations", "normative_docs"]),
                 ("第二十条第（五）项", ["licensing"]),
                 ("第二十条第（六）项", ["punishment", "coercion"]),
                 ("第二十条第（八）项", ["fees"])],
    }[fmt.name]
    rows = {r.code: r for r in t.rows}
    out = []
    for i, (caption, codes) in enumerate(parts):
        part_cols = rows[codes[0]].cols
        assert part_cols is not None  # every row of the multi-part table 二 names its columns
        cols = list(part_cols)
        head = ["信息内容"] + [labels[c] if not (fmt.name == "2021" and c == "amount")
                               else "本年收费金额（单位：万元）" for c in cols]
        rt = RTable("active", "二、主动公开政府信息情况" if i == 0 else None, caption, [head], 1)
        for code in codes:
            rt.rows.append(([rows[code].labels[0]], code, cols, None))
        out.append(rt)
    return out


def _applications(fmt: Format, org_subtotal: bool, subtotals: bool) -> RTable:
    t = fmt.table("applications")
    cols = list(APPLICANTS[:1]) + list(APPLICANTS[1:]) + (["org_subtotal"] if org_subtotal else []) + ["total"]
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    orgs = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"] + (["小计"] if org_subtotal else [])
    n_org = len(orgs)
    header = [
        [note] * 3 + ["申请人情况"] * (len(cols)),
        [note] * 3 + ["自然人"] + ["法人或其他组织"] * n_org + ["总计"],
        [note] * 3 + ["自然人"] + orgs + ["总计"],
    ]
    rt = RTable("applications", "三、收到和处理政府信息公开申请情况", None, header, 3)
    top = {"new_received": "一、", "carried_over": "二、", "carried_forward": "四、"}
    result_no = 0
    child_no = 0
    group_label: str | None = None
    results = "三、本年度办理结果"
    for row in t.rows:
        if row.code is None:
            continue
        if row.code in top:
            label = top[row.code] + row.labels[0]
            rt.rows.append(([label] * 3, row.code, cols, None))
            continue
        if "." not in row.code:
            result_no += 1
            label = f"（{_CN[result_no - 1]}）{row.labels[0]}"
            has_children = any(r.code and r.code.startswith(row.code + ".") for r in t.rows)
            if has_children:
                group_label, child_no = label, 0
                if subtotals:
                    rt.rows.append(([results, label, label], row.code, cols, None))
                continue
            group_label = None
            rt.rows.append(([results, label, label], row.code, cols, None))
            continue
        child_no += 1
        child = f"{child_no}.{row.labels[0]}"
        # an item row always follows its group row in the definitions
        assert group_label is not None
        # with a subtotal row the group label heads that row; its items stand alone
        rt.rows.append(([results, child, child] if subtotals else [results, group_label, child], row.code, cols, None))
    return rt


def _review(fmt: Format) -> RTable:
    t = fmt.table("review_litigation")
    blocks = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    header = [
        ["行政复议"] * 5 + ["行政诉讼"] * 10,
        ["行政复议"] * 5 + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
        blocks * 3,
    ]
    rt = RTable("review_litigation", "四、政府信息公开行政复议、行政诉讼情况", None, header, 0)
    rt.rows.append(([], "cases", [c.code for c in t.cols], None))
    return rt


def _statistics(fmt: Format) -> RTable:
    t = fmt.table("statistics")
    rt = RTable("statistics", "政府信息公开情况统计表", None, [["统计指标", "单位", "统计数"]], 1)
    for row in t.rows:
        if row.code is None:
            rt.rows.append(([row.labels[0]], None, ["value"], "——"))
        else:
            rt.rows.append(([row.labels[0]], row.code, ["value"], "件"))
    return rt


def layout(name: str, *, org_subtotal: bool = False, subtotals: bool = False) -> list[RTable]:
    fmt = BY_NAME[name]
    if name == "statistics":
        return [_statistics(fmt)]
    return _active(fmt) + [_applications(fmt, org_subtotal, subtotals), _review(fmt)]


def cell_keys(tables: list[RTable]) -> list[tuple[str, str, str]]:
    return [(t.key, code, col) for t in tables for _, code, cols, _ in t.rows if code for col in cols]


# -- rendering ------------------------------------------------------------------------------

def _row_cells(t: RTable, row: RRow, values: dict) -> list[str]:
    labels, code, cols, unit = row
    if code is None:
        return list(labels) + [unit or "", ""]
    cells = list(labels)
    if unit is not None:
        cells.append(unit)
    return cells + [values.get((t.key, code, c), "") for c in cols]


def _grid(t: RTable, values: dict) -> tuple[list[list[str]], list[list[bool]]]:
    """Full grid and a mask of the cells that may merge with equal neighbours (labels, headers)."""
    width = max([len(h) for h in t.header] + [len(_row_cells(t, r, values)) for r in t.rows])
    label_cols = t.label_width
    grid, mask = [], []
    for h in t.header:
        grid.append(h + [""] * (width - len(h)))
        mask.append([True] * width)
    for r in t.rows:
        cells = _row_cells(t, r, values)
        grid.append(cells + [""] * (width - len(cells)))
        mask.append([i < label_cols for i in range(width)])
    return grid, mask


def _blocks(grid: list[list[str]], mask: list[list[bool]]) -> list[Block]:
    """Merged blocks: (r, c, rowspan, colspan, text) for origin cells, in reading order."""
    n = len(grid)
    seen: set[tuple[int, int]] = set()
    out = []
    for r in range(n):
        for c in range(len(grid[r])):
            if (r, c) in seen:
                continue
            text = grid[r][c]
            cs = rs = 1
            if mask[r][c] and text:
                while c + cs < len(grid[r]) and mask[r][c + cs] and grid[r][c + cs] == text and (r, c + cs) not in seen:
                    cs += 1
                while r + rs < n and all(
                    mask[r + rs][c + k] and grid[r + rs][c + k] == text and (r + rs, c + k) not in seen
                    for k in range(cs)
                ) and (c + cs >= len(grid[r + rs]) or grid[r + rs][c + cs] != text or not mask[r + rs][c + cs]):
                    rs += 1
            for dr in range(rs):
                for dc in range(cs):
                    seen.add((r + dr, c + dc))
            out.append((r, c, rs, cs, text))
    return out


def to_html(tables: list[RTable], values: dict, *, word: bool = True) -> str:
    parts = ["<html><body><div class=\"TRS_Editor\">"]
    for t in tables:
        if t.title:
            parts.append(f"<p>{_html.escape(t.title)}</p>")
        if t.part:
            parts.append(f"<p style=\"text-align:center\"><strong>{_html.escape(t.part)}</strong></p>")
        grid, mask = _grid(t, values)
        cls = ' class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0"' if word else ' border="1"'
        parts.append(f"<table{cls}><tbody>")
        blocks = _blocks(grid, mask)
        for r in range(len(grid)):
            parts.append("<tr>")
            for br, _bc, rs, cs, text in blocks:
                if br != r:
                    continue
                attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
                inner = _html.escape(text) if text else "&nbsp;"
                if word:
                    inner = f'<p class="MsoNormal" align="center"><span style="font-size:10.5pt">{inner}</span></p>'
                parts.append(f'<td{attrs} valign="center">{inner}</td>')
            parts.append("</tr>")
        parts.append("</tbody></table>")
    parts.append("</div></body></html>")
    return "".join(parts)


def _origin_rows(t: RTable, values: dict) -> list[list[str]]:
    grid, mask = _grid(t, values)
    blocks = _blocks(grid, mask)
    rows: list[list[str]] = [[] for _ in grid]
    for r, _c, _rs, _cs, text in blocks:
        rows[r].append(text)
    return rows


def to_row_lines(tables: list[RTable], values: dict) -> list[str]:
    """One line per row, `a | b | c |`; a merged label only on the first row it covers (S-LG)."""
    lines = []
    for t in tables:
        if t.title:
            lines.append(t.title)
        if t.part:
            lines.append(f"{t.part} |")
        for cells in _origin_rows(t, values):
            lines.append(" | ".join(cells) + " |")
    return lines


def to_cell_lines(tables: list[RTable], values: dict) -> list[str]:
    """One cell per line, `a |`; blanks as bare `|` runs; a row ends with an extra ` |`
    (seeds 000 and 001)."""
    lines: list[str] = []
    for t in tables:
        if t.title:
            lines.append(t.title)
        if t.part:
            lines.append(f"{t.part} |")
        for cells in _origin_rows(t, values):
            row_lines: list[str] = []
            for cell in cells:
                if cell:
                    row_lines.append(f"{cell} |")
                elif row_lines and set(row_lines[-1]) == {"|"}:
                    row_lines[-1] += "|"
                else:
                    row_lines.append("|")
            if row_lines:
                row_lines[-1] += " |" if set(row_lines[-1]) != {"|"} else "|"
            lines.extend(row_lines)
    return lines


def to_space_lines(tables: list[RTable], values: dict) -> list[str]:
    """PDF text: numbers space-separated after the label; blank cells vanish, so callers render
    this form without blanks."""
    lines = []
    for t in tables:
        if t.title:
            lines.append(t.title)
        if t.part:
            lines.append(t.part)
        for cells in _origin_rows(t, values):
            lines.append(" ".join(c for c in cells if c))
    return lines
