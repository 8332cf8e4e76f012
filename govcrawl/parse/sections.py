"""Top-level sections (一、 二、 三、 ...) of a report body.

A heading is accepted only in numbering order (一 then 二 ...), so the statistics-table rows that
also start with a numeral (`一、本年新收政府信息公开申请数量`, `四、结转下年度继续办理`, the pre-2019
统计表's `一、主动公开情况`) are skipped: they are table rows (with `|` cells or trailing numbers), or
known row labels, or out of order.
"""

from __future__ import annotations

import re

from govcrawl.text.normalize import clean_spaces, compact, nfkc, normalize_label

_NUMERALS = "一二三四五六七八九十"
_HEADING = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、.．]\s*(.*)$")
# rows of the statistics tables that look like headings (labels without whitespace). The
# pre-2019 统计表's group rows `一、主动公开情况`, `三、依申请公开情况` are left out on purpose: old
# reports use the same words as their own section headings; as table rows they carry a unit or a
# `——` placeholder (see _ROW_TAIL) or `|` cells.
_TABLE_ROW_LABELS = (
    "本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "本年度办理结果", "结转下年度继续办理",
    "行政复议数量", "行政诉讼数量", "举报投诉数量", "依申请公开信息收取的费用",
)
_TRAILING_NUMBERS = re.compile(r"(\s+[-\d.—/]+){2,}\s*$")
# `四、行政复议数量 件 0`, `八、机构建设和保障经费情况 ——`: a 统计表 row flattened without `|`
_ROW_TAIL = re.compile(r"\s(件|条|次|人|个|篇|万元|人次|元|项)\s*[-\d.]*\s*$|\s(——|--|－－)\s*$")
# the narrative ends where an appended statistics table or attachment starts
_APPENDIX = re.compile(r"^(附件|附表)\s*\d*\s*[:：]?\s*$|^(附件|附表)\s*\d*\s*[:：]?.{0,40}统计表|统计表\s*$")


def numeral_value(text: str) -> int | None:
    """一..九十九 -> int."""
    if not text or any(ch not in _NUMERALS for ch in text):
        return None
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = _NUMERALS.index(tens) + 1 if tens else 1
        o = _NUMERALS.index(ones) + 1 if ones else 0
        return t * 10 + o
    return _NUMERALS.index(text) + 1 if len(text) == 1 else None


def _heading_of(line: str) -> tuple[int, str, str] | None:
    """(number, heading, rest of the line) when the line opens a top-level section."""
    if "|" in line or _TRAILING_NUMBERS.search(line) or _ROW_TAIL.search(nfkc(line)):
        return None
    m = _HEADING.match(nfkc(line))
    if not m:
        return None
    number = numeral_value(m.group(1))
    body = clean_spaces(m.group(2))
    if number is None or not body:
        return None
    key = compact(body)
    norm = normalize_label(body)
    if any(norm.startswith(label) or (len(norm) >= 6 and label.startswith(norm))
           for label in _TABLE_ROW_LABELS):
        return None  # a row label, whole or cut (`一、本年新收政府` at the end of a stored copy)
    head, rest = body, ""
    cut = re.search(r"[。:：]", body)
    if cut and cut.end() < len(body) and cut.start() <= 40:
        # heading and text on one line: `一、概述。2018年,贵阳市...`
        head, rest = body[: cut.start()], body[cut.end():].strip()
    elif len(key) > 50:
        return None
    return number, f"{m.group(1)}、{compact(head)}", rest


def split_sections(lines: list[str], stop_at: int | None = None) -> list[dict]:
    """[{"heading", "text"}] for each top-level section, in order. `stop_at`: index of the first
    closing line (signature), which is not part of the last section."""
    end = len(lines) if stop_at is None else max(0, min(stop_at, len(lines)))
    sections: list[dict] = []
    expected = 1
    body: list[str] = []
    paused = False  # after an appended table/attachment: its lines belong to no section
    for line in lines[:end]:
        if sections and "|" not in line and len(line) <= 60 and _APPENDIX.search(compact(nfkc(line))):
            paused = True
            continue
        found = _heading_of(line)
        if found and found[0] == expected:
            if sections:
                sections[-1]["text"] = "\n".join(body).strip()
            sections.append({"heading": found[1], "text": ""})
            body = [found[2]] if found[2] else []
            expected += 1
            paused = False
            continue
        if sections and not paused:
            body.append(line)
    if sections:
        sections[-1]["text"] = "\n".join(body).strip()
    return sections
