"""Every refused request (401, 403), kept for auditors."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert, select

from application.views import plain
from infrastructure.tables import access_denials


class DenialLog:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def record(self, principal: str | None, method: str, path: str, status: int, reason: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(insert(access_denials).values(
                at=self.clock(), principal=principal, method=method, path=path[:2000], status=status, reason=reason))

    def recent(self, before_id: int | None = None, limit: int = 100) -> tuple[list[dict[str, Any]], str | None]:
        """Newest first."""
        query = select(access_denials).order_by(access_denials.c.id.desc()).limit(limit + 1)
        if before_id is not None:
            query = query.where(access_denials.c.id < before_id)
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        items = [{"at": plain(r.at), "principal": r.principal, "method": r.method, "path": r.path,
                  "status": r.status, "reason": r.reason} for r in rows[:limit]]
        return items, (str(rows[limit - 1].id) if len(rows) > limit else None)
