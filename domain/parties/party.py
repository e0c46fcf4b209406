"""Parties: organisations, states, agencies and offices that meet and commit."""

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from enum import Enum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.commitments.escalation import Ladder
from domain.errors import InvalidValue
from domain.identifiers import derived_id
from domain.parties.contact import MOST_CONTACTS, Contact, Frequency, TooManyContacts, UnknownContact
from domain.search import search_form, search_terms
from domain.text import SHORT_TEXT_MAX, MultilingualText, clean_text

_ACRONYM = re.compile(r"^[\w][\w&./\- ]{0,31}$")
ALIAS_MAX = 200  # characters of one alias
MOST_ALIASES = 30  # a party's aliases, after duplicates are dropped


class PartyKind(Enum):
    STATE = "state"
    INTERNATIONAL_ORGANISATION = "international_organisation"
    UN_ENTITY = "un_entity"
    SUBSIDIARY_ORGAN = "subsidiary_organ"
    SPECIALISED_INSTITUTION = "specialised_institution"
    MINISTRY = "ministry"
    AGENCY = "agency"
    OFFICE = "office"
    SECURITY_BODY = "security_body"
    NGO = "ngo"
    OTHER = "other"


def acronym(value: str, field_name: str = "acronym") -> str:
    text = clean_text(value, field_name, SHORT_TEXT_MAX).strip()
    if not _ACRONYM.match(text):
        raise InvalidValue(
            "an acronym has 1 to 32 letters, digits, spaces or & . / - and starts with a letter or digit",
            field_name,
        )
    return text


def folded(text: str) -> str:
    """How aliases, names and acronyms are compared: as searches fold them («الإنتربول» and «الانتربول»
    are one spelling; «انتربول», without the article, is another)."""
    return " ".join(search_terms(text))


def kept_aliases(
    values: Sequence[str], names: MultilingualText, acronym_text: str | None, field_name: str = "aliases"
) -> tuple[str, ...]:
    """The aliases a party keeps from those given: each a one-line text of at most ``ALIAS_MAX``
    characters; a spelling given twice (as searches fold it), or the party's own name or acronym,
    is dropped silently; more than ``MOST_ALIASES`` given are refused."""
    if len(values) > MOST_ALIASES:
        raise InvalidValue("a party has at most {most} aliases", field_name, most=MOST_ALIASES)
    own = {folded(text) for text in names.texts.values()} | ({folded(acronym_text)} if acronym_text else set())
    kept: dict[str, str] = {}
    for index, value in enumerate(values):
        alias = clean_text(value, f"{field_name}[{index}]", ALIAS_MAX).strip()
        key = folded(alias)
        if not key:
            raise InvalidValue("an alias needs letters or digits", f"{field_name}[{index}]")
        if key not in own:
            kept.setdefault(key, alias)
    return tuple(kept.values())


def party_id(acronym_text: str) -> UUID:
    """Acronyms are unique regardless of case: 'IOFS' and 'iofs' are one party."""
    return derived_id("party", acronym_text.casefold())


def named_party_id(name: str) -> UUID:
    """A party with no acronym is identified by its authentic name as searches fold it: «الأمانة
    العامة» and «الامانة العامة» are one party."""
    return derived_id("party-name", " ".join(search_form(name).split()))


def identity(acronym_text: str | None, names: MultilingualText) -> UUID:
    """The id of the party with this acronym, or (with none) with this authentic name."""
    return party_id(acronym_text) if acronym_text else named_party_id(names.texts[names.authentic])


class Party(Aggregate):
    """Version 2 (in snapshots) added the party's own escalation ladder; version 3 its contacts; version 4
    its aliases; version 5 the contacts erased."""

    class_version = 5

    @staticmethod
    def upcast_v1_v2(state: dict[str, object]) -> None:
        state["ladder"] = None

    @staticmethod
    def upcast_v2_v3(state: dict[str, object]) -> None:
        state["contacts"] = ()

    @staticmethod
    def upcast_v3_v4(state: dict[str, object]) -> None:
        state["aliases"] = ()

    @staticmethod
    def upcast_v4_v5(state: dict[str, object]) -> None:
        state["erased_contacts"] = ()

    @staticmethod
    def create_id(acronym: str | None, names: MultilingualText, **_: object) -> UUID:
        return identity(acronym, names)

    @event("Registered")
    def __init__(
        self,
        names: MultilingualText,
        acronym: str | None,
        kind: PartyKind,
        parent_id: UUID | None,
        actor: str,
        timestamp: datetime,
    ) -> None:
        self.names = names
        self.acronym = acronym  # None: the party goes by its name (``named_party_id``)
        self.kind = kind
        self.parent_id = parent_id
        self.ladder: Ladder | None = None  # its own escalation ladder for what it leads; None: the deployment's
        self.contacts: tuple[Contact, ...] = ()  # the people told by e-mail, in the order they were added
        self.aliases: tuple[str, ...] = ()  # other names and spellings it is found by, in any language and script
        self.erased_contacts: tuple[UUID, ...] = ()  # contacts whose personal data was erased: never kept again

    @property
    def label(self) -> str:
        """What lists call the party: its acronym, or else its authentic name."""
        return self.acronym or self.names.texts[self.names.authentic]

    def keep_ladder(self, ladder: Ladder | None, reason: str | None, actor: str, when: datetime) -> None:
        """Escalate what the party leads by its own ladder (None: by the deployment's again)."""
        if ladder == self.ladder:
            if ladder is not None:
                raise InvalidValue("the party keeps this ladder already", "steps")
            raise InvalidValue("the party follows the deployment's ladder already", "steps")
        self._ladder_kept(ladder=ladder, reason=reason, actor=actor, timestamp=when)

    @event("LadderKept")
    def _ladder_kept(self, ladder: Ladder | None, reason: str | None, actor: str, timestamp: datetime) -> None:
        self.ladder = ladder

    # -- aliases ----------------------------------------------------------------------

    def keep_aliases(self, values: Sequence[str], reason: str | None, actor: str, when: datetime) -> None:
        """Keep these aliases, in place of those kept before (none: the party has no aliases)."""
        aliases = kept_aliases(values, self.names, self.acronym)
        if aliases == self.aliases:
            raise InvalidValue("the party has these aliases already", "aliases")
        self._aliases_kept(aliases=aliases, reason=reason, actor=actor, timestamp=when)

    @event("AliasesKept")
    def _aliases_kept(self, aliases: Sequence[str], reason: str | None, actor: str, timestamp: datetime) -> None:
        self.aliases = tuple(aliases)

    # -- contacts ---------------------------------------------------------------------

    def contact(self, contact: UUID) -> Contact:
        for kept in self.contacts:
            if kept.id == contact:
                return kept
        raise UnknownContact(contact)

    def keep_contact(self, contact: Contact, actor: str, when: datetime) -> None:
        """Add a contact, or change one (the same address): its name, language or digest."""
        if contact.id in self.erased_contacts:
            raise InvalidValue("this address was erased from the party's record: it cannot be kept again", "address")
        known = [c for c in self.contacts if c.id == contact.id]
        if known and known[0] == contact:
            raise InvalidValue("the party keeps this contact already, as it is", "address")
        if not known and len(self.contacts) >= MOST_CONTACTS:
            raise TooManyContacts()
        self._contact_kept(contact=contact, actor=actor, timestamp=when)

    @event("ContactKept")
    def _contact_kept(self, contact: Contact, actor: str, timestamp: datetime) -> None:
        if contact.erased:  # read back after its person was erased (a backup restored from before, say)
            self.contacts = tuple(c for c in self.contacts if c.id != contact.id)
            self.erased_contacts = tuple(dict.fromkeys((*self.erased_contacts, contact.id)))
            return
        if any(c.id == contact.id for c in self.contacts):
            self.contacts = tuple(contact if c.id == contact.id else c for c in self.contacts)
        else:
            self.contacts = (*self.contacts, contact)

    def remove_contact(self, contact: UUID, reason: str | None, actor: str, when: datetime) -> None:
        self.contact(contact)
        self._contact_removed(contact_id=contact, reason=reason, actor=actor, timestamp=when)

    @event("ContactRemoved")
    def _contact_removed(self, contact_id: UUID, reason: str | None, actor: str, timestamp: datetime) -> None:
        self.contacts = tuple(c for c in self.contacts if c.id != contact_id)

    def erase_contact(self, contact: UUID, ever_kept: bool, actor: str, when: datetime) -> None:
        """Erase a contact's personal data (``domain.personal_data``): it is no longer a contact, its name and
        address can no longer be read anywhere, and its address cannot be kept again. ``ever_kept``: the party
        kept it once (a contact removed since is erased too)."""
        if contact in self.erased_contacts:
            raise InvalidValue("the contact is erased already", "contact_id")
        if not ever_kept and not any(c.id == contact for c in self.contacts):
            raise UnknownContact(contact)
        self._contact_erased(contact_id=contact, actor=actor, timestamp=when)

    @event("ContactErased")
    def _contact_erased(self, contact_id: UUID, actor: str, timestamp: datetime) -> None:
        self.contacts = tuple(c for c in self.contacts if c.id != contact_id)
        self.erased_contacts = tuple(dict.fromkeys((*self.erased_contacts, contact_id)))

    def unsubscribe(self, contact: UUID, actor: str, when: datetime) -> bool:
        """The contact asked for no more digests (its unsubscribe link); False if it gets none already."""
        if self.contact(contact).frequency is Frequency.NONE:
            return False
        self._unsubscribed(contact_id=contact, actor=actor, timestamp=when)
        return True

    @event("ContactUnsubscribed")
    def _unsubscribed(self, contact_id: UUID, actor: str, timestamp: datetime) -> None:
        self.contacts = tuple(replace(c, frequency=Frequency.NONE) if c.id == contact_id else c for c in self.contacts)
