"""How a published record reads to the public, without a key: an agreement, a meeting series or a party's
commitments, now or as of any instant, with what was agreed, by whom, each commitment's status, progress,
due and the evidence marked public, and the changes of status over time.

What the public sees is written out field by field (``_commitment``, ``_meeting``, ``_party``): a record's
other fields (its contacts, the keys that recorded it, its notes and reasons, the evidence not marked public,
the people named at meetings) are never copied, so a field added to a record later stays internal until it is
added here. An unpublished record is not found (``policy.reads_published``), whatever is asked of it.

Evidence is public when it is marked so now: the mark of today decides, for every date shown (publishing a
record makes its history public; withdrawing a piece of evidence hides it from every date)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from application import policy
from application.errors import TooLarge
from application.listing import lists
from application.listing.histories import Histories
from application.listing.queries import CommitmentFilter, Results
from application.ports import Catalogue
from application.publishing.publications import Publishing
from application.records.evidence_files import EvidenceFiles, NoEvidenceFiles
from application.storage.saving import Records
from application.views import AgreementView, MeetingView, plain
from domain.commitments.lifecycle import Status
from domain.commitments.rollup import Counted, roll_up
from domain.errors import InvalidValue
from domain.evidence_files import EvidenceFile
from domain.meetings.agreement import Agreement
from domain.meetings.meeting import Meeting
from domain.parties.party import Party
from domain.publishing.publications import Publication, Subject, subject_key

MOST = 1_000  # commitments one public record lists (its total says how many there are)
MOST_REPLAYED = 2_000  # commitments replayed to show a record as of a date (each one's history read)
MOST_CHANGES = 500  # changes of status listed, the latest ones
PAGE = MOST  # commitments read at a time: one page, counted once (the lists' own pages hold 200)


@dataclass(frozen=True)
class PublicRecord:
    """A published record as the public sees it."""

    subject: str  # agreement | series | party
    key: str
    published_since: str
    as_of: str | None  # the instant it is shown as of (None: now)
    axis: str
    title: dict[str, Any] | None  # the agreement's title, the series' latest meeting's, the party's names
    agreement: dict[str, Any] | None
    party: dict[str, Any] | None
    meetings: list[dict[str, Any]]
    commitments: list[dict[str, Any]]
    total: int  # how many commitments it holds (``commitments`` lists up to ``MOST``)
    parties: dict[str, dict[str, Any]]  # every party named, by id: its names and acronym
    progress: dict[str, Any]  # the roll-up: by status, overdue, weighted progress
    changes: list[dict[str, Any]] = field(default_factory=list)  # changes of status, the latest first


@dataclass(frozen=True)
class Listed:
    """One record of the public index."""

    subject: str
    key: str
    published_since: str
    title: dict[str, Any] | None


class PublicRecords:
    def __init__(
        self,
        records: Records,
        histories: Histories,
        catalogue: Catalogue,
        publishing: Publishing,
        files: EvidenceFiles | None = None,
    ) -> None:
        self.records = records
        self.histories = histories
        self.catalogue = catalogue
        self.publishing = publishing
        self.files = files or NoEvidenceFiles()

    def freshness(self) -> tuple[int, int]:
        """What a copy of a public page depends on: the list of publications' version and the read model's
        position. A copy made at the same pair says what the page would say now."""
        return self.publishing.version(), self.catalogue.position()

    def opened(self) -> None:
        """Anyone reads the list of what is published: the rule asked before a kept copy of it is served."""
        policy.reads_published(True)

    def index(self) -> list[Listed]:
        """Every published record, the latest published first (anyone reads it)."""
        self.opened()
        current = self.publishing.current()
        found = [] if current is None else list(current.publications)
        listed = []
        for publication in sorted(found, key=lambda p: p.since, reverse=True):
            listed.append(
                Listed(
                    publication.subject.value,
                    publication.key,
                    publication.since.isoformat(),
                    self.publishing.title(publication),
                )
            )
        return listed

    def published(self, subject: str, key: str) -> Publication:
        """The publication of the record (``NotPublic``, a 404, if it is not published now)."""
        try:
            kind = Subject(subject)
            found = self.publishing.find(kind, subject_key(kind, key))
        except (ValueError, InvalidValue):  # a malformed key names nothing public
            found = None
        policy.reads_published(found is not None)
        assert found is not None
        return found

    def evidence_file(self, subject: str, key: str, commitment_id: str, number: int) -> tuple[EvidenceFile, bytes]:
        """The file a piece of public evidence cites, of a commitment the published record shows now (a 404 for
        any other: internal evidence, a commitment of another record, a record not published)."""
        shown = self.record(subject, key, None)
        commitment = next((c for c in shown.commitments if c["id"] == commitment_id), None)
        evidence = next((e for e in commitment["evidence"] if e["number"] == number), None) if commitment else None
        cited = None if evidence is None else evidence.get("file")
        policy.reads_published(cited is not None)
        assert cited is not None
        described = EvidenceFile(**cited)
        return described, self.files.published(described)

    def record(self, subject: str, key: str, as_of: datetime | None, axis: str = "effective") -> PublicRecord:
        publication = self.published(subject, key)
        if publication.subject is Subject.AGREEMENT:
            return self._agreement(publication, as_of, axis)
        if publication.subject is Subject.SERIES:
            return self._series(publication, as_of, axis)
        return self._party(publication, as_of, axis)

    # -- each kind

    def _agreement(self, publication: Publication, as_of: datetime | None, axis: str) -> PublicRecord:
        agreement = self.histories.read(Agreement, publication.key, as_of=as_of, axis=axis)
        view = AgreementView.of(agreement)
        meeting = self._meetings([str(agreement.meeting_id)])
        made, total = self._commitments(CommitmentFilter(agreement=agreement.id), as_of, axis)
        rows = {row.number: row.label for row in agreement.rows}
        for c in made:
            c["row"] = rows.get(c["row_number"]) if c["row_number"] is not None else None
        public_agreement = {
            "id": view.id,
            "title": view.title,
            "kind": view.kind,
            "adopted_on": view.adopted_on,
            "adopted_by": view.adopted_by,
            "text": view.text,
            "validity": view.validity,
            "meeting_id": view.meeting_id,
        }
        return self._made(publication, as_of, axis, view.title, meeting, made, total, agreement=public_agreement)

    def _series(self, publication: Publication, as_of: datetime | None, axis: str) -> PublicRecord:
        meetings = [_meeting(m) for m in self.publishing.series_meetings(publication.key)]
        made: list[dict[str, Any]] = []
        total = 0
        for m in meetings:
            some, count = self._commitments(CommitmentFilter(meeting=UUID(m["id"])), as_of, axis, MOST - len(made))
            made.extend(some)
            total += count
        title = meetings[-1]["title"] if meetings else None  # a series is named by its latest meeting
        return self._made(publication, as_of, axis, title, meetings, made, total)

    def _party(self, publication: Publication, as_of: datetime | None, axis: str) -> PublicRecord:
        party = self.records.get(Party, publication.key)
        made, total = self._commitments(CommitmentFilter(party=party.id), as_of, axis)
        meetings = self._meetings(sorted({c["meeting_id"] for c in made}))
        public_party = _party(plain(party.names), party.acronym, party.label, str(party.id))
        return self._made(publication, as_of, axis, plain(party.names), meetings, made, total, party=public_party)

    # -- their parts

    def _made(
        self,
        publication: Publication,
        as_of: datetime | None,
        axis: str,
        title: dict[str, Any] | None,
        meetings: list[dict[str, Any]],
        made: list[dict[str, Any]],
        total: int,
        agreement: dict[str, Any] | None = None,
        party: dict[str, Any] | None = None,
    ) -> PublicRecord:
        named: set[str] = set()
        for c in made:
            named.update([c["lead_party_id"], *c["supporting_party_ids"]])
        for m in meetings:
            named.update(p["party_id"] for p in m["participants"])
        if agreement is not None:
            named.update(agreement["adopted_by"])
        changes = self.catalogue.status_changes([c["id"] for c in made], as_of)[-MOST_CHANGES:]
        return PublicRecord(
            subject=publication.subject.value,
            key=publication.key,
            published_since=publication.since.isoformat(),
            as_of=None if as_of is None else as_of.isoformat(),
            axis=axis,
            title=title,
            agreement=agreement,
            party=party,
            meetings=meetings,
            commitments=made,
            total=total,
            parties=self._parties(named),
            progress=progress_of(made),
            changes=[{**change, "at": _iso(change["at"])} for change in reversed(changes)],
        )

    def _commitments(
        self, query: CommitmentFilter, as_of: datetime | None, axis: str, most: int = MOST
    ) -> tuple[list[dict[str, Any]], int]:
        """The commitments the query finds, as of the instant, up to ``most``; and how many there are. The
        evidence public now is what shows, as of any instant."""
        if as_of is not None and (axis == "effective" or query.party is not None):
            held = self.catalogue.find_commitments(CommitmentFilter(**{**vars(query), "limit": 1})).total
            if held > MOST_REPLAYED:  # each would be replayed: a cost anyone could ask for, bounded
                raise TooLarge(
                    "as of a date, a public record is shown from its commitments' histories only up to {most} of "
                    "them, and this one has {count}: ask for axis=recorded (an agreement's or a series'), or for "
                    "the record as it stands now",
                    "as_of",
                    most=MOST_REPLAYED,
                    count=held,
                )
        asked = CommitmentFilter(**{**vars(query), "as_of": as_of, "axis": axis, "limit": PAGE})
        found, total = _all(lambda cursor: lists.commitments(self.histories, self.catalogue, _at(asked, cursor)), most)
        public_now = (
            {c["id"]: c.get("public_evidence", []) for c in found}
            if as_of is None
            else {
                c["id"]: c.get("public_evidence", [])
                for c in _all(
                    lambda cursor: self.catalogue.find_commitments(
                        _at(CommitmentFilter(**{**vars(query), "limit": PAGE}), cursor)
                    ),
                    MOST,
                )[0]
            }
        )
        return [_commitment(c, public_now.get(c["id"], [])) for c in found], total

    def _meetings(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        found = self.records.read_many([UUID(i) for i in ids])
        meetings = [_meeting(vars(MeetingView.of(m))) for m in found.values() if isinstance(m, Meeting)]
        return sorted(meetings, key=lambda m: m["scheduled"].get("starts_on") or "")

    def _parties(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        found = self.records.read_many(sorted(UUID(i) for i in ids))
        return {
            str(key): _party(plain(p.names), p.acronym, p.label, str(key))
            for key, p in found.items()
            if isinstance(p, Party)
        }


# -- what the public sees of each record, field by field


def _commitment(c: dict[str, Any], public_evidence: list[int]) -> dict[str, Any]:
    shown = set(public_evidence)
    provenance = c.get("provenance") or {}
    progress = c.get("progress")
    return {
        "id": c["id"],
        "kind": c["kind"],
        "status": c["status"],
        "text": c["text"],
        "lead_party_id": c["lead_party_id"],
        "supporting_party_ids": list(c["supporting_party_ids"]),
        "meeting_id": provenance.get("meeting_id"),
        "agreement_id": provenance.get("agreement_id"),
        "row_number": provenance.get("row_number"),
        "row": None,  # the row's label in its matrix (an agreement's page says it)
        "made_on": c.get("made_on"),
        "due": _due(c.get("due")),
        "due_at": c.get("due_at"),
        "overdue": bool(c.get("overdue")),
        "due_soon": bool(c.get("due_soon")),
        "fulfilled_on": c.get("fulfilled_on"),
        "progress": None if not progress else progress.get("percent"),
        "weight": c.get("weight"),
        "evidence": [
            {
                "number": number,
                "title": e.get("title"),
                "url": e.get("url"),
                "note": e.get("note"),
                "file": e.get("file"),
            }
            for number, e in enumerate(c.get("evidence") or [], start=1)
            if number in shown
        ],
    }


def _due(due: dict[str, Any] | None) -> dict[str, Any] | None:
    if not due:
        return None
    return {name: due.get(name) for name in ("precision", "value", "amount", "unit", "time_zone")}


def _meeting(m: dict[str, Any]) -> dict[str, Any]:
    venue = m.get("venue") or {}
    return {
        "id": m["id"],
        "title": m["title"],
        "kind": m["kind"],
        "series": m.get("series"),
        "session_number": m.get("session_number"),
        "status": m["status"],
        "scheduled": dict(m.get("scheduled") or {}),
        "held": None if not m.get("held") else dict(m["held"]),
        "venue": {name: venue.get(name) for name in ("name", "city", "country", "time_zone")},
        "participants": [{"party_id": p["party_id"], "role": p["role"]} for p in m.get("participants") or []],
    }


def _party(names: dict[str, Any], acronym: str | None, label: str, key: str) -> dict[str, Any]:
    return {"id": key, "names": names, "acronym": acronym, "label": label}


def progress_of(made: list[dict[str, Any]]) -> dict[str, Any]:
    rollup = roll_up(
        Counted(Status(c["status"]), c["progress"], c["weight"], c["overdue"], c["due_soon"], False, None, None)
        for c in made
    )
    return {
        "commitments": rollup.commitments,
        "by_status": {s.value: rollup.by_status[s.value] for s in Status if rollup.by_status.get(s.value)},
        "overdue": rollup.overdue,
        "due_soon": rollup.due_soon,
        "progress": rollup.progress,
    }


def _iso(value: datetime | date | str) -> str:
    return value if isinstance(value, str) else value.isoformat()


def _at(query: CommitmentFilter, cursor: str | None) -> CommitmentFilter:
    return CommitmentFilter(**{**vars(query), "cursor": cursor})


def _all(page: Any, most: int) -> tuple[list[dict[str, Any]], int]:
    """The items of a list, page by page, up to ``most``; and its total."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    total = 0
    while len(items) < most:
        results: Results = page(cursor)
        items.extend(results.items)
        total = results.total
        cursor = results.next_cursor
        if cursor is None:
            break
    return items[:most], max(total, len(items))
