"""A page of a list: its rows after a cursor in the list's order, the cursor of the next page, and
how many rows match in all (counted up to a bound unless the exact total is asked for)."""

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Engine, Row, Select, Subquery, Table, and_, func, or_, select

from application.listing import cursors
from application.listing.queries import Results
from infrastructure.read_model import search_index
from infrastructure.read_model.searching import Words, found


def page(
    engine: Engine,
    statement: Select[Any],
    table: Any,
    conditions: list[ColumnElement[bool]],
    cursor: str | None,
    limit: int,
    counted_up_to: int,
    order: str = "recorded",
    search: tuple[str, Words | None] = ("", None),
    exact: bool = False,
) -> Results:
    """One page of ``statement``'s rows meeting ``conditions`` (and having the words of
    ``search``: a kind and its words, if any), in ``order``, after ``cursor``; and how many
    there are in all (up to ``counted_up_to``, unless ``exact``)."""
    kind, words = search
    # A view table has a row for every entity of its kind the index holds: when the search is
    # the only filter, the index alone knows which rows and how many.
    search_alone = words is not None and not conditions and isinstance(table, Table)
    bound = None if exact else counted_up_to
    if search_alone and order == "recorded":
        assert words is not None  # search_alone says so
        return _search_page(engine, statement, table, kind, words, cursor, limit, bound)
    seq = table.c.seq
    matches = None
    if words is not None:
        matches = found(engine, kind, words)
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
    with engine.connect() as connection:
        total = connection.execute(_count(table, conditions, matches, search_alone, bound)).scalar_one()
        rows = connection.execute(statement.where(*conditions, *keyset).order_by(*ordering).limit(limit + 1)).all()
    return _results(rows, limit, total, name, bound)


def _search_page(
    engine: Engine,
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
    with engine.connect() as connection:
        seqs, total = search_index.first_matches(connection, kind, words, after[0] if after else 0, limit + 1, bound)
        rows = connection.execute(statement.where(table.c.seq.in_(seqs)).order_by(table.c.seq)).all()
    return _results(rows, limit, total, name, bound)


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
