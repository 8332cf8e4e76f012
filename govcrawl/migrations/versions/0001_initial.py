"""Initial storage schema: reports, versions, cells, checks, attachments, runs, failures, pages.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# frozen copies of the types as they were at this revision (later edits of schema.py must not
# change what this migration creates)
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("spider", sa.Text, nullable=False),
        sa.Column("started", _TS, nullable=False),
        sa.Column("finished", _TS),
        sa.Column("finish_reason", sa.Text),
        sa.Column("new", sa.Integer, nullable=False, server_default="0"),
        sa.Column("changed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("unchanged", sa.Integer, nullable=False, server_default="0"),
        sa.Column("missing", sa.Integer, nullable=False, server_default="0"),
        sa.Column("failed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("blocked", sa.Integer, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name="pk_crawl_runs"),
    )
    op.create_index("ix_crawl_runs_spider_started", "crawl_runs", ["spider", "started"])

    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("spider", sa.Text, nullable=False),
        sa.Column("agency", sa.Text),
        sa.Column("year", sa.Integer),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("format", sa.Text),
        sa.Column("source_url", sa.Text),
        sa.Column("status", sa.String(16), nullable=False, server_default="active"),
        sa.Column("current_version_id", sa.Integer),
        sa.Column("first_seen", _TS, nullable=False),
        sa.Column("last_seen", _TS, nullable=False),
        sa.Column("last_run_id", sa.Integer),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("last_fetched", _TS),
        sa.PrimaryKeyConstraint("id", name="pk_reports"),
        sa.UniqueConstraint("url", name="uq_reports_url"),
        sa.ForeignKeyConstraint(["last_run_id"], ["crawl_runs.id"],
                                name="fk_reports_last_run_id_crawl_runs"),
        sa.CheckConstraint("status IN ('active', 'missing')", name=op.f("ck_reports_status")),
    )
    op.create_index("ix_reports_spider_status", "reports", ["spider", "status"])
    op.create_index("ix_reports_source_url", "reports", ["source_url"])

    op.create_table(
        "report_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("record_hash", sa.String(64), nullable=False),
        sa.Column("raw", sa.LargeBinary),
        sa.Column("raw_compression", sa.Text),
        sa.Column("raw_size", sa.Integer),
        sa.Column("content_type", sa.Text),
        sa.Column("encoding", sa.Text),
        sa.Column("hints", _JSON),
        sa.Column("record", _JSON, nullable=False),
        sa.Column("parser_version", sa.Text),
        sa.Column("first_seen", _TS, nullable=False),
        sa.Column("last_seen", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_report_versions"),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"],
                                name="fk_report_versions_report_id_reports"),
        sa.UniqueConstraint("report_id", "content_hash", "record_hash",
                            name="uq_report_versions_report_id_content_hash_record_hash"),
    )

    for name, columns in (
        ("cells", [
            sa.Column("table", sa.Text, nullable=False),
            sa.Column("row", sa.Text, nullable=False),
            sa.Column("col", sa.Text, nullable=False),
            sa.Column("value", sa.Double),
            sa.Column("raw", sa.Text),
            sa.Column("unit", sa.Text),
        ]),
        ("checks", [
            sa.Column("rule", sa.Text, nullable=False),
            sa.Column("at", sa.Text),
            sa.Column("status", sa.Text, nullable=False),
            sa.Column("left", sa.Double),
            sa.Column("right", sa.Double),
        ]),
        ("attachments", [
            sa.Column("url", sa.Text, nullable=False),
            sa.Column("name", sa.Text),
            sa.Column("type", sa.Text),
        ]),
    ):
        op.create_table(
            name,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("version_id", sa.Integer, nullable=False),
            sa.Column("seq", sa.Integer, nullable=False),
            *columns,
            sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
            sa.ForeignKeyConstraint(["version_id"], ["report_versions.id"],
                                    name=f"fk_{name}_version_id_report_versions"),
        )
        op.create_index(f"ix_{name}_version_id_seq", name, ["version_id", "seq"])
    op.create_index("ix_cells_table_row_col", "cells", ["table", "row", "col"])
    op.create_index("ix_checks_rule_status", "checks", ["rule", "status"])

    op.create_table(
        "pages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("last_fetched", _TS),
        sa.PrimaryKeyConstraint("id", name="pk_pages"),
        sa.UniqueConstraint("url", name="uq_pages_url"),
    )

    op.create_table(
        "crawl_failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_crawl_failures"),
        sa.ForeignKeyConstraint(["run_id"], ["crawl_runs.id"],
                                name="fk_crawl_failures_run_id_crawl_runs"),
    )
    op.create_index("ix_crawl_failures_run_id", "crawl_failures", ["run_id"])


def downgrade() -> None:
    for name in ("crawl_failures", "pages", "attachments", "checks", "cells", "report_versions",
                 "reports", "crawl_runs"):
        op.drop_table(name)
