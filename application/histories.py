"""Histories: every event of a record, the events of what a record touches, and any record as it
stood at an instant, as recorded by then or with the facts that had happened by then."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from application.errors import NotFound
from application.ports import Integrity
from application.queries import Results
from application.saving import Records
from application.views import EventView, plain
from domain.effective import effective_on, is_late, replay_as_happened
from domain.errors import InvalidValue

A = TypeVar("A", bound=Aggregate)
_EVENT_BOOKKEEPING = {"originator_id", "originator_version", "originator_topic", "timestamp", "actor"}


class Intact:
    """No record is touched by a break of the audit chain (where no chain is kept: in memory)."""

    def of(self, record_id: str) -> dict[str, Any] | None:
        return None

    def any(self) -> bool:
        return False


V = TypeVar("V")


class Histories:
    def __init__(self, records: Records, integrity: Integrity = Intact()) -> None:
        self.records = records
        self.integrity = integrity

    def marked(self, view: V) -> V:
        """The view of a record, saying whether an open break of the audit chain touches it."""
        view.integrity = self.integrity.of(view.id)  # type: ignore[attr-defined]
        return view

    def marked_page(self, results: Results) -> Results:
        """A list's items, each saying whether an open break of the audit chain touches it."""
        if self.integrity.any():
            for item in results.items:
                item["integrity"] = self.integrity.of(item["id"])
        return results

    def read(self, cls: type[A], aggregate_id: UUID | str, version: int | None = None,
             as_of: datetime | None = None, axis: str = "recorded") -> A:
        """A record now, at a version, or as it stood at an instant: as recorded by then
        (``axis="recorded"``), or with the facts that had happened by then (``axis="effective"``)."""
        if as_of is None:
            return self.records.get(cls, aggregate_id, version)
        if version is not None:
            raise InvalidValue("ask for a version or an instant, not both", "as_of")
        aggregate = self.as_of(cls, self.records.get(cls, aggregate_id).id, as_of, axis)
        if aggregate is None:
            raise NotFound(f"{cls.__name__.lower()} as of {as_of.isoformat()}", aggregate_id)
        return aggregate

    def as_of(self, cls: type[A], aggregate_id: UUID | str, at: datetime, axis: str = "recorded") -> A | None:
        """The record as it stood at ``at`` on the axis given (None: it did not exist yet, or at all)."""
        events = self.records.events(UUID(str(aggregate_id)))
        if axis == "effective":
            replayed = replay_as_happened(events, at)
            return replayed if isinstance(replayed, cls) else None
        versions = [event.originator_version for event in events if event.timestamp <= at]
        return self.records.load(cls, aggregate_id, versions[-1]) if versions else None

    def events(self, cls: type[Aggregate], aggregate_id: UUID | str, after_version: int = 0,
               limit: int | None = None) -> list[EventView]:
        """The stored events of one record, oldest first, after a version."""
        aggregate = self.records.get(cls, aggregate_id)
        return [event_view(e) for e in self.records.store.events.get(aggregate.id, gt=after_version, limit=limit)]

    def timeline(self, aggregate_ids: Sequence[str], offset: int = 0, limit: int = 50) -> tuple[list[EventView], int]:
        """The events of several records merged in the order they were recorded; and how many in all.

        Give the records in the order they were created: events recorded at the same instant keep
        that order (the sort is stable)."""
        merged = sorted((event for aggregate_id in aggregate_ids for event in self.records.events(UUID(aggregate_id))),
                        key=lambda event: event.timestamp)
        return [event_view(event) for event in merged[offset:offset + limit]], len(merged)

    def recent(self, limit: int = 20) -> list[EventView]:
        """The last events recorded, of every record, newest first: what changed recently."""
        store = self.records.store
        last = store.recorder.max_notification_id() or 0
        notifications = store.recorder.select_notifications(start=max(1, last - 2 * limit), limit=2 * limit + 1)
        return [event_view(store.mapper.to_domain_event(n)) for n in reversed(notifications)][:limit]


def event_view(event: Any) -> EventView:
    payload = {k: plain(v) for k, v in vars(event).items() if k not in _EVENT_BOOKKEEPING}
    return EventView(
        aggregate_type=type(event).__qualname__.split(".")[0],  # Commitment.Agreed -> Commitment
        aggregate_id=str(event.originator_id),
        type=type(event).__name__,
        version=event.originator_version,
        recorded_at=plain(event.timestamp),
        effective_on=plain(effective_on(event)),
        late=is_late(event),
        actor=getattr(event, "actor", None),
        reason=payload.get("reason"),
        payload=payload,
    )
