"""Agency identity: one key for one agency, whatever its reports call it.

    agency_key("安顺市政府办公室")                 -> "520400:人民政府办公室"
    agency_key("安顺市人民政府办公室")             -> "520400:人民政府办公室"
    agency_key("磐安县安监局")                     -> "330727:应急管理局"   (2018 reform alias)
    agency_key("平坝县人民政府")                   -> "520403:人民政府"     (平坝县 became 平坝区)
    agency_key("市民政局", region_code="520400")   -> "520400:民政局"       (the region as context)
    agency_level("安顺市民政局")                   -> "prefecture-department"

A key is `<6-digit code of the smallest division the agency belongs to>:<canonical name of the body
within it>`. The code comes from the name (`govcrawl.regions.region_of`), with `region_code` as the
context that settles names several divisions share, or standing in when the name carries no division
(`市民政局`). The body's name is `normalize_label`-ed (NFKC, Simplified, no spaces), stripped of
bracketed asides (`（安顺市城市管理综合行政执法局）`), and mapped through aliases.csv: short forms
(政府办, 安监局, 住建局) and the bodies renamed by the 2018 State Council reform (安全生产监督管理局 ->
应急管理局, 国土资源局 -> 自然资源局, …), some only at the levels in their `scope`. A zone named
without its committee (安顺经济技术开发区) is its 管理委员会. When no division is found at all the
key starts with ":" (no code): such a name needs a `region_code`.

Levels (`LEVELS`): the division's own level for its people's government (province, prefecture,
county) or `township` for a 乡/镇/街道 government named inside a county; `<level>-department` for a
bureau, commission or office of that government (人民政府办公室 included); `<level>-zone` for the
管理委员会 of a development zone, new area or scenic area the division runs; `<level>-zone-department`
for a bureau of such a zone.

A division's name alone (普定县, 贵阳市, as some reports sign) is its people's government.

aliases.csv also lists division renamings (kind `division`, with the old and new codes and the year
in `since`); the region functions read every renaming from govcrawl/regions/former.csv, and the
tests keep the two in agreement.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from govcrawl import regions
from govcrawl.text.normalize import normalize_label

#: read through importlib.resources, so that it loads from a zipped package too (a scrapyd egg)
ALIASES_CSV = files(__name__).joinpath("aliases.csv")

_BASE_LEVELS = ("province", "prefecture", "county", "township")
LEVELS: tuple[str, ...] = tuple(
    f"{base}{suffix}" for base in _BASE_LEVELS for suffix in ("", "-department", "-zone", "-zone-department"))

_PAREN = re.compile(r"\([^()]*\)")
#: the kinds of zone a division runs through a 管理委员会
_ZONE = re.compile(r"(开发区|新区|高新区|园区|产业园|示范区|合作区|试验区|保税区|旅游区|风景名胜区|度假区|景区|片区)")
_ZONE_END = re.compile(_ZONE.pattern + r"$")
_TOWNSHIP = re.compile(r"^[^局委厅办]{1,10}?(镇|乡|街道办事处|街道|苏木)")
# a level character a report may put before a body's name when the region is implied (市民政局);
# not the first character of a word (市场监督管理局, 区域…, 县域…)
_LEVEL_CHAR = re.compile(r"^[省市州县区](?!场|域|级|属|直|委)")


@dataclass(frozen=True)
class Alias:
    kind: str          # org | division
    alias: str
    canonical: str
    since: str         # a date or a year when a reform or renaming applies; "" for plain short forms
    scope: tuple[str, ...]   # division levels the alias applies at; () for all
    old_code: str
    new_code: str
    note: str


@lru_cache(maxsize=1)
def aliases() -> tuple[Alias, ...]:
    with ALIASES_CSV.open("r", encoding="utf-8", newline="") as f:
        return tuple(Alias(row["kind"], row["alias"], row["canonical"], row["since"],
                           tuple(s for s in row["scope"].split(",") if s), row["old_code"], row["new_code"],
                           row["note"]) for row in csv.DictReader(f))


@lru_cache(maxsize=1)
def _org_aliases() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(normalised alias, canonical, scope), longest alias first: 人民政府办 before 政府办 before 府办."""
    rows = [(normalize_label(a.alias), normalize_label(a.canonical), a.scope) for a in aliases() if a.kind == "org"]
    return tuple(sorted(rows, key=lambda r: len(r[0]), reverse=True))


def canonical_body(body: str, level: str = "") -> str:
    """The canonical name of a body within its division: 政府办 -> 人民政府办公室, 安监局 -> 应急管理局,
    永宁镇政府 -> 永宁镇人民政府, 经济技术开发区 -> 经济技术开发区管理委员会. An alias applies to the
    whole name or to its end, once, and only at the levels in its scope."""
    text = _PAREN.sub("", normalize_label(body))
    for alias, canonical, scope in _org_aliases():
        if scope and level not in scope:
            continue
        if text == alias or (text.endswith(alias) and not text.endswith(canonical)):
            text = text[: len(text) - len(alias)] + canonical
            break
    if _ZONE_END.search(text):
        text += "管理委员会"
    return text


@dataclass(frozen=True)
class Identity:
    region_code: str   # "" when neither the name nor the context gives one
    body: str          # the canonical name of the body within the division
    level: str         # one of LEVELS, "" without a region

    @property
    def key(self) -> str:
        return f"{self.region_code}:{self.body}"


def identify(name: str, region_code=None) -> Identity:
    """The region, canonical body and level of an agency name (see the module docstring)."""
    text = _PAREN.sub("", normalize_label(name))
    context = regions.successor(region_code) if region_code else None
    code, read = regions.match_region(text, within=context)
    if code is None and context is None:
        # no division at the start: one named in brackets still places the agency
        code = regions.region_of(name)
        read = 0
    if code is None:
        code, read = context, 0
    body = text[read:]
    if read == 0 and context and _LEVEL_CHAR.match(body) and len(body) > 2:
        body = body[1:]
    division = regions.division(code) if code else None
    base = division.level if division else ""
    body = canonical_body(body, base)
    if not division:
        return Identity("", body, "")
    if not body:
        # the division's name alone (a report signed 普定县, 贵阳市) stands for its government
        body = "人民政府"
    township = _TOWNSHIP.match(body)
    if township and base == "county":
        base = "township"
        rest = body[township.end():]
        if rest in ("人民政府", "办事处", ""):
            return Identity(division.code, body, base)
    if body == "人民政府":
        return Identity(division.code, body, base)
    if _ZONE.search(body):
        committee = body.endswith("管理委员会") and _ZONE_END.search(body[: -len("管理委员会")])
        kind = "-zone" if committee else "-zone-department"
        return Identity(division.code, body, base + kind)
    return Identity(division.code, body, base + "-department")


def agency_key(name: str, region_code=None) -> str:
    """`<code>:<canonical body>`: 安顺市政府办公室 and 安顺市人民政府办公室 -> 520400:人民政府办公室."""
    return identify(name, region_code).key


def agency_level(name: str, region_code=None) -> str:
    """One of LEVELS (`prefecture-department` for 安顺市民政局), "" when no region is known."""
    return identify(name, region_code).level
