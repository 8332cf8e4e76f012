"""`govcrawl catalog list` and `govcrawl catalog check` (registered by govcrawl/cli.py).

    govcrawl catalog list [--region CODE] [--level L] [--file CSV]   the catalog as CSV
    govcrawl catalog check [--file CSV]                              one line per problem, exit 1
    govcrawl discover URL [--offline]                                a site's report columns as rows

`--region 520400` lists 安顺市 and everything inside it (520402 西秀区 …); `--level county` lists
county governments, their departments and zones, `--level department` every department.
"""

from __future__ import annotations

import csv
import sys

from govcrawl import catalog


def register(subparsers) -> None:
    from govcrawl.catalog import discover

    discover.register(subparsers)  # govcrawl discover URL
    p = subparsers.add_parser("catalog", help="the catalog of report columns (list, check)")
    sub = p.add_subparsers(dest="catalog_command", required=True)
    q = sub.add_parser("list", help="print the catalog (or a part of it) as CSV")
    q.add_argument("--region", help="a division code: the rows inside it (520400 includes 520402); "
                                    "several, comma-separated: 52,33")
    q.add_argument("--key", help="agency keys, comma-separated (520400:人民政府)")
    q.add_argument("--level", help="a level (county, prefecture-department, …) or a level word (department)")
    q.add_argument("--file", help="a catalog CSV other than the shipped one")
    q.set_defaults(func=cmd_list)
    q = sub.add_parser("check", help="validate the catalog; exits 1 with one line per problem")
    q.add_argument("--file", help="a catalog CSV other than the shipped one")
    q.set_defaults(func=cmd_check)


def cmd_list(args) -> int:
    columns = catalog.select(catalog.rows(args.file), region=args.region, level=args.level, key=args.key)
    writer = csv.DictWriter(sys.stdout, fieldnames=catalog.HEADER, lineterminator="\n")
    writer.writeheader()
    for column in columns:
        writer.writerow(column.as_row())
    return 0


def cmd_check(args) -> int:
    problems = catalog.problems(args.file)
    for line in problems:
        print(line)
    if problems:
        print(f"catalog check: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"catalog check: {len(catalog.rows(args.file))} rows, no problems")
    return 0
