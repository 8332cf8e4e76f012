"""Text normalisation shared by extraction and parsing.

Real pages mix full-width and half-width forms (（一） / (一), ：/ :), full-width digits, stray
spaces inside labels (`商业 企业`, `索 引 号`), Traditional characters on mirrors and inline pinyin
on spam copies (`公(gong)開(kai)`). Matching is done on normalised text; values stay as printed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

_WS = re.compile(r"[\s\u3000\u00a0\u200b\u200c\u200d\ufeff]+")
# pinyin glosses on spam mirrors, plain or tone-marked: `公(gong)開(kai)`, `規(guī)章`
PINYIN_GLOSS = re.compile(r"\((?:[a-z\u00e0-\u00fc\u0100-\u01dc]{1,8}\d?)\)")


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


def nfkc(text: str) -> str:
    """NFKC: full-width ASCII, digits and brackets become half-width; keeps 、“”〔〕《》."""
    return unicodedata.normalize("NFKC", text)


def strip_pinyin(text: str) -> str:
    """Text without the pinyin glosses of spam mirrors: `統(tǒng)計(jì)局` -> `統計局`."""
    return PINYIN_GLOSS.sub("", text)


@lru_cache(maxsize=1)
def traditional_chars() -> frozenset[str]:
    """The characters that OpenCC's t2s dictionaries (the ones its t2s config chains) change: for
    each entry whose first value differs from its key, the key's characters where the two differ
    (all of them when the lengths differ). Any entry that changes a text contains one of them, so a
    text without any is returned unchanged by the conversion."""
    import opencc

    folder = Path(opencc.__file__).parent / "dictionary"
    chars: set[str] = set()
    for name in ("TSPhrases.txt", "TSCharacters.txt"):
        with (folder / name).open(encoding="utf-8") as lines:
            for line in lines:
                key, _, values = line.rstrip("\n").partition("\t")
                key, value = key.strip(), (values.split() or [""])[0]
                if value == key:
                    continue
                if len(value) == len(key):
                    chars.update(k for k, v in zip(key, value) if k != v)
                else:
                    chars.update(key)
    return frozenset(chars)


def to_simplified(text: str) -> str:
    """Traditional -> Simplified (OpenCC t2s). The pure-Python conversion is slow, so text with no
    Traditional character at all, nearly every page, skips it."""
    chars = traditional_chars()
    if chars.isdisjoint(text):
        return text
    converter = _t2s()
    split = getattr(converter, "split_chars_re", None)
    if split is None:
        return converter.convert(text)
    # OpenCC converts the pieces between its separators (spaces, punctuation) one by one: only
    # those holding a Traditional character can change, so only they are converted (a paragraph
    # with one 體 costs one clause, not the whole paragraph)
    parts = split.split(text)
    for i in range(0, len(parts), 2):
        if not chars.isdisjoint(parts[i]):
            parts[i] = converter.convert(parts[i])
    return "".join(parts)


def clean_spaces(text: str) -> str:
    """Collapse whitespace runs (including ideographic and no-break spaces) to one space, trim."""
    return _WS.sub(" ", text).strip()


def compact(text: str) -> str:
    """Remove all whitespace."""
    return _WS.sub("", text)


@lru_cache(maxsize=65536)
def normalize_label(text: str) -> str:
    """A label for matching: NFKC, Simplified, no pinyin glosses, no whitespace."""
    text = nfkc(text)
    text = PINYIN_GLOSS.sub("", text)
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        text = to_simplified(text)
    return compact(text)
