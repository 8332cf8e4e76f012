"""Pre-2019 统计表 (format `statistics`): seeds 000 (cell per line) and 003 (row per line).

Expected values are written by hand from the seed texts in fixtures/seeds.
"""

from __future__ import annotations

import pytest

from govcrawl import PROJECT_ROOT
from govcrawl.extract.tables import html_tables
from govcrawl.parse.statistics import read_statistics

SEEDS = PROJECT_ROOT / "fixtures" / "seeds"


def seed_lines(prefix: str) -> list[str]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def by_row(result) -> dict[str, tuple[str, str | None]]:
    assert all(c["table"] == "statistics" and c["col"] == "value" for c in result["cells"])
    return {c["row"]: (c["raw"], c["unit"]) for c in result["cells"]}


# seed 000, 安顺市安全生产监督管理局2017年度政府信息公开情况统计表 (row: raw value, unit)
SEED_000 = {
    "active.total": ("1656", "条"),
    "active.normative_docs": ("1", "条"),
    "active.normative_docs_issued": ("1", "件"),
    "active.gazette": ("0", "条"),
    "active.website": ("131", "条"),
    "active.weibo": ("0", "条"),
    "active.wechat": ("0", "条"),
    "active.other_channels": ("0", "条"),
    "proposals.npc": ("0", "条"),
    "proposals.cppcc": ("0", "条"),
    "dynamic.converted": ("0", "条"),
    "dynamic.declassified": ("0", "条"),
    "consultation.count": ("1", "次"),
    "consultation.feedback": ("0", "次"),
    "consultation.opinions": ("0", "条"),
    "consultation.rejected": ("0", "条"),
    "response.hotspots": ("0", "次"),
    "response.press": ("0", "次"),
    "response.press_head": ("0", "次"),
    "response.interviews": ("0", "次"),
    "response.interviews_head": ("0", "次"),
    "response.head_interpretations": ("0", "次"),
    "response.articles": ("6", "篇"),
    "response.weibo_wechat": ("0", "次"),
    "response.other": ("0", "次"),
    "meetings.open": ("0", "次"),
    "meetings.attendees": ("0", "人"),
    "requests.received": ("0", "件"),
    "requests.in_person": ("0", "件"),
    "requests.fax": ("0", "件"),
    "requests.online": ("0", "件"),
    "requests.letter": ("0", "件"),
    "requests.closed": ("0", "件"),
    "requests.on_time": ("0", "件"),
    "requests.extended": ("0", "件"),
    "replies.total": ("0", "件"),
    "replies.already_public": ("0", "件"),
    "replies.granted": ("0", "件"),
    "replies.partial": ("0", "件"),
    "replies.denied": ("0", "件"),
    "replies.denied.state_secret": ("0", "件"),
    "replies.denied.commercial_secret": ("0", "件"),
    "replies.denied.privacy": ("0", "件"),
    "replies.denied.security": ("0", "件"),
    "replies.denied.not_gov_info": ("0", "件"),
    "replies.denied.other_law": ("0", "件"),
    "replies.not_this_agency": ("0", "件"),
    "replies.not_exist": ("0", "件"),
    "replies.needs_correction": ("0", "件"),
    "replies.other_channel": ("0", "件"),
    "review.total": ("0", "件"),
    "review.upheld": ("0", "件"),
    "review.corrected": ("0", "件"),
    "review.other": ("0", "件"),
    "litigation.total": ("0", "件"),
    "litigation.upheld": ("0", "件"),
    "litigation.corrected": ("0", "件"),
    "litigation.other": ("0", "件"),
    "complaints": ("0", "件"),
    "fees": ("0", "万元"),
    "org.bodies": ("1", "个"),
    "org.reading_points": ("0", "个"),
    "org.staff": ("2", "人"),
    "org.staff_full_time": ("2", "人"),
    "org.staff_part_time": ("0", "人"),
    "org.budget": ("0", "万元"),
    "training.meetings": ("3", "次"),
    "training.courses": ("0", "次"),
    "training.trainees": ("3", "人次"),
}

# seed 003, 官渡区环境保护局 政府信息公开情况统计表 (2017年度): the 2014 table, without the
# 2017 additions (建议提案, 动态管理, 重大决策预公开, 主要负责同志解读政策数, 会议开放)
SEED_003 = {
    "active.total": ("0", "条"),
    "active.normative_docs": ("0", "条"),
    "active.normative_docs_issued": ("0", "件"),
    "active.gazette": ("0", "条"),
    "active.website": ("155", "条"),
    "active.weibo": ("200", "条"),
    "active.wechat": ("0", "条"),
    "active.other_channels": ("0", "条"),
    "response.hotspots": ("0", "次"),
    "response.press": ("0", "次"),
    "response.press_head": ("0", "次"),
    "response.interviews": ("0", "次"),
    "response.interviews_head": ("0", "次"),
    "response.articles": ("0", "篇"),
    "response.weibo_wechat": ("0", "次"),
    "response.other": ("0", "次"),
    "requests.received": ("0", "件"),
    "requests.in_person": ("0", "件"),
    "requests.fax": ("0", "件"),
    "requests.online": ("0", "件"),
    "requests.letter": ("0", "件"),
    "requests.closed": ("0", "件"),
    "requests.on_time": ("0", "件"),
    "requests.extended": ("0", "件"),
    "replies.total": ("0", "件"),
    "replies.already_public": ("0", "件"),
    "replies.granted": ("0", "件"),
    "replies.partial": ("0", "件"),
    "replies.denied": ("0", "件"),
    "replies.denied.state_secret": ("0", "件"),
    "replies.denied.commercial_secret": ("0", "件"),
    "replies.denied.privacy": ("0", "件"),
    "replies.denied.security": ("0", "件"),
    "replies.denied.not_gov_info": ("0", "件"),
    "replies.denied.other_law": ("0", "件"),
    "replies.not_this_agency": ("0", "件"),
    "replies.not_exist": ("0", "件"),
    "replies.needs_correction": ("0", "件"),
    "replies.other_channel": ("0", "件"),
    "review.total": ("0", "件"),
    "review.upheld": ("0", "件"),
    "review.corrected": ("0", "件"),
    "review.other": ("0", "件"),
    "litigation.total": ("0", "件"),
    "litigation.upheld": ("0", "件"),
    "litigation.corrected": ("0", "件"),
    "litigation.other": ("0", "件"),
    "complaints": ("0", "件"),
    "fees": ("0", "万元"),
    "org.bodies": ("1", "个"),
    "org.reading_points": ("0", "个"),
    "org.staff": ("3", "人"),
    "org.staff_full_time": ("2", "人"),
    "org.staff_part_time": ("1", "人"),
    "org.budget": ("0.5", "万元"),
    "training.meetings": ("2", "次"),
    "training.courses": ("1", "次"),
    "training.trainees": ("50", "人次"),
}


@pytest.fixture(scope="module")
def seed000():
    return read_statistics([], seed_lines("000"))


@pytest.fixture(scope="module")
def seed003():
    return read_statistics([], seed_lines("003"))


def test_seed000_format(seed000):
    assert seed000["format"] == "statistics"


def test_seed000_every_cell(seed000):
    assert by_row(seed000) == SEED_000


def test_seed000_cells_in_table_order(seed000):
    assert [c["row"] for c in seed000["cells"]] == list(SEED_000)


def test_seed000_values(seed000):
    cells = {c["row"]: c for c in seed000["cells"]}
    assert cells["active.total"]["value"] == 1656
    assert cells["response.articles"]["value"] == 6
    assert cells["training.trainees"]["value"] == 3
    assert all(isinstance(c["value"], int) for c in seed000["cells"])


def test_seed000_group_rows_have_no_cells(seed000):
    # `一、主动公开情况 |` + `||` is a heading row, not a statistics cell
    assert not any(c["row"].startswith("other:") for c in seed000["cells"])


def test_seed003_format(seed003):
    assert seed003["format"] == "statistics"


def test_seed003_every_cell(seed003):
    assert by_row(seed003) == SEED_003


def test_seed003_decimal_budget(seed003):
    budget = next(c for c in seed003["cells"] if c["row"] == "org.budget")
    assert budget == {"table": "statistics", "row": "org.budget", "col": "value", "value": 0.5,
                      "raw": "0.5", "unit": "万元"}


def test_seed003_rows_not_printed_are_absent(seed003):
    rows = {c["row"] for c in seed003["cells"]}
    assert not rows & {"proposals.npc", "dynamic.converted", "consultation.count",
                       "response.head_interpretations", "meetings.open"}


def test_seeds_without_table_are_none():
    for prefix in ("002", "004"):
        assert read_statistics([], seed_lines(prefix)) == {"format": "none", "cells": [], "checks": []}


STATISTICS_HTML = """<table class="MsoNormalTable" border="1">
<tr><td><p class="MsoNormal">统 计 指 标</p></td><td>单位</td><td>统计数</td></tr>
<tr><td>一、主动公开情况</td><td>——</td><td>——</td></tr>
<tr><td>（一）主动公开政府信息数<br>（不同渠道和方式公开相同信息计1条）</td><td>条</td><td>１２３</td></tr>
<tr><td>其中：主动公开规范性文件数</td><td>条</td><td>&nbsp;</td></tr>
<tr><td>制发规范性文件总数</td><td>件</td><td>—</td></tr>
<tr><td>三、依申请公开情况</td><td>——</td><td>——</td></tr>
<tr><td>（一）收到申请数</td><td>件</td><td>5</td></tr>
<tr><td>1.当面申请数</td><td>件</td><td>1</td></tr>
<tr><td>2.传真申请数</td><td>件</td><td>0</td></tr>
<tr><td>3.网络申请数</td><td>件</td><td>3</td></tr>
<tr><td>4.信函申请数</td><td>件</td><td>0</td></tr>
<tr><td>主动公开机构领导、机构设置及人事信息</td><td>条</td><td>7</td></tr>
<tr><td>七、依申请公开信息收取的费用</td><td>万元</td><td>0.35</td></tr>
</table>"""


def test_html_statistics_blank_placeholder_number_and_other_row():
    result = read_statistics(html_tables(STATISTICS_HTML), [])
    assert result["format"] == "statistics"
    cells = {c["row"]: c for c in result["cells"]}
    assert cells["active.total"]["value"] == 123 and cells["active.total"]["raw"] == "１２３"
    assert cells["active.normative_docs"]["raw"] == "" and cells["active.normative_docs"]["value"] is None
    assert cells["active.normative_docs_issued"]["raw"] == "—"
    assert cells["active.normative_docs_issued"]["value"] is None
    assert cells["fees"]["value"] == 0.35 and cells["fees"]["unit"] == "万元"
    other = cells["other:主动公开机构领导、机构设置及人事信息"]
    assert other["value"] == 7 and other["unit"] == "条"
    requests = next(c for c in result["checks"] if c["rule"] == "statistics.requests")
    assert requests == {"rule": "statistics.requests", "at": "requests.received", "status": "fail",
                        "left": 5, "right": 4}


def test_traditional_characters_statistics_rows():
    lines = ["統計指標 | 單位 | 統計數 |", "（三）從事政府信息公開工作人員數 | 人 | 4 |",
             "1.專職人員數 | 人 | 1 |", "2.兼職人員數 | 人 | 3 |", "（一）收到申請數 | 件 | 2 |"]
    result = read_statistics([], lines)
    assert result["format"] == "statistics"
    assert {c["row"]: c["value"] for c in result["cells"]} == {
        "org.staff": 4, "org.staff_full_time": 1, "org.staff_part_time": 3, "requests.received": 2}
    staff = next(c for c in result["checks"] if c["rule"] == "statistics.staff")
    assert staff["status"] == "pass" and staff["left"] == 4 and staff["right"] == 4


def test_old_table_in_a_2019_report_is_statistics():
    # detection looks at the table, not the year printed around it
    lines = ["2019年政府信息公开工作年度报告", "政府信息公开情况统计表", "统计指标 | 单位 | 统计数 |",
             "（一）收到申请数 | 件 | 3 |", "1.当面申请数 | 件 | 3 |", "（二）申请办结数 | 件 | 3 |",
             "1.按时办结数 | 件 | 3 |", "2.延期办结数 | 件 | 0 |"]
    assert read_statistics([], lines)["format"] == "statistics"


def test_unit_column_after_the_value_column():
    lines = ["统计指标 | 统计数 | 单位 |", "（一）收到申请数 | 4 | 件 |", "1.当面申请数 | 4 | 件 |",
             "（二）申请办结数 | 4 | 件 |", "七、依申请公开信息收取的费用 | 0.2 | 万元 |"]
    result = read_statistics([], lines)
    assert {c["row"]: (c["raw"], c["unit"]) for c in result["cells"]} == {
        "requests.received": ("4", "件"), "requests.in_person": ("4", "件"),
        "requests.closed": ("4", "件"), "fees": ("0.2", "万元")}
