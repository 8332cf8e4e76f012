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
from govcrawl.text.chrome import strip_chrome
from govcrawl.parse.identity import agency_from_title, looks_like_agency, year_from_title
from govcrawl.text.normalize import compact, nfkc

_REPORT_TITLE = re.compile(r"年度报告|年报|工作报告|情况报告")
_SENTENCE_END = re.compile(r"[。;；,，:：!！?？]$")
_ENDS_WITH_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度?$")
_STARTS_WITH_YEAR = re.compile(r"^(?:19|20)\d{2}\s*年")
_STARTS_WITH_DISCLOSURE = re.compile(r"^(?:政府信息公开|政务信息公开|政务公开|政府信息公開|政務公開)")


def _title_like(line: str) -> bool:
    t = compact(nfkc(line))
    return (4 <= len(t) <= 70 and "|" not in line and not _SENTENCE_END.search(t)
            and "。" not in t)


def find_title(lines: list[str], window: int = 15) -> tuple[list[str], list[int]]:
    """Title candidates (best first) and the indexes of the lines they use.

    Title-like lines with 年度报告/年报/工作报告 within the first lines; an agency line just before
    a title that starts with the year (`龙潭区人民政府` / `2017年政府信息公开工作年度报告`) or that
    starts with the disclosure words (`乌海市工业和信息化局` / `政府信息公开工作年度报告`), or a first
    half ending with the year (`宿州市人民政府2016年` / `政府信息公开工作年度报告`) or holding year and
    agency (`2019年西街街道` / `政府信息公开工作年度报告`), is joined.
    The first candidate naming a year and an agency wins over an earlier column name
    (`政府信息公开年度报告` above the report's own heading) or site heading without the agency."""
    found: list[tuple[int, list[str], list[int]]] = []
    for i, line in enumerate(lines[:window]):
        if not (_title_like(line) and _REPORT_TITLE.search(line)):
            continue
        titles, used = [line.strip()], [i]
        prev = lines[i - 1] if i > 0 else ""
        if prev and _title_like(prev) and i - 1 not in {u for _, _, us in found for u in us}:
            p = compact(nfkc(prev))
            t = compact(nfkc(line))
            if _ENDS_WITH_YEAR.search(p) or (looks_like_agency(prev) and (
                    _STARTS_WITH_YEAR.match(t) or _STARTS_WITH_DISCLOSURE.match(t))) or (
                    # `2019年西街街道` / `政府信息公开工作年度报告`
                    _STARTS_WITH_YEAR.match(p) and looks_like_agency(_STARTS_WITH_YEAR.sub("", p))
                    and _STARTS_WITH_DISCLOSURE.match(t)):
                titles, used = [prev.strip() + line.strip(), line.strip()], [i - 1, i]
        joined = titles[0]
        score = (1 if year_from_title(joined) else 0) + (1 if agency_from_title(joined) else 0)
        found.append((score, titles, used))
    if not found:
        return [], []
    # several different dated report titles: a listing of reports, whose own heading comes first
    dated = {compact(nfkc(f[1][0])) for f in found if year_from_title(f[1][0])}
    if sum(1 for d in dated if not any(d != o and d in o for o in dated)) > 1:
        return found[0][1], found[0][2]
    best = max(found, key=lambda f: f[0])  # the first of the best
    return best[1], best[2]


def _title_repeats(lines: list[str], title: str, used: list[int], window: int = 15) -> set[int]:
    """Lines near the title that only repeat it: the site heading `2022年政府信息公开工作年度报告`
    above `桃江县松木塘镇人民政府` / `2022年...报告`, or the heading split over two lines below the
    one-line title (`马头铺镇人民政府` / `2022年政府信息公开工作年度报告`)."""
    def key(text: str) -> str:
        return compact(nfkc(text)).replace("年度", "年")

    whole = key(title)
    out: set[int] = set()
    for i, line in enumerate(lines[:window]):
        t = key(line)
        if i in used or "|" in line or not _title_like(line) or len(t) < 4 or t not in whole:
            continue
        if _REPORT_TITLE.search(t):
            out.add(i)
            if i > 0 and i - 1 not in used and looks_like_agency(lines[i - 1]) \
                    and key(lines[i - 1]) in whole:
                out.add(i - 1)
    return out


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
        lines = [line for i, line in enumerate(lines) if i not in used and i not in above
                 and i not in _title_repeats(lines, titles[0], used)]
    doc.lines = lines
    doc.titles = titles
    doc.meta = meta
    doc.byline_dates = dates
    if not lines:
        doc.flags.append("no_content")
    return doc
