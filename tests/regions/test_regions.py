"""The division table and the name -> code functions, on real codes (2023+ table)."""

from __future__ import annotations

import csv

import pytest

from govcrawl import regions


@pytest.mark.parametrize("code, name, level, parent", [
    ("220000", "吉林省", "province", ""),
    ("520400", "安顺市", "prefecture", "520000"),
    ("520402", "西秀区", "county", "520400"),
    ("520403", "平坝区", "county", "520400"),
    ("520422", "普定县", "county", "520400"),
    ("330727", "磐安县", "county", "330700"),
    ("530111", "官渡区", "county", "530100"),
])
def test_current_codes(code, name, level, parent):
    assert regions.division(code) == regions.Division(code, name, level, parent)


def test_statistical_12_digit_codes_read_as_6():
    assert regions.division("520402000000").name == "西秀区"


def test_anshun_children():
    kids = regions.children("520400")
    assert [d.code for d in kids] == ["520402", "520403", "520422", "520423", "520424", "520425"]
    assert "西秀区" in [d.name for d in kids]


@pytest.mark.parametrize("province, prefectures", [("520000", 9), ("330000", 11), ("530000", 16), ("220000", 9)])
def test_four_provinces_complete_at_prefecture_level(province, prefectures):
    assert len(regions.children(province)) == prefectures
    # every prefecture has its counties
    assert all(regions.children(p.code) for p in regions.children(province))


def test_whole_country_is_there():
    with regions.DIVISIONS_CSV.open(encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    levels = {lvl: sum(1 for r in table if r["level"] == lvl) for lvl in regions.LEVELS}
    assert levels["province"] == 34 and levels["prefecture"] > 330 and levels["county"] > 2800
    codes = {r["code"] for r in table}
    assert all(r["parent"] in codes for r in table if r["parent"])


def test_ancestors_and_prefix():
    assert [d.code for d in regions.ancestors("520402")] == ["520000", "520400", "520402"]
    assert regions.region_prefix("520400") == "5204"
    assert regions.region_prefix("520000") == "52"
    assert regions.region_prefix("520402") == "520402"
    assert regions.is_within("520402", "520400") and not regions.is_within("520400", "520402")


def test_former_codes_have_successors():
    assert regions.division("520421") is None
    assert regions.successor("520421") == "520403"      # 平坝县 -> 平坝区 (2014)
    assert regions.successor("522526") == "520403"      # 安顺地区 平坝县 -> 平坝县 -> 平坝区
    assert regions.successor("520402") == "520402"
    assert regions.successor("999999") is None


@pytest.mark.parametrize("name, code", [
    ("安顺", "520400"), ("安顺市", "520400"), ("西秀区", "520402"), ("普定县", "520422"),
    ("镇宁布依族苗族自治县", "520423"), ("镇宁县", "520423"), ("镇宁自治县", "520423"), ("镇宁", "520423"),
    ("黔东南州", "522600"), ("延边州", "222400"), ("平坝县", "520403"), ("安順市", "520400"),
    ("吉林省", "220000"), ("吉林市", "220200"),
])
def test_find_division(name, code):
    assert regions.find_division(name).code == code


def test_find_division_never_guesses():
    assert regions.find_division("朝阳区") is None                        # 北京 and 长春
    assert {d.code for d in regions.find_divisions("朝阳区")} == {"110105", "220104"}
    assert regions.find_division("朝阳区", within="22").code == "220104"
    assert regions.find_division("吉林") is None                          # 吉林省 or 吉林市
    assert regions.find_division("不存在县") is None


def test_short_names_are_never_one_character():
    assert regions.short_names("城区", "county") == set()
    assert regions.short_names("六枝特区", "county") == {"六枝"}
    assert regions.short_names("黔东南苗族侗族自治州", "prefecture") == {"黔东南", "黔东南州", "黔东南自治州"}


@pytest.mark.parametrize("agency, within, code", [
    ("安顺市民政局", None, "520400"),
    ("普定县人民政府", None, "520422"),
    ("西秀区教育局", None, "520402"),          # unique nationally
    ("西秀区教育局", "520400", "520402"),      # and in context
    ("磐安县应急管理局", None, "330727"),
    ("贵州省安顺市西秀区教育局", None, "520402"),
    ("平坝县人民政府", None, "520403"),
    ("安顺经济技术开发区管理委员会", None, "520400"),
    ("关岭布依族苗族自治县永宁镇人民政府", None, "520424"),
    ("中韩（长春）国际合作示范区管理委员会", None, "220100"),
    ("吉林省应急管理厅", None, "220000"),
    ("吉林市应急管理局", None, "220200"),
    ("朝阳区教育局", "220100", "220104"),
    ("安顺市民政局", "520402", "520400"),      # an ancestor of the context is fine
])
def test_region_of(agency, within, code):
    assert regions.region_of(agency, within) == code


@pytest.mark.parametrize("agency", ["朝阳区教育局", "市民政局", "超山风景名胜区管理委员会", "市场监督管理局"])
def test_region_of_unknown_or_ambiguous(agency):
    assert regions.region_of(agency) is None
