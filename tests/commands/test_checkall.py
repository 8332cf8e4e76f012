"""govcrawl/commands/checkall.py: every spider of the project passes the metadata checks, and each
check reports the spider that breaks it (a check that cannot fail checks nothing).

The project's `checkall` (as in kingfisher-collect): a new spider that forgets its family, its
mirror or its tests fails here rather than on a user's nightly run.
"""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path

import pytest

from govcrawl.cms import trs
from govcrawl.cms.family import Family
from govcrawl.commands.checkall import check_all, check_spider, spider_class_name, spider_loader
from govcrawl.commands.new_agency import new_agency

LOADER = spider_loader()


def test_the_expected_spiders_exist():
    assert set(LOADER.list()) >= {"anshun", "panan", "guandu", "jilin", "column"}


@pytest.mark.parametrize("name", sorted(LOADER.list()))
def test_spider_passes_every_check(name):
    assert check_spider(LOADER.load(name)) == []


def test_check_all_covers_every_spider():
    assert check_all() == {name: [] for name in sorted(LOADER.list())}


def test_spider_class_names():
    assert spider_class_name("guandu") == "GuanduSpider"
    assert spider_class_name("hubei_yjt") == "HubeiYjtSpider"


# --- broken spiders are reported --------------------------------------------------------------------
def load(path: Path):
    """Import a spider module written under a scratch root (its file name is what is checked)."""
    spec = importlib.util.spec_from_file_location(f"scratch_spiders_{path.stem}_{id(path)}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def write(root: Path, name: str, source: str):
    path = root / "govcrawl" / "spiders" / f"{name}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source), "utf-8")
    return load(path)


@pytest.fixture
def root(tmp_path):
    """A scratch repository with one complete spider, `tidy` (scaffolded, so complete)."""
    new_agency("tidy", "http://www.tidy.gov.cn/xxgk/ndbg/", "trs", agency="整洁县人民政府", root=tmp_path)
    return tmp_path


def test_a_complete_spider_has_no_problems(root):
    module = load(root / "govcrawl" / "spiders" / "tidy.py")
    assert check_spider(module.TidySpider, root) == []


def test_every_rule_of_a_careless_spider_is_reported(root):
    module = write(root, "careless", """
        from govcrawl.spiders.base import ReportSpider


        class Careless(ReportSpider):
            name = "careles"
    """)
    problems = check_spider(module.Careless, root)
    assert problems == [
        "the module file careless.py does not match the spider name 'careles'",
        "the class Careless should be called CarelesSpider",
        "no docstring: say which site and column it crawls",
        "no family from the registry (hanweb, trs, kunming, plain): declare one, e.g. `family = trs.FAMILY`",
        "an agency spider needs allowed_domains and start_urls",
        "no test module tests/spiders/test_careles.py",
    ]


def test_a_family_outside_the_registry_is_reported(root):
    module = load(root / "govcrawl" / "spiders" / "tidy.py")
    rogue = type("TidySpider", (module.TidySpider,), {"family": Family(), "__module__": module.__name__})
    assert [p for p in check_spider(rogue, root) if "family" in p] == [
        "no family from the registry (hanweb, trs, kunming, plain): declare one, e.g. `family = trs.FAMILY`"]


def test_start_urls_without_a_mirror_or_outside_the_domains_are_reported(root):
    module = load(root / "govcrawl" / "spiders" / "tidy.py")

    def variant(**attrs):
        cls = type("TidySpider", (module.TidySpider,), {"__module__": module.__name__, **attrs})
        return check_spider(cls, root)

    assert variant(start_urls=["http://www.tidy.gov.cn/xxgk/other/"]) == [
        "no mirror of the start page http://www.tidy.gov.cn/xxgk/other/"]
    assert variant(start_urls=["http://www.elsewhere.gov.cn/nb/"]) == [
        "start URL http://www.elsewhere.gov.cn/nb/ is outside allowed_domains ['www.tidy.gov.cn']",
        "no mirror of www.elsewhere.gov.cn under fixtures/sites/"]
    assert variant(start_urls=["ftp://www.tidy.gov.cn/nb/"]) == [
        "start URL ftp://www.tidy.gov.cn/nb/ is not an http(s) URL"]
    (root / "fixtures" / "sites" / "www.tidy.gov.cn" / "robots.txt").unlink()
    assert variant() == ["no mirror of www.tidy.gov.cn/robots.txt"]


def test_a_missing_test_module_is_reported(root):
    module = load(root / "govcrawl" / "spiders" / "tidy.py")
    (root / "tests" / "spiders" / "test_tidy.py").unlink()
    assert check_spider(module.TidySpider, root) == ["no test module tests/spiders/test_tidy.py"]


def test_a_spider_that_is_no_report_spider_is_reported(root):
    module = write(root, "bare", '''
        """Not a report spider."""
        import scrapy


        class BareSpider(scrapy.Spider):
            name = "bare"
    ''')
    assert check_spider(module.BareSpider, root) == ["BareSpider is not a ReportSpider"]


def test_a_url_argument_spider_needs_no_start_urls_or_mirror(root):
    module = write(root, "anywhere", '''
        """Any column given as -a url=."""
        from govcrawl.cms import plain
        from govcrawl.spiders.base import ReportSpider


        class AnywhereSpider(ReportSpider):
            name = "anywhere"
            family = plain.FAMILY
            url_argument = True
    ''')
    assert check_spider(module.AnywhereSpider, root) == ["no test module tests/spiders/test_anywhere.py"]
    assert module.AnywhereSpider.family is not trs.FAMILY
