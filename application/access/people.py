"""People's accounts (``domain.people``): the first administrator made by the operator, people invited by an
administrator, a password chosen through the invitation's link, and a person found by their address and
password. Who may: the operator (the first administrator), administrators (invitations, roles, disabling).
The pages and the API will call these (issue 40); the credentials stay beside the log (decision 0075)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from application import policy, translation
from application.errors import AlreadyExists
from application.participation.focal_points import LinkNoLongerWorks
from application.ports import PersonCredentials
from application.storage.saving import Records, new
from domain.access import Principal, Role
from domain.choices import choice
from domain.errors import N_
from domain.people.passwords import checked_password
from domain.people.person import Person, PersonDetails, person_id
from domain.text import SHORT_TEXT_MAX, clean_text, language_code

INVITATION_DAYS = 7
USED = N_("this invitation was used already: ask an administrator for a new one")
EXPIRED = N_("this invitation has expired: ask an administrator for a new one")
OPERATOR = "operator"  # the actor of what the command line does with server access


@dataclass(frozen=True)
class Invitation:
    person_id: str
    token: str  # shown once: the link's last part


class People:
    def __init__(
        self,
        records: Records,
        credentials: PersonCredentials,
        is_common: Callable[[str], bool],
        invitation_days: int = INVITATION_DAYS,
    ) -> None:
        self.records = records
        self.credentials = credentials
        self.is_common = is_common
        self.valid_for = timedelta(days=invitation_days)

    def create_admin(self, name: str, address: str, language: str = "en") -> Invitation:
        """The first administrator, made by the operator with server access (no e-mail is sent)."""
        return self._invited(OPERATOR, name, address, Role.ADMIN.value, (), language)

    def invite(
        self,
        caller: Principal,
        name: str,
        address: str,
        role: str,
        party_scope: Sequence[UUID] = (),
        language: str = "en",
    ) -> Invitation:
        actor = policy.administers(caller).id
        return self._invited(actor, name, address, role, party_scope, language)

    def _invited(
        self, actor: str, name: str, address: str, role: str, party_scope: Sequence[UUID], language: str
    ) -> Invitation:
        mailbox = translation.mail_address(address)
        details = PersonDetails(person_id(mailbox), clean_text(name, "name", SHORT_TEXT_MAX).strip(), mailbox)
        if self.records.load(Person, details.id) is not None:
            raise AlreadyExists("a person with this address has an account already", "address")
        person = new(
            Person,
            Person.Invited,  # type: ignore[attr-defined]  # made by the @event decorator, unseen by mypy
            details.id,
            details=details,
            role=choice(Role, role, "role"),
            party_scope=tuple(party_scope),
            language=language_code(language),
            actor=actor,
            timestamp=self.records.now(),
        )
        self.records.create(person)
        return Invitation(str(details.id), self.credentials.invite(str(details.id), self.valid_for))

    def choose_password(self, token: str, password: str) -> Principal:
        """The invitation's person chooses a password: held to the rules (``domain.people.passwords``), kept
        hashed beside the log, the invitation used; the account is active."""
        found = self.credentials.invited(token)
        policy.follows_link(found is not None)
        assert found is not None  # policy.follows_link: an invitation this service made
        invited, state = found
        if state != "works":
            raise LinkNoLongerWorks(USED if state == "used" else EXPIRED)
        person = self.records.get(Person, UUID(invited))
        checked_password(password, person.details, self.is_common)
        if not self.credentials.choose(token, str(person.id), password):
            raise LinkNoLongerWorks(USED)
        chosen = self.records.change(Person, person.id, None, lambda p, when: p.choose_password(f"person:{p.id}", when))
        return principal_of(chosen)

    def signed_in(self, address: str, password: str) -> Principal | None:
        """The person with this address and password, if their account signs in; None otherwise (the same
        answer, and the same time, for an unknown address)."""
        try:
            wanted = person_id(translation.mail_address(address))
        except ValueError:
            wanted = person_id("")
        right = self.credentials.verify(str(wanted), password)
        person = self.records.load(Person, wanted) if right else None
        return principal_of(person) if isinstance(person, Person) and person.signs_in else None

    def principal(self, held_by: str) -> Principal | None:
        """The principal of a person's account as it is now (``person:<id>``); None once it signs in no more."""
        try:
            person = self.records.load(Person, UUID(held_by.removeprefix("person:")))
        except ValueError:
            return None
        return principal_of(person) if isinstance(person, Person) and person.signs_in else None

    def disable(self, caller: Principal, person: UUID, reason: str | None = None) -> None:
        """The person signs in no more: every session of theirs ends at its next request, on every process."""
        actor = policy.administers(caller).id
        why = translation.reason(reason)
        self.records.change(Person, person, None, lambda found, when: found.disable(why, actor, when))


def principal_of(person: Person) -> Principal:
    scope = frozenset(str(p) for p in person.party_scope) or None
    return Principal(f"person:{person.id}", person.details.name, person.role, scope)
