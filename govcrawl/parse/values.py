"""Statistics cell values: the printed text -> (number, unit).

Cells are stored as printed (`raw`); `value` is only the number read from it. Blanks and
placeholders (`-`, `——`, `/`, `无`) are kept apart from a printed 0: both give `value` None here,
and only the checks count them as 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from govcrawl.text.normalize import clean_spaces, nfkc

# Placeholder cells: dashes, slashes, colons only (S-SEG `isTable4PlaceholderText`), plus words.
_PLACEHOLDER_CHARS = re.compile(r"^[-—–―─－‐‑﹣_:/\\／、.·…\s]+$")
PLACEHOLDER_WORDS = frozenset(
    {"无", "無", "空", "不适用", "不適用", "暂无", "暫無", "n/a", "na", "null", "none", "x", "×", "/", "——", "--", "-"}
)

#: Units that real tables print in a 单位 column or after a number.
UNITS = (
    "万元", "元", "人次", "件次", "件", "条", "次", "篇", "人", "个", "项", "家", "场", "期", "份",
    "批", "宗", "起", "处", "%",
)
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
# sign words seen in 本年增/减 cells: 减4, 增加3, 减少2 (減 on Traditional mirrors)
_NUMBER = re.compile(
    rf"^(?P<sign>[+\-]|增加?|[减減]少?)?\s*(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?|\.\d+)\s*(?P<unit>{_UNIT_ALT})?$"
)
_UNIT_ONLY = re.compile(rf"^(?:{_UNIT_ALT})$")


@dataclass(frozen=True)
class Parsed:
    value: int | float | None
    unit: str | None
    kind: str  # "blank", "placeholder", "number", "text"


# unit words as Traditional mirrors print them (`本年收費金額(單位:萬元)`, a 單位 column `條`)
_TRAD_UNIT_CHARS = str.maketrans({"萬": "万", "條": "条", "個": "个", "項": "项", "場": "场", "處": "处",
                                  "單": "单"})


def _prep(raw: str) -> str:
    return clean_spaces(nfkc(raw or ""))


def _unit_text(raw: str) -> str:
    return _prep(raw).translate(_TRAD_UNIT_CHARS)


def is_placeholder(raw: str) -> bool:
    text = _prep(raw)
    if not text:
        return False
    return bool(_PLACEHOLDER_CHARS.match(text)) or text.lower() in PLACEHOLDER_WORDS


@lru_cache(maxsize=65536)
def is_unit(raw: str) -> bool:
    """A cell that is only a unit (`条`, `万元`): the 单位 column of a 统计表."""
    return bool(_UNIT_ONLY.match(_unit_text(raw).replace(" ", "")))


@lru_cache(maxsize=65536)
def parse_value(raw: str) -> Parsed:
    """`"12"` -> 12, `"0.5"` -> 0.5, `"减4"` -> -4, `"43027665.50元"` -> 43027665.5 元,
    `"1,234"` -> 1234; blank and placeholders -> None; other text -> None (kind "text")."""
    text = _prep(raw)
    if not text:
        return Parsed(None, None, "blank")
    if is_placeholder(text):
        return Parsed(None, None, "placeholder")
    # U+2212 MINUS SIGN survives NFKC
    m = _NUMBER.match(_unit_text(text).replace(" ", "").replace("\u2212", "-")) if len(text) < 40 else None
    if not m:
        return Parsed(None, None, "text")
    num = m.group("num").replace(",", "")
    value: int | float = float(num) if "." in num else int(num)
    if m.group("sign") in ("-",) or (m.group("sign") or "")[:1] in ("减", "減"):
        value = -value
    return Parsed(value, m.group("unit"), "number")


def is_value_like(raw: str) -> bool:
    """True for a cell that belongs to the value part of a row: number, blank, placeholder, unit."""
    p = parse_value(raw)
    return p.kind != "text" or is_unit(raw)


def header_unit(label: str) -> str | None:
    """The unit a column header declares: `本年收费金额（单位：万元）` -> 万元."""
    text = _unit_text(label)
    m = re.search(rf"单位[:：]?\s*({_UNIT_ALT})", text)
    if m:
        return m.group(1)
    m = re.search(rf"[(（]({_UNIT_ALT})[)）]\s*$", text)
    return m.group(1) if m else None
