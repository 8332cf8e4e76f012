"""The storage schema (SQLAlchemy Core), the same on SQLite and PostgreSQL.

The tables are created by the Alembic migrations in govcrawl/migrations, never by
`metadata.create_all`: this module is the schema the code reads and writes, and
tests/storage/test_repository.py checks that the migrated database matches it exactly.

Design notes (why it looks like this):
- `reports` holds one row per report URL and never loses a row: a report that vanished from its site
  is `status = 'missing'`, and comes back to `active` when it is seen again.
- `report_versions` holds one row per distinct (content, parsed record) of a report, with the raw
  bytes compressed, so `govcrawl reparse` can rebuild every record without the network.
- `cells` / `checks` / `attachments` are the record's lists in long format, one row per element,
  linked to the version, with exactly the spec's keys as column names (downstream joins on them).
- The whole record is kept once more with its version, for `govcrawl export records` and
  `reparse`: as compressed canonical JSON (`RecordJSON`), since uncompressed it was two thirds of
  the database, most of it the cells the `cells` rows hold already. SQL reads the rows, never
  inside the record.
- Timestamps are timezone-aware UTC on both backends (SQLite has no timezone type, so `UTCDateTime`
  normalises what comes back).
"""

from __future__ import annotations

import json
import zlib
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from govcrawl.record import EXTRA_KEYS, SPEC_KEYS

metadata = sa.MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

REPORT_STATUSES = ("active", "missing")


class UTCDateTime(sa.TypeDecorator):
    """A timezone-aware UTC datetime on every backend (SQLite returns naive values otherwise)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        value = value.astimezone(timezone.utc)
        # SQLite stores the text as given: store naive UTC so string comparisons order correctly
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


#: JSONB on PostgreSQL (indexable, what downstream queries want), JSON text elsewhere
JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def canonical_json(value: Any) -> bytes:
    """The canonical JSON of a value (sorted keys, no spaces, UTF-8): what a record's hash is
    computed over, and what `RecordJSON` stores."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


#: the record's keys in the spec's order (docs/report-schema.md), for records read back
_RECORD_ORDER = {key: i for i, key in enumerate(SPEC_KEYS + EXTRA_KEYS)}


class RecordJSON(sa.TypeDecorator):
    """A record stored as its zlib-compressed canonical JSON (about 1/8 of the JSON text).

    Binds a record (a dict of JSON values), or the bytes `encode` already made: the repository
    encodes a record once, its hash and its stored form coming from the same text. Reads back the
    record, its keys in the spec's order (the ones it does not name after them, as stored;
    nested objects come with sorted keys, as JSONB gave them)."""

    impl = sa.LargeBinary
    cache_ok = True

    @staticmethod
    def encode(canonical: bytes) -> bytes:
        return zlib.compress(canonical, 6)

    def process_bind_param(self, value, dialect):
        if value is None or isinstance(value, bytes):
            return value
        return self.encode(canonical_json(value))

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        data = bytes(value)
        # plain JSON text is read too (a row written by hand): compressed data never starts so
        record = json.loads(data if data[:1] == b"{" else zlib.decompress(data))
        if not isinstance(record, dict):
            return record
        last = len(_RECORD_ORDER)
        return dict(sorted(record.items(), key=lambda kv: _RECORD_ORDER.get(kv[0], last)))

crawl_runs = sa.Table(
    "crawl_runs", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("spider", sa.Text, nullable=False),
    # what the run crawls completely: its spider's name, or the column URL of a `column` crawl
    sa.Column("scope", sa.Text, nullable=False),
    sa.Column("started", UTCDateTime, nullable=False),
    sa.Column("finished", UTCDateTime),
    sa.Column("finish_reason", sa.Text),
    sa.Column("new", sa.Integer, nullable=False, server_default="0"),
    sa.Column("changed", sa.Integer, nullable=False, server_default="0"),
    sa.Column("unchanged", sa.Integer, nullable=False, server_default="0"),
    sa.Column("missing", sa.Integer, nullable=False, server_default="0"),
    sa.Column("failed", sa.Integer, nullable=False, server_default="0"),
    sa.Column("blocked", sa.Integer, nullable=False, server_default="0"),
    sa.Index(None, "spider", "started"),
)

reports = sa.Table(
    "reports", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("url", sa.Text, nullable=False, unique=True),
    sa.Column("spider", sa.Text, nullable=False),
    # the scope of the crawl that stored it (crawl_runs.scope): missing-detection is per scope
    sa.Column("scope", sa.Text, nullable=False),
    sa.Column("agency", sa.Text),
    # the agency's identity (docs/report-schema.md, "Keys govcrawl adds"): a region is a code
    # prefix, so `region_code LIKE '5204%'` is 安顺市 and everything in it
    sa.Column("agency_key", sa.Text),
    sa.Column("region_code", sa.String(6)),
    sa.Column("agency_level", sa.Text),
    sa.Column("year", sa.Integer),
    sa.Column("title", sa.Text),
    sa.Column("published", sa.Date),
    sa.Column("format", sa.Text),
    # the detail page that linked an attachment-only report (its url is the attachment's)
    sa.Column("source_url", sa.Text),
    sa.Column("status", sa.String(16), nullable=False, server_default="active"),
    # no FK constraint: reports <-> report_versions would be a cycle, which SQLite cannot ALTER in;
    # the repository sets it in the same transaction that writes the version
    sa.Column("current_version_id", sa.Integer),
    sa.Column("first_seen", UTCDateTime, nullable=False),
    sa.Column("last_seen", UTCDateTime, nullable=False),
    # the run that last saw it: "not seen in this run" is exact, whatever the clocks say
    sa.Column("last_run_id", sa.Integer, sa.ForeignKey("crawl_runs.id")),
    # HTTP validators of the report's own URL, for conditional re-fetching
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("last_fetched", UTCDateTime),
    sa.CheckConstraint("status IN ('active', 'missing')", name="status"),
    sa.Index(None, "spider", "status"),
    sa.Index("ix_reports_scope_status", "scope", "status"),
    sa.Index(None, "source_url"),
    sa.Index(None, "region_code"),
    sa.Index(None, "agency_key"),
)

report_versions = sa.Table(
    "report_versions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False),
    # sha256 of the fetched bytes (record["content_hash"])
    sa.Column("content_hash", sa.String(64), nullable=False),
    # sha256 of the canonical JSON of the parsed record: a reparse that changes it is a new version
    sa.Column("record_hash", sa.String(64), nullable=False),
    sa.Column("raw", sa.LargeBinary),
    sa.Column("raw_compression", sa.Text),
    sa.Column("raw_size", sa.Integer),
    # what record_from_bytes needs to rebuild the record without the network
    sa.Column("content_type", sa.Text),
    sa.Column("encoding", sa.Text),
    sa.Column("hints", JSONType),
    sa.Column("record", RecordJSON, nullable=False),
    sa.Column("parser_version", sa.Text),
    sa.Column("first_seen", UTCDateTime, nullable=False),
    sa.Column("last_seen", UTCDateTime, nullable=False),
    sa.UniqueConstraint("report_id", "content_hash", "record_hash"),
)

cells = sa.Table(
    "cells", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("version_id", sa.Integer, sa.ForeignKey("report_versions.id"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),  # position in the record's list
    sa.Column("table", sa.Text, nullable=False),
    sa.Column("row", sa.Text, nullable=False),
    sa.Column("col", sa.Text, nullable=False),
    sa.Column("value", sa.Double),
    sa.Column("raw", sa.Text),
    sa.Column("unit", sa.Text),
    sa.Index(None, "version_id", "seq"),
    sa.Index(None, "table", "row", "col"),
)

checks = sa.Table(
    "checks", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("version_id", sa.Integer, sa.ForeignKey("report_versions.id"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("rule", sa.Text, nullable=False),
    sa.Column("at", sa.Text),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("left", sa.Double),
    sa.Column("right", sa.Double),
    sa.Index(None, "version_id", "seq"),
    sa.Index(None, "rule", "status"),
)

# cross-year checks (govcrawl/storage/cross_year.py): an identity between two reports, not part of
# either record, so not in `checks` (which holds exactly the record's own checks). One row per
# check of report `report_id` (year N) against `previous_report_id` (the agency's year N-1), as
# computed from their versions `version_id` / `previous_version_id`.
cross_year_checks = sa.Table(
    "cross_year_checks", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False),
    sa.Column("version_id", sa.Integer, sa.ForeignKey("report_versions.id"), nullable=False),
    sa.Column("previous_report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False),
    sa.Column("previous_version_id", sa.Integer, sa.ForeignKey("report_versions.id"),
              nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("rule", sa.Text, nullable=False),
    sa.Column("at", sa.Text),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("left", sa.Double),
    sa.Column("right", sa.Double),
    sa.Column("computed_at", UTCDateTime, nullable=False),
    sa.Index(None, "report_id", "seq"),
    sa.Index(None, "previous_report_id"),
    sa.Index(None, "rule", "status"),
)

attachments = sa.Table(
    "attachments", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("version_id", sa.Integer, sa.ForeignKey("report_versions.id"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("name", sa.Text),
    sa.Column("type", sa.Text),
    sa.Index(None, "version_id", "seq"),
)

# validators of pages that are not reports themselves but link attachment-only reports: a 304 on
# such a page means its attachments are unchanged too (written only at the end of a clean run)
pages = sa.Table(
    "pages", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("url", sa.Text, nullable=False, unique=True),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("last_fetched", UTCDateTime),
)

crawl_failures = sa.Table(
    "crawl_failures", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("crawl_runs.id"), nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),  # blocked | http | error
    sa.Column("reason", sa.Text),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Index(None, "run_id"),
)
