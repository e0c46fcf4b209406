"""The webhooks' tables: subscriptions, deliveries and every attempt."""

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from infrastructure.persistence.tables import UTCDateTime, metadata

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("url", Text, nullable=False),
    Column("kinds", Text, nullable=False),  # JSON list
    Column("party_ids", Text, nullable=False),  # JSON list; empty: every party
    Column("description", Text, nullable=True),
    Column("status", String(20), nullable=False),  # active | paused | disabled
    Column("version", Integer, nullable=True),  # every change adds one (None: made before versions, 1)
    Column("secret", String(100), nullable=False),
    Column("previous_secret", String(100), nullable=True),  # still signs until previous_secret_until
    Column("previous_secret_until", UTCDateTime(), nullable=True),
    Column("failing_since", UTCDateTime(), nullable=True),
    Column("disabled_reason", Text, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)


deliveries = Table(
    "deliveries",
    metadata,
    Column("id", String(40), primary_key=True),  # the webhook-id, the same on every attempt
    Column("subscription_id", String(40), nullable=False, index=True),
    Column("position", BigInteger, nullable=True),  # notification id of the event; None: operational
    Column("event_type", String(60), nullable=False),
    Column("commitment_id", String(36), nullable=True, index=True),
    Column("payload", Text, nullable=False),
    Column("status", String(20), nullable=False),  # pending | succeeded | failed
    Column("attempts", Integer, nullable=False),  # in this round (a resend starts a new round)
    Column("attempt_count", Integer, nullable=False),  # in all
    Column("next_attempt_at", UTCDateTime(), nullable=True),
    Column("lease_owner", String(40), nullable=True),
    Column("lease_expires_at", UTCDateTime(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("subscription_id", "position", name="uq_deliveries_subscription_position"),
    Index("ix_deliveries_due", "status", "next_attempt_at"),
)


delivery_attempts = Table(
    "delivery_attempts",
    metadata,
    Column("delivery_id", String(40), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("duration_ms", Integer, nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("error", Text, nullable=True),
    Column("response_body", Text, nullable=True),  # the first 20 kB
)
