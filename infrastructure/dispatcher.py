"""Sends pending deliveries: claimed with expiring leases, signed, retried, logged.

A dispatcher claims a delivery by writing its name and a lease expiry on the row, only if
nobody holds an unexpired lease, so two dispatchers never send the same attempt at once.
If a dispatcher dies between sending and recording, the lease runs out and another sends
again, with the same ``webhook-id``: receivers deduplicate on it.
"""

import json
import logging
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from sqlalchemy import Connection, Engine, and_, insert, or_, select, update

from domain.webhooks import DELIVERY_EXHAUSTED, SUBSCRIPTION_DISABLED, Outcome, decide
from infrastructure import signing
from infrastructure.outbox import Outbox
from infrastructure.subscriptions import ACTIVE, DISABLED
from infrastructure.tables import deliveries, delivery_attempts, subscriptions
from infrastructure.url_safety import UnsafeUrl, UrlPolicy, check

BODY_KEPT = 20 * 1024
log = logging.getLogger("commitments.webhooks")


@dataclass(frozen=True)
class DispatchSettings:
    retry_schedule: tuple[float, ...] = (5, 30, 120, 600, 3600, 10800, 21600, 43200)
    timeout: float = 10.0
    failure_window: timedelta = timedelta(days=3)  # failing this long disables the subscription
    lease: timedelta = timedelta(seconds=60)
    policy: UrlPolicy = UrlPolicy()


def retry_after(value: str | None, now: datetime) -> timedelta | None:
    """``Retry-After`` as seconds or as an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(when - now, timedelta(0))


class Dispatcher:
    def __init__(self, engine: Engine, outbox: Outbox, clock: Callable[[], datetime],
                 settings: DispatchSettings, name: str | None = None) -> None:
        self.engine = engine
        self.outbox = outbox
        self.clock = clock
        self.settings = settings
        self.name = name or "dispatcher_" + secrets.token_hex(6)
        self.jitter = random.Random()
        self.http = httpx.Client(timeout=httpx.Timeout(settings.timeout), follow_redirects=False,
                                 headers={"user-agent": "commitments-webhooks/1", "content-type": "application/json"})

    def close(self) -> None:
        self.http.close()

    def tick(self, limit: int = 50) -> int:
        """Send what is due; returns how many attempts were made."""
        made = 0
        while True:
            claimed = self.claim(limit)
            if not claimed:
                return made
            for row in claimed:
                self.attempt(row)
                made += 1

    def claim(self, limit: int) -> list[Any]:
        now = self.clock()
        free = or_(deliveries.c.lease_expires_at.is_(None), deliveries.c.lease_expires_at < now)
        due = and_(deliveries.c.status == "pending", deliveries.c.next_attempt_at <= now, free,
                   subscriptions.c.status == ACTIVE)
        with self.engine.connect() as connection:
            candidates = connection.execute(
                select(deliveries.c.id).join(subscriptions, subscriptions.c.id == deliveries.c.subscription_id)
                .where(due).order_by(deliveries.c.next_attempt_at).limit(limit)
            ).scalars().all()
        claimed = []
        for delivery_id in candidates:
            with self.engine.begin() as connection:
                won = connection.execute(
                    update(deliveries).where(deliveries.c.id == delivery_id, deliveries.c.status == "pending", free)
                    .values(lease_owner=self.name, lease_expires_at=now + self.settings.lease)
                ).rowcount == 1
                if won:
                    claimed.append(connection.execute(
                        select(deliveries, subscriptions.c.url, subscriptions.c.secret, subscriptions.c.previous_secret,
                               subscriptions.c.previous_secret_until)
                        .join(subscriptions, subscriptions.c.id == deliveries.c.subscription_id)
                        .where(deliveries.c.id == delivery_id)).first())
        return claimed

    def attempt(self, row: Any) -> None:
        now = self.clock()
        body = row.payload.encode("utf-8")
        in_use = signing.in_use(row.secret, row.previous_secret, row.previous_secret_until, now)
        headers = signing.headers(in_use, row.id, int(now.timestamp()), body)
        status_code: int | None = None
        error: str | None = None
        response_body: str | None = None
        wait: timedelta | None = None
        started = time.monotonic()
        try:
            check(row.url, self.settings.policy)
            response = self.http.post(row.url, content=body, headers=headers)
            status_code = response.status_code
            response_body = response.content[:BODY_KEPT].decode("utf-8", errors="replace")
            wait = retry_after(response.headers.get("retry-after"), now)
        except UnsafeUrl as refused:
            error = f"refused: {refused.detail}"
        except httpx.TimeoutException:
            error = f"timed out after {self.settings.timeout:g} s"
        except httpx.HTTPError as failure:
            error = f"{type(failure).__name__}: {failure}"
        duration_ms = int((time.monotonic() - started) * 1000)
        self.record(row, now, status_code, error, response_body, wait, duration_ms)

    def record(self, row: Any, started_at: datetime, status_code: int | None, error: str | None,
               response_body: str | None, wait: timedelta | None, duration_ms: int) -> None:
        now = self.clock()
        decision = decide(status_code, wait, row.attempts + 1, self.settings.retry_schedule, now, self.jitter)
        with self.engine.begin() as connection:
            still_mine = connection.execute(
                update(deliveries).where(deliveries.c.id == row.id, deliveries.c.lease_owner == self.name,
                                         deliveries.c.status == "pending")
                .values(lease_owner=None, lease_expires_at=None, attempts=row.attempts + 1,
                        attempt_count=row.attempt_count + 1, updated_at=now,
                        status={Outcome.SUCCEEDED: "succeeded", Outcome.RETRY: "pending"}.get(decision.outcome,
                                                                                             "failed"),
                        next_attempt_at=decision.next_attempt_at)
            ).rowcount == 1
            if not still_mine:
                log.warning("lease on %s lost before recording; another dispatcher resends it", row.id)
                return
            connection.execute(insert(delivery_attempts).values(
                delivery_id=row.id, number=row.attempt_count + 1, started_at=started_at, duration_ms=duration_ms,
                status_code=status_code, error=error, response_body=response_body))
            self._follow_up(connection, row, decision.outcome, now)

    def _follow_up(self, connection: Connection, row: Any, outcome: Outcome, now: datetime) -> None:
        subscription = connection.execute(select(subscriptions).where(
            subscriptions.c.id == row.subscription_id)).first()
        if outcome is Outcome.SUCCEEDED:
            connection.execute(update(subscriptions).where(subscriptions.c.id == row.subscription_id)
                               .values(failing_since=None))
            return
        failing_since = subscription.failing_since or now
        if subscription.failing_since is None:
            connection.execute(update(subscriptions).where(subscriptions.c.id == row.subscription_id)
                               .values(failing_since=now))
        if outcome is Outcome.FAILED:
            self.outbox.emit(connection, DELIVERY_EXHAUSTED, {
                "delivery": {"id": row.id, "subscription_id": row.subscription_id, "event_type": row.event_type,
                             "attempts": row.attempts + 1, "commitment_id": row.commitment_id},
            }, about=row.subscription_id)
        if outcome is Outcome.GONE:
            self._disable(connection, subscription, "the endpoint answered 410 Gone", now)
        elif now - failing_since >= self.settings.failure_window:
            self._disable(connection, subscription, f"failing since {failing_since.isoformat()}", now)

    def _disable(self, connection: Connection, subscription: Any, reason: str, now: datetime) -> None:
        if subscription.status == DISABLED:
            return
        connection.execute(update(subscriptions).where(subscriptions.c.id == subscription.id)
                           .values(status=DISABLED, disabled_reason=reason, updated_at=now))
        log.warning("subscription %s disabled: %s", subscription.id, reason)
        self.outbox.emit(connection, SUBSCRIPTION_DISABLED, {
            "subscription": {"id": subscription.id, "url": subscription.url, "reason": reason,
                             "description": subscription.description, "kinds": json.loads(subscription.kinds)},
        }, about=subscription.id)
