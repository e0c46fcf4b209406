"""Two times: when something was recorded, and when it happened in the world.

Events that record facts of the world carry the date the coordinator states: a meeting
held (its last day) and a delivery made (``delivered_on``). Every other event is its own
fact: it happened when it was recorded. An entry recorded after the day it states is late.
"""

from collections.abc import Iterable
from datetime import date, datetime, timezone
from typing import Any

from domain.meeting import Meeting


def effective_on(event: Any) -> date | None:
    """The date the fact happened, as stated; None when the event happened as it was recorded."""
    if isinstance(event, Meeting.Held):  # type: ignore[attr-defined]
        return event.dates.ends_on
    delivered_on = getattr(event, "delivered_on", None)
    return delivered_on if isinstance(delivered_on, date) else None


def is_late(event: Any) -> bool:
    stated = effective_on(event)
    return stated is not None and stated < event.timestamp.astimezone(timezone.utc).date()


def happened_by(event: Any, at: datetime) -> bool:
    """Whether the fact had happened by ``at`` (a stated date counts from its start, in UTC)."""
    stated = effective_on(event)
    if stated is None:
        return bool(event.timestamp <= at)
    return stated <= at.astimezone(timezone.utc).date()


def replay_as_happened(events: Iterable[Any], at: datetime) -> Any:
    """The aggregate as things stood in the world at ``at``: only the facts that had happened
    by then are applied, in their recorded order (None if it did not exist yet)."""
    aggregate = None
    for event in events:
        if not happened_by(event, at):
            continue
        if aggregate is None and event.originator_version != 1:
            return None
        if aggregate is not None:
            aggregate.version = event.originator_version - 1  # facts in between had not happened yet
        aggregate = event.mutate(aggregate)
    return aggregate
