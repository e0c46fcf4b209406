"""Evidence files, what focal points' links sent each day, and what the checks of the files found.

Revision ID: 0006
Revises: 0005
Created: issue 39
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from infrastructure.persistence.tables import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evidence_files",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "link_uploads",
        sa.Column("holder", sa.String(64), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("files", sa.Integer(), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "evidence_file_checks",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("cited_at", sa.BigInteger(), nullable=False),
        sa.Column("checked_at", UTCDateTime(), nullable=True),
        sa.Column("found", sa.String(10), nullable=True),
    )
    scan = op.create_table(
        "evidence_file_scan",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("position", sa.BigInteger(), nullable=False),
    )
    op.bulk_insert(scan, [{"id": 1, "position": 0}])


def downgrade() -> None:
    op.drop_table("evidence_file_scan")
    op.drop_table("evidence_file_checks")
    op.drop_table("link_uploads")
    op.drop_table("evidence_files")
