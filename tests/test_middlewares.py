"""Downloader middlewares: charset repair, WAF challenges, and the offsite filter that records its drops."""

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from govcrawl.middlewares import (
    BlockedByWaf,
    CharsetMiddleware,
    RecordingOffsiteMiddleware,
    WafDetectionMiddleware,
    waf_name,
)
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


# --- the offsite filter records what it drops ------------------------------------------------------
class OffsiteSpider(Spider):
    name = "offsite_test"
    allowed_domains = ["anshun.gov.cn"]


def test_offsite_filter_records_a_redirect_off_the_site_once():
    crawler = get_crawler(OffsiteSpider, settings_dict={})
    crawler.spider = OffsiteSpider.from_crawler(crawler)
    seen = []

    def on_failed(**kwargs):  # kept referenced: signal receivers are weak references
        seen.append(kwargs)

    crawler.signals.connect(on_failed, signal=page_failed)
    mw = RecordingOffsiteMiddleware.from_crawler(crawler)
    mw.spider_opened(crawler.spider)
    origin = "http://www.anshun.gov.cn/zfxxgk/nb/t1.html"
    hop = Request("http://www.other.cn/x.html",
                  meta={"govcrawl_kind": "detail", "redirect_urls": [origin]})
    for _ in range(2):  # the same drop twice (a duplicate link): one failure
        with pytest.raises(IgnoreRequest):
            mw.request_scheduled(hop, crawler.spider)
    assert [(s["url"], s["kind"]) for s in seen] == [(origin, "http")]
    assert seen[0]["reason"].startswith(f"redirected off-site: {origin} -> http://www.other.cn/x.html")
    # on the site: passes; another component's request off the site: Scrapy's business
    mw.request_scheduled(Request("http://www.anshun.gov.cn/a.html", meta={"govcrawl_kind": "detail"}),
                         crawler.spider)
    with pytest.raises(IgnoreRequest):
        mw.request_scheduled(Request("http://www.other.cn/robots.txt"), crawler.spider)
    assert len(seen) == 1
    assert crawler.stats.get_value("offsite/filtered") == 3
