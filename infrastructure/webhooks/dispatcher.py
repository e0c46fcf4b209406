"""Sends pending deliveries: claimed with expiring leases, signed, retried, logged.

A dispatcher claims a batch of deliveries by writing its name and a lease expiry on the rows,
only where nobody holds an unexpired lease, so two dispatchers never send the same attempt at
once. It never starts an attempt that could outlast its lease, and records the outcomes of a
batch together, at least once a second (decision 0012). If a dispatcher dies between sending
and recording, the lease runs out and another sends again, with the same ``webhook-id``:
receivers deduplicate on it.
"""

import functools
import json
import logging
import random
import secrets
import ssl
import time
from collections import Counter as Tally
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from prometheus_client.metrics_core import Metric
from sqlalchemy import (
    Connection,
    Engine,
    and_,
    bindparam,
    func,
    insert,
    or_,
    select,
    update,
)

from domain.webhooks import (
    DELIVERY_EXHAUSTED,
    SUBSCRIPTION_DISABLED,
    Decision,
    DeliveryStatus,
    Outcome,
    decide,
)
from infrastructure.operations import metrics
from infrastructure.webhooks import signing
from infrastructure.webhooks.outbox import Outbox
from infrastructure.webhooks.subscriptions import ACTIVE, DISABLED
from infrastructure.webhooks.tables import deliveries, delivery_attempts, subscriptions
from infrastructure.webhooks.url_safety import UnsafeUrl, UrlPolicy, pinned

BODY_KEPT = 20 * 1024
PENDING = DeliveryStatus.PENDING.value
log = logging.getLogger("commitments.webhooks")


@dataclass(frozen=True)
class DispatchSettings:
    retry_schedule: tuple[float, ...] = (5, 30, 120, 600, 3600, 10800, 21600, 43200)
    timeout: float = 10.0
    failure_window: timedelta = timedelta(days=3)  # failing this long disables the subscription
    lease: timedelta = timedelta(seconds=60)
    policy: UrlPolicy = UrlPolicy()
    ca_file: str = ""  # certificate authorities to trust instead of the system's (a closed network's own CA)


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
        when = when.replace(tzinfo=UTC)
    return max(when - now, timedelta(0))


@dataclass(frozen=True)
class Attempt:
    """What one try to send a delivery gave."""

    started_at: datetime
    status_code: int | None
    error: str | None
    response_body: str | None
    wait: timedelta | None  # the receiver's Retry-After
    duration_ms: int


# The statements of the hot path, built once (SQLAlchemy would otherwise build and key them per delivery).
_FREE = or_(deliveries.c.lease_expires_at.is_(None), deliveries.c.lease_expires_at < bindparam("now"))
_DUE = (
    select(deliveries.c.id)
    .join(subscriptions, subscriptions.c.id == deliveries.c.subscription_id)
    .where(
        deliveries.c.status == PENDING,
        deliveries.c.next_attempt_at <= bindparam("now"),
        _FREE,
        subscriptions.c.status == ACTIVE,
    )
    .order_by(deliveries.c.next_attempt_at, deliveries.c.id)
    .limit(bindparam("limit"))
)
_LEASE = (
    update(deliveries)
    .where(deliveries.c.id.in_(bindparam("ids", expanding=True)), deliveries.c.status == PENDING, _FREE)
    .values(
        lease_owner=bindparam("owner"),
        lease_expires_at=bindparam("expires"),
        # Counted as started when leased: a dispatcher killed after sending, before recording, leaves the
        # attempt counted (the receiver got it), and the delivery's attempts say how often it was received.
        attempts=deliveries.c.attempts + 1,
        attempt_count=deliveries.c.attempt_count + 1,
    )
)
_CLAIMED = (
    select(
        deliveries,
        subscriptions.c.url,
        subscriptions.c.secret,
        subscriptions.c.previous_secret,
        subscriptions.c.previous_secret_until,
        subscriptions.c.failing_since,
    )
    .join(subscriptions, subscriptions.c.id == deliveries.c.subscription_id)
    .where(
        deliveries.c.id.in_(bindparam("ids", expanding=True)),
        deliveries.c.lease_owner == bindparam("owner"),
        deliveries.c.lease_expires_at == bindparam("expires"),
    )
)
_MINE = and_(
    deliveries.c.id == bindparam("key"), deliveries.c.lease_owner == bindparam("owner"), deliveries.c.status == PENDING
)
_RECORD = (
    update(deliveries)
    .where(_MINE)
    .values(
        lease_owner=None,
        lease_expires_at=None,
        attempts=bindparam("attempts"),
        attempt_count=bindparam("attempt_count"),
        updated_at=bindparam("now"),
        status=bindparam("status"),
        next_attempt_at=bindparam("next_attempt_at"),
    )
)
_SUCCEEDED = (
    update(deliveries)
    .where(
        deliveries.c.id.in_(bindparam("ids", expanding=True)),
        deliveries.c.lease_owner == bindparam("owner"),
        deliveries.c.status == PENDING,
    )
    .values(
        lease_owner=None,
        lease_expires_at=None,
        updated_at=bindparam("now"),
        status=DeliveryStatus.SUCCEEDED.value,
    )
    .returning(deliveries.c.id)
)
# How each failed attempt recorded is counted in the metrics (``commitments_webhook_attempts``).
_COUNTED_AS = {Outcome.RETRY: "failed", Outcome.FAILED: "exhausted", Outcome.GONE: "gone"}
_BACKLOG = select(func.count(), func.min(deliveries.c.created_at)).where(deliveries.c.status == PENDING)
# Handed back unattempted: the attempt counted when it was leased is taken back.
_RELEASE = (
    update(deliveries)
    .where(_MINE)
    .values(
        lease_owner=None,
        lease_expires_at=None,
        attempts=deliveries.c.attempts - 1,
        attempt_count=deliveries.c.attempt_count - 1,
    )
)
_ATTEMPT = insert(delivery_attempts)
_NOT_FAILING = (
    update(subscriptions)
    .where(subscriptions.c.id == bindparam("key"), subscriptions.c.failing_since.isnot(None))
    .values(failing_since=None)
)


def _attempt_row(row: Any, attempt: Attempt) -> dict[str, Any]:
    return {
        "delivery_id": row.id,
        "number": row.attempt_count,  # counted when leased
        "started_at": attempt.started_at,
        "duration_ms": attempt.duration_ms,
        "status_code": attempt.status_code,
        "error": attempt.error,
        "response_body": attempt.response_body,
    }


@functools.cache
def system_trust() -> ssl.SSLContext:
    """The system's trusted certificates, loaded once per process (about 14 ms each time)."""
    return ssl.create_default_context()


class Dispatcher:
    def __init__(
        self,
        engine: Engine,
        outbox: Outbox,
        clock: Callable[[], datetime],
        settings: DispatchSettings,
        name: str | None = None,
    ) -> None:
        self.engine = engine
        self.outbox = outbox
        self.clock = clock
        self.settings = settings
        self.name = name or "dispatcher_" + secrets.token_hex(6)
        self.jitter = random.Random()
        # No proxy from the environment: a proxy would resolve the name again, past the address check.
        verify = system_trust() if not settings.ca_file else ssl.create_default_context(cafile=settings.ca_file)
        self.http = httpx.Client(
            timeout=httpx.Timeout(settings.timeout),
            follow_redirects=False,
            trust_env=False,
            verify=verify,
            headers={"user-agent": "commitments-webhooks/1", "content-type": "application/json"},
        )

    def close(self) -> None:
        self.http.close()

    def figures(self) -> list[Metric]:
        """The backlog, for the metrics (read when they are scraped): how many deliveries are pending, and
        how long the oldest has waited."""
        with self.engine.connect() as connection:
            pending, oldest = connection.execute(_BACKLOG).one()
        return metrics.webhook_figures(pending, oldest, self.clock())

    def tick(self, limit: int = 50) -> int:
        """Send what is due; returns how many attempts were made."""
        made = 0
        while True:
            claimed = self.claim(limit)
            if not claimed:
                return made
            sent = self._send(claimed)
            if not sent:  # the lease is too short for even one attempt: the next tick tries again
                return made
            made += sent

    def claim(self, limit: int) -> list[Any]:
        """Lease up to ``limit`` due deliveries in one transaction; those another dispatcher won are left out."""
        now = self.clock()
        expires = now + self.settings.lease
        with self.engine.connect() as connection:
            candidates = connection.execute(_DUE, {"now": now, "limit": limit}).scalars().all()
        if not candidates:
            return []
        with self.engine.begin() as connection:
            connection.execute(_LEASE, {"ids": candidates, "now": now, "owner": self.name, "expires": expires})
            claimed = connection.execute(_CLAIMED, {"ids": candidates, "owner": self.name, "expires": expires}).all()
        return sorted(claimed, key=lambda row: (row.next_attempt_at, row.id))

    def _send(self, claimed: list[Any]) -> int:
        """Attempt each claimed delivery, recording the outcomes together (at least once a second). An
        attempt is not started if the lease could run out before it ends: those are handed back."""
        outcomes: list[tuple[Any, Attempt]] = []
        flushed = time.monotonic()
        made = 0
        for n, row in enumerate(claimed):
            if self.clock() + timedelta(seconds=self.settings.timeout) >= row.lease_expires_at:
                self._release(claimed[n:])
                break
            outcomes.append((row, self.attempt(row)))
            made += 1
            if time.monotonic() - flushed >= 1.0:
                self._record_all(outcomes)
                outcomes, flushed = [], time.monotonic()
        self._record_all(outcomes)
        return made

    def attempt(self, row: Any) -> Attempt:
        """Send one delivery, signed; nothing is written here."""
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
            target = pinned(row.url, self.settings.policy)  # resolved once: the request goes where was checked
            extensions = {} if target.server_name is None else {"sni_hostname": target.server_name}
            response = self.http.post(
                target.url, content=body, headers={**headers, "host": target.host}, extensions=extensions
            )
            status_code = response.status_code
            response_body = response.content[:BODY_KEPT].decode("utf-8", errors="replace")
            wait = retry_after(response.headers.get("retry-after"), now)
        except UnsafeUrl as refused:
            error = f"refused: {refused.detail}"
        except httpx.TimeoutException:
            error = f"timed out after {self.settings.timeout:g} s"
        except httpx.HTTPError as failure:
            error = f"{type(failure).__name__}: {failure}"
        return Attempt(now, status_code, error, response_body, wait, int((time.monotonic() - started) * 1000))

    def _release(self, rows: list[Any]) -> None:
        with self.engine.begin() as connection:
            connection.execute(_RELEASE, [{"key": row.id, "owner": self.name} for row in rows])

    def _record_all(self, outcomes: list[tuple[Any, Attempt]]) -> None:
        """The outcomes of several attempts, in one transaction: an attempt whose lease was lost
        meanwhile is not recorded (the dispatcher that took it over sends it again). Successes,
        the usual case, are written together; any success clears its subscription's failing streak.
        The outcomes are counted in the metrics once they are committed, one call per kind."""
        if not outcomes:
            return
        now = self.clock()
        succeeded: dict[str, tuple[Any, Attempt]] = {}
        tally: Tally[str] = Tally()
        with self.engine.begin() as connection:
            for row, attempt in outcomes:
                decision = decide(
                    attempt.status_code,
                    attempt.wait,
                    row.attempts,  # this one included: counted when leased
                    self.settings.retry_schedule,
                    now,
                    row.failing_since,
                    self.settings.failure_window,
                    self.jitter,
                )
                if decision.outcome is Outcome.SUCCEEDED:
                    succeeded[row.id] = (row, attempt)
                    continue
                still_mine = (
                    connection.execute(
                        _RECORD,
                        {
                            "key": row.id,
                            "owner": self.name,
                            "attempts": row.attempts,
                            "attempt_count": row.attempt_count,
                            "now": now,
                            "status": decision.status.value,
                            "next_attempt_at": decision.next_attempt_at,
                        },
                    ).rowcount
                    == 1
                )
                if still_mine:
                    connection.execute(_ATTEMPT, _attempt_row(row, attempt))
                    tally[_COUNTED_AS[decision.outcome]] += 1
                    tally["disabled"] += self._after_failure(connection, row, decision, now)
                else:
                    tally["lease_lost"] += 1
                    log.warning("lease on %s lost before recording; another dispatcher resends it", row.id)
            if succeeded:
                recorded = set(
                    connection.execute(_SUCCEEDED, {"ids": list(succeeded), "owner": self.name, "now": now}).scalars()
                )
                for lost in succeeded.keys() - recorded:
                    log.warning("lease on %s lost before recording; another dispatcher resends it", lost)
                tally["succeeded"] += len(recorded)
                tally["lease_lost"] += len(succeeded) - len(recorded)
                if recorded:
                    connection.execute(_ATTEMPT, [_attempt_row(*succeeded[key]) for key in recorded])
                    connection.execute(
                        _NOT_FAILING, [{"key": key} for key in {succeeded[key][0].subscription_id for key in recorded}]
                    )
        metrics.WEBHOOK_SUBSCRIPTIONS_DISABLED.inc(tally.pop("disabled", 0))
        metrics.counted(metrics.WEBHOOK_ATTEMPTS, tally)

    def _after_failure(self, connection: Connection, row: Any, decision: Decision, now: datetime) -> bool:
        """Carry out what ``decide`` said after a failed attempt: the subscription's failing streak
        starts, an exhausted delivery is told, and a subscription to disable is disabled (True: it was
        disabled here)."""
        subscription = connection.execute(
            select(subscriptions).where(subscriptions.c.id == row.subscription_id)
        ).first()
        assert subscription is not None  # a subscription's row is kept (marked deleted) while it has deliveries
        if subscription.failing_since is None:
            connection.execute(
                update(subscriptions).where(subscriptions.c.id == row.subscription_id).values(failing_since=now)
            )
        if decision.outcome is Outcome.FAILED:
            self.outbox.emit(
                connection,
                DELIVERY_EXHAUSTED,
                {
                    "delivery": {
                        "id": row.id,
                        "subscription_id": row.subscription_id,
                        "event_type": row.event_type,
                        "attempts": row.attempts,
                        "commitment_id": row.commitment_id,
                    },
                },
                about=row.subscription_id,
            )
        if decision.disable_because is not None:
            return self._disable(connection, subscription, decision.disable_because, now)
        return False

    def _disable(self, connection: Connection, subscription: Any, reason: str, now: datetime) -> bool:
        if subscription.status == DISABLED:
            return False
        connection.execute(
            update(subscriptions)
            .where(subscriptions.c.id == subscription.id)
            .values(
                status=DISABLED,
                disabled_reason=reason,
                updated_at=now,
                version=func.coalesce(subscriptions.c.version, 1) + 1,
            )
        )
        log.warning("subscription %s disabled: %s", subscription.id, reason)
        self.outbox.emit(
            connection,
            SUBSCRIPTION_DISABLED,
            {
                "subscription": {
                    "id": subscription.id,
                    "url": subscription.url,
                    "reason": reason,
                    "description": subscription.description,
                    "kinds": json.loads(subscription.kinds),
                },
            },
            about=subscription.id,
        )
        return True
