"""2021 format (国办公开办函〔2021〕30号): Word-pasted HTML, row-per-line text (S-LG), PDF text,
and a local variant with a 法人或其他组织 小计 column and subtotal rows."""

from __future__ import annotations

import pytest

from govcrawl.extract.tables import html_tables
from govcrawl.parse.statistics import read_statistics

APPLICANTS = ("natural_person", "commercial", "research", "nonprofit", "legal_services", "other_org", "total")

WORD_HTML = """<div class="TRS_Editor">
<p class="MsoNormal"><b>二、主动公开政府信息情况</b></p>
<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse">
<tr><td colspan="4"><p class="MsoNormal" align="center"><b><span>第二十条第（一）项</span></b></p></td></tr>
<tr><td><p class="MsoNormal">信息内容</p></td><td><p class="MsoNormal">本年制发件数</p></td>
<td><p class="MsoNormal">本年废止件数</p></td><td><p class="MsoNormal">现行有效件数</p></td></tr>
<tr><td><p class="MsoNormal">规章</p></td><td><p class="MsoNormal">0</p></td><td><p class="MsoNormal">&nbsp;</p></td><td><p class="MsoNormal">2</p></td></tr>
<tr><td><p class="MsoNormal">行政规范性文件</p></td><td>5</td><td>1</td><td>37</td></tr>
<tr><td colspan="4"><p class="MsoNormal" align="center"><b>第二十条第（五）项</b></p></td></tr>
<tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
<tr><td>行政许可</td><td colspan="3">1352</td></tr>
<tr><td colspan="4"><b>第二十条第（六）项</b></td></tr>
<tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
<tr><td>行政处罚</td><td colspan="3">46</td></tr>
<tr><td>行政强制</td><td colspan="3">0</td></tr>
<tr><td colspan="4"><b>第二十条第（八）项</b></td></tr>
<tr><td>信息内容</td><td colspan="3">本年收费金额（单位：万元）</td></tr>
<tr><td>行政事业性收费</td><td colspan="3">96171.6</td></tr>
</table>
<p class="MsoNormal"><b>三、收到和处理政府信息公开申请情况</b></p>
<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0">
<tr><td colspan="3" rowspan="3"><p class="MsoNormal">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</p></td>
<td colspan="7"><p class="MsoNormal" align="center">申请人情况</p></td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业<br>企业</td><td>科研<br>机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td><p class="MsoNormal" align="center"><span>30</span></p></td><td><p class="MsoNormal" align="center"><span>5</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>1</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>36</span></p></td></tr>
<tr><td colspan="3">二、上年结转政府信息公开申请数量</td><td><p class="MsoNormal" align="center"><span>2</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>1</span></p></td><td><p class="MsoNormal" align="center"><span>3</span></p></td></tr>
<tr><td rowspan="22">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td><p class="MsoNormal" align="center"><span>20</span></p></td><td><p class="MsoNormal" align="center"><span>3</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>1</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>24</span></p></td></tr>
<tr><td colspan="2">（二）部分公开（区分处理的，只计这一情形，不计其他情形）</td><td><p class="MsoNormal" align="center"><span>3</span></p></td><td><p class="MsoNormal" align="center"><span>1</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>4</span></p></td></tr>
<tr><td rowspan="8">（三）不予公开</td><td>1．属于国家秘密</td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td></tr>
<tr><td>2．其他法律行政法规禁止公开</td><td><p class="MsoNormal" align="center"><span>1</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>1</span></p></td></tr>
<tr><td>3．危及“三安全一稳定”</td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td></tr>
<tr><td>4．保护第三方合法权益</td><td><p class="MsoNormal" align="center"><span>1</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>1</span></p></td></tr>
<tr><td>5．属于三类内部事务信息</td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td></tr>
<tr><td>6．属于四类过程性信息</td><td><p class="MsoNormal" align="center"><span>1</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>1</span></p></td></tr>
<tr><td>7．属于行政执法案卷</td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td></tr>
<tr><td>8．属于行政查询事项</td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td></tr>
<tr><td rowspan="3">（四）无法提供</td><td>1．本机关不掌握相关政府信息</td><td><p class="MsoNormal" align="center"><span>4</span></p></td><td><p class="MsoNormal" align="center"><span>1</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>5</span></p></td></tr>
<tr><td>2．没有现成信息需要另行制作</td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td></tr>
<tr><td>3．补正后申请内容仍不明确</td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td></tr>
<tr><td rowspan="5">（五）不予处理</td><td>1．信访举报投诉类申请</td><td><p class="MsoNormal" align="center"><span>1</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>1</span></p></td></tr>
<tr><td>2．重复申请</td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td></tr>
<tr><td>3．要求提供公开出版物</td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td></tr>
<tr><td>4．无正当理由大量反复申请</td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td></tr>
<tr><td>5．要求行政机关确认或重新出具已获取信息</td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td></tr>
<tr><td rowspan="3">（六）其他处理</td><td>1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请</td><td><p class="MsoNormal" align="center"><span>1</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>1</span></p></td></tr>
<tr><td>2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请</td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td></tr>
<tr><td>3．其他</td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td></tr>
<tr><td colspan="2">（七）总计</td><td><p class="MsoNormal" align="center"><span>32</span></p></td><td><p class="MsoNormal" align="center"><span>5</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>1</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>38</span></p></td></tr>
<tr><td colspan="3">四、结转下年度继续办理</td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>0</span></p></td><td><p class="MsoNormal" align="center"><span>1</span></p></td><td><p class="MsoNormal" align="center"><span>1</span></p></td></tr>
</table>
<p class="MsoNormal"><b>四、政府信息公开行政复议、行政诉讼情况</b></p>
<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0">
<tr><td colspan="5" rowspan="2">行政复议</td><td colspan="10">行政诉讼</td></tr>
<tr><td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>
<tr><td>结果<br>维持</td><td>结果<br>纠正</td><td>其他<br>结果</td><td>尚未<br>审结</td><td>总计</td>
<td>结果<br>维持</td><td>结果<br>纠正</td><td>其他<br>结果</td><td>尚未<br>审结</td><td>总计</td>
<td>结果<br>维持</td><td>结果<br>纠正</td><td>其他<br>结果</td><td>尚未<br>审结</td><td>总计</td></tr>
<tr><td>1</td><td>0</td><td>0</td><td>1</td><td>2</td><td>0</td><td>1</td><td>0</td><td>0</td><td>1</td>
<td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
</table></div>"""

# table 三 of WORD_HTML: row -> (自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计)
TABLE3 = {
    "new_received": ("30", "5", "0", "0", "1", "0", "36"),
    "carried_over": ("2", "0", "0", "0", "0", "1", "3"),
    "granted": ("20", "3", "0", "0", "1", "0", "24"),
    "partial": ("3", "1", "0", "0", "0", "0", "4"),
    "denied.state_secret": ("0",) * 7,
    "denied.law_forbidden": ("1", "0", "0", "0", "0", "0", "1"),
    "denied.security_stability": ("0",) * 7,
    "denied.third_party": ("1", "0", "0", "0", "0", "0", "1"),
    "denied.internal_affairs": ("0",) * 7,
    "denied.process_info": ("1", "0", "0", "0", "0", "0", "1"),
    "denied.enforcement_file": ("0",) * 7,
    "denied.admin_query": ("0",) * 7,
    "unable.not_held": ("4", "1", "0", "0", "0", "0", "5"),
    "unable.needs_creation": ("0",) * 7,
    "unable.unclear": ("0",) * 7,
    "not_processed.complaint": ("1", "0", "0", "0", "0", "0", "1"),
    "not_processed.repeat": ("0",) * 7,
    "not_processed.publication": ("0",) * 7,
    "not_processed.excessive": ("0",) * 7,
    "not_processed.confirmation": ("0",) * 7,
    "other.overdue_correction": ("1", "0", "0", "0", "0", "0", "1"),
    "other.overdue_fee": ("0",) * 7,
    "other.other": ("0",) * 7,
    "total_processed": ("32", "5", "0", "0", "1", "0", "38"),
    "carried_forward": ("0", "0", "0", "0", "0", "1", "1"),
}


def table(result, key):
    return {(c["row"], c["col"]): c["raw"] for c in result["cells"] if c["table"] == key}


def expected_table3(rows=TABLE3, cols=APPLICANTS):
    return {(row, col): raw for row, raws in rows.items() for col, raw in zip(cols, raws)}


@pytest.fixture(scope="module")
def word():
    return read_statistics(html_tables(WORD_HTML), [])


def test_word_html_format(word):
    assert word["format"] == "2021"


def test_word_html_active(word):
    assert table(word, "active") == {
        ("regulations", "issued"): "0", ("regulations", "repealed"): "", ("regulations", "in_force"): "2",
        ("normative_docs", "issued"): "5", ("normative_docs", "repealed"): "1",
        ("normative_docs", "in_force"): "37",
        ("licensing", "decisions"): "1352",
        ("punishment", "decisions"): "46",
        ("coercion", "decisions"): "0",
        ("fees", "amount"): "96171.6",
    }


def test_word_html_fee_unit_from_header(word):
    fee = next(c for c in word["cells"] if c["row"] == "fees")
    assert fee["value"] == 96171.6 and fee["unit"] == "万元"
    blank = next(c for c in word["cells"] if c["row"] == "regulations" and c["col"] == "repealed")
    assert blank["value"] is None and blank["raw"] == ""


def test_word_html_applications_with_three_other_rows(word):
    assert table(word, "applications") == expected_table3()
    assert len(table(word, "applications")) == 175


def test_word_html_review_litigation(word):
    got = table(word, "review_litigation")
    assert got[("cases", "review.upheld")] == "1"
    assert got[("cases", "review.pending")] == "1"
    assert got[("cases", "review.total")] == "2"
    assert got[("cases", "suit_direct.corrected")] == "1"
    assert got[("cases", "suit_direct.total")] == "1"
    assert got[("cases", "suit_after_review.total")] == "0"
    assert len(got) == 15


def test_word_html_checks_all_pass(word):
    assert {c["status"] for c in word["checks"]} == {"pass"}
    rules = {c["rule"] for c in word["checks"]}
    assert rules == {"applications.balance", "applications.results", "applications.row_total",
                     "review_litigation.total"}
    results_total = next(c for c in word["checks"] if c["rule"] == "applications.results" and c["at"] == "total")
    assert results_total["left"] == 38 and results_total["right"] == 38


# S-LG style: row per line with " | ", merged group labels only on their first sub-row,
# header cells with stray spaces.
ROW_LINES = [
    "二、主动公开政府信息情况",
    "第二十条第(一)项 |",
    "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
    "规章 | 0 | 0 | 0 |",
    "行政规范性文件 | 3 | 0 | 12 |",
    "第二十条第(五)项 |",
    "信息内容 | 本年处理决定数量 |",
    "行政许可 | 9 |",
    "第二十条第(六)项 |",
    "信息内容 | 本年处理决定数量 |",
    "行政处罚 | 2 |",
    "行政强制 | 0 |",
    "第二十条第(八)项 |",
    "信息内容 | 本年收费金额(单位:万元) |",
    "行政事业性收费 | 0 |",
    "三、收到和处理政府信息公开申请情况",
    "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |",
    "自然人 | 法人或其他组织 | 总计 |",
    "商业 企业 | 科研 机构 | 社会公益组织 | 法律服务机构 | 其他 |",
    "一、本年新收政府信息公开申请数量 | 58 | 7 | 0 | 0 | 1 | 0 | 66 |",
    "二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "三、本年度办理结果 | (一)予以公开 | 2 | 1 | 0 | 0 | 0 | 0 | 3 |",
    "(二)部分公开(区分处理的,只计这一情形,不计其他情形) | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "(三)不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "3.危及“三安全一稳定” | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "4.保护第三方合法权益 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "5.属于三类内部事务信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "6.属于四类过程性信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "7.属于行政执法案卷 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "8.属于行政查询事项 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "(四)无法提供 | 1.本机关不掌握相关政府信息 | 55 | 6 | 0 | 0 | 1 | 0 | 62 |",
    "2.没有现成信息需要另行制作 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "3.补正后申请内容仍不明确 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "(五)不予处理 | 1.信访举报投诉类申请 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
    "2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "3.要求提供公开出版物 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "4.无正当理由大量反复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "5.要求行政机关确认或重新出具已获取信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "(六)其他处理 | 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "3.其他 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "(七)总计 | 58 | 7 | 0 | 0 | 1 | 0 | 66 |",
    "四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "四、政府信息公开行政复议、行政诉讼情况",
    "行政复议 | 行政诉讼 |",
    "未经复议直接起诉 | 复议后起诉 |",
    "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |",
    "0 | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 |",
    "五、存在的主要问题及改进情况",
]


@pytest.fixture(scope="module")
def row_lines():
    return read_statistics([], ROW_LINES)


def test_row_lines_format_and_counts(row_lines):
    assert row_lines["format"] == "2021"
    assert len(table(row_lines, "active")) == 10
    assert len(table(row_lines, "applications")) == 175
    assert len(table(row_lines, "review_litigation")) == 15


def test_row_lines_values(row_lines):
    apps = table(row_lines, "applications")
    assert [apps[("new_received", c)] for c in APPLICANTS] == ["58", "7", "0", "0", "1", "0", "66"]
    assert [apps[("granted", c)] for c in APPLICANTS] == ["2", "1", "0", "0", "0", "0", "3"]
    assert [apps[("unable.not_held", c)] for c in APPLICANTS] == ["55", "6", "0", "0", "1", "0", "62"]
    assert apps[("other.other", "total")] == "0"
    assert table(row_lines, "active")[("normative_docs", "in_force")] == "12"
    fee = next(c for c in row_lines["cells"] if c["row"] == "fees")
    assert fee["unit"] == "万元" and fee["value"] == 0
    rl = table(row_lines, "review_litigation")
    assert rl[("cases", "suit_direct.upheld")] == "1" and rl[("cases", "suit_direct.total")] == "1"


def test_row_lines_checks_pass(row_lines):
    assert {c["status"] for c in row_lines["checks"]} == {"pass"}


# PDF text (S-PDF, S-FLIP1): numbers space-separated, a vertical merged label, wrapped and cut
# labels, broken header cells, a page footer inside the table, table 四's 15 values on one line.
PDF_LINES = [
    "三、收到和处理政府信息公开申请情况",
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） 申请人情况",
    "自然人 法人或其他组织 总计",
    "总计商 业 企",
    "业",
    "科研机",
    "构",
    "一、本年新收政府信息公开申请数量 3001 53 0 0 61 4 3119",
    "二、上年结转政府信息公开申请数量 10 0 0 0 0 0 10",
    "三、", "本", "年", "度", "办", "理", "结", "果",
    "（一）予以公开 1288 21 0 0 50 3 1362",
    "（二）部分公开（区分处理的，只计这一情",
    "形，不计其他情形） 447 7 0 0 0 0 454",
    "（三）不",
    "予公开",
    "1.属于国家秘密 2 0 0 0 0 0 2",
    "2.其他法律行政法规禁止公开 0 0 0 0 0 0 0",
    "- 4 -",
    "3.危及“三安全一稳定” 0 0 0 0 0 0 0",
    "（四）无 1.本机关不掌握相关政府信息 746 12 0 0 10 1 769",
    "法提供",
    "（六）其他处理",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 5 0 0 0 0 0 5",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 0 0 0 0 0 0 0",
    "3.其他 1 0 0 0 0 0 1",
    "（七）总计 2490 40 0 0 60 4 2594",
    "四、政府信息公开行政复议、行政诉讼情况",
    "结 结 其 尚",
    "果 果 他 未",
    "维 纠 结 审",
    "持 正 果 结",
    "0 0 0 0 0 2 0 0 0 2 0 0 0 0 0",
    "四、结转下年度继续办理 521 13 0 0 1 0 535",
]


@pytest.fixture(scope="module")
def pdf():
    return read_statistics([], PDF_LINES)


def test_pdf_text_rows(pdf):
    assert pdf["format"] == "2021"
    apps = table(pdf, "applications")
    assert [apps[("new_received", c)] for c in APPLICANTS] == ["3001", "53", "0", "0", "61", "4", "3119"]
    assert [apps[("partial", c)] for c in APPLICANTS] == ["447", "7", "0", "0", "0", "0", "454"]
    assert [apps[("denied.state_secret", c)] for c in APPLICANTS] == ["2", "0", "0", "0", "0", "0", "2"]
    assert [apps[("unable.not_held", c)] for c in APPLICANTS] == ["746", "12", "0", "0", "10", "1", "769"]
    assert [apps[("other.other", c)] for c in APPLICANTS] == ["1", "0", "0", "0", "0", "0", "1"]
    assert apps[("total_processed", "total")] == "2594"
    assert apps[("carried_forward", "natural_person")] == "521"
    assert not any(row.startswith("other:") for row, _ in apps)


def test_pdf_text_table_four_on_one_line(pdf):
    rl = table(pdf, "review_litigation")
    assert len(rl) == 15
    assert rl[("cases", "suit_direct.upheld")] == "2" and rl[("cases", "suit_direct.total")] == "2"


def test_pdf_text_missing_rows_make_checks_unknown(pdf):
    results = [c for c in pdf["checks"] if c["rule"] == "applications.results"]
    assert results and {c["status"] for c in results} == {"unknown"}
    balance = next(c for c in pdf["checks"] if c["rule"] == "applications.balance" and c["at"] == "total")
    # 3119 + 10 = 2594 + 535
    assert balance == {"rule": "applications.balance", "at": "total", "status": "pass",
                       "left": 3129, "right": 3129}


# A local variant: a 法人或其他组织 小计 column after 其他, numbers printed on group rows.
LOCAL_HTML = """<table border="1">
<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="8">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="6">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td><td>小计</td></tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>4</td><td>2</td><td>0</td><td>0</td><td>0</td><td>1</td><td>3</td><td>7</td></tr>
<tr><td colspan="3">二、上年结转政府信息公开申请数量</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td rowspan="6">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>2</td><td>1</td><td>0</td><td>0</td><td>0</td><td>1</td><td>2</td><td>4</td></tr>
<tr><td colspan="2">（二）部分公开</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td colspan="2">（三）不予公开</td><td>1</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td><td>2</td></tr>
<tr><td colspan="2">1．属于国家秘密</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td></tr>
<tr><td colspan="2">（四）无法提供</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td></tr>
<tr><td colspan="2">（七）总计</td><td>4</td><td>2</td><td>0</td><td>0</td><td>0</td><td>1</td><td>3</td><td>7</td></tr>
<tr><td colspan="3">四、结转下年度继续办理</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
</table>"""


@pytest.fixture(scope="module")
def local():
    return read_statistics(html_tables(LOCAL_HTML), [])


def test_local_subtotal_column_mapped_by_header(local):
    apps = table(local, "applications")
    cols = ("natural_person", "commercial", "research", "nonprofit", "legal_services", "other_org",
            "org_subtotal", "total")
    assert [apps[("new_received", c)] for c in cols] == ["4", "2", "0", "0", "0", "1", "3", "7"]
    assert [apps[("granted", c)] for c in cols] == ["2", "1", "0", "0", "0", "1", "2", "4"]


def test_local_subtotal_rows_kept_as_group_rows(local):
    apps = table(local, "applications")
    assert apps[("denied", "total")] == "2"
    assert apps[("denied.state_secret", "total")] == "1"
    assert apps[("unable", "natural_person")] == "1"


def test_local_subtotal_checks(local):
    checks = {(c["rule"], c["at"]): c for c in local["checks"]}
    assert checks[("applications.org_subtotal", "new_received")]["status"] == "pass"
    assert checks[("applications.row_total", "new_received")]["status"] == "pass"
    # the subtotal of （三）不予公开 needs all eight items; this table prints only one
    sub = checks[("applications.subtotal", "denied/commercial")]
    assert sub == {"rule": "applications.subtotal", "at": "denied/commercial", "status": "unknown",
                   "left": 1, "right": None}


def test_docx_like_grid_with_repeated_merged_cells():
    # python-docx repeats a merged cell's text with no span marks
    from govcrawl.document import Table

    rows = [
        ["信息内容", "本年处理决定数量", "本年处理决定数量", "本年处理决定数量"],
        ["行政许可", "12", "12", "12"],
        ["行政处罚", "3", "3", "3"],
        ["行政强制", "0", "0", "0"],
        ["信息内容", "本年收费金额（单位：万元）", "本年收费金额（单位：万元）", "本年收费金额（单位：万元）"],
        ["行政事业性收费", "1.25", "1.25", "1.25"],
    ]
    result = read_statistics([Table(rows=rows, caption="第二十条第（五）项")], [])
    assert result["format"] == "2021"
    assert table(result, "active") == {("licensing", "decisions"): "12", ("punishment", "decisions"): "3",
                                       ("coercion", "decisions"): "0", ("fees", "amount"): "1.25"}
    fee = next(c for c in result["cells"] if c["row"] == "fees")
    assert fee["unit"] == "万元" and fee["value"] == 1.25


def test_table_four_alone_is_read_as_the_newest_layout():
    # tables 三 and 四 are the same in 2019 and 2021; nothing else printed tells them apart
    lines = ROW_LINES[ROW_LINES.index("四、政府信息公开行政复议、行政诉讼情况"):]
    result = read_statistics([], lines)
    assert result["format"] == "2021"
    assert len(table(result, "review_litigation")) == 15


def test_a_footer_grid_after_the_tables_adds_no_rows():
    markup = WORD_HTML.replace("</table></div>", "</table><table><tr><td>网站标识码</td><td>5204000001</td></tr>"
                               "<tr><td>访问量</td><td>123456</td></tr></table></div>")
    result = read_statistics(html_tables(markup), [])
    assert not [c for c in result["cells"] if c["row"].startswith("other:")]
    assert len(result["cells"]) == 10 + 175 + 15
