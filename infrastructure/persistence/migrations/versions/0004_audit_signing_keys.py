"""The chain of the audit's signing keys: each new key signed by the one before it.

Revision ID: 0004
Revises: 0003
Created: issue 39
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from infrastructure.persistence.tables import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_signing_keys",
        sa.Column("number", sa.Integer(), autoincrement=False, primary_key=True),
        sa.Column("public_key", sa.String(64), nullable=False, unique=True),
        sa.Column("endorsed_by", sa.String(64), nullable=True),
        sa.Column("endorsement", sa.String(128), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("audit_signing_keys")
