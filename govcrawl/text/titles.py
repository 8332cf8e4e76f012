"""Titles and agency names as strings: cleaning a page title, the year it names, the agency it
names, and whether a line is an agency's name. Rules over strings only."""

from __future__ import annotations

import re

from govcrawl.text.normalize import clean_spaces, compact, nfkc, normalize_label, strip_pinyin, to_simplified
from govcrawl.text.vocabulary import REPORT_WORD, YEAR

# site-name suffixes and prefixes of <title> and listing texts
_SITE_SPLIT = re.compile(r"\s*(?:_|\||｜|—|–|\s-\s|--|\s-|-\s)\s*")
_SITE_WORD = re.compile(r"(网|网站|门户|人民政府|政府|政务|信息公开|平台|中国|gov|GOV|首页|频道|专栏|年报|"
                        r"厅|局|委|办|院|中心|市|县|区|省)$")
_AGENCY_SUFFIX = re.compile(
    r"(人民政府|政府|办公厅|办公室|委员会|管理委员会|管委会|局|厅|委|办|署|院|中心|所|站|馆|队|会|部|处|"
    r"科|集团|公司|街道|街道办事处|办事处|乡|镇|村|社区|法院|检察院|监狱|学校|大学|医院|银行|"
    r"政府办|管理处|管理所|分局|支队|大队|总队|开发区|新区|园区|示范区|高新区|试验区|保护区|风景区|"
    r"景区|林场|农场|市|县|区|州|盟|旗|省)$")
_PLACE_PREFIX = re.compile(r"^.{1,10}?(省|自治区|市|自治州|州|地区|盟|县|自治县|区|旗|新区|开发区)")


def strip_quotes(text: str) -> str:
    text = text.strip()
    while len(text) > 2 and text[0] in "《“\"'「『【[" and text[-1] in "》”\"'」』】]":
        text = text[1:-1].strip()
    return text.strip("《》“”\"' ")


def clean_title(title: str | None) -> str:
    """A title without site suffixes/prefixes: `XX2020年...年度报告_安顺市人民政府` -> `XX2020年...年度报告`,
    and without the pinyin glosses of spam mirrors; otherwise as printed (not converted to
    Simplified: the title is the report's own words)."""
    if not title:
        return ""
    # the pinyin glosses a spam mirror puts in (`拖市鎮(zhèn)`) are no part of the title; its
    # characters stay as printed (Traditional on a 繁體 mirror)
    title = clean_spaces(strip_pinyin(title))
    title = re.sub(r"^Page\s*\d+\s*[-–—]\s*", "", title)
    parts = [p for p in _SITE_SPLIT.split(title) if p.strip()]
    if len(parts) > 1:
        reportish = [p for p in parts if REPORT_WORD.search(normalize_label(p))]
        if reportish:
            title = max(reportish, key=len) if len(reportish) > 1 else reportish[0]
        else:
            # keep the longest part that is not a bare site name
            body = [p for p in parts if not (_SITE_WORD.search(p) and len(p) <= 12)]
            title = body[0] if body else parts[0]
    else:
        # `XX报告-贵阳网` with no space before the dash
        m = re.match(r"^(.*?(?:报告|年报|報告|年報))\s*[-_]\s*[^-_]{2,20}$", title)
        if m:
            title = m.group(1)
    return strip_quotes(title)


_CN_YEAR = re.compile(r"([〇○O0零一二三四五六七八九]{4})\s*年")
_CN_DIGITS = {ch: str(i) for i, chars in enumerate(
    ["〇○O0零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]) for ch in chars}


def year_from_title(title: str) -> int | None:
    """The first `YYYY年` of a title (`二〇一七年` too), else a bare `YYYY`."""
    t = compact(nfkc(title or ""))
    m = re.search(YEAR + r"年", t)
    if m:
        return int(m.group(1))
    m = _CN_YEAR.search(t)
    if m:
        year = int("".join(_CN_DIGITS[ch] for ch in m.group(1)))
        if 1990 <= year <= 2099:
            return year
    m = re.search(r"(?<!\d)" + YEAR + r"(?!\d)", t)
    return int(m.group(1)) if m else None


_NOT_AGENCY = frozenset({"政府", "政务", "政府信息", "政务信息", "本级", "全市", "全县", "全区", "全省", "度"})


def clean_agency(text: str) -> str:
    text = clean_spaces(nfkc(text or ""))
    text = re.sub(r"^(关于|印发|转发)", "", text)
    text = re.sub(r"(关于|的)$", "", text)
    text = re.sub(r"\s*[(（][^()（）]*[)）]\s*$", "", text)  # 贵阳市人民政府(市人民政府办公厅)
    text = text.strip(" ,，:：、《》“”\"'")
    return compact(text)


def simplified_name(text: str) -> str:
    """A name as the record keeps it: NFKC, without the pinyin glosses of spam mirrors, in
    Simplified characters (`拖市鎮(zhèn)` -> `拖市镇`): names are joined on, so one script."""
    return to_simplified(strip_pinyin(nfkc(text or "")))


def agency_from_title(title: str) -> str:
    """The agency a title names, in Simplified characters (a Traditional mirror's
    `廣州市花都區人力資源和社會保障局2022年…` names `广州市花都区人力资源和社会保障局`)."""
    t = strip_quotes(clean_spaces(simplified_name(title)))
    m = re.match(r"^(.{2,40}?)\s*" + YEAR + r"\s*年", t)
    if m:
        agency = clean_agency(m.group(1))
        if len(agency) >= 2 and not re.search(r"\d", agency) and not REPORT_WORD.search(agency):
            return agency
    # year first: 2022年上海市政府信息公开工作年度报告
    for word in (r"(?:政府信息公开|政务信息公开|政务公开)", r"信息公开"):
        m = re.match(r"^" + YEAR + r"\s*年度?\s*(.{2,30}?)" + word, t)
        if m:
            agency = clean_agency(m.group(2))
            if len(agency) >= 2 and not re.search(r"\d", agency) and agency not in _NOT_AGENCY:
                return agency
    # no year: `乌海市工业和信息化局政府信息公开工作年度报告` (agency line + heading line); only a
    # full name, so `政府信息公开工作年度报告` alone names nobody
    m = re.match(r"^(.{4,40}?)(?:政府信息公开|政务信息公开|政务公开)", t)
    if m and not re.search(r"\d", m.group(1)):
        agency = clean_agency(m.group(1))
        if is_full_agency_name(agency) or (looks_like_agency(agency)
                                           and not re.match(r"^(市|县|区|省|州|本)", agency)):
            return agency
    return ""


def is_full_agency_name(name: str) -> bool:
    """`安顺市应急管理局` is full; `应急管理局`, `市政府办` are not (they lack the place)."""
    name = normalize_label(name or "")
    if len(name) < 5 or re.match(r"^(市|县|区|省|州|镇|乡)", name):
        return False
    return bool(_PLACE_PREFIX.match(name)) and bool(_AGENCY_SUFFIX.search(name))


def looks_like_agency(line: str) -> bool:
    t = normalize_label(line or "")
    if not (2 <= len(t) <= 40):
        return False
    if re.search(r"[。;；,，:：|!?？！“”《》]", t) or re.search(r"\d", t):
        return False
    if re.match(r"^[一二三四五六七八九十]+、|^[(（]", t):
        return False
    return bool(_AGENCY_SUFFIX.search(t))
