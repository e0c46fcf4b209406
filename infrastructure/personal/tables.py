"""The keys that seal each person's data in the events, and the people erased."""

from sqlalchemy import Column, LargeBinary, String, Table

from infrastructure.persistence.tables import UTCDateTime, metadata

personal_keys = Table(
    "personal_keys",  # one AES-256 key per person (a contact), outside the event log; deleted when erased
    metadata,
    Column("person_id", String(36), primary_key=True),
    Column("key", LargeBinary, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

personal_erasures = Table(
    "personal_erasures",  # the people erased: their data is hidden from every view, even where stored in clear
    metadata,
    Column("person_id", String(36), primary_key=True),
    Column("erased_at", UTCDateTime(), nullable=False),
)
