"""How the use cases read and save aggregates.

Every use case reads the injected clock once, loads what it needs, lets the domain decide, and
saves every changed aggregate in one transaction, in the process's turn (``turns``, decision 0016).
What it saved, with the aggregates as it read them before changing them, goes to the followers of
the log (``ports.Followers``) before the command returns, so that the read model holds its events.
The copies kept "as read" are taken with the library's snapshot, which leaves out the
library's own bookkeeping; they share attribute values with the aggregate, which is safe because
the domain's event bodies only ever assign new values (``tests/test_saving.py`` checks every
kept copy against a replay).
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Recording
from eventsourcing.domain import Aggregate, Snapshot
from eventsourcing.persistence import IntegrityError

from application.errors import (
    AlreadyExists,
    ConcurrentUpdate,
    NotFound,
    UnknownReference,
    VersionMismatch,
)
from application.ports import AggregateReader, Followers, NoFollowers, Saved
from application.store import EventStore
from application.turns import Turns

A = TypeVar("A", bound=Aggregate)
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


def as_read(aggregate: A) -> A:
    """A copy of the aggregate as it stands, that later changes of the aggregate leave as it is."""
    return Snapshot.take(aggregate).mutate(None)  # type: ignore[return-value]


class OneByOne:
    """The reader of last resort: each aggregate from the event store's repository."""

    def __init__(self, store: EventStore) -> None:
        self.store = store

    def read_many(self, aggregate_ids: Sequence[UUID],
                  until: Mapping[UUID, int] | None = None) -> dict[UUID, Aggregate]:
        found: dict[UUID, Aggregate] = {}
        for aggregate_id in aggregate_ids:
            try:
                found[aggregate_id] = self.store.repository.get(aggregate_id, version=(until or {}).get(aggregate_id))
            except AggregateNotFoundError:
                continue
        return found


class Records:
    def __init__(self, store: EventStore, clock: Clock = system_clock, followers: Followers = NoFollowers(),
                 reader: AggregateReader | None = None, turns: Turns | None = None) -> None:
        self.store = store
        self.clock = clock
        self.followers = followers
        self.reader = reader or OneByOne(store)
        self.turns = turns or Turns()

    def now(self) -> datetime:
        instant = self.clock()
        if instant.tzinfo is None:
            raise ValueError("the clock must return time-zone aware instants")
        return instant.astimezone(timezone.utc)

    # -- reading -----------------------------------------------------------------------

    def load(self, cls: type[A], aggregate_id: UUID | str, version: int | None = None) -> A | None:
        """The aggregate of this type (at a version), or None if there is none."""
        if not isinstance(aggregate_id, UUID):
            try:
                aggregate_id = UUID(aggregate_id)
            except ValueError:
                return None
        try:
            aggregate = self.store.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, cls) else None

    def get(self, cls: type[A], aggregate_id: UUID | str, version: int | None = None) -> A:
        """The aggregate named in a request's path: ``NotFound`` if there is none (at that version)."""
        aggregate = self.load(cls, aggregate_id)
        if aggregate is None:
            raise NotFound(cls.__name__.lower(), aggregate_id)
        if version is not None and version != aggregate.version:
            if version > aggregate.version:
                raise NotFound(f"version {version} of {cls.__name__.lower()}", aggregate_id)
            aggregate = self.store.repository.get(aggregate.id, version=version)
        return aggregate

    def ref(self, cls: type[A], aggregate_id: UUID, field: str) -> A:
        """The aggregate a request's field names: ``UnknownReference`` (naming the field) if there is none."""
        aggregate = self.load(cls, aggregate_id)
        if aggregate is None:
            raise UnknownReference(cls.__name__.lower(), aggregate_id, field)
        return aggregate

    def read_many(self, aggregate_ids: Sequence[UUID],
                  until: Mapping[UUID, int] | None = None) -> dict[UUID, Aggregate]:
        return self.reader.read_many(aggregate_ids, until)

    def events(self, aggregate_id: UUID) -> Iterable[Any]:
        """The stored events of one aggregate, oldest first."""
        return self.store.events.get(aggregate_id)

    # -- saving ------------------------------------------------------------------------

    def save(self, *aggregates: Aggregate, read: Iterable[Aggregate] = ()) -> list[Recording]:
        """Store the aggregates' new events in one transaction, in this process's turn; the followers
        are told before this returns. ``read``: copies of the aggregates as the command read them."""
        before = {(copy.id, copy.version): copy for copy in read}

        def store() -> Saved:
            try:
                recordings = self.store.save(*aggregates)
            except IntegrityError:
                raise ConcurrentUpdate() from None
            return Saved(recordings, before, {a.id: a for a in aggregates},
                         {r.notification.id: r.domain_event for r in recordings})

        return self.turns.save(store, self.followers.follow)

    def create(self, aggregate: A, *others: Aggregate) -> A:
        """Save a new aggregate (and the others it changed): ``AlreadyExists`` if its id is taken."""
        try:
            self.save(aggregate, *others)
        except ConcurrentUpdate:
            if self.load(Aggregate, aggregate.id) is not None:
                raise AlreadyExists(f"{type(aggregate).__name__.lower()} {aggregate.id} already exists") from None
            raise
        return aggregate

    def change(self, cls: type[A], aggregate_id: UUID | str, expected_version: int | None,
               change: Callable[[A, datetime], Any], also: Sequence[Aggregate] = ()) -> A:
        """Load, check the version the client read (``If-Match``), let ``change`` decide, and save it
        with the other aggregates ``change`` put in ``also`` (in one transaction)."""
        aggregate = self.get(cls, aggregate_id)
        if expected_version is not None and expected_version != aggregate.version:
            raise VersionMismatch(expected_version, aggregate.version)
        read = as_read(aggregate)
        change(aggregate, self.now())
        self.save(aggregate, *also, read=[read])
        return aggregate


def new(cls: type[A], created: type, aggregate_id: UUID | None, **kwargs: Any) -> A:
    """A new aggregate; under ``aggregate_id`` when the caller chose one (idempotent retries)."""
    if aggregate_id is None:
        return cls(**kwargs)
    return cls._create(created, id=aggregate_id, **kwargs)  # the library's way to impose an id
