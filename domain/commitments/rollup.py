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


@dataclass(frozen=True, slots=True)
class Share:
    """What the commitments of one status add up to in a roll-up: how many, how many overdue, due soon,
    escalated, their weights (1 for those without) and their weighted completion (weight × percent)."""

    commitments: int = 0
    overdue: int = 0
    due_soon: int = 0
    escalated: int = 0
    weight: int = 0
    done: int = 0

    def __add__(self, other: "Share") -> "Share":
        return Share(*(a + b for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def __neg__(self) -> "Share":
        return self * -1

    def __mul__(self, times: int) -> "Share":
        return Share(*(a * times for a in self.astuple()))

    def astuple(self) -> tuple[int, int, int, int, int, int]:
        return (self.commitments, self.overdue, self.due_soon, self.escalated, self.weight, self.done)


@dataclass(frozen=True)
class Counts:
    """A set of commitments counted, from which its roll-up follows: a share per status, and how many
    fulfilled ones took each number of days from the day they were made (the median's histogram).
    Counts add up, so they can be kept as commitments change instead of counted again."""

    by_status: dict[Status, Share]
    days: dict[int, int]


def added(many: Iterable[Counts]) -> Counts:
    """Counts of several sets of commitments added up (a commitment in two of them counts twice)."""
    by_status: dict[Status, Share] = {}
    days: Counter[int] = Counter()
    for counts in many:
        for status, counted in counts.by_status.items():
            by_status[status] = by_status.get(status, Share()) + counted
        days.update(counts.days)
    return Counts(by_status, dict(days))


def share(item: Counted) -> Share:
    """What one commitment adds to the counts of its status."""
    weighed = item.weight or 1
    done = completion(item.status, item.progress)
    return Share(1, int(item.overdue), int(item.due_soon), int(item.escalated), weighed, weighed * (done or 0))


def days_to_fulfil(item: Counted) -> int | None:
    """Days from the day it was made to the day it was fulfilled (None: not fulfilled, or a day unknown)."""
    if item.status is not Status.FULFILLED or item.fulfilled_on is None or item.made_on is None:
        return None
    return (item.fulfilled_on - item.made_on).days


def count(items: Iterable[Counted]) -> Counts:
    return count_alike((item, 1) for item in items)


def count_alike(groups: Iterable[tuple[Counted, int]]) -> Counts:
    """Counts of commitments given in groups of alike ones: one of them, and how many there are."""
    by_status: dict[Status, Share] = {}
    days: Counter[int] = Counter()
    for item, times in groups:
        by_status[item.status] = by_status.get(item.status, Share()) + share(item) * times
        taken = days_to_fulfil(item)
        if taken is not None:
            days[taken] += times
    return Counts(by_status, dict(days))


def roll_up(items: Iterable[Counted]) -> Rollup:
    return roll_up_counts(count(items))


def roll_up_counts(counts: Counts) -> Rollup:
    """The roll-up of the commitments ``counts`` counted (statuses and days counted 0 times are ignored)."""
    shares = {status: s for status, s in counts.by_status.items() if s.commitments > 0}
    counted = [s for status, s in shares.items() if status not in COUNTED_OUT]
    total_weight = sum(s.weight for s in counted)
    assessed = sum(s.commitments for status, s in shares.items() if status in ASSESSED_OUTCOMES)
    fulfilled = shares.get(Status.FULFILLED, Share()).commitments
    days = {taken: n for taken, n in counts.days.items() if n > 0}
    timed = sum(days.values())

    def total(field: str) -> int:
        return sum(getattr(s, field) for s in shares.values())

    return Rollup(
        commitments=total("commitments"),
        by_status={status.value: s.commitments for status, s in sorted(shares.items(), key=lambda i: i[0].value)},
        overdue=total("overdue"),
        due_soon=total("due_soon"),
        escalated=total("escalated"),
        counted=sum(s.commitments for s in counted),
        weight=total_weight,
        progress=round(sum(s.done for s in counted) / total_weight, 1) if counted else None,
        assessed=assessed,
        fulfilled=fulfilled,
        completion_rate=round(100 * fulfilled / assessed, 1) if assessed else None,
        median_days_to_fulfil=median_of(days) if timed else None,
        timed=timed,
    )


def median_of(histogram: dict[int, int]) -> float:
    """The median of the values a histogram counts (value: how many times), as ``statistics.median``."""
    total = sum(histogram.values())
    ordered = sorted(histogram.items())

    def nth(n: int) -> int:  # the n-th smallest value, from 0
        seen = 0
        for value, times in ordered:
            seen += times
            if n < seen:
                return value
        raise IndexError(n)

    middle = total // 2
    return float(nth(middle)) if total % 2 else (nth(middle - 1) + nth(middle)) / 2
