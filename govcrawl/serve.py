"""`govcrawl serve [--port N]`: the database in Datasette, on loopback by default.

Datasette reads SQLite files only: a PostgreSQL database is refused with a pointer to `govcrawl
export` (or to a SQLite copy). The database is migrated first, so the views
(govcrawl/storage/views.py) exist; Datasette then opens the file read-only, so a crawl can write
to it meanwhile (WAL). The metadata, canned queries and plugin are govcrawl/datasette/.

Datasette is an optional dependency: `pip install 'govcrawl[serve]'` (the test extra has it too).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url

from govcrawl.storage.db import absolute_sqlite_url, get_engine, normalize_url, resolve_database_url


def sqlite_path(url: str | None) -> Path:
    """The file of a SQLite database URL; ValueError for anything Datasette cannot open."""
    resolved = absolute_sqlite_url(resolve_database_url(url))
    parsed = make_url(normalize_url(resolved))
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        raise ValueError("govcrawl serve opens SQLite databases only (Datasette reads SQLite): "
                         "give --database-url sqlite:///FILE, or use `govcrawl export` for "
                         f"{parsed.render_as_string(hide_password=True)}")
    path = Path(parsed.database)
    if not path.is_file():
        raise ValueError(f"no database at {path}: run a crawl first (README), or give --database-url")
    return path


def register_plugin() -> None:
    """Register govcrawl's Datasette plugin (once per process)."""
    from datasette.plugins import pm

    from govcrawl.datasette import plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name="govcrawl")


def datasette_args(path: Path, metadata_file: Path, *, host: str, port: int,
                   get: str | None = None) -> list[str]:
    args = ["serve", str(path), "--metadata", str(metadata_file), "--host", host,
            "--port", str(port),
            # the scorecard view and facets over report_cells scan many rows: more than 1 s
            "--setting", "sql_time_limit_ms", "5000",
            "--setting", "facet_time_limit_ms", "1000"]
    if get:
        args += ["--get", get]
    return args


def register(subparsers) -> None:
    p = subparsers.add_parser("serve", help="browse the database in Datasette (loopback)")
    p.add_argument("--port", type=int, default=8001, help="port (8001; 0 picks a free one)")
    p.add_argument("--host", default="127.0.0.1",
                   help="interface (127.0.0.1: this machine only; 0.0.0.0 exposes it)")
    p.add_argument("--get", metavar="PATH",
                   help="print the page at PATH (e.g. /-/report/1) and exit, serving nothing")
    p.add_argument("--database-url", default=None,
                   help="a sqlite:/// URL (default: $GOVCRAWL_DATABASE_URL, else sqlite:///govcrawl.db)")
    p.set_defaults(func=cmd_serve)


def cmd_serve(args) -> int:
    path = sqlite_path(args.database_url)
    try:
        from datasette.cli import cli
    except ImportError:
        raise ValueError("Datasette is not installed: pip install 'govcrawl[serve]'") from None
    get_engine(f"sqlite:///{path}")  # migrate, so the views exist
    from govcrawl.datasette.queries import metadata

    register_plugin()
    with tempfile.TemporaryDirectory(prefix="govcrawl-serve-") as tmp:
        metadata_file = Path(tmp) / "metadata.json"
        metadata_file.write_text(json.dumps(metadata(path.stem), ensure_ascii=False), "utf-8")
        if not args.get:
            print(f"govcrawl serve: {path} on http://{args.host}:{args.port}/", file=sys.stderr)
        try:
            cli.main(datasette_args(path, metadata_file, host=args.host, port=args.port,
                                    get=args.get), prog_name="govcrawl serve",
                     standalone_mode=False)
        except SystemExit as exc:  # --get of a page that is not 200 exits 1
            return int(exc.code or 0)
    return 0
