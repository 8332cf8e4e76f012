"""govcrawl/commands/new_agency.py: `govcrawl new-agency` writes a spider, its test module and a
mirror stub that load and pass the metadata checks, into a scratch `--root`; it refuses a name
already taken, a family the registry does not know and a region that is not a current division.
With `--region` the spider's `region_code` is the division's and the generated test module, run
here against the scratch mirror, asserts it and the report hints that carry it."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

import tests.helpers
from govcrawl import PROJECT_ROOT
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


def run_generated_tests(root: Path, name: str, monkeypatch) -> list[str]:
    """Run the generated tests/spiders/test_NAME.py against the spider and the mirror under `root`
    (the spider module stands in as govcrawl.spiders.NAME, file_response reads root's mirror);
    the test functions run."""
    monkeypatch.setitem(sys.modules, f"govcrawl.spiders.{name}", load_spider(root, name))
    monkeypatch.setattr(tests.helpers, "FIXTURES_DIR", root / "fixtures" / "sites")
    source = (root / "tests" / "spiders" / f"test_{name}.py").read_text("utf-8")
    namespace: dict = {"__name__": f"generated_test_{name}"}
    exec(compile(source, f"test_{name}.py", "exec"), namespace)
    ran = []
    for key, value in namespace.items():
        if key.startswith("test_") and callable(value):
            value()
            ran.append(key)
    return ran


def test_writes_the_spider_its_tests_and_the_mirror_stubs(tmp_path):
    written = new_agency("tidy", URL, "trs", agency="整洁县人民政府", region="520402", root=tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "govcrawl/spiders/tidy.py", "tests/spiders/test_tidy.py",
        "fixtures/sites/www.tidy.gov.cn/xxgk/ndbg/index.html", "fixtures/sites/www.tidy.gov.cn/robots.txt"]
    cls = load_spider(tmp_path, "tidy").TidySpider
    assert (cls.name, cls.family, cls.agency) == ("tidy", trs.FAMILY, "整洁县人民政府")
    assert cls.start_urls == [URL] and cls.allowed_domains == ["www.tidy.gov.cn"]
    assert cls.region_code == "520402"
    assert 'region_code = "520402"  # 西秀区' in (tmp_path / "govcrawl" / "spiders" / "tidy.py").read_text("utf-8")
    assert check_spider(cls, tmp_path) == []
    # the generated test module is Python that names the generated spider
    test_source = (tmp_path / "tests" / "spiders" / "test_tidy.py").read_text("utf-8")
    compile(test_source, "test_tidy.py", "exec")
    assert "from govcrawl.spiders.tidy import TidySpider" in test_source
    assert 'REGION = "520402"' in test_source and "spider.region_code == REGION" in test_source
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
    # no --region: a TODO, and the generated test expects none
    assert cls.region_code is None
    assert "TODO: the column's division code" in (
        tmp_path / "govcrawl" / "spiders" / "tidy_nb.py").read_text("utf-8")
    assert "REGION = None" in (tmp_path / "tests" / "spiders" / "test_tidy_nb.py").read_text("utf-8")
    assert check_spider(cls, tmp_path) == []


def test_the_generated_tests_pass_and_check_the_region_hints(tmp_path, monkeypatch):
    url = "http://www.tidy.gov.cn/zfxxgk/zfxxgknb/2019year/"
    new_agency("tidy", url, "trs", agency="安顺市人民政府", region="520400", root=tmp_path)
    # on the stub the listing yields nothing
    assert run_generated_tests(tmp_path, "tidy", monkeypatch) == [
        "test_spider_identity", "test_start_page_of_the_mirror_is_read"]
    # on a recorded TRS year column (安顺's 2019 one) it yields reports, each hinted with the region
    stub = tmp_path / "fixtures" / "sites" / "www.tidy.gov.cn" / "zfxxgk" / "zfxxgknb" / "2019year" / "index.html"
    shutil.copyfile(PROJECT_ROOT / "fixtures" / "sites" / "www.anshun.gov.cn" / "zfxxgk" / "zfxxgknb" / "2019year"
                    / "index.html", stub)
    cls = sys.modules["govcrawl.spiders.tidy"].TidySpider
    reports = [r for r in cls().parse_listing(file_response(stub, url)) if r.meta["govcrawl_kind"] == "detail"]
    assert reports and {r.cb_kwargs["hints"].region_code for r in reports} == {"520400"}
    assert len(run_generated_tests(tmp_path, "tidy", monkeypatch)) == 2
    # the generated test fails for a spider whose region is not the one it was generated with
    spider_file = tmp_path / "govcrawl" / "spiders" / "tidy.py"
    spider_file.write_text(spider_file.read_text("utf-8").replace('"520400"', '"520402"'), "utf-8")
    with pytest.raises(AssertionError):
        run_generated_tests(tmp_path, "tidy", monkeypatch)


def test_refuses_a_region_that_is_not_a_current_division(tmp_path):
    with pytest.raises(ValueError, match="6-digit"):
        new_agency("neat", URL, "trs", region="5204", root=tmp_path)
    with pytest.raises(ValueError, match="not a division code"):
        new_agency("neat", URL, "trs", region="520499", root=tmp_path)
    with pytest.raises(ValueError, match="successor is 520403 \\(平坝区\\)"):
        new_agency("neat", URL, "trs", region="520421", root=tmp_path)  # 平坝县, until 2014
    assert not (tmp_path / "govcrawl").exists()


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
                 "--region", "330727", "--root", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert str(tmp_path / "govcrawl" / "spiders" / "tidy.py") in out and "checkall" in out
    assert load_spider(tmp_path, "tidy").TidySpider.region_code == "330727"
    assert main(["new-agency", "neat", URL, "--family", "hanweb", "--region", "999999",
                 "--root", str(tmp_path)]) == 1
    assert "999999" in capsys.readouterr().err
    assert main(["new-agency", "tidy", URL, "--family", "hanweb", "--root", str(tmp_path)]) == 1
    assert "exists already" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["new-agency", "neat", URL, "--family", "drupal", "--root", str(tmp_path)])
    assert exit_.value.code == 2  # argparse: invalid choice


def test_checkall_cli_passes_on_the_project(capsys):
    assert main(["checkall"]) == 0
    assert "with problems" in capsys.readouterr().err
