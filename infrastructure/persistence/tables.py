"""Tables beside the event store (shared ``metadata``): API keys, idempotency records, the followers'
positions, the service's own keys and the background jobs' heartbeats. The webhooks and the audit keep
their tables in their rooms."""

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Dialect,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)

metadata = MetaData()


class UTCDateTime(TypeDecorator[datetime]):
    """Stores instants in UTC and returns them time-zone aware on every engine."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


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
    Column("made_by_form", String(64), nullable=True),  # the page's form that made it: one key per form sent
    Column("owner", String(64), nullable=True, index=True),  # person:<id> who holds it; None: a service account
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


follower_positions = Table(
    "follower_positions",  # how far each follower of the event log (outbox, audit chain) has come
    metadata,
    Column("name", String(40), primary_key=True),
    Column("position", BigInteger, nullable=False),
)


heartbeats = Table(
    "heartbeats",  # when each background job last ran, in any process
    metadata,
    Column("name", String(40), primary_key=True),
    Column("at", UTCDateTime(), nullable=False),
)


service_keys = Table(
    "service_keys",
    metadata,
    Column("purpose", String(40), primary_key=True),
    Column("private_key", Text, nullable=False),  # PEM
    Column("created_at", UTCDateTime(), nullable=False),
)


web_sessions = Table(
    "web_sessions",  # people signed in to the web pages: the cookie holds a token, this table its hash
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("key_id", String(64), nullable=False, index=True),  # a key's id, or person:<id>
    Column("csrf", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("seen_at", UTCDateTime(), nullable=False),
)


calendar_feeds = Table(
    "calendar_feeds",  # secret iCalendar addresses: the address holds a token, this table its hash
    metadata,
    Column("id", String(32), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("key_id", String(32), nullable=False, index=True),
    Column("party_id", String(36), nullable=True),  # None: every commitment the key's parties (or all) have
    Column("created_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime(), nullable=True),
)
