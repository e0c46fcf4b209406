"""The witnesses that hold this deployment's heads, and their receipts.

Revision ID: 0005
Revises: 0004
Created: issue 39
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from infrastructure.persistence.tables import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_witnesses",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "audit_receipts",
        sa.Column("witness_id", sa.String(36), primary_key=True),
        sa.Column("position", sa.BigInteger(), autoincrement=False, primary_key=True),
        sa.Column("link", sa.String(64), nullable=False),
        sa.Column("witnessed_at", sa.String(40), nullable=False),
        sa.Column("signature", sa.String(128), nullable=False),
        sa.Column("deployment", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("audit_receipts")
    op.drop_table("audit_witnesses")
