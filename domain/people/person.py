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
        self.second_factor_required = False  # asked for by an administrator (always so for an administrator)
        self.organisation: str | None = None  # the identity provider (issuer) they signed in through, if any
        self.has_password = False  # chose one through an invitation (or signs in through the organisation's)
        self.second_factor = False  # enrolled: a code from an authenticator app is asked at each sign-in
        self.generation = 0  # counts the changes that end the person's sessions (role, disabling, second factor)

    @property
    def signs_in(self) -> bool:
        return self.standing is Standing.ACTIVE

    @property
    def needs_second_factor(self) -> bool:
        """An administrator signs in with a second factor, and anyone an administrator asked to."""
        return self.role is Role.ADMIN or self.second_factor_required

    def join_through_organisation(self, issuer: str, actor: str, when: datetime) -> None:
        """The person signed in through their organisation's identity provider for the first time: the account
        is active (an invitation they had not used stops mattering)."""
        if self.standing is Standing.DISABLED:
            raise InvalidValue("the account is disabled: an administrator enables it first", "standing")
        self._joined_through_organisation(issuer=issuer, actor=actor, timestamp=when)

    @event("JoinedThroughOrganisation")
    def _joined_through_organisation(self, issuer: str, actor: str, timestamp: datetime) -> None:
        self.standing = Standing.ACTIVE
        self.organisation = issuer

    def reinvite(self, actor: str, when: datetime) -> None:
        """A new invitation sent (the earlier one stops working): only to someone who has not signed in yet."""
        if self.standing is not Standing.INVITED:
            raise InvalidValue("the person chose a password already: they can reset it from the sign-in page", "person")
        self._reinvited(actor=actor, timestamp=when)

    @event("Reinvited")
    def _reinvited(self, actor: str, timestamp: datetime) -> None:
        pass

    def require_second_factor(self, required: bool, actor: str, when: datetime) -> None:
        if required == self.second_factor_required:
            raise InvalidValue("the second factor is so already", "required")
        if not required and self.role is Role.ADMIN:
            raise InvalidValue("an administrator always signs in with a second factor", "required")
        self._second_factor_required(required=required, actor=actor, timestamp=when)

    @event("SecondFactorRequired")
    def _second_factor_required(self, required: bool, actor: str, timestamp: datetime) -> None:
        self.second_factor_required = required
        if required and not self.second_factor:
            self.generation += 1  # signed in again, they set it up first

    def enrol_second_factor(self, actor: str, when: datetime) -> None:
        """The person set up an authenticator app (its secret is kept beside the log, never in an event)."""
        if self.standing is not Standing.ACTIVE:
            raise InvalidValue("the account does not sign in", "standing")
        self._second_factor_enrolled(actor=actor, timestamp=when)

    @event("SecondFactorEnrolled")
    def _second_factor_enrolled(self, actor: str, timestamp: datetime) -> None:
        self.second_factor = True
        self.generation += 1

    def reset_second_factor(self, reason: str | None, actor: str, when: datetime) -> None:
        """The person lost their authenticator: they set up a new one at their next sign-in."""
        if not self.second_factor:
            raise InvalidValue("the person has no second factor", "person")
        self._second_factor_reset(reason=reason, actor=actor, timestamp=when)

    @event("SecondFactorReset")
    def _second_factor_reset(self, reason: str | None, actor: str, timestamp: datetime) -> None:
        self.second_factor = False
        self.generation += 1

    @property
    def may_choose_password(self) -> bool:
        return self.standing is not Standing.DISABLED

    def choose_password(self, actor: str, when: datetime) -> None:
        """The person chose a password (or a new one): the account is active. A disabled one stays disabled."""
        if self.standing is Standing.DISABLED:
            raise InvalidValue("the account is disabled: an administrator enables it first", "password")
        self._password_chosen(actor=actor, timestamp=when)

    @event("PasswordChosen")
    def _password_chosen(self, actor: str, timestamp: datetime) -> None:
        self.standing = Standing.ACTIVE
        self.has_password = True
        self.generation += 1  # a new password ends the sessions opened with the old one

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
        self.generation += 1

    def disable(self, reason: str | None, actor: str, when: datetime) -> None:
        if self.standing is Standing.DISABLED:
            raise InvalidValue("the account is disabled already", "standing")
        self._disabled(reason=reason, actor=actor, timestamp=when)

    @event("Disabled")
    def _disabled(self, reason: str | None, actor: str, timestamp: datetime) -> None:
        self.standing = Standing.DISABLED
        self.generation += 1

    def erase(self, actor: str, when: datetime) -> None:
        """The person's name and address are erased (their key deleted beside the log): the account signs in no
        more, and is shown as an erased person wherever it acted."""
        self._erased(actor=actor, timestamp=when)

    @event("Erased")
    def _erased(self, actor: str, timestamp: datetime) -> None:
        self.standing = Standing.DISABLED
        self.generation += 1

    def enable(self, reason: str | None, actor: str, when: datetime) -> None:
        """Enabled again: active if it had chosen a password, else invited."""
        if self.standing is not Standing.DISABLED:
            raise InvalidValue("the account is not disabled", "standing")
        if self.details.erased:
            raise InvalidValue("the person was erased: their account cannot be enabled again", "standing")
        self._enabled(reason=reason, actor=actor, timestamp=when)

    @event("Enabled")
    def _enabled(self, reason: str | None, actor: str, timestamp: datetime) -> None:
        self.standing = Standing.ACTIVE if self.has_password or self.organisation else Standing.INVITED
