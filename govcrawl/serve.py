"""`govcrawl serve [--port N]`: the database in Datasette, on loopback by default.

Datasette reads SQLite files only. A SQLite database is served as it is: migrated first, so the
views (govcrawl/storage/views.py) exist, then opened read-only, so a crawl can write to it
meanwhile (WAL). A PostgreSQL database is served as a snapshot: a SQLite copy of it taken at
start (govcrawl/storage/snapshot.py, without the raw pages), in `--snapshot FILE` or a temporary
file; restart to refresh it. The metadata, canned queries and plugin are govcrawl/datasette/.

Datasette is an optional dependency: `pip install 'govcrawl[serve]'` (the test extra has it too).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url

from govcrawl.storage.db import absolute_sqlite_url, get_engine, normalize_url, resolve_database_url


def is_postgresql(url: str | None) -> bool:
    return make_url(normalize_url(resolve_database_url(url))).get_backend_name() == "postgresql"


def sqlite_path(url: str | None) -> Path:
    """The file of a SQLite database URL; ValueError for anything Datasette cannot open as it is
    (a PostgreSQL database is served from a snapshot instead: `cmd_serve`)."""
    resolved = absolute_sqlite_url(resolve_database_url(url))
    parsed = make_url(normalize_url(resolved))
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        raise ValueError("Datasette opens SQLite files only: give --database-url sqlite:///FILE, or a "
                         "postgresql:// URL (served from a SQLite snapshot), not "
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
                   help="a sqlite:/// or postgresql:// URL (default: $GOVCRAWL_DATABASE_URL, else "
                        "sqlite:///govcrawl.db)")
    p.add_argument("--snapshot", metavar="FILE", default=None,
                   help="for a PostgreSQL database: where to write the SQLite snapshot served "
                        "(default: a temporary file, removed at exit)")
    p.set_defaults(func=cmd_serve)


def cmd_serve(args) -> int:
    try:
        from datasette.cli import cli  # noqa: F401  (checked before a snapshot is taken)
    except ImportError:
        raise ValueError("Datasette is not installed: pip install 'govcrawl[serve]'") from None
    with tempfile.TemporaryDirectory(prefix="govcrawl-serve-") as tmp:
        if is_postgresql(args.database_url):
            from govcrawl.storage.db import display_url
            from govcrawl.storage.snapshot import snapshot_to_sqlite

            source = resolve_database_url(args.database_url)
            path = Path(args.snapshot or Path(tmp) / "govcrawl.db").resolve()
            copied = snapshot_to_sqlite(source, path)
            print(f"govcrawl serve: a snapshot of {display_url(source)} ({copied.get('reports', 0)} reports, "
                  f"without the raw pages) in {path}; restart to refresh it", file=sys.stderr)
        else:
            path = sqlite_path(args.database_url)
            get_engine(f"sqlite:///{path}")  # migrate, so the views exist
        return _serve(args, path, Path(tmp))


def _serve(args, path: Path, tmp: Path) -> int:
    from datasette.cli import cli

    from govcrawl.datasette.queries import metadata

    register_plugin()
    metadata_file = tmp / "metadata.json"
    metadata_file.write_text(json.dumps(metadata(path.stem), ensure_ascii=False), "utf-8")
    if not args.get:
        print(f"govcrawl serve: {path} on http://{args.host}:{args.port}/", file=sys.stderr)
    try:
        cli.main(datasette_args(path, metadata_file, host=args.host, port=args.port, get=args.get),
                 prog_name="govcrawl serve", standalone_mode=False)
    except SystemExit as exc:  # --get of a page that is not 200 exits 1
        return int(exc.code or 0)
    return 0
