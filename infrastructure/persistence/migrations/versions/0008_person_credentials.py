"""People's passwords and invitations, beside the event log.

Revision ID: 0008
Revises: 0007
Created: issue 40
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from infrastructure.persistence.tables import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "person_credentials",
        sa.Column("person_id", sa.String(36), primary_key=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "person_invitations",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_person_invitations_person_id", "person_invitations", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_person_invitations_person_id", "person_invitations")
    op.drop_table("person_invitations")
    op.drop_table("person_credentials")
