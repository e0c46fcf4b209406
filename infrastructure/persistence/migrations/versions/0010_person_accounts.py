"""People's accounts: second factor and last sign-in; recovery codes; which account an address signs in to;
attempts at signing in, held after too many.

Revision ID: 0010
Revises: 0009
Created: issue 40
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from infrastructure.persistence.tables import UTCDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    accounts = op.create_table(
        "person_accounts",
        sa.Column("person_id", sa.String(36), primary_key=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_sign_in_at", UTCDateTime(), nullable=True),
        sa.Column("totp_secret", sa.String(64), nullable=True),
        sa.Column("totp_pending", sa.String(64), nullable=True),
        sa.Column("totp_last_step", sa.BigInteger, nullable=True),
    )
    op.create_table(
        "person_recovery_codes",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_person_recovery_codes_person_id", "person_recovery_codes", ["person_id"])
    op.create_table(
        "person_addresses",
        sa.Column("address", sa.String(320), primary_key=True),
        sa.Column("person_id", sa.String(36), nullable=False, unique=True),
    )
    op.create_table(
        "sign_in_holds",
        sa.Column("subject", sa.String(64), primary_key=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("held_until", UTCDateTime(), nullable=True),
        sa.Column("seen_at", UTCDateTime(), nullable=False),
    )
    invited = op.get_bind().execute(sa.text("SELECT DISTINCT person_id FROM person_invitations")).scalars().all()
    now = datetime.now(UTC)
    op.bulk_insert(accounts, [{"person_id": person, "created_at": now} for person in invited])


def downgrade() -> None:
    op.drop_table("sign_in_holds")
    op.drop_table("person_addresses")
    op.drop_index("ix_person_recovery_codes_person_id", "person_recovery_codes")
    op.drop_table("person_recovery_codes")
    op.drop_table("person_accounts")
