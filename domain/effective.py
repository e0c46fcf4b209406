"""Two times: when something was recorded, and when it happened in the world.

A report of a meeting held in 2023 is often typed in years later, so every fact that happened
on a day of its own states that day, and the effective axis answers from those days:

| event | happened on |
|---|---|
| a commitment recorded | the day it was made (``made_on``: its meeting's last day, or the day the coordinator gave) |
| an agreement adopted, and each row of its matrix (recorded or imported) | the day it was adopted (``adopted_on``) |
| a meeting held | its last day |
| a meeting scheduled, recorded after it began | its first day (it was scheduled by then) |
| a follow-up session fulfilled | the last day of the session that fulfilled it (``held_on``) |
| a delivery | ``delivered_on``, when given |
| a change that waited for its parties' word, once confirmed | the day it was declared (``declared_on``) |
| a party registered | always: an organisation is there before anything is recorded about it |

Every other event is its own fact: it happened when it was recorded. An entry recorded after the
day it states is late. The clock's facts (overdue, due soon, review due) are not replayed on the
effective axis: they are what the facts that had happened imply at that instant.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from domain.commitments.commitment import Commitment
from domain.meetings.agreement import Agreement
from domain.meetings.meeting import Meeting
from domain.parties.party import Party

# Recorded by the scanner when the clock passed a due or a review day; implied, not replayed.
CLOCK_FACTS: tuple[type, ...] = (
    Commitment.MarkedOverdue,  # type: ignore[attr-defined]  # made by the @event decorator, unseen by mypy
    Commitment.DueSoon,  # type: ignore[attr-defined]  # made by the @event decorator, unseen by mypy
    Commitment.OverdueCleared,  # type: ignore[attr-defined]  # made by the @event decorator, unseen by mypy
    Commitment.ReviewDue,  # type: ignore[attr-defined]  # made by the @event decorator, unseen by mypy
)


def effective_on(event: Any) -> date | None:
    """The date the fact happened, as stated; None when the event happened as it was recorded."""
    if isinstance(event, Commitment.Recorded):
        return event.made_on
    if isinstance(event, Commitment.SessionHeld):
        return event.held_on
    if isinstance(event, Agreement.Adopted):
        return event.adopted_on
    if isinstance(event, Agreement.RowAdded | Agreement.RowsImported):  # type: ignore[attr-defined]  # made by @event
        agreed_on: date | None = event.agreed_on
        return agreed_on
    if isinstance(event, Meeting.Held):  # type: ignore[attr-defined]  # made by the @event decorator
        ends_on: date = event.dates.ends_on
        return ends_on
    if isinstance(event, Meeting.Scheduled):  # type: ignore[attr-defined]  # made by the @event decorator
        starts_on: date = event.dates.starts_on
        return starts_on if starts_on < _recorded_on(event) else None
    delivered_on = getattr(event, "delivered_on", None)
    if isinstance(delivered_on, date):
        return delivered_on
    declared_on = getattr(event, "declared_on", None)  # a confirmed change: from the day it was declared
    return declared_on if isinstance(declared_on, date) else None


def _recorded_on(event: Any) -> date:
    recorded: datetime = event.timestamp
    return recorded.astimezone(UTC).date()


def is_late(event: Any) -> bool:
    stated = effective_on(event)
    return stated is not None and stated < _recorded_on(event)


def happened_by(event: Any, at: datetime) -> bool:
    """Whether the fact had happened by ``at`` (a stated date counts from its start, in UTC)."""
    if isinstance(event, Party.Registered):  # type: ignore[attr-defined]  # made by the @event decorator
        return True
    stated = effective_on(event)
    if stated is None:
        return bool(event.timestamp <= at)
    return stated <= at.astimezone(UTC).date()


def replay_as_happened(events: Iterable[Any], at: datetime) -> Any:
    """The aggregate as things stood in the world at ``at``: only the facts that had happened
    by then are applied, in their recorded order (None if it did not exist yet); a commitment's
    clock facts are those the facts imply at ``at``."""
    aggregate = None
    for event in events:
        if isinstance(event, CLOCK_FACTS) or not happened_by(event, at):
            continue
        if aggregate is None and event.originator_version != 1:
            return None
        if aggregate is not None:
            aggregate.version = event.originator_version - 1  # facts in between had not happened yet
        aggregate = event.mutate(aggregate)
    if isinstance(aggregate, Commitment):
        aggregate.as_the_clock_had_it(at)
    return aggregate
