"""Link rules over strings: which listing links are annual reports (titles, years), printed dates,
attachment file types, followable hrefs."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from govcrawl.text.normalize import nfkc, normalize_label
from govcrawl.text.vocabulary import DISCLOSURE_WORD

_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")

#: a disclosure annual report: about 信息公开/政务公开 (DISCLOSURE_WORD, or a bare 年报 in a report
#: column), named as a report; in a listing a statistics table alone (年度统计, 统计表) counts too
_LISTING_REPORT_WORD = re.compile(r"年度报告|年报|工作报告|年度统计|统计表")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_YEAR_ANY = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
#: look-alikes: meetings, work plans, graphic digests, notices about reports, enterprise 年报
_LOOKALIKES = re.compile(
    r"(一图读懂|图解|图说|解读|读懂|工作会议|会议|工作要点|要点|重点工作|工作方案|实施方案|通知|"
    r"的函|征集|培训|考核|评估|检查|企业年报|工商年报|统计年报|年报公示|年度报告公示|报送|"
    r"填报|督查|通报|目录|指南|规定|办法|制度|三公经费|季度|上半年|"
    r"(?<!\d)\d{1,2}\s*[-~至到]\s*\d{1,2}\s*月)")  # (monthly/quarterly statements: `2024年1-2月`)


def report_year(title: str) -> int | None:
    """The year a report title names (`2017年`, `2017年度`, or a bare 4-digit year)."""
    text = nfkc(title)
    m = _YEAR.search(text) or _YEAR_ANY.search(text)
    return int(m.group(1)) if m else None


def is_annual_report_title(title: str, *, in_report_column: bool = False) -> bool:
    """True for a disclosure annual report's title (with a year), False for look-alikes.

    `in_report_column`: the link sits in a column that holds only annual reports, so a title like
    `2019年年报` or `安顺市民政局2019年度报告` is enough without the 信息公开 topic words.
    """
    text = normalize_label(title)
    if not text or report_year(text) is None:
        return False
    if _LOOKALIKES.search(text):
        return False
    if not _LISTING_REPORT_WORD.search(text):
        return False
    return bool(DISCLOSURE_WORD.search(text)) or in_report_column


def printed_date(text: str) -> str | None:
    """The first date printed in `text`: `2021-01-29`, `2021年1月29日`, `2021/1/29` -> `2021-01-29`."""
    m = _DATE.search(text or "")
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


#: a report-file extension, at the end of a path or before a query/fragment (`downfile.jsp?filename=a.pdf`)
_FILE_EXT = re.compile(
    r"\.(pdf|docx?|wps|xlsx?|et|ofd|zip|rar|7z|pptx?|txt|rtf|ceb|tif|tiff)(?:$|[?#&;])", re.I)
_SPEC_TYPES = ("pdf", "doc", "docx", "wps", "xls", "xlsx")


def attachment_type(name_or_url: str) -> str | None:
    """The spec's attachment type (`pdf`, `doc`, `docx`, `wps`, `xls`, `xlsx`, `other`) of a file
    link or file name, None for a web page. The URL's path decides; a page URL that names a file in
    its query (`downfile.jsp?filename=a.pdf`) or a link text (`附件：年报.pdf`) counts too."""
    text = name_or_url or ""
    for candidate in (urlsplit(text).path, text):
        m = _FILE_EXT.search(candidate)
        if m:
            ext = m.group(1).lower()
            if ext == "et":  # WPS spreadsheet
                return "xls"
            return ext if ext in _SPEC_TYPES else "other"
    return None


def followable_href(href: str | None) -> str | None:
    """A link's href, trimmed; None for links that lead nowhere (javascript:, #fragment, mailto:)."""
    href = (href or "").strip()
    if not href or href.startswith(("javascript:", "#", "mailto:")):
        return None
    return href
