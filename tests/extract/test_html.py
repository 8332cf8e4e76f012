"""HTML extraction on pages modelled on real templates (tests/files/extract/), one behaviour per test.

Templates: TRS WCM (anshun.gov.cn, Guizhou 集约化: meta ArticleTitle/PubDate, div.view.TRS_UEDITOR,
<li>/<span> 索引号 block), gov.cn (table.bd1 + td#UCAP-CONTENT, qr_container), Hanweb (panan.gov.cn
art_*.html, GB2312-declared, 索引号 label:|value| table, div#zoom), jl.gov.cn xxgk (Anhui-style
4-column 索引号 table, 发布日期/点击数 byline, 登录 注册 无障碍, seed-004 footer), a generic
<br>-separated page (kmgd.gov.cn, with the pre-2019 统计表), a Traditional-character mirror,
a notice, a listing and an Epoint/AngularJS JavaScript shell.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govcrawl.extract import NotAPageError, document_from_html, looks_binary
from govcrawl.extract.encoding import decode_html
from govcrawl.ingest import record_from_bytes
from govcrawl.parse import parse_document
from tests.helpers import FIXTURES_DIR, TEST_FILES_DIR

FILES = TEST_FILES_DIR / "extract"

PAGES = {
    "anshun": ("anshun_trs_2020.html",
               "https://www.anshun.gov.cn/zfxxgk/zfxxgknb/2020year/202101/t20210129_66608151.html"),
    "govcn": ("govcn_bd1_2019.html", "https://www.gov.cn/zhengce/xxgk/2020-01/20/content_5470863.htm"),
    "panan": ("panan_hanweb_2008.html", "http://www.panan.gov.cn/art/2009/3/31/art_1229211601_2.html"),
    "jl": ("jl_xxgk_2014.html",
           "http://xxgk.jl.gov.cn/zsjg/aqscjdglj/xxgkmlqy/201503/t20150331_1962851.html"),
    "kmgd": ("kmgd_statistics_2017.html", "http://www.kmgd.gov.cn/c/2017-12-20/2094512.shtml"),
    "guiyang": ("guiyang_trs_word_2021.html",
                "https://www.guiyang.gov.cn/zwgk/zfxxgks/zfxxgknb/2021n/202203/t20220310_72915842.html"),
    "anqing": ("anqing_xxgk_2015.html", "http://aqxxgk.anqing.gov.cn/show.php?id=395012"),
    "twocol": ("twocolumn_generic_2022.html", "http://www.xx.gov.cn/zwgk/nb/2022.html"),
    "suqian": ("suqian_onetable_2017.html",
               "https://suqian.gov.cn/zfb/gknb/201802/a21fdc4296de494da7adce40d7541728.shtml"),
    "mirror": ("mirror_traditional.html", "http://www.example-mirror.com/zwgk/2021/0128/1.html"),
    "notice": ("notice_trs.html", "https://www.guiyang.gov.cn/zwgk/tzgg/201912/t20191210_1.html"),
    "listing": ("listing_nb.html", "https://www.anshun.gov.cn/zfxxgk/zfxxgknb/index.html"),
    "jsshell": ("js_shell_epoint.html", "http://www.example.gov.cn/showinfo.html?infoGuid=abc"),
}

_cache: dict[str, tuple] = {}


def page(name):
    """(document, record) of a test page, decoded the way the crawl decodes it."""
    if name not in _cache:
        filename, url = PAGES[name]
        data = (FILES / filename).read_bytes()
        doc = document_from_html(decode_html(data), url)
        _cache[name] = (doc, record_from_bytes(data, url))
    return _cache[name]


# --- boilerplate gone, content kept ---------------------------------------------------------

BOILERPLATE = {
    "anshun": ["分享到", "扫一扫在手机打开当前页面", "当前页面", "ICP备", "公网安备", "网站标识码",
               "主办", "承办", "邮编", "打印本页", "关闭窗口", "文章字号", "索引号", "000014349/2021-0129001",
               "网站地图", "登录", "无障碍", "长者模式", "发布时间"],
    "govcn": ["扫一扫在手机打开当前页", "当前位置", "索 引 号", "000014349/2020-00012", "我要纠错",
              "责任编辑", "相关稿件", "京ICP备", "公网安备", "网站标识码", "主办单位", "版权所有", "English"],
    "panan": [">>", "索引号", "002638913/2009-00021", "公开时限", "发布日期", "信息来源", "字体",
              "打印本页", "关闭窗口", "上一篇", "下一篇", "浙ICP备", "公网安备", "网站标识码", "访问量",
              "主办", "地址"],
    "jl": ["登录", "注册", "无障碍", "当前位置", "索引号", "11220000013544357T", "点击数", "字号",
           "打印", "分享到", "相关链接", "2013年政府信息公开工作年度报告", "•", "吉ICP备", "网站标识码",
           "公网安备", "访问量", "微信公众号", "举报电话", "邮编"],
    "kmgd": ["您当前所在位置", "发布时间", "浏览次数", "字号", "分享到", "扫一扫", "打印本页",
             "关闭窗口", "滇ICP备", "公网安备", "网站标识码", "联系电话"],
    "mirror": ["當前位置", "掃一掃", "分享到", "ICP備", "公網安備", "網站標識碼", "發布時間"],
    "guiyang": ["您现在的位置", "来源: 市政府办公厅", "浏览次数", "字体", "TRS_Editor", "font-family",
                "分享到", "扫一扫在手机打开当前页", "黔ICP备", "公网安备", "网站标识码", "承办"],
    "twocol": ["您的位置", "阅读次数", "最新公开", "春耕生产", "统计公报", "办事服务", "打印", "上一篇", "下一篇",
               "您是第", "ICP备", "网站标识码", "主办单位", "信息公开目录"],
    "anqing": ["当前位置", "索 引 号", "003110926/201601-00031", "服务对象分类", "信息格式/语种", "发布日期",
               "信息来源", "打印本页", "关闭窗口", "皖ICP备", "网站标识码", "技术支持"],
    "suqian": ["您当前所在位置", "索引号", "00000001/2018-00042", "信息公开年报 其他 报告", "文件下载",
               "关 键 词", "苏ICP备", "公网安备", "主办单位"],
}


@pytest.mark.parametrize("name,needle", [(n, s) for n, items in BOILERPLATE.items() for s in items])
def test_boilerplate_removed(name, needle):
    doc, record = page(name)
    assert needle not in record["text"]
    assert all(needle not in line for line in doc.lines)


CONTENT = {
    "anshun": ["本报告根据《中华人民共和国政府信息公开条例》", "一、总体情况", "六、其他需要报告的事项",
               "安顺市人民政府办公室", "2021年1月29日"],
    "govcn": ["由国务院办公厅编制的2019年政府信息公开工作年度报告", "五、存在的主要问题及改进情况",
              "2020年1月20日"],
    "panan": ["2008年以来,在县委、县政府的正确领导下", "三、下一步工作设想", "二OO九年三月三十日"],
    "jl": ["2014年,我局政府信息公开工作在省委、省政府正确领导下", "收到对政府信息公开行政复议申请0份。",
           "吉林省安全生产监督管理局", "2015年3月31日"],
    "kmgd": ["现将2017年度政务公开工作总结如下", "三、 下步工作打算", "官渡区环保局", "2017年12月18日",
             "填报单位(盖章):官渡区环境保护局"],
    "mirror": ["所列數據統計期限為2020年1月1日至2020年12月31日", "二、主動公開政府信息情況"],
    "guiyang": ["所列数据统计期限为2021年1月1日至2021年12月31日", "行政规范性文件 | 9 | 3 | 121",
                "本年度未收取信息处理费。"],
    "twocol": ["本报告所列数据统计期限为2022年1月1日至2022年12月31日", "本年度未收取信息处理费。",
               "XX县人民政府办公室\n2023年1月18日"],
    "anqing": ["特向社会公布2015年度本局政府信息公开工作年度报告", "四、存在的主要问题及改进措施",
               "安庆市交通运输局\n2016年1月28日"],
    "suqian": ["本报告根据《中华人民共和国政府信息公开条例》", "三、存在的主要问题和改进措施",
               "宿迁市人民政府办公室\n2018年2月26日"],
}


@pytest.mark.parametrize("name,needle", [(n, s) for n, items in CONTENT.items() for s in items])
def test_content_kept(name, needle):
    _, record = page(name)
    assert needle in record["text"]


def test_tables_not_inlined_in_lines():
    doc, _ = page("anshun")
    assert not any("|" in line for line in doc.lines)
    assert not any(line == "规范性文件" for line in doc.lines)


def test_table_rows_in_text_where_the_table_stood():
    _, record = page("anshun")
    lines = record["text"].split("\n")
    at = lines.index("二、主动公开政府信息情况")
    assert lines[at + 1:at + 5] == ["第二十条第(一)项", "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量",
                                    "规章 | 0 | 0 | 0", "规范性文件 | 3 | 3 | 41"]
    assert "一、本年新收政府信息公开申请数量 | 5 | 1 | 0 | 0 | 0 | 0 | 6" in lines
    assert lines.index("四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0") < \
        lines.index("四、政府信息公开行政复议和行政诉讼情况")


def test_section_text_holds_its_table_rows():
    _, record = page("anshun")
    second = record["sections"][1]
    assert second["heading"] == "二、主动公开政府信息情况"
    assert second["text"].endswith("规范性文件 | 3 | 3 | 41")


def test_report_tables_are_grids_with_spans():
    doc, _ = page("anshun")
    assert len(doc.tables) == 2
    active, applications = doc.tables
    assert active.rows[3] == ["规范性文件", "3", "3", "41"]
    assert active.caption == "二、主动公开政府信息情况"
    # rowspan: the 三、本年度办理结果 label is repeated on the (七)总计 row, marked as a copy
    assert applications.rows[6][0] == "三、本年度办理结果"
    assert applications.spans[6][0] is True


def test_meta_table_is_not_a_report_table():
    doc, _ = page("govcn")
    assert len(doc.tables) == 1
    assert doc.tables[0].rows[0][0] == "第二十条第（一）项"


def test_statistics_table_of_generic_page():
    doc, _ = page("kmgd")
    assert len(doc.tables) == 1
    assert doc.tables[0].rows[6] == ["2.政府网站公开政府信息数", "条", "155"]
    assert doc.tables[0].caption == "填报单位(盖章):官渡区环境保护局"


def test_word_pasted_table_cells():
    doc, _ = page("guiyang")
    assert doc.tables[0].rows[0][0] == "第二十条第（一）项"
    assert doc.tables[0].rows[3] == ["行政规范性文件", "9", "3", "121"]


def test_layout_tables_are_not_report_tables():
    doc, _ = page("panan")
    assert doc.tables == []


# --- 索引号 block -----------------------------------------------------------------------------

def test_meta_from_li_span_pairs():
    doc, _ = page("anshun")
    assert doc.meta == {"索引号": "000014349/2021-0129001", "信息分类": "政府信息公开年报",
                        "发布机构": "安顺市人民政府办公室", "生成日期": "2021-01-29",
                        "公开形式": "主动公开", "文号": ""}


def test_meta_from_bd1_table_with_spaced_labels():
    doc, _ = page("govcn")
    assert doc.meta["索引号"] == "000014349/2020-00012"
    assert doc.meta["发文机关"] == "国务院办公厅"
    assert doc.meta["成文日期"] == "2020年01月20日"
    assert doc.meta["标题"] == "国务院办公厅2019年政府信息公开工作年度报告"
    assert doc.meta["发文字号"] == ""


def test_meta_from_label_colon_cells():
    doc, _ = page("panan")
    assert doc.meta == {"索引号": "002638913/2009-00021", "公开形式": "主动公开", "文号": "",
                        "公开时限": "长期公开", "发布机构": "县安监局", "生成日期": "2009-03-31"}


def test_meta_rows_sharing_a_table_with_the_article():
    doc, _ = page("suqian")
    assert doc.meta == {"名称": "宿迁市人民政府2017年政府信息公开工作年度报告", "索引号": "00000001/2018-00042",
                        "分类": "信息公开年报 其他 报告", "发布机构": "宿迁市人民政府办公室",
                        "发文日期": "2018-02-26", "文号": "", "关键词": "", "文件下载": "", "时效": ""}


def test_meta_th_labels_with_empty_values():
    doc, _ = page("anqing")
    assert doc.meta["索引号"] == "003110926/201601-00031"
    assert doc.meta["发布日期"] == "2016-01-28 09:12:40"
    assert doc.meta["服务对象分类"] == "" and doc.meta["信息格式/语种"] == "" and doc.meta["内容概述"] == ""
    assert doc.meta["信息名称"] == "安庆市交通运输局2015年政府信息公开工作年度报告"


def test_meta_from_four_column_table():
    doc, _ = page("jl")
    assert doc.meta["组配分类"] == "政府信息公开年报"
    assert doc.meta["名称"] == "2014年政府信息公开工作年度报告"
    assert doc.meta["文号"] == "无"
    assert doc.meta["发布日期"] == "2015-03-31"


# --- page metadata, titles, dates, attachments ---------------------------------------------------

def test_page_meta():
    doc, _ = page("anshun")
    assert doc.page_meta["ArticleTitle"] == "安顺市政府办公室2020年度信息公开工作年度报告"
    assert doc.page_meta["PubDate"] == "2021-01-29 10:00"
    assert doc.page_meta["ContentSource"] == "安顺市人民政府办公室"
    assert doc.page_meta["ColumnName"] == "2020年"


def test_titles_best_first():
    doc, _ = page("anshun")
    assert doc.titles[0] == "安顺市政府办公室2020年度信息公开工作年度报告"
    assert "安顺市政府办公室2020年度信息公开工作年度报告_安顺市人民政府" in doc.titles


def test_title_without_meta_comes_from_heading():
    doc, _ = page("jl")
    assert doc.titles[0] == "2014年政府信息公开工作年度报告"


def test_byline_dates():
    assert page("jl")[0].byline_dates[0] == "2015-03-31"
    assert "2017-12-20" in page("kmgd")[0].byline_dates


def test_attachment_pdf_absolute():
    doc, _ = page("anshun")
    assert doc.attachments == [{
        "url": "https://www.anshun.gov.cn/zfxxgk/zfxxgknb/2020year/202101/P020210129391785384562.pdf",
        "name": "安顺市政府办公室2020年度信息公开工作年度报告.pdf", "type": "pdf"}]


def test_sidebar_links_are_not_attachments_nor_byline():
    doc, _ = page("twocol")
    assert [a["url"] for a in doc.attachments] == ["http://www.xx.gov.cn/uploads/2023/nb2022.docx"]
    assert doc.attachments[0]["type"] == "docx"
    assert doc.byline_dates[0] == "2023-01-18"


def test_attachment_list_kept_related_links_dropped():
    markup = ("<html><body><div class='TRS_Editor'><p>2020年,我局认真贯彻落实条例,扎实推进政务公开工作。</p></div>"
              "<div class='fjlist'><ul><li><a href='/f/a.pdf'>附件1.pdf</a></li></ul></div>"
              "<div class='xglj'><a href='/f/b.pdf'>往年报告</a></div></body></html>")
    doc = document_from_html(markup, "http://x.gov.cn/a/")
    assert doc.attachments == [{"url": "http://x.gov.cn/f/a.pdf", "name": "附件1.pdf", "type": "pdf"}]


def test_six_column_meta_table_with_unknown_label():
    # mem.gov.cn style: 标题 row, then three label/value pairs per row, one label not in our list
    markup = ("<html><body><div class='detail'><table>"
              "<tr><td>标题：</td><td>应急管理部2025年政府信息公开工作年度报告</td></tr>"
              "<tr><td>索引号：</td><td>4/2026-00001</td><td>发文字号：</td><td></td><td>发文单位：</td><td>应急管理部</td></tr>"
              "<tr><td>所属机构：</td><td>办公厅</td><td>主题分类：</td><td>政务公开</td><td>公文种类：</td><td>报告</td></tr>"
              "<tr><td>成文日期：</td><td>2026年01月20日</td><td>发布日期：</td><td>2026年01月21日</td></tr>"
              "</table></div><div class='TRS_Editor'><p>2025年,应急管理部认真贯彻落实条例。</p></div></body></html>")
    doc = document_from_html(markup, "https://www.mem.gov.cn/gk/a.shtml")
    assert doc.meta["主题分类"] == "政务公开" and doc.meta["公文种类"] == "报告"
    assert doc.meta["发文字号"] == "" and doc.meta["发布日期"] == "2026年01月21日"
    assert parse_document(doc)["published"] == "2026-01-21"


def test_hanweb_content_comment_marks_the_article():
    markup = ("<html><body><div class='left'><p>栏目导航 新闻中心</p></div><div class='art'>"
              "<!--ZJEG_RSS.content.begin--><p>2021年,我局认真贯彻落实《中华人民共和国政府信息公开条例》。</p>"
              "<p>一、总体情况</p><p>全年主动公开信息120条。</p><!--ZJEG_RSS.content.end--></div></body></html>")
    doc = document_from_html(markup, "http://www.panan.gov.cn/art/2022/1/20/art_1_2.html")
    assert doc.lines == ["2021年,我局认真贯彻落实《中华人民共和国政府信息公开条例》。", "一、总体情况", "全年主动公开信息120条。"]


def test_guizhou_trs_qr_prompt_and_script_inside_the_content():
    # Guizhou TRS: div.trs_paper_default holds a jQuery QR script and the 扫一扫 prompt; the source
    # in Article_ly is written by a script
    markup = ("<html><head><meta name='ArticleTitle' content='贵州省药品监督管理局2020年政府信息公开工作年度报告'>"
              "</head><body><div id='c'><div class='Article_bt'>贵州省药品监督管理局2020年政府信息公开工作年度报告</div>"
              "<div class='Article_ly'><span>发布时间：2021-01-20</span><span class='SourceName'>"
              "<script>var wzly='省药监局';document.write(wzly);</script></span></div>"
              "<div class='trs_paper_default'><p>2020年,省药监局认真贯彻落实条例。</p><p>一、总体情况</p>"
              "<p>全年主动公开信息500条。</p><script>var $ = jQuery; $('#qr').qrcode();</script>"
              "<p>扫一扫在手机打开当前页面</p></div></div></body></html>")
    doc = document_from_html(markup, "https://yjj.guizhou.gov.cn/zwgk/a.html")
    assert doc.lines == ["2020年,省药监局认真贯彻落实条例。", "一、总体情况", "全年主动公开信息500条。"]
    assert doc.byline_dates == ["2021-01-20"]


def test_attachment_from_download_module():
    doc, _ = page("panan")
    assert doc.attachments == [{
        "url": "http://www.panan.gov.cn/module/download/downfile.jsp?classid=0&filename=0903311012345.doc",
        "name": "磐安县安监局2008年政府信息公开统计表", "type": "doc"}]


# --- records ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name,title,agency,year,published", [
    ("anshun", "安顺市政府办公室2020年度信息公开工作年度报告", "安顺市政府办公室", 2020, "2021-01-29"),
    ("govcn", "国务院办公厅2019年政府信息公开工作年度报告", "国务院办公厅", 2019, "2020-01-20"),
    ("panan", "磐安县安全生产监督管理局2008年政府信息公开工作年度报告", "磐安县安全生产监督管理局", 2008,
     "2009-03-31"),
    ("jl", "2014年政府信息公开工作年度报告", "吉林省安全生产监督管理局", 2014, "2015-03-31"),
    ("kmgd", "官渡区环保局2017年政府信息公开年度报告", "官渡区环保局", 2017, "2017-12-20"),
    # the title as printed (Traditional), the agency in Simplified: a name to join on (was 武漢市生態環境局)
    ("mirror", "武漢市生態環境局2020年政府信息公開工作年度報告", "武汉市生态环境局", 2020, "2021-01-28"),
    ("suqian", "宿迁市人民政府2017年政府信息公开工作年度报告", "宿迁市人民政府", 2017, "2018-02-26"),
    ("anqing", "安庆市交通运输局2015年政府信息公开工作年度报告", "安庆市交通运输局", 2015, "2016-01-28"),
    ("twocol", "XX县人民政府2022年政府信息公开工作年度报告", "XX县人民政府", 2022, "2023-01-18"),
    ("guiyang", "贵阳市人民政府(市人民政府办公厅)2021年政府信息公开工作年度报告", "贵阳市人民政府", 2021,
     "2022-03-10"),
])
def test_report_identity(name, title, agency, year, published):
    _, record = page(name)
    assert record["is_report"] is True
    assert (record["title"], record["agency"], record["year"], record["published"]) == \
        (title, agency, year, published)


def test_signature_chinese_numerals_in_html():
    _, record = page("panan")
    assert record["signature"] == {"agency": "磐安县安全生产监督管理局", "date": "2009-03-30"}


def test_sections_of_html_report():
    _, record = page("govcn")
    assert [s["heading"] for s in record["sections"]] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert record["sections"][5]["text"] == "无。"


def test_title_line_not_repeated_in_text():
    _, record = page("govcn")
    assert not record["text"].startswith("国务院办公厅2019年政府信息公开工作年度报告")


def test_title_from_first_paragraph_when_title_tag_is_the_site_name():
    markup = ("<html><head><title>安顺市人民政府</title></head><body><div id='zoom'>"
              "<p align='center'><b>安顺市财政局2019年政府信息公开工作年度报告</b></p>"
              "<p>本报告根据《中华人民共和国政府信息公开条例》要求编制,所列数据统计期限为2019年1月1日至2019年12月31日。</p>"
              "<p>一、总体情况</p><p>2019年我局扎实推进政务公开。</p><p>安顺市财政局</p><p>2020年1月20日</p></div></body></html>")
    record = parse_document(document_from_html(markup, "http://www.anshun.gov.cn/a.html"))
    assert record["title"] == "安顺市财政局2019年政府信息公开工作年度报告"
    assert record["agency"] == "安顺市财政局"
    assert not record["text"].startswith("安顺市财政局2019年")


def test_attachment_only_report_page_is_flagged():
    markup = ("<html><head><meta name='ArticleTitle' content='XX市统计局2019年政府信息公开工作年度报告'></head>"
              "<body><div class='TRS_Editor'><p>详见附件。</p><p>附件：<a href='./P0200120.pdf'>"
              "XX市统计局2019年政府信息公开工作年度报告.pdf</a></p></div></body></html>")
    record = parse_document(document_from_html(markup, "http://tjj.example.gov.cn/xxgk/202001/t20200120_1.html"))
    assert record["is_report"] is False
    assert "report_in_attachment" in record["flags"]
    assert record["attachments"][0]["url"] == "http://tjj.example.gov.cn/xxgk/202001/P0200120.pdf"


def test_notice_is_not_a_report():
    _, record = page("notice")
    assert record["is_report"] is False
    assert record["title"] == "关于做好2019年政府信息公开工作年度报告有关事项的通知"


def test_listing_is_not_a_report():
    _, record = page("listing")
    assert record["is_report"] is False


def test_js_shell_gives_clean_document():
    doc, record = page("jsshell")
    assert doc.lines == [] and doc.tables == []
    assert "js_shell" in doc.flags
    assert record["is_report"] is False
    assert "{{" not in record["text"]


def test_binary_body_is_a_clear_error():
    garbage = bytes((i * 197 + (i >> 3) * 31 + 7) % 256 for i in range(3000))
    with pytest.raises(NotAPageError, match="binary data"):
        document_from_html(decode_html(garbage), "http://example.gov.cn/a.html")


def test_mis_decoded_page_is_not_binary():
    data = (FILES / "panan_hanweb_2008.html").read_bytes()
    doc = document_from_html(data.decode("utf-8", errors="replace"), "http://www.panan.gov.cn/a.html")
    assert doc.lines  # mojibake, but a page: extracted, not refused


@pytest.mark.parametrize("markup", ["", "   ", "<!-- only a comment -->", "<html></html>",
                                    "<?xml version='1.0' encoding='utf-8'?><html><body></body></html>",
                                    "\x00\x01garbage<", "<table><tr><td rowspan='99999'>1</td></tr></table>"])
def test_empty_or_broken_pages_do_not_crash(markup):
    doc = document_from_html(markup, "http://example.gov.cn/a.html")
    record = parse_document(doc)
    assert record["is_report"] is False


_html_fragments = st.lists(st.sampled_from([
    "<p>", "</p>", "<div>", "</div>", "<table>", "<tr>", "<td rowspan='3'>", "<td colspan='2'>", "</td>",
    "</tr>", "</table>", "<br>", "<li>", "<span>", "</span>", "索引号:", "发布机构:", "生成日期:",
    "2017年政府信息公开工作年度报告", "一、总体情况", "二〇一八年三月五日", "2018年3月5日", "分享到",
    "扫一扫在手机打开当前页面", "<a href='a.pdf'>附件</a>", "<meta name='PubDate' content='x'>",
    "<title>", "</title>", "&gt;", "|", "0", "12", "<script>", "</script>", "{{x}}",
]) | st.text(max_size=20), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_html_fragments)
def test_arbitrary_html_never_crashes(parts):
    markup = "".join(parts)
    if looks_binary(markup):  # the one documented refusal: binary data is not a page
        with pytest.raises(NotAPageError):
            document_from_html(markup, "http://example.gov.cn/a.html")
        return
    doc = document_from_html(markup, "http://example.gov.cn/a.html")
    assert "extract_error" not in doc.flags
    record = parse_document(doc)
    assert isinstance(record["is_report"], bool)


# --- bounds: deep nesting and huge markup ------------------------------------------------------

def test_deeply_nested_page_keeps_its_title_and_table():
    # hundreds of unclosed <div><font> (Word-pasted pages): libxml2 gives up at 256 levels unless
    # told otherwise, and the whole report was lost
    markup = ("<html><body>" + "<div><font>" * 400 + "<p>安顺市2020年政府信息公开工作年度报告</p>"
              "<table><tr><td>项目</td><td>数量</td></tr><tr><td>主动公开</td><td>12</td></tr></table></body></html>")
    doc = document_from_html(markup, "http://www.anshun.gov.cn/deep.html")
    assert doc.titles == ["安顺市2020年政府信息公开工作年度报告"]
    assert doc.tables[0].rows == [["项目", "数量"], ["主动公开", "12"]]
    assert doc.flags == []


def test_markup_over_the_trafilatura_bound_is_read_from_its_container():
    paragraphs = "".join(f"<p>第{i}条：本年度主动公开政府信息若干条。</p>" for i in range(25000))
    markup = f'<html><body><div class="nav">首页</div><div class="TRS_Editor">{paragraphs}</div></body></html>'
    doc = document_from_html(markup, "http://www.anshun.gov.cn/big.html")
    assert "large_page" in doc.flags
    assert doc.lines[0] == "第0条：本年度主动公开政府信息若干条。" and len(doc.lines) == 25000


# --- pages nested deeper than libxml2 allows ----------------------------------------------------------
_DEEP_SOURCE = (FIXTURES_DIR / "www.anshun.gov.cn" / "zfxxgk" / "zfxxgknb" / "2020year" / "202101"
                / "t20210129_66608151.html").read_text("utf-8")
_DEEP_URL = "http://www.anshun.gov.cn/zfxxgk/zfxxgknb/2020year/202101/t20210129_66608151.html"


def _cells(markup: str) -> tuple[dict, list[str]]:
    record = record_from_bytes(markup.encode("utf-8"), _DEEP_URL, content_type="text/html; charset=utf-8")
    return {(c["table"], c["row"], c["col"]): c["value"] for c in record["cells"]}, record["flags"]


def test_unclosed_inline_tags_past_libxml2s_depth_limit_lose_no_cell():
    # 300 unclosed `<div><font>` before each of the four tables: 2,400 levels by the last one,
    # past the 2048 at which libxml2 stops and drops the rest of the page (it lost table 四)
    deep = _DEEP_SOURCE.replace("<table", "<div><font>" * 300 + "<table")
    cells, flags = _cells(deep)
    printed, _ = _cells(_DEEP_SOURCE)
    assert len(printed) == 198 and cells == printed and flags == []


def test_a_page_still_too_deep_is_flagged_truncated():
    # unclosed block tags (not dropped: they may carry structure) past 2048 levels
    deep = _DEEP_SOURCE.replace("<table", "<div>" * 700 + "<table")
    cells, flags = _cells(deep)
    assert "truncated_tree" in flags
    assert ("review_litigation", "cases", "review.total") not in cells  # table 四 is beyond the cut


# --- closing tags left out --------------------------------------------------------------------------
_ANSHUN_2018 = (FIXTURES_DIR / "www.anshun.gov.cn" / "zfxxgk" / "zfxxgknb" / "2018year" / "201903"
                / "t20190329_6180231.html").read_text("utf-8")


def test_unclosed_divs_do_not_put_the_statistics_table_in_the_header():
    # every `</div>` left out: the page's `<div class="Header">` and `<div class="Nav">` never
    # close, so the 统计表 is their descendant; it was dropped as chrome, all 69 cells
    printed, _ = _cells(_ANSHUN_2018)
    cells, flags = _cells(_ANSHUN_2018.replace("</div>", ""))
    assert len(printed) == 69 and cells == printed and flags == []


def test_a_footer_table_is_still_chrome():
    page = ("<html><body><div class='TRS_Editor'><p>" + "本机关2020年度政府信息公开工作情况如下。" * 20 +
            "</p></div><div class='footer'><table><tr><td>主办</td><td>1</td></tr>"
            "<tr><td>电话</td><td>0851-33221234</td></tr></table></div></body></html>")
    assert document_from_html(page, _DEEP_URL).tables == []


def test_unclosed_tables_keep_every_table_and_cell():
    # every `</table>` left out: libxml2 nests each table in the one before, which was skipped as
    # a layout table around others (table 四's cells, and printed blanks of others, were lost)
    source = (FIXTURES_DIR / "www.anshun.gov.cn" / "zfxxgk" / "zfxxgknb" / "2020year" / "202101"
              / "t20210126_66534870.html").read_text("utf-8")
    printed = record_from_bytes(source.encode(), _DEEP_URL, content_type="text/html; charset=utf-8")["cells"]
    cells = record_from_bytes(source.replace("</table>", "").encode(), _DEEP_URL,
                              content_type="text/html; charset=utf-8")["cells"]
    assert len(printed) == 198 and cells == printed


def test_a_layout_table_holding_the_report_table_in_a_cell_is_not_read_as_one():
    page = ("<html><body><table class='layout'><tr><td>正文</td><td><table>"
            "<tr><td>信息内容</td><td>本年新制作数量</td></tr><tr><td>规章</td><td>3</td></tr>"
            "</table></td></tr></table></body></html>")
    tables = document_from_html(page, _DEEP_URL).tables
    assert [t.rows for t in tables] == [[["信息内容", "本年新制作数量"], ["规章", "3"]]]
