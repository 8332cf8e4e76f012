"""govcrawl.text.vocabulary: the words of a report's title, and notices that are not reports."""

from govcrawl.text.vocabulary import BODY_REPORT_WORD, DISCLOSURE_WORD, REPORT_WORD, is_notice_title, is_report_title


def test_report_title_needs_report_word_topic_and_year():
    assert is_report_title("安顺市民政局2020年政府信息公开工作年度报告")
    assert not is_report_title("安顺市民政局政府信息公开工作年度报告")  # no year
    assert not is_report_title("安顺市民政局2020年工作总结")  # no report word


def test_traditional_title_is_a_report_title():
    assert is_report_title("懷化市2019年政府信息公開工作年度報告")


def test_notice_about_a_report_is_not_the_report():
    assert is_notice_title("关于报送2020年政府信息公开工作年度报告的通知")
    assert not is_report_title("关于报送2020年政府信息公开工作年度报告的通知")
    assert is_notice_title("一图读懂2021年政府信息公开工作年度报告")


def test_word_patterns():
    # 年度工作报告 / 工作年度报告 are found through 工作报告 / 年度报告
    assert REPORT_WORD.search("政务公开年度工作报告") and REPORT_WORD.search("信息公开工作年度报告")
    assert DISCLOSURE_WORD.search("政府信息工作年度报告") and not DISCLOSURE_WORD.search("工作年度报告")
    assert BODY_REPORT_WORD.search("本报告所列数据的统计期限") and not REPORT_WORD.search("本报告所列数据")
