"""Webhook subscriptions and their deliveries, for every door (the JSON API, the administration pages).

Who may: every key reads the subscriptions and the delivery log; an administrator subscribes, changes,
pauses, resumes, deletes, rotates a secret, and sends deliveries again (``application.policy``)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias
from uuid import UUID

from application import policy
from application.records.commitments import Commitments
from application.records.parties import Parties
from application.views import one_of
from domain.access import Principal
from domain.webhooks import SubscriptionStatus

if TYPE_CHECKING:  # a type made at run time is no type to the checker: to it, the value of a member, a str
    SubscriptionStatusName: TypeAlias = str
else:
    SubscriptionStatusName = one_of(SubscriptionStatus)


@dataclass(frozen=True)
class Subscription:
    id: str
    version: int  # every change adds one; send it back as If-Match
    url: str
    kinds: list[str]
    party_ids: list[str]
    description: str | None
    status: SubscriptionStatusName
    failing_since: str | None
    disabled_reason: str | None
    previous_secret_until: str | None
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class CreatedSubscription(Subscription):
    secret: str  # shown only in the answer to the request that made it (or rotated it)


class SubscriptionStore(Protocol):
    """Where subscriptions and their secrets are kept."""

    def create(
        self, url: str, kinds: list[str], party_ids: list[str], description: str | None, subscription_id: str | None
    ) -> CreatedSubscription: ...

    def with_secret(self, subscription_id: str) -> CreatedSubscription: ...

    def get(self, subscription_id: str) -> Subscription: ...

    def all(self) -> list[Subscription]: ...

    def update(
        self,
        subscription_id: str,
        url: str | None,
        kinds: list[str] | None,
        party_ids: list[str] | None,
        description: str | None,
        expected_version: int | None,
    ) -> Subscription: ...

    def pause(self, subscription_id: str) -> Subscription: ...

    def resume(self, subscription_id: str) -> Subscription: ...

    def delete(self, subscription_id: str) -> None: ...

    def rotate(self, subscription_id: str, overlap: timedelta) -> tuple[Subscription, str]: ...


class DeliveryLog(Protocol):
    """Every delivery made for a subscription, and its attempts."""

    def find(
        self,
        subscription_id: str | None = None,
        commitment_id: str | None = None,
        status: str | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> tuple[list[dict[str, Any]], str | None]: ...

    def get(self, delivery_id: str) -> dict[str, Any]: ...

    def resend(self, delivery_id: str) -> dict[str, Any]: ...

    def recover(self, since: datetime, subscription_id: str | None = None) -> int: ...


Page: TypeAlias = tuple[list[dict[str, Any]], str | None]  # deliveries, and the cursor of the next page


@dataclass(frozen=True)
class Subscribing:
    """What a subscription hears of: its address, the kinds of event, and the parties (none: all)."""

    url: str
    kinds: list[str]
    party_ids: Sequence[UUID] = ()
    description: str | None = None


class Webhooks:
    def __init__(
        self,
        subscriptions: SubscriptionStore,
        deliveries: DeliveryLog,
        parties: Parties,
        commitments: Commitments,
        secret_overlap: timedelta,
    ) -> None:
        self.subscriptions = subscriptions
        self.deliveries = deliveries
        self.parties = parties
        self.commitments = commitments
        self.secret_overlap = secret_overlap  # how long an old secret signs beside a new one, unless told

    def _parties(self, ids: Sequence[UUID] | None) -> list[str] | None:
        return None if ids is None else [str(p) for p in self.parties.check(ids, "party_ids")]

    # -- subscriptions ---------------------------------------------------------------------------------

    def subscribe(self, caller: Principal, wanted: Subscribing, chosen: UUID | None = None) -> CreatedSubscription:
        """A new subscription and its signing secret, shown only in this answer (``chosen``: an id the
        caller chose, for retries that make it once)."""
        policy.administers(caller)
        parties = self._parties(wanted.party_ids) or []
        return self.subscriptions.create(
            wanted.url, wanted.kinds, parties, wanted.description, None if chosen is None else chosen_id(chosen)
        )

    def subscribed(self, caller: Principal, chosen: UUID) -> CreatedSubscription:
        """The subscription made under ``chosen``, with its secret: the answer again, to a retry."""
        policy.administers(caller)
        return self.subscriptions.with_secret(chosen_id(chosen))

    def listed(self, caller: Principal) -> list[Subscription]:
        policy.reads(caller)
        return self.subscriptions.all()

    def get(self, caller: Principal, subscription_id: str) -> Subscription:
        policy.reads(caller)
        return self.subscriptions.get(subscription_id)

    def change(
        self,
        caller: Principal,
        subscription_id: str,
        url: str | None = None,
        kinds: list[str] | None = None,
        party_ids: Sequence[UUID] | None = None,
        description: str | None = None,
        expected_version: int | None = None,
    ) -> Subscription:
        """Change what is given; with ``expected_version``, only if nobody changed it since."""
        policy.administers(caller)
        parties = self._parties(party_ids)
        return self.subscriptions.update(subscription_id, url, kinds, parties, description, expected_version)

    def pause(self, caller: Principal, subscription_id: str) -> Subscription:
        """Deliveries are held (still made) until it is resumed."""
        policy.administers(caller)
        return self.subscriptions.pause(subscription_id)

    def resume(self, caller: Principal, subscription_id: str) -> Subscription:
        """Active again, also after being disabled; held deliveries are sent."""
        policy.administers(caller)
        return self.subscriptions.resume(subscription_id)

    def delete(self, caller: Principal, subscription_id: str) -> None:
        """Gone from the list and sent nothing more; its delivery log stays readable."""
        policy.administers(caller)
        self.subscriptions.delete(subscription_id)

    def rotate_secret(
        self, caller: Principal, subscription_id: str, overlap: timedelta | None = None
    ) -> CreatedSubscription:
        """A new secret, shown once; the old one keeps signing beside it for ``overlap`` (the deployment's
        unless told)."""
        policy.administers(caller)
        changed, secret = self.subscriptions.rotate(subscription_id, overlap or self.secret_overlap)
        return CreatedSubscription(**vars(changed), secret=secret)

    # -- deliveries ------------------------------------------------------------------------------------

    def deliveries_of(
        self,
        caller: Principal,
        subscription_id: str,
        status: str | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> Page:
        policy.reads(caller)
        self.subscriptions.get(subscription_id)
        return self.deliveries.find(subscription_id=subscription_id, status=status, cursor=cursor, limit=limit)

    def deliveries_for(
        self, caller: Principal, commitment_id: UUID, cursor: str | None = None, limit: int = 50
    ) -> Page:
        """The deliveries that told of one commitment."""
        policy.reads(caller)
        self.commitments.get(commitment_id)
        return self.deliveries.find(commitment_id=str(commitment_id), cursor=cursor, limit=limit)

    def delivery(self, caller: Principal, delivery_id: str) -> dict[str, Any]:
        """One delivery, its payload, and every attempt."""
        policy.reads(caller)
        return self.deliveries.get(delivery_id)

    def resend(self, caller: Principal, delivery_id: str) -> dict[str, Any]:
        """Send again, with the same webhook-id."""
        policy.administers(caller)
        return self.deliveries.resend(delivery_id)

    def recover(self, caller: Principal, since: datetime, subscription_id: str | None = None) -> int:
        """Send again every delivery that failed since then; how many."""
        policy.administers(caller)
        return self.deliveries.recover(since, subscription_id)


def chosen_id(chosen: UUID) -> str:
    """The id of a subscription made under an id the caller chose (``Idempotency-Key``)."""
    return f"sub_{chosen.hex[:16]}"
