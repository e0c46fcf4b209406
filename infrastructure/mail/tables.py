"""The digests sent (or being sent): one row per contact and period, which is what keeps a digest
from being sent twice, however many workers look; an ``immediate`` contact's e-mails of changes are
numbered periods of their own, each with the window of changes it told."""

from sqlalchemy import Column, Integer, String, Table, Text

from infrastructure.persistence.tables import UTCDateTime, metadata

mail_digests = Table(
    "mail_digests",
    metadata,
    Column("contact_id", String(36), primary_key=True),
    Column("period", String(24), primary_key=True),  # daily:2026-12-02 | weekly:2026-11-30 | immediate:7
    Column("party_id", String(36), nullable=False, index=True),
    Column("address", String(254), nullable=False),
    Column("status", String(10), nullable=False),  # sending | sent | empty (nothing to tell) | failed
    Column("attempts", Integer, nullable=False),
    Column("lease_until", UTCDateTime(), nullable=False),  # a worker sending it holds it until then
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("message_id", String(200), nullable=True),
    Column("error", Text, nullable=True),
    # An immediate e-mail's window: the changes recorded after ``since`` and up to ``through`` (digests: none).
    Column("since", UTCDateTime(), nullable=True),
    Column("through", UTCDateTime(), nullable=True),
)

# The focal points' links used already (``infrastructure.mail.action_links``): a link works once, however
# many requests race with it; the digest of its token is the key, so the table holds no usable link.
action_links_used = Table(
    "action_links_used",
    metadata,
    Column("token_digest", String(64), primary_key=True),  # SHA-256 of the token, in hex
    Column("commitment_id", String(36), nullable=False, index=True),
    Column("contact_id", String(36), nullable=False),
    Column("action", String(20), nullable=False),
    Column("used_at", UTCDateTime(), nullable=False),
)
