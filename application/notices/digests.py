"""What a contact's digest holds: for its party, the commitments whose escalation told the party,
those it leads or supports that are overdue, and those due soon; each in one section only (the
first that has it), in the order of their dues. And the records that touch the party and were made public
since the contact's last digest (an agreement it adopted or has commitments in, a series it took part in,
its own commitments): the party learns what the public now reads about it."""

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from application import policy
from application.listing.queries import CommitmentFilter
from application.ports import Catalogue
from application.publishing.publications import Publishing
from application.storage.saving import Records
from application.views import CommitmentView, PartyView
from domain.access import Principal
from domain.commitments.commitment import Commitment
from domain.commitments.lifecycle import Status
from domain.meetings.agreement import Agreement
from domain.parties.action_links import LinkAction, offered
from domain.parties.party import Party
from domain.publishing.publications import Publication, Subject

SECTION_LIMIT = 50  # commitments listed per section (the section's total says how many there are)


@dataclass(frozen=True)
class Section:
    name: str  # escalated | overdue | due_soon
    items: list[dict[str, Any]]  # commitments, as the API shows them
    total: int


@dataclass(frozen=True)
class MadePublic:
    """A record touching the party that was published: its kind, key, title and when."""

    subject: str  # agreement | series | party
    key: str
    title: dict[str, Any] | None
    since: str


@dataclass(frozen=True)
class Change:
    """A change of status of a commitment the party leads or supports: the commitment as it is now."""

    item: dict[str, Any]  # the commitment, as the API shows it
    before: str | None  # None: it was recorded
    after: str
    at: str


@dataclass(frozen=True)
class Mention:
    """A comment that names the party: the commitment as it is now, and the comment."""

    item: dict[str, Any]  # the commitment, as the API shows it
    comment: dict[str, Any]  # number, text, language, actor, at


@dataclass(frozen=True)
class DigestContent:
    party: PartyView
    sections: list[Section]  # only those with something in them
    parties: dict[str, PartyView]  # the lead parties of the commitments listed, by id
    made_public: list[MadePublic] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)  # an immediate e-mail's (the latest, if many)
    changes_total: int = 0
    mentions: list[Mention] = field(default_factory=list)  # comments naming the party since it was last told
    asks: list[dict[str, Any]] = field(default_factory=list)  # commitments whose pending change awaits its word

    @property
    def empty(self) -> bool:
        return not (self.sections or self.made_public or self.changes or self.mentions or self.asks)


@dataclass(frozen=True)
class ContactLinks:
    """The links a contact's e-mail carries: one to unsubscribe, and one per action it may take on each
    commitment its party leads or supports (``domain.parties.action_links.offered``)."""

    party_id: str
    unsubscribe: str
    act: Callable[[LinkAction, str], str]  # (the action, a commitment's id) -> its signed link

    def actions(self, item: dict[str, Any]) -> list[tuple[str, str]]:
        """The actions offered on a commitment (as the API shows it), each with its link."""
        if self.party_id not in (item["lead_party_id"], *item["supporting_party_ids"]):
            return []  # escalated to the party, not its own: it acts through its own links
        pending = item.get("pending")
        awaits = pending is not None and self.party_id in set(pending["awaiting"]) - set(pending["confirmed"])
        actions = offered(Status(item["status"]), pending is not None, awaits)
        return [(action.value, self.act(action, item["id"])) for action in actions]


class Digests:
    def __init__(self, records: Records, catalogue: Catalogue, publishing: Publishing) -> None:
        self.records = records
        self.catalogue = catalogue
        self.publishing = publishing

    def content(self, party_id: UUID, since: datetime | None = None) -> DigestContent:
        """``since``: when the contact was last told (None: never), for the records made public since."""
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
        mentions = self._mentions(party, since, self.records.now())
        parties = self._leads([*(i for section in sections for i in section.items), *(m.item for m in mentions)])
        return DigestContent(PartyView.of(party), sections, parties, self._made_public(party, since), mentions=mentions)

    def _leads(self, items: Iterable[dict[str, Any]]) -> dict[str, PartyView]:
        """The lead parties of these commitments, by id."""
        leads = sorted({UUID(item["lead_party_id"]) for item in items})
        found = self.records.read_many(leads).items()
        return {str(key): PartyView.of(value) for key, value in found if isinstance(value, Party)}

    def changes(self, party_id: UUID, since: datetime, through: datetime) -> DigestContent:
        """What an immediate contact is told: each change of status of what its party leads or supports,
        recorded after ``since`` and up to ``through`` (the latest ``SECTION_LIMIT``, and how many there were)."""
        party = self.records.get(Party, party_id)
        found = self.catalogue.party_status_changes(str(party.id), since, through)
        shown = found[-SECTION_LIMIT:]
        read = self.records.read_many(sorted({UUID(c["commitment_id"]) for c in shown})).items()
        items = {str(key): asdict(CommitmentView.of(value)) for key, value in read if isinstance(value, Commitment)}
        changes = [
            Change(items[c["commitment_id"]], c["before"], c["after"], c["at"].isoformat())
            for c in shown
            if c["commitment_id"] in items
        ]
        mentions = self._mentions(party, since, through)
        parties = self._leads([*(change.item for change in changes), *(m.item for m in mentions)])
        return DigestContent(
            PartyView.of(party), [], parties, changes=changes, changes_total=len(found), mentions=mentions
        )

    def awaiting_words(self) -> list[dict[str, Any]]:
        """Each party whose word a pending change still waits for (``Catalogue.awaiting_words``)."""
        return self.catalogue.awaiting_words()

    def asking(self, party_id: UUID, commitment_id: UUID) -> DigestContent:
        """What the contacts of a party are told at once when a change waits for its word: the commitment, its
        pending change and until when silence is consent (empty: it no longer waits for the party)."""
        party = self.records.get(Party, party_id)
        commitment = self.records.load(Commitment, commitment_id)
        pending = None if commitment is None else commitment.pending
        if commitment is None or pending is None or party.id not in pending.awaiting:
            return DigestContent(PartyView.of(party), [], {})
        item = asdict(CommitmentView.of(commitment))
        return DigestContent(PartyView.of(party), [], self._leads([item]), asks=[item])

    def _mentions(self, party: Party, since: datetime | None, through: datetime) -> list[Mention]:
        """The comments naming the party written after ``since`` and up to ``through`` (the latest ones)."""
        found = self.catalogue.mentions_of_party(str(party.id), since, through)[-SECTION_LIMIT:]
        read = self.records.read_many(sorted({UUID(m["commitment_id"]) for m in found}))
        mentions = []
        for m in found:
            commitment = read.get(UUID(m["commitment_id"]))
            if isinstance(commitment, Commitment) and not commitment.comments[m["number"] - 1].hidden:
                said = commitment.comments[m["number"] - 1]
                comment = {"number": said.number, "text": said.text, "language": said.language, "actor": said.actor}
                mentions.append(Mention(asdict(CommitmentView.of(commitment)), comment | {"at": said.at.isoformat()}))
        return mentions

    def _made_public(self, party: Party, since: datetime | None) -> list[MadePublic]:
        current = self.publishing.current()
        fresh = [] if current is None else [p for p in current.publications if since is None or p.since >= since]
        return [
            MadePublic(p.subject.value, p.key, self.publishing.title(p), p.since.isoformat())
            for p in sorted(fresh, key=lambda p: p.since)
            if self._touches(p, party)
        ]

    def _touches(self, publication: Publication, party: Party) -> bool:
        """Whether the record is the party's: its own commitments, an agreement it adopted or has commitments
        in, a series it took part in or has commitments in."""
        if publication.subject is Subject.PARTY:
            return publication.key == str(party.id)
        if publication.subject is Subject.AGREEMENT:
            agreement = self.records.load(Agreement, publication.key)
            return agreement is not None and (
                party.id in agreement.adopted_by
                or bool(self._found(CommitmentFilter(agreement=agreement.id, party=party.id, limit=1)))
            )
        return any(
            any(p["party_id"] == str(party.id) for p in m["participants"])
            or bool(self._found(CommitmentFilter(meeting=UUID(m["id"]), party=party.id, limit=1)))
            for m in self.publishing.series_meetings(publication.key)
        )

    def _found(self, query: CommitmentFilter) -> list[dict[str, Any]]:
        return self.catalogue.find_commitments(query).items


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
