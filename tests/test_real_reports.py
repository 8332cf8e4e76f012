"""Real report texts (tests/files/real/): stored copies of published pages, kept as retrieved.

Each file starts with `# source: <url>`; the loader strips that line and parses the rest the way
`govcrawl parse` does (`record_from_bytes(text.encode(), url, kind="text")`). Most copies are the
first part of a page (the stored copy ends mid-table), so the checks that need the missing rows are
`unknown`. Every expected value below was read by hand from the file's text, not from the parser.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from govcrawl.ingest import record_from_bytes

REAL = Path(__file__).parent / "files" / "real"


def load(name: str) -> tuple[str, str]:
    """(source url, text without the `# source:` line)."""
    raw = (REAL / name).read_text(encoding="utf-8")
    first, _, body = raw.partition("\n")
    assert first.startswith("# source: "), name
    return first[len("# source: "):].strip(), body


@cache
def record(name: str) -> dict:
    url, body = load(name)
    return record_from_bytes(body.encode("utf-8"), url, kind="text")


def cells(name: str, table: str) -> dict[tuple[str, str], str]:
    """(row, col) -> raw, for one table."""
    return {(c["row"], c["col"]): c["raw"] for c in record(name)["cells"] if c["table"] == table}


def cell(name: str, table: str, row: str, col: str) -> dict:
    found = [c for c in record(name)["cells"] if (c["table"], c["row"], c["col"]) == (table, row, col)]
    assert len(found) == 1, (name, table, row, col, found)
    return found[0]


def check(name: str, rule: str, at: str) -> dict:
    found = [k for k in record(name)["checks"] if (k["rule"], k["at"]) == (rule, at)]
    assert len(found) == 1, (name, rule, at)
    return found[0]


A21 = ("issued", "repealed", "in_force")
A19 = ("new_made", "new_published", "total_published")
APPLICANTS = ("natural_person", "commercial", "research", "nonprofit", "legal_services", "other_org", "total")
T4 = tuple(f"{g}.{c}" for g in ("review", "suit_direct", "suit_after_review")
           for c in ("upheld", "corrected", "other", "pending", "total"))


# --- identity: format, year, agency, title, is_report ------------------------------------------

IDENTITY = [
    # file, format, year, agency, title, is_report
    # 001, 002: the agency is named only in the contact sentence (this table said "" before)
    ("001_laifeng_2021.txt", "2021", 2021, "来凤县政务服务和大数据管理局", "", True),
    ("002_zhashui_fenghuang_2021_trad.txt", "2021", 2021, "柞水县凤凰镇人民政府", "", True),
    ("003_yueyang_xinfang_2021.txt", "2021", 2021, "岳阳市信访局", "岳阳市信访局2021年政府信息公开工作年度报告", True),
    ("004_baokang_nongye_2021.txt", "2021", 2021, "保康县农业农村局", "政府信息公开工作年度报告", True),
    ("005_longgang_2024.txt", "2021", 2024, "", "", True),
    ("006_flipbook_shenji_2020.txt", "2019", 2020, "", "2020年报", True),
    ("007_owenbabies_2019.txt", "2019", None, "", "", True),
    ("008_wuhan_sthj_2020_trad.txt", "2019", 2020, "", "", True),
    ("009_wuhai_gxj_2020.txt", "2019", 2020, "乌海市工业和信息化局",
     "乌海市工业和信息化局政府信息公开工作年度报告", True),
    ("010_xixian_taiping_2022.txt", "2021", 2022, "太平镇人民政府", "太平镇人民政府2022年政府信息公开工作年度报告", True),
    ("011_cqsdj_2022.txt", "2021", 2022, "", "", True),
    ("012_taojiang_songmutang_2022.txt", "2021", 2022, "桃江县松木塘镇人民政府",
     "桃江县松木塘镇人民政府2022年政府信息公开工作年度报告", True),
    ("013_jiaxian_xizhen_2022.txt", "2019", 2022, "螅镇", "2022年度螅镇政府信息公开工作年度报告", True),
    ("014_mz_town_2022.txt", "2021", 2022, "", "", True),
    ("015_xinle_matoupu_2022.txt", "none", 2022, "马头铺镇人民政府", "马头铺镇人民政府2022年度政府信息公开工作年度报告", True),
    ("016_taizhou_2017.txt", "none", 2017, "泰州市人民政府", "", True),
    ("017_shulan_scjg_2016.txt", "none", 2016, "舒兰市市场监督管理局", "舒兰市市场监督管理局2016年政务信息公开年度报告", True),
    ("018_suzhou_ah_2016.txt", "none", 2016, "宿州市人民政府", "宿州市人民政府2016年政府信息公开工作年度报告", True),
    ("019_jinan_fz_2016.txt", "none", 2016, "福州市晋安区", "福州市晋安区2016年政府信息公开工作年度报告", True),
    ("020_shanghai_2022.txt", "none", 2022, "上海市", "2022年上海市政府信息公开工作年度报告", True),
    ("021_wuhan_2018.txt", "none", 2018, "武汉市", "2018年武汉市政府信息公开工作年度报告", True),
    # 022, 026: the agency is a name to join on, returned in Simplified (it was printed Traditional)
    ("022_huaihua_tjj_2016_trad.txt", "none", 2016, "怀化市统计局", "", True),
    ("023_xianning_zwsj_2025.txt", "none", 2025, "咸宁市政务服务和大数据管理局",
     "咸宁市政务服务和大数据管理局2025年政府信息公开工作年度报告", True),
    ("024_suqian_2017.txt", "none", 2017, "宿迁市", "宿迁市2017年政府信息公开年度报告", True),
    ("025_qianlima_tongjibiao.txt", "statistics", 2023, "", "【公开制度】****信息公开统计制度", False),
    ("026_guangzhou_2012_trad.txt", "none", 2012, "广州市人民政府", "", True),
    ("027_hongkou_lzq_2019.txt", "2019", 2019, "", "", True),
    ("028_tongzhou_xinhua_2019.txt", "2019", 2019, "", "", True),
    ("029_hetang_guihua_2019.txt", "2019", 2019, "荷塘区桂花街道办事处", "", True),
    ("030_ruian_dongcheng_2019.txt", "2019", 2019, "puroview.com东城街道",
     "puroview.com东城街道2019年政府信息公开工作年度报告", True),
    ("031_yuyang_tuofenglu_2020.txt", "2019", 2020, "驼峰路街道办事处", "驼峰路街道办事处政府信息公开工作年度报告", True),
    ("032_longquan_xijie_2019.txt", "none", 2019, "西街街道", "2019年西街街道政府信息公开工作年度报告", True),
    ("033_shenyang_yingbinlu_2021.txt", "none", 2021, "迎宾路街道", "2021年迎宾路街道政府信息公开工作年度报告", True),
    ("034_dingxi_baobiao_form.txt", "statistics", None, "", "", False),
    # towns, street offices and district bureaus of 广东, 河北, 湖南, 山东, 湖北, 浙江, 江苏 (and one
    # district bureau whose province the page does not say)
    ("035_heshan_longkou_2022.txt", "2021", 2022, "龙口镇", "", True),
    ("036_qu_tjj_2023.txt", "2021", 2023, "区统计局", "", True),
    ("037_sjzca_tjj_2023.txt", "2021", 2023, "", "2023年政府信息公开工作年度报告", True),
    ("038_yuanjiang_huangmaozhou_2021.txt", "2021", 2021, "黄茅洲镇人民政府", "", True),
    ("039_weishan_liangcheng_2020.txt", "2019", 2020, "两城镇人民政府", "", True),
    ("040_tianmen_tuoshi_2020.txt", "2019", 2020, "拖市镇", "拖市镇2020年政府信息公开工作年度报告", True),
    ("041_tianmen_tuoshi_2020_trad.txt", "2019", 2020, "拖市镇", "拖市鎮2020年政府信息公開工作年度報告", True),
    ("042_binjiang_changhe_2023.txt", "none", 2023, "杭州市滨江区人民政府长河街道办事处", "", True),
    ("043_binjiang_changhe_2023_trad.txt", "none", 2023, "杭州市滨江区人民政府长河街道办事处", "", True),
    ("044_huadu_rsj_2022_trad.txt", "none", 2022, "广州市花都区人力资源和社会保障局",
     "廣州市花都區人力資源和社會保障局2022年政府信息公開工作年度報告", True),
    ("045_liwan_nanyuan_2020.txt", "2019", 2020, "广州市荔湾区人民政府南源街道办事处",
     "广州市荔湾区人民政府南源街道办事处2020年政府信息公开工作年度报告", True),
    ("046_huangpi_street_2020.txt", "2019", 2020, "", "", True),
    ("047_xiangzhou_rsj_2022.txt", "none", 2022, "襄州区人社局", "", True),
    ("048_zhangjiagang_fenghuang_2023.txt", "none", 2023, "张家港市凤凰镇", "凤凰镇2023年政府信息公开工作年度报告", True),
    ("049_tongzhou_wujie_2023_trad.txt", "none", 2023, "南通市通州区五接镇人民政府", "", True),
    ("050_yuecheng_donghu_2023.txt", "2021", 2023, "绍兴市越城区东湖街道", "", True),
]


@pytest.mark.parametrize("name,fmt,year,agency,title,is_report", IDENTITY, ids=[i[0][:3] for i in IDENTITY])
def test_identity(name, fmt, year, agency, title, is_report):
    rec = record(name)
    assert (rec["format"], rec["year"], rec["agency"], rec["title"], rec["is_report"]) == \
        (fmt, year, agency, title, is_report)


def test_every_real_file_is_covered():
    assert sorted(p.name for p in REAL.glob("*.txt")) == sorted(i[0] for i in IDENTITY)


@pytest.mark.parametrize("name", [i[0] for i in IDENTITY], ids=[i[0][:3] for i in IDENTITY])
def test_source_line_is_not_parsed(name):
    assert "# source" not in record(name)["text"]


# --- published dates, signatures, meta -------------------------------------------------------

@pytest.mark.parametrize("name,published", [
    ("013_jiaxian_xizhen_2022.txt", "2023-01-31"),       # 发布时间:2023-01-31 13:24
    ("016_taizhou_2017.txt", "2018-02-28"),              # 发文日期 | 2018-02-28
    ("017_shulan_scjg_2016.txt", "2017-02-23"),          # 发布日期:2017-02-23
    ("019_jinan_fz_2016.txt", "2017-01-12"),             # 时间:2017-01-12 10:01
    ("021_wuhan_2018.txt", "2019-03-04"),                # 日期:2019年03月04日
    ("023_xianning_zwsj_2025.txt", "2026-01-28"),        # 发布日期:2026-01-28来源:
    ("024_suqian_2017.txt", "2018-02-26"),               # 发文日期 2018-02-26
    ("025_qianlima_tongjibiao.txt", "2024-06-13"),
    ("018_suzhou_ah_2016.txt", None),                    # only `2017年3月` under the title
    ("030_ruian_dongcheng_2019.txt", "2020-01-15"),      # 发布时间:2020-01-15
    ("033_shenyang_yingbinlu_2021.txt", "2022-01-18"),   # `2022年01月18日来源:1`
])
def test_published(name, published):
    assert record(name)["published"] == published


def test_dateline_under_title_is_not_a_signature():
    # `2017年2月23日)` under the title of a copy cut before its closing lines: no signature, and
    # the sections are not cut off at it
    rec = record("017_shulan_scjg_2016.txt")
    assert rec["signature"] is None
    assert [s["heading"] for s in rec["sections"]] == ["一、基本工作情况"]


def test_meta_block_with_spaced_labels():
    assert record("016_taizhou_2017.txt")["meta"] == {
        "索引号": "014416330/2018-04736", "分类": "政府信息公开年报 综合政务,文秘工作 其他",
        "发布机构": "市政府办", "发文日期": "2018-02-28", "文号": "", "有效性": ""}


def test_meta_block_opened_by_name_line():
    meta = record("024_suqian_2017.txt")["meta"]
    assert meta["名称"] == "宿迁市2017年政府信息公开年度报告"
    assert meta["索引号"] == "00000001/2018-00042"
    assert meta["发布机构"] == "宿迁市人民政府办公室"
    assert not record("024_suqian_2017.txt")["text"].startswith("名称")


# --- boilerplate --------------------------------------------------------------------------------

def test_breadcrumb_printed_one_piece_per_line_is_removed():
    text = record("015_xinle_matoupu_2022.txt")["text"]
    assert "当前位置" not in text and "> 政府信息公开" not in text and "> 2022年" not in text
    assert text.startswith("本报告依据《中华人民共和国政府信息公开条例》")


def test_flipbook_page_marker_is_removed():
    text = record("006_flipbook_shenji_2020.txt")["text"]
    assert not text.startswith("P. 9") and "\nP. 9\n" not in text
    assert text.startswith("四、结转下年度继续办理 0 0 0 0 0 0 0")


def test_heading_repeats_are_not_body_text():
    assert record("012_taojiang_songmutang_2022.txt")["text"].startswith("一、总体情况")
    assert record("015_xinle_matoupu_2022.txt")["text"].count("2022年政府信息公开工作年度报告") == 0


def test_byline_and_font_bar_removed():
    text = record("013_jiaxian_xizhen_2022.txt")["text"]
    assert "字体" not in text and "浏览次数" not in text and "打印" not in text


# --- sections -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name,headings", [
    ("002_zhashui_fenghuang_2021_trad.txt", ["一、總體情況", "二、主動公開政府信息情況", "三、收到和處理政府信息公開申請情況"]),
    ("005_longgang_2024.txt", ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]),
    ("022_huaihua_tjj_2016_trad.txt", ["一、概述", "二、主動(dòng)公開政府信息情況", "三、依申請(qǐng)公開政府信息情況",
                                       "四、咨詢情況"]),
])
def test_sections(name, headings):
    assert [s["heading"] for s in record(name)["sections"]] == headings


# --- table 二 (active) ---------------------------------------------------------------------------

def test_laifeng_table2_row_per_line_with_bar_padding():
    got = cells("001_laifeng_2021.txt", "active")
    assert got == {(r, c): "0" for r in ("regulations", "normative_docs") for c in A21}


def test_yueyang_cell_per_line_slash_placeholders():
    name = "003_yueyang_xinfang_2021.txt"
    for c in A21:
        p = cell(name, "active", "regulations", c)
        assert (p["raw"], p["value"]) == ("/", None)
    assert [cell(name, "active", "normative_docs", c)["value"] for c in A21] == [21, 0, 21]
    for row in ("licensing", "punishment", "coercion"):
        assert cell(name, "active", row, "decisions")["raw"] == "/"
    fees = cell(name, "active", "fees", "amount")
    assert (fees["raw"], fees["value"], fees["unit"]) == ("/", None, "万元")


def test_baokang_blank_licensing_and_glossed_regulations_label():
    name = "004_baokang_nongye_2021.txt"
    # `规章(县级无此项) | 0 | 0 | 0 |`
    assert [cell(name, "active", "regulations", c)["value"] for c in A21] == [0, 0, 0]
    lic = cell(name, "active", "licensing", "decisions")
    assert (lic["raw"], lic["value"]) == ("", None)   # `行政许可 | |||`: blank, not 0
    assert cell(name, "active", "punishment", "decisions")["value"] == 5
    assert cell(name, "active", "coercion", "decisions")["value"] == 0
    assert cell(name, "active", "fees", "amount")["unit"] == "万元"


def test_traditional_mirror_table2_and_unit():
    name = "002_zhashui_fenghuang_2021_trad.txt"
    assert all(cell(name, "active", r, c)["raw"] == "0" for r in ("regulations", "normative_docs") for c in A21)
    for row in ("licensing", "punishment", "coercion"):
        assert cell(name, "active", row, "decisions")["value"] == 0
    fees = cell(name, "active", "fees", "amount")
    # `本年收費金額(單位:萬元)`
    assert (fees["value"], fees["unit"]) == (0, "万元")


def test_owen_2019_cell_per_line_table2():
    name = "007_owenbabies_2019.txt"
    assert all(cell(name, "active", r, c)["value"] == 0 for r in ("regulations", "normative_docs") for c in A19)
    lic = [cell(name, "active", "licensing", c) for c in ("prev_items", "change", "decisions")]
    assert [(x["raw"], x["value"]) for x in lic] == [("6", 6), ("减4", -4), ("2", 2)]
    assert [cell(name, "active", "punishment", c)["value"] for c in ("prev_items", "change", "decisions")] == [2, 0, 2]
    assert [cell(name, "active", "fees", c)["value"] for c in ("prev_items", "change")] == [0, 0]
    assert cell(name, "active", "procurement", "items")["value"] == 6
    assert cell(name, "active", "procurement", "amount")["value"] == 52.15


def test_hubei_traditional_variant_with_glossed_labels():
    name = "008_wuhan_sthj_2020_trad.txt"
    assert [cell(name, "active", "normative_docs", c)["value"] for c in A19] == [2, 2, 19]
    # the Hubei extra row 其他主动公开文件 (檔案 on this mirror) with a long gloss is kept as other:
    other = [c for c in record(name)["cells"] if c["row"].startswith("other:其他主动公开")]
    assert [c["value"] for c in other] == [186, 86, 255]
    assert [c["col"] for c in other] == list(A19)
    assert [cell(name, "active", "licensing", c)["value"] for c in ("prev_items", "change", "decisions")] == [8, 5, 93]
    assert [cell(name, "active", "other_services", c)["value"]
            for c in ("prev_items", "change", "decisions")] == [117, 0, 165]
    assert [cell(name, "active", "punishment", c)["value"] for c in ("prev_items", "change", "decisions")] == [90, 0, 22]
    coercion = [cell(name, "active", "coercion", c) for c in ("prev_items", "change", "decisions")]
    assert [(x["raw"], x["value"]) for x in coercion] == [("4", 4), ("4", 4), ("-", None)]
    assert [cell(name, "active", "fees", c)["raw"] for c in ("prev_items", "change")] == ["", ""]


def test_wuhai_split_headers_and_signed_changes():
    name = "009_wuhai_gxj_2020.txt"
    # header `本年新 | 本年新 | 对外公开总数量`
    assert all(cell(name, "active", r, c)["value"] == 0 for r in ("regulations", "normative_docs") for c in A19)
    assert [cell(name, "active", "licensing", c)["value"] for c in ("prev_items", "change", "decisions")] == [1, 0, 0]
    svc = [cell(name, "active", "other_services", c) for c in ("prev_items", "change", "decisions")]
    assert [(x["raw"], x["value"]) for x in svc] == [("2", 2), ("+2", 2), ("114", 114)]
    pun = [cell(name, "active", "punishment", c) for c in ("prev_items", "change", "decisions")]
    assert [(x["raw"], x["value"]) for x in pun] == [("25", 25), ("-1", -1), ("0", 0)]


def test_cells_with_line_breaks_inside():
    name = "011_cqsdj_2022.txt"
    assert all(cell(name, "active", r, c)["raw"] == "0" for r in ("regulations", "normative_docs") for c in A21)
    assert cell(name, "active", "licensing", "decisions")["value"] == 0


def test_taojiang_leading_bar_rows():
    name = "012_taojiang_songmutang_2022.txt"
    assert [cell(name, "active", "regulations", c)["value"] for c in A21] == [2, 0, 2]
    assert [cell(name, "active", "normative_docs", c)["value"] for c in A21] == [2, 0, 2]
    assert cell(name, "active", "punishment", "decisions")["value"] == 9
    assert cell(name, "active", "licensing", "decisions")["value"] == 0


def test_empty_2019_skeleton_has_no_cells():
    # a 2022 report printed on the 2019 form with no numbers at all: each row label is printed
    # with no cell after it (the page dropped its empty paragraphs), so there is no cell to keep
    # (this test used to expect a blank cell per column of every row: cells the text does not
    # print); the form is still read as the 2019 layout, and every identity is unknown
    rec = record("013_jiaxian_xizhen_2022.txt")
    assert rec["cells"] == []
    assert rec["format"] == "2019"
    assert rec["checks"] and {k["status"] for k in rec["checks"]} == {"unknown"}


# --- table 三 (applications) ---------------------------------------------------------------------

def test_longgang_table3_rows():
    name = "005_longgang_2024.txt"
    expected = {
        "new_received": [58, 7, 0, 0, 1, 0, 66],
        "carried_over": [2, 0, 0, 0, 0, 0, 2],
        "granted": [2, 1, 0, 0, 0, 0, 3],
        "partial": [16, 1, 0, 0, 0, 0, 17],
        "denied.state_secret": [0] * 7,
        "denied.law_forbidden": [0] * 7,
        "denied.security_stability": [0] * 7,
        "denied.third_party": [0] * 7,
        "denied.internal_affairs": [1, 0, 0, 0, 0, 0, 1],
        "denied.process_info": [0] * 7,
    }
    for row, values in expected.items():
        assert [cell(name, "applications", row, c)["value"] for c in APPLICANTS] == values, row
    # the copy ends inside `7.属于行政执法案卷` after six numbers: no 总计 cell is invented
    assert [cell(name, "applications", "denied.enforcement_file", c)["value"] for c in APPLICANTS[:6]] == [0] * 6
    assert not [c for c in record(name)["cells"] if c["row"] == "denied.enforcement_file" and c["col"] == "total"]


def test_longgang_row_totals_and_missing_rows():
    name = "005_longgang_2024.txt"
    for row in ("new_received", "carried_over", "granted", "partial", "denied.internal_affairs"):
        assert check(name, "applications.row_total", row)["status"] == "pass"
    # 总计 and 结转 rows are beyond the stored copy
    assert check(name, "applications.balance", "total")["status"] == "unknown"


def test_traditional_mirror_table3_one_number_rows():
    # `一、本年新收政府信息公開申請數量 | 0 | ||||||||`: one printed 0, the rest blank
    name = "002_zhashui_fenghuang_2021_trad.txt"
    for row in ("new_received", "carried_over", "granted"):
        assert cell(name, "applications", row, "natural_person")["raw"] == "0"
        assert [cell(name, "applications", row, c)["raw"] for c in APPLICANTS[1:]] == [""] * 6


def test_owen_table3_cell_per_line():
    name = "007_owenbabies_2019.txt"
    for row in ("new_received", "carried_over", "granted", "partial"):
        assert [cell(name, "applications", row, c)["raw"] for c in APPLICANTS] == ["0"] * 7, row


def test_paragraph_per_cell_table3_with_split_group_label():
    # one cell per paragraph; the merged label printed as `(三)` / `不予公开` / `1.属于国家秘密`
    name = "010_xixian_taiping_2022.txt"
    for row in ("new_received", "carried_over", "granted", "partial", "denied.state_secret",
                "denied.law_forbidden", "denied.security_stability"):
        assert [cell(name, "applications", row, c)["raw"] for c in APPLICANTS] == ["0"] * 7, row
    for row in ("new_received", "granted", "denied.state_secret"):
        assert check(name, "applications.row_total", row)["status"] == "pass"


# --- table 四 (review_litigation), PDF/flipbook text --------------------------------------------

def test_flipbook_table4_and_carried_forward():
    name = "006_flipbook_shenji_2020.txt"
    assert [cell(name, "review_litigation", "cases", c)["raw"] for c in T4] == ["0"] * 15
    assert [cell(name, "applications", "carried_forward", c)["value"] for c in APPLICANTS] == [0] * 7
    for at in ("review", "suit_direct", "suit_after_review"):
        assert check(name, "review_litigation.total", at)["status"] == "pass"


def test_only_table4_printed_takes_the_years_format():
    # 2020 report: rows common to 2019 and 2021 -> the 2019 format prescribed for 2020
    assert record("006_flipbook_shenji_2020.txt")["format"] == "2019"


# --- pre-2019 统计表 form ------------------------------------------------------------------------

def test_blank_statistics_form_rows_and_units():
    name = "025_qianlima_tongjibiao.txt"
    norm = cell(name, "statistics", "active.normative_docs", "value")
    assert (norm["raw"], norm["value"], norm["unit"]) == ("", None, "条")
    issued = cell(name, "statistics", "active.normative_docs_issued", "value")
    assert (issued["raw"], issued["unit"]) == ("", "件")
    # the local extra rows are kept as other:
    assert cell(name, "statistics", "other:主动公开行政执法信息", "value")["unit"] == "条"


# --- 2019-format town/street reports (cells one per paragraph, split headers, local rows) -------

def test_split_header_cells_one_per_paragraph():
    # `本年新制作数量` / `本年新` / `公开数量` / `对外公开` / `总数量`
    name = "027_hongkou_lzq_2019.txt"
    got = cells(name, "active")
    for row, cols in (("regulations", A19), ("normative_docs", A19),
                      ("licensing", ("prev_items", "change", "decisions")),
                      ("other_services", ("prev_items", "change", "decisions")),
                      ("punishment", ("prev_items", "change", "decisions")),
                      ("coercion", ("prev_items", "change", "decisions")),
                      ("fees", ("prev_items", "change")), ("procurement", ("items", "amount"))):
        assert [got[(row, c)] for c in cols] == ["0"] * len(cols), row
    for row in ("new_received", "carried_over", "granted"):
        assert [cell(name, "applications", row, c)["raw"] for c in APPLICANTS] == ["0"] * 7, row


def test_local_subrows_under_other_services():
    # `其他对外管理服务事项 |` over two local rows `行政检查 |` and `行政确认 |`, each with 0 0 0: the
    # numbers belong to the local rows, not to other_services
    name = "028_tongzhou_xinhua_2019.txt"
    assert [cell(name, "active", "normative_docs", c)["value"] for c in A19] == [1, 1, 1]
    for local in ("other:行政检查", "other:行政确认"):
        assert [cell(name, "active", local, c)["raw"] for c in ("prev_items", "change", "decisions")] == ["0"] * 3
    assert not [c for c in record(name)["cells"] if c["row"] == "other_services"]
    assert [cell(name, "active", "licensing", c)["value"] for c in ("prev_items", "change", "decisions")] == [0, 0, 0]


def test_blank_procurement_row_and_announced_agency():
    name = "029_hetang_guihua_2019.txt"
    assert [cell(name, "active", "procurement", c)["raw"] for c in ("items", "amount")] == ["", ""]
    assert [cell(name, "active", "fees", c)["raw"] for c in ("prev_items", "change")] == ["0", "0"]
    # the copy ends at `一、本年新收政府`: a cut table row, not a section heading
    assert record(name)["sections"] == []


def test_header_split_over_paragraphs():
    name = "030_ruian_dongcheng_2019.txt"   # `本年新` / `制作数量` / `本年新` / `公开数量`
    assert cells(name, "active") == {(r, c): "0" for r in ("regulations", "normative_docs") for c in A19}


def test_dropped_blank_paragraphs_keep_the_printed_number_only():
    # `一、本年新收政府信息公开申请数量` then empty paragraphs and ` 0`: the page lost the blank cells,
    # so only one number is printed for the row (its column cannot be recovered)
    name = "031_yuyang_tuofenglu_2020.txt"
    row = [c["raw"] for c in record(name)["cells"] if c["row"] == "new_received"]
    assert row == ["0"]
    assert [cell(name, "active", "procurement", c)["value"] for c in ("items", "amount")] == [0, 0]


def test_bare_date_byline_is_chrome():
    text = record("033_shenyang_yingbinlu_2021.txt")["text"]
    assert "来源:1" not in text and "字体" not in text and "首页 >" not in text


def test_code_column_and_column_id_row_are_not_values():
    # `指 标 名 称 | 计量单位 | 代码 | 本期实际 | 本年累计`, then `甲 | 乙 | 丙 | 1 | 2`; rows such as
    # `行政复议数 | 件 | 32 | | |`: 32 is the row's code, the form is blank
    name = "034_dingxi_baobiao_form.txt"
    got = record(name)["cells"]
    assert got and all(c["raw"] == "" for c in got)
    assert not [c for c in got if c["row"].startswith("other:")]
    review = cell(name, "statistics", "review.total", "value")
    assert (review["raw"], review["unit"]) == ("", "件")
    assert cell(name, "statistics", "requests.in_person", "value")["raw"] == ""


# --- agency: where the name was found (agency_source) -----------------------------------------

AGENCY_SOURCES = {
    "001_laifeng_2021.txt": "contact",            # 请与来凤县政务服务和大数据管理局(地址:…)
    "002_zhashui_fenghuang_2021_trad.txt": "contact",  # 請與柞水縣鳳凰鎮人民政府黨政辦公室聯系
    "003_yueyang_xinfang_2021.txt": "title",
    "004_baokang_nongye_2021.txt": "intro",       # 由保康县农业农村局编制
    "005_longgang_2024.txt": None,
    "016_taizhou_2017.txt": "intro",              # 现公布泰州市人民政府2017年…
    "022_huaihua_tjj_2016_trad.txt": "intro",     # 本報告由懷化市統計局根據…編制
    "026_guangzhou_2012_trad.txt": "header",      # 廣州市人民政府 / 2013年3月
    "029_hetang_guihua_2019.txt": "intro",
    "035_heshan_longkou_2022.txt": "intro",       # 现向社会公布龙口镇2022年度…
    "036_qu_tjj_2023.txt": "intro",               # 现公布区统计局2023年… (no place printed: kept partial)
    "037_sjzca_tjj_2023.txt": None,
    "038_yuanjiang_huangmaozhou_2021.txt": "contact",   # 请与黄茅洲镇人民政府党政办联系
    "039_weishan_liangcheng_2020.txt": "intro",   # 由两城镇人民政府党政办公室编制
    "041_tianmen_tuoshi_2020_trad.txt": "title",  # 拖市鎮(zhèn)2020年…
    "042_binjiang_changhe_2023.txt": "contact",   # 请联系:杭州市滨江区人民政府长河街道办事处;
    "043_binjiang_changhe_2023_trad.txt": "contact",
    "044_huadu_rsj_2022_trad.txt": "title",
    "047_xiangzhou_rsj_2022.txt": "intro",        # 现将襄州区人社局2022年度…报告如下
    "048_zhangjiagang_fenghuang_2023.txt": "title",  # 凤凰镇…, completed from the breadcrumb
    "049_tongzhou_wujie_2023_trad.txt": "intro",  # 現公布南通市通州區(qū)五接鎮(zhèn)人民政府2023年度…
    "050_yuecheng_donghu_2023.txt": "intro",      # 绍兴市越城区东湖街道特编制2023年…
}


@pytest.mark.parametrize("name,source", AGENCY_SOURCES.items(), ids=[n[:3] for n in AGENCY_SOURCES])
def test_agency_source(name, source):
    assert record(name)["agency_source"] == source
    assert (record(name)["agency"] == "") is (source is None)


def test_every_record_says_where_its_agency_came_from():
    from govcrawl.parse.agency import AGENCY_SOURCES as VALUES
    for name, *_ in IDENTITY:
        rec = record(name)
        assert rec["agency_source"] in VALUES + (None,), name
        assert (rec["agency"] == "") is (rec["agency_source"] is None), name


def test_partial_town_name_is_completed_from_the_breadcrumb():
    # title `凤凰镇2023年…`, breadcrumb `当前位置 > 首页 > 张家港市凤凰镇 > 政府信息公开年报`
    rec = record("048_zhangjiagang_fenghuang_2023.txt")
    assert rec["agency"] == "张家港市凤凰镇" and rec["agency_source"] == "title"
    assert "当前位置" not in rec["text"]


def test_partial_bureau_name_is_completed_only_from_evidence_naming_the_place():
    url, body = load("036_qu_tjj_2023.txt")
    assert record_from_bytes(body.encode(), url, kind="text")["agency"] == "区统计局"
    # the spider knows its agency: the same place's bureau completes the partial name
    rec = record_from_bytes(body.encode(), url, kind="text", hints={"agency": "西安市未央区统计局"})
    assert (rec["agency"], rec["agency_source"]) == ("西安市未央区统计局", "intro")
    # a hint of another kind of place (a county) does not
    rec = record_from_bytes(body.encode(), url, kind="text", hints={"agency": "周至县统计局"})
    assert rec["agency"] == "区统计局"


def test_hint_is_the_last_resort():
    url, body = load("037_sjzca_tjj_2023.txt")   # no agency printed in the stored part
    rec = record_from_bytes(body.encode(), url, kind="text", hints={"agency": "石家庄市长安区统计局"})
    assert (rec["agency"], rec["agency_source"]) == ("石家庄市长安区统计局", "hint")
    # a printed name wins over the hint
    url, body = load("038_yuanjiang_huangmaozhou_2021.txt")
    rec = record_from_bytes(body.encode(), url, kind="text", hints={"agency": "沅江市人民政府"})
    assert (rec["agency"], rec["agency_source"]) == ("黄茅洲镇人民政府", "contact")


# --- Traditional characters -----------------------------------------------------------------------

@pytest.mark.parametrize("simplified,traditional", [
    ("040_tianmen_tuoshi_2020.txt", "041_tianmen_tuoshi_2020_trad.txt"),      # a real 繁體 mirror
    ("042_binjiang_changhe_2023.txt", "043_binjiang_changhe_2023_trad.txt"),  # a real 繁體 mirror
])
def test_real_traditional_mirror_reads_like_the_original(simplified, traditional):
    a, b = record(simplified), record(traditional)
    assert (b["agency"], b["year"], b["is_report"]) == (a["agency"], a["year"], a["is_report"])
    assert bool(b["title"]) is bool(a["title"])


def test_traditional_mirror_table_cells():
    # `規(guī)范性文件(…) | 34 | 4 | 47 |` on the mirror; the original prints one cell per paragraph
    for name in ("040_tianmen_tuoshi_2020.txt", "041_tianmen_tuoshi_2020_trad.txt"):
        assert [cell(name, "active", "normative_docs", c)["value"] for c in A19] == [34, 4, 47], name


S2T_FILES = ("035_heshan_longkou_2022.txt", "036_qu_tjj_2023.txt", "038_yuanjiang_huangmaozhou_2021.txt",
             "039_weishan_liangcheng_2020.txt", "045_liwan_nanyuan_2020.txt", "048_zhangjiagang_fenghuang_2023.txt",
             "050_yuecheng_donghu_2023.txt")


@pytest.mark.parametrize("name", S2T_FILES, ids=[n[:3] for n in S2T_FILES])
def test_opencc_s2t_version_of_a_real_report_reads_the_same(name):
    # these reports have no real 繁體 copy: their text converted with OpenCC s2t stands in for one
    from opencc import OpenCC

    url, body = load(name)
    trad = OpenCC("s2t").convert(body)
    assert trad != body
    got, want = record_from_bytes(trad.encode(), url, kind="text"), record(name)
    assert (got["agency"], got["agency_source"], got["format"], got["year"], got["is_report"]) == \
        (want["agency"], want["agency_source"], want["format"], want["year"], want["is_report"])
    assert bool(got["title"]) is bool(want["title"])
    assert [(c["table"], c["row"], c["col"], c["raw"]) for c in got["cells"]] == \
        [(c["table"], c["row"], c["col"], c["raw"]) for c in want["cells"]]


# --- ragged flattened tables ----------------------------------------------------------------------

def test_each_cell_followed_by_a_bare_bar_line():
    # `规章` / `|` / `0` / `|` / `0` / `|` / `0` / `|` / `||`: every cell of the row is read
    name = "037_sjzca_tjj_2023.txt"
    assert cells(name, "active") == {
        **{(r, c): "0" for r in ("regulations", "normative_docs") for c in A21},
        ("licensing", "decisions"): "0", ("punishment", "decisions"): "0", ("coercion", "decisions"): "0"}


def test_blank_cells_as_bare_bar_lines_keep_their_columns():
    # `一、本年新收政府信息公开申请数量 |` then six `|` lines and `0 |`: six printed blanks and 总计 0
    name = "036_qu_tjj_2023.txt"
    for row in ("new_received", "carried_over"):
        assert [cell(name, "applications", row, c)["raw"] for c in APPLICANTS] == [""] * 6 + ["0"], row
    assert [cell(name, "applications", "granted", c)["raw"] for c in APPLICANTS] == [""] * 7
    assert [cell(name, "active", "regulations", c)["raw"] for c in A21] == ["/"] * 3
    assert check(name, "applications.balance", "total")["status"] == "unknown"   # the copy ends in row 三


def test_label_cut_at_the_end_of_the_copy_has_no_cells():
    # the stored copy ends in `行政强`: no cell of 行政强制 is printed, so none is made up
    name = "046_huangpi_street_2020.txt"
    assert not [c for c in record(name)["cells"] if c["row"] == "coercion"]
    assert [cell(name, "active", "normative_docs", c)["value"] for c in A19] == [87, 0, 0]
    assert [cell(name, "active", "punishment", c)["raw"] for c in ("prev_items", "change", "decisions")] == \
        ["0"] * 3


def test_glossed_year_in_2021_headers():
    # `本年(2023)制发件数 | 本年(2023)废止件数 | 现行有效件数`
    name = "050_yuecheng_donghu_2023.txt"
    assert [cell(name, "active", "normative_docs", c)["raw"] for c in A21] == ["0", "1", "0"]


# --- values as printed ------------------------------------------------------------------------------

def test_plus_sign_change_and_paragraph_per_cell():
    name = "045_liwan_nanyuan_2020.txt"
    lic = [cell(name, "active", "licensing", c) for c in ("prev_items", "change", "decisions")]
    assert [(x["raw"], x["value"]) for x in lic] == [("21", 21), ("+19", 19), ("40", 40)]


def test_2020_report_on_the_2019_layout_row_per_line():
    name = "039_weishan_liangcheng_2020.txt"
    assert record(name)["format"] == "2019"
    assert [cell(name, "active", "procurement", c)["raw"] for c in ("items", "amount")] == ["0", "0"]
    for row in ("new_received", "carried_over"):
        assert [cell(name, "applications", row, c)["value"] for c in APPLICANTS] == [0] * 7, row


def test_2022_town_report_cell_per_line():
    name = "035_heshan_longkou_2022.txt"
    assert cell(name, "active", "fees", "amount")["unit"] == "万元"
    for row in ("new_received", "carried_over"):
        assert [cell(name, "applications", row, c)["raw"] for c in APPLICANTS] == ["0"] * 7, row
    assert check(name, "applications.row_total", "new_received")["status"] == "pass"
