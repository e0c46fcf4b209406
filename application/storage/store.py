"""The event store: the eventsourcing application that keeps every event, with snapshots and the
transcodings of the domain's values. Nothing else: the use cases save through ``saving.Records``."""

from typing import cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import JSONTranscoder

from application.ports import PersonalSeal
from application.storage import transcodings
from application.storage.topics import register_moved
from domain.commitments.commitment import Commitment
from domain.meetings.agreement import Agreement
from domain.meetings.meeting import Meeting
from domain.meetings.series import MeetingSeries
from domain.parties.party import Party

register_moved()  # events stored before the domain's modules moved still read


class EventStore(Application[UUID]):
    name = "Tracker"  # names the event store's tables: never change it

    def __init__(
        self, env: dict[str, str] | None = None, snapshot_interval: int = 0, seal: PersonalSeal | None = None
    ) -> None:
        """``env``: eventsourcing's persistence settings (none: in memory, for rule tests);
        ``snapshot_interval``: snapshot every aggregate each time it has that many more events (0: never);
        ``seal``: what seals personal data in events (none: kept as written)."""
        self.snapshot_interval = snapshot_interval
        self.seal = seal
        if snapshot_interval > 0:
            env = {**(env or {}), "IS_SNAPSHOTTING_ENABLED": "y"}
            self.snapshotting_intervals = dict.fromkeys(  # type: ignore[misc]  # per store: read from the instance
                (Party, Meeting, Agreement, Commitment, MeetingSeries), snapshot_interval
            )
        super().__init__(env)

    def aggregate(self, aggregate_id: UUID, version: int | None = None) -> Aggregate:
        """The aggregate (at a version); ``AggregateNotFoundError`` if there is none. One shorter than the
        snapshot interval has no snapshot: it is made from its events, read at once (the repository would
        first look for a snapshot, a query of its own). A longer one starts from its latest snapshot."""
        short = self.snapshot_interval > 0 and (version is None or version < self.snapshot_interval)
        if short:
            events = list(self.events.get(aggregate_id, lte=version, limit=self.snapshot_interval))
            if len(events) < self.snapshot_interval:
                # Each event mutates the one before, as the library's ``project_aggregate`` does without its
                # check of every event against a protocol (tens of microseconds each on Python 3.11).
                aggregate: Aggregate | None = None
                for event in events:
                    aggregate = cast(Aggregate.Event, event).mutate(aggregate)
                if aggregate is None:
                    raise AggregateNotFoundError(f"Aggregate {aggregate_id!r} version {version!r} not found.")
                return aggregate
        found: Aggregate = self.repository.get(aggregate_id, version=version)
        return found

    def latest_version(self, aggregate_id: UUID) -> int | None:
        """The aggregate's latest version (None: it has no events): one indexed question, nothing decoded."""
        found = self.recorder.select_events(aggregate_id, desc=True, limit=1)
        return found[0].originator_version if found else None

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcodings.register(transcoder, self.seal)
