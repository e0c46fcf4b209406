"""The credentials of people's accounts: never in the event log (decision 0075)."""

from sqlalchemy import Column, String, Table

from infrastructure.persistence.tables import UTCDateTime, metadata

person_credentials = Table(
    "person_credentials",  # a person's password, hashed with Argon2id
    metadata,
    Column("person_id", String(36), primary_key=True),
    Column("password_hash", String(200), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

person_invitations = Table(
    "person_invitations",  # a link that lets a person choose a password, once, until it expires
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("person_id", String(36), nullable=False, index=True),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used_at", UTCDateTime(), nullable=True),
)
