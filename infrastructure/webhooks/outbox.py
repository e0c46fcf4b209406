"""Deliveries are created from the event log exactly once.

Like the read model, the outbox follows the notification log and records its position in
the same transaction as the deliveries it creates; a delivery is also unique per
subscription and event, so neither a crash nor a second process can create one twice.
Sending is the dispatcher's work.
"""

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eventsourcing.persistence import ApplicationRecorder
from sqlalchemy import Connection, Engine, insert

from application.ports import AggregateReader, Saved
from application.storage.topics import MOVED
from application.views import plain
from domain.commitments.commitment import Commitment
from domain.webhooks import (
    DeliveryStatus,
    SubscriptionStatus,
    commitment_event_type,
    concerns,
    wants,
)
from infrastructure.log.follower import LogFollower
from infrastructure.persistence.driver import TO_THE_DRIVER, Statements
from infrastructure.webhooks.subscriptions import RECEIVING, SubscriptionStore
from infrastructure.webhooks.tables import deliveries

SCHEMA_VERSION = 1


def new_delivery_id() -> str:
    return "msg_" + secrets.token_hex(12)


def envelope(event_type: str, occurred_at: datetime, data: dict[str, Any]) -> str:
    """The payload, in the Standard Webhooks shape: type, timestamp, data."""
    return json.dumps(
        {"type": event_type, "timestamp": plain(occurred_at), "data": {"schema_version": SCHEMA_VERSION, **data}},
        ensure_ascii=False,
        sort_keys=True,
    )


def commitment_data(commitment: Commitment, event: Any, position: int, base_url: str) -> dict[str, Any]:
    link = f"{base_url}/commitments/{commitment.id}"
    payload = {
        key: plain(value)
        for key, value in vars(event).items()
        if key not in ("originator_id", "originator_version", "originator_topic", "timestamp", "actor")
    }
    return {
        "event": {
            "name": type(event).__name__,
            "version": event.originator_version,
            "position": position,
            "actor": getattr(event, "actor", None),
            "recorded_at": plain(event.timestamp),
            "payload": payload,
        },
        "commitment": {
            "id": str(commitment.id),
            "kind": commitment.kind.value,
            "status": commitment.status.value,
            "text": plain(commitment.text),
            "lead_party_id": str(commitment.lead_party_id),
            "supporting_party_ids": [str(p) for p in commitment.supporting_party_ids],
            "meeting_id": str(commitment.provenance.meeting_id),
            "due": plain(commitment.due),
            "due_at": plain(commitment.due_at),
            "overdue": commitment.overdue,
            "due_soon": commitment.due_soon,
            "review_on": plain(commitment.review_on),
            "review_due": commitment.review_due,
            "escalation": plain(commitment.escalation),
        },
        "links": {"commitment": link, "history": f"{link}/history"},
    }


# A commitment's events, under its topic now and the one it was stored under before its module moved.
COMMITMENT_TOPICS = (
    f"{Commitment.__module__}:Commitment.",
    *(f"{topic}." for topic, cls in MOVED.items() if cls is Commitment),
)
INSERT_DELIVERIES = insert(deliveries)


@dataclass(frozen=True)
class Receiver:
    """A subscription that gets new deliveries, with its filters read once per batch."""

    id: str
    kinds: list[str]
    party_ids: list[str]


def delivery_row(
    subscription_id: str,
    event_type: str,
    body: str,
    now: datetime,
    position: int | None = None,
    commitment_id: str | None = None,
) -> dict[str, Any]:
    """A new delivery, to be sent now; ``position``: the event's in the log (None: an operational event)."""
    return {
        "id": new_delivery_id(),
        "subscription_id": subscription_id,
        "position": position,
        "event_type": event_type,
        "commitment_id": commitment_id,
        "payload": body,
        "status": DeliveryStatus.PENDING.value,
        "attempts": 0,
        "attempt_count": 0,
        "next_attempt_at": now,
        "created_at": now,
        "updated_at": now,
    }


class Outbox(LogFollower):
    """Follows the log from where it started (a new outbox starts after the events already stored:
    they are not news to anyone)."""

    name = "webhooks"

    def __init__(
        self,
        engine: Engine,
        recorder: ApplicationRecorder,
        decode: Callable[[Any], Any],
        reader: AggregateReader,
        subscriptions: SubscriptionStore,
        clock: Callable[[], datetime],
        base_url: str = "",
        batch_size: int = 500,
        statements: Statements = TO_THE_DRIVER,
    ) -> None:
        super().__init__(engine, recorder, decode, statements)
        self.reader = reader
        self.subscriptions = subscriptions
        self.clock = clock
        self.base_url = base_url.rstrip("/")
        self.batch_size = batch_size

    def handle(self, connection: Connection, notifications: list[Any], saved: Saved) -> None:
        """The deliveries of a batch of events, written together."""
        receivers = [
            Receiver(row.id, json.loads(row.kinds), json.loads(row.party_ids))
            for row in self.statements.rows(connection, RECEIVING)
        ]
        if not receivers:
            return
        now = self.clock()
        rows = [
            row for notification in notifications for row in self._deliveries_for(notification, receivers, now, saved)
        ]
        if rows:
            self.statements.run(connection, INSERT_DELIVERIES, rows)

    def _deliveries_for(
        self, notification: Any, receivers: list[Receiver], now: datetime, saved: Saved
    ) -> list[dict[str, Any]]:
        if not notification.topic.startswith(COMMITMENT_TOPICS):
            return []
        event_type = commitment_event_type(notification.topic.rsplit(".", 1)[1])
        wanting = [receiver for receiver in receivers if wants(receiver.kinds, event_type)]
        if not wanting:
            return []
        event = self.event(notification, saved)
        commitment = (
            saved.state_at(event.originator_id, event.originator_version)
            or self.reader.read_many([event.originator_id], {event.originator_id: event.originator_version})[
                event.originator_id
            ]
        )
        assert isinstance(commitment, Commitment)  # the event's topic is a commitment's
        parties = [
            str(commitment.lead_party_id),
            *(str(p) for p in commitment.supporting_party_ids),
            *(str(p) for p in getattr(event, "party_ids", ())),
        ]  # those an escalation tells
        wanting = [receiver for receiver in wanting if concerns(receiver.party_ids, parties)]
        if not wanting:
            return []
        body = envelope(event_type, event.timestamp, commitment_data(commitment, event, notification.id, self.base_url))
        return [
            delivery_row(receiver.id, event_type, body, now, notification.id, str(commitment.id))
            for receiver in wanting
        ]

    def emit(self, connection: Connection, event_type: str, data: dict[str, Any], about: str | None) -> None:
        """An operational event (a subscription disabled, a delivery exhausted), for those who want them."""
        now = self.clock()
        body = envelope(event_type, now, data)
        rows = [
            row
            for row in self.subscriptions.receiving(connection)
            if row.id != about
            and row.status == SubscriptionStatus.ACTIVE.value
            and wants(json.loads(row.kinds), event_type)
        ]
        if rows:
            connection.execute(INSERT_DELIVERIES, [delivery_row(row.id, event_type, body, now) for row in rows])
