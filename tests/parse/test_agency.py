"""govcrawl/parse/agency.py: the agency and where it was found. Sentences from real reports
(sources in tests/files/real/ and cited inline)."""

from __future__ import annotations

import pytest

from govcrawl.document import ReportDocument
from govcrawl.extract.html import document_from_html
from govcrawl.items import PageHints
from govcrawl.parse import parse_document
from govcrawl.parse.agency import _complete, _strip_internal, from_contact, from_intro


@pytest.mark.parametrize("line,agency", [
    ("根据《中华人民共和国政府信息公开条例》,现向社会公布龙口镇2022年度政府信息公开工作年度报告。", "龙口镇"),
    ("根据《中华人民共和国政府信息公开条例》规定,现公布区统计局2023年政府信息公开工作年度报告。", "区统计局"),
    ("现将襄州区人社局2022年度政府信息公开工作报告如下:", "襄州区人社局"),
    ("现将襄州区人民政府人力资源和社会保障局政府信息公开工作年度报告如下:", "襄州区人民政府人力资源和社会保障局"),
    ("根据…的要求,绍兴市越城区东湖街道特编制2023年政府信息公开年度报告。", "绍兴市越城区东湖街道"),
    ("本报告是根据《条例》要求,由两城镇人民政府党政办公室编制。", "两城镇人民政府"),
    ("本年报是按照《条例》要求,由南京市溧水区和凤镇人民政府编制的2023年度政府信息公开年度报告。",
     "南京市溧水区和凤镇人民政府"),   # realkrom.com copy of a 溧水区 page
    ("現公布南通市通州區(qū)五接鎮(zhèn)人民政府2023年度政府信息公開工作年度報告。", "南通市通州区五接镇人民政府"),
    ("现将我局2020年度政府信息公开情况报告如下。", ""),
    ("现将2020年度政府信息公开工作报告公布如下", ""),
])
def test_intro(line, agency):
    assert from_intro([line]) == agency


@pytest.mark.parametrize("line,agency", [
    ("如对本年报有任何疑问,请与黄茅洲镇人民政府党政办联系(地址:沅江市黄茅洲镇沿河路69号)。", "黄茅洲镇人民政府"),
    ("如对本年度报告有疑问,请联系:杭州市滨江区人民政府长河街道办事处;联系电话:0571-86624908", "杭州市滨江区人民政府长河街道办事处"),
    ("如对本报告有任何疑问,请与大余县吉村镇人民政府党政办公室联系(地址:…)", "大余县吉村镇人民政府"),   # jxdy.gov.cn
    ("对本报告如有疑问,可与韶关市浈江区统计局信息、政务公开工作领导小组办公室联系(地址:…)", "韶关市浈江区统计局"),  # sgzj.gov.cn
    ("如对报告有疑问,请与泰州市人民政府办公室政府信息公开处联系(地址:…)", "泰州市人民政府"),
    ("如有疑问请与来凤县政务服务和大数据管理局(地址:来凤县政务服务中心501室,联系电话:0718-6277499)。",
     "来凤县政务服务和大数据管理局"),
    ("如对本报告有意见或建议,请联系付垅乡党政办公室,联系电话:0792—6559003。", "付垅乡"),   # hukou.gov.cn
    ("请与本机关办公室联系。", ""),
])
def test_contact(line, agency):
    assert from_contact([line]) == agency


@pytest.mark.parametrize("name,kept", [
    ("黄茅洲镇人民政府党政办", "黄茅洲镇人民政府"), ("统计局办公室", "统计局"),
    ("杭州市滨江区人民政府长河街道办事处", "杭州市滨江区人民政府长河街道办事处"),
    ("兴化市昌荣镇党政和人大办公室", "兴化市昌荣镇"), ("汇龙镇政府信息公开领导小组办公室", "汇龙镇"),
    ("安康市应急管理局政办科", "安康市应急管理局"),
])
def test_internal_office_is_cut_off(name, kept):
    assert _strip_internal(name) == kept


def test_completion_needs_evidence_naming_the_place():
    assert _complete("区统计局", ["长安区统计局"], []) == "长安区统计局"
    assert _complete("区统计局", ["周至县统计局"], []) == "区统计局"           # another level
    assert _complete("区统计局", [], ["石家庄市长安区人民政府"]) == "石家庄市长安区统计局"
    assert _complete("区统计局", [], ["石家庄市长安区教育局"]) == "区统计局"   # another agency: no place alone
    assert _complete("凤凰镇", ["张家港市凤凰镇"], []) == "张家港市凤凰镇"
    assert _complete("凤凰镇", ["张家港市新凤凰镇"], []) == "凤凰镇"
    assert _complete("安顺市应急管理局", ["x"], ["y"]) == "安顺市应急管理局"


def test_meta_breadcrumb_and_hint_order():
    body = ["一、总体情况", "2023年,我局认真贯彻落实《条例》。"]
    doc = ReportDocument(url="u", lines=body, meta={"发布机构": "武威市应急管理局"}, breadcrumb=["长安区统计局"])
    rec = parse_document(doc)
    assert (rec["agency"], rec["agency_source"]) == ("武威市应急管理局", "meta")
    doc = ReportDocument(url="u", lines=body, meta={"发布机构": "市应急局"}, breadcrumb=["部门信息公开", "吉村镇政府"])
    assert (parse_document(doc)["agency"], parse_document(doc)["agency_source"]) == ("吉村镇政府", "breadcrumb")
    doc = ReportDocument(url="u", lines=body, hints=PageHints(agency="石家庄市长安区统计局"))
    assert (parse_document(doc)["agency"], parse_document(doc)["agency_source"]) == ("石家庄市长安区统计局", "hint")
    doc = ReportDocument(url="u", lines=body, page_meta={"ContentSource": "石家庄市长安区统计局"})
    assert parse_document(doc)["agency_source"] == "page_meta"
    rec = parse_document(ReportDocument(url="u", lines=body))
    assert (rec["agency"], rec["agency_source"]) == ("", None)


def test_partial_title_agency_completed_from_meta():
    doc = ReportDocument(url="u", titles=["区统计局2023年政府信息公开工作年度报告"], lines=["正文。"],
                         meta={"发布机构": "石家庄市长安区统计局"})
    rec = parse_document(doc)
    assert (rec["agency"], rec["agency_source"]) == ("石家庄市长安区统计局", "title")


def test_html_breadcrumb_reaches_the_parser():
    html = """<html><head><title>2023年政府信息公开工作年度报告</title></head><body>
    <div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/a">张家港市凤凰镇</a> &gt; <a>政府信息公开年报</a></div>
    <div class="TRS_Editor"><p>凤凰镇2023年政府信息公开工作年度报告</p>
    <p>根据《中华人民共和国政府信息公开条例》规定,为切实做好政府信息公开工作,我镇结合工作实际,形成本报告。</p>
    <p>一、总体情况</p><p>今年以来,凤凰镇以政务公开标准化、规范化建设为导向,持续提升政府信息公开工作质效。</p></div>
    </body></html>"""
    doc = document_from_html(html, "http://zp2005.com/x.shtml")
    assert doc.breadcrumb == ["张家港市凤凰镇", "政府信息公开年报"]
    assert parse_document(doc)["agency"] == "张家港市凤凰镇"
