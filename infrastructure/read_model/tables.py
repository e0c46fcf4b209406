"""Read-model tables: projected from the events, dropped and rebuilt at will.

``READ_MODEL_VERSION`` names the shape of these tables. When the code's version
differs from the one recorded in the database, the tables are dropped and
rebuilt from the event log at start-up: no migration is ever written by hand.
"""

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from infrastructure.persistence.tables import UTCDateTime

READ_MODEL = "read_model"  # its row in projection_state
READ_MODEL_VERSION = 24  # 24: who recorded each commitment and who made its latest change

# Where an open-ended commitment (no due) sorts among dues: after every due.
OPEN_ENDED_ORDER = datetime(9999, 12, 31, tzinfo=UTC)

# What roll-ups read of each commitment (besides status and flags): now, and in each version.
ROLLED_UP = (("progress", Integer()), ("weight", Integer()), ("made_on", Date()), ("fulfilled_on", Date()))

read_metadata = MetaData()
ID = String(36)

projection_state = Table(
    "projection_state",
    read_metadata,
    Column("name", String(50), primary_key=True),
    Column("position", BigInteger, nullable=False),  # notification id of the last event applied
    Column("schema_version", Integer, nullable=False),
)

parties_view = Table(
    "parties_view",
    read_metadata,
    Column("id", ID, primary_key=True),
    Column("seq", BigInteger, nullable=False, unique=True),  # notification id of its creation
    Column("version", Integer, nullable=False),
    Column("acronym", String(64), nullable=True),  # None: the party goes by its name
    Column("kind", String(40), nullable=False),
    Column("parent_id", ID, nullable=True, index=True),
    Column("ladder", String(400), nullable=True),  # its own escalation ladder (``Ladder.text``); None: the deployment's
    Column("document", Text, nullable=False),  # the party as the API shows it (JSON)
)

party_contacts = Table(
    "party_contacts",  # who the digests are sent to
    read_metadata,
    Column("contact_id", ID, primary_key=True),
    Column("party_id", ID, nullable=False, index=True),
    Column("name", String(300), nullable=False),
    Column("address", String(254), nullable=False),
    Column("language", String(20), nullable=False),
    Column("frequency", String(10), nullable=False),  # daily | weekly | none
)

meetings_view = Table(
    "meetings_view",
    read_metadata,
    Column("id", ID, primary_key=True),
    Column("seq", BigInteger, nullable=False, unique=True),
    Column("version", Integer, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    Column("series", String(100), nullable=True, index=True),
    Column("session_number", Integer, nullable=True),
    Column("starts_on", Date, nullable=False, index=True),
    Column("ends_on", Date, nullable=False),
    Column("document", Text, nullable=False),
)

meeting_participants = Table(
    "meeting_participants",
    read_metadata,
    Column("meeting_id", ID, primary_key=True),
    Column("party_id", ID, primary_key=True, index=True),
    Column("role", String(30), nullable=False),
)

agreements_view = Table(
    "agreements_view",
    read_metadata,
    Column("id", ID, primary_key=True),
    Column("seq", BigInteger, nullable=False, unique=True),
    Column("version", Integer, nullable=False),
    Column("meeting_id", ID, nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("document", Text, nullable=False),
)

agreement_parties = Table(
    "agreement_parties",
    read_metadata,
    Column("agreement_id", ID, primary_key=True),
    Column("party_id", ID, primary_key=True, index=True),
)

commitments_view = Table(
    "commitments_view",
    read_metadata,
    Column("id", ID, primary_key=True),
    Column("seq", BigInteger, nullable=False, unique=True),
    Column("version", Integer, nullable=False),
    Column("kind", String(30), nullable=False),
    Column("status", String(30), nullable=False),
    Column("lead_party_id", ID, nullable=False, index=True),
    Column("meeting_id", ID, nullable=False, index=True),
    Column("agreement_id", ID, nullable=True, index=True),
    Column("row_number", Integer, nullable=True),
    Column("due_at", UTCDateTime(), nullable=True),  # None: open-ended
    Column("due_order", UTCDateTime(), nullable=False),  # due_at, or OPEN_ENDED_ORDER: what lists sort by
    Column("overdue", Boolean, nullable=False, default=False),
    Column("due_soon", Boolean, nullable=False, default=False),
    Column("review_due", Boolean, nullable=False, default=False),
    Column("escalation_level", Integer, nullable=False, default=0),  # the highest step of the ladder reached
    *(Column(name, kind, nullable=True) for name, kind in ROLLED_UP),
    Column("can_be_late", Boolean, nullable=False),
    Column("next_reminder_at", UTCDateTime(), nullable=True, index=True),
    Column("next_review_at", UTCDateTime(), nullable=True, index=True),
    Column("document", Text, nullable=False),
    Index("ix_commitments_view_status_due", "status", "due_at"),
    # A list of one status in the order of dues reads its first page from here instead of sorting every match.
    Index("ix_commitments_view_status_due_order", "status", "due_order", "seq"),
    # In the scanner's order, so that one batch of candidates is read without sorting them all.
    Index("ix_commitments_view_lateness", "can_be_late", "overdue", "due_at", "seq"),
    Index("ix_commitments_view_due_seq", "due_order", "seq"),
    # The overview's lists: the overdue ones, and those due soon, in the order of their dues.
    Index("ix_commitments_view_overdue_due", "overdue", "due_order", "seq"),
    Index("ix_commitments_view_due_soon_due", "due_soon", "overdue", "due_order", "seq"),
)

commitment_versions = Table(
    "commitment_versions",  # each commitment as it stood from one event to the next, for "as of" questions
    read_metadata,
    Column("id", ID, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("recorded_from", UTCDateTime(), nullable=False),
    Column("recorded_until", UTCDateTime(), nullable=True),  # None: still the current version
    Column("kind", String(30), nullable=False),
    Column("status", String(30), nullable=False),
    Column("lead_party_id", ID, nullable=False),
    Column("meeting_id", ID, nullable=False),
    Column("agreement_id", ID, nullable=True),
    Column("due_at", UTCDateTime(), nullable=True),
    Column("due_order", UTCDateTime(), nullable=False),
    Column("overdue", Boolean, nullable=False),
    Column("due_soon", Boolean, nullable=False),
    Column("review_due", Boolean, nullable=False),
    Column("escalation_level", Integer, nullable=False, default=0),
    *(Column(name, kind, nullable=True) for name, kind in ROLLED_UP),
    Column("document", Text, nullable=False),
    Index("ix_commitment_versions_period", "recorded_from", "recorded_until"),
)

commitment_parties = Table(
    "commitment_parties",
    read_metadata,
    Column("commitment_id", ID, primary_key=True),
    Column("party_id", ID, primary_key=True, index=True),
    Column("role", String(20), nullable=False),  # lead | supporting
)

commitment_parties_named = Table(
    "commitment_parties_named",  # every party it has named, corrected ones too: lists as of an instant
    read_metadata,
    Column("commitment_id", ID, primary_key=True),
    Column("party_id", ID, primary_key=True, index=True),
    Column("role", String(20), primary_key=True),  # lead | supporting
)

commitment_themes = Table(
    "commitment_themes",  # the themes it carries now
    read_metadata,
    Column("commitment_id", ID, primary_key=True),
    Column("theme", String(40), primary_key=True, index=True),
)

commitment_mentions = Table(
    "commitment_mentions",  # the parties its comments (those not hidden) mention, for their contacts' e-mails
    read_metadata,
    Column("commitment_id", ID, primary_key=True),
    Column("number", Integer, primary_key=True),  # the comment's
    Column("party_id", ID, primary_key=True, index=True),
    Column("at", UTCDateTime(), nullable=False),
)

commitment_awaiting = Table(
    "commitment_awaiting",  # the parties whose word its pending change still waits for
    read_metadata,
    Column("commitment_id", ID, primary_key=True),
    Column("party_id", ID, primary_key=True, index=True),
    Column("silence_until", UTCDateTime(), nullable=True, index=True),  # None: someone must act
    Column("declared_at", UTCDateTime(), nullable=False),
)

commitment_escalations = Table(
    "commitment_escalations",  # the parties the steps of its ladder reached have told, for the current due
    read_metadata,
    Column("commitment_id", ID, primary_key=True),
    Column("party_id", ID, primary_key=True, index=True),
)

# The search index is engine-specific (SQLite FTS5, PostgreSQL tsvector + GIN):
# see infrastructure.read_model.search_index.


# The roll-ups' counts, kept by the projector as commitments change (``domain.commitments.rollup.Counts``):
# for every commitment ("all"), and for each agreement, meeting and lead party; a series' are its
# meetings' added up. A status's share of a scope, and how many of its fulfilled commitments took each
# number of days.
rollup_shares = Table(
    "rollup_shares",
    read_metadata,
    Column("scope", String(10), primary_key=True),  # all | agreement | meeting | party
    Column("key", String(36), primary_key=True),  # the agreement's, meeting's or party's id; "" for all
    Column("status", String(30), primary_key=True),
    *(Column(name, BigInteger, nullable=False) for name in ("commitments", "overdue", "due_soon", "escalated")),
    *(Column(name, BigInteger, nullable=False) for name in ("weight", "done")),
)

rollup_days = Table(
    "rollup_days",
    read_metadata,
    Column("scope", String(10), primary_key=True),
    Column("key", String(36), primary_key=True),
    Column("days", Integer, primary_key=True),
    Column("commitments", BigInteger, nullable=False),
)
