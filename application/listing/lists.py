"""Lists of records, now or as they stood at an instant.

Lists of today are the read model's (``Catalogue``). As of an instant: the read model keeps
every version of every commitment (``commitment_versions``), so the commitments as recorded at
an instant are a query there. Everything else is replayed: facts
recorded late (a delivery made on 10 June, recorded on 1 July; a 2023 meeting typed in in 2026)
change what had happened by a date without a version of the record ever having shown it, and
meetings, agreements and parties keep no versions in the read model. The catalogue gives the
records matching the filters on what never changes, each is replayed as of the instant on the
axis asked for, and the filters on state (and the words, which documents and matrix rows add to)
are applied to the result. The cost grows with the records matching the fixed filters.
"""

from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from application import policy
from application.listing import cursors
from application.listing.histories import Histories
from application.listing.queries import (
    AgreementFilter,
    CommitmentFilter,
    Filter,
    MeetingFilter,
    PartyFilter,
    Results,
)
from application.ports import Catalogue
from application.views import AgreementView, CommitmentView, EventView, MeetingView, PartyView
from domain.access import Principal
from domain.commitments.commitment import Commitment
from domain.meetings.agreement import Agreement
from domain.meetings.meeting import Meeting
from domain.parties.party import Party
from domain.search import finds, index_terms
from domain.searched import searched_texts

A = TypeVar("A", bound=Aggregate)
OPEN_ENDED_LAST = datetime.max.replace(tzinfo=None).isoformat()  # sorts after any due


def _found(query: Filter, record: Aggregate) -> bool:
    """The query's words, held against the texts the record had then."""
    return query.words is None or finds(query.words, index_terms(*searched_texts(record)))


def _commitment_wanted(query: CommitmentFilter, c: Commitment) -> bool:
    return (
        (not query.statuses or c.status.value in query.statuses)
        and (query.due_before is None or (c.due_at is not None and c.due_at < query.due_before))
        and (query.due_after is None or (c.due_at is not None and c.due_at >= query.due_after))
        and (query.overdue is None or c.overdue == query.overdue)
        and (query.due_soon is None or c.due_soon == query.due_soon)
        and (query.has_due is None or (c.due_at is not None) == query.has_due)
        and (query.review_due is None or c.review_due == query.review_due)
        and (query.escalated is None or (c.escalation is not None) == query.escalated)
        and (query.escalated_to is None or query.escalated_to in c.escalated_to)
        and (query.lead_party is None or c.lead_party_id == query.lead_party)
        and (query.party is None or str(query.party) in c.parties)
        and (query.supporting_party is None or query.supporting_party in c.supporting_party_ids)
        and (query.any_party is None or bool(query.any_party & set(c.parties)))
        and (not query.themes or bool(set(query.themes) & set(c.themes)))
        and _found(query, c)
    )


def _meeting_wanted(query: MeetingFilter, m: Meeting) -> bool:
    return (
        (not query.statuses or m.status.value in query.statuses)
        and (query.starts_after is None or m.dates.starts_on >= query.starts_after)
        and (query.starts_before is None or m.dates.starts_on < query.starts_before)
        and _found(query, m)
    )


def _replayed(
    histories: Histories, catalogue: Catalogue, cls: type[A], query: Filter, at: datetime, wanted: Callable[[A], bool]
) -> list[A]:
    """The records matching the query as they stood at ``at``, in the order recorded."""
    found = (histories.as_of(cls, record_id, at, query.axis) for record_id in catalogue.ids(query))
    return [record for record in found if record is not None and wanted(record)]


def _page(query: Filter, records: list[A], view: Callable[[A], Any]) -> Results:
    name = f"{type(query).__name__} as of"  # a cursor of one list as of an instant is no other list's
    after = cursors.decode(query.cursor, name, cursors.OFFSET)
    offset = after[0] if after else 0
    page = records[offset : offset + query.limit]
    following = offset + len(page)
    return Results(
        items=[asdict(view(record)) for record in page],
        total=len(records),
        next_cursor=cursors.encode(name, following) if following < len(records) else None,
    )


def commitments(histories: Histories, catalogue: Catalogue, query: CommitmentFilter) -> Results:
    """What the query finds, each saying whether a break of the audit chain touches it."""
    return histories.marked_page(_commitments(histories, catalogue, query))


def _names_parties(query: CommitmentFilter) -> bool:
    """Whether the query asks which parties a commitment named: as of an instant, those it named then (a
    correction may have changed them since), found by replaying it."""
    return any(p is not None for p in (query.party, query.supporting_party, query.any_party))


def _commitments(histories: Histories, catalogue: Catalogue, query: CommitmentFilter) -> Results:
    """As recorded at an instant, the read model's versions answer; on the effective axis (or asked
    whom an escalation told then, which themes it carried, or which parties it named) each is replayed,
    and its words are held against its texts then as well as now (a text can be corrected)."""
    if query.as_of is None or (
        query.axis == "recorded" and query.escalated_to is None and not query.themes and not _names_parties(query)
    ):
        return catalogue.find_commitments(query)
    found = _replayed(histories, catalogue, Commitment, query, query.as_of, lambda c: _commitment_wanted(query, c))
    if query.sort != "recorded":  # dues alike in recorded order, or with -due the reverse (as the list now has them)
        if query.sort == "-due":
            found.reverse()  # (a reversed sort keeps equal dues in the order given)
        found.sort(key=lambda c: c.due_at.isoformat() if c.due_at else OPEN_ENDED_LAST, reverse=query.sort == "-due")
    return _page(query, found, lambda c: histories.hidden_as_now(CommitmentView.of(c)))


def meetings(histories: Histories, catalogue: Catalogue, query: MeetingFilter) -> Results:
    """What the query finds, each saying whether a break of the audit chain touches it."""
    return histories.marked_page(_meetings(histories, catalogue, query))


def _meetings(histories: Histories, catalogue: Catalogue, query: MeetingFilter) -> Results:
    if query.as_of is None:
        return catalogue.find_meetings(query)
    return _page(
        query,
        _replayed(histories, catalogue, Meeting, query, query.as_of, lambda m: _meeting_wanted(query, m)),
        MeetingView.of,
    )


def agreements(histories: Histories, catalogue: Catalogue, query: AgreementFilter) -> Results:
    """What the query finds, each saying whether a break of the audit chain touches it."""
    return histories.marked_page(_agreements(histories, catalogue, query))


def _agreements(histories: Histories, catalogue: Catalogue, query: AgreementFilter) -> Results:
    if query.as_of is None:
        return catalogue.find_agreements(query)
    return _page(
        query,
        _replayed(histories, catalogue, Agreement, query, query.as_of, lambda a: _found(query, a)),
        AgreementView.of,
    )


def parties(histories: Histories, catalogue: Catalogue, query: PartyFilter) -> Results:
    """What the query finds, each saying whether a break of the audit chain touches it."""
    return histories.marked_page(_parties(histories, catalogue, query))


def _parties(histories: Histories, catalogue: Catalogue, query: PartyFilter) -> Results:
    """A party's names never change: the catalogue's words are its words at any instant."""
    if query.as_of is None:
        return catalogue.find_parties(query)
    return _page(query, _replayed(histories, catalogue, Party, query, query.as_of, lambda p: True), PartyView.of)


class Lists:
    """The lists of records for every door: what a query finds, now or as it stood at an instant, each
    record saying whether a break of the audit chain touches it. Every key reads them (``policy.reads``)."""

    def __init__(self, histories: Histories, catalogue: Catalogue) -> None:
        self.histories = histories
        self.catalogue = catalogue

    def commitments(self, caller: Principal, query: CommitmentFilter) -> Results:
        policy.reads(caller)
        return commitments(self.histories, self.catalogue, query)

    def meetings(self, caller: Principal, query: MeetingFilter) -> Results:
        policy.reads(caller)
        return meetings(self.histories, self.catalogue, query)

    def agreements(self, caller: Principal, query: AgreementFilter) -> Results:
        policy.reads(caller)
        return agreements(self.histories, self.catalogue, query)

    def parties(self, caller: Principal, query: PartyFilter) -> Results:
        policy.reads(caller)
        return parties(self.histories, self.catalogue, query)

    def party_timeline(
        self, caller: Principal, party_id: UUID, offset: int = 0, limit: int = 100
    ) -> tuple[list[EventView], int]:
        """Merged history, in the order recorded: the party's own events, and those of the meetings it took
        part in, the agreements it adopted and the commitments it leads or supports; and how many in all."""
        policy.reads(caller)
        self.histories.events(Party, party_id, 0, 1)  # 404 when it does not exist
        return self.histories.timeline(self.catalogue.touched_by_party(str(party_id)), offset, limit)

    def meeting_timeline(
        self, caller: Principal, meeting_id: UUID, offset: int = 0, limit: int = 100
    ) -> tuple[list[EventView], int]:
        """Merged history, in the order recorded: the meeting's own events, and those of the agreements
        adopted and the commitments made at it; and how many in all."""
        policy.reads(caller)
        self.histories.events(Meeting, meeting_id, 0, 1)  # 404 when it does not exist
        return self.histories.timeline(self.catalogue.touched_by_meeting(str(meeting_id)), offset, limit)
