"""Rebuilding the read model from the event log, beside the work it cannot do without: decoding
the same events, and bulk-writing the same rows with no Python work per event; then in two
processes beside one."""

from typing import Any

from sqlalchemy import Connection, insert, select, text

from bench.measure import Figure, rate, summary
from bench.seeding import clone_commitments, database, services
from infrastructure.read_model import search_index
from infrastructure.read_model.rebuilding import rebuild
from infrastructure.read_model.tables import read_metadata

STEP = 10_000  # rows in each transaction of the bulk-write baseline, as the rebuild writes events


def rebuild_read_model(engine: str, events: int, runs: int) -> list[Figure]:
    with database(engine) as url:
        s = services(url)
        clone_commitments(s, events)
        total = s.store.recorder.max_notification_id() or 0

        def decode_all() -> None:
            start = 1
            while batch := list(s.store.recorder.select_notifications(start, STEP)):
                for notification in batch:
                    s.store.mapper.to_domain_event(notification)
                start = batch[-1].id + 1

        one, two, decoding, writing = [], [], [], []
        for _ in range(runs):
            one.append(rate(total, s.projector.rebuild))
            rows = _every_row(s.engine)
            s.projector.recreate()
            writing.append(rate(total, lambda: _write_all(s.engine, rows)))
            decoding.append(rate(total, decode_all))
            two.append(rate(total, lambda: rebuild(url, s.projector, workers=2)))
        s.close()
    value, low, high = summary(one)
    scenario = f"rebuild the read model from {total:,} events, one process"
    return [
        Figure(
            scenario,
            engine,
            "events/s",
            value,
            low,
            high,
            "decoding the same events, no projection",
            summary(decoding)[0],
            "≥ 0.25 × baseline",
        ),
        Figure(
            scenario,
            engine,
            "events/s",
            value,
            low,
            high,
            f"bulk-writing the same rows, {STEP:,} per transaction, no Python work per event",
            summary(writing)[0],
            "reported",
        ),
        Figure(
            f"rebuild the read model from {total:,} events, 2 worker processes",
            engine,
            "events/s",
            *summary(two),
            "the same rebuild in one process",
            value,
            "≥ 1.6 × baseline" if engine == "postgresql" else "reported",
        ),
    ]


def _every_row(engine: Any) -> dict[str, list[dict[str, Any]]]:
    """Every row of the read model, by table (the search index in the form its insert takes)."""
    with engine.connect() as connection:
        rows = {
            table.name: [dict(r._mapping) for r in connection.execute(select(table))]
            for table in read_metadata.sorted_tables
        }
        query = (
            "SELECT s.rowid AS seq, s.entity_kind AS kind, s.entity_id AS id, s.body FROM search_index s"
            if connection.dialect.name == "sqlite"
            else "SELECT seq, entity_kind AS kind, entity_id AS id, body FROM search_index"
        )
        rows["search_index"] = [dict(r._mapping) for r in connection.execute(text(query))]
    return rows


def _write_all(engine: Any, rows: dict[str, list[dict[str, Any]]]) -> None:
    by_name = {table.name: table for table in read_metadata.sorted_tables}
    for name, table_rows in rows.items():
        for start in range(0, len(table_rows), STEP):
            with engine.begin() as connection:
                _write(connection, by_name.get(name), table_rows[start : start + STEP])


def _write(connection: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if table is not None:
        if table.name == "projection_state":
            connection.execute(table.delete())
        connection.execute(insert(table), rows)
    elif connection.dialect.name == "sqlite":
        connection.execute(search_index.SQLITE_ADD, rows)
        connection.execute(search_index.SQLITE_KEY, rows)
    else:
        connection.execute(search_index.POSTGRES_ADD, rows)
