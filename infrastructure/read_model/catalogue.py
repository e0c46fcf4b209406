"""Answers the catalogue's questions (``application.listing.queries``) from the read-model tables.

``SqlCatalogue`` is the ``Catalogue`` port; it asks the module of each concern:

- ``listing``: the lists of records and the SQL of their filters (``paging``: a page of a list, its
  cursor and its bounded count);
- ``searching``: full-text search across every kind;
- ``tallies``: the overview's tally and the roll-ups' rows;
- ``scanning``: the scanner's candidates and the parties' own escalation ladders;
- ``timelines``: the records a party or a meeting touched;
- ``documents``: a record's document, if it is of its latest version.
"""

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Engine

from application.listing.queries import (
    AgreementFilter,
    CommitmentFilter,
    Filter,
    MeetingFilter,
    PartyFilter,
    Results,
    RollupRow,
    RollupScope,
    SearchHit,
    Tally,
)
from domain.commitments.escalation import Ladder
from domain.commitments.rollup import Counts
from infrastructure.log.follower import position
from infrastructure.read_model import listing, rollup_counts, scanning, searching, timelines
from infrastructure.read_model.documents import LatestDocuments
from infrastructure.read_model.searching import Words
from infrastructure.read_model.tables import READ_MODEL, projection_state
from infrastructure.read_model.tallies import Tallies, counts_as_of, overdue_at

COUNTED_UP_TO = 10_000  # lists count their matches up to this many, unless asked for the exact total


class SqlCatalogue:
    def __init__(self, engine: Engine, counted_up_to: int = COUNTED_UP_TO, events_table: str = "stored_events") -> None:
        # It only reads: on PostgreSQL, through an engine of its own whose connections are in autocommit
        # (``database.create_reading_engine``); SQLite's driver opens no transaction for a read.
        self.engine = engine
        self.counted_up_to = counted_up_to  # lists count their matches up to this many, unless asked for all
        self._latest_documents = LatestDocuments(engine, events_table)
        self._tallies = Tallies(engine)  # kept until the read model moves

    def find_commitments(self, query: CommitmentFilter) -> Results:
        return listing.find_commitments(self.engine, query, self.counted_up_to)

    def find_meetings(self, query: MeetingFilter) -> Results:
        return listing.find_meetings(self.engine, query, self.counted_up_to)

    def find_agreements(self, query: AgreementFilter) -> Results:
        return listing.find_agreements(self.engine, query, self.counted_up_to)

    def find_parties(self, query: PartyFilter) -> Results:
        return listing.find_parties(self.engine, query, self.counted_up_to)

    def ids(self, query: Filter) -> list[str]:
        return listing.ids(self.engine, query)

    def search(self, words: Words, limit: int) -> list[SearchHit]:
        return searching.search(self.engine, words, limit)

    def tally(self, parties: frozenset[str] | None = None) -> list[Tally]:
        return self._tallies.tally(parties)

    def rollup_rows(self, scope: RollupScope, as_of: datetime | None = None) -> list[RollupRow]:
        return self._tallies.rollup_rows(scope, as_of)

    def rollup_counts(self, scope: RollupScope, as_of: datetime | None = None) -> Counts | None:
        if as_of is not None:
            return counts_as_of(self.engine, scope, as_of).get("") or Counts({}, {})
        return rollup_counts.counts_of(self.engine, scope)

    def overdue_at(self, instants: list[datetime], parties: frozenset[str] | None = None) -> list[int]:
        return overdue_at(self.engine, instants, parties)

    def statistics_counts(
        self, as_of: datetime | None = None
    ) -> tuple[Counts, dict[str, Counts], dict[str | None, Counts]]:
        if as_of is not None:
            every = RollupScope()
            overall = counts_as_of(self.engine, every, as_of).get("") or Counts({}, {})
            return (
                overall,
                counts_as_of(self.engine, every, as_of, "party"),
                counts_as_of(self.engine, every, as_of, "series"),
            )
        found = rollup_counts.read(self.engine, rollup_counts.STATISTICS)
        return found["all"].get("") or Counts({}, {}), found["party"], found["series"]

    def touched_by_party(self, party_id: str) -> list[str]:
        return timelines.touched_by_party(self.engine, party_id)

    def touched_by_meeting(self, meeting_id: str) -> list[str]:
        return timelines.touched_by_meeting(self.engine, meeting_id)

    def overdue_candidates(self, now: datetime, limit: int) -> list[str]:
        return scanning.overdue_candidates(self.engine, now, limit)

    def due_soon_candidates(self, now: datetime, limit: int) -> list[str]:
        return scanning.due_soon_candidates(self.engine, now, limit)

    def awaiting_words(self) -> list[dict[str, Any]]:
        return scanning.awaiting_words(self.engine)

    def silence_candidates(self, now: datetime, limit: int) -> list[str]:
        return scanning.silence_candidates(self.engine, now, limit)

    def review_candidates(self, now: datetime, limit: int) -> list[str]:
        return scanning.review_candidates(self.engine, now, limit)

    def escalation_candidates(
        self, now: datetime, limit: int, *, ladder: Ladder, leads: Collection[str] | None, others_than: Collection[str]
    ) -> list[str]:
        return scanning.escalation_candidates(
            self.engine, now, limit, ladder=ladder, leads=leads, others_than=others_than
        )

    def own_ladders(self) -> dict[str, Ladder]:
        return scanning.own_ladders(self.engine)

    def latest_document(self, kind: str, record_id: UUID) -> tuple[str, int] | None:
        return self._latest_documents.of(kind, record_id)

    def status_changes(self, ids: Sequence[str], until: datetime | None = None) -> list[dict[str, Any]]:
        return timelines.status_changes(self.engine, ids, until)

    def party_status_changes(self, party_id: str, since: datetime, through: datetime) -> list[dict[str, Any]]:
        return timelines.party_status_changes(self.engine, party_id, since, through)

    def mentions_of_party(self, party_id: str, since: datetime | None, through: datetime) -> list[dict[str, Any]]:
        return timelines.mentions_of_party(self.engine, party_id, since, through)

    def position(self) -> int:
        """The position in the event log the read model has reached (0: none yet): what it says changes
        only when it moves."""
        return position(self.engine, projection_state, READ_MODEL)
