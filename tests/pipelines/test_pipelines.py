"""ExtractPipeline and PublicRecordPipeline."""

import asyncio

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from govcrawl.items import FetchedPage
from govcrawl.pipelines import extract as extract_module
from govcrawl.pipelines.extract import ExtractPipeline
from govcrawl.pipelines.public import PublicRecordPipeline
from govcrawl.signals import page_failed

REPORT_PAGE = """<html><head><meta charset="utf-8">
<meta name="ArticleTitle" content="安顺市民政局2020年政府信息公开工作年度报告">
<title>安顺市民政局2020年政府信息公开工作年度报告_安顺市人民政府</title></head>
<body><h1>安顺市民政局2020年政府信息公开工作年度报告</h1>
<div class="TRS_Editor"><p>本报告由安顺市民政局根据《中华人民共和国政府信息公开条例》要求编制。</p>
<p>一、总体情况</p><p>2020年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、
不公开为例外，全面推进决策、执行、管理、服务、结果公开，政府信息公开工作取得新成效。</p>
<p>二、主动公开政府信息情况</p><p>全年主动公开政府信息1024条，其中规范性文件3件。</p></div></body></html>"""
NOTICE_PAGE = """<html><head><meta charset="utf-8"><title>关于开展2021年安全生产月活动的通知</title></head>
<body><h1>关于开展2021年安全生产月活动的通知</h1><p>各区县安监局：现将有关事项通知如下。</p></body></html>"""


def run(pipeline, item):
    return asyncio.run(pipeline.process_item(item))


@pytest.fixture
def crawler():
    # extraction in threads of this process, so a test can patch it
    return get_crawler(settings_dict={"GOVCRAWL_EXTRACT_WORKERS": 0})


@pytest.fixture
def pool_pipeline():
    """The pipeline as a crawl runs it: one worker process, a 0.01 s deadline for pages."""
    crawler = get_crawler(settings_dict={"GOVCRAWL_EXTRACT_WORKERS": 1, "GOVCRAWL_EXTRACT_TIMEOUT": 0.01})
    pipeline = ExtractPipeline.from_crawler(crawler)
    failures = []
    crawler.signals.connect(lambda **kw: failures.append((kw["url"], kw["kind"], kw["reason"])),
                            signal=page_failed, weak=False)
    pipeline.failures = failures
    yield pipeline
    pipeline.close_spider()


def test_report_page_becomes_a_record_with_its_raw_page(crawler):
    page = FetchedPage(url="http://www.anshun.gov.cn/a.html", body=REPORT_PAGE.encode("utf-8"))
    record = run(ExtractPipeline.from_crawler(crawler), page)
    assert record["is_report"] is True
    assert record["url"] == "http://www.anshun.gov.cn/a.html"
    assert record["_page"] is page
    assert crawler.stats.get_value("govcrawl/reports_extracted") == 1


def test_non_report_page_is_dropped(crawler):
    page = FetchedPage(url="http://www.anshun.gov.cn/n.html", body=NOTICE_PAGE.encode("utf-8"))
    with pytest.raises(DropItem, match="not an annual report"):
        run(ExtractPipeline.from_crawler(crawler), page)


def test_extraction_failure_is_reported_not_raised(crawler, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("table grid exploded")

    monkeypatch.setattr(extract_module, "record_from_bytes", broken)
    seen = []

    def on_failed(**kwargs):
        seen.append(kwargs)

    crawler.signals.connect(on_failed, signal=page_failed)
    page = FetchedPage(url="http://www.anshun.gov.cn/b.html", body=b"<html></html>")
    with pytest.raises(DropItem, match="extraction failed"):
        run(ExtractPipeline.from_crawler(crawler), page)
    assert seen == [{"url": page.url, "kind": "error", "reason": "ValueError: table grid exploded",
                     "signal": page_failed, "sender": seen[0]["sender"]}]
    assert crawler.stats.get_value("govcrawl/pages_failed") == 1


def test_other_items_pass_through(crawler):
    assert run(ExtractPipeline.from_crawler(crawler), {"url": "x"}) == {"url": "x"}


def test_public_record_pipeline_strips_private_keys():
    item = {"url": "u", "_page": object(), "cells": []}
    assert PublicRecordPipeline().process_item(item) == {"url": "u", "cells": []}


def test_worker_process_extracts_the_record(pool_pipeline):
    pool_pipeline.pool.timeout = 30
    page = FetchedPage(url="http://www.anshun.gov.cn/a.html", body=REPORT_PAGE.encode("utf-8"))
    record = run(pool_pipeline, page)
    assert record["is_report"] is True and record["agency"] == "安顺市民政局"
    assert record["_page"] is page


def test_page_over_its_deadline_fails_and_its_worker_is_replaced(pool_pipeline):
    slow = REPORT_PAGE.replace("<p>一、总体情况</p>", "<p>一、总体情况</p>" + "<p>本年度主动公开信息一千条。</p>" * 8000)
    page = FetchedPage(url="http://www.anshun.gov.cn/slow.html", body=slow.encode("utf-8"))
    with pytest.raises(DropItem, match="extraction failed"):
        run(pool_pipeline, page)
    assert pool_pipeline.failures == [(page.url, "error", "ExtractionTimeout: extraction took longer than "
                                                          "0.01s: the page's worker was killed")]
    assert pool_pipeline.pool.killed == 1
    pool_pipeline.pool.timeout = 30  # the replacement worker serves the next page
    good = FetchedPage(url="http://www.anshun.gov.cn/a.html", body=REPORT_PAGE.encode("utf-8"))
    assert run(pool_pipeline, good)["is_report"] is True


def test_page_over_its_cpu_budget_is_killed_by_the_kernel_and_fails(pool_pipeline):
    # a wall deadline long enough that only the CPU budget (1 s, at most 2 s as the kernel counts
    # whole seconds) can stop the page, which takes ~3.7 s of CPU in-process (1.8 MB of markup)
    pool_pipeline.pool.timeout = 120
    pool_pipeline.pool.cpu_limit = 1.0
    heavy = REPORT_PAGE.replace("<p>一、总体情况</p>", "<p>一、总体情况</p>" + "".join(
        f"<div><p>第{i}条 本机关依申请公开政府信息{i}件。</p><span>{i}</span></div>" for i in range(20000)))
    page = FetchedPage(url="http://www.anshun.gov.cn/heavy.html", body=heavy.encode("utf-8"))
    with pytest.raises(DropItem, match="extraction failed"):
        run(pool_pipeline, page)
    assert pool_pipeline.failures == [(page.url, "error", "CpuLimitExceeded: extraction used more than "
                                                          "1s of CPU: the page's worker was killed")]
    assert pool_pipeline.pool.killed == 1
    # the budget is per page: the replacement worker reads the next page within it
    good = FetchedPage(url="http://www.anshun.gov.cn/a.html", body=REPORT_PAGE.encode("utf-8"))
    assert run(pool_pipeline, good)["is_report"] is True


def test_a_60_mb_page_is_a_recorded_failure_and_no_worker_is_lost(pool_pipeline):
    pool_pipeline.pool.timeout = 30
    body = b"<html><body>" + "政务公开".encode() * (60 * 2**20 // 12) + b"</body></html>"
    page = FetchedPage(url="http://www.anshun.gov.cn/huge.html", body=body, content_type="text/html")
    with pytest.raises(DropItem, match="extraction failed"):
        run(pool_pipeline, page)
    assert pool_pipeline.failures == [(page.url, "error", "PageTooLargeError: the page is 60.0 MB, over the "
                                                          "10 MB limit for HTML and text pages")]
    assert pool_pipeline.pool.killed == 0


def test_a_redirected_page_fails_under_the_url_asked_for(crawler):
    failures = []
    crawler.signals.connect(lambda **kw: failures.append((kw["url"], kw["kind"], kw["reason"])),
                            signal=page_failed, weak=False)
    page = FetchedPage(url="http://www.anshun.gov.cn/new/a.html", body=b"",
                       requested_url="http://www.anshun.gov.cn/a.html")
    with pytest.raises(DropItem):
        run(ExtractPipeline.from_crawler(crawler), page)
    assert failures == [("http://www.anshun.gov.cn/a.html", "empty", "the page has no text at all (redirected: "
                         "http://www.anshun.gov.cn/a.html -> http://www.anshun.gov.cn/new/a.html)")]


def test_page_with_nothing_to_read_is_a_failure_of_kind_empty(crawler):
    failures = []
    crawler.signals.connect(lambda **kw: failures.append((kw["kind"], kw["reason"])), signal=page_failed, weak=False)
    for body in (b"", b"<html><body>  </body></html>"):
        with pytest.raises(DropItem):
            run(ExtractPipeline.from_crawler(crawler), FetchedPage(url="http://x.gov.cn/e.html", body=body))
    shell = b'<html><body><div id="app">{{ article.title }}</div><script src="app.js"></script></body></html>'
    with pytest.raises(DropItem):
        run(ExtractPipeline.from_crawler(crawler), FetchedPage(url="http://x.gov.cn/s.html", body=shell))
    assert failures == [("empty", "the page has no text at all")] * 2 + [
        ("empty", "the page is a JavaScript shell (its content is loaded by script)")]
    assert crawler.stats.get_value("govcrawl/pages_failed") == 3


def test_page_whose_little_text_is_chrome_is_not_a_report_and_no_failure(crawler):
    failures = []
    crawler.signals.connect(lambda **kw: failures.append(kw["kind"]), signal=page_failed, weak=False)
    chrome = '<html><body><div class="footer">版权所有：小县人民政府 网站标识码：5204000001</div></body></html>'
    with pytest.raises(DropItem, match="not an annual report"):
        run(ExtractPipeline.from_crawler(crawler), FetchedPage(url="http://x.gov.cn/c.html", body=chrome.encode()))
    assert failures == [] and crawler.stats.get_value("govcrawl/pages_not_report") == 1


def test_page_over_the_size_limit_is_a_failure(crawler):
    failures = []
    crawler.signals.connect(lambda **kw: failures.append((kw["kind"], kw["reason"])), signal=page_failed, weak=False)
    huge = b"<html><body>" + b"<p>x</p>" * (11 * 2**17) + b"</body></html>"
    with pytest.raises(DropItem):
        run(ExtractPipeline.from_crawler(crawler), FetchedPage(url="http://x.gov.cn/big.html", body=huge))
    assert failures == [("error", "PageTooLargeError: the page is 11.0 MB, over the 10 MB limit for HTML and text pages")]
