"""Dates as printed in reports and page chrome -> `YYYY-MM-DD`.

Handles `2015-03-31 16:18:08`, `2015/3/31`, `2020年2月17日`, stray spaces (`2009年 3月30日`),
Chinese numerals with any zero glyph (`二〇〇九年三月三十日`, `二OO九年十月九日`, `二00八年九月七日`),
and HTML span artefacts that drop 年/月 (`2017210日`, `20201月1日`, `201711日`) where only one
reading is a valid date. htmldate has no `YYYY年M月D日` pattern, hence this module.
"""

from __future__ import annotations

import datetime as _dt
import re

from govcrawl.text.normalize import nfkc

_CN_DIGIT = {"〇": 0, "○": 0, "O": 0, "o": 0, "0": 0, "零": 0, "Ｏ": 0, "ｏ": 0, "一": 1, "二": 2,
             "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_YEAR_CH = "〇○Oo0零一二三四五六七八九Ｏｏ"
_CN_SMALL = "一二三四五六七八九十"

_ISO = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)")
_FULL = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_NO_YEAR_MARK = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_NO_MONTH_MARK = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年?\s*(\d{2,4})\s*日")
_CN = re.compile(r"([" + _CN_YEAR_CH + r"]{4})\s*年\s*([" + _CN_SMALL + r"]{1,3})\s*月\s*"
                 r"([" + _CN_SMALL + r"]{1,3})\s*日")


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _cn_small(text: str) -> int | None:
    """一..三十一 -> int."""
    if not text:
        return None
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = _CN_DIGIT.get(tens) if tens else 1
        o = _CN_DIGIT.get(ones) if ones else 0
        if t is None or o is None:
            return None
        return t * 10 + o
    if len(text) == 1:
        return _CN_DIGIT.get(text)
    return None


def _split_month_day(y: int, digits: str) -> str | None:
    """`210` -> 2-10; only an unambiguous split gives a date."""
    found = set()
    for i in range(1, len(digits)):
        m, d = digits[:i], digits[i:]
        if len(m) > 2 or len(d) > 2 or (len(d) == 2 and d[0] == "0" and len(m) == 2 and m[0] == "0"):
            continue
        date = _valid(y, int(m), int(d))
        if date:
            found.add(date)
    return found.pop() if len(found) == 1 else None


def find_dates(text: str) -> list[tuple[int, str]]:
    """Every date in `text` as (position, YYYY-MM-DD), in order of position."""
    text = nfkc(text or "")
    out: dict[int, str] = {}
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for pattern in (_FULL, _ISO):
        for m in pattern.finditer(text):
            date = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if date and free(m.start(), m.end()):
                out[m.start()] = date
                taken.append((m.start(), m.end()))
    for m in _CN.finditer(text):
        if not free(m.start(), m.end()):
            continue
        year_digits = [_CN_DIGIT.get(ch) for ch in m.group(1)]
        if None in year_digits:
            continue
        y = int("".join(str(d) for d in year_digits))
        mo, d = _cn_small(m.group(2)), _cn_small(m.group(3))
        if mo is None or d is None:
            continue
        date = _valid(y, mo, d)
        if date:
            out[m.start()] = date
            taken.append((m.start(), m.end()))
    for m in _NO_YEAR_MARK.finditer(text):
        if free(m.start(), m.end()):
            date = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if date:
                out[m.start()] = date
                taken.append((m.start(), m.end()))
    for m in _NO_MONTH_MARK.finditer(text):
        if free(m.start(), m.end()):
            date = _split_month_day(int(m.group(1)), m.group(2))
            if date:
                out[m.start()] = date
                taken.append((m.start(), m.end()))
    return sorted(out.items())


def parse_date(text: str | None) -> str | None:
    """The first date in `text`, as YYYY-MM-DD; None if none."""
    if not text:
        return None
    found = find_dates(text)
    return found[0][1] if found else None


_DATE_LINE_REST = re.compile(r"^[\s()（）\[\]【】<>《》,，.。:：]*$")


def date_line(line: str) -> str | None:
    """The date when the whole line is a date (a signature date line), else None.

    `2015年3月31日`, `(2017年2月10日)`, `二〇〇九年三月三十日`, `2009年 3月30日`."""
    text = nfkc(line or "").strip()
    # `2021年8月18日(此件公开发布)`: a short parenthetical after the date is not text
    text = re.sub(r"\s*[(（][^()（）]{1,12}[)）]\s*$", "", text) if not re.match(r"^\s*[(（]", text) else text
    if not text or len(text) > 30:
        return None
    found = find_dates(text)
    if len(found) != 1:
        return None
    pos, date = found[0]
    # what is left around the date must be punctuation only
    for pattern in (_FULL, _ISO, _CN, _NO_YEAR_MARK, _NO_MONTH_MARK):
        m = pattern.search(text, pos)
        if m and m.start() == pos:
            rest = text[:pos] + text[m.end():]
            return date if _DATE_LINE_REST.match(rest) else None
    return None
