"""Small text helpers shared by the attachment readers."""

from __future__ import annotations

import re

from govcrawl.text.normalize import clean_spaces

#: a heading or numbered item that starts a new paragraph even after a full-width line:
#: 一、 （一） (一) 1. 1、 第一章 第二部分 附件 附表
HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|\d{1,2}\s*[、.．](?!\d)|"
    r"第[一二三四五六七八九十百]+[章节部分条]|附\s*[件表]|[（(]此件)")

#: page numbers as printed in headers/footers: `- 4 -`, `—4—`, `4`, `第4页`, `第4页 共10页`,
#: `4/10`, `共10页 第4页`, `Page 4 of 10`
PAGE_NUMBER = re.compile(
    r"^[\s\-—–－_~·•.]*(?:"
    r"(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*[,，]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r")[\s\-—–－_~·•.]*$", re.IGNORECASE)

_ASCII_WORD = re.compile(r"[0-9A-Za-z]")


def join_wrapped(parts: list[str]) -> str:
    """Join the visual lines of one wrapped paragraph or table cell.

    Chinese wraps anywhere and takes no space at the join (`只计这一情` + `形` -> `只计这一情形`);
    Latin words and numbers keep one space between them.
    """
    out = ""
    for part in parts:
        part = clean_spaces(part)
        if not part:
            continue
        if out and _ASCII_WORD.match(out[-1]) and _ASCII_WORD.match(part[0]):
            out += " "
        out += part
    return out


def is_page_number(text: str) -> bool:
    return bool(PAGE_NUMBER.match(text or "")) and any(ch.isdigit() for ch in text)
