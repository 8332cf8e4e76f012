"""The `govcrawl` command line: extraction and parsing without a crawl, and storage maintenance.

    govcrawl extract PAGE.html --url URL     one HTML page -> one JSON record line
    govcrawl parse FILE [--url URL]          a report's text (UTF-8/GB18030), PDF, DOCX, DOC/WPS
    govcrawl reparse | export ...            stored data (see `govcrawl reparse -h`)
    govcrawl runs | failures                 crawl runs and their failed pages
    govcrawl scorecard [--coverage]          deadlines, sections, tables, identities per agency
    govcrawl serve [--port N]                browse the database in Datasette
    govcrawl schema [--check]                docs/report-schema.json from docs/report-schema.md
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _read(path: str) -> bytes:
    data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    if not data.strip():
        # an empty file is a failed download or a wrong path, never a report: say so, exit 1
        raise ValueError(f"empty input: {'stdin' if path == '-' else path} has no content")
    return data


def _emit(record: dict) -> None:
    record = {k: v for k, v in record.items() if not k.startswith("_")}
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


def cmd_extract(args) -> int:
    from govcrawl.ingest import record_from_bytes, sniff_kind

    data = _read(args.page)
    url = args.url or (Path(args.page).resolve().as_uri() if args.page != "-" else "stdin:")
    kind = sniff_kind(data, None, "" if args.page == "-" else args.page)
    if kind in ("pdf", "docx", "doc", "wps", "xlsx"):
        # a report file, not a page: say so rather than print the record of its bytes as HTML
        raise ValueError(f"not an HTML page: the file is a {kind.upper()} document "
                         f"(use `govcrawl parse` for report files)")
    _emit(record_from_bytes(data, url, encoding=args.encoding, kind="html"))
    return 0


def cmd_parse(args) -> int:
    from govcrawl.ingest import record_from_bytes, sniff_kind

    data = _read(args.file)
    url = args.url or (Path(args.file).resolve().as_uri() if args.file != "-" else "stdin:")
    kind = sniff_kind(data, None, args.file)
    if kind in ("xlsx", "other"):
        raise ValueError(f"unsupported file type ({kind})")
    _emit(record_from_bytes(data, url, encoding=args.encoding, kind=kind))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govcrawl", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="extract one HTML page into a report record (JSON line)")
    p.add_argument("page", help="an HTML file (or - for stdin)")
    p.add_argument("--url", help="the page's URL (resolves links; default: the file's URI)")
    p.add_argument("--encoding", help="the charset, when the page does not declare it right")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("parse", help="parse a report file (text, PDF, DOCX, DOC/WPS) into a record")
    p.add_argument("file", help="the report file (or - for stdin)")
    p.add_argument("--url", help="the report's URL")
    p.add_argument("--encoding", help="the text's charset (default: UTF-8, else GB18030)")
    p.set_defaults(func=cmd_parse)

    from govcrawl.commands import register as register_project_commands

    register_project_commands(sub)  # new-agency, checkall

    try:
        from govcrawl.storage.commands import register
    except ImportError:  # storage commands not installed in this build
        register = None
    if register:
        register(sub)

    from govcrawl.catalog.commands import register as register_catalog_commands

    register_catalog_commands(sub)  # catalog list, catalog check

    from govcrawl import schema, scorecard, serve

    scorecard.register(sub)  # scorecard [--coverage]
    serve.register(sub)  # serve: Datasette over the database
    schema.register(sub)  # schema: docs/report-schema.json from docs/report-schema.md
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except (OSError, UnicodeDecodeError) as exc:
        print(f"govcrawl {args.command}: cannot read input: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        print(f"govcrawl {args.command}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
