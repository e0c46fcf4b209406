"""Histories: every event of a record, the events of what a record touches, and any record as it
stood at an instant, as recorded by then or with the facts that had happened by then."""

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from application.errors import NotFound
from application.listing.queries import Results
from application.notices.scanner import SCHEDULER
from application.ports import Integrity
from application.storage.saving import Records
from application.views import AgreementView, CommitmentView, EventView, MeetingView, PartyView, plain
from domain.commitments.commitment import Commitment
from domain.effective import effective_on, is_late, replay_as_happened
from domain.errors import InvalidValue
from domain.meetings.agreement import Agreement
from domain.meetings.meeting import Meeting
from domain.parties.party import Party

A = TypeVar("A", bound=Aggregate)
VIEWS: dict[type, Any] = {Commitment: CommitmentView, Meeting: MeetingView, Agreement: AgreementView, Party: PartyView}
# The fields a reader follows in a record's history, each shown as "field: before → after".
SHOWN: dict[type, tuple[str, ...]] = {
    Commitment: (
        "status",
        "text",
        "lead_party_id",
        "supporting_party_ids",
        "due",
        "progress",
        "review_on",
        "notes",
        "weight",
        "themes",
        "escalation",
    ),
    Meeting: ("status", "title", "kind", "scheduled", "held", "venue", "participants"),
    Agreement: ("title", "adopted_by", "rows"),
    Party: ("names", "acronym", "kind", "parent_id", "escalation_ladder", "contacts", "aliases"),
}
_EVENT_BOOKKEEPING = {"originator_id", "originator_version", "originator_topic", "timestamp", "actor", "door"}


class Intact:
    """No record is touched by a break of the audit chain (where no chain is kept: in memory)."""

    def of(self, record_id: str) -> dict[str, Any] | None:
        return None

    def any(self) -> bool:
        return False


class _Markable(Protocol):
    """A record's view, which says whether an open break of the audit chain touches the record."""

    id: str
    integrity: dict[str, Any] | None


V = TypeVar("V", bound=_Markable)


class Histories:
    def __init__(self, records: Records, integrity: Integrity = Intact()) -> None:
        self.records = records
        self.integrity = integrity
        # the last recent changes read, with the last event's position and the sizes asked: read again only
        # once another event is recorded
        self._recent: tuple[int, int, int, RecentChanges] | None = None

    def marked(self, view: V) -> V:
        """The view of a record, saying whether an open break of the audit chain touches it."""
        view.integrity = self.integrity.of(view.id)
        return view

    def hidden_as_now(self, view: CommitmentView) -> CommitmentView:
        """A past state of a commitment, with the comments hidden since shown hidden: a hidden comment's words
        are read by the audit only, whatever the instant asked for."""
        hidden = {c.number: c for c in self.records.get(Commitment, view.id).comments if c.hidden}
        view.comments = [
            c if c["number"] not in hidden else {**c, **plain(hidden[c["number"]]), "text": None, "files": []}
            for c in view.comments
        ]
        return view

    def marked_page(self, results: Results) -> Results:
        """A list's items, each saying whether an open break of the audit chain touches it."""
        if self.integrity.any():
            for item in results.items:
                item["integrity"] = self.integrity.of(item["id"])
        return results

    def read(
        self,
        cls: type[A],
        aggregate_id: UUID | str,
        version: int | None = None,
        as_of: datetime | None = None,
        axis: str = "recorded",
    ) -> A:
        """A record now, at a version, or as it stood at an instant: as recorded by then
        (``axis="recorded"``), or with the facts that had happened by then (``axis="effective"``)."""
        if as_of is None:
            return self.records.get(cls, aggregate_id, version)
        if version is not None:
            raise InvalidValue("ask for a version or an instant, not both", "as_of")
        aggregate = self.as_of(cls, self.records.get(cls, aggregate_id).id, as_of, axis)
        if aggregate is None:
            raise NotFound(
                cls.__name__.lower(),
                aggregate_id,
                "the {kind} with id {identifier} did not exist yet as of {instant}",
                instant=as_of.isoformat(),
            )
        return aggregate

    def as_of(self, cls: type[A], aggregate_id: UUID | str, at: datetime, axis: str = "recorded") -> A | None:
        """The record as it stood at ``at`` on the axis given (None: it did not exist yet, or at all)."""
        events = self.records.events(UUID(str(aggregate_id)))
        if axis == "effective":
            replayed = replay_as_happened(events, at)
            return replayed if isinstance(replayed, cls) else None
        versions = [event.originator_version for event in events if event.timestamp <= at]
        return self.records.load(cls, aggregate_id, versions[-1]) if versions else None

    def changes(self, cls: type[Aggregate], aggregate_id: UUID | str) -> dict[int, list[dict[str, Any]]]:
        """What each event of a record changed, by version: ``{"field", "before", "after"}`` for each
        field a reader follows (``SHOWN``), worked out by replaying the record one event at a time."""
        view = VIEWS[cls]
        found: dict[int, list[dict[str, Any]]] = {}
        aggregate, before = None, None
        for event in self.records.events(self.records.get(cls, aggregate_id).id):
            aggregate = event.mutate(aggregate)
            after = asdict(view.of(aggregate))
            if before is not None:
                found[event.originator_version] = [
                    {"field": name, "before": before[name], "after": after[name]}
                    for name in SHOWN[cls]
                    if before[name] != after[name]
                ]
            before = after
        return found

    def events(
        self, cls: type[Aggregate], aggregate_id: UUID | str, after_version: int = 0, limit: int | None = None
    ) -> list[EventView]:
        """The stored events of one record, oldest first, after a version."""
        aggregate = self.records.get(cls, aggregate_id)
        views = [event_view(e) for e in self.records.store.events.get(aggregate.id, gt=after_version, limit=limit)]
        comments = getattr(aggregate, "comments", ())
        return without_hidden_words(views, {(str(aggregate.id), c.number) for c in comments if c.hidden})

    def timeline(self, aggregate_ids: Sequence[str], offset: int = 0, limit: int = 50) -> tuple[list[EventView], int]:
        """The events of several records merged in the order they were recorded; and how many in all.

        Give the records in the order they were created: events recorded at the same instant keep
        that order (the sort is stable)."""
        merged = sorted(
            (event for aggregate_id in aggregate_ids for event in self.records.events(UUID(aggregate_id))),
            key=lambda event: event.timestamp,
        )
        hidden = {(str(e.originator_id), e.number) for e in merged if type(e).__name__ == "CommentHidden"}
        return without_hidden_words([event_view(e) for e in merged[offset : offset + limit]], hidden), len(merged)

    def recent_changes(self, people: int = 15, looked_at: int = 200) -> "RecentChanges":
        """What changed recently: the last ``people`` changes people made, newest first, and the facts
        the scheduler recorded among the last ``looked_at`` events, counted by kind (twelve commitments
        became overdue, three due soon), since the oldest of them. Read again only once another event is
        recorded (asking costs one query)."""
        last = self.records.store.recorder.max_notification_id() or 0
        kept = self._recent
        if kept is not None and kept[:3] == (last, people, looked_at):
            return kept[3]
        seen = self._recent_from(last, looked_at)
        counts: dict[str, int] = {}
        for event in seen:
            if event.actor == SCHEDULER:
                counts[event.type] = counts.get(event.type, 0) + 1
        changes = RecentChanges(
            by_people=[e for e in seen if e.actor != SCHEDULER][:people],
            by_scheduler=counts,
            since=seen[-1].recorded_at if seen else None,
        )
        self._recent = (last, people, looked_at, changes)
        return changes

    def recent(self, limit: int = 20) -> list[EventView]:
        """The last events recorded, of every record, newest first: what changed recently."""
        return self._recent_from(self.records.store.recorder.max_notification_id() or 0, limit)

    def _recent_from(self, last: int, limit: int) -> list[EventView]:
        store = self.records.store
        notifications = store.recorder.select_notifications(start=max(1, last - 2 * limit), limit=2 * limit + 1)
        return [event_view(store.mapper.to_domain_event(n)) for n in reversed(notifications)][:limit]


@dataclass(frozen=True)
class RecentChanges:
    by_people: list[EventView]
    by_scheduler: dict[str, int]  # event type -> how many, among the events looked at
    since: str | None  # when the oldest event looked at was recorded


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
        door=getattr(event, "door", None),
        reason=payload.get("reason"),
        payload=payload,
    )


def without_hidden_words(views: list[EventView], hidden: set[tuple[str, int]]) -> list[EventView]:
    """The histories people read show a hidden comment's event without its words or its files (``hidden: true``);
    the audit's record of the events (its export bundle) keeps them."""
    for view in views:
        if view.type == "Commented" and (view.aggregate_id, view.payload.get("number")) in hidden:
            view.payload = {**view.payload, "text": None, "files": [], "hidden": True}
    return views
