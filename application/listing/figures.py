"""Figures: roll-ups of progress and status over a matrix, an agreement, a meeting, a series or a
party, and the statistics per party and per series, now or as of an instant on either axis
(counted by ``domain.commitments.rollup``). Now, they come from the counts the read model keeps as
commitments change; as recorded at an instant, from the versions then current, grouped alike by the
database; on the effective axis, from each commitment replayed."""

from collections import defaultdict
from dataclasses import asdict
from datetime import datetime
from typing import Any

from application.listing.histories import Histories
from application.listing.queries import RollupRow, RollupScope, Tally
from application.ports import Catalogue
from domain.commitments.commitment import Commitment
from domain.commitments.rollup import Counted, Counts, count, roll_up_counts


def counted(commitment: Commitment) -> Counted:
    return Counted(
        commitment.status,
        None if commitment.progress is None else commitment.progress.percent,
        commitment.weight,
        commitment.overdue,
        commitment.due_soon,
        commitment.escalation is not None,
        commitment.made_on,
        commitment.fulfilled_on,
    )


def figures(counts: Counts) -> dict[str, Any]:
    return asdict(roll_up_counts(counts))


class Figures:
    def __init__(self, histories: Histories, catalogue: Catalogue) -> None:
        self.histories = histories
        self.catalogue = catalogue

    def tally(self, parties: frozenset[str] | None = None) -> list[Tally]:
        """The commitments counted by lead party and meeting series, by state (of some parties only)."""
        return self.catalogue.tally(parties)

    def rows(self, scope: RollupScope, as_of: datetime | None, axis: str) -> list[RollupRow]:
        """As recorded, the read model's versions answer; on the effective axis each commitment of the
        scope is replayed as things had happened by then (those not made yet are left out)."""
        if as_of is None or axis == "recorded":
            return self.catalogue.rollup_rows(scope, as_of)
        replayed = []
        for row in self.catalogue.rollup_rows(scope):
            then = self.histories.as_of(Commitment, row.id, as_of, axis)
            if then is not None and (scope.party is None or then.lead_party_id == scope.party):
                replayed.append(RollupRow(row.id, counted(then), str(then.lead_party_id), row.series))
        return replayed

    def counts(self, scope: RollupScope, as_of: datetime | None = None, axis: str = "recorded") -> Counts:
        """The commitments of the scope counted: now from the counts kept, as recorded at an instant from
        its versions grouped alike, on the effective axis one by one as replayed."""
        kept = self.catalogue.rollup_counts(scope, as_of) if axis == "recorded" or as_of is None else None
        return kept if kept is not None else count(row.counted for row in self.rows(scope, as_of, axis))

    def rollup(self, scope: RollupScope, as_of: datetime | None = None, axis: str = "recorded") -> dict[str, Any]:
        return {
            "scope": {key: None if value is None else str(value) for key, value in asdict(scope).items()},
            "as_of": None if as_of is None else as_of.isoformat(),
            "axis": axis,
            **figures(self.counts(scope, as_of, axis)),
        }

    def statistics(self, as_of: datetime | None = None, axis: str = "recorded") -> dict[str, Any]:
        """Every commitment's figures, and each lead party's and each series' (meetings of no series
        are counted under ``null``), the most commitments first."""
        if as_of is None or axis == "recorded":
            overall, by_party, by_series = self.catalogue.statistics_counts(as_of)
        else:
            rows = self.rows(RollupScope(), as_of, axis)
            overall, by_party, by_series = count(row.counted for row in rows), {}, {}
            parties: dict[str, list[Counted]] = defaultdict(list)
            series: dict[str | None, list[Counted]] = defaultdict(list)
            for row in rows:
                parties[row.lead_party_id].append(row.counted)
                series[row.series].append(row.counted)
            by_party = {party: count(items) for party, items in parties.items()}
            by_series = {name: count(items) for name, items in series.items()}

        def ranked(groups: dict[Any, Counts], key: str) -> list[dict[str, Any]]:
            rolled = [(name, roll_up_counts(counts)) for name, counts in groups.items()]
            ordered = sorted(rolled, key=lambda item: (-item[1].commitments, str(item[0])))
            return [{key: name, **asdict(rollup)} for name, rollup in ordered if rollup.commitments]

        return {
            "as_of": None if as_of is None else as_of.isoformat(),
            "axis": axis,
            "overall": figures(overall),
            "parties": ranked(by_party, "party_id"),
            "series": ranked(by_series, "series"),
        }
