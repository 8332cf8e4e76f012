"""Text -> ReportDocument: a report's plain text (a saved page's text, PDF text, the seeds).

The same chrome as on HTML pages survives in such text (see fixtures/seeds/): the 索引号 header
rows (`索引号: | ... | 公开形式: | ...` -> `doc.meta`), breadcrumb rows (`>> 政务公开 | >> ...`,
`当前位置:...`), bylines (`发布时间:... 来源:`), `打印| 字号:[ ]|`, footers, `•`, 扫一扫.... They are
removed line by line; flattened tables stay in `lines` (the statistics parser reads them there,
including the pipe-only row breaks `|`, `||||`).
"""

from __future__ import annotations

from govcrawl.document import ReportDocument
from govcrawl.extract.readable import check_readable
from govcrawl.extract.titles import find_title, title_repeats
from govcrawl.text.chrome import breadcrumb_items, strip_chrome
from govcrawl.text.normalize import compact, nfkc


def document_from_text(text: str, url: str) -> ReportDocument:
    """Raises govcrawl.extract.NotAPageError for binary input (not a text at all)."""
    check_readable(text or "", "text")
    doc = ReportDocument(url=url, source="text")
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    raw = [line.strip() for line in text.split("\n")]
    doc.breadcrumb = breadcrumb_items(raw)  # chrome to strip, but evidence of the agency
    lines, meta, dates = strip_chrome(raw, keep_pipes=True)
    titles, used = find_title(lines)
    # the title line(s) at the top are the heading, not body text; short lines above it are the
    # page's column name and menu (`政府信息公开`)
    if used and used[0] <= 5:
        above = [i for i in range(used[0]) if len(compact(nfkc(lines[i]))) <= 12 and "|" not in lines[i]]
        lines = [line for i, line in enumerate(lines) if i not in used and i not in above
                 and i not in title_repeats(lines, titles[0], used)]
    doc.lines = lines
    doc.titles = titles
    doc.meta = meta
    doc.byline_dates = dates
    if not lines:
        doc.flags.append("no_content")
        if not text.strip():
            doc.flags.append("blank_page")
    return doc
