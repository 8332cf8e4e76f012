"""`govcrawl checkall`: every spider is complete (kingfisher-collect's `checkall`, for this project).

A spider that forgets one of these fails here rather than on a user's nightly run:

- it is a `ReportSpider` with a docstring (its own or its module's) saying which site and column
  it crawls;
- its module's file name is its `name`, and its class is CamelCase(name) + "Spider"
  (`guandu.py`: `GuanduSpider`, name "guandu");
- it declares a `family` from the registry (govcrawl/cms/__init__.py `FAMILIES`);
- an agency spider (one with `start_urls`; not the `column` spider, whose URL is an argument) has
  `allowed_domains` covering its http(s) start URLs, and an offline mirror of each start page and of
  its site's robots.txt under `fixtures/sites/<host>/`;
- its test module `tests/spiders/test_<name>.py` exists.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

from govcrawl import PROJECT_ROOT
from govcrawl.cms import FAMILIES, family_names
from govcrawl.offline import fixture_path
from govcrawl.spiders.base import ReportSpider


def spider_class_name(name: str) -> str:
    """`guandu` -> `GuanduSpider`, `hubei_yjt` -> `HubeiYjtSpider`."""
    return "".join(part.capitalize() for part in name.split("_")) + "Spider"


def check_spider(cls: type, root: Path = PROJECT_ROOT) -> list[str]:
    """What is wrong with a spider class, as sentences (empty when nothing is). `root` is the
    repository whose `fixtures/sites/` and `tests/spiders/` are checked."""
    root = Path(root)
    name = getattr(cls, "name", None)
    if not isinstance(cls, type) or not issubclass(cls, ReportSpider):
        return [f"{getattr(cls, '__name__', cls)!s} is not a ReportSpider"]
    problems = []
    module = sys.modules.get(cls.__module__)
    module_file = getattr(module, "__file__", None)
    stem = Path(module_file).stem if module_file else None
    if stem != name:
        problems.append(f"the module file {stem}.py does not match the spider name {name!r}")
    if cls.__name__ != spider_class_name(name or ""):
        problems.append(f"the class {cls.__name__} should be called {spider_class_name(name or '')}")
    if not (cls.__doc__ or getattr(module, "__doc__", None) or "").strip():
        problems.append("no docstring: say which site and column it crawls")
    family = getattr(cls, "family", None)
    if not any(family is known for known in FAMILIES):
        problems.append(f"no family from the registry ({', '.join(family_names())}): "
                        f"declare one, e.g. `family = trs.FAMILY`")
    if not cls.url_argument:
        problems += _agency_problems(cls, root)
    if not (root / "tests" / "spiders" / f"test_{name}.py").is_file():
        problems.append(f"no test module tests/spiders/test_{name}.py")
    return problems


def _agency_problems(cls: type[ReportSpider], root: Path) -> list[str]:
    problems = []
    domains, urls = list(getattr(cls, "allowed_domains", None) or ()), list(getattr(cls, "start_urls", None) or ())
    if not domains or not urls:
        return ["an agency spider needs allowed_domains and start_urls"]
    sites = root / "fixtures" / "sites"
    for url in urls:
        parts = urlsplit(url)
        host = parts.netloc.lower()
        if parts.scheme not in ("http", "https") or not host:
            problems.append(f"start URL {url} is not an http(s) URL")
            continue
        if not any(host == d or host.endswith("." + d) for d in domains):
            problems.append(f"start URL {url} is outside allowed_domains {domains}")
        if not (sites / host).is_dir():
            problems.append(f"no mirror of {host} under fixtures/sites/")
            continue
        if not fixture_path(sites, url).is_file():
            problems.append(f"no mirror of the start page {url}")
        if not fixture_path(sites, f"{parts.scheme}://{parts.netloc}/robots.txt").is_file():
            problems.append(f"no mirror of {host}/robots.txt")
    return problems


def spider_loader():
    """Scrapy's SpiderLoader over the project's SPIDER_MODULES (from govcrawl.settings, so it does
    not depend on finding scrapy.cfg from the current directory)."""
    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader

    settings = Settings()
    settings.setmodule("govcrawl.settings", priority="project")
    return SpiderLoader.from_settings(settings)


def check_all(root: Path = PROJECT_ROOT) -> dict[str, list[str]]:
    """The problems of every spider the project's SpiderLoader finds, by spider name."""
    loader = spider_loader()
    return {name: check_spider(loader.load(name), root) for name in sorted(loader.list())}


def cmd_checkall(args) -> int:
    results = check_all(args.root)
    failed = 0
    for name, problems in results.items():
        for problem in problems:
            print(f"{name}: {problem}")
        failed += bool(problems)
    print(f"{len(results)} spiders checked, {failed} with problems", file=sys.stderr)
    return 1 if failed else 0


def register(subparsers) -> None:
    p = subparsers.add_parser("checkall", help="check that every spider is complete (names, family, "
                                               "mirror, test module)")
    p.add_argument("--root", type=Path, default=PROJECT_ROOT,
                   help="the repository to check fixtures/ and tests/ in (default: this one)")
    p.set_defaults(func=cmd_checkall)
