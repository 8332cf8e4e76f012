"""Who published which year's report, and when: title, agency, year, published date, signature.

Sources, best first, as observed on real pages (docs/report-formats.md §7):
- title: meta ArticleTitle, the page heading, <title> (with a site suffix `_安顺市人民政府`, `-XX网`),
  the first title-like line of a text.
- agency: decided in govcrawl/parse/agency.py (title, caption, 填报单位, signature, intro, header,
  meta 发布机构, breadcrumb, contact line, crawl hint, ContentSource), which also says where the
  name was found (`agency_source`); the helpers below are its older single-source rules.
- year (the year reported on): the title; the statistical period (统计期限/时限); the body's
  `现将2017年政府信息公开工作报告`; an intro line `2017年,我局...`; the published year - 1.
- published: meta PubDate, 发布时间/发布日期 (byline), 生成日期/发文日期, else the signature date.
"""

from __future__ import annotations

import re

from govcrawl.parse.dates import date_line, find_dates, parse_date
from govcrawl.text.normalize import clean_spaces, compact, nfkc, normalize_label, strip_pinyin, to_simplified
from govcrawl.text.titles import (  # noqa: F401  (re-exported: the identity rules, in one place)
    agency_from_title,
    clean_agency,
    clean_title,
    is_full_agency_name,
    looks_like_agency,
    year_from_title,
)
from govcrawl.text.vocabulary import YEAR, is_notice_title, is_report_title  # noqa: F401

# ---------------------------------------------------------------------------------------------
# year
# ---------------------------------------------------------------------------------------------

_PERIOD = re.compile(r"统计(?:期限|时限|时间|区间|周期|范围)[^。]{0,20}?" + YEAR + r"\s*年?\s*0?1\s*月?\s*0?1\s*日")
_CAPTION = re.compile(r"^(.{0,40}?)" + YEAR + r"\s*年度?\s*政府信息公开(?:工作)?(?:情况)?统计表")
_CAPTION_YEAR = re.compile(r"^[(（]\s*" + YEAR + r"\s*年度?\s*[)）]$")
_BODY_REPORT = re.compile(YEAR + r"\s*年度?\s*(?:的)?(?:政府信息公开|政务公开|政务信息公开|信息公开)"
                          r"(?:工作)?(?:年度)?(?:工作)?(?:报告|年报|情况报告)")
_INTRO = re.compile(r"^(?:\([一二三四五六七八九十]{1,3}\)[^。]{0,12}。)?" + YEAR +
                    r"\s*(?:年度|年(?:以来|来|是|,|，|、|全年|上半年|我|在|期间|,?我))")


def year_from_body(lines: list[str]) -> int | None:
    for line in lines:
        m = _PERIOD.search(normalize_label(line))
        if m:
            return int(m.group(1))
    for line in lines:
        t = normalize_label(line)
        m = _CAPTION.match(t) or _CAPTION_YEAR.match(t)
        if m:
            return int(m.groups()[-1])
    for line in lines[:60]:
        m = _BODY_REPORT.search(normalize_label(line))
        if m:
            return int(m.group(1))
    for line in lines[:40]:
        m = _INTRO.match(normalize_label(line))
        if m:
            return int(m.group(1))
    return None


# ---------------------------------------------------------------------------------------------
# agency
# ---------------------------------------------------------------------------------------------

_FILLER = re.compile(r"填报单位\s*(?:[(（]\s*盖章\s*[)）])?\s*[:：]\s*([^\s:：|]{2,40})")


def agency_from_lines(lines: list[str]) -> str:
    """The statistics caption `XX2017年度政府信息公开情况统计表`, else `填报单位(盖章):XX`."""
    for line in lines:
        m = _CAPTION.match(normalize_label(line))
        if m:
            agency = clean_agency(m.group(1))
            if len(agency) >= 2:
                return agency
    for line in lines:
        m = _FILLER.search(nfkc(line))
        if m:
            return clean_agency(m.group(1))
    return ""


# the report's own intro names who compiled it or whose report it announces:
# `由保康县农业农村局编制`, `本報告由懷化市統計局根據…編制`, `现公布泰州市人民政府2017年政府信息公开工作年度报告`
_INTRO_COMPILER = re.compile(r"由([^,，。;；:：()（）《》“”]{4,30}?)(?:根据|依据|按照|结合|编制|编写|负责编制)")
_INTRO_ANNOUNCE = re.compile(r"(?:现公布|现将|特编制|现发布|公布)([^,，。;；:：()（）《》“”]{4,30}?)" + YEAR +
                             r"\s*年度?(?:政府信息公开|政务信息公开|政务公开|信息公开)")


def agency_from_intro(lines: list[str], window: int = 12) -> str:
    """The agency named in the first paragraphs as the report's compiler or announcer; only a full
    name (`市政府办公厅综合各区…` names no place and is skipped)."""
    for line in lines[:window]:
        text = strip_pinyin(nfkc(line))
        simple = to_simplified(text)  # Traditional mirrors: 由懷化市統計局根據…編制
        for pattern in (_INTRO_ANNOUNCE, _INTRO_COMPILER):
            for m in pattern.finditer(simple):
                # the name as printed where the conversion kept the length, else the Simplified one
                name = text[m.start(1):m.end(1)] if len(simple) == len(text) else m.group(1)
                agency = clean_agency(name)
                if is_full_agency_name(agency) and not re.search(r"\d", agency):
                    return agency
    return ""


def agency_from_header(lines: list[str], window: int = 4) -> str:
    """An agency line over a date line at the top, before the body (`廣州市人民政府` / `2013年3月`):
    the sign-off printed under the title."""
    for i, line in enumerate(lines[:min(window, len(lines)) - 1]):
        if "|" in line or not looks_like_agency(line):
            continue
        nxt = clean_spaces(nfkc(lines[i + 1]))
        if re.fullmatch(r"[(（]?" + YEAR + r"\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?[)）]?", nxt):
            agency = compact(nfkc(line))
            if is_full_agency_name(agency):
                return agency
    return ""


# ---------------------------------------------------------------------------------------------
# signature
# ---------------------------------------------------------------------------------------------

_MAX_PROSE_AFTER_SIGNATURE = 150


def _prose_chars(lines: list[str]) -> int:
    """Characters of narrative paragraphs (sentences, not table rows or labels) in `lines`."""
    return sum(len(compact(line)) for line in lines if "|" not in line and re.search(r"[。；;]", line))


def find_signature(lines: list[str]) -> tuple[dict | None, int | None]:
    """The closing agency line + date line: ({"agency", "date"}, index of the first signature line).

    The last line of the body that is only a date (not a table row) is the signature date; the line
    just before it is the agency when it looks like one. `XX局 2015年3月31日` on one line counts too.
    """
    prose = 0  # narrative characters below line i
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if i + 1 < len(lines):
            prose += _prose_chars(lines[i + 1:i + 2])
        if "|" in line:
            continue
        if prose > _MAX_PROSE_AFTER_SIGNATURE:
            # paragraphs of the report still follow: a date line up here is the dateline under
            # the title (`(2017年2月23日)`), and the closing lines were cut off
            return None, None
        date = date_line(line)
        if date:
            agency, start = "", i
            j = i - 1
            while j >= 0 and not lines[j].strip():
                j -= 1
            if j >= 0 and "|" not in lines[j] and looks_like_agency(lines[j]):
                agency, start = compact(nfkc(lines[j])), j
            return {"agency": agency, "date": date}, start
        # agency and date on one line: `吉林省安全生产监督管理局 2015年3月31日`
        t = clean_spaces(nfkc(line))
        found = find_dates(t)
        if len(found) == 1 and len(t) <= 50:
            pos = found[0][0]
            head = t[:pos].strip()
            tail_date = date_line(t[pos:])
            if head and tail_date and looks_like_agency(head):
                return {"agency": compact(head), "date": tail_date}, i
    return None, None


# ---------------------------------------------------------------------------------------------
# published
# ---------------------------------------------------------------------------------------------

_PAGE_META_DATE_KEYS = ("PubDate", "pubdate", "publishdate", "PublishDate", "pubDate", "publish_date",
                        "article:published_time", "firstpublishedtime", "Maketime", "createDate")
_META_DATE_KEYS_FIRST = ("发布日期", "发布时间", "公开日期")
_META_DATE_KEYS_LATER = ("生成日期", "发文日期", "产生日期", "上载日期", "成文日期", "印发日期")


def published_date(page_meta: dict, meta: dict, byline_dates: list[str], listing_date: str | None,
                   signature: dict | None) -> str | None:
    """The page's own dates first (meta tags, the 索引号 block's 发布日期, the byline, its other
    dates), then the date printed beside the listing link, then the signature's."""
    lowered = {k.lower(): v for k, v in (page_meta or {}).items()}
    for key in _PAGE_META_DATE_KEYS:
        value = (page_meta or {}).get(key) or lowered.get(key.lower())
        date = parse_date(value)
        if date:
            return date
    for key in _META_DATE_KEYS_FIRST:
        date = parse_date((meta or {}).get(key))
        if date:
            return date
    for value in byline_dates or []:
        date = parse_date(value)
        if date:
            return date
    for key in _META_DATE_KEYS_LATER:
        date = parse_date((meta or {}).get(key))
        if date:
            return date
    date = parse_date(listing_date or "")
    if date:
        return date
    if signature and signature.get("date"):
        return signature["date"]
    return None
