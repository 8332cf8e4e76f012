"""Finding a report's title in its text lines, and removing the title (and site headings that
repeat it, menus above it) from the body.
"""

from __future__ import annotations

import re

from govcrawl.document import ReportDocument
from govcrawl.text.normalize import compact, nfkc, normalize_label
from govcrawl.text.titles import agency_from_title, clean_title, looks_like_agency, year_from_title
from govcrawl.text.vocabulary import REPORT_WORD, is_report_title

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
        if not (_title_like(line) and REPORT_WORD.search(normalize_label(line))):  # 年度報告 too
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


def title_repeats(lines: list[str], title: str, used: list[int], window: int = 15) -> set[int]:
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
        if REPORT_WORD.search(normalize_label(t)):
            out.add(i)
            if i > 0 and i - 1 not in used and looks_like_agency(lines[i - 1]) \
                    and key(lines[i - 1]) in whole:
                out.add(i - 1)
    return out


def title_from_body(doc: ReportDocument, lines: list[str]) -> None:
    """Pages whose <title> is only the site name print the report title as the first paragraph
    (a bold centred <p>): take it when no candidate so far is a report title."""

    if any(is_report_title(clean_title(t)) for t in doc.titles):
        return
    found, _ = find_title(lines[:6], window=6)
    if found:
        doc.titles[:0] = [t for t in found if t not in doc.titles]
_NUMBERED = re.compile(r"^\s*([一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、])")


def drop_leading_nav(lines: list[str]) -> list[str]:
    """Menu items that a recall-oriented extraction keeps above the article (`首页`, `政务公开`):
    short, unnumbered, digit-free lines before the first real line."""
    start = 0
    while start < len(lines):
        key = compact(nfkc(lines[start]))
        if len(key) > 8 or _NUMBERED.match(lines[start]) or re.search(r"\d", key) \
                or key.endswith(":"):
            break  # (a salutation, `省政府办公厅：`, opens a letter-style report)
        start += 1
    return lines[start:]


def drop_title_lines(lines: list[str], titles: list[str]) -> list[str]:
    """The report's title repeated at the top of the body is not body text."""

    keys = {compact(nfkc(t)) for t in titles if t} | {compact(nfkc(clean_title(t))) for t in titles if t}
    keys.discard("")
    # only near the top: the same words later in the body are the body's
    lines = [line for i, line in enumerate(lines) if i >= 5 or compact(nfkc(line)) not in keys]
    # the title printed over two to four centred lines (`XX局2013年` / `信息公开年度报告`): the
    # leading run of lines that together spell a title
    for start in range(min(3, len(lines))):
        joined = ""
        for end in range(start, min(start + 4, len(lines))):
            joined += compact(nfkc(lines[end]))
            if end > start and joined in keys:
                return lines[:start] + lines[end + 1:]
            if not any(k.startswith(joined) for k in keys):
                break
    return lines
