"""The tables beside the read model as they were when migrations began.

A database made before migrations (its tables there, no ``alembic_version``) is not run through this
revision: it is stamped at it, after what an older start-up would have added is added
(``migrating.upgrade``).

Revision ID: 0001
Revises:
Created: issue 35
"""

from collections.abc import Sequence

from alembic import op

from infrastructure.persistence.migrations.baseline import BASELINE

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    BASELINE.create_all(op.get_bind(), checkfirst=False)


def downgrade() -> None:
    BASELINE.drop_all(op.get_bind(), checkfirst=False)
