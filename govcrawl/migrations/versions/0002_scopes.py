"""Run scopes: the part of a site one crawl is complete for (missing-detection works per scope).

A report belongs to the scope of the crawl that stored it: an agency spider's name, or the column
URL of the generic `column` spider, so that two column crawls into one database no longer mark each
other's reports missing. Existing rows take their spider's name.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("reports", "crawl_runs"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("scope", sa.Text))
        op.execute(f"UPDATE {table} SET scope = spider")
        with op.batch_alter_table(table) as batch:
            batch.alter_column("scope", existing_type=sa.Text, nullable=False)
    op.create_index("ix_reports_scope_status", "reports", ["scope", "status"])


def downgrade() -> None:
    op.drop_index("ix_reports_scope_status", table_name="reports")
    for table in ("reports", "crawl_runs"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("scope")
