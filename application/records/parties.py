"""Parties: the organisations, states, agencies and offices that meet and commit."""

from collections.abc import Sequence
from contextlib import suppress
from datetime import datetime
from uuid import UUID

from application import policy, translation
from application.errors import AlreadyExists, NotFound, UnknownReference
from application.inputs import TextInput
from application.listing.histories import Histories
from application.ports import InClear, PersonalSeal
from application.storage.saving import Records
from application.views import KnownName, LadderView, PartyView
from domain.access import Principal
from domain.choices import choice
from domain.commitments.escalation import NO_LADDER, Ladder
from domain.errors import InvalidValue
from domain.parties.contact import Contact, Frequency, UnknownContact, contact_id
from domain.parties.party import Party, PartyKind, identity, kept_aliases, named_party_id, party_id
from domain.parties.party import acronym as clean_acronym
from domain.reading.names import NO_NAMES, Gazetteer
from domain.text import SHORT_TEXT_MAX, clean_text, language_code

UNSUBSCRIBE_LINK = "unsubscribe-link"  # the actor of a contact's own request
MOST_KNOWN_NAMES = 10  # the entries offered for one name typed


class Parties:
    def __init__(
        self,
        records: Records,
        histories: Histories,
        ladder: Ladder = NO_LADDER,
        names: Gazetteer = NO_NAMES,
        seal: PersonalSeal | None = None,
    ) -> None:
        self.records = records
        self.histories = histories
        self.ladder = ladder  # the deployment's escalation ladder
        self.names = names  # the world's names: what a party being registered is known as
        self.seal: PersonalSeal = seal or InClear()  # what seals personal data in events, and erases it

    def known_names(self, name: str) -> list[KnownName]:
        """What the gazetteer knows a name (as a coordinator types it) to be: each state, city or organisation
        with its names in Arabic, English and French, its acronym and the other names reports use, offered as
        the aliases of the party being registered."""
        text = clean_text(name, "name", SHORT_TEXT_MAX).strip()
        if not text:
            return []
        return [KnownName.of(found) for found in self.names.named(text)[:MOST_KNOWN_NAMES]]

    def ladder_of(self, party: UUID | str) -> LadderView:
        """The escalation ladder the commitments a party leads climb: its own, or else the deployment's."""
        found = self.records.get(Party, party)
        return LadderView.of(self.ladder if found.ladder is None else found.ladder, own=found.ladder is not None)

    def register(
        self,
        caller: Principal,
        names: TextInput,
        acronym: str | None,
        kind: str,
        parent_id: UUID | None = None,
        aliases: Sequence[str] = (),
    ) -> PartyView:
        """A party with its acronym, or with none (a ministry named only in Arabic): it then goes by
        its authentic name, so recording the same name twice is the same party. ``aliases``: its other
        names and spellings, kept in the same save as its registration."""
        actor = policy.records_everything(caller).id
        text = translation.name(names, "names")
        short = None if acronym is None or not acronym.strip() else clean_acronym(acronym)
        party_kind = choice(PartyKind, kind, "kind")
        if parent_id is not None:
            self.records.ref(Party, parent_id, "parent_id")
        if short is not None:
            taken = AlreadyExists(
                "a party with the acronym {acronym!r} is already registered", "acronym", acronym=short
            )
        else:
            taken = AlreadyExists(
                "a party named {name!r} is already registered", "names", name=text.texts[text.authentic]
            )
        if self.records.load(Party, identity(short, text)) is not None:
            raise taken
        when = self.records.now()
        party = Party(names=text, acronym=short, kind=party_kind, parent_id=parent_id, actor=actor, timestamp=when)
        if kept_aliases(aliases, text, short):
            party.keep_aliases(aliases, None, actor, when)
        try:
            return PartyView.of(self.records.create(party))
        except AlreadyExists:
            raise taken from None

    def keep_ladder(
        self,
        party: UUID | str,
        caller: Principal,
        steps: Sequence[tuple[int, str]] | None,
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> PartyView:
        """Escalate what the party leads by its own ladder of steps (days overdue, who is told);
        ``None``: by the deployment's ladder again."""
        actor = policy.records_everything(caller).id
        ladder = None if steps is None else Ladder.of(steps)
        why = translation.reason(reason)
        return PartyView.of(
            self.records.change(
                Party, party, expected_version, lambda found, when: found.keep_ladder(ladder, why, actor, when)
            )
        )

    def keep_aliases(
        self,
        party: UUID | str,
        caller: Principal,
        aliases: Sequence[str],
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> PartyView:
        """The other names and spellings the party is found by, in any language and script, in place of
        those kept before (searches, lists, imports and reports find it by each); the party's own name
        or acronym, and a spelling given twice, are dropped."""
        actor = policy.records_everything(caller).id
        why = translation.reason(reason)
        return PartyView.of(
            self.records.change(
                Party, party, expected_version, lambda found, when: found.keep_aliases(aliases, why, actor, when)
            )
        )

    def keep_contact(
        self,
        party: UUID | str,
        caller: Principal,
        name: str,
        address: str,
        language: str,
        frequency: str = "daily",
        expected_version: int | None = None,
    ) -> PartyView:
        """Add a contact to the party, or change the one with this address: who the digests are
        sent to, in which language, how often (``daily``, ``weekly``, ``none``)."""
        actor = caller.id
        who = clean_text(name, "name", SHORT_TEXT_MAX).strip()
        mailbox = translation.mail_address(address)
        tongue = language_code(language)
        how_often = choice(Frequency, frequency, "frequency")

        def keep(found: Party, when: datetime) -> None:
            found.keep_contact(Contact(contact_id(found.id, mailbox), who, mailbox, tongue, how_often), actor, when)

        return PartyView.of(
            self.records.change(
                Party,
                party,
                expected_version,
                keep,
                allowed=lambda found: policy.keeps_contacts(caller, found.id),
            )
        )

    def remove_contact(
        self,
        party: UUID | str,
        contact: UUID,
        caller: Principal,
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> PartyView:
        actor = caller.id
        why = translation.reason(reason)

        def remove(found: Party, when: datetime) -> None:
            try:
                found.remove_contact(contact, why, actor, when)
            except UnknownContact:
                raise NotFound("contact", contact) from None

        return PartyView.of(
            self.records.change(
                Party,
                party,
                expected_version,
                remove,
                allowed=lambda found: policy.keeps_contacts(caller, found.id),
            )
        )

    def erase_contact(self, party: UUID | str, contact: UUID, caller: Principal) -> PartyView:
        """Erase a contact's personal data (``domain.personal_data``): a ``ContactErased`` event (its id, no
        name), then its key deleted, so that its name and address can no longer be read in any event, view,
        export or bundle; its digests stop. A contact removed before is erased too. An administrator's act."""
        actor = policy.administers(caller).id
        ever_kept = any(
            type(event).__name__ == "ContactKept" and event.contact.id == contact
            for event in self.records.events(UUID(str(party)))
        )

        def erase(found: Party, when: datetime) -> None:
            try:
                found.erase_contact(contact, ever_kept, actor, when)
            except UnknownContact:
                raise NotFound("contact", contact) from None

        erased = self.records.change(Party, party, None, erase)
        self.seal.erase(str(contact))
        return PartyView.of(erased)

    def unsubscribe(self, party: UUID | str, contact: UUID) -> None:
        """The contact's own request (its unsubscribe link): no more digests (nothing is recorded if
        it gets none already)."""
        self.records.change(Party, party, None, lambda found, when: found.unsubscribe(contact, UNSUBSCRIBE_LINK, when))

    def get(
        self, party: UUID | str, version: int | None = None, as_of: datetime | None = None, axis: str = "recorded"
    ) -> PartyView:
        return self.histories.marked(PartyView.of(self.histories.read(Party, party, version, as_of, axis)))

    def id_of(self, acronym_or_name: str, field: str = "acronym") -> str:
        """The id of the party registered under this acronym (any case), or else under this name (as
        searches fold it): ``UnknownReference`` if none is."""
        written = clean_text(acronym_or_name, field, SHORT_TEXT_MAX).strip()
        candidates = [named_party_id(written)]
        with suppress(InvalidValue):  # not an acronym's form: a name
            candidates.insert(0, party_id(clean_acronym(written, field)))
        for candidate in candidates:
            party = self.records.load(Party, candidate)
            if party is not None:
                return str(party.id)
        raise UnknownReference("party", written, field, by="acronym or name")

    def check(self, ids: Sequence[UUID], field: str) -> tuple[UUID, ...]:
        """The ids, if each names a party; else the first unknown one is refused, naming its field."""
        return tuple(
            self.records.ref(Party, identifier, f"{field}[{index}]").id for index, identifier in enumerate(ids)
        )
