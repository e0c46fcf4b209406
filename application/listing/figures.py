"""Figures: roll-ups of progress and status over a matrix, an agreement, a meeting, a series or a
party, and the statistics per party and per series, now or as of an instant on either axis
(counted by ``domain.commitments.rollup``)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime
from typing import Any

from application.listing.histories import Histories
from application.listing.queries import RollupRow, RollupScope, Tally
from application.ports import Catalogue
from domain.commitments.commitment import Commitment
from domain.commitments.rollup import Counted, roll_up


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


def figures(rows: Iterable[RollupRow]) -> dict[str, Any]:
    return asdict(roll_up(row.counted for row in rows))


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

    def rollup(self, scope: RollupScope, as_of: datetime | None = None, axis: str = "recorded") -> dict[str, Any]:
        return {
            "scope": {key: None if value is None else str(value) for key, value in asdict(scope).items()},
            "as_of": None if as_of is None else as_of.isoformat(),
            "axis": axis,
            **figures(self.rows(scope, as_of, axis)),
        }

    def statistics(self, as_of: datetime | None = None, axis: str = "recorded") -> dict[str, Any]:
        """Every commitment's figures, and each lead party's and each series' (meetings of no series
        are counted under ``null``), the most commitments first."""
        rows = self.rows(RollupScope(), as_of, axis)
        by_party: dict[str, list[RollupRow]] = defaultdict(list)
        by_series: dict[str | None, list[RollupRow]] = defaultdict(list)
        for row in rows:
            by_party[row.lead_party_id].append(row)
            by_series[row.series].append(row)

        def ranked(groups: dict[Any, list[RollupRow]], key: str) -> list[dict[str, Any]]:
            ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), str(item[0])))
            return [{key: name, **figures(group)} for name, group in ordered]

        return {
            "as_of": None if as_of is None else as_of.isoformat(),
            "axis": axis,
            "overall": figures(rows),
            "parties": ranked(by_party, "party_id"),
            "series": ranked(by_series, "series"),
        }
