"""The roll-ups' counts (``domain.commitments.rollup.Counts``), kept by the projector in the transaction
that projects a commitment's events, and read back for a roll-up of now: one row per status of a scope
instead of every commitment of it.

A batch of events takes each changed commitment's share out of the counts of its scopes as it stood
before the batch and adds it back as it stands after; what a change leaves as it was (a corrected text)
writes nothing. A series' counts are those of its meetings, added up when read (a meeting's series
never changes)."""

from collections import Counter
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Integer,
    Select,
    String,
    Table,
    and_,
    bindparam,
    cast,
    delete,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite

from application.listing.figures import counted
from application.listing.queries import RollupScope
from domain.commitments.commitment import Commitment
from domain.commitments.lifecycle import Status
from domain.commitments.rollup import Counts, Share, days_to_fulfil, share
from infrastructure.persistence.driver import TO_THE_DRIVER, Statements
from infrastructure.read_model.tables import meetings_view, rollup_days, rollup_shares

SHARE_COLUMNS = ("commitments", "overdue", "due_soon", "escalated", "weight", "done")
STATUSES = {status.value: status for status in Status}


def scopes_of(commitment: Commitment) -> list[tuple[str, str]]:
    """The counts a commitment is counted in: every commitment's, its meeting's, its lead party's and
    its agreement's (if it was agreed in one)."""
    scopes = [("all", ""), ("meeting", str(commitment.provenance.meeting_id)), ("party", str(commitment.lead_party_id))]
    if commitment.provenance.agreement_id is not None:
        scopes.append(("agreement", str(commitment.provenance.agreement_id)))
    return scopes


class CountChanges:
    """What a batch of events changes in the counts."""

    def __init__(self) -> None:
        self.shares: dict[tuple[str, str, str], Share] = {}
        self.days: Counter[tuple[str, str, int]] = Counter()

    def take_out(self, commitment: Commitment) -> None:
        """The commitment as it stood before the batch leaves its counts."""
        self._count(commitment, -1)

    def put_in(self, commitment: Commitment) -> None:
        """The commitment as it stands after the batch joins its counts."""
        self._count(commitment, 1)

    def _count(self, commitment: Commitment, sign: int) -> None:
        item = counted(commitment)
        added = share(item) if sign > 0 else -share(item)
        taken = days_to_fulfil(item)
        for scope, key in scopes_of(commitment):
            at = (scope, key, item.status.value)
            self.shares[at] = self.shares.get(at, Share()) + added
            if taken is not None:
                self.days[scope, key, taken] += sign

    def write(self, connection: Connection, said: Statements) -> None:
        """Adds the changes to the counts, in the order of their keys (two writers never wait on each
        other in a circle)."""
        shares: list[dict[str, Any]] = [
            {"scope": scope, "key": key, "status": status, **dict(zip(SHARE_COLUMNS, change.astuple(), strict=True))}
            for (scope, key, status), change in sorted(self.shares.items())
            if change != Share()
        ]
        days: list[dict[str, Any]] = [
            {"scope": scope, "key": key, "days": taken, "commitments": n}
            for (scope, key, taken), n in sorted(self.days.items())
            if n != 0
        ]
        for table, changed in ((rollup_shares, shares), (rollup_days, days)):
            if changed:
                said.run(connection, ADDING[connection.dialect.name, table], changed)
                lessened = [row for row in changed if row["commitments"] < 0]
                if lessened:
                    keys = [c.name for c in table.primary_key.columns]
                    said.run(connection, DROP_EMPTIED[table], [{f"_{k}": row[k] for k in keys} for row in lessened])


def _adding(dialect: Any, table: Table, columns: tuple[str, ...]) -> Any:
    """INSERT, or add to the row already there (both engines say it the same way: ON CONFLICT)."""
    statement = dialect.insert(table)
    return statement.on_conflict_do_update(
        index_elements=[c.name for c in table.primary_key.columns],
        set_={name: table.c[name] + statement.excluded[name] for name in columns},
    )


def _dropping_emptied(table: Table) -> Any:
    """The rows that no commitment is counted in any more go: the counts hold what is there, as a rebuild
    would make them."""
    keys = [c.name for c in table.primary_key.columns]
    return delete(table).where(and_(*(table.c[k] == bindparam(f"_{k}") for k in keys), table.c.commitments == 0))


# Built once (the driver keeps each compiled): by engine and table.
ADDING = {
    (name, table): _adding(dialect, table, columns)
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
    for table, columns in ((rollup_shares, SHARE_COLUMNS), (rollup_days, ("commitments",)))
}
DROP_EMPTIED = {table: _dropping_emptied(table) for table in (rollup_shares, rollup_days)}


# -- reading them -----------------------------------------------------------------------------------


def counts_of(engine: Engine, scope: RollupScope) -> Counts | None:
    """The counts of a scope of one kind (nothing, an agreement, a meeting, a series or a party);
    None for a scope that narrows by more than one (its commitments are counted one by one)."""
    named = {
        "agreement": scope.agreement,
        "meeting": scope.meeting,
        "series": scope.series,
        "party": scope.party,
    }
    narrowed = {name: str(value) for name, value in named.items() if value is not None}
    if len(narrowed) > 1:
        return None
    ((name, key),) = narrowed.items() if narrowed else (("all", ""),)
    return next(iter(read(engine, ONE_SCOPE[name], {"key": key})["scope"].values()), Counts({}, {}))


# A part of what is read: its shares' rows and its days' rows, each (group, status, days, six numbers).
Part = tuple[Select[Any], Select[Any]]
NO_STATUS, NO_DAYS = cast(null(), String), cast(null(), Integer)
ZERO: Any = literal_column("0")


def kept(scope: str, key: Any = None) -> Part:
    """The counts of every key of a scope (of one key if given), each key a group."""
    s, d = rollup_shares.c, rollup_days.c
    shares = select(s.key, s.status, NO_DAYS, *(s[name] for name in SHARE_COLUMNS)).where(
        s.scope == scope, s.commitments > 0
    )
    days = select(d.key, NO_STATUS, d.days, d.commitments, *[ZERO] * 5).where(d.scope == scope, d.commitments > 0)
    if key is not None:
        shares, days = shares.where(s.key == key), days.where(d.key == key)
    return shares, days


def of_series(series: Any = None) -> Part:
    """The counts of each series (of one if given), its meetings' added up; meetings of no series under None."""
    s, d, m = rollup_shares.c, rollup_days.c, meetings_view.c
    shares = (
        select(m.series, s.status, NO_DAYS, *(func.sum(s[name]) for name in SHARE_COLUMNS))
        .join(meetings_view, m.id == s.key)
        .where(s.scope == "meeting")
        .group_by(m.series, s.status)
    )
    days = (
        select(m.series, NO_STATUS, d.days, func.sum(d.commitments), *[ZERO] * 5)
        .join(meetings_view, m.id == d.key)
        .where(d.scope == "meeting")
        .group_by(m.series, d.days)
    )
    if series is not None:
        shares, days = shares.where(m.series == series), days.where(m.series == series)
    return shares, days


def together(parts: dict[str, Part]) -> Any:
    """The parts read in one statement (one round trip), each row labelled with its part's name."""
    return union_all(
        *(
            statement.add_columns(literal_column(f"'{name}'").label("part"))
            for name, (shares, days) in parts.items()
            for statement in (shares, days)
        )
    )


# Built once, said to the driver (decision 0055): a roll-up of one scope (its key a parameter), and the
# statistics (every commitment's counts, by party, by series).
KEY = bindparam("key", type_=String)
ONE_SCOPE = {
    **{name: together({"scope": kept(name, KEY)}) for name in ("all", "agreement", "meeting", "party")},
    "series": together({"scope": of_series(KEY)}),
}
STATISTICS = together({"all": kept("all"), "party": kept("party"), "series": of_series()})
PARTS = ("scope", "all", "party", "series")


def read(engine: Engine, statement: Any, parameters: dict[str, Any] | None = None) -> dict[str, dict[Any, Counts]]:
    """The counts of each part a statement reads (``together``), by group."""
    found: dict[str, dict[Any, Counts]] = {name: {} for name in PARTS}
    with engine.connect() as connection:
        rows = TO_THE_DRIVER.rows(connection, statement, parameters)
    for group, status, taken, *numbers, part in rows:
        counts = found[part].setdefault(group, Counts({}, {}))
        if status is not None:
            counts.by_status[STATUSES[status]] = Share(*(int(n) for n in numbers))
        else:
            counts.days[int(taken)] = int(numbers[0])
    return found
