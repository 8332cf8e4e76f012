"""Downloader middlewares: charset repair and WAF challenges."""

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from govcrawl.middlewares import BlockedByWaf, CharsetMiddleware, WafDetectionMiddleware, waf_name
from govcrawl.signals import page_failed

TITLE = "吉林省安全生产监督管理局2014年政府信息公开工作年度报告"
URL = "http://yjt.jl.gov.cn/zwgk/ndbg/201503/t20150331_1.html"


def test_charset_middleware_repairs_a_gbk_page_served_as_utf8():
    body = f'<html><head><meta charset="gb2312"></head><body>{TITLE}</body></html>'.encode("gbk")
    response = HtmlResponse(URL, body=body, headers={"Content-Type": "text/html; charset=utf-8"})
    fixed = CharsetMiddleware().process_response(Request(URL), response)
    assert fixed.encoding == "gb18030"
    assert TITLE in fixed.text


def test_charset_middleware_leaves_a_correct_page_alone():
    body = f"<html><body>{TITLE}</body></html>".encode()
    response = HtmlResponse(URL, body=body, headers={"Content-Type": "text/html; charset=utf-8"})
    assert CharsetMiddleware().process_response(Request(URL), response) is response


RUISHU = (b'<html><head><meta content="kZ4fQs1z" r="m"><script type="text/javascript" '
          b'r="m">$_ts=window["$_ts"];if(!$_ts)$_ts={};$_ts.nsd=12345;</script></head></html>')
JIASULE = b"<script>document.cookie=('_')+('_')+('jsl_clearance_s=1605')+';Expires=1'</script>"


def test_waf_signatures():
    assert waf_name(412, RUISHU) == "ruishu"
    assert waf_name(521, JIASULE) == "jiasule"
    assert waf_name(200, b"<html>report</html>") is None
    assert waf_name(404, b"<html>not found</html>") is None


def test_waf_middleware_records_the_block_and_ignores_the_request():
    crawler = get_crawler(settings_dict={})
    seen = []

    def on_failed(**kwargs):  # kept referenced: signal receivers are weak references
        seen.append(kwargs)

    crawler.signals.connect(on_failed, signal=page_failed)
    mw = WafDetectionMiddleware.from_crawler(crawler)
    response = HtmlResponse(URL, status=412, body=RUISHU)
    with pytest.raises(BlockedByWaf):
        mw.process_response(Request(URL), response)
    assert seen[0]["url"] == URL and seen[0]["kind"] == "blocked"
    assert "ruishu" in seen[0]["reason"]
    assert crawler.stats.get_value("govcrawl/pages_blocked") == 1
