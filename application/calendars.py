"""What a calendar feed shows: the open commitments that have a due, and the meetings still to be
held, of some parties (leads or supports; takes part) or of all."""

from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from application import lists
from application.exports import every, matching
from application.histories import Histories
from application.ports import Catalogue
from application.queries import MAX_LIMIT, CommitmentFilter, MeetingFilter, Results
from domain.lifecycle import OPEN
from domain.meeting import MeetingStatus

TO_BE_HELD = (MeetingStatus.SCHEDULED.value, MeetingStatus.POSTPONED.value)


@dataclass(frozen=True)
class Agenda:
    commitments: list[dict[str, Any]]
    meetings: list[dict[str, Any]]


def agenda(histories: Histories, catalogue: Catalogue, parties: frozenset[str] | None) -> Agenda:
    """``parties``: only what these parties lead, support or take part in (``None``: everything)."""
    commitments = list(
        matching(
            histories,
            catalogue,
            CommitmentFilter(statuses=sorted(s.value for s in OPEN), has_due=True, any_party=parties, sort="due"),
        )
    )
    meetings: dict[str, dict[str, Any]] = {}
    for party in sorted(parties) if parties is not None else [None]:
        query = MeetingFilter(statuses=list(TO_BE_HELD), party=None if party is None else UUID(party), limit=MAX_LIMIT)

        def page(cursor: str | None, q: MeetingFilter = query) -> Results:
            return lists.meetings(histories, catalogue, replace(q, cursor=cursor))

        for meeting in every(page):
            meetings.setdefault(meeting["id"], meeting)
    return Agenda(commitments, sorted(meetings.values(), key=lambda m: m["scheduled"]["starts_on"]))
