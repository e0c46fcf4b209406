"""The tables beside the read model as they were when migrations began (revision 0001), written out
here and frozen: never edit this module. The tables of the running code are in their rooms' ``tables``
modules; a change to them is a new revision in ``versions/``, and a test checks that the revisions
together give the shape the code declares.

Every instant is ``DateTime(timezone=True)``, the type the code's ``UTCDateTime`` stores as.
"""

from datetime import datetime

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
    UniqueConstraint,
)

BASELINE = MetaData()


def _instant(name: str, nullable: bool) -> Column[datetime]:
    return Column(name, DateTime(timezone=True), nullable=nullable)


Table(
    "api_keys",
    BASELINE,
    Column("id", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("party_scope", Text, nullable=True),
    _instant("created_at", False),
    _instant("revoked_at", True),
    Column("made_by_form", String(64), nullable=True),
)

Table(
    "idempotency_records",
    BASELINE,
    Column("principal", String(64), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("body", Text, nullable=False),
    _instant("created_at", False),
)

Table(
    "follower_positions",
    BASELINE,
    Column("name", String(40), primary_key=True),
    Column("position", BigInteger, nullable=False),
)

Table(
    "heartbeats",
    BASELINE,
    Column("name", String(40), primary_key=True),
    _instant("at", False),
)

Table(
    "service_keys",
    BASELINE,
    Column("purpose", String(40), primary_key=True),
    Column("private_key", Text, nullable=False),
    _instant("created_at", False),
)

Table(
    "web_sessions",
    BASELINE,
    Column("token_hash", String(64), primary_key=True),
    Column("key_id", String(32), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    _instant("created_at", False),
    _instant("seen_at", False),
)

Table(
    "calendar_feeds",
    BASELINE,
    Column("id", String(32), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("key_id", String(32), nullable=False, index=True),
    Column("party_id", String(36), nullable=True),
    _instant("created_at", False),
    _instant("revoked_at", True),
)

Table(
    "access_denials",
    BASELINE,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _instant("at", False),
    Column("principal", String(64), nullable=True),
    Column("method", String(10), nullable=False),
    Column("path", Text, nullable=False),
    Column("status", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("client", String(64), nullable=True),
    Column("repeats", Integer, nullable=True),
    Index("ix_access_denials_at", "at"),
)

Table(
    "audit_chain",
    BASELINE,
    Column("position", BigInteger, primary_key=True),
    Column("link", String(64), nullable=False),
)

Table(
    "audit_watch",
    BASELINE,
    Column("name", String(40), primary_key=True),
    Column("verified_position", BigInteger, nullable=False),
    Column("verified_link", String(64), nullable=False),
    _instant("last_check_at", True),
    _instant("last_full_check_at", True),
)

Table(
    "audit_breaks",
    BASELINE,
    Column("position", BigInteger, primary_key=True),
    Column("problem", Text, nullable=False),
    _instant("detected_at", False),
    _instant("resolved_at", True),
    Column("record_id", String(36), nullable=True),
)

Table(
    "mail_digests",
    BASELINE,
    Column("contact_id", String(36), primary_key=True),
    Column("period", String(24), primary_key=True),
    Column("party_id", String(36), nullable=False, index=True),
    Column("address", String(254), nullable=False),
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False),
    _instant("lease_until", False),
    _instant("updated_at", False),
    Column("message_id", String(200), nullable=True),
    Column("error", Text, nullable=True),
)

Table(
    "subscriptions",
    BASELINE,
    Column("id", String(40), primary_key=True),
    Column("url", Text, nullable=False),
    Column("kinds", Text, nullable=False),
    Column("party_ids", Text, nullable=False),
    Column("description", Text, nullable=True),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=True),
    Column("secret", String(100), nullable=False),
    Column("previous_secret", String(100), nullable=True),
    _instant("previous_secret_until", True),
    _instant("failing_since", True),
    Column("disabled_reason", Text, nullable=True),
    _instant("created_at", False),
    _instant("updated_at", False),
)

Table(
    "deliveries",
    BASELINE,
    Column("id", String(40), primary_key=True),
    Column("subscription_id", String(40), nullable=False, index=True),
    Column("position", BigInteger, nullable=True),
    Column("event_type", String(60), nullable=False),
    Column("commitment_id", String(36), nullable=True, index=True),
    Column("payload", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("attempt_count", Integer, nullable=False),
    _instant("next_attempt_at", True),
    Column("lease_owner", String(40), nullable=True),
    _instant("lease_expires_at", True),
    _instant("created_at", False),
    _instant("updated_at", False),
    UniqueConstraint("subscription_id", "position", name="uq_deliveries_subscription_position"),
    Index("ix_deliveries_due", "status", "next_attempt_at"),
)

Table(
    "delivery_attempts",
    BASELINE,
    Column("delivery_id", String(40), primary_key=True),
    Column("number", Integer, primary_key=True),
    _instant("started_at", False),
    Column("duration_ms", Integer, nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("error", Text, nullable=True),
    Column("response_body", Text, nullable=True),
)
