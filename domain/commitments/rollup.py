"""Roll-ups: how far a set of commitments (a matrix, an agreement, a meeting, a series, a party's)
has come, counted the same way everywhere.

Each commitment counts by its weight (1 unless one is given) and its completion: fulfilled or
delivered 100 %, partially fulfilled its reported progress (else 50 %), not fulfilled 0 %, any
other open one its reported progress (else 0 %). Drafts, noted, cancelled and superseded ones are
listed by status but do not count towards progress: they are not (or no longer) promises to act.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from statistics import median

from domain.commitments.lifecycle import Status
from domain.errors import InvalidValue

MOST_WEIGHT = 1_000
COUNTED_OUT = frozenset({Status.DRAFT, Status.NOTED, Status.CANCELLED, Status.SUPERSEDED})
ASSESSED_OUTCOMES = frozenset({Status.FULFILLED, Status.PARTIALLY_FULFILLED, Status.NOT_FULFILLED})


def weight(value: int | None, field_name: str = "weight") -> int | None:
    """A commitment's weight in its roll-ups: a whole number from 1 to 1,000 (None: 1, as every other)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MOST_WEIGHT:
        raise InvalidValue("a weight is a whole number from 1 to {most}", field_name, most=MOST_WEIGHT)
    return value


def completion(status: Status, percent: int | None) -> int | None:
    """How much of one commitment is done, in percent (None: it does not count)."""
    if status in COUNTED_OUT:
        return None
    if status in (Status.FULFILLED, Status.DELIVERED):
        return 100
    if status is Status.PARTIALLY_FULFILLED:
        return 50 if percent is None else percent
    if status is Status.NOT_FULFILLED:
        return 0
    return percent or 0


@dataclass(frozen=True, slots=True)
class Counted:
    """What a roll-up needs of one commitment."""

    status: Status
    progress: int | None  # the percent last reported
    weight: int | None
    overdue: bool
    due_soon: bool
    escalated: bool
    made_on: date | None
    fulfilled_on: date | None


@dataclass(frozen=True)
class Rollup:
    commitments: int
    by_status: dict[str, int]
    overdue: int
    due_soon: int
    escalated: int
    counted: int  # those that count towards progress
    weight: int  # their weights, added
    progress: float | None  # their weighted completion, in percent (None: none counts)
    assessed: int  # fulfilled, partially fulfilled or not fulfilled
    fulfilled: int
    completion_rate: float | None  # fulfilled among the assessed, in percent
    median_days_to_fulfil: float | None  # from the day it was made to the day it was fulfilled
    timed: int  # the fulfilled ones whose both days are known


def roll_up(items: Iterable[Counted]) -> Rollup:
    listed = list(items)
    counted = [(c, done) for c in listed for done in [completion(c.status, c.progress)] if done is not None]
    total_weight = sum(c.weight or 1 for c, _ in counted)
    assessed = [c for c in listed if c.status in ASSESSED_OUTCOMES]
    fulfilled = [c for c in assessed if c.status is Status.FULFILLED]
    days = [
        (c.fulfilled_on - c.made_on).days
        for c in listed
        if c.status is Status.FULFILLED and c.fulfilled_on is not None and c.made_on is not None
    ]
    return Rollup(
        commitments=len(listed),
        by_status=dict(sorted(Counter(c.status.value for c in listed).items())),
        overdue=sum(c.overdue for c in listed),
        due_soon=sum(c.due_soon for c in listed),
        escalated=sum(c.escalated for c in listed),
        counted=len(counted),
        weight=total_weight,
        progress=round(sum((c.weight or 1) * done for c, done in counted) / total_weight, 1) if counted else None,
        assessed=len(assessed),
        fulfilled=len(fulfilled),
        completion_rate=round(100 * len(fulfilled) / len(assessed), 1) if assessed else None,
        median_days_to_fulfil=float(median(days)) if days else None,
        timed=len(days),
    )
