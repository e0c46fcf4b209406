"""The focal points' links used already: a link of a digest works once.

Revision ID: 0002
Revises: 0001
Created: issue 38
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from infrastructure.persistence.tables import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "action_links_used",
        sa.Column("token_digest", sa.String(64), primary_key=True),
        sa.Column("commitment_id", sa.String(36), nullable=False),
        sa.Column("contact_id", sa.String(36), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_action_links_used_commitment_id", "action_links_used", ["commitment_id"])


def downgrade() -> None:
    op.drop_index("ix_action_links_used_commitment_id", "action_links_used")
    op.drop_table("action_links_used")
