"""People's accounts (``domain.people``): the first administrator made by the operator, people invited by an
administrator (by e-mail), a password chosen through the invitation's link or a reset link, signing in with
an address, a password and, where it is set up or required, a second factor; the administrators' changes
(role and parties, second factor required, disabled, enabled, invitation sent again). Who may: the operator
(the first administrator, resetting a second factor), administrators (the rest), the person themself (their
password and second factor, proven by the step they reached). The credentials stay beside the log
(decision 0075)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from application import policy, translation
from application.errors import AlreadyExists, ApplicationError, NotAllowed, NotFound
from application.participation.focal_points import LinkNoLongerWorks
from application.ports import (
    AccountLink,
    InClear,
    Letters,
    PersonAccounts,
    PersonAddresses,
    PersonalSeal,
    PersonCredentials,
    SignInHolds,
)
from application.storage.saving import Records, new
from domain.access import Principal, Role
from domain.choices import choice
from domain.errors import N_, InvalidValue
from domain.identifiers import time_ordered_id
from domain.people.organisation import ClaimRule, OrganisationPerson
from domain.people.passwords import checked_password
from domain.people.person import Person, PersonDetails, person_id
from domain.text import SHORT_TEXT_MAX, clean_text, language_code

INVITATION_DAYS = 7
RESET_VALID_FOR = timedelta(hours=1)
RESET_EVERY = timedelta(minutes=5)  # at most one reset link in so long
UNKNOWN = UUID(int=0)  # what an address without an account is checked against (the same Argon2id time)
USED = N_("this invitation was used already: ask an administrator for a new one")
EXPIRED = N_("this invitation has expired: ask an administrator for a new one")
WRONG_CODE = N_("this is not the code your authenticator shows now: try the next one")
OPERATOR = "operator"  # the actor of what the command line does with server access


class AccountHeld(ApplicationError):
    """Too many wrong passwords or codes in a row for this account: its next attempt waits."""

    def __init__(self, wait: timedelta) -> None:
        seconds = max(1, int(wait.total_seconds() + 0.999))
        super().__init__(N_("too many wrong attempts for this account: retry in {seconds} s"), None, seconds=seconds)
        self.seconds = seconds
        self.headers = {"Retry-After": str(seconds)}


@dataclass(frozen=True)
class Invitation:
    person_id: str
    token: str  # shown once: the link's last part
    mailed: bool = False  # the e-mail was handed to the mail server


@dataclass(frozen=True)
class Passed:
    """A person who proved who they are so far: ``step`` says what is left: ``done`` (signed in), ``code`` (their
    authenticator's code), ``enrol`` (they must set up a second factor first)."""

    person_id: str
    step: str
    principal: Principal
    holder: str  # what their session holds: ``person:<id>@<generation>``, ended when the person changes
    language: str = ""  # the language of their pages, as they were invited


@dataclass(frozen=True)
class PersonView:
    id: str
    name: str
    address: str
    role: str
    party_scope: list[str]
    language: str
    standing: str
    second_factor_required: bool
    second_factor: bool
    last_sign_in: datetime | None
    version: int


class People:
    def __init__(
        self,
        records: Records,
        credentials: PersonCredentials,
        accounts: PersonAccounts,
        addresses: PersonAddresses,
        holds: SignInHolds,
        is_common: Callable[[str], bool],
        letters: Letters,
        seal: PersonalSeal | None = None,
        revoke_keys_held_by: Callable[[str], int] = lambda _: 0,
        invitation_days: int = INVITATION_DAYS,
        key_sign_in: str = "auto",
    ) -> None:
        """``key_sign_in``: whether the pages take an API key: ``on``, ``off``, or ``auto`` (until the first person
        account exists)."""
        self.records = records
        self.credentials = credentials
        self.accounts = accounts
        self.addresses = addresses
        self.holds = holds
        self.is_common = is_common
        self.letters = letters
        self.seal: PersonalSeal = seal or InClear()
        self.revoke_keys_held_by = revoke_keys_held_by  # a person's API keys stop when their account does
        self.valid_for = timedelta(days=invitation_days)
        self.keys_sign_in = key_sign_in

    def key_sign_in(self) -> bool:
        """Whether the pages take an API key (service accounts) beside people's own sign-in."""
        return self.keys_sign_in == "on" or (self.keys_sign_in == "auto" and not self.accounts.any())

    # Made and invited

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
        """The person is e-mailed a link to choose a password (``mailed``: it was handed to the mail server)."""
        actor = policy.administers(caller).id
        invitation = self._invited(actor, name, address, role, party_scope, language)
        return self._mailed(invitation, "invitation", self.valid_for, inviter=caller.name)

    def resend(self, caller: Principal, person: UUID) -> Invitation:
        """A new invitation e-mailed (the earlier link stops working), to someone who has not signed in yet."""
        actor = policy.administers(caller).id
        found = self.records.change(Person, person, None, lambda p, when: p.reinvite(actor, when))
        invitation = Invitation(str(found.id), self.credentials.invite(str(found.id), self.valid_for))
        return self._mailed(invitation, "invitation", self.valid_for, inviter=caller.name)

    def ask_reset(self, address: str) -> None:
        """A link to choose a new password, valid for an hour, e-mailed to the address if it is an active
        account's (at most one every few minutes); nothing otherwise, and the same answer (who has an account is
        not told, and the e-mail is handed over in the background)."""
        found = self._found(address)
        person = None if found is None else self.records.load(Person, found)
        if not isinstance(person, Person) or not person.signs_in or not person.has_password:
            return
        if self.credentials.made_since(str(person.id), self.records.now() - RESET_EVERY, RESET_VALID_FOR):
            return  # one was sent moments ago: a mailbox is not flooded with links
        token = self.credentials.invite(str(person.id), RESET_VALID_FOR)
        self._mailed(Invitation(str(person.id), token), "reset", RESET_VALID_FOR, wait=False)

    def _mailed(
        self, invitation: Invitation, kind: str, valid_for: timedelta, inviter: str | None = None, wait: bool = True
    ) -> Invitation:
        person = self.records.get(Person, UUID(invitation.person_id))
        details = person.details
        link = AccountLink(
            kind,
            details.name,
            details.address,
            person.language,
            invitation.token,
            valid_for,
            inviter,
            person.role.value,
        )
        try:
            self.letters.account_link(link, wait)
        except Exception:  # noqa: BLE001 - the mail server refused or is away (logged): the account stays, sent again later
            return invitation
        return Invitation(invitation.person_id, invitation.token, mailed=wait)

    def _found(self, address: str) -> UUID | None:
        """The account an address signs in to, if any (an account made before ids were random is found by the
        id its address gave it, and its address kept for it)."""
        try:
            mailbox = translation.mail_address(address)
        except (ValueError, InvalidValue):
            return None
        kept = self.addresses.find(mailbox)
        if kept is not None:
            return UUID(kept)
        earlier = self.records.load(Person, person_id(mailbox))
        if isinstance(earlier, Person) and not earlier.details.erased:
            self.addresses.claim(mailbox, str(earlier.id))
            return earlier.id
        return None

    def id_of(self, address: str) -> UUID:
        """The id of the account this address signs in to: ``NotFound`` if none."""
        found = self._found(address)
        if found is None:
            raise NotFound("person", "", N_("no account has the address {address}"), address=address[:320])
        return found

    def _invited(
        self, actor: str, name: str, address: str, role: str, party_scope: Sequence[UUID], language: str
    ) -> Invitation:
        mailbox = translation.mail_address(address)
        written = clean_text(name, "name", SHORT_TEXT_MAX).strip()
        if not any(character.isalnum() for character in written):
            raise InvalidValue("a name has letters or digits", "name")
        taken = AlreadyExists("a person with this address has an account already", "address")
        if self._found(mailbox) is not None:
            raise taken
        details = PersonDetails(time_ordered_id(), written, mailbox)
        if not self.addresses.claim(mailbox, str(details.id)):
            raise taken
        try:
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
        except Exception:
            self.addresses.forget(str(details.id))
            raise
        self.accounts.made(str(details.id))
        return Invitation(str(details.id), self.credentials.invite(str(details.id), self.valid_for))

    # Signing in

    def link_state(self, token: str) -> str | None:
        """What became of a link to choose a password: ``works``, ``used``, ``expired``; None: none has this token.
        Asked by the link's own page (the token is the credential)."""
        found = self.credentials.invited(token)
        return None if found is None else found[1]

    def choose_password(self, token: str, password: str) -> Passed:
        """The link's person chooses a password: held to the rules (``domain.people.passwords``), kept hashed
        beside the log, the link used; the account is active, and the person's other sessions end."""
        found = self.credentials.invited(token)
        policy.follows_link(found is not None)
        assert found is not None  # policy.follows_link: an invitation this service made
        invited, state = found
        if state != "works":
            raise LinkNoLongerWorks(USED if state == "used" else EXPIRED)
        person = self.records.get(Person, UUID(invited))
        if not person.may_choose_password:
            raise InvalidValue("the account is disabled: an administrator enables it first", "password")
        checked_password(password, person.details, self.is_common)
        if not self.credentials.choose(token, str(person.id), password):
            raise LinkNoLongerWorks(USED)
        chosen = self.records.change(Person, person.id, None, lambda p, when: p.choose_password(f"person:{p.id}", when))
        return self._passed(chosen)

    def password_step(self, address: str, password: str) -> Passed | None:
        """The person with this address and password, and what is left to sign in; None if the password is wrong
        or the account does not sign in (the same answer, and the same time, for an address without an account).
        Each attempt is counted before it is checked: ``AccountHeld`` after too many in a row."""
        try:  # the subject held: the address as an account would keep it (its case and form do not matter)
            subject = f"address:{translation.mail_address(address)}"
        except (ValueError, InvalidValue):
            subject = f"address:{address.strip()[:320]}"
        self._not_held(subject)
        found = self._found(address)
        right = self.credentials.verify(str(found or UNKNOWN), password)
        person = self.records.load(Person, found) if right and found is not None else None
        if not isinstance(person, Person) or not person.signs_in:
            return None
        self.holds.passed(subject)
        return self._passed(person)

    def code_step(self, person: str, code: str) -> Passed | None:
        """The person's authenticator code (or one of their recovery codes) after their password: signed in."""
        subject = f"code:{person}"
        self._not_held(subject)
        found = self.records.load(Person, UUID(person))
        if not isinstance(found, Person) or not found.signs_in or self.accounts.check_code(person, code) is None:
            return None
        self.holds.passed(subject)
        self.accounts.signed_in(person)
        return Passed(person, "done", principal_of(found), holder_of(found), found.language)

    def organisation_step(
        self,
        found: OrganisationPerson,
        issuer: str,
        rules: Sequence[ClaimRule],
        create: bool = True,
        trust_second_factor: bool = True,
    ) -> Passed:
        """A person the organisation's identity provider signed in (``infrastructure.people.organisation`` checked
        its ID token): let in if a rule admits them (``domain.people.organisation``); their account made at the
        first sign-in when allowed, with the rule's role and parties, or the account invited for their address
        activated. Their second factor is not asked again when the provider says one was used, unless the
        deployment says so. Refused: ``NotAllowed``."""
        rule = found.admitted(rules)
        policy.signs_in_through_organisation(rule is not None)
        assert rule is not None  # policy: refused otherwise
        known = self._found(found.address)
        actor = f"organisation:{issuer}"[:200]
        if known is None:
            if not create:
                raise NotAllowed("your organisation signed you in, but this deployment has no account for you yet")
            known = UUID(self._invited(actor, found.name, found.address, rule.role.value, rule.parties, "en").person_id)
        wanted = known
        person = self.records.get(Person, wanted)
        assert isinstance(person, Person)
        if person.organisation != issuer:
            person = self.records.change(
                Person, wanted, None, lambda p, when: p.join_through_organisation(issuer, actor, when)
            )
        if not person.signs_in:
            raise NotAllowed("this account is disabled: an administrator can enable it")
        if trust_second_factor and found.used_second_factor:
            self.accounts.signed_in(str(wanted))
            return Passed(str(wanted), "done", principal_of(person), holder_of(person), person.language)
        return self._passed(person)

    def _not_held(self, subject: str) -> None:
        wait = self.holds.attempt(subject)
        if wait is not None:
            raise AccountHeld(wait)

    def _passed(self, person: Person) -> Passed:
        pid = str(person.id)
        if self.accounts.has_second_factor(pid):
            step = "code"
        elif person.needs_second_factor:
            step = "enrol"
        else:
            step = "done"
            self.accounts.signed_in(pid)
        return Passed(pid, step, principal_of(person), holder_of(person), person.language)

    # The second factor, set up by the person

    def new_second_factor(self, person: str) -> tuple[str, str]:
        """A secret for the person's authenticator app, shown (text and ``otpauth://`` address for a QR code)
        until a code it makes confirms it. ``person``: proven by the step they reached, or their session."""
        found = self._person(person)
        if self.accounts.has_second_factor(person):
            raise InvalidValue("a second factor is set up already", "code")
        return self.accounts.secret_to_confirm(person, found.details.address)

    def confirm_second_factor(self, person: str, code: str) -> tuple[Passed, list[str]]:
        """The secret shown is in use: the person is signed in, and given their recovery codes, shown once."""
        self._not_held(f"code:{person}")
        self._person(person)
        codes = self.accounts.confirm_secret(person, code)
        if codes is None:
            raise InvalidValue(WRONG_CODE, "code")
        self.holds.passed(f"code:{person}")
        enrolled = self.records.change(
            Person, UUID(person), None, lambda p, when: p.enrol_second_factor(f"person:{p.id}", when)
        )
        self.accounts.signed_in(person)
        return Passed(person, "done", principal_of(enrolled), holder_of(enrolled), enrolled.language), codes

    def confirm_own_second_factor(self, caller: Principal, code: str, password: str) -> tuple[Passed, list[str]]:
        """A signed-in person sets up a second factor from their account page: their password is asked again,
        so that a session taken over cannot bind the account to someone else's authenticator."""
        person = self._person(policy.own_account(caller))
        if person.has_password:
            self._proved(person, password)
        return self.confirm_second_factor(str(person.id), code)

    def _proved(self, person: Person, password: str) -> None:
        """The signed-in person typed their password again (counted with the attempts at their address)."""
        subject = f"address:{person.details.address}"
        self._not_held(subject)
        if not self.credentials.verify(str(person.id), password):
            raise InvalidValue("this is not your password", "password")
        self.holds.passed(subject)

    def change_password(self, caller: Principal, current: str, new: str) -> Passed:
        """A signed-in person chooses another password, typing the one they have: held to the same rules; their
        other sessions end (a ``PasswordChosen`` event)."""
        person = self._person(policy.own_account(caller))
        if not person.has_password:
            raise InvalidValue("you sign in through your organisation: your password is theirs to change", "password")
        self._proved(person, current)
        checked_password(new, person.details, self.is_common)
        self.credentials.replace(str(person.id), new)
        chosen = self.records.change(Person, person.id, None, lambda p, when: p.choose_password(f"person:{p.id}", when))
        return Passed(str(chosen.id), "done", principal_of(chosen), holder_of(chosen), chosen.language)

    def new_recovery_codes(self, caller: Principal, password: str) -> list[str]:
        """Ten new recovery codes for a signed-in person who has a second factor (password typed again); the
        earlier ones stop working."""
        person = self._person(policy.own_account(caller))
        if not self.accounts.has_second_factor(str(person.id)):
            raise InvalidValue("the person has no second factor", "person")
        if person.has_password:
            self._proved(person, password)
        return self.accounts.new_recovery_codes(str(person.id))

    def reset_second_factor(self, address: str, reason: str | None = None) -> None:
        """The operator, with server access, for a person who lost their authenticator and recovery codes: both
        stop working, the person's sessions end, and they set up a new one at their next sign-in."""
        wanted = self.id_of(address)
        why = translation.reason(reason)
        self.records.change(Person, wanted, None, lambda p, when: p.reset_second_factor(why, OPERATOR, when))
        self.accounts.forget_second_factor(str(wanted))

    def _person(self, person: str) -> Person:
        found = self.records.load(Person, UUID(person))
        if not isinstance(found, Person) or not found.signs_in:
            raise NotFound("person", person)
        return found

    # Sessions

    def principal(self, held_by: str) -> Principal | None:
        """The principal of the session's person as they are now (``person:<id>@<generation>``); None once they
        sign in no more, or were changed since (another role, disabled, second factor reset or set up)."""
        person_part, _, generation = held_by.removeprefix("person:").partition("@")
        try:
            person = self.records.load(Person, UUID(person_part))
        except ValueError:
            return None
        if not isinstance(person, Person) or not person.signs_in or generation != str(person.generation):
            return None
        return principal_of(person)

    def role_of(self, holder: str) -> Role | None:
        """The role of the active account ``person:<id>`` names (one that may hold an API key); None: none."""
        try:
            person = self.records.load(Person, UUID(holder.removeprefix("person:")))
        except ValueError:
            return None
        return person.role if isinstance(person, Person) and person.signs_in else None

    def name_of(self, actor: str) -> str | None:
        """The name of the person an event's actor (``person:<id>``) names, as it is now; None: erased or unknown."""
        try:
            person = self.records.load(Person, UUID(actor.removeprefix("person:").partition("@")[0]))
        except ValueError:
            return None
        return person.details.name if isinstance(person, Person) and not person.details.erased else None

    def second_factor_of(self, caller: Principal) -> dict[str, Any]:
        """A signed-in person's own second factor: set up, required, recovery codes left."""
        person = self._person(policy.own_account(caller))
        pid = str(person.id)
        return {
            "address": person.details.address,
            "set_up": self.accounts.has_second_factor(pid),
            "required": person.needs_second_factor,
            "recovery_codes_left": self.accounts.recovery_codes_left(pid),
        }

    # The administrators' page

    def listed(self, caller: Principal) -> list[PersonView]:
        policy.administers(caller)
        found = []
        for pid, last, second_factor in self.accounts.listed():
            person = self.records.load(Person, UUID(pid))
            if isinstance(person, Person):
                found.append(view_of(person, last, second_factor))
        return found

    def get(self, caller: Principal, person: UUID) -> PersonView:
        policy.administers(caller)
        found = self.records.load(Person, person)
        if not isinstance(found, Person):
            raise NotFound("person", person)
        last, second_factor = self.accounts.last_sign_in(str(person)), self.accounts.has_second_factor(str(person))
        return view_of(found, last, second_factor)

    def change_role(
        self, caller: Principal, person: UUID, role: str, party_scope: Sequence[UUID] = (), reason: str | None = None
    ) -> None:
        """Another role or other parties: the person's sessions end at their next request, on every process."""
        actor = self._other(caller, person)
        wanted, why = choice(Role, role, "role"), translation.reason(reason)
        self.records.change(
            Person, person, None, lambda p, when: p.change_role(wanted, tuple(party_scope), why, actor, when)
        )
        self.revoke_keys_held_by(f"person:{person}")  # a key may not keep the role its holder lost

    def require_second_factor(self, caller: Principal, person: UUID, required: bool) -> None:
        actor = policy.administers(caller).id
        self.records.change(Person, person, None, lambda p, when: p.require_second_factor(required, actor, when))

    def disable(self, caller: Principal, person: UUID, reason: str | None = None) -> None:
        """The person signs in no more: every session of theirs ends at its next request, on every process, and
        the API keys they hold are revoked."""
        actor = self._other(caller, person)
        why = translation.reason(reason)
        self.records.change(Person, person, None, lambda found, when: found.disable(why, actor, when))
        self.revoke_keys_held_by(f"person:{person}")
        self.credentials.withdraw(str(person))

    def enable(self, caller: Principal, person: UUID, reason: str | None = None) -> None:
        actor = policy.administers(caller).id
        why = translation.reason(reason)
        self.records.change(Person, person, None, lambda found, when: found.enable(why, actor, when))

    def erase(self, caller: Principal, person: UUID) -> None:
        """The person's name and address erased from every event, view, export and bundle (their key deleted,
        ``domain.personal_data``), their password and second factor deleted, their sessions ended; what they did
        stays, shown as done by an erased person. An administrator's act, never on their own account."""
        actor = self._other(caller, person)
        self.records.change(Person, person, None, lambda found, when: found.erase(actor, when))
        self.seal.erase(str(person))
        self.addresses.forget(str(person))
        self.revoke_keys_held_by(f"person:{person}")
        self.credentials.forget(str(person))
        self.accounts.forget_second_factor(str(person))

    @staticmethod
    def _other(caller: Principal, person: UUID) -> str:
        """An administrator changes others' accounts, never their own role or standing (no one locks themself out)."""
        actor = policy.administers(caller).id
        if actor == f"person:{person}":
            raise InvalidValue("you cannot change your own account's role or standing", "person")
        return actor


def principal_of(person: Person) -> Principal:
    scope = frozenset(str(p) for p in person.party_scope) or None
    return Principal(f"person:{person.id}", person.details.name, person.role, scope)


def holder_of(person: Person) -> str:
    return f"person:{person.id}@{person.generation}"


def view_of(person: Person, last_sign_in: datetime | None, second_factor: bool) -> PersonView:
    return PersonView(
        str(person.id),
        person.details.name,
        person.details.address,
        person.role.value,
        [str(p) for p in person.party_scope],
        person.language,
        person.standing.value,
        person.needs_second_factor,
        second_factor,
        last_sign_in,
        person.version,
    )
