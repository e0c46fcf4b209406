"""Meeting series: meetings that recur, and the follow-up sessions awaited in each."""

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.identifiers import derived_id


def series_id(slug: str) -> UUID:
    return derived_id("series", slug)


class MeetingSeries(Aggregate):
    """Remembers which follow-up commitments wait for a session of this series.

    Whether a held meeting meets a follow-up is the commitment's rule
    (``Commitment.is_met_by``); the series only knows whom to ask.
    """

    @staticmethod
    def create_id(slug: str, **_: object) -> UUID:
        return series_id(slug)

    @event("Opened")
    def __init__(self, slug: str, actor: str, timestamp: datetime) -> None:
        self.slug = slug
        self.awaiting: tuple[UUID, ...] = ()

    def await_session(self, commitment_id: UUID, actor: str, when: datetime) -> None:
        if commitment_id not in self.awaiting:
            self._session_awaited(commitment_id=commitment_id, actor=actor, timestamp=when)

    @event("SessionAwaited")
    def _session_awaited(self, commitment_id: UUID, actor: str, timestamp: datetime) -> None:
        self.awaiting = (*self.awaiting, commitment_id)

    def stop_awaiting(self, commitment_id: UUID, meeting_id: UUID | None, actor: str, when: datetime) -> None:
        if commitment_id in self.awaiting:
            self._no_longer_awaited(commitment_id=commitment_id, meeting_id=meeting_id, actor=actor, timestamp=when)

    @event("NoLongerAwaited")
    def _no_longer_awaited(self, commitment_id: UUID, meeting_id: UUID | None, actor: str, timestamp: datetime) -> None:
        self.awaiting = tuple(awaited for awaited in self.awaiting if awaited != commitment_id)
