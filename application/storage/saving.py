"""How the use cases read and save aggregates.

Every use case reads the injected clock once, loads what it needs, lets the domain decide, and
saves every changed aggregate at once. The changes wait their turn (``turns``) and are written by
the injected ``ports.Writer``, together with those of commands that queued at the same time and
with the followers of the log (read model, outbox, audit chain) in the same transaction
(decision 0030), before the command returns, so that the read model holds its events.
The copies kept "as read" are taken with the library's snapshot, which leaves out the
library's own bookkeeping; they share attribute values with the aggregate, which is safe because
the domain's event bodies only ever assign new values (``tests/storage/test_saving.py`` checks every
kept copy against a replay).
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, Recording

from application import doors
from application.errors import (
    AlreadyExists,
    ConcurrentUpdate,
    NotFound,
    UnknownReference,
    VersionMismatch,
)
from application.ports import (
    AggregateReader,
    Changes,
    Followers,
    NoFollowers,
    Saved,
    Writer,
    as_read,
)
from application.storage.store import EventStore
from application.storage.turns import Turns

A = TypeVar("A", bound=Aggregate)
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


class OneByOne:
    """The reader of last resort: each aggregate from the event store's repository."""

    def __init__(self, store: EventStore) -> None:
        self.store = store

    def read_many(
        self, aggregate_ids: Sequence[UUID], until: Mapping[UUID, int] | None = None
    ) -> dict[UUID, Aggregate]:
        found: dict[UUID, Aggregate] = {}
        for aggregate_id in aggregate_ids:
            try:
                found[aggregate_id] = self.store.aggregate(aggregate_id, (until or {}).get(aggregate_id))
            except AggregateNotFoundError:
                continue
        return found


class StoreWriter:
    """The writer of last resort: each command's changes saved by the event store in a transaction
    of their own, then the followers told what the group saved (rule tests on the in-memory store,
    and a process whose followers do not run). A failing follower fails the commands it was told
    about, whose events stay saved."""

    def __init__(self, store: EventStore, followers: Followers = NoFollowers()) -> None:
        self.store = store
        self.followers = followers

    def write(self, group: Sequence[Changes]) -> None:
        together = Saved()
        for changes in group:
            try:
                together.add(changes.stored(self.store.save(*changes.aggregates)))
            except IntegrityError:
                changes.error = ConcurrentUpdate()
        if not together.recordings:
            return
        try:
            self.followers.follow(together)
        except Exception as error:
            for changes in group:
                if changes.saved is not None:
                    changes.error = error


class Records:
    def __init__(
        self,
        store: EventStore,
        clock: Clock = system_clock,
        writer: Writer | None = None,
        reader: AggregateReader | None = None,
        most_together: int = 64,
    ) -> None:
        """``writer``: saves what commands changed (by default the event store itself, with nothing
        following); ``most_together``: the most commands whose changes are written together."""
        self.store = store
        self.clock = clock
        self.reader = reader or OneByOne(store)
        self.turns = Turns((writer or StoreWriter(store)).write, most_together)

    def now(self) -> datetime:
        instant = self.clock()
        if instant.tzinfo is None:
            raise ValueError("the clock must return time-zone aware instants")
        return instant.astimezone(UTC)

    # -- reading -----------------------------------------------------------------------

    def load(self, cls: type[A], aggregate_id: UUID | str, version: int | None = None) -> A | None:
        """The aggregate of this type (at a version), or None if there is none."""
        if not isinstance(aggregate_id, UUID):
            try:
                aggregate_id = UUID(aggregate_id)
            except ValueError:
                return None
        try:
            aggregate: Aggregate = self.store.aggregate(aggregate_id, version)
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
                raise NotFound(
                    cls.__name__.lower(),
                    aggregate_id,
                    "the {kind} with id {identifier} has no version {version}",
                    version=version,
                )
            aggregate = cast(A, self.store.aggregate(aggregate.id, version))  # an id keeps its class
        return aggregate

    def ref(self, cls: type[A], aggregate_id: UUID, field: str) -> A:
        """The aggregate a request's field names: ``UnknownReference`` (naming the field) if there is none."""
        aggregate = self.load(cls, aggregate_id)
        if aggregate is None:
            raise UnknownReference(cls.__name__.lower(), aggregate_id, field)
        return aggregate

    def read_many(
        self, aggregate_ids: Sequence[UUID], until: Mapping[UUID, int] | None = None
    ) -> dict[UUID, Aggregate]:
        return self.reader.read_many(aggregate_ids, until)

    def events(self, aggregate_id: UUID) -> Iterable[Any]:
        """The stored events of one aggregate, oldest first."""
        return self.store.events.get(aggregate_id)

    # -- saving ------------------------------------------------------------------------

    def save(self, *aggregates: Aggregate, read: Iterable[Aggregate] = ()) -> list[Recording[UUID]]:
        """Store the aggregates' new events together (all or none), in this process's turn; the
        followers have them before this returns. ``read``: copies of the aggregates as the command
        read them. ``ConcurrentUpdate`` if another command changed one of them first."""
        door = doors.current()
        if door is not None:  # each new event says through which door it came (``application.doors``)
            for aggregate in aggregates:
                for event in aggregate.pending_events:
                    object.__setattr__(event, "door", door)  # (events are frozen once made; this is their making)
        changes = Changes(aggregates, {(copy.id, copy.version): copy for copy in read})
        return self.turns.save(changes).recordings

    def create(self, aggregate: A, *others: Aggregate) -> A:
        """Save a new aggregate (and the others it changed): ``AlreadyExists`` if its id is taken."""
        try:
            self.save(aggregate, *others)
        except ConcurrentUpdate:
            if self.load(Aggregate, aggregate.id) is not None:
                raise AlreadyExists(
                    "the {kind} {identifier} already exists",
                    None,
                    kind=type(aggregate).__name__.lower(),
                    identifier=aggregate.id,
                ) from None
            raise
        return aggregate

    def change(
        self,
        cls: type[A],
        aggregate_id: UUID | str,
        expected_version: int | None,
        change: Callable[[A, datetime], Any],
        also: Sequence[Aggregate] = (),
        allowed: Callable[[A], object] | None = None,
    ) -> A:
        """Load, ask ``allowed`` whether the caller may change it (the policy refuses), check the version
        the client read (``If-Match``), let ``change`` decide, and save it with the other aggregates
        ``change`` put in ``also`` (in one transaction)."""
        aggregate = self.get(cls, aggregate_id)
        if allowed is not None:
            allowed(aggregate)
        if expected_version is not None and expected_version != aggregate.version:
            raise VersionMismatch(expected_version, aggregate.version)
        read = as_read(aggregate)
        change(aggregate, self.now())
        try:
            self.save(aggregate, *also, read=[read])
        except ConcurrentUpdate:
            # Another request changed it after it was read: with If-Match, the client's copy is now stale,
            # which RFC 9110 answers 412 whenever it is found (before the change or at its save).
            current = self.get(cls, aggregate_id).version
            if expected_version is None or current == expected_version:
                raise
            raise VersionMismatch(expected_version, current) from None
        return aggregate

    def change_or_start(
        self, cls: type[A], aggregate_id: UUID, start: Callable[[datetime], A], change: Callable[[A, datetime], Any]
    ) -> None:
        """Change the deployment's one aggregate of this kind (a list: the themes, the publications); the
        first change starts it (``start``), and a request that started it second changes the first's."""
        if self.load(cls, aggregate_id) is None:
            now = self.now()
            started = start(now)
            change(started, now)
            try:
                self.create(started)
                return
            except AlreadyExists:
                pass  # another request started it first: change theirs
        self.change(cls, aggregate_id, None, change)


def new(cls: type[A], created: type, aggregate_id: UUID | None, **kwargs: Any) -> A:
    """A new aggregate; under ``aggregate_id`` when the caller chose one (idempotent retries)."""
    if aggregate_id is None:
        return cls(**kwargs)
    return cls._create(created, id=aggregate_id, **kwargs)  # the library's way to impose an id
