"""govcrawl.text.normalize: matching forms of labels; the conversion's fast path."""

import opencc

from govcrawl.text.normalize import clean_spaces, compact, normalize_label, to_simplified

T2S = opencc.OpenCC("t2s").convert
S2T = opencc.OpenCC("s2t").convert
LINES = [
    "安顺市民政局2020年政府信息公开工作年度报告",
    "（一）主动公开政府信息情况 | 本年制发件数 | 本年废止件数",
    "乾隆年间的档案与干部队伍建设",  # 乾 stays in 乾隆, becomes 干 elsewhere in t2s
    "本年度收到申请数量12件，其中当面申请3件。",
]


def test_simplified_text_is_returned_unchanged_without_the_conversion():
    for line in LINES:
        assert to_simplified(line) == T2S(line)


def test_traditional_text_is_converted_exactly_as_opencc_does():
    for line in LINES:
        traditional = S2T(line)
        assert traditional != line
        assert to_simplified(traditional) == T2S(traditional)
    assert to_simplified("政府信息公開工作年度報告") == "政府信息公开工作年度报告"


def test_label_forms():
    assert normalize_label("政府信息公開（一） 商业 企业") == "政府信息公开(一)商业企业"
    assert normalize_label("公(gong)開(kai)") == "公开"
    assert clean_spaces(" a\u3000 b ") == "a b" and compact("a b\u00a0c") == "abc"
