"""Who may do what: the roles an API key can hold, and the parties a key may be limited to."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import Enum


class Role(Enum):
    ADMIN = "admin"  # everything, including managing keys
    COORDINATOR = "coordinator"  # records and changes meetings, agreements, commitments
    AUDITOR = "auditor"  # reads everything, writes nothing

    @property
    def can_write(self) -> bool:
        return self in (Role.ADMIN, Role.COORDINATOR)

    @property
    def can_administer(self) -> bool:
        return self is Role.ADMIN

    @property
    def can_audit(self) -> bool:
        """Reads the audit record: the signed head, the chain's verification, the export bundle, refusals."""
        return self in (Role.ADMIN, Role.AUDITOR)

    @property
    def can_keep_calendar_feeds(self) -> bool:
        """Makes calendar feeds: a feed is a lasting secret address, made by those who record, not auditors."""
        return self.can_write


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key's id is the actor recorded on every event it causes."""

    id: str
    name: str
    role: Role
    party_scope: frozenset[str] | None = None  # the parties whose commitments it may change; None: all


def may_change_commitment(scope: Collection[str] | None, parties: Iterable[str]) -> bool:
    """A key limited to some parties changes only the commitments they lead or support."""
    return scope is None or any(party in scope for party in parties)


def may_change_other_records(scope: Collection[str] | None) -> bool:
    """Parties, meetings, agreements and subscriptions are changed only by keys not limited to parties."""
    return scope is None
