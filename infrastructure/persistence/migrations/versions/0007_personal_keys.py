"""The keys that seal each person's data in the events, and the people erased.

Revision ID: 0007
Revises: 0006
Created: issue 39
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from infrastructure.persistence.tables import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "personal_keys",
        sa.Column("person_id", sa.String(36), primary_key=True),
        sa.Column("key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "personal_erasures",
        sa.Column("person_id", sa.String(36), primary_key=True),
        sa.Column("erased_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("personal_erasures")
    op.drop_table("personal_keys")
