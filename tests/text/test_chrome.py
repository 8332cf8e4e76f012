"""Text input: the chrome a plain extractor leaves (the seeds show it) is removed line by line."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govcrawl.extract import NotAPageError, looks_binary
from govcrawl.extract.text import document_from_text
from govcrawl.parse import parse_document
from govcrawl.text.chrome import is_chrome, meta_from_line, pair_labels

URL = "http://www.example.gov.cn/art/2018/2/26/art_1_1.html"


@pytest.mark.parametrize("line", [
    "分享到:",
    "扫一扫在手机打开当前页面",
    "扫一扫在手机打开当前页",
    "掃一掃在手機上查看當前頁面",
    ">> 政务公开 | >> 信息公开目录 | >> 县政府部门 | >> 县应急管理局 |",
    "当前位置:首页 > 政府信息公开 > 政府信息公开年度报告",
    "您当前所在位置:首页 > 信息公开年报",
    "当前页面:首页 » 政府信息公开 » 政府信息公开年报 » 2020年",
    "发布时间:2015-03-31 16:18:08 来源:",
    "来源: 市政府办公厅   发布时间: 2021-03-05 19:11     浏览次数:0次   字体:[]",
    "发布日期:2017-02-23    点击数:",
    "来源:系统管理组 发布时间:2015-01-30 选择阅读字号:[ 大 中 小 ] 阅读次数: 0",
    "打印| 字号:[ ]|",
    "【打印本页】【关闭窗口】",
    "字号:[ 大 中 小 ]",
    "•",
    "主办:吉林省应急管理厅     吉ICP备05001602号",
    "地址:吉林省长春市人民大街3727号     邮编:130021",
    "安全生产举报电话:0431-12350     监督投诉电话:0431-85096328",
    "网站标识码:2200000056     吉公网安备 22010402000767号     访问量统计:",
    "微信公众号",
    "上一篇:关于开展安全生产月活动的通知",
    "下一篇:磐安县安监局2009年工作要点",
    "相关链接",
    "登录 注册",
    "【我要纠错】责任编辑:王洋",
])
def test_chrome_line(line):
    assert is_chrome(line)


@pytest.mark.parametrize("line", [
    "一、总体情况",
    "无",
    "2020年2月17日",
    "安顺经济技术开发区管理委员会办公室",
    "(一)主动公开政府信息数 (不同渠道和方式公开相同信息计1条) |",
    "政府网站公开信息4084条,其中概况类信息39条。",
    "本报告电子版可在政府门户网站下载(地址:贵阳市观山湖区,邮编:550081,电话:0851-87987000)。",
    "时间紧、任务重,我局克服困难完成了全年工作。",
    "单位负责人: 审核人: 填报人:",
    "—— |",
    "- |",
    "/ |",
    "相关文件已在政府网站公开,接受社会监督。",
    "(三)相关信息发布及时",
])
def test_content_line_is_kept(line):
    assert not is_chrome(line, keep_pipes=True)


def test_binary_text_is_a_clear_error():
    with pytest.raises(NotAPageError):
        document_from_text("\x00\x01\x02\x03\ufffd" * 20 + "正文", URL)
    assert document_from_text("\ufffd\ufffd正文" * 50, URL).lines  # mojibake is still a text


def test_pipe_only_rows_kept_for_text_tables():
    assert not is_chrome("||", keep_pipes=True)
    assert is_chrome("||")


def test_meta_header_rows():
    assert meta_from_line("索引号: | 11330727775738086F/2022-56162 | 公开形式: | 主动公开 |") == {
        "索引号": "11330727775738086F/2022-56162", "公开形式": "主动公开"}
    assert meta_from_line("文号: | 公开时限: | 长期公开 | |") == {"文号": "", "公开时限": "长期公开"}


def test_meta_spaced_and_traditional_labels():
    assert pair_labels(["索 引 號:", "014416330/2018-04736", "發 布 機 構:", "市政府辦"]) == {
        "索引号": "014416330/2018-04736", "发布机构": "市政府辦"}


def test_meta_bracketed_labels():
    assert pair_labels(["【索引号】", "001/2021-0001", "【发布机构】", "XX市统计局"]) == {
        "索引号": "001/2021-0001", "发布机构": "XX市统计局"}


def test_meta_several_pairs_in_one_line():
    assert meta_from_line("发布日期:2015-10-15 10:06:36    发布机构:市交通运输局    信息来源:市交通运输局") == {
        "发布日期": "2015-10-15 10:06:36", "发布机构": "市交通运输局", "信息来源": "市交通运输局"}


def test_byline_is_not_meta():
    assert meta_from_line("发布时间:2015-03-31 16:18:08 来源:") is None


PAGE_TEXT = """>> 政务公开 | >> 信息公开目录 | >> 县政府部门 |
索引号: | 11330727775738086F/2022-56162 | 公开形式: | 主动公开 |
文号: | 公开时限: | 长期公开 | |
发布机构: | 应急管理局 | 生成日期: | 2014-10-29 |
当前位置:首页 > 政府信息公开 > 政府信息公开年度报告
发布时间:2015-03-31 16:18:08 来源:
打印| 字号:[ ]|

XX县应急管理局2014年政府信息公开工作年度报告

2014年,我局认真贯彻落实《中华人民共和国政府信息公开条例》,扎实推进政府信息公开工作,现将有关情况报告如下。
一、概述
全年主动公开政府信息120条。
统 计 指 标 |
单位 |
统计数 |
||
二、存在问题
公开内容不够全面。
XX县应急管理局
2015年3月31日
分享到:
扫一扫在手机打开当前页面
  •
主办:XX县人民政府办公室     浙ICP备05001602号
"""


def test_text_document_meta_and_lines():
    doc = document_from_text(PAGE_TEXT, URL)
    assert doc.meta == {"索引号": "11330727775738086F/2022-56162", "公开形式": "主动公开", "文号": "",
                        "公开时限": "长期公开", "发布机构": "应急管理局", "生成日期": "2014-10-29"}
    assert doc.lines[0].startswith("2014年,我局认真贯彻落实")
    assert doc.lines[-2:] == ["XX县应急管理局", "2015年3月31日"]


def test_text_document_keeps_flattened_table_lines():
    doc = document_from_text(PAGE_TEXT, URL)
    assert doc.lines[3:7] == ["统 计 指 标 |", "单位 |", "统计数 |", "||"]


def test_meta_cells_one_per_line():
    text = "索引号:\n002638913/2009-00021\n公开形式:\n主动公开\n文号:\n发布机构:\n县安监局\n" \
           "XX县安监局2008年政府信息公开工作年度报告\n2008年,我局扎实推进政府信息公开工作,取得了较好成效,现报告如下。"
    doc = document_from_text(text, URL)
    assert doc.meta == {"索引号": "002638913/2009-00021", "公开形式": "主动公开", "文号": "", "发布机构": "县安监局"}
    assert doc.titles == ["XX县安监局2008年政府信息公开工作年度报告"]


def test_text_document_title_and_byline():
    doc = document_from_text(PAGE_TEXT, URL)
    assert doc.titles == ["XX县应急管理局2014年政府信息公开工作年度报告"]
    assert doc.byline_dates == ["2015-03-31"]
    assert "XX县应急管理局2014年政府信息公开工作年度报告" not in doc.lines


def test_text_title_split_over_two_lines():
    doc = document_from_text("龙潭区人民政府\n\n2017年政府信息公开工作年度报告\n\n(2017年2月10日)\n正文。", URL)
    assert doc.titles[0] == "龙潭区人民政府2017年政府信息公开工作年度报告"


def test_text_sentence_is_not_a_title():
    doc = document_from_text("2017年,我局认真开展政府信息公开工作,现将2017年政府信息公开工作报告如下。\n一、概述", URL)
    assert doc.titles == []


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from([
    "索引号: | x | 公开形式: |", "一、总体情况", "二〇〇九年三月三十日", "2017年政府信息公开工作年度报告",
    "|", "||", "分享到", "XX局", "2009年 3月30日", "统计期限为2017年1月1日至2017年12月31日", "填报单位(盖章):",
]) | st.text(max_size=30), max_size=30))
def test_arbitrary_text_never_crashes(lines):
    text = "\n".join(lines)
    if looks_binary(text):
        with pytest.raises(NotAPageError):
            document_from_text(text, URL)
        return
    doc = document_from_text(text, URL)
    record = parse_document(doc)
    assert isinstance(record["is_report"], bool)
    assert record["published"] is None or len(record["published"]) == 10


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_unicode_never_crashes(text):
    if looks_binary(text):
        with pytest.raises(NotAPageError):
            document_from_text(text, URL)
        return
    record = parse_document(document_from_text(text, URL))
    assert record["year"] is None or isinstance(record["year"], int)


def test_meta_labels_padded_with_spaces_and_no_colon():
    assert meta_from_line("索   引   号 20191202-189769 分        类 其他; 市人民政府办公室;") == {
        "索引号": "20191202-189769", "分类": "其他; 市人民政府办公室;"}
    assert meta_from_line("发 布 机 构 市人民政府办公室 发 文 日 期 2019-11-29") == {
        "发布机构": "市人民政府办公室", "发文日期": "2019-11-29"}


def test_meta_block_lines_one_label_each():
    text = ("名称\n索引号 00000001/2018-00042\n分类 信息公开年报 其他 报告\n发布机构 宿迁市人民政府办公室\n"
            "发文日期 2018-02-26\n文号\n关键词\n文件下载\n时效\n"
            "本报告根据《中华人民共和国政府信息公开条例》规定,由宿迁市人民政府办公室编制,现予公布。")
    doc = document_from_text(text, URL)
    assert doc.meta == {"索引号": "00000001/2018-00042", "分类": "信息公开年报 其他 报告",
                        "发布机构": "宿迁市人民政府办公室", "发文日期": "2018-02-26", "文号": "",
                        "关键词": "", "文件下载": "", "时效": ""}
    assert doc.lines == ["本报告根据《中华人民共和国政府信息公开条例》规定,由宿迁市人民政府办公室编制,现予公布。"]


def test_unknown_label_in_block_is_its_own_field():
    assert pair_labels(["所属机构：", "办公厅", "主题分类：", "政务公开", "公文种类：", "报告"]) == {
        "所属机构": "办公厅", "主题分类": "政务公开", "公文种类": "报告"}


# --- text renderings of real page templates (structure as observed; values and wording changed) ----

GUIYANG_LIKE = """政府信息公开

XX市人民政府2018年政府信息公开年度报告

XX市人民政府
来源: 市政府办公厅   发布时间: 2019-03-28 20:15     浏览次数:0次   字体:[]

  根据《中华人民共和国政府信息公开条例》和本省有关规定,特公布XX市2018年政府信息公开工作年度报告。所列数据统计时限为2018年1月1日起至2018年12月31日止。如需咨询,请与市人民政府办公厅联系(地址:XX市行政中心,邮编:550000,电话:0000-1234567)。
  一、概述

2018年,XX市认真贯彻落实条例,持续推进政务公开。"""


def test_trs_page_text_header():
    doc = document_from_text(GUIYANG_LIKE, URL)
    record = parse_document(doc)
    assert doc.titles == ["XX市人民政府2018年政府信息公开年度报告"]
    assert doc.byline_dates == ["2019-03-28"]
    assert "政府信息公开" not in doc.lines  # the column name above the title
    assert doc.lines[1].startswith("根据《中华人民共和国政府信息公开条例》")
    assert (record["agency"], record["year"], record["published"]) == ("XX市人民政府", 2018, "2019-03-28")


QQHR_LIKE = """中国政府网 XX省政府网 English Русская версия 市人大 市政协 市纪委监委
首     页 政 务 公 开 网 上 办 事 互 动 交 流 走 进 XX
索   引   号 20200115-100001 分        类 其他; 市人民政府办公室;
发 布 机 构 市人民政府办公室 发 文 日 期 2020-01-15
名        称 XX市人民政府办公室2019年政府信息公开工作年度报告
文        号    上 载 日 期 2020-01-16
XX市人民政府办公室2019年政府信息公开工作年度报告
信息来源: 市人民政府办公室

  2019年,市人民政府办公室认真贯彻落实《中华人民共和国政府信息公开条例》,现将本年度政府信息公开工作情况报告如下。
一、总体情况
全年主动公开政府信息1024条。
XX市人民政府办公室       
2020年1月15日              
"""


def test_padded_label_page_text():
    doc = document_from_text(QQHR_LIKE, URL)
    record = parse_document(doc)
    assert doc.meta["索引号"] == "20200115-100001"
    assert doc.meta["发布机构"] == "市人民政府办公室"
    assert doc.meta["上载日期"] == "2020-01-16"
    assert not any("English" in line or "政 务 公 开" in line for line in doc.lines)
    assert (record["title"], record["agency"], record["year"], record["published"]) == (
        "XX市人民政府办公室2019年政府信息公开工作年度报告", "XX市人民政府办公室", 2019, "2020-01-15")
    assert record["signature"] == {"agency": "XX市人民政府办公室", "date": "2020-01-15"}


ANQING_LIKE = """当前位置: 首页 > 市交通运输局 > 政府信息公开年报
索 引 号 003110926/202001-00008 信息分类 政府信息公开年报
发布机构 市交通运输局 发布日期 2020-01-20 10:06:36
信息来源 关 键 词
主题分类 服务对象分类
文 号 信息格式/语种
信息名称 安庆市交通运输局2019年政府信息公开工作年度报告
内容概述
安庆市交通运输局2019年政府信息公开工作年度报告
发布日期:2020-01-20 10:06:36    发布机构:市交通运输局    信息来源:市交通运输局
本报告根据《中华人民共和国政府信息公开条例》编制,所列数据统计期限自2019年1月1日起至2019年12月31日止。
"""


def test_anhui_page_text_meta_with_empty_values():
    doc = document_from_text(ANQING_LIKE, URL)
    assert doc.meta["索引号"] == "003110926/202001-00008"
    assert doc.meta["内容概述"] == ""  # the next line is the title, not its value
    assert doc.meta["服务对象分类"] == "" and doc.meta["信息格式/语种"] == ""
    assert doc.lines == ["本报告根据《中华人民共和国政府信息公开条例》编制,所列数据统计期限自2019年1月1日起至2019年12月31日止。"]
    assert parse_document(doc)["title"] == "安庆市交通运输局2019年政府信息公开工作年度报告"


# --- breadcrumb (kept as agency evidence) ---------------------------------------------------------

from govcrawl.text.chrome import breadcrumb_items  # noqa: E402


def test_breadcrumb_items():
    # tests/files/real/048_zhangjiagang_fenghuang_2023.txt (张家港市凤凰镇), jdzcjq.gov.cn (丽阳镇), jxdy.gov.cn (吉村镇)
    assert breadcrumb_items(["当前位置 > 首页 > 张家港市凤凰镇 > 政府信息公开年报", "凤凰镇2023年…"]) == \
        ["张家港市凤凰镇", "政府信息公开年报"]
    assert breadcrumb_items(["当前位置: 首页 > 丽阳镇 > 政府信息公开年报 > 2022年"]) == \
        ["丽阳镇", "政府信息公开年报", "2022年"]
    assert breadcrumb_items(["关怀版 无障碍", "您当前所在位置: 首页 > 乡镇信息公开 > 吉村镇政府 > 年度报告"]) == \
        ["乡镇信息公开", "吉村镇政府", "年度报告"]


def test_breadcrumb_one_piece_per_line_and_none():
    assert breadcrumb_items(["当前位置:首页", "> 政府信息公开", "> 新乐市政府信息公开平台", "正文"]) == \
        ["政府信息公开", "新乐市政府信息公开平台"]
    assert breadcrumb_items(["一、总体情况", "2022年,我镇主动公开政府信息151条。"]) == []
