"""`govcrawl new-agency NAME URL --family trs [--agency 中文名] [--root DIR]`: scaffold an agency.

Writes, from the templates in govcrawl/templates/ (as City Scrapers' genspider does):

- `govcrawl/spiders/NAME.py`: a thin `ReportSpider` on the family, with the column as its start URL;
- `tests/spiders/test_NAME.py`: its test module, to be filled in against the mirror;
- a mirror stub of the start page (`fixtures/sites/<host>/<path>/index.html` for a directory URL)
  and of the site's robots.txt, each marked as a stub, unless the mirror already has them.

The result passes `govcrawl checkall`; what it cannot know (whose reports the column holds, the
recorded pages, the assertions) is marked TODO. It refuses a name a spider already has and a
family the registry does not know.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

from govcrawl import PROJECT_ROOT
from govcrawl.cms import family_named, family_names
from govcrawl.commands.checkall import spider_class_name, spider_loader
from govcrawl.offline import fixture_path

_NAME = re.compile(r"[a-z][a-z0-9_]*")


def _template(name: str) -> Template:
    return Template((files("govcrawl") / "templates" / name).read_text("utf-8"))


def new_agency(name: str, url: str, family: str, agency: str | None = None,
               root: Path = PROJECT_ROOT) -> list[Path]:
    """Write the spider, its test module and the mirror stubs under `root`; the files written."""
    root = Path(root)
    if not _NAME.fullmatch(name or ""):
        raise ValueError(f"a spider name is lower-case letters, digits and _, not {name!r}")
    family_named(family)  # an unknown family: ValueError naming the known ones
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
    for path in new_agency(args.name, args.url, args.family, agency=args.agency, root=args.root):
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
    p.add_argument("--root", type=Path, default=PROJECT_ROOT,
                   help="the repository to write into (default: this one)")
    p.set_defaults(func=cmd_new_agency)
