"""A person's account: invited by an administrator (or made by the operator for the first administrator), active
once they chose a password, its role and the parties it may be limited to changed, disabled and enabled again.
Each change is an event. The person's name and e-mail address are personal data (``domain.personal_data``),
sealed in the events; the password itself is never in an event (decision 0075): the event says it was chosen."""

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.access import Role
from domain.errors import InvalidValue
from domain.identifiers import derived_id


class Standing(Enum):
    INVITED = "invited"  # asked to choose a password
    ACTIVE = "active"  # signs in
    DISABLED = "disabled"  # signs in no more; its sessions end


@dataclass(frozen=True)
class PersonDetails:
    """Who the person is: ``address`` is normalised (``application.translation.mail_address``). Personal data:
    ``erased`` says they were erased, and are then empty."""

    id: UUID
    name: str
    address: str
    erased: bool = False


def person_id(address: str) -> UUID:
    """One e-mail address is one person, whatever its case."""
    return derived_id("person", address.casefold())


class Person(Aggregate):
    @staticmethod
    def create_id(details: PersonDetails, **_: object) -> UUID:
        return details.id

    @event("Invited")
    def __init__(
        self,
        details: PersonDetails,
        role: Role,
        party_scope: tuple[UUID, ...],
        language: str,
        actor: str,
        timestamp: datetime,
    ) -> None:
        self.details = details
        self.role = role
        self.party_scope = tuple(party_scope)  # the parties whose commitments it may change; none: all
        self.language = language
        self.standing = Standing.INVITED

    @property
    def signs_in(self) -> bool:
        return self.standing is Standing.ACTIVE

    @property
    def needs_second_factor(self) -> bool:
        """An administrator signs in with a second factor (issue 40): the rule the sign-in will hold to."""
        return self.role is Role.ADMIN

    def choose_password(self, actor: str, when: datetime) -> None:
        """The person chose a password (or a new one): the account is active. A disabled one stays disabled."""
        if self.standing is Standing.DISABLED:
            raise InvalidValue("the account is disabled: an administrator enables it first", "password")
        self._password_chosen(actor=actor, timestamp=when)

    @event("PasswordChosen")
    def _password_chosen(self, actor: str, timestamp: datetime) -> None:
        self.standing = Standing.ACTIVE

    def change_role(
        self, role: Role, party_scope: tuple[UUID, ...], reason: str | None, actor: str, when: datetime
    ) -> None:
        if party_scope and role is not Role.COORDINATOR:
            raise InvalidValue("only a coordinator is limited to some parties", "party_scope")
        if (role, tuple(party_scope)) == (self.role, self.party_scope):
            raise InvalidValue("the person has this role and these parties already", "role")
        self._role_changed(role=role, party_scope=tuple(party_scope), reason=reason, actor=actor, timestamp=when)

    @event("RoleChanged")
    def _role_changed(
        self, role: Role, party_scope: tuple[UUID, ...], reason: str | None, actor: str, timestamp: datetime
    ) -> None:
        self.role = role
        self.party_scope = tuple(party_scope)

    def disable(self, reason: str | None, actor: str, when: datetime) -> None:
        if self.standing is Standing.DISABLED:
            raise InvalidValue("the account is disabled already", "standing")
        self._disabled(reason=reason, actor=actor, timestamp=when)

    @event("Disabled")
    def _disabled(self, reason: str | None, actor: str, timestamp: datetime) -> None:
        self.standing = Standing.DISABLED

    def enable(self, reason: str | None, actor: str, when: datetime) -> None:
        """Enabled again: active if it had chosen a password, else invited."""
        if self.standing is not Standing.DISABLED:
            raise InvalidValue("the account is not disabled", "standing")
        self._enabled(reason=reason, actor=actor, timestamp=when)

    @event("Enabled")
    def _enabled(self, reason: str | None, actor: str, timestamp: datetime) -> None:
        self.standing = Standing.ACTIVE
