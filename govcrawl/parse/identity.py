"""Who published which year's report, and when: title, agency, year, published date, signature.

Sources, best first, as observed on real pages (shared/reference/report-formats.md §7):
- title: meta ArticleTitle, the page heading, <title> (with a site suffix `_安顺市人民政府`, `-XX网`),
  the first title-like line of a text.
- agency: the title (`{agency}{YYYY}年...报告`), the statistics caption
  (`XX2017年度政府信息公开情况统计表`), 填报单位, the signature, the meta 发布机构 when it is a
  full name, crawl hints.
- year (the year reported on): the title; the statistical period (统计期限/时限); the body's
  `现将2017年政府信息公开工作报告`; an intro line `2017年,我局...`; the published year - 1.
- published: meta PubDate, 发布时间/发布日期 (byline), 生成日期/发文日期, else the signature date.
"""

from __future__ import annotations

import re

from govcrawl.parse.dates import date_line, find_dates, parse_date
from govcrawl.text.normalize import clean_spaces, compact, nfkc, normalize_label, strip_pinyin, to_simplified

YEAR = r"((?:19|20)\d{2})"
_REPORT_WORD = re.compile(r"年度报告|年报|工作报告|情况报告|年度工作报告|工作年度报告")
_DISCLOSURE_WORD = re.compile(r"政府信息公开|政务信息公开|政务公开|信息公开|政府信息")
_NOTICE_END = re.compile(r"(通知|的函|公告|通告|意见|办法|规定|方案|决定|批复|要点|细则|指南|目录|"
                         r"解读|答记者问|图解|一图读懂|公示|制度)[)）]?$")
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


def _strip_quotes(text: str) -> str:
    text = text.strip()
    while len(text) > 2 and text[0] in "《“\"'「『【[" and text[-1] in "》”\"'」』】]":
        text = text[1:-1].strip()
    return text.strip("《》“”\"' ")


def clean_title(title: str | None) -> str:
    """A title without site suffixes/prefixes: `XX2020年...年度报告_安顺市人民政府` -> `XX2020年...年度报告`."""
    if not title:
        return ""
    title = clean_spaces(title)
    title = re.sub(r"^Page\s*\d+\s*[-–—]\s*", "", title)
    parts = [p for p in _SITE_SPLIT.split(title) if p.strip()]
    if len(parts) > 1:
        reportish = [p for p in parts if _REPORT_WORD.search(normalize_label(p))]
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
    return _strip_quotes(title)


_NOT_REPORT_START = re.compile(r"^(一图读懂|一图看懂|一图速览|图解|图说|解读|政策解读|视频解读|关于印发|关于做好|"
                               r"关于开展|关于报送|关于编制)")


def is_notice_title(title: str) -> bool:
    """Notices, policy documents and graphic digests about a report are not the report."""
    key = normalize_label(title or "")
    return bool(key) and bool(_NOTICE_END.search(key) or _NOT_REPORT_START.search(key))


def is_report_title(title: str) -> bool:
    """`XX2017年政府信息公开工作年度报告`: a report word, a disclosure word and a year; not a notice."""
    t = normalize_label(title or "")  # Traditional mirrors: 年度報告 -> 年度报告
    if not t or is_notice_title(t):
        return False
    return bool(_REPORT_WORD.search(t) and _DISCLOSURE_WORD.search(t) and re.search(YEAR, t))


# ---------------------------------------------------------------------------------------------
# year
# ---------------------------------------------------------------------------------------------

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

def _clean_agency(text: str) -> str:
    text = clean_spaces(nfkc(text or ""))
    text = re.sub(r"^(关于|印发|转发)", "", text)
    text = re.sub(r"(关于|的)$", "", text)
    text = re.sub(r"\s*[(（][^()（）]*[)）]\s*$", "", text)  # 贵阳市人民政府(市人民政府办公厅)
    text = text.strip(" ,，:：、《》“”\"'")
    return compact(text)


def agency_from_title(title: str) -> str:
    t = _strip_quotes(clean_spaces(nfkc(title or "")))
    m = re.match(r"^(.{2,40}?)\s*" + YEAR + r"\s*年", t)
    if m:
        agency = _clean_agency(m.group(1))
        if len(agency) >= 2 and not re.search(r"\d", agency) and not _REPORT_WORD.search(agency):
            return agency
    # year first: 2022年上海市政府信息公开工作年度报告
    for word in (r"(?:政府信息公开|政务信息公开|政务公开)", r"信息公开"):
        m = re.match(r"^" + YEAR + r"\s*年度?\s*(.{2,30}?)" + word, t)
        if m:
            agency = _clean_agency(m.group(2))
            if len(agency) >= 2 and not re.search(r"\d", agency) and agency not in _NOT_AGENCY:
                return agency
    # no year: `乌海市工业和信息化局政府信息公开工作年度报告` (agency line + heading line); only a
    # full name, so `政府信息公开工作年度报告` alone names nobody
    m = re.match(r"^(.{4,40}?)(?:政府信息公开|政务信息公开|政务公开)", t)
    if m and not re.search(r"\d", m.group(1)):
        agency = _clean_agency(m.group(1))
        if is_full_agency_name(agency) or (looks_like_agency(agency)
                                           and not re.match(r"^(市|县|区|省|州|本)", agency)):
            return agency
    return ""


_NOT_AGENCY = frozenset({"政府", "政务", "政府信息", "政务信息", "本级", "全市", "全县", "全区", "全省", "度"})


_FILLER = re.compile(r"填报单位\s*(?:[(（]\s*盖章\s*[)）])?\s*[:：]\s*([^\s:：|]{2,40})")


def agency_from_lines(lines: list[str]) -> str:
    """The statistics caption `XX2017年度政府信息公开情况统计表`, else `填报单位(盖章):XX`."""
    for line in lines:
        m = _CAPTION.match(normalize_label(line))
        if m:
            agency = _clean_agency(m.group(1))
            if len(agency) >= 2:
                return agency
    for line in lines:
        m = _FILLER.search(nfkc(line))
        if m:
            return _clean_agency(m.group(1))
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
                agency = _clean_agency(name)
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


def published_date(page_meta: dict, meta: dict, byline_dates: list[str], hints: dict,
                   signature: dict | None) -> str | None:
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
    date = parse_date(str((hints or {}).get("published") or ""))
    if date:
        return date
    if signature and signature.get("date"):
        return signature["date"]
    return None
