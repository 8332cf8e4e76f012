"""Whose report it is: the agency, and where on the page its name was found.

    find_agency(title, doc, lines, signature) -> (agency, agency_source)

Real pages name the agency in different places, and many name it in one place only. The sources,
best first (`agency_source` says which one gave the name):

- `title`: the report's title, `{agency}{YYYY}年…报告` (govcrawl.text.titles.agency_from_title);
- `caption`: the statistics caption `XX2017年度政府信息公开情况统计表`;
- `filler`: `填报单位(盖章):XX` of a 统计表;
- `signature`: the closing agency line over the date;
- `intro`: the opening sentences that announce or compile the report: `现向社会公布龙口镇2022年度…`,
  `现公布区统计局2023年…`, `现将襄州区人社局2022年度…报告如下`, `绍兴市越城区东湖街道特编制2023年…`,
  `由两城镇人民政府党政办公室编制` (an internal office of the compiler is cut off: `两城镇人民政府`);
- `header`: an agency line over a date line at the top (`廣州市人民政府` / `2013年3月`);
- `meta`: the 索引号 block's 发布机构 (发文机关, 发布单位, 信息来源, …), only a full name;
- `breadcrumb`: the deepest agency name of the page's breadcrumb (`首页 > 张家港市凤凰镇 > 年报`);
- `contact`: the contact sentence, `请与黄茅洲镇人民政府党政办联系`, `请联系:杭州市滨江区人民政府长河街道办事处`
  (the office named after the agency is cut off: `黄茅洲镇人民政府`);
- `hint`: the spider's own agency (what the crawl knew), the last resort but one;
- `page_meta`: the page's <meta name="ContentSource">, only a full name.

`agency_source` is null when no source names an agency.

Names are returned in Simplified characters, without the pinyin glosses of spam mirrors
(`南通市通州區(qū)五接鎮(zhèn)人民政府` -> `南通市通州区五接镇人民政府`): the agency is a name to join on.

Partial names. A name without its place (`区统计局`, `县应急管理局`, `凤凰镇`) is completed from the
page's other evidence only when that evidence names the place, and only in two ways:

1. another source prints a full name (a place prefix and an agency suffix, `is_full_agency_name`)
   that ends with the partial name, the partial name's leading level word (`区` of `区统计局`)
   standing right after the place: `区统计局` + 发布机构 `长安区统计局` -> `长安区统计局`;
   `凤凰镇` + breadcrumb `张家港市凤凰镇` -> `张家港市凤凰镇`;
2. the breadcrumb, the 索引号 block or the spider's hint names the place itself, or its government
   (`长安区`, `石家庄市长安区人民政府`), at the partial name's level: `区统计局` -> `石家庄市长安区统计局`.

Nothing else is guessed: a partial name with no such evidence stays as printed, and a completed
name keeps the source of the partial name (where the agency was identified).
"""

from __future__ import annotations

import re

from govcrawl.document import ReportDocument
from govcrawl.parse.dates import date_line
from govcrawl.text.normalize import clean_spaces, compact, nfkc, normalize_label
from govcrawl.text.titles import (
    agency_from_title,
    clean_agency,
    is_full_agency_name,
    looks_like_agency,
    simplified_name,
)
from govcrawl.text.vocabulary import REPORT_MENTION, YEAR, is_notice_title

#: every value of the record's `agency_source` (besides null), best source first
AGENCY_SOURCES = ("title", "caption", "filler", "signature", "intro", "header", "meta", "breadcrumb",
                  "contact", "hint", "page_meta")

# names that stand for "we" or for no agency at all
_GENERIC = frozenset({
    "本机关", "本单位", "本局", "我局", "我单位", "本部门", "我部门", "本级", "本级政府", "本街道", "我街道", "本镇",
    "我镇", "本乡", "我乡", "办公室", "人民政府", "政府", "政府办", "政府办公室", "局", "局办公室", "单位",
    "本委", "我委", "本办", "我办", "本中心", "我中心", "本院", "党政办", "党政办公室", "综合办公室",
})
_NAME_CHARS = r"[^,，。;；:：()（）《》“”\"'<>〈〉\s、|]"

# --- intro -----------------------------------------------------------------------------------
_DISCLOSURE = r"(?:政府信息公开|政务信息公开|政务公开|信息公开)"
_ANNOUNCE = re.compile(r"(?:现向社会公布|向社会公开|向社会公布|现予公布|现予以公布|现公布|现将|现发布|特发布|"
                       r"特编制|发布了?|公布)《?(" + _NAME_CHARS + r"{2,30}?)\s*" + YEAR + r"\s*年度?\s*(?:的)?"
                       + _DISCLOSURE)
_ANNOUNCE_NO_YEAR = re.compile(r"(?:现向社会公布|现公布|现将|现发布)《?(" + _NAME_CHARS + r"{4,30}?)"
                               + _DISCLOSURE + r"(?:工作)?(?:年度)?(?:工作)?(?:报告|年报)")
_COMPILES = re.compile(r"(?:^|[,，。;；:：、])(" + _NAME_CHARS + r"{2,30}?)(?:特|现|认真)?(?:编制|编写|形成)了?"
                       + YEAR + r"\s*年度?\s*(?:的)?" + _DISCLOSURE)
_COMPILER = re.compile(r"由(" + _NAME_CHARS + r"{2,30}?)(?:根据|依据|按照|结合|编制|编写|负责编制|汇总编制)")

# --- contact ---------------------------------------------------------------------------------
# an office's name may hold a 、 (`统计局信息、政务公开工作领导小组办公室`)
_CONTACT_CHARS = r"[^,，。;；:：()（）《》“”\"'<>〈〉\s|]"
_CONTACT = (
    # 请与黄茅洲镇人民政府党政办联系; 可与…联系; 请与…(地址:…)联系
    re.compile(r"(?:请|可|直接|即)?与(" + _CONTACT_CHARS + r"{2,40}?)\s*(?:[(（][^()（）]{0,120}[)）])?\s*联系"),
    # 如有疑问请与来凤县政务服务和大数据管理局(地址:…,联系电话:…): the 联系 inside the brackets
    re.compile(r"(?:请|可|直接)与(" + _CONTACT_CHARS + r"{2,40}?)\s*[(（]\s*(?:地址|电话|联系电话|联系方式)"),
    # 请联系:杭州市滨江区人民政府长河街道办事处; 请联系付垅乡党政办公室,
    re.compile(r"请(?:直接)?联系[:：]?\s*(" + _CONTACT_CHARS + r"{2,40}?)(?=[,，。;；:：(（]|$)"),
)
# an office inside the agency, named after it in a contact or compiler sentence; one or several
# (`办公室政府信息公开处`)
_UNIT = (r"(?:党政(?:综合)?(?:和人大)?办(?:公室)?|综合(?:办公室|办|科|股)|办公室|政办科|政办股|"
         r"政务(?:信息)?公开(?:工作)?(?:领导小组)?(?:办公室|办|科|股|组)?|"
         r"(?:政府)?信息(?:、政务)?公开(?:工作)?(?:领导小组)?(?:办公室|办|科|股|处|组|中心)?|"
         r"[^,，。]{0,16}领导小组办公室|[\u4e00-\u9fff]{1,6}(?:科|股|室))")
_INTERNAL = re.compile(r"^(?:" + _UNIT + r")+$")
# the end of an agency's name inside a longer one (政府 of 政府信息公开 is a word, not an end)
_NAME_END = re.compile(r"(?:人民政府|政府(?!信息)|街道办事处|办事处|管理委员会|委员会|分局|局|厅|委|镇|乡|街道|"
                       r"中心|院|署)")
_ENDS_AS_AGENCY = re.compile(r"(?:人民政府|政府|办事处|委员会|局|厅|委|镇|乡|街道|中心|院|署)$")


def _strip_internal(name: str) -> str:
    """`黄茅洲镇人民政府党政办` -> `黄茅洲镇人民政府`; `统计局办公室` -> `统计局`;
    `泰州市人民政府办公室政府信息公开处` -> `泰州市人民政府`; a name that ends in an agency word
    (`杭州市滨江区人民政府长河街道办事处`) is kept whole."""
    if _ENDS_AS_AGENCY.search(name) and not _INTERNAL.match(name):
        return name
    best = ""
    for m in _NAME_END.finditer(name):
        head, rest = name[:m.end()], name[m.end():]
        if rest and _INTERNAL.match(rest) and len(head) >= 2:
            best = head  # the longest head whose rest is offices inside it
    return best or name


def _clean(name: str) -> str:
    return clean_agency(simplified_name(name))


def _acceptable(name: str) -> bool:
    """A name worth returning: agency-like, not "we", not a place-less bare word."""
    if not name or name in _GENERIC or re.match(r"^(?:本|我|该|各|全)", name) or re.search(r"\d", name):
        return False
    return len(name) >= 3 and looks_like_agency(name)


# --- the sources -------------------------------------------------------------------------------

_CAPTION = re.compile(r"^(.{0,40}?)" + YEAR + r"\s*年度?\s*政府信息公开(?:工作)?(?:情况)?统计表")
_FILLER = re.compile(r"填报单位\s*(?:[(（]\s*盖章\s*[)）])?\s*[:：]\s*([^\s:：|]{2,40})")


def from_title(title: str) -> str:
    if title and REPORT_MENTION.search(normalize_label(title)) and not is_notice_title(title):
        return agency_from_title(title)
    return ""


def from_caption(lines: list[str]) -> str:
    """`XX2017年度政府信息公开情况统计表`."""
    for line in lines:
        m = _CAPTION.match(normalize_label(line))
        if m:
            agency = clean_agency(m.group(1))
            if len(agency) >= 2:
                return agency
    return ""


def from_filler(lines: list[str]) -> str:
    """`填报单位(盖章):XX`."""
    for line in lines:
        m = _FILLER.search(nfkc(line))
        if m:
            return _clean(m.group(1))
    return ""


def from_intro(lines: list[str], window: int = 12) -> str:
    """The agency that the first paragraphs announce the report of, or name as its compiler."""
    for line in lines[:window]:
        if "|" in line:
            continue
        text = simplified_name(line)
        for pattern, internal in ((_ANNOUNCE, False), (_ANNOUNCE_NO_YEAR, False), (_COMPILES, False),
                                  (_COMPILER, True)):
            for m in pattern.finditer(text):
                name = clean_agency(m.group(1))
                if internal:
                    name = _strip_internal(name)
                if _acceptable(name):
                    return name
    return ""


def from_header(lines: list[str], window: int = 4) -> str:
    """An agency line over a date line at the top, before the body: the sign-off printed under
    the title; only a full name."""
    for i, line in enumerate(lines[:min(window, len(lines)) - 1]):
        if "|" in line or not looks_like_agency(line):
            continue
        nxt = clean_spaces(nfkc(lines[i + 1]))
        if re.fullmatch(r"[(（]?" + YEAR + r"\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?[)）]?", nxt) or date_line(nxt):
            agency = _clean(compact(line))
            if is_full_agency_name(agency):
                return agency
    return ""


_META_KEYS = ("发布机构", "发文机关", "发文单位", "所属机构", "发布单位", "发布机关", "信息来源", "来源",
              "责任部门", "办文部门")


def meta_names(meta: dict[str, str]) -> list[str]:
    return [n for n in (_clean(meta.get(k, "")) for k in _META_KEYS) if n]


def from_meta(meta: dict[str, str]) -> str:
    return next((n for n in meta_names(meta) if is_full_agency_name(n)), "")


def from_breadcrumb(items: list[str]) -> str:
    """The deepest item of the breadcrumb that is an agency's name (`张家港市凤凰镇`,
    `吉村镇政府`); the report column items (`政府信息公开年报`, `2022年`) are not."""
    for item in reversed(items or []):
        name = _clean(item)
        if _acceptable(name) and not re.search(r"公开|年报|报告|目录|指南|专栏|栏目|首页|部门$|乡镇$", name):
            return name
    return ""


def from_contact(lines: list[str], window: int = 12) -> str:
    """The contact sentence of the opening or closing lines: the agency, its office cut off."""
    for line in lines[:window] + lines[-window:]:
        if "|" in line:
            continue
        text = simplified_name(line)
        for pattern in _CONTACT:
            for m in pattern.finditer(text):
                name = _strip_internal(clean_agency(m.group(1)))
                if _acceptable(name):
                    return name
    return ""


# --- completing a partial name -------------------------------------------------------------------

_LEVEL = "省市县区镇乡州旗盟"
_PLACE_ONLY = re.compile(r"^(.{2,20}?[省市县区州旗盟])(?:人民政府|政府)?$")


def _complete(name: str, evidence: list[str], places: list[str]) -> str:
    """`name` completed from a full name in `evidence` or a place in `places` (see the module
    docstring), else `name`."""
    if is_full_agency_name(name):
        return name
    level, core = (name[0], name[1:]) if name[0] in _LEVEL and len(name) > 2 else ("", name)
    for full in evidence:
        if full == name or not is_full_agency_name(full) or not full.endswith(core):
            continue
        place = full[:-len(core)]
        if level and not place.endswith(level):
            continue
        if not level and not re.search(r"[省市县区州旗盟]$", place):
            continue  # `凤凰镇` in `张家港市凤凰镇`; not in `新凤凰镇`
        return full
    if level:
        for text in places:
            m = _PLACE_ONLY.match(text)
            if m and m.group(1).endswith(level):
                return m.group(1) + core
    return name


def find_agency(title: str, doc: ReportDocument, lines: list[str],
                signature: dict | None) -> tuple[str, str | None]:
    """(agency, agency_source): the first source that names an agency, completed where it is a
    partial name (module docstring); ("", None) when none does."""
    captions = [t.caption for t in doc.tables if t.caption]
    table_lines = captions + lines + [c for t in doc.tables for r in t.rows for c in r[:1]]
    hint = _clean(doc.hints.agency)
    content_source = _clean(doc.page_meta.get("ContentSource", ""))

    def candidates():
        yield "title", from_title(title)
        yield "caption", from_caption(table_lines)
        yield "filler", from_filler(table_lines)
        yield "signature", _clean((signature or {}).get("agency") or "")
        yield "intro", from_intro(lines)
        yield "header", from_header(lines)
        yield "meta", from_meta(doc.meta)
        yield "breadcrumb", from_breadcrumb(doc.breadcrumb)
        yield "contact", from_contact(lines)
        yield "hint", hint
        yield "page_meta", content_source if is_full_agency_name(content_source) else ""

    found = [(source, name) for source, name in candidates() if name]
    if not found:
        return "", None
    source, name = found[0]
    if not is_full_agency_name(name):
        evidence = [n for _, n in found[1:]] + meta_names(doc.meta) + \
            [_clean(i) for i in doc.breadcrumb] + ([content_source] if content_source else [])
        places = [_clean(i) for i in doc.breadcrumb] + meta_names(doc.meta) + ([hint] if hint else [])
        name = _complete(name, evidence, places)
    return name, source
