"""Tables 三 and 四 read by their header positions: a local table that reorders or omits columns.

The tables are the real 微山县两城镇 2020 table 三 (tests/files/real/039_weishan_liangcheng_2020.txt,
row per line) with its columns reordered or dropped here, header and rows alike, and a table 四
with its 总计 columns moved first: realistically reordered tables, not copies of pages that print
them so.
"""

from __future__ import annotations

from pathlib import Path

from govcrawl.ingest import record_from_bytes

REAL = Path(__file__).resolve().parent.parent / "files" / "real"
APPLICANTS = ("natural_person", "commercial", "research", "nonprofit", "legal_services", "other_org", "total")


def parse(text: str) -> dict:
    return record_from_bytes(text.encode(), "http://t/", kind="text")


def grid(rec: dict, table: str) -> dict:
    return {(c["row"], c["col"]): c["raw"] for c in rec["cells"] if c["table"] == table}


HEADER_TOP = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |"
ROWS = [("一、本年新收政府信息公开申请数量", [5, 1, 0, 0, 2, 0, 8]),
        ("二、上年结转政府信息公开申请数量", [1, 0, 0, 0, 0, 0, 1])]


def table3(top: list[str], sub: list[str], order: list[int]) -> str:
    lines = ["三、收到和处理政府信息公开申请情况", HEADER_TOP, " | ".join(top) + " |", " | ".join(sub) + " |"]
    for label, values in ROWS:
        lines.append(" | ".join([label] + [str(values[i]) for i in order]) + " |")
    return "\n".join(lines) + "\n"


def test_the_real_table_as_printed():
    rec = parse((REAL / "039_weishan_liangcheng_2020.txt").read_text().split("\n", 1)[1])
    assert [grid(rec, "applications")[("new_received", c)] for c in APPLICANTS] == ["0"] * 7


def test_total_column_printed_first():
    # 总计 | 自然人 | 法人或其他组织 over 商业企业 … 其他: the values follow the header
    text = table3(["总计", "自然人", "法人或其他组织"], ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
                  [6, 0, 1, 2, 3, 4, 5])
    got = grid(parse(text), "applications")
    assert [got[("new_received", c)] for c in APPLICANTS] == ["5", "1", "0", "0", "2", "0", "8"]
    checks = {(k["rule"], k["at"]): k["status"] for k in parse(text)["checks"]}
    assert checks[("applications.row_total", "new_received")] == "pass"


def test_org_columns_reordered():
    text = table3(["自然人", "法人或其他组织", "总计"], ["其他", "法律服务机构", "社会公益组织", "科研机构", "商业企业"],
                  [0, 5, 4, 3, 2, 1, 6])
    got = grid(parse(text), "applications")
    assert [got[("new_received", c)] for c in APPLICANTS] == ["5", "1", "0", "0", "2", "0", "8"]


def test_omitted_column():
    # a local table without 科研机构: six columns, the missing one is no cell
    text = table3(["自然人", "法人或其他组织", "总计"], ["商业企业", "社会公益组织", "法律服务机构", "其他"],
                  [0, 1, 3, 4, 5, 6])
    got = grid(parse(text), "applications")
    assert ("new_received", "research") not in got
    assert [got[("new_received", c)] for c in APPLICANTS if c != "research"] == ["5", "1", "0", "2", "0", "8"]


def test_one_row_header_in_another_order():
    lines = ["三、收到和处理政府信息公开申请情况",
             "申请人情况 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 自然人 | 总计 |"]
    lines += [" | ".join([label] + [str(v[i]) for i in (1, 2, 3, 4, 5, 0, 6)]) + " |" for label, v in ROWS]
    got = grid(parse("\n".join(lines) + "\n"), "applications")
    assert [got[("carried_over", c)] for c in APPLICANTS] == ["1", "0", "0", "0", "0", "0", "1"]


def test_table4_totals_first_in_each_block():
    blocks = ["总计", "结果维持", "结果纠正", "其他结果", "尚未审结"]
    text = "\n".join([
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议 | 行政诉讼 |",
        "未经复议直接起诉 | 复议后起诉 |",
        " | ".join(blocks * 3) + " |",
        " | ".join(["3", "1", "1", "0", "1", "2", "2", "0", "0", "0", "0", "0", "0", "0", "0"]) + " |",
    ]) + "\n"
    got = grid(parse(text), "review_litigation")
    assert [got[("cases", f"review.{c}")] for c in ("upheld", "corrected", "other", "pending", "total")] == \
        ["1", "1", "0", "1", "3"]
    assert [got[("cases", f"suit_direct.{c}")] for c in ("upheld", "total")] == ["2", "2"]


def test_2019_header_with_a_backslash():
    # `本年增\减` (a backslash) names the 本年增/减 column: the 2019 rows of the real 南源街道 report
    # (tests/files/real/045_liwan_nanyuan_2020.txt) with the header cell written that way, and the
    # columns in another order
    text = "\n".join([
        "二、主动公开政府信息情况", "第二十条第(五)项 |",
        "信息内容 | 处理决定数量 | 本年增\\减 | 上一年项目数量 |",
        "行政许可 | 40 | +19 | 21 |",
    ]) + "\n"
    got = grid(parse(text), "active")
    assert (got[("licensing", "prev_items")], got[("licensing", "change")], got[("licensing", "decisions")]) == \
        ("21", "+19", "40")
