"""CrawlSummary: the readable end-of-crawl summary."""

from scrapy.utils.test import get_crawler

from govcrawl.extensions import CrawlSummary


def record(year, fmt, failed=0):
    checks = [{"rule": "applications.results", "status": "fail"}] * failed
    checks += [{"rule": "applications.balance", "status": "pass"}]
    return {"is_report": True, "year": year, "format": fmt, "checks": checks}


def test_summary_counts_reports_by_year_and_format_and_failed_checks():
    summary = CrawlSummary(get_crawler(settings_dict={}))
    summary.item_scraped(record(2019, "2019", failed=2))
    summary.item_scraped(record(2019, "2019"))
    summary.item_scraped(record(2017, "statistics"))
    summary.page_failed(kind="blocked", url="u", reason="r")
    text = summary.render("anshun", "finished")
    lines = text.splitlines()
    assert lines[0] == "govcrawl: crawl 'anshun' finished: 3 new or changed report(s) extracted"
    assert lines[2].split() == ["2017", "statistics", "1", "0"]
    assert lines[3].split() == ["2019", "2019", "2", "2"]
    assert "pages failed: blocked: 1" in text


def test_summary_ignores_non_reports():
    summary = CrawlSummary(get_crawler(settings_dict={}))
    summary.item_scraped({"is_report": False, "year": 2019})
    assert summary.render("x", "finished").splitlines()[0].endswith(": 0 new or changed report(s) extracted")


def test_summary_reports_the_storage_counts():
    crawler = get_crawler(settings_dict={
        "ITEM_PIPELINES": {"govcrawl.pipelines.storage.StoragePipeline": 500},
        "GOVCRAWL_DATABASE_URL": "sqlite:///x.db"})
    crawler.stats.set_value("govcrawl/storage/unchanged", 11)
    crawler.stats.set_value("govcrawl/storage/missing", 1)
    text = CrawlSummary(crawler).render("anshun", "finished")
    assert "stored: 0 new, 0 changed, 11 unchanged, 1 missing (in sqlite:///x.db)" in text


def test_stats_file_is_written_when_the_engine_stops(tmp_path):
    import json

    path = tmp_path / "stats.json"
    crawler = get_crawler(settings_dict={"GOVCRAWL_STATS_FILE": str(path), "GOVCRAWL_SUMMARY": False})
    crawler.stats.set_value("govcrawl/storage/new", 3)
    summary = CrawlSummary(crawler)
    summary.spider_name = "anshun"
    summary.engine_stopped()
    assert json.loads(path.read_text())["govcrawl/storage/new"] == 3


def test_a_crawl_that_sees_no_report_is_flagged():
    summary = CrawlSummary(get_crawler(settings_dict={}))
    summary.page_failed(kind="blocked", url="u", reason="r")
    assert "WARNING: no report seen" in summary.render("anshun", "finished")


def test_unchanged_reports_count_as_seen():
    crawler = get_crawler(settings_dict={})
    crawler.stats.set_value("govcrawl/storage/unchanged", 4)
    assert "WARNING" not in CrawlSummary(crawler).render("panan", "finished")
