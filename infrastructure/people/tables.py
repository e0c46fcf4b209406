"""The credentials of people's accounts: never in the event log (decision 0075)."""

from sqlalchemy import BigInteger, Column, Integer, String, Table

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

person_addresses = Table(
    "person_addresses",  # which account an e-mail address signs in to; erasing the person deletes the row
    metadata,
    Column(
        "address", String(320), primary_key=True
    ),  # as ``application.translation.mail_address`` gives it, casefolded
    Column("person_id", String(36), nullable=False, unique=True),
)

sign_in_holds = Table(
    "sign_in_holds",  # attempts in a row at an address's password or a person's code, counted before each is checked
    metadata,
    Column("subject", String(64), primary_key=True),  # SHA-256 of address:<address> (known or not) or code:<person>
    Column("attempts", Integer, nullable=False),
    Column("held_until", UTCDateTime(), nullable=True),  # no attempt is checked before then
    Column("seen_at", UTCDateTime(), nullable=False),
)

person_accounts = Table(
    "person_accounts",  # one row per account: its second factor, its last sign-in
    metadata,
    Column("person_id", String(36), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_sign_in_at", UTCDateTime(), nullable=True),
    Column("totp_secret", String(64), nullable=True),  # the authenticator's secret (RFC 6238), once confirmed
    Column("totp_pending", String(64), nullable=True),  # a secret shown, not yet confirmed by a code
    Column("totp_last_step", BigInteger, nullable=True),  # the last time step used: a code works once
)

person_recovery_codes = Table(
    "person_recovery_codes",  # single-use codes for a lost authenticator, kept as SHA-256
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("person_id", String(36), nullable=False, index=True),
    Column("used_at", UTCDateTime(), nullable=True),
)
