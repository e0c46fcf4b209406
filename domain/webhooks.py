"""Webhooks: what subscribers can ask for, and what each answer of theirs means.

Event types are ``commitment.<event>`` (``commitment.overdue``, ``commitment.due_soon``,
``commitment.review_due``, ``commitment.escalated``, ``commitment.delivered`` …) and operational ones,
``subscription.disabled``, ``delivery.exhausted`` and ``audit.chain_broken``. A subscription asks
for kinds: ``overdue``, ``due_soon``, ``review_due``, ``escalated``, ``lifecycle`` (every other
commitment event), ``operations`` (the operational ones) or ``all``.
"""

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from domain.errors import InvalidValue

KINDS = ("overdue", "due_soon", "review_due", "escalated", "lifecycle", "operations", "all")
OVERDUE = "commitment.overdue"
DUE_SOON = "commitment.due_soon"
REVIEW_DUE = "commitment.review_due"
ESCALATED = "commitment.escalated"
SUBSCRIPTION_DISABLED = "subscription.disabled"
DELIVERY_EXHAUSTED = "delivery.exhausted"
CHAIN_BROKEN = "audit.chain_broken"
OPERATIONAL = (SUBSCRIPTION_DISABLED, DELIVERY_EXHAUSTED, CHAIN_BROKEN)
_CLOCK_TYPES = {
    OVERDUE: "overdue",
    DUE_SOON: "due_soon",
    REVIEW_DUE: "review_due",
    ESCALATED: "escalated",
}  # each its own kind
_EVENT_NAMES = {
    "MarkedOverdue": "overdue",
    "DueSoon": "due_soon",
    "ReviewDue": "review_due",
    "ConfirmedBySilence": "confirmed",  # its payload names the parties that stayed silent
}
RETRY_AFTER_STATUSES = frozenset({429, *range(500, 600)})  # "slow down" and server errors
MAX_RETRY_AFTER = timedelta(days=1)


def commitment_event_type(event_name: str) -> str:
    """``MarkedOverdue`` -> ``commitment.overdue``; ``DeliveryRejected`` -> ``commitment.delivery_rejected``."""
    name = _EVENT_NAMES.get(event_name) or re.sub(r"(?<!^)(?=[A-Z])", "_", event_name).lower()
    return f"commitment.{name}"


def kinds(values: list[str], field_name: str = "kinds") -> tuple[str, ...]:
    if not values:
        raise InvalidValue("ask for at least one kind: {kinds}", field_name, kinds=", ".join(KINDS))
    for index, value in enumerate(values):
        if value not in KINDS:
            raise InvalidValue(
                "unknown kind {value!r}; use {kinds}", f"{field_name}[{index}]", value=value, kinds=", ".join(KINDS)
            )
    return tuple(sorted(set(values)))


def wants(subscribed: tuple[str, ...] | list[str], event_type: str) -> bool:
    if "all" in subscribed:
        return True
    if event_type in OPERATIONAL:
        return "operations" in subscribed
    if event_type in _CLOCK_TYPES:
        return _CLOCK_TYPES[event_type] in subscribed
    return "lifecycle" in subscribed and event_type.startswith("commitment.")


def concerns(party_filter: list[str] | tuple[str, ...], parties: list[str] | tuple[str, ...]) -> bool:
    """A subscription limited to some parties hears of commitments they lead or support (and of the
    escalations that tell them)."""
    return not party_filter or bool(set(party_filter) & set(parties))


def retry_schedule(values: list[float], field_name: str = "retry_schedule") -> tuple[float, ...]:
    if not values or any(v <= 0 for v in values) or len(values) > 30:
        raise InvalidValue("the retry schedule is 1 to 30 positive delays in seconds", field_name)
    return tuple(values)


class DeliveryStatus(Enum):
    PENDING = "pending"  # to be sent (again), when its next attempt is due
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # every attempt used up; it can be resent


class SubscriptionStatus(Enum):
    ACTIVE = "active"
    PAUSED = "paused"  # deliveries are created and held until it is resumed
    DISABLED = "disabled"  # gone (410) or failing too long; resuming enables it again
    DELETED = "deleted"  # gone from the list; its delivery log stays readable


class Outcome(Enum):
    SUCCEEDED = "succeeded"
    RETRY = "retry"
    FAILED = "failed"  # no attempt left: exhausted
    GONE = "gone"  # the endpoint said 410


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    next_attempt_at: datetime | None = None
    disable_because: str | None = None  # the subscription must be disabled, for this reason

    @property
    def status(self) -> DeliveryStatus:
        """What becomes of the delivery."""
        if self.outcome is Outcome.SUCCEEDED:
            return DeliveryStatus.SUCCEEDED
        return DeliveryStatus.PENDING if self.outcome is Outcome.RETRY else DeliveryStatus.FAILED


def decide(
    status_code: int | None,
    retry_after: timedelta | None,
    attempts_made: int,
    schedule: tuple[float, ...],
    now: datetime,
    failing_since: datetime | None = None,
    failure_window: timedelta | None = None,
    jitter: random.Random | None = None,
) -> Decision:
    """What to do after an attempt. ``status_code`` is None when no answer came (timeout, refused).

    Only 2xx is success; a redirect is an answer like any other failure. After attempt n
    (1-based) the next waits ``schedule[n-1]`` seconds, up to a fifth longer at random so
    that many deliveries do not retry in step, or as long as the endpoint's ``Retry-After``
    asks on 429 and 5xx (up to a day). With the schedule used up, the delivery has failed.
    A subscription is disabled when its endpoint answers 410 Gone, or when it has been failing
    (since ``failing_since``, or now) for ``failure_window``.
    """
    if status_code is not None and 200 <= status_code < 300:
        return Decision(Outcome.SUCCEEDED)
    if status_code == 410:
        return Decision(Outcome.GONE, disable_because="the endpoint answered 410 Gone")
    since = failing_since or now
    disable = (
        f"failing since {since.isoformat()}" if failure_window is not None and now - since >= failure_window else None
    )
    if attempts_made > len(schedule):
        return Decision(Outcome.FAILED, disable_because=disable)
    delay = timedelta(seconds=schedule[attempts_made - 1] * (1 + (jitter or random).random() * 0.2))
    if status_code in RETRY_AFTER_STATUSES and retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return Decision(Outcome.RETRY, now + delay, disable)
