"""The audit's tables: the chain's links, what its checks found, and the refused requests."""

from sqlalchemy import BigInteger, Column, Integer, String, Table, Text

from infrastructure.persistence.tables import UTCDateTime, metadata

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


audit_chain = Table(
    "audit_chain",
    metadata,
    Column("position", BigInteger, primary_key=True),  # the event's notification id
    Column("link", String(64), nullable=False),
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
    Column("record_id", String(36), nullable=True),  # the record the event there belongs to (None: it is gone)
)

audit_signing_keys = Table(
    "audit_signing_keys",  # every key that has signed the heads, each new one signed by the one before it
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),  # from 1, in the order they signed
    Column("public_key", String(64), nullable=False, unique=True),  # Ed25519, 32 bytes in base64
    Column("endorsed_by", String(64), nullable=True),  # the key before it; None: the first, or a key not rotated to
    Column("endorsement", String(128), nullable=True),  # that key's signature over ``key_message``
    Column("created_at", UTCDateTime(), nullable=False),
)

audit_witnesses = Table(
    "audit_witnesses",  # the organisations that hold this deployment's heads (``commitments witness serve``)
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("url", String(2000), nullable=False),
    Column("public_key", String(64), nullable=False),  # the key that signs its receipts
    Column("added_at", UTCDateTime(), nullable=False),
)

audit_receipts = Table(
    "audit_receipts",  # what each witness answered: it holds the head at this position with this link
    metadata,
    Column("witness_id", String(36), primary_key=True),
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("link", String(64), nullable=False),
    Column("witnessed_at", String(40), nullable=False),  # as the witness signed it
    Column("signature", String(128), nullable=False),
    Column("deployment", String(64), nullable=False),  # the deployment key the witness knows it by
)
