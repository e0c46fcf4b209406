"""Where things stand, at a glance: what the overview draws for a key's scope (every party's, or the parties
the key is scoped to). The commitments by status, the overdue ones by lead party, progress per series and per
agreement (weighted, as ``domain.commitments.rollup`` counts it), what was overdue at each of the last months'
ends (as recorded then: the versions current at each month's end), and the work queue: what needs the
scope's parties now, escalated first, then overdue, then due soon."""

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from application import policy
from application.listing.figures import Figures
from application.listing.lists import Lists
from application.listing.queries import AgreementFilter, CommitmentFilter, RollupScope, Tally
from domain.access import Principal
from domain.commitments.lifecycle import Status
from domain.commitments.rollup import Counts, Rollup, added, roll_up_counts

MONTHS = 24  # how many months' ends the overdue are counted at
MOST_BARS = 12  # parties, series and agreements drawn; the lists behind hold the rest
QUEUE = 12  # commitments in the work queue (the lists behind it hold the rest)
MOST_KEPT = 10_000  # past months' counts kept per process (24 per scope of key), forgotten all at once past it


@dataclass(frozen=True)
class Bar:
    """One group of commitments: who or what it is (a party's id, a series' slug, an agreement's id and
    title), its figure, and how many commitments it holds."""

    key: str | None
    value: float | None
    commitments: int
    title: dict[str, str] | None = None


@dataclass(frozen=True)
class Waiting:
    """One commitment in the work queue, and why it is there: "escalated", "overdue" or "due-soon"."""

    why: str
    commitment: dict[str, Any]


@dataclass(frozen=True)
class Standing:
    whole: Rollup
    by_status: list[tuple[str, int]]  # every status any commitment has, in the order of their life
    overdue_by_party: list[Bar]  # the most overdue first
    progress_by_series: list[Bar]  # the most commitments first
    progress_by_agreement: list[Bar]  # the latest agreements recorded
    overdue_by_month: list[tuple[date, int]]  # month ends, the oldest first; the last one is today
    queue: list[Waiting]


def month_ends(today: date, months: int = MONTHS) -> list[date]:
    """The last day of each of the ``months`` months up to this one, the oldest first (this month's: today)."""
    ends = []
    year, month = today.year, today.month
    for _ in range(months):
        ends.append(min(today, date(year, month, monthrange(year, month)[1])))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return ends[::-1]


class Overview:
    """The figures and the queue of the overview, for every door that shows it."""

    def __init__(self, figures: Figures, lists: Lists) -> None:
        self.figures = figures
        self.lists = lists
        self._past: dict[tuple[frozenset[str] | None, date], int] = {}  # past months' ends, counted once

    def standing(self, caller: Principal, today: date) -> Standing:
        policy.reads(caller)
        scope = caller.party_scope
        whole = roll_up_counts(self._counts(scope))
        tallies = self.figures.tally(scope)
        touched = {t.series for t in tallies}
        series = [row for row in self.figures.statistics()["series"] if scope is None or row["series"] in touched]
        return Standing(
            whole=whole,
            by_status=[(s.value, whole.by_status[s.value]) for s in Status if s.value in whole.by_status],
            overdue_by_party=_overdue_by_party(tallies),
            progress_by_series=[Bar(row["series"], row["progress"], row["commitments"]) for row in series[:MOST_BARS]],
            progress_by_agreement=self._agreements(caller, scope),
            overdue_by_month=self._overdue_by_month(scope, today, whole.overdue),
            queue=self._queue(caller, scope, escalated=whole.escalated > 0),
        )

    def _counts(self, scope: frozenset[str] | None) -> Counts:
        """The commitments of the scope counted now (those its parties lead), from the counts kept."""
        if scope is None:
            return self.figures.counts(RollupScope())
        return added(self.figures.counts(RollupScope(party=UUID(party))) for party in sorted(scope))

    def _overdue_by_month(self, scope: frozenset[str] | None, today: date, now: int) -> list[tuple[date, int]]:
        """What was overdue at each month's end, as recorded then, and today what is. What was recorded by
        an instant past never changes: the past months are counted once per process (in one reading of the
        versions marked overdue) and kept."""
        ends = month_ends(today)
        if len(self._past) >= MOST_KEPT:
            self._past.clear()
        past = [end for end in ends if end < today and (scope, end) not in self._past]
        if past:
            counted = self.figures.catalogue.overdue_at([_end_of(day) for day in past], scope)
            self._past.update({(scope, day): n for day, n in zip(past, counted, strict=True)})
        return [(end, now if end == today else self._past[(scope, end)]) for end in ends]

    def _agreements(self, caller: Principal, scope: frozenset[str] | None) -> list[Bar]:
        found = self.lists.agreements(caller, AgreementFilter(limit=MOST_BARS)).items
        bars = []
        for agreement in found:
            rollup = roll_up_counts(self.figures.counts(RollupScope(agreement=UUID(agreement["id"]))))
            if rollup.commitments and (scope is None or self._touched(caller, scope, agreement["id"])):
                bars.append(Bar(agreement["id"], rollup.progress, rollup.commitments, agreement.get("title")))
        return bars

    def _touched(self, caller: Principal, scope: frozenset[str], agreement_id: str) -> bool:
        """Whether a party of the scope leads or supports a commitment of the agreement."""
        query = CommitmentFilter(agreement=UUID(agreement_id), any_party=scope, limit=1)
        return bool(self.lists.commitments(caller, query).items)

    def _queue(self, caller: Principal, scope: frozenset[str] | None, escalated: bool) -> list[Waiting]:
        """``escalated``: whether any commitment has reached a step of its escalation (the counts kept say so):
        for every party's scope, the list of escalated ones is asked only then (among the overdue, which an
        escalation needs, in the order of their dues); a party's scope asks what was escalated to its parties,
        whoever leads it."""
        asked: list[tuple[str, CommitmentFilter]] = [
            *(
                ("escalated", CommitmentFilter(escalated_to=UUID(party), sort="due", limit=QUEUE))
                for party in sorted(scope or ())
            ),
            *(
                [("escalated", CommitmentFilter(escalated=True, overdue=True, sort="due", limit=QUEUE))]
                if scope is None and escalated
                else []
            ),
            ("overdue", CommitmentFilter(overdue=True, sort="due", limit=QUEUE, any_party=scope)),
            ("due-soon", CommitmentFilter(due_soon=True, overdue=False, sort="due", limit=QUEUE, any_party=scope)),
        ]
        return list(_each_once(((why, c) for why, query in asked for c in self.lists.commitments(caller, query).items)))


def _end_of(day: date) -> datetime:
    """The last instant of a day (UTC)."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC) - timedelta(microseconds=1)


def _overdue_by_party(tallies: Iterable[Tally]) -> list[Bar]:
    """The lead parties with overdue commitments, the most overdue first."""
    overdue: dict[str, int] = {}
    held: dict[str, int] = {}
    for tally in tallies:
        overdue[tally.lead_party_id] = overdue.get(tally.lead_party_id, 0) + tally.overdue
        held[tally.lead_party_id] = held.get(tally.lead_party_id, 0) + tally.total
    ranked = sorted(overdue.items(), key=lambda item: (-item[1], item[0]))
    return [Bar(party, n, held[party]) for party, n in ranked[:MOST_BARS] if n]


def _each_once(found: Iterable[tuple[str, dict[str, Any]]]) -> Iterable[Waiting]:
    """Each commitment once, for the first reason it is waiting, up to ``QUEUE`` of them."""
    seen: set[str] = set()
    for why, commitment in found:
        if commitment["id"] in seen:
            continue
        seen.add(commitment["id"])
        yield Waiting(why, commitment)
        if len(seen) == QUEUE:
            return
