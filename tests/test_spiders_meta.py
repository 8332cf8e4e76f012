"""Every agency spider is complete: metadata, an offline mirror of its column, its own tests.

The project's `checkall` (as in kingfisher-collect): a new spider that forgets one of these fails
here rather than on a user's nightly run.
"""

import sys

import pytest
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

from govcrawl import PROJECT_ROOT
from govcrawl.offline import DEFAULT_FIXTURES_DIR, fixture_path
from govcrawl.spiders.base import ReportSpider

LOADER = SpiderLoader.from_settings(get_project_settings())
#: spiders whose start URL is given at run time (`-a url=...`)
GENERIC = {"column"}
AGENCY_SPIDERS = sorted(set(LOADER.list()) - GENERIC)


def test_the_expected_spiders_exist():
    assert set(LOADER.list()) >= {"anshun", "panan", "guandu", "jilin", "column"}


@pytest.mark.parametrize("name", sorted(LOADER.list()))
def test_spider_is_a_report_spider_with_a_docstring(name):
    cls = LOADER.load(name)
    assert issubclass(cls, ReportSpider)
    doc = cls.__doc__ or sys.modules[cls.__module__].__doc__ or ""
    assert doc.strip(), f"{name}: say which site and column it crawls"


@pytest.mark.parametrize("name", AGENCY_SPIDERS)
def test_agency_spider_metadata(name):
    cls = LOADER.load(name)
    assert cls.allowed_domains and cls.start_urls
    for url in cls.start_urls:
        assert url.startswith(("http://", "https://"))
        host = url.split("/")[2]
        assert any(host == d or host.endswith("." + d) for d in cls.allowed_domains)


@pytest.mark.parametrize("name", AGENCY_SPIDERS)
def test_agency_spider_has_an_offline_mirror_of_its_start_pages(name):
    cls = LOADER.load(name)
    for url in cls.start_urls:
        assert fixture_path(DEFAULT_FIXTURES_DIR, url).is_file(), f"{name}: no mirror of {url}"
        assert fixture_path(DEFAULT_FIXTURES_DIR, url.split("/", 3)[0] + "//" + url.split("/")[2]
                            + "/robots.txt").is_file()


@pytest.mark.parametrize("name", sorted(LOADER.list()))
def test_spider_has_its_own_test_module(name):
    assert (PROJECT_ROOT / "tests" / f"test_spider_{name}.py").is_file()
