"""`govcrawl new-agency NAME URL --family trs [--agency 中文名] [--region CODE] [--root DIR]`.

Scaffolds an agency.

Writes, from the templates in govcrawl/templates/ (as City Scrapers' genspider does):

- `govcrawl/spiders/NAME.py`: a thin `ReportSpider` on the family, with the column as its start URL
  and, with `--region 520400`, the column's division as its `region_code` (the context every
  report request's hints carry, as the anshun, panan, guandu and jilin spiders set theirs);
- `tests/spiders/test_NAME.py`: its test module, to be filled in against the mirror; it asserts the
  spider's region and that the report requests of its listing carry it;
- a mirror stub of the start page (`fixtures/sites/<host>/<path>/index.html` for a directory URL)
  and of the site's robots.txt, each marked as a stub, unless the mirror already has them.

The result passes `govcrawl checkall`; what it cannot know (whose reports the column holds, the
recorded pages, the assertions; the region when `--region` is not given) is marked TODO. It refuses
a name a spider already has, a family the registry does not know and a region code that is not a
current division of govcrawl/regions/divisions.csv (a former code is refused with its successor:
520421 平坝县 -> 520403 平坝区).
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

from govcrawl import PROJECT_ROOT, regions
from govcrawl.cms import family_named, family_names
from govcrawl.commands.checkall import spider_class_name, spider_loader
from govcrawl.offline import fixture_path

_NAME = re.compile(r"[a-z][a-z0-9_]*")


def _template(name: str) -> Template:
    return Template((files("govcrawl") / "templates" / name).read_text("utf-8"))


def checked_region(code: str) -> regions.Division:
    """The current division `code` names; ValueError for anything else (a former code names its
    successor)."""
    text = (code or "").strip()
    if not re.fullmatch(r"\d{6}", text):
        raise ValueError(f"a region is a 6-digit division code (520400), not {code!r}")
    division = regions.division(text)
    if division is None:
        successor = regions.successor(text)
        current = regions.division(successor) if successor else None
        if current is not None:
            raise ValueError(f"region {text} is no longer in use: its successor is {current.code} "
                             f"({current.name})")
        raise ValueError(f"region {text} is not a division code of govcrawl/regions/divisions.csv")
    return division


def new_agency(name: str, url: str, family: str, agency: str | None = None,
               region: str | None = None, root: Path = PROJECT_ROOT) -> list[Path]:
    """Write the spider, its test module and the mirror stubs under `root`; the files written."""
    root = Path(root)
    if not _NAME.fullmatch(name or ""):
        raise ValueError(f"a spider name is lower-case letters, digits and _, not {name!r}")
    family_named(family)  # an unknown family: ValueError naming the known ones
    division = checked_region(region) if region is not None else None
    parts = urlsplit(url.strip())
    host = parts.netloc.lower()
    if parts.scheme not in ("http", "https") or not host:
        raise ValueError(f"the column URL must be an http(s) URL, not {url!r}")
    url = parts.geturl()
    spider_file = root / "govcrawl" / "spiders" / f"{name}.py"
    test_file = root / "tests" / "spiders" / f"test_{name}.py"
    if name in spider_loader().list() or spider_file.exists() or test_file.exists():
        raise ValueError(f"a spider called {name!r} exists already")
    values = {
        "name": name, "classname": spider_class_name(name), "family": family, "url": url,
        "host": host, "title": agency or host,
        # json.dumps: a double-quoted literal Python reads back as the same string
        "agency_line": (f"agency = {json.dumps(agency, ensure_ascii=False)}" if agency else
                        "# TODO: the agency whose column this is (None: many agencies' reports)\n"
                        "    agency = None"),
        "region_line": (f"region_code = {json.dumps(division.code)}  # {division.name}" if division else
                        "# TODO: the column's division code (`govcrawl new-agency ... --region 520400`)\n"
                        "    region_code = None"),
        "region": json.dumps(division.code) if division else "None",
    }
    sites = root / "fixtures" / "sites"
    planned = [(spider_file, "spider.py.tmpl"), (test_file, "test_spider.py.tmpl"),
               (fixture_path(sites, url), "mirror_index.html.tmpl"),
               (fixture_path(sites, f"{parts.scheme}://{parts.netloc}/robots.txt"), "robots.txt.tmpl")]
    written = []
    for path, template in planned:
        if path.exists():  # a recorded mirror file is data: never overwritten by a stub
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_template(template).substitute(values), "utf-8")
        written.append(path)
    return written


def cmd_new_agency(args) -> int:
    for path in new_agency(args.name, args.url, args.family, agency=args.agency, region=args.region,
                           root=args.root):
        print(path)
    print(f"next: record the column under fixtures/sites/, fill in the TODOs, then "
          f"`govcrawl checkall` and `pytest tests/spiders/test_{args.name}.py`")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "new-agency", help="scaffold an agency spider, its test module and a mirror stub")
    p.add_argument("name", help="the spider's name (lower case): its module is govcrawl/spiders/NAME.py")
    p.add_argument("url", help="the agency's annual-report column")
    p.add_argument("--family", required=True, choices=family_names(), help="the site's CMS family")
    p.add_argument("--agency", help="the agency whose column it is (中文名)")
    p.add_argument("--region", metavar="CODE",
                   help="the column's 6-digit division code (520400 安顺市), a current one of "
                        "govcrawl/regions/divisions.csv: the spider's region_code")
    p.add_argument("--root", type=Path, default=PROJECT_ROOT,
                   help="the repository to write into (default: this one)")
    p.set_defaults(func=cmd_new_agency)
