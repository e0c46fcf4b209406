"""The tables of the evidence files: the files themselves (on PostgreSQL: every process and machine of a
deployment reads the same ones) and the bytes sent through focal points' links each day."""

from sqlalchemy import BigInteger, Column, Date, Integer, LargeBinary, String, Table

from infrastructure.persistence.tables import UTCDateTime, metadata

evidence_files = Table(
    "evidence_files",  # each file once, by the SHA-256 of its bytes (``TableFiles``)
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("stored_at", UTCDateTime(), nullable=False),
)

link_uploads = Table(
    "link_uploads",  # what the links of a party's focal points sent in a day (``UploadQuota``)
    metadata,
    Column("holder", String(64), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("files", Integer, nullable=False),
    Column("bytes", BigInteger, nullable=False),
)

evidence_file_checks = Table(
    "evidence_file_checks",  # every file an event cites, and what its last check found (``FileChecks``)
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("cited_at", BigInteger, nullable=False),  # the position of the first event that cites it
    Column("checked_at", UTCDateTime(), nullable=True),  # None: not checked yet
    Column("found", String(10), nullable=True),  # intact, missing, altered
)

evidence_file_scan = Table(
    "evidence_file_scan",  # how far the log was read for files its events cite
    metadata,
    Column("id", Integer, primary_key=True),
    Column("position", BigInteger, nullable=False),
)
