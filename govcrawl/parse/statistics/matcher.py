"""Labels -> format rows, columns, titles and part captions.

A printed label is reduced to a key (normalized, numbering and parenthetical glosses removed) and
compared with the aliases of a format definition (govcrawl/formats): exactly, by an alias prefix
(a suffix such as 数 or 情况 printed after it), or by a truncated label (a wrapped `本年新`).

This is the one place that decides when two labels are the same, so the reader above it only
asks "what does this label name" and the rules can be tested on their own. A `Matcher` holds the
precomputed keys of one format and memoises lookups, since the same labels recur in every report.
"""

from __future__ import annotations

import re
from functools import lru_cache

from govcrawl.formats.base import Format, Row, TableDef
from govcrawl.text.normalize import normalize_label

_CN = "一二三四五六七八九十"
# numbering in front of a label: 一、 （一） (1) 1. 1、 其中：, and the separator of a numbering whose
# numeral OCR lost (`、本年新收…`, `.上年结转…`; ．is . after NFKC), not followed by a digit
_NUMBERING = re.compile(
    rf"^(?:第?[{_CN}]{{1,3}}[、.．]|\([{_CN}]{{1,3}}\)、?|\(\d{{1,2}}\)|\d{{1,2}}[.、)．](?!\d)|其中[:]?"
    rf"|[、.．](?![\d.．、]))"
)
_GLOSS = re.compile(r"\([^()]*\)")
_OPEN_GLOSS = re.compile(r"\([^()]*$")
_QUOTES = re.compile(r"[“”\"'‘’《》「」]")
# where a run-together label holds several numbered labels: `（四）无1.本机关不掌握…`
_SEGMENT = re.compile(rf"(?=\([{_CN}]{{1,3}}\))|(?<![\d.])(?=\d{{1,2}}\.(?!\d))")

#: a format row a label names: (table, index of the row in the table, row)
RowMatch = tuple[TableDef, int, Row]
#: a header row: (table, [(col code, header text)])
HeaderMatch = tuple[TableDef, list[tuple[str, str]]]


def strip_numbering(text: str) -> str:
    prev = None
    while prev != text and text:
        prev = text
        text = _NUMBERING.sub("", text, count=1)
    return text


#: the slash of `本年增/减` as local tables print it: `本年增\减`, `本年增／减` (NFKC folds the latter)
_SLASHES = str.maketrans({"\\": "/", "⁄": "/", "∕": "/"})
#: a header cell over a column group (`法人或其他组织`): a marker code, not a column
GROUP_MARK = "@"


@lru_cache(maxsize=65536)
def label_key(label: str) -> str:
    """The matching key of a label: normalized, numbering and parenthetical glosses removed."""
    full = strip_numbering(normalize_label(label).translate(_SLASHES))
    key = full
    while True:
        shorter = _GLOSS.sub("", key)
        if shorter == key:
            break
        key = shorter
    key = strip_numbering(_QUOTES.sub("", _OPEN_GLOSS.sub("", key)))
    return key or _QUOTES.sub("", full).strip("()")


@lru_cache(maxsize=65536)
def _segments(label: str) -> tuple[str, ...]:
    parts = [p for p in _SEGMENT.split(normalize_label(label)) if p]
    return tuple(parts)


def other_code(label: str) -> str:
    return "other:" + strip_numbering(normalize_label(label))


def _score(key: str, alias: str) -> float:
    if not key or not alias:
        return 0.0
    if key == alias:
        return 3.0
    if len(alias) >= 3 and key.startswith(alias):  # suffixes: 数, 情况, a cut gloss
        return 2.0 + len(alias) / 1000
    if len(key) >= 3 and alias.startswith(key):  # a truncated or wrapped label (`本年新`)
        return 1.0 + len(key) / 1000
    return 0.0


class Matcher:
    """Precomputed label keys of one format."""

    def __init__(self, fmt: Format) -> None:
        self.fmt = fmt
        self.rows = [
            (t, i, row, [label_key(a) for a in row.labels])
            for t in fmt.tables
            for i, row in enumerate(t.rows)
        ]
        self.cols = {t.key: [(c, [label_key(a) for a in c.labels]) for c in t.cols] for t in fmt.tables}
        self.header_labels = {t.key: [normalize_label(h) for h in t.header_labels] for t in fmt.tables}
        self.group_headers = {t.key: {normalize_label(h): g for h, g in t.group_headers} for t in fmt.tables}
        self.titles = [(t, [normalize_label(x) for x in t.titles]) for t in fmt.tables]
        self.parts = [(t, [normalize_label(x) for x in t.part_labels]) for t in fmt.tables]
        self._memo: dict[str, list[tuple[float, TableDef, int, Row]]] = {}
        self._col_memo: dict[tuple[str, str], list[tuple[float, str]]] = {}

    def title(self, nlabel: str) -> TableDef | None:
        for t, titles in self.titles:
            if any(x in nlabel for x in titles):
                return t
        return None

    def part(self, nlabel: str) -> TableDef | None:
        for t, parts in self.parts:
            if any(nlabel.startswith(x) for x in parts):
                return t
        return None

    def row(self, label_cells: list[str], current: str | None, last_idx: dict[str, int],
            used: set[tuple[str, str]]) -> RowMatch | None:
        """The row a label names: the most specific label cell first (a merged group label is
        only context), then numbered segments of a run-together label."""
        candidates: list[str] = []
        for cell in reversed(label_cells):
            segs = _segments(cell)
            candidates.extend(reversed(segs))
            if len(segs) > 1:
                candidates.append(cell)
        if len(label_cells) > 1:
            candidates.append("".join(label_cells))
        for text in candidates:
            key = label_key(text)
            if not key:
                continue
            best = [
                b for b in self.scored(key)
                # a label of another table than the one being read must say more than a word
                if not (current and b[1].key != current and b[0] < 3 and (b[0] < 2 or len(key) < 4))
            ]
            if not best:
                continue
            top = max(b[0] for b in best)
            best = [b for b in best if b[0] == top]
            if current:
                same = [b for b in best if b[1].key == current]
                best = same or best
            # repeated labels (（二）被依法纠错数) are told apart by table order
            after = [b for b in best if b[2] > last_idx.get(b[1].key, -1) and (b[1].key, b[3].code) not in used]
            fresh = [b for b in best if (b[1].key, b[3].code) not in used]
            pick = (after or fresh or best)[0]
            return pick[1], pick[2], pick[3]
        return None

    def scored(self, key: str) -> list[tuple[float, TableDef, int, Row]]:
        """Every row whose aliases match `key`, with its score (memoised: labels repeat)."""
        hit = self._memo.get(key)
        if hit is None:
            hit = []
            for t, i, row, aliases in self.rows:
                s = max(_score(key, a) for a in aliases)
                if s > 0:
                    hit.append((s, t, i, row))
            if len(self._memo) < 100_000:
                self._memo[key] = hit
        return hit

    def header(self, label_cells: list[str], prefer: str | None,
               taken: dict[str, list[str]]) -> HeaderMatch | None:
        """(table, [(col code, header text)]) when every label cell is a column header. A cell
        over a column group (`法人或其他组织`) comes as the marker `@<group>`, so that the reader
        knows where the group's columns, printed on the next header row, stand."""
        found = []
        for t in self.fmt.tables:
            codes: list[tuple[str, str]] = []
            hits = 0
            used = list(taken.get(t.key, []))
            ok = True
            for cell in label_cells:
                if not cell:
                    continue
                got = self._header_cell(t.key, cell, used)
                if got is None and " " in cell.strip():
                    # PDF text puts a whole header row on one line: `自然人 法人或其他组织 总计`
                    parts = [self._header_cell(t.key, p, used) for p in cell.split()]
                    got = None if any(p is None for p in parts) else [x for p in parts if p is not None for x in p]
                if got is None:
                    ok = False
                    break
                for col, text in got:
                    if col is None or col.startswith(GROUP_MARK):
                        hits += 1
                    if col is not None:
                        codes.append((col, text))
            if ok and (codes or hits):
                found.append((t.key == prefer, len(codes) + hits, t, codes))
        if not found:
            return None
        found.sort(key=lambda f: (f[0], f[1]), reverse=True)
        return found[0][2], found[0][3]

    def _header_cell(self, table: str, cell: str, used: list[str]) -> list[tuple[str | None, str]] | None:
        """[(col code or None for a header-only label, text)] or None if not a header cell.
        `used` collects the codes taken, so repeated headers (结果维持 x3) take the next column."""
        n = normalize_label(cell)
        key = label_key(cell)
        col = self._col(table, key, used, exact=True)
        if col is None and any(h == n or (len(h) >= 4 and h in n) for h in self.header_labels[table]):
            group = self.group_headers[table].get(n)
            return [(GROUP_MARK + group if group else None, cell)]
        if col is None:
            col = self._col(table, key, used, exact=False)
        if col is None:
            return None
        used.append(col)
        return [(col, cell)]

    def _col(self, table: str, key: str, used: list[str], exact: bool) -> str | None:
        scored = self._col_memo.get((table, key))
        if scored is None:
            scored = [(s, col.code) for col, aliases in self.cols[table]
                      if (s := max(_score(key, a) for a in aliases)) > 0]
            if len(self._col_memo) < 100_000:
                self._col_memo[(table, key)] = scored
        best = [(s, c) for s, c in scored if s == 3 or not exact]
        if not best:
            return None
        top = max(s for s, _ in best)
        codes = [c for s, c in best if s == top]
        fresh = [c for c in codes if c not in used]
        return (fresh or codes)[0]
