"""API keys held by a person (or, without one, by the service account their name names).

Revision ID: 0011
Revises: 0010
Created: issue 40
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_keys") as table:
        table.add_column(sa.Column("owner", sa.String(64), nullable=True))
        table.create_index("ix_api_keys_owner", ["owner"])


def downgrade() -> None:
    with op.batch_alter_table("api_keys") as table:
        table.drop_index("ix_api_keys_owner")
        table.drop_column("owner")
