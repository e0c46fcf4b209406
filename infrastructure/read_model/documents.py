"""A record's document as the read model holds it, given only when it is of the record's latest
version in the event log."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, Integer, String, Uuid, bindparam, column, func, select
from sqlalchemy import table as sql_table

from infrastructure.read_model.searching import LABELS


class LatestDocuments:
    def __init__(self, engine: Engine, events_table: str = "stored_events") -> None:
        self.engine = engine
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
            for kind, (_, table) in LABELS.items()
        }

    def of(self, kind: str, record_id: UUID) -> tuple[str, int] | None:
        """The record's document (``party``, ``meeting``, ``agreement``, ``commitment``) and version, if
        that is the record's latest version in the event log; else None."""
        with self.engine.connect() as connection:
            row = connection.execute(
                self._latest_documents[kind], {"id": str(record_id), "key": self._key_of(record_id)}
            ).first()
        return None if row is None else (row.document, row.version)
