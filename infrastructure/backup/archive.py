"""What a backup holds, as lines of JSON: a header with the signed head of the audit chain, the rows
of the tables no event can rebuild (API keys, the service's signing key, webhook subscriptions and
their secrets, calendar feeds), then every stored event with its position in the log, then an end
line. Restoring writes them into an empty database of either engine at the same positions, follows
the log again (the audit chain must end at the same signed head, the read model is rebuilt) and
leaves the outbox at the end: the restored past is not news to any subscriber."""

import base64
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, insert, select, text, update

from application.views import plain
from infrastructure.bootstrap import Services
from infrastructure.persistence.tables import (
    UTCDateTime,
    api_keys,
    calendar_feeds,
    follower_positions,
    service_keys,
)
from infrastructure.webhooks.tables import subscriptions

FORMAT = 1
TABLES: tuple[Table, ...] = (api_keys, service_keys, subscriptions, calendar_feeds)
BATCH = 1_000


class NotRestorable(Exception):
    """The target holds events already, or the restored record does not end where the backup did."""


@dataclass(frozen=True)
class Restored:
    events: int
    position: int
    link: str
    rows: dict[str, int]


def _line(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _value(value: Any) -> Any:
    return plain(value) if isinstance(value, datetime) else value


def lines(services: Services) -> Iterator[bytes]:
    """The backup's lines, the events up to the head taken at the start."""
    services.audit.catch_up()
    head = services.audit.head()
    yield _line({"kind": "backup", "format": FORMAT, "head": head, "engine": services.engine.dialect.name})
    with services.engine.connect() as connection:
        for table in TABLES:
            for row in connection.execute(select(table)).mappings():
                yield _line({"kind": "row", "table": table.name, "row": {k: _value(v) for k, v in row.items()}})
    recorder, start, count = services.store.recorder, 1, 0
    while batch := list(recorder.select_notifications(start, BATCH, stop=head["position"])):
        for n in batch:
            state = n.state if isinstance(n.state, bytes) else bytes(n.state)
            yield _line({"kind": "event", "n": n.id, "id": str(n.originator_id), "v": n.originator_version,
                         "topic": n.topic, "state": base64.b64encode(state).decode("ascii")})
            count += 1
        start = batch[-1].id + 1
    yield _line({"kind": "end", "events": count})


def _row(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    return {name: (datetime.fromisoformat(value.replace("Z", "+00:00"))
                   if value is not None and isinstance(table.c[name].type, UTCDateTime) else value)
            for name, value in row.items()}


def _insert_events(connection: Connection, table: str, engine: str, events: list[dict[str, Any]]) -> None:
    if engine == "sqlite":
        statement = text(f"INSERT INTO {table} (rowid, originator_id, originator_version, topic, state) "
                         "VALUES (:n, :id, :v, :topic, :state)")
        # eventsourcing's SQLite recorder keeps an originator id as its 32 hex digits
        values = [{**e, "id": uuid.UUID(e["id"]).hex, "state": base64.b64decode(e["state"])} for e in events]
    else:
        statement = text(f"INSERT INTO {table} (originator_id, originator_version, topic, state, notification_id) "
                         "VALUES (:id, :v, :topic, :state, :n)")
        values = [{**e, "id": uuid.UUID(e["id"]), "state": base64.b64decode(e["state"])} for e in events]
    connection.execute(statement, [{k: v for k, v in e.items() if k != "kind"} for e in values])


def restore(services: Services, source: Iterable[bytes]) -> Restored:
    """Load a backup's lines into the services' database, which must hold no event yet."""
    recorder = services.store.recorder
    if recorder.max_notification_id():
        raise NotRestorable("the database already holds events: restore into an empty one")
    records = (json.loads(line) for line in source if line.strip())
    header = next(records, None)
    if header is None or header.get("kind") != "backup" or header.get("format") != FORMAT:
        raise NotRestorable("this file is not a backup this version can read")
    tables = {table.name: table for table in TABLES}
    engine, table_name = services.engine.dialect.name, recorder.events_table_name
    rows: dict[str, int] = {}
    events: list[dict[str, Any]] = []
    ended = None
    with services.engine.begin() as connection:
        for table in TABLES:  # the keys a new database made for itself give way to the restored ones
            connection.execute(table.delete())
        for record in records:
            if record["kind"] == "row":
                table = tables[record["table"]]
                connection.execute(insert(table).values(_row(table, record["row"])))
                rows[table.name] = rows.get(table.name, 0) + 1
            elif record["kind"] == "event":
                events.append(record)
                if len(events) >= BATCH:
                    _insert_events(connection, table_name, engine, events)
                    events.clear()
            elif record["kind"] == "end":
                ended = record
        if events:
            _insert_events(connection, table_name, engine, events)
        if ended is None:
            raise NotRestorable("the backup ends before its last line: it is cut off")
        last = header["head"]["position"]
        if engine == "postgresql" and last:
            connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table_name}', 'notification_id'), "
                                    f"{int(last)})"))
        # The restored past is not news: no webhook is sent for it again.
        connection.execute(update(follower_positions).where(follower_positions.c.name == services.outbox.name)
                           .values(position=last))
    services.audit.catch_up()
    head = services.audit.head()
    expected = header["head"]
    if (head["position"], head["link"], head.get("signature")) != (expected["position"], expected["link"],
                                                                   expected.get("signature")):
        raise NotRestorable(f"the restored chain ends at {head['position']} {head['link'][:12]}…, the backup's at "
                            f"{expected['position']} {expected['link'][:12]}…: the backup does not hold the record")
    services.projector.catch_up()
    return Restored(ended["events"], head["position"], head["link"], rows)
