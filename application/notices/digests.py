"""What a contact's digest holds: for its party, the commitments whose escalation told the party,
those it leads or supports that are overdue, and those due soon; each in one section only (the
first that has it), in the order of their dues."""

from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from application import policy
from application.listing.queries import CommitmentFilter
from application.ports import Catalogue
from application.storage.saving import Records
from application.views import PartyView
from domain.access import Principal
from domain.parties.party import Party

SECTION_LIMIT = 50  # commitments listed per section (the section's total says how many there are)


@dataclass(frozen=True)
class Section:
    name: str  # escalated | overdue | due_soon
    items: list[dict[str, Any]]  # commitments, as the API shows them
    total: int


@dataclass(frozen=True)
class DigestContent:
    party: PartyView
    sections: list[Section]  # only those with something in them
    parties: dict[str, PartyView]  # the lead parties of the commitments listed, by id

    @property
    def empty(self) -> bool:
        return not self.sections


class Digests:
    def __init__(self, records: Records, catalogue: Catalogue) -> None:
        self.records = records
        self.catalogue = catalogue

    def content(self, party_id: UUID) -> DigestContent:
        party = self.records.get(Party, party_id)
        seen: set[str] = set()
        sections: list[Section] = []
        for name, wanted in (
            ("escalated", {"escalated_to": party.id}),
            ("overdue", {"party": party.id, "overdue": True}),
            ("due_soon", {"party": party.id, "due_soon": True}),
        ):
            found = self.catalogue.find_commitments(CommitmentFilter(sort="due", limit=SECTION_LIMIT, **wanted))
            items = [item for item in found.items if item["id"] not in seen]
            seen.update(item["id"] for item in items)
            if items:
                sections.append(Section(name, items, found.total - (len(found.items) - len(items))))
        leads = {UUID(item["lead_party_id"]) for section in sections for item in section.items}
        parties = {
            str(key): PartyView.of(value)
            for key, value in self.records.read_many(sorted(leads)).items()
            if isinstance(value, Party)
        }
        return DigestContent(PartyView.of(party), sections, parties)


class DigestLog(Protocol):
    """The digests sent (or found empty, or failed) for each contact and period."""

    def sent(self, party_id: str | None = None, limit: int = 100) -> list[dict[str, Any]]: ...


class DigestsSent:
    """What was sent to a party's contacts, for every door. Every key reads it (``policy.reads``)."""

    def __init__(self, log: DigestLog, records: Records) -> None:
        self.log = log
        self.records = records

    def of_party(self, caller: Principal, party_id: UUID, limit: int = 100) -> list[dict[str, Any]]:
        """The digests of the party's contacts, newest first (404 when there is no such party)."""
        policy.reads(caller)
        self.records.get(Party, party_id)
        return self.log.sent(str(party_id), limit)
