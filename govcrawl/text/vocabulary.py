"""The report vocabulary: the words that make a title, a link or a sentence about an annual
information-disclosure report, and the look-alikes that are not one.

Every layer asks these questions (a listing link, a page title, a PDF heading, a body sentence), so
the words are defined once here. The patterns are searched, never matched as a whole.
"""

from __future__ import annotations

import re

from govcrawl.text.normalize import normalize_label

#: a 4-digit year of the reports' era, as a capturing group
YEAR = r"((?:19|20)\d{2})"
#: the words of a report's name (年度工作报告/工作年度报告 are found through 工作报告/年度报告)
REPORT_WORDS = r"年度报告|年报|工作报告|情况报告"
#: the words of the disclosure topic
DISCLOSURE_WORDS = r"政府信息公开|政务信息公开|政务公开|信息公开"

REPORT_WORD = re.compile(REPORT_WORDS)
#: in a title, a bare 政府信息 (`政府信息工作年度报告`) names the topic too
DISCLOSURE_WORD = re.compile(DISCLOSURE_WORDS + r"|政府信息")
#: a body sentence about the report: `本报告` counts there
BODY_REPORT_WORD = re.compile(REPORT_WORDS + r"|本报告")
BODY_DISCLOSURE_WORD = re.compile(DISCLOSURE_WORDS)
#: a heading or title that mentions a report at all
REPORT_MENTION = re.compile(r"报告|年报")

_NOTICE_END = re.compile(r"(通知|的函|公告|通告|意见|办法|规定|方案|决定|批复|要点|细则|指南|目录|"
                         r"解读|答记者问|图解|一图读懂|公示|制度)[)）]?$")
_NOT_REPORT_START = re.compile(r"^(一图读懂|一图看懂|一图速览|图解|图说|解读|政策解读|视频解读|关于印发|关于做好|"
                               r"关于开展|关于报送|关于编制)")


def is_notice_title(title: str) -> bool:
    """Notices, policy documents and graphic digests about a report are not the report."""
    key = normalize_label(title or "")
    return bool(key) and bool(_NOTICE_END.search(key) or _NOT_REPORT_START.search(key))


def is_report_title(title: str) -> bool:
    """`XX2017年政府信息公开工作年度报告`: a report word, a disclosure word and a year; not a notice."""
    t = normalize_label(title or "")  # Traditional mirrors: 年度報告 -> 年度报告
    if not t or is_notice_title(t):
        return False
    return bool(REPORT_WORD.search(t) and DISCLOSURE_WORD.search(t) and re.search(YEAR, t))
