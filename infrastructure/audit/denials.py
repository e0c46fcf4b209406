"""Every refused request (401, 403), kept for auditors, without letting unauthenticated traffic fill
the database.

A refusal of a known key is one row. Refusals of requests with no key or an unknown one are
counted per client address and minute: the first few of each minute are rows, the rest are
counted on the last of them (``repeats``); a client past the limit in a minute is answered 429
with ``Retry-After`` and nothing more is written for it until the minute is over. Rows older
than the retention are deleted.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update

from application.views import plain
from infrastructure.audit.tables import access_denials

WINDOW = timedelta(minutes=1)


@dataclass
class _Minute:
    """What one client address was refused in one window."""

    started: datetime
    count: int = 0
    last_row: int | None = None
    not_written: int = 0  # refusals counted but not written yet (beyond the sample)


class DenialLog:
    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], datetime],
        sample: int = 5,
        limit: int = 30,
        retention: timedelta = timedelta(days=90),
    ) -> None:
        """``sample``: rows kept per client and minute; ``limit``: refusals per client and minute before 429."""
        self.engine = engine
        self.clock = clock
        self.sample = sample
        self.limit = limit
        self.retention = retention
        self._minutes: dict[str, _Minute] = {}
        self._lock = threading.Lock()
        self._pruned_at: datetime | None = None

    def too_many(self, client: str) -> timedelta | None:
        """How long this client must wait (None: it may try): it has been refused ``limit`` times this minute."""
        now = self.clock()
        with self._lock:
            minute = self._minutes.get(client)
            if minute is None or now - minute.started >= WINDOW or minute.count < self.limit:
                return None
            minute.count += 1
            minute.not_written += 1
            return minute.started + WINDOW - now

    def record(
        self, principal: str | None, method: str, path: str, status: int, reason: str, client: str | None = None
    ) -> None:
        now = self.clock()
        row = {
            "at": now,
            "principal": principal,
            "method": method,
            "path": path[:2000],
            "status": status,
            "reason": reason,
            "client": client,
            "repeats": 0,
        }
        if principal is None and client is not None:
            with self._lock:
                minute = self._current(client, now)
                minute.count += 1
                if minute.count > self.sample:
                    minute.not_written += 1
                    return
        with self.engine.begin() as connection:
            inserted = connection.execute(insert(access_denials).values(**row)).inserted_primary_key
            assert inserted is not None  # an insert of one row returns its primary key
            row_id = inserted[0]
            self._prune(connection, now)
        if principal is None and client is not None:
            with self._lock:
                self._minutes[client].last_row = row_id

    def _current(self, client: str, now: datetime) -> _Minute:
        """The client's window now; a window that ended has its count written to its last row."""
        minute = self._minutes.get(client)
        if minute is not None and now - minute.started < WINDOW:
            return minute
        if minute is not None:
            self._write_counts([minute])
        if len(self._minutes) > 10_000:  # forget clients whose windows ended long ago
            ended = [c for c, m in self._minutes.items() if now - m.started >= WINDOW]
            self._write_counts([self._minutes.pop(c) for c in ended])
        minute = self._minutes[client] = _Minute(started=now)
        return minute

    def _write_counts(self, minutes: list[_Minute]) -> None:
        pending = [m for m in minutes if m.not_written and m.last_row is not None]
        if not pending:
            return
        with self.engine.begin() as connection:
            for minute in pending:
                connection.execute(
                    update(access_denials)
                    .where(access_denials.c.id == minute.last_row)
                    .values(repeats=access_denials.c.repeats + minute.not_written)
                )
                minute.not_written = 0

    def flush(self) -> None:
        """Write every count not written yet (before the list is read, and at shutdown)."""
        with self._lock:
            self._write_counts(list(self._minutes.values()))

    def _prune(self, connection: Any, now: datetime) -> None:
        if self._pruned_at is not None and now - self._pruned_at < timedelta(hours=1):
            return
        self._pruned_at = now
        connection.execute(delete(access_denials).where(access_denials.c.at < now - self.retention))

    def recent(self, before_id: int | None = None, limit: int = 100) -> tuple[list[dict[str, Any]], int | None]:
        """Newest first; and the id to read on from, if there are more."""
        self.flush()
        query = select(access_denials).order_by(access_denials.c.id.desc()).limit(limit + 1)
        if before_id is not None:
            query = query.where(access_denials.c.id < before_id)
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        items = [
            {
                "at": plain(r.at),
                "principal": r.principal,
                "method": r.method,
                "path": r.path,
                "status": r.status,
                "reason": r.reason,
                "client": r.client,
                "repeats": r.repeats or 0,
            }
            for r in rows[:limit]
        ]
        return items, (rows[limit - 1].id if len(rows) > limit else None)
