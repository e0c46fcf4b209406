"""An immediate contact's e-mails of changes: the window of changes each told.

Revision ID: 0003
Revises: 0002
Created: issue 38
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from infrastructure.persistence.tables import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("mail_digests") as table:
        table.add_column(sa.Column("since", UTCDateTime(), nullable=True))
        table.add_column(sa.Column("through", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mail_digests") as table:
        table.drop_column("through")
        table.drop_column("since")
