"""govcrawl/cms/hanweb.py: the Hanweb family; datastore records, totals and dataproxy paging, on the recorded
磐安 column and on the shapes other Hanweb sites print."""

from urllib.parse import parse_qs, urlsplit

from govcrawl.cms import hanweb
from govcrawl.offline import fixture_path
from tests.helpers import FIXTURES_DIR

COLUMN_URL = "http://www.panan.gov.cn/col/col1229147423/index.html"
PROXY_URL = "http://www.panan.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=6&endrecord=10&perpage=5"
FORM = {"col": "1", "appid": "1", "webid": "3403", "path": "/", "columnid": "1229147423",
        "sourceContentType": "1", "unitid": "4986591", "webname": "磐安县人民政府",
        "permissiontype": "0"}


def column_text():
    return fixture_path(FIXTURES_DIR, COLUMN_URL).read_text("utf-8")


def proxy_text():
    from urllib.parse import urlencode
    return fixture_path(FIXTURES_DIR, PROXY_URL, urlencode(FORM)).read_text("utf-8")


def test_column_page_is_recognised_and_holds_the_first_group():
    text = column_text()
    assert hanweb.is_hanweb_column(text)
    records = hanweb.datastore_records(text)
    assert len(records) == 5
    assert records[0].startswith("<li>") and "art_1229147423_59345012.html" in records[0]


def test_plain_page_is_not_a_hanweb_column():
    assert not hanweb.is_hanweb_column("<html><body><ul><li><a href='/a.html'>x</a></li></ul></body></html>")
    assert hanweb.datastore_records("") == []


def test_totals_and_jpage_settings_from_the_column_script():
    text = column_text()
    assert hanweb.total_records(text) == 7
    settings = hanweb.jpage_settings(text)
    assert settings["perPage"] == 5 and settings["groupSize"] == 1
    assert settings["proxyUrl"] == "/module/web/jpage/dataproxy.jsp"


def test_dataproxy_answer_total_and_records():
    text = proxy_text()
    assert hanweb.is_hanweb_column(text)
    assert hanweb.total_records(text) == 7
    entries = hanweb.record_entries(text, PROXY_URL)
    assert [e.title for e in entries] == ["磐安县安监局2008年度政府信息公开工作报告", "磐安县安监局政府信息公开目录"]
    assert entries[0].url == "http://www.panan.gov.cn/art/2014/10/29/art_1229147423_1623547.html"
    assert entries[0].date == "2014-10-29"


def test_dataproxy_params_from_the_nextgroup_link():
    assert hanweb.dataproxy_params(column_text()) == FORM
    # without a nextgroup link (or without a columnid) the column cannot be paged
    assert hanweb.dataproxy_params("<datastore><recordset></recordset></datastore>") == {}
    assert hanweb.dataproxy_params(
        '<datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=1"></a>]]>'
        "</nextgroup></datastore>") == {}


def test_dataproxy_params_from_the_jpage_ajax_param_without_nextgroup():
    # some templates print no nextgroup link; the jpage call's ajaxParam carries the same form
    import re
    text = re.sub(r"<nextgroup>.*?</nextgroup>", "", column_text(), flags=re.S)
    assert "<nextgroup>" not in text
    assert hanweb.dataproxy_params(text) == FORM


def test_record_groups_arithmetic():
    # the usual 15 per page, 3 pages a group: the column page inlines 1-45
    assert hanweb.record_groups(131, 15, 3) == [(46, 90), (91, 135)]
    assert hanweb.record_groups(45, 15, 3) == []
    assert hanweb.record_groups(7, 5, 1, first_inline=5) == [(6, 10)]


def test_dataproxy_requests_for_the_recorded_column():
    requests = hanweb.dataproxy_requests(COLUMN_URL, column_text())
    assert len(requests) == 1
    url, form = requests[0]
    parts = urlsplit(url)
    assert parts.path == "/module/web/jpage/dataproxy.jsp"
    assert parse_qs(parts.query) == {"startrecord": ["6"], "endrecord": ["10"], "perpage": ["5"]}
    assert form == FORM
    # a dataproxy answer has no nextgroup link: it asks for nothing more
    assert hanweb.dataproxy_requests(PROXY_URL, proxy_text()) == []


def test_record_entries_titles_dates_and_urls():
    entries = hanweb.record_entries(column_text(), COLUMN_URL)
    assert [e.date for e in entries] == ["2022-01-20", "2021-06-01", "2020-01-16", "2018-03-26", "2016-04-12"]
    # the full title comes from the title attribute, not the cut list text
    assert entries[4].title == "关于印发《磐安县安全生产监督管理局政务公开工作方案》的通知"
    assert entries[3].url == ("http://www.panan.gov.cn/module/xxgk/xxgkAnnualReport.jsp"
                              "?area=001008009005011&fbtime=2017")


def test_escaped_records_and_url_dates():
    # some templates escape the record markup instead of using CDATA; no date printed in the item
    text = ("<datastore><recordset><record>&lt;li&gt;&lt;a href=&quot;/art/2019/3/5/art_1234_567.html&quot;"
            "&gt;某局2018年政府信息公开工作年度报告&lt;/a&gt;&lt;/li&gt;</record></recordset></datastore>")
    entries = hanweb.record_entries(text, "http://www.example.gov.cn/col/col1234/index.html")
    assert len(entries) == 1
    assert entries[0].url == "http://www.example.gov.cn/art/2019/3/5/art_1234_567.html"
    assert entries[0].date == "2019-03-05"  # from the /art/YYYY/M/D/ path


def test_art_url_parts_and_module_urls():
    assert hanweb.art_url_parts("http://www.panan.gov.cn/art/2014/10/29/art_1229147423_1623547.html") == {
        "date": "2014-10-29", "columnid": "1229147423", "articleid": "1623547"}
    assert hanweb.art_url_parts("http://www.panan.gov.cn/col/col1229147423/index.html") is None
    assert hanweb.is_dataproxy_url(PROXY_URL)
    assert not hanweb.is_dataproxy_url(COLUMN_URL)
    assert hanweb.annual_report_module_url("http://www.panan.gov.cn/", 2017, "001008009005011") == (
        "http://www.panan.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=001008009005011&fbtime=2017")


def test_total_from_a_dataproxy_xml_tag_wins():
    assert hanweb.total_records("<datastore><totalrecord>52</totalrecord></datastore>") == 52
    assert hanweb.total_records("$('#1').jpage({dataAfter:'</ul>',totalRecord:131,perPage:15})") == 131
    assert hanweb.total_records("<html></html>") is None


# --- the family -------------------------------------------------------------------------------
def _page(url, text, content_type="text/html; charset=utf-8"):
    from scrapy.http import Request, TextResponse

    return TextResponse(url, body=text.encode("utf-8"), encoding="utf-8", request=Request(url),
                        headers={"Content-Type": content_type})


def test_family_detects_the_column_and_its_dataproxy_answer_only():
    assert hanweb.FAMILY.detect(_page(COLUMN_URL, column_text()))
    assert hanweb.FAMILY.detect(_page(PROXY_URL, proxy_text(), "text/xml; charset=utf-8"))
    assert not hanweb.FAMILY.detect(_page("http://www.anshun.gov.cn/zfxxgk/zfxxgknb/",
                                          "<html><body><ul><li><a href='./a.html'>x</a></li></ul></body></html>"))


def test_family_reads_the_datastore_and_asks_for_the_other_groups():
    family, column = hanweb.FAMILY, _page(COLUMN_URL, column_text())
    assert [e.url for e in family.listing_entries(column)] == [
        e.url for e in hanweb.record_entries(column_text(), COLUMN_URL)]
    # a datastore column pages by dataproxy POSTs, never by anchors, and has no sub-columns
    assert family.listing_pages(column) == [] and family.subcolumns(column) == []
    (post,) = family.extra_requests(column)
    assert (post.url, post.formdata) == (PROXY_URL, FORM)
    assert post.headers == {"Referer": COLUMN_URL, "X-Requested-With": "XMLHttpRequest"}
    # a dataproxy answer asks for nothing more: the column page asked for every group
    assert family.extra_requests(_page(PROXY_URL, proxy_text(), "text/xml; charset=utf-8")) == []
    assert family.content_css == "#zoom" and not family.spans_column


def test_a_page_without_a_datastore_is_a_plain_list():
    page = _page("http://www.panan.gov.cn/module/xxgk/list.jsp?page=1", """<html><body><ul>
        <li><a href="/art/2019/3/5/art_1234_567.html">某局2018年政府信息公开工作年度报告</a><span>2019-03-05</span></li>
        </ul><a href="list.jsp?page=2">下一页</a></body></html>""")
    # every titled link, the pager's too: the spider keeps the report titles
    assert [(e.url, e.date) for e in hanweb.FAMILY.listing_entries(page)] == [
        ("http://www.panan.gov.cn/art/2019/3/5/art_1234_567.html", "2019-03-05"),
        ("http://www.panan.gov.cn/module/xxgk/list.jsp?page=2", None)]
    assert hanweb.FAMILY.listing_pages(page) == ["http://www.panan.gov.cn/module/xxgk/list.jsp?page=2"]


def test_a_huge_total_record_count_is_clamped():
    # `totalRecord` of two million: 44444 groups by the arithmetic, `limit` of them asked for
    assert hanweb.group_count(2_000_000, 15, 3) == 44444
    assert len(hanweb.record_groups(2_000_000, 15, 3, limit=7)) == 7
    assert hanweb.record_groups(2_000_000, 15, 3, limit=2) == [(46, 90), (91, 135)]
    text = column_text().replace("totalRecord:7", "totalRecord:2000000")
    assert text != column_text()
    assert len(hanweb.dataproxy_requests(COLUMN_URL, text, limit=3)) == 3
    assert hanweb.dataproxy_page_count(text) == 1 + hanweb.group_count(2_000_000, 5, 1, 5)
    assert hanweb.dataproxy_page_count(proxy_text()) is None
