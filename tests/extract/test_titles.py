"""govcrawl.extract.titles: the title found in text lines, and removed from the body."""

from govcrawl.extract.titles import drop_leading_nav, drop_title_lines, find_title


def test_agency_line_above_a_year_first_title_is_joined():
    titles, used = find_title(["首页", "龙潭区人民政府", "2017年政府信息公开工作年度报告", "一、概述"])
    assert titles == ["龙潭区人民政府2017年政府信息公开工作年度报告", "2017年政府信息公开工作年度报告"]
    assert used == [1, 2]


def test_no_title_in_plain_lines():
    assert find_title(["一、总体情况", "本年度我局主动公开信息12条。"]) == ([], [])


def test_menu_lines_above_the_body_are_dropped():
    assert drop_leading_nav(["首页", "政务公开", "一、总体情况"]) == ["一、总体情况"]
    assert drop_leading_nav(["省政府办公厅：", "现将报告报送如下。"]) == ["省政府办公厅：", "现将报告报送如下。"]


def test_title_printed_over_two_lines_is_dropped_from_the_body():
    lines = ["XX局2013年", "信息公开年度报告", "正文。"]
    assert drop_title_lines(lines, ["XX局2013年信息公开年度报告"]) == ["正文。"]
