"""The figures: the commitments counted by lead party and meeting series (the overview's tally, kept
until the read model moves), and what roll-ups count of each commitment of a scope."""

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, case, func, literal, or_, select

from application.listing.queries import CommitmentFilter, RollupRow, RollupScope, Tally
from domain.commitments.lifecycle import ASSESSED, OPEN, Status
from domain.commitments.rollup import Counted, Counts, count_alike
from infrastructure.log.follower import position
from infrastructure.read_model.listing import current_at, fixed_conditions, versions_as_of
from infrastructure.read_model.tables import (
    READ_MODEL,
    commitment_versions,
    commitments_view,
    meetings_view,
    projection_state,
)

STATUSES = {status.value: status for status in Status}  # faster than Status(value), row after row


class Tallies:
    """The tallies, each counted again only when the read model has moved since it was last counted, and
    the roll-up rows of a scope."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._tallies: dict[
            frozenset[str] | None, tuple[int, list[Tally]]
        ] = {}  # scope -> (read-model position, tally)

    def tally(self, parties: frozenset[str] | None = None) -> list[Tally]:
        """Counted again only when the read model has moved since the last count for this scope: the
        count reads every commitment of the scope, the position one row."""
        now_at = position(self.engine, projection_state, READ_MODEL)
        kept = self._tallies.get(parties)
        if kept is not None and kept[0] == now_at:
            return kept[1]
        counted = count_tally(self.engine, parties)
        if len(self._tallies) > 1_000:  # one entry per scope seen: a bound, not an expected size
            self._tallies.clear()
        self._tallies[parties] = (now_at, counted)
        return counted

    def rollup_rows(self, scope: RollupScope, as_of: datetime | None = None) -> list[RollupRow]:
        """What roll-ups count of each commitment of ``scope``, now or as it stood at ``as_of``."""
        return read_rollup_rows(self.engine, scope, as_of)


def count_tally(engine: Engine, parties: frozenset[str] | None) -> list[Tally]:
    c, m = commitments_view.c, meetings_view.c

    def count(condition: ColumnElement[bool]) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    statement = (
        select(
            c.lead_party_id,
            m.series,
            func.count(),
            count(c.overdue),
            count(c.due_soon),
            count(c.status.in_([s.value for s in OPEN])),
            count(c.status.in_([s.value for s in ASSESSED])),
        )
        .join(meetings_view, m.id == c.meeting_id)
        .where(*fixed_conditions(commitments_view, CommitmentFilter(any_party=parties)))
        .group_by(c.lead_party_id, m.series)
    )
    with engine.connect() as connection:
        return [Tally(str(row[0]), row[1], *(int(n) for n in row[2:])) for row in connection.execute(statement)]


def _scope_conditions(table: Any, scope: RollupScope) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if scope.agreement is not None:
        conditions.append(table.c.agreement_id == str(scope.agreement))
    if scope.meeting is not None:
        conditions.append(table.c.meeting_id == str(scope.meeting))
    if scope.series is not None:
        conditions.append(meetings_view.c.series == scope.series)
    if scope.party is not None:
        conditions.append(table.c.lead_party_id == str(scope.party))
    return conditions


def read_rollup_rows(engine: Engine, scope: RollupScope, as_of: datetime | None) -> list[RollupRow]:
    """What roll-ups count of each commitment of ``scope``, now or as it stood at ``as_of``."""
    table: Any = commitments_view if as_of is None else versions_as_of(as_of)
    meetings = meetings_view
    statement = (
        select(
            table.c.id,
            table.c.status,
            table.c.progress,
            table.c.weight,
            table.c.overdue,
            table.c.due_soon,
            table.c.escalation_level,
            table.c.made_on,
            table.c.fulfilled_on,
            table.c.lead_party_id,
            meetings.c.series,
        )
        .join(meetings, meetings.c.id == table.c.meeting_id)
        .where(*_scope_conditions(table, scope))
        .order_by(table.c.seq)
    )

    def counted(
        key: Any,
        status: Any,
        progress: Any,
        weight: Any,
        overdue: Any,
        due_soon: Any,
        level: Any,
        made_on: Any,
        fulfilled_on: Any,
        lead: Any,
        series: Any,
    ) -> RollupRow:
        return RollupRow(
            key,
            Counted(STATUSES[status], progress, weight, overdue, due_soon, level > 0, made_on, fulfilled_on),
            lead,
            series,
        )

    with engine.connect() as connection:
        return [counted(*row) for row in connection.execute(statement)]


def counts_as_of(engine: Engine, scope: RollupScope, as_of: datetime, by: str | None = None) -> dict[Any, Counts]:
    """The commitments of ``scope`` as recorded at ``as_of``, counted (``by``: for each lead "party" or
    "series"; else all under ""): the database groups those alike in what a roll-up counts, the domain
    counts each group. The days a commitment was made and fulfilled tell only of fulfilled ones."""
    table: Any = select(commitment_versions).where(current_at(as_of)).subquery("as_of")  # no order: counted
    fulfilled = table.c.status == Status.FULFILLED.value
    alike = (
        table.c.status,
        table.c.progress,
        table.c.weight,
        table.c.overdue,
        table.c.due_soon,
        table.c.escalation_level > 0,
        case((fulfilled, table.c.made_on)),
        case((fulfilled, table.c.fulfilled_on)),
    )
    key = {None: literal(""), "party": table.c.lead_party_id, "series": meetings_view.c.series}[by]
    statement = (
        select(key, *alike, func.count())
        .join(meetings_view, meetings_view.c.id == table.c.meeting_id)
        .where(*_scope_conditions(table, scope))
        .group_by(key, *alike)
    )
    groups: dict[Any, list[tuple[Counted, int]]] = {}
    with engine.connect() as connection:
        for (
            group,
            status,
            progress,
            weight,
            overdue,
            due_soon,
            escalated,
            made_on,
            fulfilled_on,
            n,
        ) in connection.execute(statement):
            item = Counted(STATUSES[status], progress, weight, overdue, due_soon, escalated, made_on, fulfilled_on)
            groups.setdefault(group, []).append((item, int(n)))
    return {group: count_alike(items) for group, items in groups.items()}


def overdue_at(engine: Engine, instants: list[datetime], parties: frozenset[str] | None) -> list[int]:
    """How many commitments were overdue at each instant, as recorded then (led by one of ``parties``, when
    given): the versions marked overdue, read once, each counted at the instants it was current at."""
    if not instants:
        return []
    versions = commitment_versions.c
    current = [
        func.coalesce(
            func.sum(
                case(
                    (
                        and_(
                            versions.recorded_from <= at,
                            or_(versions.recorded_until.is_(None), versions.recorded_until > at),
                        ),
                        1,
                    ),
                    else_=0,
                )
            ),
            0,
        )
        for at in instants
    ]
    conditions = [
        versions.overdue.is_(True),
        versions.recorded_from <= max(instants),
        or_(versions.recorded_until.is_(None), versions.recorded_until > min(instants)),
    ]
    if parties is not None:
        conditions.append(versions.lead_party_id.in_(sorted(parties)))
    with engine.connect() as connection:
        row = connection.execute(select(*current).where(*conditions)).one()
    return [int(n) for n in row]
