"""A web session is held by a key or by a person (``person:<id>``, 43 characters): its holder's column widens.

Revision ID: 0009
Revises: 0008
Created: issue 40
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("web_sessions") as table:
        table.alter_column("key_id", existing_type=sa.String(32), type_=sa.String(64), existing_nullable=False)


def downgrade() -> None:
    op.execute("DELETE FROM web_sessions WHERE key_id LIKE 'person:%'")
    with op.batch_alter_table("web_sessions") as table:
        table.alter_column("key_id", existing_type=sa.String(64), type_=sa.String(32), existing_nullable=False)
