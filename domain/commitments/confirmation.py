"""Every party confirms, or stays silent: a change of state that binds others waits for their word.

A change that binds the other parties of a commitment (``BINDING``: delivered, an assessment, a new due,
cancellation, supersession) made by one party (a key limited to its parties, a focal point's link) becomes
*pending* when the commitment has other parties: each of them confirms or objects. An agreement may require
it of every change, whoever makes it (``Rule.REQUIRED``); by default (``Rule.NONE``) a change made by a key of
every party takes effect at once, as it always did.

It takes effect when every awaited party has confirmed, or when the agreement's silence period has passed
with no objection (consent by silence, as the EU Council, NATO and the OSCE adopt texts). Silence counts only
for a party that was told (it has a contact or a key of its own); a party nobody can reach leaves the change
waiting for an administrator. An objection makes it disputed, with its reason, until withdrawn or overruled
by an administrator with a reason. The change takes effect on the effective axis from the day it was
declared; the day it was confirmed is its event's own.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any
from uuid import UUID

from domain.commitments.lifecycle import Action
from domain.errors import DomainError, InvalidValue

BINDING = (Action.DELIVER, Action.ASSESS, Action.REVISE_DUE, Action.CANCEL, Action.SUPERSEDE)
DEFAULT_SILENCE_DAYS = 14
MOST_SILENCE_DAYS = 365


class Rule(Enum):
    NONE = "none"  # a change by a key of every party takes effect at once; one party's waits for the others
    REQUIRED = "required"  # every binding change waits for the parties' word, whoever makes it


def silence_days(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MOST_SILENCE_DAYS:
        raise InvalidValue("the silence period is 1 to {most} days", "silence_days", most=MOST_SILENCE_DAYS)
    return value


def awaited(rule: Rule, parties: tuple[UUID, ...], proposing: frozenset[UUID] | None) -> tuple[UUID, ...]:
    """The parties whose word a binding change waits for (none: it takes effect at once). ``proposing``: the
    parties of the key, person or focal point making it (None: a key of every party)."""
    if proposing is None:
        return parties if rule is Rule.REQUIRED else ()
    return tuple(party for party in parties if party not in proposing)


@dataclass(frozen=True)
class PendingChange:
    """A binding change waiting for the parties' word: the action, what it would record, who declared it and
    when, whose word it waits for (those no one can reach among them), and until when silence is consent
    (None: someone must act, an awaited party being unreachable)."""

    action: str  # an ``Action`` value of ``BINDING``
    arguments: dict[str, Any]
    proposed_by: str  # the actor
    proposing: tuple[UUID, ...]  # the proposer's parties among the commitment's (none: a key of every party)
    awaiting: tuple[UUID, ...]
    unreachable: tuple[UUID, ...]
    declared_at: datetime
    silence_until: datetime | None

    def __post_init__(self) -> None:
        for name in ("proposing", "awaiting", "unreachable"):
            object.__setattr__(self, name, tuple(getattr(self, name)))


@dataclass(frozen=True)
class Objection:
    party_id: UUID
    reason: str
    actor: str
    at: datetime


def silence_ends(declared_at: datetime, days: int, unreachable: tuple[UUID, ...]) -> datetime | None:
    """When silence becomes consent: ``days`` after it was declared; never while an awaited party is one
    nobody can reach (an administrator decides)."""
    return None if unreachable else declared_at + timedelta(days=days)


class ChangePending(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "a change of this commitment is waiting for its parties' confirmation: it is confirmed, withdrawn or "
            "overruled first",
            "action",
        )


class NothingPending(DomainError):
    def __init__(self) -> None:
        super().__init__("no change of this commitment is waiting for confirmation", "action")


class NotAwaited(DomainError):
    def __init__(self, party: UUID) -> None:
        super().__init__("the pending change does not wait for the word of party {party}", "party_id", party=party)
