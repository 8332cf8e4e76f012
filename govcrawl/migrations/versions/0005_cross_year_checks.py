"""Cross-year checks in their own table: `cross_year_checks`.

A `cross_year.carry` check (govcrawl/parse/cross_year.py) relates two reports of one agency, year N
and year N-1, so it is not one of the year-N record's checks: the `checks` table holds exactly a
record's own checks (what `govcrawl export checks` and the record's `checks` list agree on). Each
row names the year-N report and version it belongs to and the year-N-1 report and version it was
computed against; govcrawl/storage/cross_year.py keeps them current when a report is saved or
reparsed.

Rows an earlier `refresh_cross_year` left in `checks` (rule `cross_year.carry`; no parsed record
has that rule) are deleted, and every stored report's cross-year checks are computed once with
today's rules (govcrawl.storage.cross_year, as 0003 uses today's agency rules); if they cannot be
imported the table starts empty and fills as reports are saved or reparsed.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-12
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

logger = logging.getLogger(__name__)

# a frozen copy of the type as it is at this revision
_TS = sa.DateTime(timezone=True)
_RULE = "cross_year.carry"


def upgrade() -> None:
    name = "cross_year_checks"
    op.create_table(
        name,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, nullable=False),
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("previous_report_id", sa.Integer, nullable=False),
        sa.Column("previous_version_id", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("at", sa.Text),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("left", sa.Double),
        sa.Column("right", sa.Double),
        sa.Column("computed_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], name=f"fk_{name}_report_id_reports"),
        sa.ForeignKeyConstraint(["version_id"], ["report_versions.id"],
                                name=f"fk_{name}_version_id_report_versions"),
        sa.ForeignKeyConstraint(["previous_report_id"], ["reports.id"],
                                name=f"fk_{name}_previous_report_id_reports"),
        sa.ForeignKeyConstraint(["previous_version_id"], ["report_versions.id"],
                                name=f"fk_{name}_previous_version_id_report_versions"),
    )
    op.create_index(f"ix_{name}_report_id_seq", name, ["report_id", "seq"])
    op.create_index(f"ix_{name}_previous_report_id", name, ["previous_report_id"])
    op.create_index(f"ix_{name}_rule_status", name, ["rule", "status"])
    checks = sa.table("checks", sa.column("rule", sa.Text))
    op.execute(checks.delete().where(checks.c.rule == _RULE))
    _backfill()


def _backfill() -> None:
    try:
        from govcrawl.storage.cross_year import refresh_all_cross_year
    except ImportError as exc:  # the code moved: the rows come with the next save or reparse
        logger.warning("0005: cross-year checks not computed (%s): run govcrawl reparse", exc)
        return
    conn = op.get_bind()
    # a savepoint: should today's code not fit this revision's tables, the upgrade still completes
    savepoint = conn.begin_nested()
    try:
        refresh_all_cross_year(conn)
    except sa.exc.SQLAlchemyError as exc:
        savepoint.rollback()
        logger.warning("0005: cross-year checks not computed (%s): run govcrawl reparse", exc)
    else:
        savepoint.commit()


def downgrade() -> None:
    name = "cross_year_checks"
    op.drop_index(f"ix_{name}_rule_status", table_name=name)
    op.drop_index(f"ix_{name}_previous_report_id", table_name=name)
    op.drop_index(f"ix_{name}_report_id_seq", table_name=name)
    op.drop_table(name)
