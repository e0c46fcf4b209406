"""Meeting series: meetings that recur, and the follow-up sessions awaited in each."""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.identifiers import derived_id


def series_id(slug: str) -> UUID:
    return derived_id("series", slug)


@dataclass(frozen=True)
class HeldSession:
    """A meeting of the series recorded as held, and its last day."""

    meeting_id: UUID
    session_number: int | None
    held_on: date


class MeetingSeries(Aggregate):
    """Remembers which follow-up commitments wait for a session of this series, and which
    sessions were held (so that a follow-up recorded after its session was held is fulfilled at once).

    Whether a held meeting meets a follow-up is the commitment's rule
    (``Commitment.is_met_by``); the series only knows whom to ask.
    Version 2 of the aggregate (in snapshots) added ``held``.
    """

    class_version = 2

    @staticmethod
    def upcast_v1_v2(state: dict[str, object]) -> None:
        state["held"] = ()

    @staticmethod
    def create_id(slug: str, **_: object) -> UUID:
        return series_id(slug)

    @event("Opened")
    def __init__(self, slug: str, actor: str, timestamp: datetime) -> None:
        self.slug = slug
        self.awaiting: tuple[UUID, ...] = ()
        self.held: tuple[HeldSession, ...] = ()  # in the order recorded

    def session_held(self, session: HeldSession, actor: str, when: datetime) -> None:
        self._session_recorded(session=session, actor=actor, timestamp=when)

    @event("SessionRecorded")
    def _session_recorded(self, session: HeldSession, actor: str, timestamp: datetime) -> None:
        self.held = (*self.held, session)

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
