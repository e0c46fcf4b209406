"""Tables beside the event store: API keys, idempotency records, webhook subscriptions and deliveries."""

from datetime import datetime, timezone

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)

metadata = MetaData()


class UTCDateTime(TypeDecorator[datetime]):
    """Stores instants in UTC and returns them time-zone aware on every engine."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("party_scope", Text, nullable=True),  # JSON list of party ids; None: every party
    Column("created_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime(), nullable=True),
)

access_denials = Table(
    "access_denials",  # every refused request, for audit
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime(), nullable=False, index=True),
    Column("principal", String(64), nullable=True),  # None: no valid key was given
    Column("method", String(10), nullable=False),
    Column("path", Text, nullable=False),
    Column("status", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("client", String(64), nullable=True),  # the client's address (requests without a valid key)
    Column("repeats", Integer, nullable=True),  # refusals like this one in the same minute, not written as rows
)

idempotency_records = Table(
    "idempotency_records",
    metadata,
    Column("principal", String(64), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

# -- webhooks -----------------------------------------------------------------------------

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

follower_positions = Table(
    "follower_positions",  # how far each follower of the event log (outbox, audit chain) has come
    metadata,
    Column("name", String(40), primary_key=True),
    Column("position", BigInteger, nullable=False),
)

# -- audit ---------------------------------------------------------------------------------------

audit_chain = Table(
    "audit_chain",
    metadata,
    Column("position", BigInteger, primary_key=True),  # the event's notification id
    Column("link", String(64), nullable=False),
)

heartbeats = Table(
    "heartbeats",  # when each background job last ran, in any process
    metadata,
    Column("name", String(40), primary_key=True),
    Column("at", UTCDateTime(), nullable=False),
)

audit_watch = Table(
    "audit_watch",  # how far the chain has been checked without anyone asking (one row)
    metadata,
    Column("name", String(40), primary_key=True),
    Column("verified_position", BigInteger, nullable=False),  # every link up to here was recomputed and matched
    Column("verified_link", String(64), nullable=False),
    Column("last_check_at", UTCDateTime(), nullable=True),
    Column("last_full_check_at", UTCDateTime(), nullable=True),
)

audit_breaks = Table(
    "audit_breaks",  # every break of the chain found, told to operations subscribers once
    metadata,
    Column("position", BigInteger, primary_key=True),  # the first position that did not match
    Column("problem", Text, nullable=False),
    Column("detected_at", UTCDateTime(), nullable=False),
    Column("resolved_at", UTCDateTime(), nullable=True),  # a later check of the whole chain found it intact
)

service_keys = Table(
    "service_keys",
    metadata,
    Column("purpose", String(40), primary_key=True),
    Column("private_key", Text, nullable=False),  # PEM
    Column("created_at", UTCDateTime(), nullable=False),
)
