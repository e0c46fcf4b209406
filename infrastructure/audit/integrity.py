"""Which records a break of the audit chain touches, as the chain's watcher recorded it when it found
the break: every read asks, so the answer is remembered by each process and looked up again at most
``refresh`` seconds later (a break is seen by every process within that time; no read walks the chain)."""

import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, select

from application.views import plain
from infrastructure.audit.tables import audit_breaks


class BrokenRecords:
    def __init__(self, engine: Engine, refresh: float = 0.25, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.engine = engine
        self.refresh = refresh
        self.monotonic = monotonic
        self._known: dict[str, dict[str, Any]] = {}
        self._read_at = float("-inf")
        self._lock = threading.Lock()

    def _open_breaks(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            if self.monotonic() - self._read_at >= self.refresh:
                with self.engine.connect() as connection:
                    rows = connection.execute(
                        select(
                            audit_breaks.c.record_id,
                            audit_breaks.c.position,
                            audit_breaks.c.problem,
                            audit_breaks.c.detected_at,
                        )
                        .where(audit_breaks.c.resolved_at.is_(None), audit_breaks.c.record_id.is_not(None))
                        .order_by(audit_breaks.c.position)
                    ).all()
                known: dict[str, dict[str, Any]] = {}
                for row in rows:
                    known.setdefault(
                        row.record_id,
                        {
                            "intact": False,
                            "first_broken_position": row.position,
                            "problem": row.problem,
                            "detected_at": plain(row.detected_at),
                        },
                    )
                self._known, self._read_at = known, self.monotonic()
            return self._known

    def of(self, record_id: str) -> dict[str, Any] | None:
        return self._open_breaks().get(str(record_id))

    def any(self) -> bool:
        return bool(self._open_breaks())
