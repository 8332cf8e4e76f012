"""govcrawl/cms/kunming.py: the Kunming site cluster's family and functions, on the recorded
www.kmgd.gov.cn mirror."""

from govcrawl.cms import kunming
from tests.helpers import file_response

SITE = "http://www.kmgd.gov.cn"
COLUMN = f"{SITE}/zfxxgk/zfxxgknb/bmndbg/index.shtml"
PAGE2 = f"{SITE}/zfxxgk/zfxxgknb/bmndbg/index_2.shtml"
R2021 = f"{SITE}/c/2022-01-25/5412238.shtml"
R2019 = f"{SITE}/c/2020-01-20/4076521.shtml"
R2017 = f"{SITE}/c/2018-01-08/2199012.shtml"  # seed 003
R2016 = f"{SITE}/c/2017-02-20/1610344.shtml"
NONREPORT = f"{SITE}/c/2019-03-01/2786503.shtml"  # 官渡区2019年政务公开工作要点


# --- the functions ------------------------------------------------------------------
def test_article_urls():
    assert kunming.is_article_url(R2017)
    assert kunming.article_url_date(R2017) == "2018-01-08"
    assert not kunming.is_article_url(COLUMN)
    assert kunming.article_url_date(COLUMN) is None


def test_page_numbers():
    assert kunming.page_number(COLUMN) == 1
    assert kunming.page_number(PAGE2) == 2
    assert kunming.page_number(f"{SITE}/zfxxgk/zfxxgknb/bmndbg/") == 1
    assert kunming.page_number(R2017) is None


def test_looks_like_kunming():
    assert kunming.looks_like_kunming(file_response(COLUMN).text)
    assert kunming.looks_like_kunming(file_response(R2017).text)
    assert not kunming.looks_like_kunming("<html><body><div class='TRS_Editor'></div></body></html>")


def test_listing_entries_titles_and_dates():
    entries = kunming.listing_entries(file_response(COLUMN))
    assert [(e.url, e.date) for e in entries] == [
        (R2021, "2022-01-25"), (R2019, "2020-01-20"), (NONREPORT, "2019-03-01")]
    # the title attribute, not the list text cut with "..."
    assert entries[0].title == "昆明市官渡区人力资源和社会保障局2021年政府信息公开工作年度报告"


def test_listing_pages_from_the_pager():
    assert kunming.listing_pages(file_response(COLUMN)) == [PAGE2]
    assert kunming.listing_pages(file_response(PAGE2)) == [COLUMN]


# --- the family -------------------------------------------------------------------------------
def test_family_detects_the_cluster_pages_only():
    for url in (COLUMN, PAGE2, R2017):
        assert kunming.FAMILY.detect(file_response(url)), url
    for url in ("http://www.anshun.gov.cn/zfxxgk/zfxxgknb/", "http://www.panan.gov.cn/col/col1229147423/index.html"):
        assert not kunming.FAMILY.detect(file_response(url)), url


def test_family_listing_of_the_column():
    family = kunming.FAMILY
    entries = family.listing_entries(file_response(PAGE2))
    assert [e.url for e in entries][:2] == [R2017, R2016]
    assert family.listing_pages(file_response(COLUMN)) == [PAGE2]
    # the cluster's columns have no year sub-columns and need no POSTs
    assert family.subcolumns(file_response(COLUMN)) == []
    assert family.extra_requests(file_response(COLUMN)) == []
    assert family.content_css == "div.conTxt" and family.spans_column
    assert family.is_document_url(R2017) and not family.is_document_url(COLUMN)


def test_a_huge_page_total_is_clamped():
    page = file_response(COLUMN)
    body = page.text.replace("共2页", "共2000000页")
    assert body != page.text
    page = page.replace(body=body.encode(page.encoding))
    assert kunming.announced_pages(page) == 2000000
    pages = kunming.listing_pages(page, limit=4)
    assert pages[0] == PAGE2 and len(pages) == 4
    assert kunming.FAMILY.announced_pages(page) == 2000000
