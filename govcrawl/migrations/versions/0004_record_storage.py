"""The parsed record stored once: `report_versions.record` as zlib-compressed canonical JSON.

Up to 0003 the record was a JSON (PostgreSQL: JSONB) document of ~36 KB per report, two thirds of
the database, most of it the cells the `cells` rows hold again. It is now the canonical JSON the
record hash is computed over (sorted keys, no spaces, UTF-8), zlib-compressed (about 1/8 of the
size): the repository encodes a record once, and `govcrawl export records` and `reparse` read the
same records back (govcrawl/storage/schema.py `RecordJSON`). No SQL reads inside the record: the
queries go to `cells`, `checks` and the report columns.

Existing rows are converted in batches; the downgrade converts them back. The encoding is frozen
here (not imported), so this revision keeps writing what it wrote whatever later code does.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-10
"""

import json
import zlib

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_BATCH = 200


def _encode(value) -> bytes:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8"), 6)


def _decode(data: bytes):
    data = bytes(data)
    return json.loads(data if data[:1] == b"{" else zlib.decompress(data))


def _convert(source_type, target_type, convert) -> None:
    """Copy `record` into a new column of `target_type` through `convert`, then put the new column
    in its place (NOT NULL, as before)."""
    with op.batch_alter_table("report_versions") as batch:
        batch.add_column(sa.Column("record_new", target_type))
    versions = sa.table("report_versions", sa.column("id", sa.Integer),
                        sa.column("record", source_type), sa.column("record_new", target_type))
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(sa.select(versions.c.id, versions.c.record).where(versions.c.id > last)
                            .order_by(versions.c.id).limit(_BATCH)).all()
        if not rows:
            break
        for row in rows:
            conn.execute(versions.update().where(versions.c.id == row.id)
                         .values(record_new=convert(row.record)))
        last = rows[-1].id
    with op.batch_alter_table("report_versions") as batch:
        batch.drop_column("record")
    with op.batch_alter_table("report_versions") as batch:
        batch.alter_column("record_new", new_column_name="record", existing_type=target_type,
                           nullable=False)


def upgrade() -> None:
    _convert(_JSON, sa.LargeBinary, _encode)


def downgrade() -> None:
    _convert(sa.LargeBinary, _JSON, _decode)
