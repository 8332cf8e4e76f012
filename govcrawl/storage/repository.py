"""Reading and writing stored reports. Plain synchronous SQLAlchemy Core: callers in the crawl run it
in a worker thread (`asyncio.to_thread`), commands call it directly.

Every write of a report (the report row, its version, cells, checks, attachments) happens in ONE
transaction: a crawl killed at any moment leaves either the previous state or the new one, never a
half-written report, and the next run simply writes it again.
"""

from __future__ import annotations

import hashlib
import json
import math
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from govcrawl import __version__
from govcrawl.items import PageHints
from govcrawl.record import content_hash as sha256_of
from govcrawl.storage.cross_year import refresh_cross_year
from govcrawl.storage.db import read_connection
from govcrawl.storage.schema import (
    RecordJSON,
    attachments,
    canonical_json,
    cells,
    checks,
    crawl_failures,
    crawl_runs,
    pages,
    report_versions,
    reports,
    utcnow,
)

RAW_COMPRESSION = "zlib"
#: rows per executemany batch / per IN (...) list (SQLite allows 32766 bound parameters)
_CHUNK = 500


def parser_version() -> str:
    """The version stored with each record version (which parser produced the record): the
    package's, since the parser ships with it."""
    return __version__


def public_record(record: dict) -> dict:
    """The record without private `_` keys, as plain JSON values (what the database stores)."""
    clean = {k: v for k, v in record.items() if not str(k).startswith("_")}
    return _plain(clean)


def _plain(value: Any) -> Any:
    """`value` as JSON gives it back, `_finite(json.loads(json.dumps(value, default=str)))`, in one
    walk: without the JSON text in between (a record's 36 KB, encoded and decoded per report).
    Tuples become lists, str/int/float subclasses their plain values, anything else its str(),
    dict keys strings as json.dumps writes them."""
    if value is None or value is True or value is False:
        return value
    if isinstance(value, str):
        return value if type(value) is str else str.__str__(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {_json_key(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _json_key(key: Any) -> str:
    """A dict key as json.dumps writes it (and json.loads reads it back)."""
    if isinstance(key, str):
        return key if type(key) is str else str.__str__(key)
    if isinstance(key, float):
        if math.isnan(key):
            return "NaN"
        if math.isinf(key):
            return "Infinity" if key > 0 else "-Infinity"
        return float.__repr__(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _finite(value: Any) -> Any:
    """NaN/Infinity become null: they are not JSON, and PostgreSQL's jsonb rejects them."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def record_hash(public: dict) -> str:
    return hashlib.sha256(canonical_json(public)).hexdigest()


def _run_scope(run_id: int):
    """The scope of run `run_id`, as a subquery for an UPDATE."""
    return sa.select(crawl_runs.c.scope).where(crawl_runs.c.id == run_id).scalar_subquery()


def _stored_hints(hints) -> dict | None:
    """A page's hints as stored with its version: PageHints as their dict, empty ones as NULL."""
    if isinstance(hints, PageHints):
        hints = hints.to_dict()
    return hints or None


def compress(data: bytes) -> bytes:
    return zlib.compress(data, 6)


def decompress(data: bytes | None, method: str | None) -> bytes | None:
    if data is None:
        return None
    if method in (None, "", "none"):
        return bytes(data)
    if method == "zlib":
        return zlib.decompress(data)
    if method == "gzip":
        import gzip

        return gzip.decompress(data)
    raise ValueError(f"unknown raw compression {method!r}")


def _number(value: Any) -> float | None:
    """A cell value or check side as a double (ints are exact up to 2**53); None when not a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        try:
            number = float(str(value).replace(",", ""))
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None


@dataclass
class SaveResult:
    #: "new" (first version of a new report), "changed" (a version other than the current one),
    #: "unchanged" (the current version again)
    outcome: str
    report_id: int
    version_id: int
    #: the report had already been seen in this run (a duplicate yield): not counted again
    already_seen: bool = False


@dataclass
class Validators:
    """What the conditional-request middleware needs for one URL."""

    etag: str | None
    last_modified: str | None
    last_fetched: datetime | None
    is_report: bool
    #: the report's status (`active` / `missing`); None for a linking page (`pages`)
    status: str | None = None
    #: the listing hints stored with the report's current version (`PageHints.to_dict()`); for a
    #: linking page, those of a report it links
    hints: dict | None = None


class Repository:
    def __init__(self, engine: Engine):
        self.engine = engine

    # --- runs ------------------------------------------------------------------------------------
    def start_run(self, spider: str, now: datetime | None = None, *, scope: str | None = None) -> int:
        """A new run of `spider` over `scope` (default: the spider's name)."""
        with self.engine.begin() as conn:
            return conn.execute(
                crawl_runs.insert().values(spider=spider, scope=scope or spider, started=now or utcnow())
                .returning(crawl_runs.c.id)).scalar_one()

    def finish_run(self, run_id: int, reason: str, counts: dict[str, int],
                   now: datetime | None = None) -> None:
        values = {k: int(counts.get(k, 0)) for k in
                  ("new", "changed", "unchanged", "missing", "failed", "blocked")}
        with self.engine.begin() as conn:
            conn.execute(crawl_runs.update().where(crawl_runs.c.id == run_id).values(
                finished=now or utcnow(), finish_reason=reason, **values))

    def reopen_run(self, run_id: int, scope: str) -> dict | None:
        """Reopen run `run_id` of `scope` to resume it (a JOBDIR crawl that was paused): its
        counts and failures so far, or None when there is no such run or it finished cleanly
        (then a new night starts a new run)."""
        with self.engine.begin() as conn:
            run = conn.execute(sa.select(crawl_runs).where(crawl_runs.c.id == run_id)
                               .with_for_update()).one_or_none()
            if run is None or run.scope != scope or run.finish_reason == "finished":
                return None
            conn.execute(crawl_runs.update().where(crawl_runs.c.id == run_id)
                         .values(finished=None, finish_reason=None))
            failures = conn.execute(sa.select(crawl_failures.c.url, crawl_failures.c.kind,
                                              crawl_failures.c.reason)
                                    .where(crawl_failures.c.run_id == run_id)
                                    .order_by(crawl_failures.c.id)).all()
        counts = {k: getattr(run, k) for k in ("new", "changed", "unchanged", "failed", "blocked")}
        return {"counts": counts, "failures": [(f.url, f.kind, f.reason or "") for f in failures]}

    def record_failure(self, run_id: int, url: str, kind: str, reason: str | None,
                       now: datetime | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(crawl_failures.insert().values(
                run_id=run_id, url=url, kind=kind, reason=reason, at=now or utcnow()))

    # --- reports ---------------------------------------------------------------------------------
    def save_record(self, record: dict, page: Any = None, *, spider: str, scope: str | None = None,
                    run_id: int | None = None, now: datetime | None = None) -> SaveResult:
        """Store one parsed record (and the fetched page it came from) in one transaction."""
        now = now or utcnow()
        url = record["url"]
        public = public_record(record)
        # encoded once: the hash and the stored record are the same canonical text
        canonical = canonical_json(public)
        rhash = hashlib.sha256(canonical).hexdigest()
        body = getattr(page, "body", None)
        chash = record.get("content_hash") or (sha256_of(body) if body is not None else rhash)
        with self.engine.begin() as conn:
            report = self._lock_report(conn, url, spider, now)
            already_seen = run_id is not None and report.last_run_id == run_id
            version_id = conn.execute(sa.select(report_versions.c.id).where(
                report_versions.c.report_id == report.id,
                report_versions.c.content_hash == chash,
                report_versions.c.record_hash == rhash)).scalar()
            if version_id is not None:
                seen: dict[str, Any] = {"last_seen": now}
                hints = _stored_hints(getattr(page, "hints", None))
                if hints:
                    # the same page and reading under a changed listing title or date: the version
                    # keeps tonight's hints, which the next night's request is compared with
                    # (govcrawl/storage/middleware.py), so the page is not fetched again for them
                    seen["hints"] = _finite(json.loads(json.dumps(hints, ensure_ascii=False,
                                                                  default=str)))
                conn.execute(report_versions.update().where(report_versions.c.id == version_id)
                             .values(**seen))
                outcome = "unchanged" if version_id == report.current_version_id else "changed"
            else:
                raw = compress(body) if body is not None else None
                version_id = self._insert_version(
                    conn, report.id, public, encoded=RecordJSON.encode(canonical), rhash=rhash,
                    chash=chash, raw=raw, raw_size=len(body) if body is not None else None,
                    content_type=getattr(page, "content_type", None),
                    encoding=getattr(page, "encoding", None),
                    hints=_stored_hints(getattr(page, "hints", None)),
                    first_seen=now, last_seen=now)
                outcome = "new" if report.current_version_id is None else "changed"
            values = self._report_values(public)
            values.update(spider=spider, scope=scope or spider, status="active",
                          current_version_id=version_id,
                          last_seen=now)
            if run_id is not None:
                values["last_run_id"] = run_id
            if page is not None:
                values.update(etag=getattr(page, "etag", None),
                              last_modified=getattr(page, "last_modified", None),
                              last_fetched=now)
            conn.execute(reports.update().where(reports.c.id == report.id).values(**values))
            if outcome != "unchanged":
                # a new current version: its cross-year checks and its neighbours' (an unchanged
                # page's are as they were)
                refresh_cross_year(conn, report.id)
        return SaveResult(outcome, report.id, version_id, already_seen)

    @staticmethod
    def _report_values(public: dict) -> dict:
        return {
            "agency": public.get("agency") or None,
            "agency_key": public.get("agency_key") or None,
            "region_code": public.get("region_code") or None,
            "agency_level": public.get("agency_level") or None,
            "year": _int(public.get("year")),
            "title": public.get("title") or None,
            "published": _date(public.get("published")),
            "format": public.get("format"),
            "source_url": public.get("source_url") or None,
        }

    def _lock_report(self, conn: Connection, url: str, spider: str, now: datetime):
        """The report row for `url`, created if new, locked for this transaction."""
        insert = _insert_ignore(conn, reports).values(
            url=url, spider=spider, scope=spider, status="active", first_seen=now, last_seen=now)
        conn.execute(insert)
        # FOR UPDATE on PostgreSQL: two crawlers storing the same URL take turns (SQLite's
        # BEGIN IMMEDIATE already serialises writers)
        return conn.execute(
            sa.select(reports.c.id, reports.c.current_version_id, reports.c.last_run_id)
            .where(reports.c.url == url).with_for_update()).one()

    def _insert_version(self, conn: Connection, report_id: int, public: dict, *, rhash: str,
                        chash: str, raw: bytes | None, raw_size: int | None,
                        content_type: str | None, encoding: str | None, hints: dict | None,
                        first_seen: datetime, last_seen: datetime,
                        encoded: bytes | None = None) -> int:
        """`encoded`: the record as RecordJSON stores it, when the caller has it already."""
        version_id = conn.execute(report_versions.insert().values(
            report_id=report_id, content_hash=chash, record_hash=rhash, raw=raw,
            raw_compression=RAW_COMPRESSION if raw is not None else None, raw_size=raw_size,
            content_type=content_type, encoding=encoding,
            hints=_finite(json.loads(json.dumps(hints, ensure_ascii=False, default=str)))
            if hints else None,
            record=encoded if encoded is not None else public, parser_version=parser_version(),
            first_seen=first_seen, last_seen=last_seen,
        ).returning(report_versions.c.id)).scalar_one()
        self._insert_cells(conn, version_id, public.get("cells") or [])
        self._insert_checks(conn, version_id, public.get("checks") or [])
        self._insert_attachments(conn, version_id, public.get("attachments") or [])
        return version_id

    def _insert_cells(self, conn: Connection, version_id: int, items: list) -> None:
        rows = [{
            "version_id": version_id, "seq": i, "table": _text(c.get("table")) or "",
            "row": _text(c.get("row")) or "", "col": _text(c.get("col")) or "",
            "value": _number(c.get("value")), "raw": _text(c.get("raw")),
            "unit": _text(c.get("unit")),
        } for i, c in enumerate(items) if isinstance(c, dict)]
        _insert_many(conn, cells, rows)

    def _insert_checks(self, conn: Connection, version_id: int, items: list) -> None:
        rows = [{
            "version_id": version_id, "seq": i, "rule": _text(c.get("rule")) or "",
            "at": _text(c.get("at")), "status": _text(c.get("status")) or "unknown",
            "left": _number(c.get("left")), "right": _number(c.get("right")),
        } for i, c in enumerate(items) if isinstance(c, dict)]
        _insert_many(conn, checks, rows)

    def _insert_attachments(self, conn: Connection, version_id: int, items: list) -> None:
        rows = [{
            "version_id": version_id, "seq": i, "url": _text(a.get("url")) or "",
            "name": _text(a.get("name")), "type": _text(a.get("type")),
        } for i, a in enumerate(items) if isinstance(a, dict)]
        _insert_many(conn, attachments, rows)

    # --- incremental crawling --------------------------------------------------------------------
    def mark_seen(self, url: str, run_id: int | None, *, fetched: bool,
                  now: datetime | None = None, scope: str | None = None) -> int:
        """Mark the report at `url`, and the attachment-only reports it links (`source_url`), as
        seen unchanged: `mark_seen_many` for one URL. Returns how many were not yet seen in this
        run (for the run's counts)."""
        return self.mark_seen_many([(url, fetched)], run_id, now=now, scope=scope)

    def stored_page(self, url: str) -> Validators | None:
        """What a nightly run needs to decide whether to ask for `url` again: its validators, when
        it was last fetched, its status and the listing hints stored with its current version. One
        lookup (the report joined to its current version), else the linking page's row."""
        v = report_versions
        with read_connection(self.engine) as conn:
            row = conn.execute(
                sa.select(reports.c.etag, reports.c.last_modified, reports.c.last_fetched,
                          reports.c.status, v.c.hints)
                .select_from(reports.outerjoin(v, v.c.id == reports.c.current_version_id))
                .where(reports.c.url == url)).first()
            if row is not None:
                return Validators(row.etag, row.last_modified, row.last_fetched, True,
                                  status=row.status, hints=row.hints)
            row = conn.execute(sa.select(pages.c.etag, pages.c.last_modified, pages.c.last_fetched)
                               .where(pages.c.url == url)).first()
            if row is None:
                return None
            hints = conn.execute(
                sa.select(v.c.hints)
                .select_from(reports.join(v, v.c.id == reports.c.current_version_id))
                .where(reports.c.source_url == url).order_by(reports.c.id).limit(1)).scalar()
            return Validators(row.etag, row.last_modified, row.last_fetched, False, hints=hints)

    def mark_seen_many(self, items: Iterable[tuple[str, bool]], run_id: int | None,
                       now: datetime | None = None, scope: str | None = None) -> int:
        """Mark seen a batch of (url, fetched) in one transaction: the reports at those
        URLs and the attachment-only reports they link are seen; `last_fetched` moves only for
        the URLs actually asked (fetched). Returns how many reports were not yet seen in this run.
        `scope`: the scope of the requests that saw them (default the run's).

        A nightly run skips most stored pages (govcrawl/storage/middleware.py): one UPDATE per
        batch instead of a transaction per page."""
        now = now or utcnow()
        items = list(items)
        urls = sorted({url for url, _ in items})
        fetched = sorted({url for url, was_fetched in items if was_fetched})
        values: dict[str, Any] = {"last_seen": now, "status": "active"}
        if run_id is not None:
            # seen by a run: it belongs to that run's scope now
            values.update(last_run_id=run_id, scope=scope or _run_scope(run_id))
        newly: set[int] = set()
        done: set[int] = set()
        # half a chunk of URLs: each is bound twice (url, source_url)
        step = _CHUNK // 2
        with self.engine.begin() as conn:
            for i in range(0, len(urls), step):
                chunk = urls[i:i + step]
                rows = conn.execute(
                    sa.select(reports.c.id, reports.c.last_run_id, reports.c.current_version_id)
                    .where(sa.or_(reports.c.url.in_(chunk), reports.c.source_url.in_(chunk)))
                    # a fixed lock order: two of these on overlapping rows never deadlock
                    .order_by(reports.c.id).with_for_update()).all()
                rows = [r for r in rows if r.id not in done]
                if not rows:
                    continue
                ids = [r.id for r in rows]
                done.update(ids)
                newly.update(r.id for r in rows if run_id is None or r.last_run_id != run_id)
                conn.execute(reports.update().where(reports.c.id.in_(ids)).values(**values))
                versions = [r.current_version_id for r in rows if r.current_version_id is not None]
                if versions:
                    conn.execute(report_versions.update()
                                 .where(report_versions.c.id.in_(versions)).values(last_seen=now))
            for i in range(0, len(fetched), _CHUNK):
                # only the URLs actually asked: the linked attachments were not contacted
                chunk = fetched[i:i + _CHUNK]
                conn.execute(reports.update().where(reports.c.url.in_(chunk))
                             .values(last_fetched=now))
                conn.execute(pages.update().where(pages.c.url.in_(chunk)).values(last_fetched=now))
        return len(newly)

    def mark_missing(self, scope: str, run_id: int, *, keep: Iterable[str] = (),
                     keep_own: Iterable[str] = (), now: datetime | None = None) -> int:
        """How many reports `mark_missing_urls` marked missing."""
        return len(self.mark_missing_urls(scope, run_id, keep=keep, keep_own=keep_own, now=now))

    def mark_missing_urls(self, scope: str, run_id: int, *, keep: Iterable[str] = (),
                          keep_own: Iterable[str] = (), now: datetime | None = None) -> list[str]:
        """Reports of `scope` (a spider's name, or a column crawl's URL) not seen in run `run_id`
        become `missing` (never deleted); their URLs.

        `keep`: URLs that failed in this run for reasons that say nothing about the page being gone
        (a WAF block, a 5xx, an extraction error): their reports, and the reports they link
        (`source_url`), stay. `keep_own`: URLs whose own report stays, but not the reports they
        link (a page that answered but was dropped: its links were still followed).
        """
        keep = set(keep)
        keep_own = set(keep_own) | keep
        with self.engine.begin() as conn:
            started = conn.execute(sa.select(crawl_runs.c.started)
                                   .where(crawl_runs.c.id == run_id)).scalar_one()
            rows = conn.execute(
                sa.select(reports.c.id, reports.c.url, reports.c.source_url).where(
                    reports.c.scope == scope, reports.c.status == "active",
                    sa.or_(reports.c.last_run_id.is_(None), reports.c.last_run_id != run_id),
                    # seen by no run at all since this one started: with several processes
                    # crawling one site at once (a shared scrapy-redis queue), a report another
                    # worker saw meanwhile is not missing
                    reports.c.last_seen < started)
            ).all()
            gone = [r for r in rows if r.url not in keep_own and r.source_url not in keep]
            ids = [r.id for r in gone]
            for i in range(0, len(ids), _CHUNK):
                conn.execute(reports.update().where(reports.c.id.in_(ids[i:i + _CHUNK]))
                             .values(status="missing"))
        return sorted(r.url for r in gone)

    def seen_source_urls(self, run_id: int, urls: Iterable[str]) -> set[str]:
        """Which of `urls` link at least one report seen in run `run_id` and are not reports."""
        urls = list(set(urls))
        found: set[str] = set()
        with read_connection(self.engine) as conn:
            for i in range(0, len(urls), _CHUNK):
                chunk = urls[i:i + _CHUNK]
                found.update(conn.execute(sa.select(reports.c.source_url).distinct().where(
                    reports.c.source_url.in_(chunk), reports.c.last_run_id == run_id)).scalars())
                found.difference_update(conn.execute(sa.select(reports.c.url).where(
                    reports.c.url.in_(chunk))).scalars())
        return found

    def save_pages(self, validators: dict[str, tuple[str | None, str | None]],
                   now: datetime | None = None) -> None:
        """Upsert the validators of linking pages (see `pages` in schema.py)."""
        now = now or utcnow()
        with self.engine.begin() as conn:
            for url, (etag, last_modified) in validators.items():
                conn.execute(_insert_ignore(conn, pages).values(url=url))
                conn.execute(pages.update().where(pages.c.url == url).values(
                    etag=etag, last_modified=last_modified, last_fetched=now))

    # --- reparse ---------------------------------------------------------------------------------
    def current_versions(self, *, spider: str | None = None, url: str | None = None):
        """(report id, url, version id) of every report's current version, in id order."""
        query = (sa.select(reports.c.id, reports.c.url, reports.c.current_version_id)
                 .where(reports.c.current_version_id.is_not(None)).order_by(reports.c.id))
        if spider:
            query = query.where(reports.c.spider == spider)
        if url:
            query = query.where(reports.c.url == url)
        with read_connection(self.engine) as conn:
            return conn.execute(query).all()

    def load_version(self, version_id: int):
        with read_connection(self.engine) as conn:
            return conn.execute(sa.select(report_versions)
                                .where(report_versions.c.id == version_id)).one()

    def add_reparsed_version(self, report_id: int, old_version_id: int, record: dict) -> str:
        """Make `record` (re-parsed from the stored bytes of `old_version_id`) the current version.

        Returns "unchanged" (same parsed record), "changed" (a new version) or "reverted" (equal to
        an older version of the same content, which becomes current again). Does not touch
        last_seen: a reparse is not a sighting of the site.
        """
        public = public_record(record)
        canonical = canonical_json(public)
        rhash = hashlib.sha256(canonical).hexdigest()
        with self.engine.begin() as conn:
            # the report row is locked for this transaction (and must exist)
            conn.execute(sa.select(reports.c.current_version_id)
                         .where(reports.c.id == report_id).with_for_update()).one()
            # every column but the record itself (decompressing it would be for nothing)
            old = conn.execute(sa.select(*(c for c in report_versions.c if c.name != "record"))
                               .where(report_versions.c.id == old_version_id)).one()
            if old.record_hash == rhash:
                # recomputed all the same: a reparse is how stored cross-year checks are redone
                refresh_cross_year(conn, report_id)
                return "unchanged"
            existing = conn.execute(sa.select(report_versions.c.id).where(
                report_versions.c.report_id == report_id,
                report_versions.c.content_hash == old.content_hash,
                report_versions.c.record_hash == rhash)).scalar()
            if existing is not None:
                version_id, outcome = existing, "reverted"
            else:
                # same content, new reading: the bytes are copied so every version stays
                # self-contained (a reparse is rare; clarity beats the saved bytes)
                version_id = self._insert_version(
                    conn, report_id, public, encoded=RecordJSON.encode(canonical), rhash=rhash,
                    chash=old.content_hash, raw=old.raw,
                    raw_size=old.raw_size, content_type=old.content_type, encoding=old.encoding,
                    hints=old.hints, first_seen=old.first_seen, last_seen=old.last_seen)
                outcome = "changed"
            values = self._report_values(public)
            values["current_version_id"] = version_id
            conn.execute(reports.update().where(reports.c.id == report_id).values(**values))
            refresh_cross_year(conn, report_id)
        return outcome


def _insert_ignore(conn: Connection, table: sa.Table):
    """INSERT ... ON CONFLICT DO NOTHING in the connection's dialect (both of ours support it)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(conn.dialect.name)
    return insert(table).on_conflict_do_nothing()


def _insert_many(conn: Connection, table: sa.Table, rows: list[dict]) -> None:
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        # COPY inside the same transaction: a report's few hundred cells in one stream, where
        # executemany costs a round trip (and a query conversion) per row
        columns = list(rows[0])
        quoted = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
        cursor = conn.connection.driver_connection.cursor()
        with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
        return
    # sqlite3's executemany is a tight C loop over one prepared statement
    for i in range(0, len(rows), _CHUNK):
        conn.execute(table.insert(), rows[i:i + _CHUNK])
