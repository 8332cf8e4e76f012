"""govcrawl.text.titles: page titles and agency names as strings."""

from govcrawl.text.titles import (
    agency_from_title,
    clean_agency,
    clean_title,
    is_full_agency_name,
    looks_like_agency,
    year_from_title,
)


def test_clean_title_drops_the_site_suffix():
    assert clean_title("XX2020年政府信息公开工作年度报告_安顺市人民政府") == "XX2020年政府信息公开工作年度报告"
    assert clean_title("《贵阳市2019年政府信息公开工作年度报告》") == "贵阳市2019年政府信息公开工作年度报告"


def test_year_from_title_reads_chinese_numerals():
    assert year_from_title("二〇一七年政府信息公开工作年度报告") == 2017
    assert year_from_title("安顺市2021年度政府信息公开工作年度报告") == 2021
    assert year_from_title("政府信息公开工作年度报告") is None


def test_agency_from_title_agency_first_or_year_first():
    assert agency_from_title("安顺市民政局2020年政府信息公开工作年度报告") == "安顺市民政局"
    assert agency_from_title("2022年上海市政府信息公开工作年度报告") == "上海市"
    assert agency_from_title("2022年政府信息公开工作年度报告") == ""


def test_agency_names():
    assert clean_agency("贵阳市人民政府(市人民政府办公厅)") == "贵阳市人民政府"
    assert looks_like_agency("龙潭区人民政府") and not looks_like_agency("一、总体情况")
    assert is_full_agency_name("安顺市应急管理局") and not is_full_agency_name("应急管理局")
