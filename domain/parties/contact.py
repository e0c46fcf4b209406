"""A party's contacts: the people told by e-mail of what is due soon, overdue and escalated for it,
in a digest once a day or once a week, in their language; or, if they chose ``immediate``, of each change
of state of what their party leads or supports, gathered at each look of the mailer.

A digest belongs to a period (``digest_period``): the day, or the week, whose sending hour has
passed most recently. One digest is sent per contact and period, however many workers look.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.errors import DomainError
from domain.identifiers import derived_id

MOST_CONTACTS = 20  # per party


class Frequency(Enum):
    DAILY = "daily"
    WEEKLY = "weekly"
    IMMEDIATE = "immediate"  # the changes of what its party leads or supports, as the mailer finds them
    NONE = "none"  # no digest (the contact unsubscribed, or asked for none)


@dataclass(frozen=True)
class Contact:
    """``address`` is normalised (``application.translation.mail_address``); ``language`` is the
    one the digests are written in. Its name and address are personal data (``domain.personal_data``):
    ``erased`` says they were erased, and are then empty."""

    id: UUID
    name: str
    address: str
    language: str
    frequency: Frequency
    erased: bool = False


def contact_id(party_id: UUID, address: str) -> UUID:
    """One address is one contact of a party, whatever its case."""
    return derived_id("contact", f"{party_id}:{address.casefold()}")


class UnknownContact(DomainError):
    def __init__(self, contact: UUID) -> None:
        super().__init__("the party has no contact {contact}", "contact_id", contact=contact)


class TooManyContacts(DomainError):
    def __init__(self) -> None:
        super().__init__("a party has at most {most} contacts", "address", most=MOST_CONTACTS)


@dataclass(frozen=True)
class DigestTime:
    """When digests are sent: at ``hour`` o'clock in ``time_zone``, weekly ones on ``weekday``
    (0: Monday)."""

    hour: int = 7
    weekday: int = 0
    time_zone: str = "UTC"


def digest_period(frequency: Frequency, now: datetime, when: DigestTime) -> str | None:
    """The period whose digest is due at ``now``: ``daily:2026-12-02`` from that day's sending hour
    until the next day's, ``weekly:2026-11-30`` (the day it is sent) for a week. None: no digest (an
    ``immediate`` contact is told of changes instead: ``immediate_period``)."""
    if frequency in (Frequency.NONE, Frequency.IMMEDIATE):
        return None
    local = now.astimezone(ZoneInfo(when.time_zone))
    day: date = local.date() if local.hour >= when.hour else local.date() - timedelta(days=1)
    if frequency is Frequency.DAILY:
        return f"daily:{day.isoformat()}"
    day -= timedelta(days=(day.weekday() - when.weekday) % 7)
    return f"weekly:{day.isoformat()}"


def ask_period(commitment_id: str, declared_at: datetime) -> str:
    """The e-mail that asks a contact for its party's word on a pending change (one per change)."""
    digest = hashlib.sha256(f"{commitment_id}:{declared_at.isoformat()}".encode()).hexdigest()
    return f"ask:{digest[:20]}"


def immediate_period(number: int) -> str:
    """The ``number``-th e-mail of changes sent to a contact (0: the mark of when it began to want them)."""
    return f"immediate:{number}"
