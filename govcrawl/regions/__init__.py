"""China's 6-digit administrative division codes (行政区划代码) and the names that point at them.

Plain data and plain functions, no state beyond a lazily loaded table:

    division("520402")                 -> Division(code="520402", name="西秀区", level="county", parent="520400")
    children("520400")                 -> [西秀区, 平坝区, 普定县, 镇宁…, 关岭…, 紫云…]
    find_division("安顺")              -> 安顺市 (520400); names with or without their suffix
    find_division("西秀区", within="52") -> 西秀区 (520402); `within` narrows an ambiguous name
    region_of("安顺市民政局")           -> "520400", the smallest division the name starts with (or names)
    successor("520421")                -> "520403" (平坝县 became 平坝区 in 2014)

divisions.csv holds the current province, prefecture and county levels of the whole country;
former.csv the codes no longer in use with the current code that succeeded each. Both are generated
by `python -m govcrawl.regions.update` (docs/regions.md names the source, its licence and date).

Names are matched after `normalize_label` (NFKC, Simplified, no spaces), so Traditional or spaced
spellings (`安順市`, `安顺 市`) resolve too. A name that fits several divisions (朝阳区 is in 北京 and
长春) resolves only when `within` (a code, or its prefix) picks one: these functions never guess.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from govcrawl.text.normalize import normalize_label

#: the data files, read through importlib.resources so that they load from a zipped package too
#: (a scrapyd egg); govcrawl/regions/update.py rewrites them in a checkout
DIVISIONS_CSV = files(__name__).joinpath("divisions.csv")
FORMER_CSV = files(__name__).joinpath("former.csv")

LEVELS = ("province", "prefecture", "county")

#: the 56 ethnic groups as they appear before 族 in 自治区/自治州/自治县/自治旗 names, longest first
#: so that 土家 is tried before 土 and 蒙古 before shorter names
_ETHNIC = sorted((
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼",
    "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
    "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克",
    "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
), key=len, reverse=True)
_AUTONOMOUS = re.compile(r"自治(区|州|县|旗)$")
_PAREN = re.compile(r"\([^()]*\)")
# what may follow the short name of a prefecture in running text: 黔东南州, 延边州, 大理州
# (longest first: 六枝特区 is 六枝, not 六枝特)
_SUFFIXES = {"province": ("特别行政区", "省", "市"),
             "prefecture": ("地区", "市", "盟", "州"),
             "county": ("特区", "林区", "市", "区", "县", "旗")}


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str          # province | prefecture | county
    parent: str         # the parent's code; "" for a province


def _code(code) -> str:
    """A 6-digit code from `520402`, `"520402"` or a 12-digit statistical code `520402000000`."""
    text = str(code).strip()
    if len(text) == 12 and text.isdigit():
        text = text[:6]
    return text


@lru_cache(maxsize=1)
def _table() -> dict[str, Division]:
    with DIVISIONS_CSV.open("r", encoding="utf-8", newline="") as f:
        return {row["code"]: Division(row["code"], row["name"], row["level"], row["parent"])
                for row in csv.DictReader(f)}


@lru_cache(maxsize=1)
def _former() -> dict[str, tuple[str, str, str]]:
    """old code -> (old name, current code, year)."""
    with FORMER_CSV.open("r", encoding="utf-8", newline="") as f:
        return {row["old_code"]: (row["old_name"], row["new_code"], row["year"]) for row in csv.DictReader(f)}


@lru_cache(maxsize=1)
def _children() -> dict[str, list[Division]]:
    kids: dict[str, list[Division]] = {}
    for d in _table().values():
        if d.parent:
            kids.setdefault(d.parent, []).append(d)
    return kids


def short_names(name: str, level: str) -> set[str]:
    """The forms a division's name takes in agency names: 安顺市 -> {安顺}; 镇宁布依族苗族自治县 ->
    {镇宁, 镇宁县, 镇宁自治县}; 黔东南苗族侗族自治州 -> {黔东南, 黔东南州}. Never a single character
    (城区, 郊区, 矿区 would otherwise match any name starting with 城, 郊, 矿)."""
    forms: set[str] = set()
    m = _AUTONOMOUS.search(name)
    if m:
        base = name[: m.start()]
        stripped = True
        while stripped:
            stripped = False
            for group in _ETHNIC:
                if base.endswith(group + "族") and len(base) > len(group) + 1:
                    base = base[: -len(group) - 1]
                    stripped = True
                    break
        kind = m.group(1)
        forms |= {base, base + "自治" + kind}
        if kind != "区":  # 镇宁县, 黔东南州, 峨边旗 are said; 广西区 is not
            forms.add(base + kind)
    else:
        for suffix in _SUFFIXES.get(level, ()):
            if name.endswith(suffix) and len(name) > len(suffix):
                forms.add(name[: -len(suffix)])
                break
    return {f for f in forms if len(f) >= 2 and f != name}


@lru_cache(maxsize=1)
def _name_index() -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, list[str]]]:
    """(full names, short forms, former names) -> codes. Former names only where no current
    division bears the name, so a reused name (同名改码) always means the current one."""
    full: dict[str, list[str]] = {}
    short: dict[str, list[str]] = {}
    for d in _table().values():
        full.setdefault(normalize_label(d.name), []).append(d.code)
        for form in short_names(d.name, d.level):
            short.setdefault(normalize_label(form), []).append(d.code)
    former: dict[str, list[str]] = {}
    for old_name, new_code, _year in _former().values():
        key = normalize_label(old_name)
        if key and key not in full and new_code not in former.get(key, []):
            former.setdefault(key, []).append(new_code)
    return full, short, former


def division(code) -> Division | None:
    """The current division with this code, or None (see `successor` for codes no longer in use)."""
    return _table().get(_code(code))


def successor(code) -> str | None:
    """The current code for `code`: itself when current, its successor when it was replaced
    (520421 平坝县 -> 520403 平坝区), None when unknown."""
    code = _code(code)
    if code in _table():
        return code
    entry = _former().get(code)
    return entry[1] if entry else None


def children(code) -> list[Division]:
    """The divisions directly under `code`, by code."""
    return sorted(_children().get(_code(code), []), key=lambda d: d.code)


def ancestors(code) -> list[Division]:
    """From the province down to the division itself; [] for an unknown code."""
    chain: list[Division] = []
    d = division(code)
    while d is not None:
        chain.append(d)
        d = division(d.parent) if d.parent else None
    return chain[::-1]


def region_prefix(code) -> str:
    """The code without its trailing 00 pairs: the prefix every division inside it shares
    (520000 -> 52, 520400 -> 5204, 520402 -> 520402)."""
    text = _code(code)
    while text.endswith("00") and len(text) > 2:
        text = text[:-2]
    return text


def is_within(code, within) -> bool:
    """True when `code` is `within` or lies inside it (`within` is a code or a code prefix)."""
    prefix = region_prefix(within) if len(_code(within)) == 6 else _code(within)
    return _code(code).startswith(prefix)


def _candidates(label: str, within=None) -> list[str]:
    full, short, former = _name_index()
    for index in (full, short, former):
        codes = index.get(label, [])
        if within is not None:
            codes = [c for c in codes if is_within(c, within)]
        if codes:
            return sorted(set(codes))
    return []


def find_divisions(name: str, within=None) -> list[Division]:
    """Every division `name` can mean (full name first, then short forms, then former names)."""
    table = _table()
    return [table[c] for c in _candidates(normalize_label(name), within)]


def find_division(name: str, within=None) -> Division | None:
    """The one division `name` means (安顺, 安顺市, 西秀区, 平坝县 -> 平坝区), or None when it means
    none or several (`within`, a code or prefix, narrows the choice)."""
    found = find_divisions(name, within)
    return found[0] if len(found) == 1 else None


def _prefix_matches(text: str, start: int, within=None, under: str | None = None) -> list[tuple[int, list[str]]]:
    """(end, codes) for every division name read at text[start:], longest first. `under` keeps
    only divisions strictly inside that code (the next link of 贵州省安顺市西秀区)."""
    full, short, former = _name_index()
    out = []
    for end in range(min(len(text), start + 24), start + 1, -1):
        piece = text[start:end]
        for index in (full, short, former):
            codes = index.get(piece)
            if not codes:
                continue
            if within is not None:
                codes = [c for c in codes if is_within(c, within) or is_within(within, c)]
            if under is not None:
                codes = [c for c in codes if c != under and is_within(c, under)]
            if codes:
                out.append((end, sorted(set(codes))))
                break
    return out


def match_region(name: str, within=None) -> tuple[str | None, int]:
    """(code, length of the text read) for the division chain an agency name starts with:
    贵州省安顺市西秀区教育局 -> ("520402", 9). (None, 0) when the name starts with no division, or
    with one that several divisions share and `within` does not decide."""
    text = _PAREN.sub("", normalize_label(name))
    code: str | None = None
    pos = 0
    while True:
        step = None
        for end, codes in _prefix_matches(text, pos, within, under=code):
            if len(codes) == 1:
                step = (end, codes[0])
                break
            if code is None and within is None:
                # an ambiguous first name: a longer unique reading or nothing, never a guess
                continue
        if step is None:
            break
        pos, code = step
    return code, pos


def region_of(agency_name: str, within=None) -> str | None:
    """The 6-digit code of the smallest division an agency name starts with or names:
    安顺市民政局 -> 520400, 普定县人民政府 -> 520422, 磐安县应急管理局 -> 330727, 西秀区教育局 ->
    520402 (unique nationally), 平坝县人民政府 -> 520403 (the successor of 平坝县). A name that starts
    with no division may still name one in brackets, 中韩（长春）国际合作示范区 -> 220100. `within`
    (the region the name was found in) settles names several divisions share; a result is always
    inside `within` or an ancestor of it."""
    code, _ = match_region(agency_name, within)
    if code:
        return code
    label = normalize_label(agency_name)
    for inner in re.findall(r"\(([^()]*)\)", label):
        found = _candidates(inner, within)
        if len(found) == 1:
            return found[0]
    return None
