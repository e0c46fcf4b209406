"""Webhook subscriptions: where to send which events, and the secrets that sign them."""

import json
import secrets as random_tokens
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Row, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from application.errors import (
    AlreadyExists,
    ConcurrentUpdate,
    NotFound,
    VersionMismatch,
)
from application.notices.webhooks import CreatedSubscription, Subscription
from domain.text import SHORT_TEXT_MAX, optional_text
from domain.webhooks import SubscriptionStatus
from domain.webhooks import kinds as check_kinds
from infrastructure.webhooks.signing import new_secret
from infrastructure.webhooks.tables import subscriptions
from infrastructure.webhooks.url_safety import UrlPolicy, check

ACTIVE, PAUSED, DISABLED, DELETED = (status.value for status in SubscriptionStatus)  # as the table holds them
# Built once: each command's outbox reads it.
# Subscriptions that get new deliveries (their id, status, kinds and parties): active ones, and paused
# ones (held until resumed). Built once: the outbox says it to the driver for every command.
RECEIVING = select(subscriptions.c.id, subscriptions.c.status, subscriptions.c.kinds, subscriptions.c.party_ids).where(
    or_(subscriptions.c.status == ACTIVE, subscriptions.c.status == PAUSED)
)


def subscription_of(row: Any) -> Subscription:
    """A subscription as its row holds it."""

    def instant(value: datetime | None) -> str | None:
        return None if value is None else value.isoformat().replace("+00:00", "Z")

    return Subscription(
        id=row.id,
        version=row.version or 1,
        url=row.url,
        kinds=json.loads(row.kinds),
        party_ids=json.loads(row.party_ids),
        description=row.description,
        status=row.status,
        failing_since=instant(row.failing_since),
        disabled_reason=row.disabled_reason,
        previous_secret_until=instant(row.previous_secret_until),
        created_at=instant(row.created_at) or "",
        updated_at=instant(row.updated_at) or "",
    )


class SubscriptionStore:
    def __init__(self, engine: Engine, clock: Callable[[], datetime], policy: UrlPolicy) -> None:
        self.engine = engine
        self.clock = clock
        self.policy = policy

    def _row(self, connection: Connection, subscription_id: str) -> Any:
        row = connection.execute(
            select(subscriptions).where(subscriptions.c.id == subscription_id, subscriptions.c.status != DELETED)
        ).first()
        if row is None:
            raise NotFound("subscription", subscription_id)
        return row

    def create(
        self,
        url: str,
        kinds: list[str],
        party_ids: list[str],
        description: str | None,
        subscription_id: str | None = None,
    ) -> CreatedSubscription:
        """A new subscription and its secret, which is shown only now (``subscription_id``: chosen by
        the caller, for idempotent retries)."""
        now = self.clock()
        chosen_id = subscription_id or "sub_" + random_tokens.token_hex(8)
        values = {
            "id": chosen_id,
            "url": check(url, self.policy),
            "status": ACTIVE,
            "version": 1,
            "kinds": json.dumps(list(check_kinds(kinds))),
            "party_ids": json.dumps(sorted(set(party_ids))),
            "description": optional_text(description, "description", SHORT_TEXT_MAX),
            "secret": new_secret(),
            "created_at": now,
            "updated_at": now,
        }
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(subscriptions).values(**values))
        except IntegrityError:
            raise AlreadyExists(f"subscription {chosen_id} already exists") from None
        return self.with_secret(chosen_id)

    def with_secret(self, subscription_id: str) -> CreatedSubscription:
        """The subscription and its current secret: only for the answer to the request that made it."""
        with self.engine.connect() as connection:
            row = self._row(connection, subscription_id)
        return CreatedSubscription(**vars(subscription_of(row)), secret=row.secret)

    def get(self, subscription_id: str) -> Subscription:
        with self.engine.connect() as connection:
            return subscription_of(self._row(connection, subscription_id))

    def all(self) -> list[Subscription]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(subscriptions)
                .where(subscriptions.c.status != DELETED)
                .order_by(subscriptions.c.created_at, subscriptions.c.id)
            ).all()
        return [subscription_of(row) for row in rows]

    def _change(self, subscription_id: str, expected_version: int | None = None, **values: Any) -> Subscription:
        """Change a subscription at the version it was read at (``If-Match``), adding one to it."""
        with self.engine.begin() as connection:
            current = self._row(connection, subscription_id).version or 1
            if expected_version is not None and expected_version != current:
                raise VersionMismatch(expected_version, current)
            changed = connection.execute(
                update(subscriptions)
                .where(
                    subscriptions.c.id == subscription_id,
                    or_(subscriptions.c.version == current, subscriptions.c.version.is_(None)),
                )
                .values(updated_at=self.clock(), version=current + 1, **values)
            ).rowcount
            if changed != 1:
                raise ConcurrentUpdate()
            return subscription_of(self._row(connection, subscription_id))

    def update(
        self,
        subscription_id: str,
        url: str | None = None,
        kinds: list[str] | None = None,
        party_ids: list[str] | None = None,
        description: str | None = None,
        expected_version: int | None = None,
    ) -> Subscription:
        values: dict[str, Any] = {}
        if url is not None:
            values["url"] = check(url, self.policy)
        if kinds is not None:
            values["kinds"] = json.dumps(list(check_kinds(kinds)))
        if party_ids is not None:
            values["party_ids"] = json.dumps(sorted(set(party_ids)))
        if description is not None:
            values["description"] = optional_text(description, "description", SHORT_TEXT_MAX)
        return self._change(subscription_id, expected_version, **values)

    def pause(self, subscription_id: str) -> Subscription:
        return self._change(subscription_id, status=PAUSED)

    def resume(self, subscription_id: str) -> Subscription:
        """Active again (also after being disabled); deliveries held meanwhile are sent."""
        return self._change(subscription_id, status=ACTIVE, failing_since=None, disabled_reason=None)

    def delete(self, subscription_id: str) -> None:
        """Gone from the list and sent nothing more; its delivery log stays readable."""
        with self.engine.begin() as connection:
            self._row(connection, subscription_id)
            connection.execute(
                update(subscriptions)
                .where(subscriptions.c.id == subscription_id)
                .values(status=DELETED, updated_at=self.clock())
            )

    def rotate(self, subscription_id: str, overlap: timedelta) -> tuple[Subscription, str]:
        """A new secret; the old one keeps signing beside it for ``overlap``."""
        with self.engine.connect() as connection:
            old = self._row(connection, subscription_id).secret
        secret = new_secret()
        changed = self._change(
            subscription_id, secret=secret, previous_secret=old, previous_secret_until=self.clock() + overlap
        )
        return changed, secret

    # -- used by the outbox and the dispatcher -----------------------------------------------

    def receiving(self, connection: Connection) -> Sequence[Row[Any]]:
        """Subscriptions that get new deliveries (their id, status, kinds and parties): active ones, and
        paused ones (held until resumed)."""
        return connection.execute(RECEIVING).all()
