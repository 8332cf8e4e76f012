"""2019 format (国办公开办函〔2019〕60号): seed 001 (cell per line with `||` runs) and variants.

Expected values are written by hand from fixtures/seeds/001_*.txt.
"""

from __future__ import annotations

import pytest

from govcrawl import PROJECT_ROOT
from govcrawl.extract.tables import html_tables
from govcrawl.parse.statistics import read_statistics

SEEDS = PROJECT_ROOT / "fixtures" / "seeds"
APPLICANTS = ("natural_person", "commercial", "research", "nonprofit", "legal_services", "other_org", "total")


def seed_lines(prefix: str) -> list[str]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def table(result, key):
    return {(c["row"], c["col"]): c["raw"] for c in result["cells"] if c["table"] == key}


@pytest.fixture(scope="module")
def seed001():
    return read_statistics([], seed_lines("001"))


def test_seed001_format(seed001):
    assert seed001["format"] == "2019"


def test_seed001_active_every_cell(seed001):
    assert table(seed001, "active") == {
        ("regulations", "new_made"): "0",
        ("regulations", "new_published"): "0",
        ("regulations", "total_published"): "0",
        ("normative_docs", "new_made"): "26",
        ("normative_docs", "new_published"): "10",
        ("normative_docs", "total_published"): "25",
        ("licensing", "prev_items"): "0",
        ("licensing", "change"): "0",
        ("licensing", "decisions"): "0",
        ("other_services", "prev_items"): "0",
        ("other_services", "change"): "0",
        ("other_services", "decisions"): "0",
        ("punishment", "prev_items"): "0",
        ("punishment", "change"): "0",
        ("punishment", "decisions"): "0",
        # `行政强制 |` + `||||`: three blank cells, not zeros
        ("coercion", "prev_items"): "",
        ("coercion", "change"): "",
        ("coercion", "decisions"): "",
        ("fees", "prev_items"): "",
        ("fees", "change"): "",
        ("procurement", "items"): "23",
        ("procurement", "amount"): "43027665.50元",
    }


def test_seed001_blank_cells_are_null(seed001):
    coercion = [c for c in seed001["cells"] if c["row"] == "coercion"]
    assert [c["value"] for c in coercion] == [None, None, None]


def test_seed001_procurement_amount_in_yuan(seed001):
    amount = next(c for c in seed001["cells"] if c["row"] == "procurement" and c["col"] == "amount")
    assert amount == {"table": "active", "row": "procurement", "col": "amount", "value": 43027665.5,
                      "raw": "43027665.50元", "unit": "元"}


def test_seed001_applications_every_cell(seed001):
    rows = (
        "new_received", "carried_over", "granted", "partial",
        "denied.state_secret", "denied.law_forbidden", "denied.security_stability", "denied.third_party",
        "denied.internal_affairs", "denied.process_info", "denied.enforcement_file", "denied.admin_query",
        "unable.not_held", "unable.needs_creation", "unable.unclear",
        "not_processed.complaint", "not_processed.repeat", "not_processed.publication",
        "not_processed.excessive", "not_processed.confirmation",
        "other", "total_processed", "carried_forward",
    )
    printed = {
        # row: (自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计) as printed
        "new_received": ("3", "0", "0", "0", "0", "0", "3"),
        "granted": ("1", "0", "0", "0", "0", "0", "1"),
        "partial": ("2", "0", "0", "0", "0", "0", "2"),
        "total_processed": ("6", "0", "0", "0", "0", "0", "6"),
    }
    expected = {}
    for row in rows:
        for col, raw in zip(APPLICANTS, printed.get(row, ("0",) * 7)):
            expected[(row, col)] = raw
    assert table(seed001, "applications") == expected
    assert len(expected) == 161


def test_seed001_review_litigation_every_cell(seed001):
    cols = [f"{b}.{c}" for b in ("review", "suit_direct", "suit_after_review")
            for c in ("upheld", "corrected", "other", "pending", "total")]
    assert table(seed001, "review_litigation") == {("cases", c): "0" for c in cols}


def test_seed001_cell_count(seed001):
    assert len(seed001["cells"]) == 22 + 161 + 15


# Hubei variant (S-NEWTON): Traditional characters, long instructions in labels and headers,
# `-` placeholders, an extra 其他主动公开文件 row, `减` in 本年增/减.
HUBEI = [
    "二、主動公開政府信息情況",
    "第二十條第(一)項 | |||||",
    "信息內容 | 本年新制作數量 | 本年新公開數量 | 對外公開總數量 | ||",
    "規章(設區的市、自治州人民政府應提供相關數據) | 0 | 0 | 0 | ||",
    "規範性檔案(行政機關制定發布的決定、公告、通告、意見、通知等) | 12 | 12 | 80 | ||",
    "其他主動公開文件(除規章、規範性檔案以外) | 30 | 30 | 154 | ||",
    "第二十條第(五)項 | |||||",
    "信息內容 | 上一年項目數量(指2019年事項數) | 本年增/減(指2020年增加或減少的事項數,減用負值表示,如-8) | 處理決定數量 | ||",
    "行政許可 | 13 | 減4 | 1200 | ||",
    "其他對外管理服務事項 | 2 | -1 | 9 | ||",
    "第二十條第(六)項 | |||||",
    "信息內容 | 上一年項目數量 | 本年增/減 | 處理決定數量 | ||",
    "行政處罰 | 6 | 0 | 52 | ||",
    "行政強制 | 4 | 4 | - | ||",
]


def test_hubei_traditional_variant():
    result = read_statistics([], HUBEI)
    assert result["format"] == "2019"
    cells = {(c["row"], c["col"]): c for c in result["cells"]}
    assert cells[("normative_docs", "total_published")]["value"] == 80
    assert cells[("other:其他主动公开文件(除规章、规范性档案以外)", "new_made")]["value"] == 30
    assert cells[("licensing", "change")]["raw"] == "減4" and cells[("licensing", "change")]["value"] == -4
    assert cells[("other_services", "change")]["value"] == -1
    assert cells[("coercion", "decisions")]["raw"] == "-" and cells[("coercion", "decisions")]["value"] is None
    assert cells[("coercion", "change")]["value"] == 4


def test_2019_html_word_table_with_truncated_headers():
    markup = """
    <p>第二十条第（一）项</p>
    <table class="MsoNormalTable" border="1">
    <tr><td><p class="MsoNormal">信息内容</p></td><td>本年新<br>制作数量</td><td>本年新<br>公开数量</td><td>对外公开总数量</td></tr>
    <tr><td>规章</td><td>1</td><td>&nbsp;</td><td>５</td></tr>
    <tr><td>规范性文件</td><td>2</td><td>2</td><td>——</td></tr>
    </table>
    <table class="MsoNormalTable" border="1">
    <tr><td colspan="2">第二十条第（九）项</td></tr>
    <tr><td>信息内容</td><td>采购项目数量</td><td>采购总金额</td></tr>
    <tr><td>政府集中采购</td><td>3</td><td>52.15</td></tr>
    </table>"""
    result = read_statistics(html_tables(markup), [])
    assert result["format"] == "2019"
    assert table(result, "active") == {
        ("regulations", "new_made"): "1", ("regulations", "new_published"): "",
        ("regulations", "total_published"): "５",
        ("normative_docs", "new_made"): "2", ("normative_docs", "new_published"): "2",
        ("normative_docs", "total_published"): "——",
        ("procurement", "items"): "3", ("procurement", "amount"): "52.15",
    }


def test_2019_single_other_row_is_2019_even_without_table_two():
    lines = seed_lines("001")
    start = next(i for i, line in enumerate(lines) if line.startswith("三、收到和处理"))
    assert read_statistics([], lines[start:])["format"] == "2019"


def test_2019_html_truncated_header_in_two_cells():
    # seed 001's page prints the two wrapped headers as two separate `本年新` cells
    markup = """<table><tr><td colspan="4">第二十条第(一)项</td></tr>
    <tr><td>信息内容</td><td>本年新</td><td>本年新</td><td>对外公开总数量</td></tr>
    <tr><td>规章</td><td>0</td><td>1</td><td>2</td></tr></table>"""
    result = read_statistics(html_tables(markup), [])
    assert table(result, "active") == {("regulations", "new_made"): "0", ("regulations", "new_published"): "1",
                                       ("regulations", "total_published"): "2"}


def test_group_label_followed_by_unlabeled_numbers_is_dealt_by_count():
    # S-OW: the eight labels under （三）不予公开 vanished, 8 x 7 numbers follow the group label
    numbers = [str(i) for i in range(56)]
    lines = (["三、收到和处理政府信息公开申请情况", "(一)予以公开 |"] + ["1 |"] * 7
             + ["(三)不予公开 |"] + [f"{n} |" for n in numbers]
             + ["(四)无法提供 |", "1.本机关不掌握相关政府信息 |"] + ["2 |"] * 7
             + ["(六)其他处理 |"] + ["0 |"] * 7)
    result = read_statistics([], lines)
    apps = table(result, "applications")
    assert [apps[("denied.state_secret", c)] for c in APPLICANTS] == numbers[0:7]
    assert [apps[("denied.admin_query", c)] for c in APPLICANTS] == numbers[49:56]
    assert apps[("unable.not_held", "total")] == "2"
    assert ("denied", "total") not in apps


# A Traditional-character SEO mirror of a 2019 report (dibdj.com copy of a 岳阳 page): characters
# glossed with tone-marked pinyin, cells one per line, row ends as a bare `|` line.
MIRROR = [
    "二、主動(dòng)公開(kāi)政府信息情況",
    "第二十條第(一)項(xiàng) |", "||||",
    "信息內(nèi)容 |", "本年新 制作數(shù)量 |", "本年新 公開(kāi)數(shù)量 |", "對(duì)外公開(kāi)總數(shù)量 |", "|",
    "規(guī)章 |", "0 |", "0 |", "0 |", "|",
    "規(guī)范性文件 |", "0 |", "0 |", "0 |", "|",
    "第二十條第(五)項(xiàng) |", "||||",
    "信息內(nèi)容 |", "上一年項(xiàng)目數(shù)量 |", "本年增/減 |", "處理決定數(shù)量 |", "|",
    "行政許可 |", "0 |", "0 |", "0 |", "|",
    "其他對(duì)外管理服務(wù)事項(xiàng) |", "19 |", "7 |", "0 |", "|",
]


def test_traditional_mirror_with_tone_marked_pinyin():
    result = read_statistics([], MIRROR)
    assert result["format"] == "2019"
    assert table(result, "active") == {
        ("regulations", "new_made"): "0", ("regulations", "new_published"): "0",
        ("regulations", "total_published"): "0",
        ("normative_docs", "new_made"): "0", ("normative_docs", "new_published"): "0",
        ("normative_docs", "total_published"): "0",
        ("licensing", "prev_items"): "0", ("licensing", "change"): "0", ("licensing", "decisions"): "0",
        ("other_services", "prev_items"): "19", ("other_services", "change"): "7",
        ("other_services", "decisions"): "0",
    }
