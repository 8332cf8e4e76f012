"""Agency keys and levels: one key per agency across spellings, renamings and reforms."""

from __future__ import annotations

import pytest

from govcrawl import agencies, regions


@pytest.mark.parametrize("names, key", [
    (["安顺市人民政府办公室", "安顺市政府办公室", "安顺市政府办", "安順市人民政府辦公室"], "520400:人民政府办公室"),
    (["磐安县安监局", "磐安县安全生产监督管理局", "磐安县应急管理局", "磐安县应急局"], "330727:应急管理局"),
    (["安顺市人民政府", "安顺市政府", "贵州省安顺市人民政府"], "520400:人民政府"),
    (["平坝县人民政府", "平坝区人民政府"], "520403:人民政府"),
    (["安顺经济技术开发区", "安顺经济技术开发区管理委员会", "安顺经济技术开发区管委会"],
     "520400:经济技术开发区管理委员会"),
    (["安顺市住房和城乡建设局", "安顺市住房和城乡建设局（安顺市城市管理综合行政执法局）", "安顺市住建局"],
     "520400:住房和城乡建设局"),
])
def test_spellings_give_one_key(names, key):
    assert {agencies.agency_key(n) for n in names} == {key}


def test_region_code_is_context():
    assert agencies.agency_key("市民政局", "520400") == "520400:民政局"
    assert agencies.agency_key("西秀区教育局", "520400") == "520402:教育局"
    assert agencies.agency_key("市场监督管理局", "520400") == "520400:市场监督管理局"   # 市场 is no level
    assert agencies.agency_key("超山风景名胜区管理委员会", "330110") == "330110:超山风景名胜区管理委员会"
    assert agencies.agency_key("民政局") == ":民政局"                                  # no region at all


def test_a_division_name_alone_is_its_government():
    assert agencies.agency_key("普定县") == "520422:人民政府"
    assert agencies.agency_level("贵阳市") == "prefecture"
    assert agencies.agency_key("吉林省") == "220000:人民政府"


def test_reform_aliases_follow_the_level():
    assert agencies.agency_key("吉林省安全生产监督管理局") == "220000:应急管理厅"
    assert agencies.agency_key("安顺市安全生产监督管理局") == "520400:应急管理局"
    assert agencies.agency_key("贵州省卫生和计划生育委员会") == "520000:卫生健康委员会"
    assert agencies.agency_key("安顺市卫计局") == "520400:卫生健康局"
    assert agencies.agency_key("安顺市环境保护局") == "520400:生态环境局"


@pytest.mark.parametrize("name, region, level", [
    ("贵州省人民政府", None, "province"),
    ("吉林省商务厅", None, "province-department"),
    ("安顺市人民政府", None, "prefecture"),
    ("安顺市民政局", None, "prefecture-department"),
    ("安顺市人民政府办公室", None, "prefecture-department"),
    ("普定县人民政府", None, "county"),
    ("西秀区统计局", None, "county-department"),
    ("关岭布依族苗族自治县永宁镇人民政府", None, "township"),
    ("安顺经济技术开发区管理委员会", None, "prefecture-zone"),
    ("长春净月高新技术产业开发区应急管理局", None, "prefecture-zone-department"),
    ("民政局", None, ""),
])
def test_levels(name, region, level):
    assert agencies.agency_level(name, region) == level
    assert level == "" or level in agencies.LEVELS


def test_alias_table_is_well_formed():
    rows = agencies.aliases()
    assert {a.kind for a in rows} == {"org", "division"}
    for a in rows:
        assert a.alias and a.canonical, a
        assert all(s in regions.LEVELS for s in a.scope), a
        if a.since:
            assert a.since[:4].isdigit(), a


def test_division_aliases_agree_with_the_region_table():
    rows = [a for a in agencies.aliases() if a.kind == "division"]
    assert any(a.alias == "平坝县" and a.old_code == "520421" and a.new_code == "520403" for a in rows)
    for a in rows:
        assert regions.division(a.old_code) is None, a            # the old code is no longer in use
        assert regions.successor(a.old_code) == a.new_code, a
        assert regions.division(a.new_code).name == a.canonical, a
        assert regions.find_division(a.alias).code == a.new_code, a
