"""govcrawl/commands/new_agency.py: `govcrawl new-agency` writes a spider, its test module and a
mirror stub that load and pass the metadata checks, into a scratch `--root`; it refuses a name
already taken and a family the registry does not know."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from govcrawl.cli import main
from govcrawl.cms import kunming, plain, trs
from govcrawl.commands.checkall import check_spider
from govcrawl.commands.new_agency import new_agency
from tests.helpers import file_response

URL = "http://www.tidy.gov.cn/xxgk/ndbg/"


def load_spider(root: Path, name: str):
    path = root / "govcrawl" / "spiders" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"generated_spiders_{name}_{id(root)}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_writes_the_spider_its_tests_and_the_mirror_stubs(tmp_path):
    written = new_agency("tidy", URL, "trs", agency="整洁县人民政府", root=tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "govcrawl/spiders/tidy.py", "tests/spiders/test_tidy.py",
        "fixtures/sites/www.tidy.gov.cn/xxgk/ndbg/index.html", "fixtures/sites/www.tidy.gov.cn/robots.txt"]
    cls = load_spider(tmp_path, "tidy").TidySpider
    assert (cls.name, cls.family, cls.agency) == ("tidy", trs.FAMILY, "整洁县人民政府")
    assert cls.start_urls == [URL] and cls.allowed_domains == ["www.tidy.gov.cn"]
    assert check_spider(cls, tmp_path) == []
    # the generated test module is Python that names the generated spider
    test_source = (tmp_path / "tests" / "spiders" / "test_tidy.py").read_text("utf-8")
    compile(test_source, "test_tidy.py", "exec")
    assert "from govcrawl.spiders.tidy import TidySpider" in test_source
    # the stub is marked as one, and the spider reads it (nothing to follow yet)
    stub = tmp_path / "fixtures" / "sites" / "www.tidy.gov.cn" / "xxgk" / "ndbg" / "index.html"
    assert "stub" in stub.read_text("utf-8")
    assert list(cls().parse_listing(file_response(stub, URL))) == []


def test_a_page_url_a_plain_family_and_no_agency(tmp_path):
    url = "https://www.tidy.gov.cn/xxgk/nb/index.shtml"
    new_agency("tidy_nb", url, "plain", root=tmp_path)
    assert (tmp_path / "fixtures" / "sites" / "www.tidy.gov.cn" / "xxgk" / "nb" / "index.shtml").is_file()
    cls = load_spider(tmp_path, "tidy_nb").TidyNbSpider
    assert cls.family is plain.FAMILY and cls.agency is None
    assert check_spider(cls, tmp_path) == []


def test_a_recorded_mirror_is_never_overwritten(tmp_path):
    robots = tmp_path / "fixtures" / "sites" / "www.tidy.gov.cn" / "robots.txt"
    robots.parent.mkdir(parents=True)
    robots.write_text("User-agent: *\nDisallow: /search\n", "utf-8")
    written = new_agency("tidy", URL, "kunming", root=tmp_path)
    assert robots not in written
    assert robots.read_text("utf-8") == "User-agent: *\nDisallow: /search\n"
    assert load_spider(tmp_path, "tidy").TidySpider.family is kunming.FAMILY


def test_refuses_a_taken_name_an_unknown_family_and_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="'anshun' exists"):
        new_agency("anshun", URL, "trs", root=tmp_path)  # a spider of the project
    new_agency("tidy", URL, "trs", root=tmp_path)
    with pytest.raises(ValueError, match="'tidy' exists"):
        new_agency("tidy", URL, "trs", root=tmp_path)  # already scaffolded there
    with pytest.raises(ValueError, match="family must be one of hanweb, trs, kunming, plain"):
        new_agency("neat", URL, "drupal", root=tmp_path)
    with pytest.raises(ValueError, match="spider name"):
        new_agency("Neat-County", URL, "trs", root=tmp_path)
    with pytest.raises(ValueError, match="http"):
        new_agency("neat", "www.neat.gov.cn/nb/", "trs", root=tmp_path)
    assert not (tmp_path / "govcrawl" / "spiders" / "neat.py").exists()


def test_the_cli_command(tmp_path, capsys):
    assert main(["new-agency", "tidy", URL, "--family", "hanweb", "--agency", "整洁县应急管理局",
                 "--root", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert str(tmp_path / "govcrawl" / "spiders" / "tidy.py") in out and "checkall" in out
    assert main(["new-agency", "tidy", URL, "--family", "hanweb", "--root", str(tmp_path)]) == 1
    assert "exists already" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["new-agency", "neat", URL, "--family", "drupal", "--root", str(tmp_path)])
    assert exit_.value.code == 2  # argparse: invalid choice


def test_checkall_cli_passes_on_the_project(capsys):
    assert main(["checkall"]) == 0
    assert "with problems" in capsys.readouterr().err
