"""Agency identity on reports: `agency_key`, `region_code` (indexed), `agency_level`.

The record keys of the same names (docs/report-schema.md, "Keys govcrawl adds") as columns, so a
region's reports are one query: `WHERE region_code LIKE '5204%'` is 安顺市 and everything in it.

Existing rows are backfilled from their `agency` name with `govcrawl.agencies.identify`, once per
distinct name. The migration reads and writes only the columns it names here (a frozen view of
`reports` at this revision, not govcrawl/storage/schema.py), so it keeps working whatever later
revisions add. The agency rules are today's: a name they cannot place (no division in it: `市民政局`,
whose region only the crawl knew) is left NULL, and so is every row if the rules cannot be
imported; `govcrawl reparse` then fills what the stored hints allow.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-09
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

logger = logging.getLogger(__name__)

# the columns this migration reads and writes, as they are at this revision
_reports = sa.table(
    "reports",
    sa.column("id", sa.Integer),
    sa.column("agency", sa.Text),
    sa.column("agency_key", sa.Text),
    sa.column("region_code", sa.String(6)),
    sa.column("agency_level", sa.Text),
)


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("agency_key", sa.Text))
        batch.add_column(sa.Column("region_code", sa.String(6)))
        batch.add_column(sa.Column("agency_level", sa.Text))
    op.create_index("ix_reports_region_code", "reports", ["region_code"])
    op.create_index("ix_reports_agency_key", "reports", ["agency_key"])
    _backfill()


def _backfill() -> None:
    try:
        from govcrawl.agencies import identify
    except ImportError as exc:  # the rules moved: leave the columns to `govcrawl reparse`
        logger.warning("0003: agency identity not backfilled (%s): run govcrawl reparse", exc)
        return
    conn = op.get_bind()
    names = conn.execute(sa.select(_reports.c.agency).distinct()
                         .where(_reports.c.agency.is_not(None), _reports.c.agency != "")).scalars().all()
    for name in names:
        identity = identify(name)
        if not identity.region_code:
            continue
        conn.execute(_reports.update().where(_reports.c.agency == name).values(
            agency_key=identity.key, region_code=identity.region_code,
            agency_level=identity.level or None))


def downgrade() -> None:
    op.drop_index("ix_reports_agency_key", table_name="reports")
    op.drop_index("ix_reports_region_code", table_name="reports")
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("agency_level")
        batch.drop_column("region_code")
        batch.drop_column("agency_key")
