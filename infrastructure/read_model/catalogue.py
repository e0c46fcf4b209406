"""Answers the catalogue's questions (``application.queries``) from the read-model tables."""

import json
from collections.abc import Callable, Collection, Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Engine,
    Integer,
    Row,
    Select,
    String,
    Subquery,
    Table,
    Uuid,
    and_,
    bindparam,
    case,
    column,
    func,
    or_,
    select,
    text,
    true,
)
from sqlalchemy import table as sql_table

from application import cursors
from application.queries import (
    AgreementFilter,
    CommitmentFilter,
    Filter,
    MeetingFilter,
    PartyFilter,
    Results,
    RollupRow,
    RollupScope,
    SearchHit,
    Tally,
)
from domain.escalation import Ladder
from domain.lifecycle import ASSESSED, OPEN, Status
from domain.rollup import Counted
from infrastructure.log.follower import position
from infrastructure.read_model import search_index
from infrastructure.read_model.projector import READ_MODEL
from infrastructure.read_model.tables import (
    agreement_parties,
    agreements_view,
    commitment_escalations,
    commitment_parties,
    commitment_themes,
    commitment_versions,
    commitments_view,
    meeting_participants,
    meetings_view,
    parties_view,
    projection_state,
)

Words = list[tuple[str, ...]]  # a query's words, each as its search keys (domain.search.query_words)

# Searched in this order: the few parties and meetings come before the many commitments.
STATUSES = {status.value: status for status in Status}  # faster than Status(value), row after row
_LABELS = {
    "party": ("names", parties_view),
    "meeting": ("title", meetings_view),
    "agreement": ("title", agreements_view),
    "commitment": ("text", commitments_view),
}


COUNTED_UP_TO = 10_000  # lists count their matches up to this many, unless asked for the exact total


class SqlCatalogue:
    def __init__(self, engine: Engine, counted_up_to: int = COUNTED_UP_TO, events_table: str = "stored_events") -> None:
        # It only reads: on PostgreSQL, through an engine of its own whose connections are in autocommit
        # (``database.create_reading_engine``); SQLite's driver opens no transaction for a read.
        self.engine = engine
        self.counted_up_to = counted_up_to  # lists count their matches up to this many, unless asked for all
        # The event log's table (eventsourcing's), asked for a record's latest version beside its document.
        sqlite = engine.dialect.name == "sqlite"  # eventsourcing keeps ids there as hex text, on PostgreSQL as uuid
        self._key_of: Callable[[UUID], Any] = (lambda key: key.hex) if sqlite else (lambda key: key)
        events = sql_table(
            events_table,
            column("originator_id", String() if sqlite else Uuid()),
            column("originator_version", Integer()),
        )
        latest = (
            select(func.max(events.c.originator_version))
            .where(events.c.originator_id == bindparam("key"))
            .scalar_subquery()
        )
        self._latest_documents = {
            kind: select(table.c.document, table.c.version).where(
                table.c.id == bindparam("id"), table.c.version == latest
            )
            for kind, (_, table) in _LABELS.items()
        }
        self._tallies: dict[
            frozenset[str] | None, tuple[int, list[Tally]]
        ] = {}  # scope -> (read-model position, tally)
        self._every_row: tuple[int, list[RollupRow]] | None = None  # (read-model position, rows)

    def _page(
        self,
        statement: Select[Any],
        table: Any,
        conditions: list[ColumnElement[bool]],
        cursor: str | None,
        limit: int,
        order: str = "recorded",
        search: tuple[str, Words | None] = ("", None),
        exact: bool = False,
    ) -> Results:
        """One page of ``statement``'s rows meeting ``conditions`` (and having the words of
        ``search``: a kind and its words, if any), in ``order``, after ``cursor``; and how many
        there are in all."""
        kind, words = search
        # A view table has a row for every entity of its kind the index holds: when the search is
        # the only filter, the index alone knows which rows and how many.
        search_alone = words is not None and not conditions and isinstance(table, Table)
        bound = None if exact else self.counted_up_to
        if search_alone and order == "recorded":
            assert words is not None  # search_alone says so
            return self._search_page(statement, table, kind, words, cursor, limit, bound)
        seq = table.c.seq
        matches = None
        if words is not None:
            matches = self._found(kind, words)
            statement = statement.join_from(matches, table, table.c.seq == matches.c.seq)
            seq = matches.c.seq  # the same, in the order the search gives
        keyset: list[ColumnElement[bool]] = []
        name = f"{kind}:{order}"  # each list and order has cursors of its own
        if order == "recorded":
            after = cursors.decode(cursor, name, cursors.POSITION)
            if after is not None:
                keyset.append(seq > after[0])
            ordering = [seq]
        else:
            after = cursors.decode(cursor, name, cursors.INSTANT, cursors.POSITION)
            due = table.c.due_order
            if after is not None:
                at, position = after
                if order == "due":
                    keyset.append(or_(due > at, and_(due == at, seq > position)))
                else:
                    keyset.append(or_(due < at, and_(due == at, seq < position)))
            ordering = [due, seq] if order == "due" else [due.desc(), seq.desc()]
        with self.engine.connect() as connection:
            total = connection.execute(_count(table, conditions, matches, search_alone, bound)).scalar_one()
            rows = connection.execute(statement.where(*conditions, *keyset).order_by(*ordering).limit(limit + 1)).all()
        return _results(rows, limit, total, name, bound)

    def _search_page(
        self,
        statement: Select[Any],
        table: Table,
        kind: str,
        words: Words,
        cursor: str | None,
        limit: int,
        bound: int | None,
    ) -> Results:
        """A search with no other filter, in recorded order: the index gives the page's entities
        and the total (up to ``bound``) by itself, and only the page's rows are read."""
        name = f"{kind}:recorded"
        after = cursors.decode(cursor, name, cursors.POSITION)
        with self.engine.connect() as connection:
            seqs, total = search_index.first_matches(
                connection, kind, words, after[0] if after else 0, limit + 1, bound
            )
            rows = connection.execute(statement.where(table.c.seq.in_(seqs)).order_by(table.c.seq)).all()
        return _results(rows, limit, total, name, bound)

    def _found(self, kind: str, words: Words, newest_first: bool = False) -> Subquery:
        """The entities of ``kind`` having the words, by ``seq`` in recorded order (or newest first)."""
        sql, parameters = search_index.matches(self.engine.dialect.name, kind, words, newest_first)
        return text(sql).bindparams(**parameters).columns(seq=BigInteger).subquery("matches")

    def find_commitments(self, query: CommitmentFilter) -> Results:
        table: Any = commitments_view if query.as_of is None else self._versions_as_of(query.as_of)
        conditions = self._fixed_conditions(table, query)
        if query.statuses:
            conditions.append(table.c.status.in_(query.statuses))
        if query.due_before is not None:
            conditions.append(table.c.due_at < query.due_before)
        if query.due_after is not None:
            conditions.append(table.c.due_at >= query.due_after)
        if query.overdue is not None:
            conditions.append(table.c.overdue == query.overdue)
        if query.due_soon is not None:
            conditions.append(table.c.due_soon == query.due_soon)
        if query.has_due is not None:
            conditions.append(table.c.due_at.isnot(None) if query.has_due else table.c.due_at.is_(None))
        if query.review_due is not None:
            conditions.append(table.c.review_due == query.review_due)
        if query.escalated is not None:
            conditions.append(table.c.escalation_level > 0 if query.escalated else table.c.escalation_level == 0)
        if query.escalated_to is not None:  # (as of an instant, the records replayed answer it: ``lists``)
            conditions.append(
                table.c.id.in_(
                    select(commitment_escalations.c.commitment_id).where(
                        commitment_escalations.c.party_id == str(query.escalated_to)
                    )
                )
            )
        if query.themes:
            conditions.append(
                table.c.id.in_(
                    select(commitment_themes.c.commitment_id).where(commitment_themes.c.theme.in_(query.themes))
                )
            )
        statement = select(table.c.document, table.c.seq, table.c.due_order)
        return self._page(
            statement,
            table,
            conditions,
            query.cursor,
            query.limit,
            query.sort,
            ("commitment", query.words),
            exact=query.exact_total,
        )

    def ids(self, query: Filter) -> list[str]:
        kind, table, conditions = self._fixed(query)
        statement = select(table.c.id).where(*conditions).order_by(table.c.seq)
        if query.words is not None:
            matches = self._found(kind, query.words)
            statement = statement.join_from(matches, table, table.c.seq == matches.c.seq)
        with self.engine.connect() as connection:
            return list(connection.execute(statement).scalars())

    def _fixed(self, query: Filter) -> tuple[str, Table, list[ColumnElement[bool]]]:
        """The search kind, the table and the conditions on what a record never changes."""
        if isinstance(query, CommitmentFilter):
            return "commitment", commitments_view, self._fixed_conditions(commitments_view, query)
        if isinstance(query, MeetingFilter):
            return "meeting", meetings_view, self._meeting_conditions(query, fixed_only=True)
        if isinstance(query, AgreementFilter):
            return "agreement", agreements_view, self._agreement_conditions(query)
        return "party", parties_view, self._party_conditions(query)

    def _fixed_conditions(self, table: Any, query: CommitmentFilter) -> list[ColumnElement[bool]]:
        """Conditions on what a commitment never changes (besides its words: see ``_found``)."""
        conditions: list[ColumnElement[bool]] = []
        if query.kinds:
            conditions.append(table.c.kind.in_(query.kinds))
        if query.lead_party is not None:
            conditions.append(table.c.lead_party_id == str(query.lead_party))
        for party, role in ((query.party, None), (query.supporting_party, "supporting")):
            if party is not None:
                link = select(commitment_parties.c.commitment_id).where(commitment_parties.c.party_id == str(party))
                if role is not None:
                    link = link.where(commitment_parties.c.role == role)
                conditions.append(table.c.id.in_(link))
        if query.any_party is not None:
            conditions.append(
                table.c.id.in_(
                    select(commitment_parties.c.commitment_id).where(
                        commitment_parties.c.party_id.in_(sorted(query.any_party))
                    )
                )
            )
        if query.meeting is not None:
            conditions.append(table.c.meeting_id == str(query.meeting))
        if query.agreement is not None:
            conditions.append(table.c.agreement_id == str(query.agreement))
        return conditions

    @staticmethod
    def _versions_as_of(at: datetime) -> Any:
        """Every commitment as it stood at ``at`` (those not yet recorded are left out)."""
        versions = commitment_versions
        return (
            select(
                *(c for c in versions.c if c.name not in ("recorded_from", "recorded_until")), commitments_view.c.seq
            )
            .join(commitments_view, commitments_view.c.id == versions.c.id)
            .where(
                versions.c.recorded_from <= at, or_(versions.c.recorded_until.is_(None), versions.c.recorded_until > at)
            )
            .subquery("as_of")
        )

    def tally(self, parties: frozenset[str] | None = None) -> list[Tally]:
        """Counted again only when the read model has moved since the last count for this scope: the
        count reads every commitment of the scope, the position one row."""
        now_at = position(self.engine, projection_state, READ_MODEL)
        kept = self._tallies.get(parties)
        if kept is not None and kept[0] == now_at:
            return kept[1]
        counted = self._count_tally(parties)
        if len(self._tallies) > 1_000:  # one entry per scope seen: a bound, not an expected size
            self._tallies.clear()
        self._tallies[parties] = (now_at, counted)
        return counted

    def _count_tally(self, parties: frozenset[str] | None) -> list[Tally]:
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
            .where(*self._fixed_conditions(commitments_view, CommitmentFilter(any_party=parties)))
            .group_by(c.lead_party_id, m.series)
        )
        with self.engine.connect() as connection:
            return [Tally(str(row[0]), row[1], *(int(n) for n in row[2:])) for row in connection.execute(statement)]

    def find_meetings(self, query: MeetingFilter) -> Results:
        table = meetings_view
        return self._page(
            select(table.c.document, table.c.seq),
            table,
            self._meeting_conditions(query),
            query.cursor,
            query.limit,
            search=("meeting", query.words),
        )

    @staticmethod
    def _meeting_conditions(query: MeetingFilter, fixed_only: bool = False) -> list[ColumnElement[bool]]:
        """``fixed_only``: only those on what a meeting never changes (not its status or dates)."""
        table = meetings_view
        conditions: list[ColumnElement[bool]] = []
        if query.kinds:
            conditions.append(table.c.kind.in_(query.kinds))
        if query.series is not None:
            conditions.append(table.c.series == query.series)
        if query.party is not None:
            conditions.append(
                table.c.id.in_(
                    select(meeting_participants.c.meeting_id).where(meeting_participants.c.party_id == str(query.party))
                )
            )
        if fixed_only:
            return conditions
        if query.statuses:
            conditions.append(table.c.status.in_(query.statuses))
        if query.starts_after is not None:
            conditions.append(table.c.starts_on >= query.starts_after)
        if query.starts_before is not None:
            conditions.append(table.c.starts_on < query.starts_before)
        return conditions

    def find_agreements(self, query: AgreementFilter) -> Results:
        table = agreements_view
        return self._page(
            select(table.c.document, table.c.seq),
            table,
            self._agreement_conditions(query),
            query.cursor,
            query.limit,
            search=("agreement", query.words),
        )

    @staticmethod
    def _agreement_conditions(query: AgreementFilter) -> list[ColumnElement[bool]]:
        table = agreements_view
        conditions: list[ColumnElement[bool]] = []
        if query.kinds:
            conditions.append(table.c.kind.in_(query.kinds))
        if query.meeting is not None:
            conditions.append(table.c.meeting_id == str(query.meeting))
        if query.party is not None:
            conditions.append(
                table.c.id.in_(
                    select(agreement_parties.c.agreement_id).where(agreement_parties.c.party_id == str(query.party))
                )
            )
        return conditions

    def find_parties(self, query: PartyFilter) -> Results:
        table = parties_view
        return self._page(
            select(table.c.document, table.c.seq),
            table,
            self._party_conditions(query),
            query.cursor,
            query.limit,
            search=("party", query.words),
        )

    @staticmethod
    def _party_conditions(query: PartyFilter) -> list[ColumnElement[bool]]:
        table = parties_view
        conditions: list[ColumnElement[bool]] = []
        if query.kinds:
            conditions.append(table.c.kind.in_(query.kinds))
        if query.parent is not None:
            conditions.append(table.c.parent_id == str(query.parent))
        return conditions

    def touched_by_party(self, party_id: str) -> list[str]:
        return self._in_creation_order(
            select(parties_view.c.id, parties_view.c.seq).where(parties_view.c.id == party_id),
            select(meetings_view.c.id, meetings_view.c.seq)
            .join(meeting_participants, meeting_participants.c.meeting_id == meetings_view.c.id)
            .where(meeting_participants.c.party_id == party_id),
            select(agreements_view.c.id, agreements_view.c.seq)
            .join(agreement_parties, agreement_parties.c.agreement_id == agreements_view.c.id)
            .where(agreement_parties.c.party_id == party_id),
            select(commitments_view.c.id, commitments_view.c.seq)
            .join(commitment_parties, commitment_parties.c.commitment_id == commitments_view.c.id)
            .where(commitment_parties.c.party_id == party_id),
        )

    def touched_by_meeting(self, meeting_id: str) -> list[str]:
        return self._in_creation_order(
            select(meetings_view.c.id, meetings_view.c.seq).where(meetings_view.c.id == meeting_id),
            select(agreements_view.c.id, agreements_view.c.seq).where(agreements_view.c.meeting_id == meeting_id),
            select(commitments_view.c.id, commitments_view.c.seq).where(commitments_view.c.meeting_id == meeting_id),
        )

    def _in_creation_order(self, *queries: Select[Any]) -> list[str]:
        with self.engine.connect() as connection:
            found = {row.id: row.seq for query in queries for row in connection.execute(query)}
        return sorted(found, key=found.__getitem__)

    def overdue_candidates(self, now: datetime, limit: int) -> list[str]:
        table = commitments_view
        with self.engine.connect() as connection:
            return list(
                connection.execute(
                    select(table.c.id)
                    .where(table.c.can_be_late.is_(True), table.c.overdue.is_(False), table.c.due_at <= now)
                    .order_by(table.c.due_at, table.c.seq)
                    .limit(limit)
                ).scalars()
            )

    def due_soon_candidates(self, now: datetime, limit: int) -> list[str]:
        table = commitments_view
        with self.engine.connect() as connection:
            return list(
                connection.execute(
                    select(table.c.id)
                    .where(table.c.next_reminder_at <= now, table.c.due_at > now)
                    .order_by(table.c.next_reminder_at, table.c.seq)
                    .limit(limit)
                ).scalars()
            )

    def escalation_candidates(
        self, now: datetime, limit: int, *, ladder: Ladder, leads: Collection[str] | None, others_than: Collection[str]
    ) -> list[str]:
        table = commitments_view
        if not ladder.steps:
            return []
        # A step falls due at local midnight N calendar days on (``Ladder.reached`` decides): days of 23 or
        # 25 hours between put it up to two hours from N × 24 h, so candidates are looked for three hours early.
        reached = or_(
            *(
                and_(
                    table.c.escalation_level < level,
                    table.c.due_at <= now - timedelta(days=step.days) + timedelta(hours=3),
                )
                for level, step in enumerate(ladder.steps, start=1)
            )
        )
        led = (
            table.c.lead_party_id.in_(list(leads))
            if leads is not None
            else table.c.lead_party_id.not_in(list(others_than))
            if others_than
            else true()
        )
        with self.engine.connect() as connection:
            return list(
                connection.execute(
                    select(table.c.id)
                    .where(table.c.can_be_late.is_(True), table.c.overdue.is_(True), reached, led)
                    .order_by(table.c.due_at, table.c.seq)
                    .limit(limit)
                ).scalars()
            )

    def latest_document(self, kind: str, record_id: UUID) -> tuple[str, int] | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                self._latest_documents[kind], {"id": str(record_id), "key": self._key_of(record_id)}
            ).first()
        return None if row is None else (row.document, row.version)

    def rollup_rows(self, scope: RollupScope, as_of: datetime | None = None) -> list[RollupRow]:
        """Every commitment now (the overview's statistics) is read again only when the read model
        has moved since it was last read."""
        if as_of is not None or scope != RollupScope():
            return self._rollup_rows(scope, as_of)
        now_at = position(self.engine, projection_state, READ_MODEL)
        if self._every_row is None or self._every_row[0] != now_at:
            self._every_row = (now_at, self._rollup_rows(scope, None))
        return self._every_row[1]

    def _rollup_rows(self, scope: RollupScope, as_of: datetime | None) -> list[RollupRow]:
        table: Any = commitments_view if as_of is None else self._versions_as_of(as_of)
        meetings = meetings_view
        conditions: list[ColumnElement[bool]] = []
        if scope.agreement is not None:
            conditions.append(table.c.agreement_id == str(scope.agreement))
        if scope.meeting is not None:
            conditions.append(table.c.meeting_id == str(scope.meeting))
        if scope.series is not None:
            conditions.append(meetings.c.series == scope.series)
        if scope.party is not None:
            conditions.append(table.c.lead_party_id == str(scope.party))
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
            .where(*conditions)
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

        with self.engine.connect() as connection:
            return [counted(*row) for row in connection.execute(statement)]

    def own_ladders(self) -> dict[str, Ladder]:
        table = parties_view
        with self.engine.connect() as connection:
            return {
                row.id: Ladder.parse(row.ladder)
                for row in connection.execute(
                    select(table.c.id, table.c.ladder).where(table.c.ladder.is_not(None)).order_by(table.c.seq)
                )
            }

    def review_candidates(self, now: datetime, limit: int) -> list[str]:
        table = commitments_view
        with self.engine.connect() as connection:
            return list(
                connection.execute(
                    select(table.c.id)
                    .where(table.c.next_review_at <= now)
                    .order_by(table.c.next_review_at, table.c.seq)
                    .limit(limit)
                ).scalars()
            )

    def search(self, words: Words, limit: int) -> list[SearchHit]:
        """Everything whose texts hold all the words: parties, meetings, agreements, then commitments."""
        hits: list[SearchHit] = []
        for kind, (label, table) in _LABELS.items():
            matches = self._found(kind, words, newest_first=True)
            with self.engine.connect() as connection:
                rows = connection.execute(
                    select(table.c.id, table.c.document)
                    .join_from(matches, table, table.c.seq == matches.c.seq)
                    .order_by(matches.c.seq.desc())
                    .limit(limit)
                ).all()
            hits += [SearchHit(kind=kind, id=row.id, label=json.loads(row.document)[label]) for row in rows]
        return hits[:limit]


def _results(rows: Sequence[Row[Any]], limit: int, total: int, name: str, bound: int | None = None) -> Results:
    """The page out of ``limit + 1`` rows: the one past the page says there is a next one; a count
    that passed its ``bound`` is given as that bound."""
    items = [json.loads(row.document) for row in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = (
            cursors.encode(name, last.seq)
            if name.endswith(":recorded")
            else cursors.encode(name, last.due_order.isoformat(), last.seq)
        )
    if bound is not None and total > bound:
        return Results(items=items, next_cursor=next_cursor, total=bound, total_exact=False)
    return Results(items=items, next_cursor=next_cursor, total=total)


def _count(
    table: Any,
    conditions: list[ColumnElement[bool]],
    matches: Subquery | None,
    search_alone: bool,
    bound: int | None = None,
) -> Select[Any]:
    """How many rows match; with a ``bound``, counting stops one past it, so that a page of a list
    of a million costs what a page of ten thousand does."""
    if matches is None:
        counted = select(table.c.seq).where(*conditions)
    elif search_alone:
        counted = select(matches.c.seq)
    else:
        counted = select(table.c.seq).select_from(matches.join(table, table.c.seq == matches.c.seq)).where(*conditions)
    if bound is not None:
        counted = counted.limit(bound + 1)
    return select(func.count()).select_from(counted.subquery())
