"""The delivery log: every delivery and every attempt, and the ways to send again."""

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select, update

from application.errors import NotFound
from application.listing import cursors
from application.views import plain
from domain.webhooks import DeliveryStatus
from infrastructure.webhooks.tables import deliveries, delivery_attempts


def _delivery(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "subscription_id": row.subscription_id,
        "event_type": row.event_type,
        "commitment_id": row.commitment_id,
        "status": row.status,
        "attempts": row.attempt_count,
        "next_attempt_at": plain(row.next_attempt_at) if row.status == DeliveryStatus.PENDING.value else None,
        "created_at": plain(row.created_at),
        "updated_at": plain(row.updated_at),
    }


def _attempt(row: Any) -> dict[str, Any]:
    return {
        "number": row.number,
        "started_at": plain(row.started_at),
        "duration_ms": row.duration_ms,
        "status_code": row.status_code,
        "error": row.error,
        "response_body": row.response_body,
    }


class DeliveryLog:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def find(
        self,
        subscription_id: str | None = None,
        commitment_id: str | None = None,
        status: str | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> tuple[list[dict[str, Any]], str | None]:
        conditions = []
        if subscription_id is not None:
            conditions.append(deliveries.c.subscription_id == subscription_id)
        if commitment_id is not None:
            conditions.append(deliveries.c.commitment_id == commitment_id)
        if status is not None:
            conditions.append(deliveries.c.status == status)
        after = cursors.decode(cursor, "deliveries", cursors.INSTANT, cursors.DELIVERY_ID)
        if after is not None:
            at, last_id = after
            conditions.append(
                or_(deliveries.c.created_at > at, and_(deliveries.c.created_at == at, deliveries.c.id > last_id))
            )
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(deliveries)
                .where(*conditions)
                .order_by(deliveries.c.created_at, deliveries.c.id)
                .limit(limit + 1)
            ).all()
        items = [_delivery(row) for row in rows[:limit]]
        more = len(rows) > limit
        last = rows[limit - 1] if more else None
        return items, (None if last is None else cursors.encode("deliveries", last.created_at.isoformat(), last.id))

    def get(self, delivery_id: str) -> dict[str, Any]:
        with self.engine.connect() as connection:
            row = connection.execute(select(deliveries).where(deliveries.c.id == delivery_id)).first()
            if row is None:
                raise NotFound("delivery", delivery_id)
            attempts = connection.execute(
                select(delivery_attempts)
                .where(delivery_attempts.c.delivery_id == delivery_id)
                .order_by(delivery_attempts.c.number)
            ).all()
        return {**_delivery(row), "payload": json.loads(row.payload), "attempt_log": [_attempt(a) for a in attempts]}

    def resend(self, delivery_id: str) -> dict[str, Any]:
        """Send again, with the same webhook-id, as a new round of attempts."""
        with self.engine.begin() as connection:
            changed = connection.execute(
                update(deliveries)
                .where(deliveries.c.id == delivery_id)
                .values(
                    status=DeliveryStatus.PENDING.value,
                    attempts=0,
                    next_attempt_at=self.clock(),
                    lease_owner=None,
                    lease_expires_at=None,
                    updated_at=self.clock(),
                )
            ).rowcount
        if not changed:
            raise NotFound("delivery", delivery_id)
        return self.get(delivery_id)

    def recover(self, since: datetime, subscription_id: str | None = None) -> int:
        """Send again every delivery that failed since ``since``."""
        conditions = [deliveries.c.status == DeliveryStatus.FAILED.value, deliveries.c.updated_at >= since]
        if subscription_id is not None:
            conditions.append(deliveries.c.subscription_id == subscription_id)
        now = self.clock()
        with self.engine.begin() as connection:
            return connection.execute(
                update(deliveries)
                .where(*conditions)
                .values(
                    status=DeliveryStatus.PENDING.value,
                    attempts=0,
                    next_attempt_at=now,
                    lease_owner=None,
                    lease_expires_at=None,
                    updated_at=now,
                )
            ).rowcount

    def count(self, **equal: Any) -> int:
        with self.engine.connect() as connection:
            return connection.execute(
                select(func.count())
                .select_from(deliveries)
                .where(*(deliveries.c[key] == value for key, value in equal.items()))
            ).scalar_one()
