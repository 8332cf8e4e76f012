"""Text -> ReportDocument: a report's plain text (a saved page's text, PDF text, the seeds).

The same chrome as on HTML pages survives in such text (see fixtures/seeds/): the 索引号 header
rows (`索引号: | ... | 公开形式: | ...` -> `doc.meta`), breadcrumb rows (`>> 政务公开 | >> ...`,
`当前位置:...`), bylines (`发布时间:... 来源:`), `打印| 字号:[ ]|`, footers, `•`, 扫一扫.... They are
removed line by line; flattened tables stay in `lines` (the statistics parser reads them there,
including the pipe-only row breaks `|`, `||||`).
"""

from __future__ import annotations

import re

from govcrawl.document import ReportDocument
from govcrawl.extract.boilerplate import strip_chrome
from govcrawl.parse.identity import looks_like_agency
from govcrawl.parse.normalize import compact, nfkc

_REPORT_TITLE = re.compile(r"年度报告|年报|工作报告|情况报告")
_SENTENCE_END = re.compile(r"[。;；,，:：!！?？]$")
_ENDS_WITH_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度?$")
_STARTS_WITH_YEAR = re.compile(r"^(?:19|20)\d{2}\s*年")


def _title_like(line: str) -> bool:
    t = compact(nfkc(line))
    return (4 <= len(t) <= 70 and "|" not in line and not _SENTENCE_END.search(t)
            and "。" not in t)


def find_title(lines: list[str], window: int = 15) -> tuple[list[str], list[int]]:
    """Title candidates (best first) and the indexes of the lines they use.

    The first title-like line with 年度报告/年报/工作报告 within the first lines; an agency line just
    before a title that starts with the year (`龙潭区人民政府` / `2017年政府信息公开工作年度报告`), or a
    first half ending with the year (`宿州市人民政府2016年` / `政府信息公开工作年度报告`), is joined."""
    for i, line in enumerate(lines[:window]):
        if not (_title_like(line) and _REPORT_TITLE.search(line)):
            continue
        prev = lines[i - 1] if i > 0 else ""
        if prev and _title_like(prev):
            p = compact(nfkc(prev))
            if _ENDS_WITH_YEAR.search(p) or (looks_like_agency(prev)
                                             and _STARTS_WITH_YEAR.match(compact(nfkc(line)))):
                return [prev.strip() + line.strip(), line.strip()], [i - 1, i]
        return [line.strip()], [i]
    return [], []


def document_from_text(text: str, url: str) -> ReportDocument:
    """Raises govcrawl.extract.NotAPageError for binary input (not a text at all)."""
    from govcrawl.extract import check_readable

    check_readable(text or "", "text")
    doc = ReportDocument(url=url, source="text")
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    raw = [line.strip() for line in text.split("\n")]
    lines, meta, dates = strip_chrome(raw, keep_pipes=True)
    titles, used = find_title(lines)
    # the title line(s) at the top are the heading, not body text; short lines above it are the
    # page's column name and menu (`政府信息公开`)
    if used and used[0] <= 5:
        above = [i for i in range(used[0]) if len(compact(nfkc(lines[i]))) <= 12 and "|" not in lines[i]]
        lines = [line for i, line in enumerate(lines) if i not in used and i not in above]
    doc.lines = lines
    doc.titles = titles
    doc.meta = meta
    doc.byline_dates = dates
    if not lines:
        doc.flags.append("no_content")
    return doc
