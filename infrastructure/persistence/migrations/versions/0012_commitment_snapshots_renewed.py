"""Commitments' snapshots taken before they kept who recorded them and who changed them last are dropped.

A snapshot is a cache of an aggregate's state: one taken before version 9 of the commitment cannot say who
recorded it (its events can), and every snapshot taken after it from that state would say no one either. Without
it, the commitment is made again from its events, and its next snapshot keeps them (decision 0075).

Revision ID: 0012
Revises: 0011
Created: issue 40
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The event store's own table, made by the library at the first start: named by its SQLite module, or (PostgreSQL)
# after the store's name.
SNAPSHOTS = {"sqlite": "stored_snapshots", "postgresql": "tracker_snapshots"}
COMMITMENT = ':Commitment"'  # the end of a commitment's topic in a snapshot's state (JSON)


def upgrade() -> None:
    bind = op.get_bind()
    table = SNAPSHOTS[bind.dialect.name]
    if not sa.inspect(bind).has_table(table):
        return  # no event was ever stored here
    if bind.dialect.name == "postgresql":
        found = "position(convert_to(:topic, 'UTF8') in state) > 0"
    else:
        found = "instr(state, CAST(:topic AS BLOB)) > 0"
    bind.execute(sa.text(f"DELETE FROM {table} WHERE {found}"), {"topic": COMMITMENT})


def downgrade() -> None:
    pass  # nothing to restore: a snapshot is a cache, made again from the events
